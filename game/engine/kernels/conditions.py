"""game/engine/conditions.py for kernels: content conditions as arrays, tested game by game inside a kernel.

The figures a condition names are read off the state by observe.figure, as conditions.evaluate reads them (in
numpy: one read per figure, kept in the caller's `figures`); a kernel then compares them, condition by condition,
with the op's comparison on float64 (what numpy's comparison of an integer or bool figure with a float does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from game.engine import observe
from game.engine.jit import njit
from game.engine.tables import OPS, CompiledCondition

if TYPE_CHECKING:
    from game.engine.state import World

OP_CODE = {op: code for code, op in enumerate(OPS)}  # "<", "<=", ">", ">=", "==", "!=" (holds() below)


class ConditionTable(NamedTuple):
    """Conditions of several owners (events, actions) in one table: a game's owner passes where all of its hold."""

    owner: np.ndarray       # (conditions,) int64: the event or action the condition belongs to
    op: np.ndarray          # (conditions,) int64: OP_CODE
    threshold: np.ndarray   # (conditions,) float64: the condition's value
    reads: tuple[tuple[str, int], ...]  # (figure, side or -1) of each condition


def table(owned: list[tuple[int, tuple[CompiledCondition, ...]]]) -> ConditionTable:
    """The conditions of each (owner, conditions), in order."""
    rows = [(owner, c) for owner, conds in owned for c in conds]
    return ConditionTable(np.array([owner for owner, _ in rows], dtype=np.int64),
                          np.array([OP_CODE[c.op] for _, c in rows], dtype=np.int64),
                          np.array([c.value for _, c in rows], dtype=np.float64),
                          tuple((c.field, c.side) for _, c in rows))


def figures_of(world: World, conds: ConditionTable) -> np.ndarray:
    """(conditions, batch) float64: the figure each condition compares, game by game (each figure read once)."""
    values = np.empty((len(conds.reads), world.batch))
    figures: dict[str, np.ndarray] = {}
    for k, (name, side) in enumerate(conds.reads):
        fig = figures.get(name)
        if fig is None:
            fig = figures[name] = observe.figure(world, name)
        values[k] = fig[:, side] if side >= 0 else fig
    return values


@njit
def holds(op: int, x: float, value: float) -> bool:
    """numpy's comparison OPS[op](x, value) for one game (NaN compares false, except by !=)."""
    if op == 0:
        return x < value
    if op == 1:
        return x <= value
    if op == 2:
        return x > value
    if op == 3:
        return x >= value
    if op == 4:
        return x == value
    return x != value
