"""The replay viewer: a finished (or saved) game stepped through quarter by quarter, both sides revealed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.schema import OBS_INDEX
from game.tui.fmt import FIGURES, markup, side_tag
from game.tui.screens.opening import while_open
from game.tui.screens.report import report_text


class ReplayScreen(Screen):
    """`session` holds every quarter already: the figures after each and its report. Nothing is re-run here."""

    BINDINGS = [
        Binding("right,n", "step(1)", "Next"),
        Binding("left,p", "step(-1)", "Back"),
        Binding("home", "jump(0)", "Start", show=False),  # in help; the footer at 80 columns has no room
        Binding("end", "jump(-1)", "End", show=False),
        Binding("escape", "app.back", "Close"),
    ]

    def __init__(self, session, at: int = -1) -> None:
        super().__init__()
        self.session = session
        last = len(session.turns)
        self.at = last if at < 0 else min(at, last)

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        with Horizontal(id="watch"):
            with VerticalScroll(id="watch-side"):  # the watch screen's figures column, scrolling at 80x24
                yield Static(id="watch-figures")
            log = VerticalScroll(id="watch-log")
            log.can_focus = False  # the arrow keys and home/end step through the game
            with log:
                yield Static(id="replay-report")
        yield Footer(compact=True)

    @while_open
    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        s = self.session
        n = len(s.turns)
        self.query_one("#title", Static).update(markup(  # a seat's label is a strategy id or path: plain text
            f"[b]Replay[/b] {side_tag(0)} $us v {side_tag(1)} $cn · after quarter {self.at} of {n} · $date",
            us=s.seats[0].label, cn=s.seats[1].label, date=s.date(self.at)))
        truth = s.truth[self.at]
        rows = [f"{'':<16}{'■ US':>10}{'▲ CN':>10}"]  # 10 cells: "317.5 ZF/s"
        for key, label, f in FIGURES:
            us, cn = (f(float(truth[side, OBS_INDEX[key]])) for side in (0, 1))
            rows.append(f"{label[:16]:<16}{us:>10}{cn:>10}")
        us, cn = (float(s.tracks[self.at][side].sum()) for side in (0, 1))
        rows.append(f"{'lead track':<16}{us:>10.1f}{cn:>10.1f}")
        self.query_one("#watch-figures", Static).update(Content("\n".join(rows)))
        body = Content("The start of the game: → steps forward.") if self.at == 0 else \
            report_text(s, s.turns[self.at - 1].report, None, orders=s.turns[self.at - 1].orders)
        self.query_one("#replay-report", Static).update(body)

    def action_step(self, delta: int) -> None:
        self.at = max(0, min(len(self.session.turns), self.at + delta))
        self.show()

    def action_jump(self, where: int) -> None:
        self.at = len(self.session.turns) if where < 0 else where
        self.show()
