"""Charts: both sides over time, as the viewer knew them, drawn with textual-plot."""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual_plot import HiResMode

from game.tui.fmt import SIDE_COLOURS, SIDE_MARKS, SIDE_SHORT
from game.tui.widgets.plot import Plot

METRICS = (
    ("capability", "Capability (0-100)"),
    ("compute_eflops", "Compute (EFLOP/s)"),
    ("revenue_busd", "AI revenue ($B a quarter)"),
    ("track", "Lead track (points)"),
)


class ChartsScreen(Screen):
    BINDINGS = [
        Binding("escape,c", "app.back", "Back"),
        # The title names the four charts; the footer at 80 columns has room for one key that says how to pick them.
        Binding("1", "metric(0)", "Chart", key_display="1-4"),
        Binding("2", "metric(1)", "Compute", show=False),
        Binding("3", "metric(2)", "Revenue", show=False),
        Binding("4", "metric(3)", "Track", show=False),
        Binding("tab", "metric(-1)", "Next", show=False),
    ]

    def __init__(self, session, viewer: int | None, metric: int = 0) -> None:
        super().__init__()
        self.session = session
        self.viewer = viewer
        self.metric = metric

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Plot(id="plot", allow_pan_and_zoom=False)
        yield Static(self.note(), id="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self.draw)  # the plot lays out its axes on its own mount

    def estimated(self, side: int) -> bool:
        """A rival's line is an estimate, except the lead track: its points are public, exact for everyone."""
        return self.viewer is not None and side != self.viewer and METRICS[self.metric][0] != "track"

    def note(self) -> str:
        if self.viewer is None:
            return "Both sides' true figures."
        if not self.estimated(1 - self.viewer):
            return "The lead track is public: both totals are exact."
        return "Rival: intelligence estimates, as you saw them each quarter."

    def action_metric(self, index: int) -> None:
        self.metric = (self.metric + 1) % len(METRICS) if index < 0 else index
        if self.is_mounted:
            self.call_after_refresh(self.draw)

    def quarter_resolved(self) -> None:
        """The game ran on below (watching): draw the new quarter."""
        self.draw()

    def draw(self) -> None:
        try:
            self._draw()
        except NoMatches:  # closed before it was drawn
            pass

    def _draw(self) -> None:
        key, title = METRICS[self.metric]
        s = self.session
        us, cn = s.perspective(self.viewer).series(key)
        years = s.tables.year(np.arange(len(us)))
        plot = self.query_one(Plot)
        plot.clear()
        key = []
        for side, values in ((0, us), (1, cn)):
            label = f"{SIDE_MARKS[side]} {SIDE_SHORT[side]}" + (" (est.)" if self.estimated(side) else "")
            plot.plot(years, np.asarray(values), line_style=SIDE_COLOURS[side], hires_mode=HiResMode.BRAILLE)
            key.append((label, SIDE_COLOURS[side]))
        plot.set_key(key)
        plot.set_xlabel("quarter")
        plot.quarters_on_x()
        plot.set_ylabel(title)
        tabs = "  ".join(f"[reverse] {i + 1} {t.split(' (')[0]} [/]" if i == self.metric else f"{i + 1} {t.split(' (')[0]}"
                         for i, (_k, t) in enumerate(METRICS))
        self.query_one("#title", Static).update(f"[b]Charts[/b] · {s.date()}   {tabs}")
        self.query_one("#hint", Static).update(self.note())
