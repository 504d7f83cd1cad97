"""game/engine/orders.py for kernels: whether a batch of orders is valid, one pass over the games.

Only the answer "every live game's order is valid" comes from here; where any order may be invalid (or the arrays
are not the usual float64 and bool ones), orders.validate's numpy code looks again and builds the error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine.jit import njit
from game.engine.tables import CATEGORIES, SPLITS

if TYPE_CHECKING:
    from game.engine.orders import OrderBatch
    from game.engine.state import World

# A sum of a few shares in [0, 1] added in another order differs by a few units in the last place (~1e-15):
# within this of a limit the kernel calls the order suspect, and numpy's own sum decides.
SUM_MARGIN = 1e-12


def surely_valid(world: World, orders: OrderBatch, side: int, legal: np.ndarray, most_allocated: float,
                 split_off_by: float) -> bool:
    """True where orders.validate would pass these orders (`legal`: policy.legal_actions; the shares may add up to
    `most_allocated`, the split be `split_off_by` from 1); False where it may raise (it then looks itself)."""
    b = world.batch
    onshore = orders.onshore
    if (orders.allocation.shape != (b, len(CATEGORIES)) or orders.split.shape != (b, len(SPLITS))
            or orders.actions.shape != (b, len(world.tables.actions)) or orders.allocation.dtype != np.float64
            or orders.split.dtype != np.float64 or orders.actions.dtype != np.bool_
            or (onshore is not None and (onshore.shape != (b,) or onshore.dtype != np.float64))
            or legal.shape != orders.actions.shape or legal.dtype != np.bool_):
        return False
    return _valid(world.done, orders.allocation, orders.split, np.zeros(0) if onshore is None else onshore,
                  onshore is not None, orders.actions, world.tables.action_side, side, legal,
                  most_allocated - SUM_MARGIN, split_off_by - SUM_MARGIN)


@njit
def _valid(done: np.ndarray, allocation: np.ndarray, split: np.ndarray, onshore: np.ndarray, has_onshore: bool,
           actions: np.ndarray, action_side: np.ndarray, side: int, legal: np.ndarray, most_allocated: float,
           split_off_by: float) -> bool:
    # Each game's checks and-ed together without branches (an order is seldom invalid: the answer is all that
    # matters, not which check failed), looked at once a game.
    for i in range(done.shape[0]):
        ok = True
        allocated = 0.0
        for k in range(allocation.shape[1]):
            x = allocation[i, k]
            ok &= (0.0 <= x) & (x <= 1.0)  # NaN fails both
            allocated += x
        ok &= not allocated > most_allocated
        split_total = 0.0
        for k in range(split.shape[1]):
            x = split[i, k]
            ok &= (0.0 <= x) & (x <= 1.0)
            split_total += x
        ok &= abs(split_total - 1.0) <= split_off_by
        if has_onshore:
            ok &= (0.0 <= onshore[i]) & (onshore[i] <= 1.0)
        for a in range(actions.shape[1]):
            ok &= not (actions[i, a] & ((action_side[a] != side) | (not legal[i, a])))
        if not (ok | done[i]):  # a game over is never checked
            return False
    return True
