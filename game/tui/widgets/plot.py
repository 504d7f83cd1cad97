"""textual-plot's PlotWidget, made safe to remove while it is still mounting (a chart closed at once), with an
x axis that reads in quarters, and a title and key above the data instead of a label and legend drawn over it."""

from __future__ import annotations

import math
from collections.abc import Sequence

from textual import events
from textual.css.query import NoMatches
from textual_hires_canvas import Canvas, TextAlign
from textual_plot import PlotWidget
from textual_plot.axis_formatter import AxisFormatter

QUARTER_STEPS = (1, 2, 4, 8, 12, 20, 40, 80)  # quarters between ticks; from a year up, ticks fall on Q1


def quarter_label(year: float) -> str:
    """A calendar year with fractional quarters (2025.25) as the quarter it is: 25Q2."""
    index = round(year * 4)
    return f"{(index // 4) % 100:02d}Q{index % 4 + 1}"


class QuarterAxis(AxisFormatter):
    """Ticks on whole quarters, labelled 25Q2 (never 2025.2)."""

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        first, last = math.ceil(min_ * 4 - 1e-6), math.floor(max_ * 4 + 1e-6)
        for step in QUARTER_STEPS:
            start = first if step < 4 else -(-first // 4) * 4  # a year or more apart: on each year's Q1
            ticks = [q / 4 for q in range(start, last + 1, step)]
            if len(ticks) <= max_ticks:
                return ticks
        return [first / 4, last / 4]

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        return [quarter_label(t) for t in ticks]


class Plot(PlotWidget, can_focus=False, inherit_bindings=False):
    """If the screen closes before the plot's own children mount, there is nothing to lay out: skip it. Our plots
    neither pan nor zoom, so they take no focus and bind no key: the screen's keys choose the chart. (Their pan and
    zoom keys once filled the footer at 80 columns; and a plot focused before its screen's mount took an arrow key
    while it had no width yet, and textual-plot divided by zero.)"""

    BINDINGS = []

    _key: tuple[tuple[str, str], ...] = ()

    def set_key(self, entries: Sequence[tuple[str, str]]) -> None:
        """The series as (name, colour), written at the right of the title row: a legend drawn inside the plot
        sat over the newest data (a rising line ends top right, where textual-plot puts it)."""
        self._key = tuple(entries)
        self.show_legend(is_visible=False)

    def _render_y_label(self) -> None:
        """The title (set_ylabel) from the left edge of the top margin and the key at its right, on a row cleared
        first: textual-plot centres the label on the y axis, which cut a long title on the left ("evenue ($B a
        quarter)") and never cleared the row, so a shorter title kept the tail of the one before ("...er)")."""
        margin = self.query_one("#margin-top", Canvas)
        margin.reset(refresh=False)
        label = self.get_component_rich_style("plot--label")
        if self._key:
            key = "  ".join(f"[{colour}]{name}[/]" for name, colour in self._key)
            margin.write_text(margin.size.width - 1, 0, key, TextAlign.RIGHT)
        if self._y_label:
            margin.write_text(0, 0, f"[{label}]{self._y_label}", TextAlign.LEFT)
        margin.refresh()

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # instead of PlotWidget.on_mount, which assumes its children exist
        try:
            super().on_mount()
        except NoMatches:
            pass

    def _update_margin_sizes(self) -> None:
        try:
            super()._update_margin_sizes()
        except NoMatches:
            pass

    def quarters_on_x(self) -> None:
        """The x axis is calendar years (2025.25 = 2025 Q2): tick and label it by quarter."""
        self.set_x_formatter(QuarterAxis())
        self.set_xticks(None)
