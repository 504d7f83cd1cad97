"""Hot-seat hand-over: nothing of either side's orders or state, only whose turn it is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.tui.fmt import SIDE_NAMES, side_tag


class HandoverScreen(Screen):
    BINDINGS = [Binding("enter", "ready", "Ready")]

    def __init__(self, side: int, date: str) -> None:
        super().__init__()
        self.side = side
        self.date = date

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                yield Static(f"{self.date}\n\nPass the keyboard to {side_tag(self.side)} "
                             f"[b]{SIDE_NAMES[self.side]}[/b]\n\n— press Enter when ready —", id="handover")
        yield Footer(compact=True)

    def action_ready(self) -> None:
        self.app.after_handover(self.side)
