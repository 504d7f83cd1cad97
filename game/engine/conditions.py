"""Evaluate content conditions (field, op, value) on the true state, vectorised over the batch."""

from __future__ import annotations

import numpy as np

from game.engine import mathx, observe
from game.engine.state import CHIPS, MW
from game.engine.tables import OPS, CompiledCondition


def side_field(world, name: str) -> np.ndarray:
    """A per-side figure by its content name, shape (batch, 2)."""
    t = world.tables
    if name == "compute_eflops":
        return world.compute_flops / 1e18
    if name == "fleet_chips":
        return world.fleet_total[:, :, CHIPS]
    if name == "fab_wafers_per_q":
        return mathx.rowsum(world.fab_wafers_per_q)
    if name == "adoption":
        return observe.deployment(world)
    if name == "self_sufficiency":
        return observe.self_sufficiency(world)
    if name == "power_use":
        fleet = world.fleet_total[:, :, MW]
        return fleet / np.maximum(world.power_mw, 1e-9)
    if name == "open_ban":
        return world.modifiers[:, :, t.mod_index["open_ban"]]
    return getattr(world, name).astype(np.float64)


def global_field(world, name: str) -> np.ndarray:
    if name == "year":
        return world.tables.year(world.turn)
    return getattr(world, name).astype(np.float64)


def evaluate(world, conditions: tuple[CompiledCondition, ...]) -> np.ndarray:
    ok = np.ones(world.batch, dtype=bool)
    for cond in conditions:
        values = global_field(world, cond.field) if cond.side < 0 else side_field(world, cond.field)[:, cond.side]
        ok &= OPS[cond.op](values, cond.value)
    return ok
