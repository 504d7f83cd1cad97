"""Evaluate content conditions (figure, op, value) on the true state, vectorised over the batch.

The figures a condition may name are declared in game/schema.py (CONDITION_GLOBALS, CONDITION_SIDES).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import observe
from game.engine.tables import OPS, CompiledCondition

if TYPE_CHECKING:
    from game.engine.state import World


def evaluate(world: World, conditions: tuple[CompiledCondition, ...]) -> np.ndarray:
    ok = np.ones(world.batch, dtype=bool)
    for cond in conditions:
        values = observe.figure(world, cond.field)
        if cond.side >= 0:
            values = values[:, cond.side]
        ok &= OPS[cond.op](values, cond.value)
    return ok
