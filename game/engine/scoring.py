"""Winning (rules 2, DESIGN.md "Winning"): the lead track, a decisive lead, bankruptcy.

Each quarter both sides get the world's verdict (engine.observe.verdict: each side's share of five parts,
weighted in scoring.toml) and the quarter adds 100 x its weight x the weighted verdict to each side's
total; the quarter weights sum to 1 over the scenario. Then, in this order:
  (1) a decisive lead - a side whose best model is in the decisive capability tier, whose deployment is
      past its bar and whose lead is at least the decisive margin wins at once (both at once, which only
      a margin of 0 allows: the higher total, else a draw);
  (2) bankruptcy - a side past its debt limit for `bankrupt_quarters` quarters in a row loses; both at
      once is a draw;
  (3) the last quarter - the higher total wins unless the totals are within tie_margin; then the lead in
      months (more than 0.01), then cumulative AI revenue; a draw only if all three are level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import jit, mathx, observe
from game.engine.state import BANKRUPTCY, CN, DECISIVE, DRAW, LEAD_TIE_MONTHS, TRACK, US, by_turn

if TYPE_CHECKING:
    from game.engine.state import World


def decide(a: np.ndarray, b: np.ndarray, margin: float) -> np.ndarray:
    """0 where a wins, 1 where b wins, -1 where level within margin."""
    return np.where(a > b + margin, 0, np.where(b > a + margin, 1, -1))


def decisive(world: World) -> np.ndarray:
    """(batch, 2): whether each side holds a decisive lead now (the sudden-death win)."""
    if jit.active(world.batch):
        from game.engine.kernels import scoring as k

        return k.decisive(world)
    t = world.tables
    sc = t.scoring
    hit = world.model_log10_eff >= t.decisive_log10
    if mathx.some(hit):  # deployment and the lead matter only where the model is in the tier
        hit = hit & (observe.deployment(world) >= sc.decisive_deployment) \
            & (observe.lead_months(world) >= sc.decisive_margin_months)
    return hit


def settle(world: World) -> None:
    if jit.active(world.batch):
        from game.engine.kernels import scoring as k

        k.settle(world)
        return
    t = world.tables
    sc = t.scoring
    observe.refresh(world, capability=False)  # the models layer set it from the frontier this quarter
    live = ~world.done
    all_live = mathx.every(live)
    gained = 100.0 * world.verdict
    gained *= t.verdict_weights
    gained *= by_turn(t.quarter_weight, world.turn)[..., None]
    if all_live:  # the usual batch: no game's track stands still
        world.track_parts += gained
        world.track += mathx.rowsum(gained)
    else:
        world.track_parts[:] = np.where(live[:, None, None], world.track_parts + gained, world.track_parts)
        world.track[:] = np.where(live[:, None], world.track + mathx.rowsum(gained), world.track)

    def tiebreak(first: np.ndarray) -> np.ndarray:
        w = first
        lead = observe.lead_months(world)
        for a, b, margin in ((world.track[:, 0], world.track[:, 1], sc.tie_margin),
                             (lead[:, 0], lead[:, 1], LEAD_TIE_MONTHS),
                             (world.cum_revenue_busd[:, 0], world.cum_revenue_busd[:, 1], 1e-9)):
            w = np.where(w < 0, decide(a, b, margin), w)
        return np.where(w < 0, DRAW, w)

    won = decisive(world)
    broke = world.debt_quarters >= t.rules.money.bankrupt_quarters
    last = world.turn >= t.scenario.turns
    if all_live:
        ends = mathx.some(won) or mathx.some(broke) or mathx.some(last)
    else:
        ends = mathx.some(live & (won[:, 0] | won[:, 1] | broke[:, 0] | broke[:, 1] | last))
    if not ends:
        return  # nothing ends this quarter (the common case: skip the verdicts)
    winner = np.full(world.batch, -1, dtype=np.int64)
    reason = np.zeros(world.batch, dtype=np.int64)
    both = won[:, 0] & won[:, 1]
    first = np.where(both, decide(world.track[:, 0], world.track[:, 1], sc.tie_margin), -1)
    lead_winner = np.where(both, np.where(first < 0, DRAW, first), np.where(won[:, 0], US, CN))
    hit = live & (won[:, 0] | won[:, 1])
    winner = np.where(hit, lead_winner, winner)
    reason = np.where(hit, DECISIVE, reason)

    hit = live & (reason == 0) & (broke[:, 0] | broke[:, 1])
    bust_winner = np.where(broke[:, 0] & broke[:, 1], DRAW, np.where(broke[:, 0], CN, US))
    winner = np.where(hit, bust_winner, winner)
    reason = np.where(hit, BANKRUPTCY, reason)

    hit = live & (reason == 0) & last
    winner = np.where(hit, tiebreak(np.full(world.batch, -1)), winner)
    reason = np.where(hit, TRACK, reason)

    ended = live & (reason > 0)
    world.winner[:] = np.where(ended, winner, world.winner)
    world.reason[:] = np.where(ended, reason, world.reason)
    world.done[:] = world.done | ended
