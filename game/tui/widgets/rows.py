"""Editable order rows: a share (allocation or compute split) and a policy action toggle.

Rows hold no orders: they show the value the planning screen gives them and post a message when
the player asks for a change; the screen keeps the draft and decides what it means.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

BAR_CELLS = 10
BUYS_CELLS = 18  # the most a row gives what its money buys (at 80 columns it gets what is left: 10)
DIGITS = set("0123456789.")


class ShareRow(Widget, can_focus=True):
    """One share: label, percent, dollars, a bar. ←/→ or -/+ move it; typing a number sets it."""

    BINDINGS = [
        Binding("right,plus,equals_sign", "nudge(1)", "+", show=False),
        Binding("left,minus", "nudge(-1)", "-", show=False),
        Binding("shift+right", "nudge(0.1)", "+ fine", show=False),
        Binding("shift+left", "nudge(-0.1)", "- fine", show=False),
        Binding("up", "app.focus_previous", "Up", show=False),
        Binding("down", "app.focus_next", "Down", show=False),
    ]

    COMPONENT_CLASSES = {"share-row--bar", "share-row--buys", "share-row--flag"}
    DEFAULT_CSS = """
    ShareRow > .share-row--buys { color: $text-muted; }
    ShareRow > .share-row--flag { color: $warning; text-style: bold; }
    """

    value: reactive[float] = reactive(0.0)
    dollars: reactive[float | None] = reactive(None)
    typed: reactive[str] = reactive("")
    buys: reactive[tuple[str, ...]] = reactive(())   # what the row's money buys, longest first (allocation rows)
    flagged: reactive[bool] = reactive(False)          # more money buys nothing, or a carried order buys less

    class Changed(Message):
        def __init__(self, row: ShareRow, value: float) -> None:
            super().__init__()
            self.row = row
            self.key = row.key
            self.group = row.group
            self.value = value

    def __init__(self, group: str, key: str, label: str, value: float, step: float, hint: str = "",
                 *, full: float = 1.0, id: str | None = None) -> None:
        super().__init__(id=id or f"{group}-{key}")
        self.group = group
        self.key = key
        self.label = label
        self.step = step
        self.help = hint
        self.detail = ""  # the figures and any flag in words, for the hint line (set by the screen)
        self.key_clause = ""  # the part of `detail` never to cut: a carried row's move, why more buys nothing
        self.full = full  # the share that fills the bar
        self.set_reactive(ShareRow.value, value)

    @property
    def hint(self) -> str:
        """The hint line for this row: what its money buys and why more buys nothing, then what it is."""
        return " · ".join(part for part in (self.detail, self.help) if part)

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{self.label:<12}", style="bold" if self.has_focus else "")
        text.append(" − ", style="reverse" if self.has_focus else "dim")
        if self.typed:
            text.append(f"{self.typed + '▏':>6}", style="bold underline")
        else:
            text.append(f"{100 * self.value:5.1f}%")
        text.append(" + ", style="reverse" if self.has_focus else "dim")
        if self.dollars is not None:
            text.append(f"{self.dollars:6.1f}B" + ("" if self.buys else " "))
        if self.buys:
            return self._with_buys(text)
        cells = max(BAR_CELLS, self.size.width - 33)  # the bar takes what the row leaves
        filled = max(0.0, min(1.0, self.value / self.full)) * cells
        text.append("█" * int(filled) + ("▌" if filled - int(filled) >= 0.5 else ""),
                    style=self.get_component_rich_style("share-row--bar", partial=True))
        return text

    def _with_buys(self, text: Text) -> Text:
        """The figure that fits after the dollars (`!` before it flags the row), then the bar in what it leaves
        (none at 80 columns)."""
        room = max(0, self.size.width - text.cell_len - 1)
        column = min(room, BUYS_CELLS)
        cells = room - column - 1
        mark = "!" if self.flagged else " "
        text.append(mark, style=self.get_component_rich_style("share-row--flag", partial=True))
        fits = [b for b in self.buys if len(b) <= column]
        figure = fits[0] if fits else ""
        style = "share-row--flag" if self.flagged else "share-row--buys"
        text.append(f"{figure:<{column}}", style=self.get_component_rich_style(style, partial=True))
        if cells >= 4:
            filled = max(0.0, min(1.0, self.value / self.full)) * cells
            bar = "█" * int(filled) + ("▌" if filled - int(filled) >= 0.5 else "")
            text.append(" " + bar, style=self.get_component_rich_style("share-row--bar", partial=True))
        return text

    def action_nudge(self, steps: float) -> None:
        self.typed = ""
        new = max(0.0, min(1.0, round(self.value + steps * self.step, 6)))
        self.post_message(self.Changed(self, new))

    def on_click(self, event: events.Click) -> None:
        # The " − " and " + " marks sit right after the 12-cell label; elsewhere a click just focuses.
        if 12 <= event.x < 15:
            self.action_nudge(-1)
        elif 21 <= event.x < 24:
            self.action_nudge(1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.action_nudge(1)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.action_nudge(-1)

    def on_key(self, event: events.Key) -> None:
        char = event.character or ""
        if char in DIGITS and char:
            if len(self.typed) < 5:
                self.typed += char
            event.stop()
        elif event.key == "backspace" and self.typed:
            self.typed = self.typed[:-1]
            event.stop()
        elif event.key == "escape" and self.typed:
            self.typed = ""
            event.stop()
        elif event.key == "enter" and self.typed:
            self.commit()
            event.stop()

    def commit(self) -> None:
        typed, self.typed = self.typed, ""
        try:
            percent = float(typed)
        except ValueError:
            self.app.bell()
            return
        self.post_message(self.Changed(self, max(0.0, min(1.0, percent / 100.0))))

    def on_blur(self) -> None:
        if self.typed:
            self.commit()


class PolicyRow(Widget, can_focus=True):
    """One policy action: space, enter or a click toggles it (and nothing else: the space or Enter after a number
    typed here ticks nothing); a greyed row says why it cannot be taken."""

    BINDINGS = [
        Binding("space,enter", "toggle", "Toggle", show=False),
        Binding("up", "app.focus_previous", "Up", show=False),
        Binding("down", "app.focus_next", "Down", show=False),
    ]

    chosen: reactive[bool] = reactive(False)
    blocked: reactive[str] = reactive("")

    class Toggled(Message):
        def __init__(self, row: PolicyRow) -> None:
            super().__init__()
            self.row = row
            self.policy_id = row.policy_id

    def __init__(self, policy_id: str, name: str, cost_busd: float, hint: str, *, id: str | None = None) -> None:
        super().__init__(id=id or f"policy-{policy_id}")
        self.policy_id = policy_id
        self.label = name
        self.cost_busd = cost_busd
        self.hint = hint
        self.typed = ""  # digits typed on this row since its last key that ticks: a number meant for a share row

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        box = "[x]" if self.chosen else "[ ]"
        style = "dim" if self.blocked else ("bold" if self.has_focus else "")
        text.append(f"{box} ", style=style)
        cost = f"${self.cost_busd:g}B" if self.cost_busd else "free"
        tail = f" {self.blocked}" if self.blocked else f" {cost}"
        room = max(4, self.size.width - 4 - len(tail))
        name = self.label if len(self.label) <= room else self.label[: room - 1] + "…"
        text.append(name, style=style)
        text.append(tail, style="dim italic" if self.blocked else "dim")
        return text

    def action_toggle(self) -> None:
        if self.typed:  # "80 Enter" meant a number for a budget row, not this policy: the Enter is not a tick
            self.typed = ""
            return
        if self.blocked:
            self.app.bell()
            return
        self.post_message(self.Toggled(self))

    def on_click(self) -> None:
        self.typed = ""
        self.action_toggle()

    def on_key(self, event: events.Key) -> None:
        """A number typed here was meant for a share row: say so, and let the space or Enter that ends it tick
        nothing."""
        char = event.character or ""
        if char and char in DIGITS:
            if not self.typed:
                self.app.bell()
                self.notify("A policy takes no number: space or Enter ticks it. Type numbers on a budget or split row.",
                            title="Not a number row", severity="warning", markup=False)
            self.typed += char
            event.stop()
        elif event.key in ("escape", "backspace") and self.typed:
            self.typed = ""
            event.stop()

    def on_blur(self) -> None:
        self.typed = ""


class PolicyList(VerticalScroll):
    """The policy rows, scrolling; its title says how many rows are out of sight and on which side (at 80x24 it
    has room for only a few of them)."""

    TITLE = "Policy actions"

    def hidden(self) -> tuple[int, int]:
        """Rows above and below the part of the list on screen (each row is one line)."""
        rows = len(self.query(PolicyRow))
        shown = self.scrollable_content_region.height
        if not shown:  # not laid out yet
            return 0, 0
        above = min(rows, round(self.scroll_y))
        return above, max(0, rows - above - shown)

    def tell_hidden(self) -> None:
        above, below = self.hidden()
        marks = " ".join(mark for mark in (f"↑{above}" if above else "", f"↓{below}" if below else "") if mark)
        self.border_title = f"{self.TITLE} · {marks} more" if marks else self.TITLE

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.tell_hidden()

    def on_resize(self) -> None:
        self.call_after_refresh(self.tell_hidden)
