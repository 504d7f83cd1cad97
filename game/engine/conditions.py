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


def evaluate(world: World, conditions: tuple[CompiledCondition, ...],
             figures: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Where every condition holds, (batch,) bool. `figures`: a dict to keep the figures read in, for callers
    that evaluate many conditions on one state (a figure such as deployment is worth reading once)."""
    ok: np.ndarray | None = None
    for cond in conditions:
        values = None if figures is None else figures.get(cond.field)
        if values is None:
            values = observe.figure(world, cond.field)
            if figures is not None:
                figures[cond.field] = values
        if cond.side >= 0:
            values = values[:, cond.side]
        holds = OPS[cond.op](values, cond.value)
        ok = holds if ok is None else ok & holds
    return np.ones(world.batch, dtype=bool) if ok is None else ok
