"""Watching AI against AI: both sides revealed, a quarter every tick, the reports in a log."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.text import cut
from game.tui.fmt import FIGURES, markup, pct, side_tag
from game.tui.lead import deploy_text, watch_rows
from game.tui.screens.opening import while_open
from game.tui.screens.report import report_text

SPEEDS = (2.0, 1.0, 0.5, 0.25, 0.1)
LABEL_CHARS = 13  # each side's strategy in the title: two of them and the rest fit 80 columns
KEEP = 12  # reports kept in the log


class WatchScreen(Screen):
    BINDINGS = [
        # Short labels: with the app's keys they fit the footer at 80 columns.
        Binding("space", "pause", "Pause"),
        Binding("n", "step", "Step"),
        Binding("plus,equals_sign", "speed(1)", "Speed", key_display="+/-"),
        Binding("minus", "speed(-1)", "Slower", show=False),
        Binding("d", "dashboard", "Dash"),
    ]

    def __init__(self, session, paused: bool = False) -> None:
        super().__init__()
        self.session = session
        self.paused = paused
        self.speed = 1
        self._timer = None
        self.thinking = False   # a quarter is being decided (in the app's worker)
        self.queued = 0         # `n` presses not yet started

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        with Horizontal(id="watch"):
            with VerticalScroll(id="watch-side"):  # at 80x24 the last figures scroll into view
                yield Static(id="watch-figures")
            yield VerticalScroll(id="watch-log")
        yield Footer(compact=True)

    @while_open
    def on_mount(self) -> None:
        self.query_one("#watch-log", VerticalScroll).anchor()  # the newest report in view, however late it lands
        self.show()
        self._timer = self.set_interval(SPEEDS[self.speed], self.tick, pause=self.paused)

    def show(self) -> None:
        s = self.session
        us, cn = s.seats[0].label, s.seats[1].label
        # The quarter counted as the planning screen counts it (the one about to be played), or the game's end; a
        # seat's label is a strategy id or path: plain text, cut so that the title keeps to one line at 80 columns.
        total = s.tables.scenario.turns
        where = f"finished after {s.turn} quarters" if s.over else f"$date · quarter {s.turn + 1} of {total}"
        self.query_one("#title", Static).update(markup(
            f"[b]Watching[/b] {side_tag(0)} $us v {side_tag(1)} $cn · {where}",
            us=cut(us, LABEL_CHARS), cn=cut(cn, LABEL_CHARS), date=s.date()))
        # The clock in the table's empty corner (in the title it was cut off at 80 columns).
        state = "thinking…" if self.thinking else "paused" if self.paused else f"1 q every {SPEEDS[self.speed]:g}s"
        rows = [f"{state:<16}{'■ US':>10}{'▲ CN':>10}"] + watch_rows(s)
        bar = s.tables.scoring.decisive_deployment
        for key, label, f in FIGURES:
            if key == "adoption":  # against the decisive win's bar, rounded down (59.6% is not 60%)
                label, f = f"deployed/{pct(bar)}", lambda v: deploy_text(v, bar, False)
            a, b = s.figures(0)[key], s.figures(1)[key]
            rows.append(f"{label[:16]:<16}{f(a):>10}{f(b):>10}")  # 10 cells: "317.5 ZF/s"
        self.query_one("#watch-figures", Static).update(Content("\n".join(rows)))

    def tick(self) -> None:
        if not self.thinking:  # a slow opponent is not asked twice: the next tick after it has decided
            self.queued = max(self.queued, 1)
            self.next_quarter()

    def next_quarter(self) -> None:
        """Start deciding the next quarter if one is wanted and none is being decided (the app's worker thinks)."""
        if self.thinking or not self.queued or self.session.over:
            return
        self.queued -= 1
        self.thinking = True
        self.show()
        self.app.think(self.session)

    @while_open
    def resolved(self, report) -> None:
        """The app resolved the quarter this screen asked for: log it, then start the next if one is queued."""
        self.thinking = False
        log = self.query_one("#watch-log", VerticalScroll)
        entries = log.query(Static)
        if len(entries) >= KEEP:
            entries.first().remove()
        log.mount(Static(report_text(self.session, report, None), classes="watch-entry"))
        self.show()
        top = self.app.screen  # a dashboard or charts opened over the game follow it as it runs on
        if top is not self and getattr(top, "session", None) is self.session and hasattr(top, "quarter_resolved"):
            top.call_later(top.quarter_resolved)
        if self.session.over:
            self._timer.pause()
            self.app.game_finished()
            return
        self.next_quarter()

    def action_pause(self) -> None:
        self.paused = not self.paused
        self._timer.pause() if self.paused else self._timer.resume()
        self.show()

    def action_step(self) -> None:
        self.queued += 1
        self.next_quarter()

    def action_speed(self, delta: int) -> None:
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + delta))
        self._timer.stop()
        self._timer = self.set_interval(SPEEDS[self.speed], self.tick, pause=self.paused)
        self.show()

    def action_dashboard(self) -> None:
        from game.tui.screens.dashboard import DashboardScreen

        self.app.open_overlay(DashboardScreen(self.session, None))
