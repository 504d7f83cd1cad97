"""The terminal as the player sees it, line by line (the compositor's own frame rendered to plain text)."""

from __future__ import annotations

import io

from rich.console import Console


def screen_lines(app) -> list[str]:
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True,
                      color_system="truecolor", legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True))
    lines = console.export_text().split("\n")[:height]
    return [line.ljust(width) for line in lines]
