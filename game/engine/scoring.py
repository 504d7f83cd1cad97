"""Winning: transformative AI first, then bankruptcy, then the score when time runs out.

Order of checks in one quarter: (1) transformative AI - a side past both bars wins; if both are,
higher capability wins, then higher score, else a draw. (2) bankruptcy - a side past its debt limit
for `bankrupt_quarters` quarters in a row loses; both at once is a draw. (3) the last quarter - the
higher score wins unless the scores are within tie_margin; then higher capability, then higher
cumulative revenue; a draw only if all three are level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import observe

if TYPE_CHECKING:
    from game.engine.state import World

US, CN, DRAW = 0, 1, 2
TAI, BANKRUPTCY, SCORE = 1, 2, 3


def decide(a: np.ndarray, b: np.ndarray, margin: float) -> np.ndarray:
    """0 where a wins, 1 where b wins, -1 where level within margin."""
    return np.where(a > b + margin, 0, np.where(b > a + margin, 1, -1))


def settle(world: World) -> None:
    t = world.tables
    sc = t.scoring
    observe.refresh(world, capability=False)  # the models layer set it from the frontier this quarter
    live = ~world.done
    winner = np.full(world.batch, -1, dtype=np.int64)
    reason = np.zeros(world.batch, dtype=np.int64)

    def tiebreak(first: np.ndarray) -> np.ndarray:
        w = first
        for a, b, margin in ((world.score[:, 0], world.score[:, 1], sc.tie_margin),
                             (world.capability[:, 0], world.capability[:, 1], 1e-9),
                             (world.cum_revenue_busd[:, 0], world.cum_revenue_busd[:, 1], 1e-9)):
            w = np.where(w < 0, decide(a, b, margin), w)
        return np.where(w < 0, DRAW, w)

    tai = world.capability >= sc.tai_capability
    if tai.any():  # deployment matters only where capability is past its bar
        tai = tai & (observe.deployment(world) >= sc.tai_deployment)
    broke = world.debt_quarters >= t.rules.money.bankrupt_quarters
    last = world.turn >= t.scenario.turns
    if not (live & (tai[:, 0] | tai[:, 1] | broke[:, 0] | broke[:, 1] | last)).any():
        return  # nothing ends this quarter (the common case: skip the verdicts)
    both = tai[:, 0] & tai[:, 1]
    first = np.where(both, decide(world.capability[:, 0], world.capability[:, 1], 1e-9), -1)
    tai_winner = np.where(both, tiebreak(first), np.where(tai[:, 0], US, CN))
    hit = live & (tai[:, 0] | tai[:, 1])
    winner = np.where(hit, tai_winner, winner)
    reason = np.where(hit, TAI, reason)

    hit = live & (reason == 0) & (broke[:, 0] | broke[:, 1])
    bust_winner = np.where(broke[:, 0] & broke[:, 1], DRAW, np.where(broke[:, 0], CN, US))
    winner = np.where(hit, bust_winner, winner)
    reason = np.where(hit, BANKRUPTCY, reason)

    hit = live & (reason == 0) & last
    winner = np.where(hit, tiebreak(np.full(world.batch, -1)), winner)
    reason = np.where(hit, SCORE, reason)

    ended = live & (reason > 0)
    world.winner[:] = np.where(ended, winner, world.winner)
    world.reason[:] = np.where(ended, reason, world.reason)
    world.done[:] = world.done | ended
