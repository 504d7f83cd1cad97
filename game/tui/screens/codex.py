"""The codex: each mechanic explained, with the real figures and sources the content carries."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Markdown, OptionList

from game.tui.codex import fit_tables, topics
from game.tui.screens.opening import while_open


class CodexScreen(Screen):
    BINDINGS = [Binding("escape,x", "app.back", "Back")]

    def __init__(self, content) -> None:
        super().__init__()
        self.topics = topics(content)
        self.shown = 0          # the topic on the page
        self.page_width = 0     # the width its tables were fitted to

    def compose(self) -> ComposeResult:
        with Horizontal(id="codex"):
            yield OptionList(*[Content(t.title) for t in self.topics], id="codex-topics")
            with VerticalScroll(id="codex-page"):
                # The page is built from content files, which a modder writes: a link in one is shown, never opened.
                yield Markdown(self.topics[0].body, id="codex-body", open_links=False)
        yield Footer(compact=True)

    @while_open
    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.shown = event.option_index
        self.show_page()
        self.query_one("#codex-page").scroll_home(animate=False)

    @while_open
    def show_page(self) -> None:
        """The topic's page, its tables fitted to the page's width (a table too wide for it becomes a list)."""
        page = self.query_one("#codex-page")
        self.page_width = page.size.width
        # The Markdown widget takes 2 cells a side for a table's frame and padding, and the scroll bar 1.
        self.query_one("#codex-body", Markdown).update(fit_tables(self.topics[self.shown].body, self.page_width - 5))

    @while_open
    def on_resize(self) -> None:
        if self.query_one("#codex-page").size.width != self.page_width:
            self.call_after_refresh(self.show_page)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#codex-page").focus()
