"""Load: the saves in the saves folder, newest first; a broken file is listed with what is wrong."""

from __future__ import annotations

from textual.content import Content
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.text import cut, escape, one_line
from game.tui.screens.dialogs import answer_once


class LoadScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, infos: list) -> None:
        super().__init__()
        self.infos = infos

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="load"):
            yield Static("[b]Load a save[/b]")
            if self.infos:
                options = []
                for i, info in enumerate(self.infos):
                    broken = getattr(info, "error", "")
                    name = cut(escape(info.name), 40)
                    label = f"{name}: {broken}" if broken else \
                        f"{name} · {getattr(info, 'date', '')} · {getattr(info, 'mode', '')}"
                    # Plain text, never markup: a file's name and its error come from the disk.
                    options.append(Option(Content(one_line(label)), id=str(i), disabled=bool(broken)))
                yield OptionList(*options, id="saves")
            else:
                yield Static("No saves yet: ctrl+s saves a game, and every quarter is autosaved.")
            yield Static("[b]Enter[/b] load · [b]Esc[/b] cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        for options in self.query(OptionList):
            options.highlighted = next((i for i, info in enumerate(self.infos) if not info.error), None)
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        answer_once(self, str(self.infos[int(event.option.id)].path))

    def action_cancel(self) -> None:
        answer_once(self, None)
