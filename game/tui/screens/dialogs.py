"""Small dialogs: confirm, and type a name. Each answers once (a key pressed twice must not close the screen below)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("enter,y", "answer(True)", "Yes"), Binding("escape,n", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question)
            yield Static("[b]Enter[/b]/[b]y[/b] yes · [b]Esc[/b]/[b]n[/b] no", classes="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        answer_once(self, yes)


class NameScreen(ModalScreen[str | None]):
    """Ask for a name (a save's); the caller checks it and says what is wrong."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, value: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.prompt)
            name = Input(self.value, id="name")
            name.cursor_blink = self.app.cursor_blink
            yield name
            yield Static("[b]Enter[/b] save · [b]Esc[/b] cancel", classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        answer_once(self, event.value)

    def action_cancel(self) -> None:
        answer_once(self, None)


def answer_once(screen: ModalScreen, value) -> None:
    if not getattr(screen, "answered", False):
        screen.answered = True
        screen.dismiss(value)
