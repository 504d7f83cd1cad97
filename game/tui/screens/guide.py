"""The first-quarter guide: the goal, what a share of the pot is, power, the lead track; figures from content."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.engine.state import VERDICT_PARTS
from game.tui.screens.dialogs import answer_once


def guide_text(session) -> Content:
    """The guide as Content; every figure read from the session's content tables."""
    t = session.tables
    sc = t.scoring
    r = t.rules
    weights = ", ".join(f"{part} {getattr(sc, part):.0%}" for part in VERDICT_PARTS)
    paragraphs = [
        "[b]The goal.[/b] " + f"{t.scenario.turns} quarters, the United States against China. Each quarter a "
        f"verdict in {len(VERDICT_PARTS)} parts ({weights}) adds points to each side's total on the lead track; later quarters "
        f"weigh more (+{sc.quarter_growth_per_year:.0%} a year) and all of them add up to 100 points. The higher "
        f"total at the end wins (within {sc.tie_margin:g} points it is level). A decisive lead wins at once: a "
        f"model in the {sc.decisive_tier} tier, deployment of at least {sc.decisive_deployment:.0%} and a lead of "
        f"at least {sc.decisive_margin_months:g} months.",
        "[b]A share of the pot.[/b] Each budget row is a share of this quarter's pot: your treasury, this "
        "quarter's budget and your credit line. A row's dollars are shown beside it. Shares that add up to more "
        f"than you hold borrow; {r.money.bankrupt_quarters} quarters in a row past the debt limit lose the game. "
        "Next quarter starts from this quarter's orders: each row keeps its dollars (scaled down if the pot "
        "shrank), and a row that then buys less says so.",
        "[b]Power.[/b] Chips run only with power: compute money buys chips only as far as there will be power "
        "for them, and power beyond what the grid connects (off-grid) costs "
        f"{r.supply.power_over_grid_cost_mult:g}x as much. The forecast's power line says how much of the fleet "
        "can run next quarter.",
        "[b]The lead track.[/b] The strip at the top shows both totals, the points still to play, who is ahead "
        "in months, this quarter's verdict by part and each side's way to a decisive win: yours exact, the "
        "rival's (~) as your intelligence estimates it.",
        "Your first draft is [b]the advisor's plan[/b] (what the normal AI would do in your seat): change it, or "
        "press [b]e[/b] to play it.",
    ]
    return Content.from_markup("\n\n".join(paragraphs))


class GuideScreen(ModalScreen[None]):
    """Shown over the first quarter's planning screen until a player dismisses it (the app remembers that)."""

    BINDINGS = [Binding("enter,escape,space", "close", "Got it")]

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="guide"):
            yield Static("[b]First quarter: how to read the race[/b]", id="guide-title")
            with VerticalScroll(id="guide-scroll"):
                yield Static(guide_text(self.session), id="guide-body")
            yield Static("[b]Enter[/b] got it (not shown again) · ↑/↓ scroll · ctrl+p Guide shows it again",
                         classes="dialog-keys")

    def action_close(self) -> None:
        answer_once(self, None)
