"""Supply: chips a quarter = wafers x dies x yield, capped by packaging and HBM; packaging build-out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import design, fabs, jit, mathx
from game.engine.mathx import rowsum

if TYPE_CHECKING:
    from game.engine.state import World


def production(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Domestic chips available this quarter: (count, FLOP/s per chip, kW per chip, share of their FLOP made
    in onshore fabs), each (batch, 2)."""
    if jit.active(world.batch):  # fabs' output, onshore share and learning fused into the loop over games
        from game.engine.kernels import supply as k

        return k.production(world)
    t = world.tables
    # Node by side by game throughout (fabs.by_node): the state's node fields copied so once.
    capacity = fabs.nodes_of(world.fab_wafers_per_q)
    state_yields = fabs.nodes_of(world.yields)
    chip = np.ascontiguousarray(design.current_chip(world).T)
    wafers, yields = fabs.output(world, capacity, state_yields)
    chips_by_node = wafers * t.chip_dies_wafer[chip]
    chips_by_node *= yields
    chips_by_node /= t.chip_dies[chip]
    # A chip made on a lesser node than its design node is slower in proportion.
    perf = t.chip_perf_by_node.T[:, chip]
    made = rowsum(chips_by_node, axis=0)
    flops_by_node = chips_by_node * perf
    chip_equivalents = rowsum(flops_by_node, axis=0)
    flops_total = chip_equivalents * t.chip_flops[chip]
    flops_by_node *= fabs.onshore_share(capacity, fabs.nodes_of(world.fab_onshore_wafers_per_q))
    onshore_flops = np.where(made > 0, rowsum(flops_by_node, axis=0) / np.maximum(chip_equivalents, 1e-12), 0.0)
    flops_each = np.where(made > 0, flops_total / np.maximum(made, 1e-9), t.chip_flops[chip])
    fabs.learn(world, wafers, state_yields)
    made = made.T
    pack = world.packaging_chips_per_q * world.modifiers[:, :, t.mod_index["packaging"]]
    count = np.minimum(made, pack)
    world.chips_made[:] = count
    return count, np.ascontiguousarray(flops_each.T), t.chip_kw[chip.T], np.ascontiguousarray(onshore_flops.T)


def build_packaging(world: World, money: np.ndarray) -> np.ndarray:
    """Packaging/HBM capacity bought with `money`, no faster than the build-out cap allows (a share of what
    the side has, or one new line). Returns money spent: what the cap leaves unspent stays in the treasury."""
    if jit.active(world.batch):
        from game.engine.kernels import supply as k

        return k.build_packaging(world, money)
    t = world.tables
    sup = t.rules.supply
    mi = t.mod_index
    cost = sup.packaging_busd_per_kchips_q * world.modifiers[:, :, mi["fab_cost"]]
    growth = sup.packaging_max_growth_per_year * world.modifiers[:, :, mi["packaging_growth"]]
    room = np.maximum(world.packaging_chips_per_q * (mathx.root4(1.0 + growth) - 1.0), sup.packaging_min_add_chips_per_q)
    wanted = money / cost * 1000.0
    added = np.minimum(wanted, room)
    world.packaging_chips_per_q[:] = world.packaging_chips_per_q + added
    spent: np.ndarray = np.where(wanted > room, room * cost / 1000.0, money)
    return spent
