"""Load: the saves in the saves folder, newest first; a broken file is listed with what is wrong.

The folder is read in a worker thread (hundreds of saves take seconds): the screen opens at once, says how many
saves it is reading, keeps answering keys (escape closes it), and fills the list when they are read.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from game.text import cut, escape, one_line
from game.tui.screens.dialogs import answer_once
from game.words import outcome_text

NO_SAVES = "No saves yet: ctrl+s saves a game, and every quarter is autosaved."


class LoadScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    class Counted(Message):
        """The worker found `count` files to read."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    class Read(Message):
        """The worker read the folder: its saves, or why it could not."""

        def __init__(self, infos: list, error: str = "") -> None:
            super().__init__()
            self.infos = infos
            self.error = error

    def __init__(self, folder: str | Path, lengths: dict[str, int] | None = None) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.lengths = lengths or {}  # quarters in each scenario the game knows, by id
        self.infos: list | None = None  # None until the worker has read the folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="load"):
            yield Static("[b]Load a save[/b]")
            yield Static(Content("Reading the saves folder…"), id="load-status")
            saves = OptionList(id="saves")
            saves.display = False
            yield saves
            yield Static("[b]Enter[/b] load · [b]Esc[/b] cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        self.read_folder()

    @work(thread=True, exclusive=True, group="load-saves")
    def read_folder(self) -> None:
        """Every save's summary, off the interface thread. A closed screen's worker is cancelled: its result is
        dropped."""
        from game.saves import SaveError, list_saves

        worker = get_current_worker()
        try:
            count = sum(1 for p in self.folder.glob("*.json") if not p.name.startswith("."))
            if not worker.is_cancelled:
                self.post_message(self.Counted(count))
            infos, error = list_saves(self.folder), ""
        except (OSError, SaveError) as exc:
            infos, error = [], one_line(f"Cannot read the saves folder: {exc}")
        if not worker.is_cancelled:
            self.post_message(self.Read(infos, error))

    def on_load_screen_counted(self, message: Counted) -> None:
        if self.infos is None and message.count:
            self.query_one("#load-status", Static).update(
                Content(f"Reading {message.count} save{'s' if message.count != 1 else ''}…"))

    def on_load_screen_read(self, message: Read) -> None:
        self.infos = message.infos
        status = self.query_one("#load-status", Static)
        if message.error or not self.infos:
            status.update(Content(message.error or NO_SAVES))
            return
        options = []
        for i, info in enumerate(self.infos):
            broken = getattr(info, "error", "")
            name = cut(escape(info.name), 40)
            label = f"{name}: {broken}" if broken else f"{name} · {self.where(info)} · {getattr(info, 'mode', '')}"
            # Plain text, never markup: a file's name and its error come from the disk.
            options.append(Option(Content(one_line(label)), id=str(i), disabled=bool(broken)))
        status.display = False
        saves = self.query_one("#saves", OptionList)
        saves.add_options(options)
        saves.display = True
        saves.highlighted = next((i for i, info in enumerate(self.infos) if not info.error), None)
        saves.focus()

    def where(self, info) -> str:
        """The quarter a save resumes in, counted as the planning title counts it: "quarter 7 of 40"; a finished
        game, how it ended: "finished after 33 quarters: the US won by a decisive lead"."""
        total = self.lengths.get(getattr(info, "scenario", ""))
        played = getattr(info, "turn", 0)
        end = getattr(info, "end", None)
        if end is not None:
            return f"finished after {played} quarters: {outcome_text(*end)}"
        if total is None:
            return getattr(info, "date", "")
        return f"finished after {total} quarters" if played >= total else f"quarter {played + 1} of {total}"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.infos is not None:
            answer_once(self, str(self.infos[int(event.option.id)].path))

    def action_cancel(self) -> None:
        answer_once(self, None)
