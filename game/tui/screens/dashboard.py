"""Dashboard: a side's stack with its history, and the rival as its intelligence sees it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Sparkline, Static

from game.tui.fmt import FIGURES, SIDE_NAMES, markup, side_tag
from game.tui.lead import track_block
from game.tui.screens.opening import is_open, while_open


class DashboardScreen(Screen):
    """`viewer` None shows both sides' true figures (watching, replays); a side sees the rival's estimates."""

    BINDINGS = [Binding("escape,d", "app.back", "Back")]

    def __init__(self, session, viewer: int | None) -> None:
        super().__init__()
        self.session = session
        self.viewer = viewer

    def compose(self) -> ComposeResult:
        s = self.session
        me = 0 if self.viewer is None else self.viewer
        rival = 1 - me
        if self.viewer is None:
            right = f"{side_tag(rival)} {SIDE_NAMES[rival]}"
        else:
            right = f"{side_tag(rival)} est. ±{100 * s.perspective(me).intel_error():.0f}%"
        title = markup(f"[b]Dashboard[/b] · $date · quarter {s.turn} done · model $tier",  # tiers come from content
                       date=s.date(), tier=s.model_tier(me))
        yield Static(title, id="title")
        with VerticalScroll(id="dashboard"):
            yield Static(track_block(s, self.viewer), id="dash-lead")
            yield Static(f"{'':17}{side_tag(me) + ' ' + SIDE_NAMES[me]:<36}{right}", classes="dash-head")
            for key, label, f in FIGURES:
                own, theirs = s.perspective(self.viewer).series(key)
                if me == 1:
                    own, theirs = theirs, own
                mark = "" if self.viewer is None else "~"
                with Horizontal(classes="dash-row"):
                    yield Static(label, classes="dash-label")
                    yield Static(f(own[-1]), classes="dash-value")
                    yield Sparkline(own[-24:], classes=f"dash-spark {('us', 'cn')[me]}")
                    yield Static(mark + f(theirs[-1]), classes="dash-value")
                    yield Sparkline(theirs[-24:], classes=f"dash-spark {('us', 'cn')[rival]}")
        note = ("Rival figures are intelligence estimates of last quarter (~): spend on intelligence to sharpen them."
                if self.viewer is not None else "Both sides' true figures.")
        yield Static(note, id="hint")
        yield Footer(compact=True)

    @while_open
    async def quarter_resolved(self) -> None:
        """The game ran on below (watching): show the new quarter, where the player had scrolled to."""
        scroll_y = self.query_one("#dashboard", VerticalScroll).scroll_y
        await self.recompose()
        if not is_open(self):  # closed while it was being rebuilt
            return
        panel = self.query_one("#dashboard", VerticalScroll)
        panel.call_after_refresh(panel.scroll_to, y=scroll_y, animate=False)
