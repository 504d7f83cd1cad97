"""The notice that covers a screen while the terminal is smaller than the game's main size, 80x24.

Below it panels would clip figures; a clear request for a bigger terminal is better than a broken screen. The app
mounts one notice on every screen it shows; breakpoint classes on the screen (-too-narrow, -too-short) show it, so
it appears and goes as the terminal is resized, and the game underneath carries on as it was.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

MIN_WIDTH = 80
MIN_HEIGHT = 24


class SizeNotice(Static):
    # Shown by app.tcss: `.-too-narrow SizeNotice, .-too-short SizeNotice { display: block; }`
    DEFAULT_CSS = """
    SizeNotice {
        display: none;
        layer: _loading;
        width: 100%;
        height: 100%;
        content-align: center middle;
        text-align: center;
        background: $background;
        color: $text;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="size-notice")

    def render(self) -> Content:
        width, height = self.app.size
        return Content.from_markup(
            f"[b]This terminal is {width}×{height}.\nCompute Race needs at least {MIN_WIDTH}×{MIN_HEIGHT}.[/b]\n\n"
            "Make the window bigger (or the font smaller).\nThe game carries on as soon as it fits; ctrl+q quits.")
