"""The Compute Race app: which screen comes next, and the keys that work everywhere.

The app holds a Session (the game) and moves between screens; the engine decides everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from game.content import load_content
from game.engine import Orders
from game.session import SIDE_IDS, AiMoves, Report, Seat, Session
from game.text import one_line, path_text
from game.tui.theme import THEMES


class OpponentDecided(Message):
    """The AI seats of `session` have chosen their moves (posted from the thinking worker)."""

    def __init__(self, session: Session, moves: AiMoves) -> None:
        super().__init__()
        self.session = session
        self.moves = moves


@attrs.frozen
class Launch:
    """How the app starts: the title screen, or straight into a game."""

    mode: str = "title"                 # title | solo | hotseat | watch | load
    side: str = "us"
    difficulty: str = "normal"
    scenario: str = "2025"
    seed: int = 1
    us: str = "normal"
    cn: str = "hard"
    load: str = ""
    content_dir: str | None = None
    saves_dir: str | None = None
    theme: str = "compute-race"


class ComputeRaceApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Compute Race"
    # Screens get -short / -tall and -narrow / -wide classes; the stylesheet uses the room a big terminal gives.
    # Below 80x24 (-too-narrow, -too-short) a notice covers the screen instead (game/tui/widgets/size_notice.py).
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (24, "-short"), (34, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (80, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "quit_game", "Quit", priority=True),
        Binding("ctrl+s", "save", "Save"),
        Binding("question_mark,f1", "help", "Help"),
        Binding("c", "charts", "Charts"),
        Binding("x", "codex", "Codex"),
    ]

    def __init__(self, launch: Launch | None = None, *, cursor_blink: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.cursor_blink = cursor_blink  # tests turn it off for stable screenshots
        self.launch = launch or Launch()
        self.content = load_content(Path(self.launch.content_dir) if self.launch.content_dir else None)
        self.session: Session | None = None
        self.viewer: int | None = None
        self.saved_turn = 0
        self.replay_path = ""
        self.last_report = None
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = self.launch.theme

    # -- starting --------------------------------------------------------------------------------
    def on_mount(self) -> None:
        from game.tui.screens.title import TitleScreen

        self.screen_change_signal.subscribe(self, self._add_size_notice)
        self._add_size_notice(self.screen)
        self.push_screen(TitleScreen())
        mode = self.launch.mode
        if mode in ("solo", "hotseat", "watch"):
            self.new_game(mode=mode, side=self.launch.side, difficulty=self.launch.difficulty,
                          scenario=self.launch.scenario, seed=self.launch.seed, us=self.launch.us, cn=self.launch.cn)
        elif mode == "load":
            self.load_from(self.launch.load)

    def new_game(self, *, mode: str, scenario: str, seed: int, side: str = "us", difficulty: str = "normal",
                 us: str = "normal", cn: str = "hard") -> None:
        if mode == "solo":
            me = SIDE_IDS.index(side)
            seats = [Seat("human"), Seat("human")]
            seats[1 - me] = Seat("ai", difficulty)
        elif mode == "hotseat":
            seats = [Seat("human"), Seat("human")]
        else:
            seats = [Seat("ai", us), Seat("ai", cn)]
        try:
            session = Session((seats[0], seats[1]), scenario=scenario, seed=seed, content=self.content)
        except ValueError as exc:  # a bad scenario or strategy: say so, stay where we are
            self.notify(one_line(str(exc)), title="Cannot start", severity="error", markup=False)
            return
        self.start(session)

    def start(self, session: Session, path: str = "") -> None:
        self.session = session
        self.saved_turn = session.turn
        self.replay_path = path
        self.viewer = session.humans[0] if session.mode == "solo" else None
        self.show_next()

    # The stack: Textual's default screen, the title, then the game's current screen, then overlays.
    GAME_LEVEL = 3

    def show(self, screen: Screen) -> None:
        """Make `screen` the game's current screen, closing overlays (the title stays beneath)."""
        while len(self.screen_stack) > self.GAME_LEVEL:
            self.pop_screen()
        if len(self.screen_stack) == self.GAME_LEVEL:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_overlay(self, screen: Screen) -> None:
        """Help, codex, charts, dashboard: one at a time (opening another replaces the one on top)."""
        from game.tui.screens.charts import ChartsScreen
        from game.tui.screens.codex import CodexScreen
        from game.tui.screens.dashboard import DashboardScreen
        from game.tui.screens.help import HelpScreen

        if type(self.screen) is type(screen):
            return
        if isinstance(self.screen, (ChartsScreen, CodexScreen, DashboardScreen, HelpScreen)):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_back(self) -> None:
        """Close an overlay (help, codex, charts, a form); never the title screen."""
        if len(self.screen_stack) > self.GAME_LEVEL - 1 and not (
                len(self.screen_stack) == self.GAME_LEVEL and self.session is not None):
            self.pop_screen()

    def show_next(self) -> None:
        from game.tui.screens.handover import HandoverScreen
        from game.tui.screens.planning import PlanningScreen
        from game.tui.screens.watch import WatchScreen

        s = self.session
        if s is None:
            return
        if s.over:
            self.game_finished()
        elif s.mode == "watch":
            self.show(WatchScreen(s))
        elif s.mode == "hotseat":
            self.viewer = None
            self.show(HandoverScreen(s.waiting_for()[0], s.date()))
        else:
            self.show(PlanningScreen(s, s.humans[0]))

    # -- the turn --------------------------------------------------------------------------------
    def after_handover(self, side: int) -> None:
        from game.tui.screens.planning import PlanningScreen

        self.viewer = side
        self.show(PlanningScreen(self.session, side))

    def submit_orders(self, side: int, orders: Orders) -> None:
        from game.tui.screens.handover import HandoverScreen
        from game.tui.screens.planning import PlanningScreen

        s = self.session
        s.submit(side, orders)
        waiting = s.waiting_for()
        if waiting:
            self.viewer = None
            self.show(HandoverScreen(waiting[0], s.date()))
            return
        if s.strategies:  # the opponent decides off the interface thread; the report opens when it has
            if isinstance(self.screen, PlanningScreen):
                self.screen.rival_thinking()
            self.think(s)
            return
        self.show_report(s.resolve())

    # -- the opponent thinks in a worker -----------------------------------------------------------
    @work(thread=True, exclusive=True, group="opponent")
    def think(self, session: Session) -> None:
        """The AI seats' decision (a search can take a while): the screen stays live, the result comes back
        as a message. A newer game's worker replaces this one; a replaced worker's moves are dropped."""
        moves = session.think()
        if not get_current_worker().is_cancelled:
            self.post_message(OpponentDecided(session, moves))

    def on_opponent_decided(self, message: OpponentDecided) -> None:
        from game.tui.screens.watch import WatchScreen

        s = self.session
        if message.session is not s or s.over or message.moves.turn != s.turn or s.waiting_for():
            return  # a game left behind, or a quarter already resolved
        report = s.resolve(message.moves)
        if s.mode == "watch":
            self.last_report = report
            self.turn_resolved()
            below = self.screen_stack[self.GAME_LEVEL - 1] if len(self.screen_stack) >= self.GAME_LEVEL else None
            if isinstance(below, WatchScreen) and below.session is s:
                below.resolved(report)
            return
        self.show_report(report)

    def show_report(self, report: Report) -> None:
        from game.tui.screens.report import ReportScreen

        s = self.session
        self.last_report = report
        self.turn_resolved()
        if s.mode == "solo":
            # The report opens over the planning screen, which is kept for the next quarter.
            self.viewer = s.humans[0]
            while len(self.screen_stack) > self.GAME_LEVEL:
                self.pop_screen()
            self.push_screen(ReportScreen(s, report, self.viewer))
        else:
            self.viewer = None
            self.show(ReportScreen(s, report, self.viewer))

    def after_report(self) -> None:
        from game.tui.screens.planning import PlanningScreen

        s = self.session
        below = self.screen_stack[self.GAME_LEVEL - 1] if len(self.screen_stack) > self.GAME_LEVEL else None
        if s is not None and not s.over and isinstance(below, PlanningScreen) and below.turn < s.turn:
            while len(self.screen_stack) > self.GAME_LEVEL:
                self.pop_screen()
            below.new_quarter()
            return
        self.show_next()

    def turn_resolved(self) -> None:
        """After every resolved quarter: the autosave."""
        from game.saves import autosave, saves_dir

        try:
            self.replay_path = str(autosave(self.session, saves_dir(self.launch.saves_dir)))
        except (OSError, ValueError) as exc:
            self.notify(one_line(f"Autosave failed: {exc}"), severity="warning", markup=False)

    def game_finished(self) -> None:
        from game.tui.screens.gameover import GameOverScreen

        self.show(GameOverScreen(self.session, self.replay_path))

    @staticmethod
    def _add_size_notice(screen: Screen) -> None:
        """Every screen carries the notice shown when the terminal is below 80x24 (hidden otherwise)."""
        from game.tui.widgets.size_notice import SizeNotice

        if not screen.query_children(SizeNotice):
            screen.mount(SizeNotice())

    # -- keys that work everywhere -----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("charts", "save") and self.session is None:
            return False
        if action == "charts" and self.session is not None and self.session.mode == "hotseat" and self.viewer is None:
            return False  # a hand-over or a reveal: no one's private view is on show
        return True

    def action_help(self) -> None:
        from game.tui.screens.help import HelpScreen

        self.open_overlay(HelpScreen())

    def action_codex(self) -> None:
        from game.tui.screens.codex import CodexScreen

        self.open_overlay(CodexScreen(self.content))

    def action_charts(self) -> None:
        from game.tui.screens.charts import ChartsScreen

        if self.session is not None:
            self.open_overlay(ChartsScreen(self.session, self.viewer))

    def action_to_title(self) -> None:
        while len(self.screen_stack) > self.GAME_LEVEL - 1:
            self.pop_screen()
        self.session = None

    def unsaved(self) -> bool:
        s = self.session
        return s is not None and not s.over and s.turn != self.saved_turn

    def action_quit_game(self) -> None:
        from game.tui.screens.dialogs import ConfirmScreen

        if not self.unsaved():
            self.exit()
            return
        note = f" (autosaved: {path_text(self.replay_path)})" if self.replay_path else ""
        self.push_screen(ConfirmScreen(f"This game has quarters you have not saved under a name{note}.\n"
                                       "Quit anyway?"), lambda yes: self.exit() if yes else None)

    def action_save(self) -> None:
        from game.tui.screens.dialogs import NameScreen

        if self.session is None:
            return
        default = f"{self.session.scenario_spec}-{self.session.seed}-q{self.session.turn}"
        self.push_screen(NameScreen("Save the game as:", default), self._save_as)

    def _save_as(self, name: str | None, overwrite: bool = False) -> None:
        from game.tui.screens.dialogs import ConfirmScreen

        if name is None:
            return
        from game.saves import SaveError, save_path, saves_dir, write_save

        try:
            path = save_path(saves_dir(self.launch.saves_dir), name)
            if path.exists() and not overwrite:
                self.push_screen(ConfirmScreen(f"{path.name} exists. Overwrite it?"),
                                 lambda yes: self._save_as(name, True) if yes else None)
                return
            write_save(path, self.session, name)
        except (SaveError, OSError) as exc:
            self.notify(one_line(str(exc)), title="Not saved", severity="error", markup=False)
            return
        self.saved_turn = self.session.turn
        self.notify(f"Saved to {path_text(path)}", title="Saved", markup=False)

    def action_load(self) -> None:
        from game.saves import SaveError, saves_dir
        from game.tui.screens.load import LoadScreen

        try:
            folder = saves_dir(self.launch.saves_dir)
        except (OSError, SaveError) as exc:
            self.notify(one_line(f"Cannot read the saves folder: {exc}"), severity="error", markup=False)
            return
        # The screen reads the folder in a worker: it opens at once however many saves there are.
        self.push_screen(LoadScreen(folder), lambda path: self.load_from(path) if path else None)

    def load_from(self, path: str) -> None:
        from game.saves import SaveError, load_game
        from game.tui.screens.dialogs import ConfirmScreen

        try:
            restored = load_game(path, self.content)
        except (SaveError, OSError) as exc:
            self.notify(one_line(str(exc)), title="Cannot load", severity="error", markup=False)
            return
        if restored.mismatch:
            self.push_screen(ConfirmScreen(f"{restored.mismatch}\nContinue from quarter "
                                           f"{restored.matched_turns}, the last that matches?"),
                             lambda yes: self.start(restored.session, str(path)) if yes else None)
            return
        self.start(restored.session, str(path))

    # -- the command palette -------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from game.tui.screens.title import NewGameScreen

        yield SystemCommand("New game", "Start a new game against the AI", lambda: self.push_screen(NewGameScreen("solo")))
        if self.session is not None:
            yield SystemCommand("Save", "Save the game under a name", self.action_save)
        yield SystemCommand("Load", "Load a saved game", self.action_load)
        yield SystemCommand("Codex", "How the race works, with the real figures", self.action_codex)
        yield SystemCommand("Help", "Every key binding", self.action_help)
        yield SystemCommand("Quit", "Quit the game", self.action_quit_game)
        for command in super().get_system_commands(screen):
            if command.title not in ("Quit", "Screenshot"):  # ours asks before losing a game; no stray files
                yield command

