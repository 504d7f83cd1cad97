"""What moved in a carried draft: each allocation row whose share the carried orders changed (Advisor.opening keeps a
row's dollars, not its share, and funds a run that was fully funded as fully funded now), with why, so no row drifts
or falls to zero without the screen saying so."""

from __future__ import annotations

import attrs

from game.engine import CATEGORIES, Orders, money
from game.tui.fmt import busd, pct

STEP = 0.001   # the share a person edits in (game.advisor.rounded): a smaller move is no move


@attrs.frozen
class Drift:
    """One row's carried share against last quarter's: the note that says so, and whether it fell hard (to zero,
    or to under half), which flags the row."""

    note: str
    fell: bool


def drifts(session, side: int) -> dict[str, Drift]:
    """Per allocation row that moved between last quarter's orders and this quarter's opening draft (none in the first
    quarter, and none once the game is over)."""
    if not session.turns or session.previous is None or session.over:
        return {}
    last: Orders = session.turns[-1].orders[side]
    advisor = session.advisor(side)
    now: Orders = advisor.opening()
    prev = session.previous
    pot_then = float(money.spendable(prev, money.income(prev))[0, side])
    pot_now = advisor.budget().pot_busd
    out: dict[str, Drift] = {}
    for k in CATEGORIES:
        was, got = float(last.allocation.get(k, 0.0)), float(now.allocation.get(k, 0.0))
        if was <= 0 or abs(was - got) < STEP / 2:
            continue
        then_busd, now_busd = was * pot_then, got * pot_now
        if got <= 0:
            why = f"last quarter's {busd(then_busd)} is under one 0.1% step of this {busd(pot_now)} pot"
        elif abs(now_busd - then_busd) <= STEP / 2 * pot_now + 1e-9:   # the dollars kept (to the step): the pot moved
            why = f"the same {busd(then_busd)} in a {busd(pot_now)} pot ({busd(pot_then)} last quarter)"
        elif k == "training":
            why = f"{busd(now_busd)} funds the run fully now ({busd(then_busd)} last quarter)"
        else:
            why = f"{busd(now_busd)} now, {busd(then_busd)} last quarter"
        digits = 1
        out[k] = Drift(f"carried: {pct(was, digits)} → {pct(got, digits)}: {why}", got < 0.5 * was)
    return out
