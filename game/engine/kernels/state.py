"""game/engine/state.py for big batches: whether every float field is finite, in one pass over the state (the
check after each quarter; where one is not, state.check_finite's numpy code finds and names it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine.jit import njit

if TYPE_CHECKING:
    from game.engine.state import World


def all_finite(world: World, names: tuple[str, ...]) -> bool:
    """Whether no float field of the world (`names`: state.FLOAT_FIELDS) holds NaN or infinity."""
    return bool(_all_finite(tuple([getattr(world, name).reshape(-1) for name in names])))


@njit
def _all_finite(fields: tuple[np.ndarray, ...]) -> bool:
    for values in fields:
        finite = True
        for i in range(values.shape[0]):
            # x - x is 0.0 for a finite x and NaN for NaN or infinity; no early exit, so the loop vectorises
            finite &= values[i] - values[i] == 0.0
        if not finite:
            return False
    return True
