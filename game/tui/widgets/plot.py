"""textual-plot's PlotWidget, made safe to remove while it is still mounting (a chart closed at once)."""

from __future__ import annotations

from textual import events
from textual.css.query import NoMatches
from textual_plot import PlotWidget


class Plot(PlotWidget):
    """If the screen closes before the plot's own children mount, there is nothing to lay out: skip it."""

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
