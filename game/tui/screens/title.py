"""The title screen and the new-game form (defaults ready: s, or Start, starts; Enter on a field opens it)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from game.ai.base import builtin_ids
from game.text import quote
from game.tui.screens.opening import while_open
from game.tui.widgets.field import FieldSelect

LOGO = """[b]C O M P U T E   R A C E[/b]
the US–China race for AI, one quarter at a time"""

MENU = (
    ("solo", "New game against the AI"),
    ("hotseat", "Hot-seat: two players, one keyboard"),
    ("watch", "Watch the AI play itself"),
    ("load", "Load a save"),
    ("codex", "Codex: how the race works"),
    ("quit", "Quit"),
)


class TitleScreen(Screen):
    BINDINGS = [Binding("n", "pick('solo')", "New game"), Binding("l", "pick('load')", "Load"),
                Binding("q", "pick('quit')", "Quit")]

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static(LOGO, id="logo")
            with Center():
                yield OptionList(*[Option(label, id=key) for key, label in MENU], id="menu")
            yield Static("↑/↓ choose · Enter select · ? help · ctrl+p commands", id="title-keys")
        yield Footer(compact=True)

    @while_open
    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(event.option.id or "")

    def action_pick(self, key: str) -> None:
        if key in ("solo", "hotseat", "watch"):
            self.app.push_screen(NewGameScreen(key))
        elif key == "load":
            self.app.action_load()
        elif key == "codex":
            self.app.action_codex()
        elif key == "quit":
            self.app.exit()


class NewGameScreen(Screen):
    """Side, difficulty, scenario and seed (or the two strategies to watch). The first field has focus and Enter on
    a field opens it: with Start focused, a player who meant to open the side selector started as the US. Starting
    is its own act: the Start button (Tab to it) or s."""

    BINDINGS = [Binding("escape", "app.back", "Back"), Binding("s", "start", "Start"),
                # On the seed field and the button ↑/↓ go field to field (on a closed selector they open it).
                Binding("up", "app.focus_previous", "Previous", show=False),
                Binding("down", "app.focus_next", "Next", show=False)]
    AUTO_FOCUS = "#form Select"  # the first field (Textual focuses it when the screen opens)

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode

    def compose(self) -> ComposeResult:
        app = self.app
        scenarios = sorted(app.content.scenarios)
        titles = {"solo": "New game against the AI", "hotseat": "Hot-seat game", "watch": "Watch AI against AI"}
        strategies = builtin_ids(app.content.root)
        with Vertical(id="form"):
            yield Static(f"[b]{titles[self.mode]}[/b]", id="form-title")
            if self.mode == "solo":
                yield self.field("You play", FieldSelect([("United States", "us"), ("China", "cn")], value="us",
                                                    allow_blank=False, compact=True, id="side"))
                yield self.field("Opponent", FieldSelect([(d, d) for d in ("easy", "normal", "hard")], value="normal",
                                                    allow_blank=False, compact=True, id="difficulty"))
            if self.mode == "watch":
                # Strategy ids are file names and scenario names come from files: plain text, never markup.
                yield self.field("US plays", FieldSelect([(Content(s), s) for s in strategies], value="normal",
                                                    allow_blank=False, compact=True, id="us"))
                yield self.field("China plays", FieldSelect([(Content(s), s) for s in strategies], value="hard",
                                                       allow_blank=False, compact=True, id="cn"))
            yield self.field("Scenario", FieldSelect([(Content(app.content.scenarios[k].name), k) for k in scenarios],
                                                value="2025" if "2025" in scenarios else scenarios[0],
                                                allow_blank=False, compact=True, id="scenario"))
            # Empty: a new random seed (the turn report shows it, to play the same game again).
            seed = Input("", placeholder="new each game", type="integer", id="seed", max_length=18, compact=True)
            seed.cursor_blink = app.cursor_blink
            yield self.field("Seed", seed)
            yield Static("", id="form-problem")
            with Center():
                yield Button("Start", id="start", variant="primary")
        yield Footer(compact=True)

    @staticmethod
    def field(label: str, widget) -> Horizontal:
        return Horizontal(Static(label, classes="form-label"), widget, classes="form-row")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter on the seed goes on to Start, which starts only when pressed."""
        event.stop()
        self.query_one("#start", Button).focus()

    def action_start(self) -> None:
        fields = self.query(Select)
        if not fields or any(field.value is Select.NULL for field in fields):
            return  # Start clicked (or s pressed) as the form opens: its fields have no values yet
        text = self.query_one("#seed", Input).value.strip()
        seed: int | None = None
        try:
            if text:
                seed = int(text)
                if not 0 <= seed < 2**63:
                    raise ValueError
        except ValueError:
            self.query_one("#form-problem", Static).update(
                Content.from_markup("[$error]Seed: expected a whole number from 0, found $found[/]", found=quote(text)))
            return
        choice = {"seed": seed, "scenario": self.query_one("#scenario", Select).value, "mode": self.mode}
        if self.mode == "solo":
            choice["side"] = self.query_one("#side", Select).value
            choice["difficulty"] = self.query_one("#difficulty", Select).value
        if self.mode == "watch":
            choice["us"] = self.query_one("#us", Select).value
            choice["cn"] = self.query_one("#cn", Select).value
        self.app.new_game(**choice)
