"""Small dialogs: confirm, and type a name. Each answers once (a key pressed twice must not close the screen below)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question. A str question is plain text (it often names a path or a save): never markup."""

    BINDINGS = [Binding("enter,y", "answer(True)", "Yes"), Binding("escape,n", "answer(False)", "No")]

    def __init__(self, question: str | Content) -> None:
        super().__init__()
        self.question = question if isinstance(question, Content) else Content(question)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question)
            yield Static("[b]Enter[/b]/[b]y[/b] yes · [b]Esc[/b]/[b]n[/b] no", classes="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        answer_once(self, yes)


class NameScreen(ModalScreen[str | None]):
    """Ask for a name (a save's); the caller checks it and says what is wrong."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str | Content, value: str = "") -> None:
        super().__init__()
        self.prompt = prompt if isinstance(prompt, Content) else Content(prompt)  # plain text, as ConfirmScreen
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
