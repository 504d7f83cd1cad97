"""Chip design: money moves a side up its design ladder (H100 -> B200 -> ...; 910B -> 910C -> ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import jit
from game.engine.mathx import some
from game.engine.state import one_turn

if TYPE_CHECKING:
    from game.engine.state import World

SIDE = np.array([0, 1])


def current_chip(world: World) -> np.ndarray:
    """Chip index each side now designs, (batch, 2)."""
    chip: np.ndarray = world.tables.ladder[SIDE[None, :], world.design_index]
    return chip


def advance(world: World, money: np.ndarray) -> np.ndarray:
    """Spend design money; unlock the next chip when paid for and its year is near. Returns spent."""
    if jit.active(world.batch):
        from game.engine.kernels import design as k

        return k.advance(world, money)
    t = world.tables
    at = (SIDE[None, :], world.design_index)  # each side's step on its ladder
    at_top = t.design_at_top[at]
    spent = np.where(at_top, 0.0, money)
    cost_mod = world.modifiers[:, :, t.mod_index["design_cost"]]
    world.design_progress_busd += spent / cost_mod
    cost = t.design_next_cost[at]
    year = t.year(one_turn(world.turn))[:, None]
    # Money brings a design in no earlier than its year (less rules design_years_early): physics, tools and
    # the memory and packaging around the die set the pace too.
    ready = ~at_top & (world.design_progress_busd >= cost) & (year >= t.design_next_year[at])
    if some(ready):
        world.design_progress_busd[:] = np.where(ready, world.design_progress_busd - cost, world.design_progress_busd)
        world.design_index[:] = np.where(ready, world.design_index + 1, world.design_index)
    return spent
