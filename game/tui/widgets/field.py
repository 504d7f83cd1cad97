"""A form's drop-down (Textual's Select), safe at the edges of its life. A key or click that reaches it before its
parts have mounted, or as its form closes, made Textual's Select look up a part that was not there, and the game
stopped with a traceback (found by seeded monkey runs: a new-game form opened, Enter or closed in one burst)."""

from __future__ import annotations

from textual import events
from textual.widgets import Select

from game.tui.screens.opening import is_live


class FieldSelect(Select):
    def _on_mount(self, event: events.Mount) -> None:
        if not self.children:  # removed before it mounted: nothing to set up (Select's own handler would fail)
            event.prevent_default()

    def action_show_overlay(self) -> None:
        """Open the list, once the field is whole (mounted, and not being removed)."""
        if self.is_mounted and is_live(self):
            super().action_show_overlay()
