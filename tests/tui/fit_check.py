"""Does a screen fit? Every figure a widget means to show must be on the terminal whole: not cut by an ellipsis or
a panel's edge, not wrapped away from its unit, not in a widget pushed out of its region.

The widget's own text (what it would show with room enough) is compared with the terminal's cells in the widget's
region: each figure of the text, with the unit written beside it, must appear unbroken on one line there. A widget
partly outside what its parent shows counts only if no scrolling parent could bring it into view.
"""

from __future__ import annotations

import re

from textual.widget import Widget
from textual.widgets import Static

from game.tui.widgets.rows import PolicyRow, ShareRow
from tests.tui.screen_lines import screen_lines

# A unit that may follow a figure after one space; a unit written against the figure ($, %, B, /q, ...) is taken
# with it by FIGURE's tail.
SPACED_UNITS = ("ZF/s", "EF/s", "YF/s", "PF/s", "EFLOP/s", "FLOP/s", "MW", "GW", "mo", "pts", "log10", "q",
                "wafers", "chips")
FIGURE = re.compile(r"(?<![\w.])[-+~±≥≤×$−]*\$?\d[\d,]*(?:\.\d+)?[A-Za-z%/¢×]*(?:/q)?"
                    r"(?: (?:" + "|".join(re.escape(u) for u in SPACED_UNITS) + r")(?![\w/]))?")


def figures(text: str) -> list[str]:
    """The figures of `text` with their units, line by line ("3.4 ZF/s", "-$1.2T", "73%", "12.5 mo")."""
    return [m.group(0) for line in text.split("\n") for m in FIGURE.finditer(line)]


def intended_text(widget: Widget) -> str:
    """What `widget` shows given room enough: its own content, before wrapping or cutting."""
    if isinstance(widget, (ShareRow, PolicyRow)):
        return widget.render().plain
    visual = widget.visual if hasattr(widget, "visual") else widget.render()
    plain = getattr(visual, "plain", None)
    return plain if isinstance(plain, str) else str(visual)


def _scrolls(widget: Widget) -> bool:
    return any(a.is_scrollable and (a.allow_vertical_scroll or a.allow_horizontal_scroll)
               for a in widget.ancestors if isinstance(a, Widget))


def problems(app) -> list[str]:
    """Each figure cut or wrapped, and each panel whose text does not fit its region, on the screen shown now."""
    screen = app.screen
    lines = screen_lines(app)
    found: list[str] = []
    for widget in screen.walk_children(Widget):
        if not widget.display or not widget.visible:
            continue
        if not any(isinstance(a, Widget) and not a.display for a in widget.ancestors) and widget.region.area:
            try:
                geometry = screen.find_widget(widget)
            except Exception:  # not on screen at all (behind a layer, or not arranged)
                continue
            region = geometry.region
            shown = region.intersection(geometry.clip)
            name = f"{type(screen).__name__} {type(widget).__name__}#{widget.id or '?'}"
            if shown != region:
                if not _scrolls(widget):
                    found.append(f"{name}: outside its parent's region ({region} shows only {shown})")
                continue
            if not isinstance(widget, (Static, ShareRow, PolicyRow)):
                continue  # a container: only its place is checked; its text is in its children
            rows = [lines[y][region.x:region.right] for y in range(region.y, region.bottom) if 0 <= y < len(lines)]
            text = intended_text(widget)
            for figure in figures(text):
                if not any(figure in row for row in rows):
                    found.append(f"{name}: {figure!r} is cut or wrapped; on screen: {rows!r}")
            title = str(widget.border_title or "")
            for figure in figures(title):
                if figure not in rows[0]:
                    found.append(f"{name} title: {figure!r} is cut; on screen: {rows[0]!r}")
            if isinstance(widget, Static):
                content = widget.content_region
                needed = widget.get_content_height(content.size, app.size, content.width)
                if needed > content.height and widget.styles.overflow_y != "auto":
                    found.append(f"{name}: {needed} lines of text in {content.height}; on screen: {rows!r}")
    return found


def assert_fits(app, where: str) -> None:
    found = problems(app)
    assert not found, f"{where}:\n" + "\n".join(found) + "\n" + "\n".join(screen_lines(app))
