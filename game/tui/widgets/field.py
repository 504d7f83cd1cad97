"""A form's drop-down (Textual's Select), safe to remove in the moment it mounts: a new-game form closed as it
opened left its Select to look for its own list, already removed, and the game stopped with a traceback."""

from __future__ import annotations

from textual import events
from textual.widgets import Select


class FieldSelect(Select):
    def _on_mount(self, event: events.Mount) -> None:
        if not self.children:  # removed before it mounted: nothing to set up (Select's own handler would fail)
            event.prevent_default()
