"""game/engine/supply.py for big batches: production (with fabs' output, onshore share and learning) and
build_packaging, each one loop over the games giving the numpy path's bits."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine.jit import njit
from game.engine.kernels.fabs import onshore_share1
from game.engine.kernels.mathk import maximum, minimum, root4, rowsum, running_sum

if TYPE_CHECKING:
    from game.engine.state import World


def production(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """supply.production: (count, FLOP/s per chip, kW per chip, onshore share of the FLOP), each (batch, 2)."""
    t = world.tables
    sup = t.rules.supply
    rules = t.node_rules_by_euv
    mi = t.mod_index
    count, flops_each, kw_each, onshore_flops = (np.empty((world.batch, 2)) for _ in range(4))
    modifier_at = np.array([mi["fab_output"], mi["yield_learning"], mi["packaging"]], dtype=np.int64)
    _production(world.fab_wafers_per_q, world.fab_onshore_wafers_per_q, world.yields, world.design_index,
                world.euv_tools, world.duv_tools, world.euv_domestic, world.packaging_chips_per_q, world.modifiers,
                world.chips_made, modifier_at, t.ladder, t.allied_euv, rules.runnable, rules.by_euv, rules.duv_tool,
                rules.duv_yield, float(sup.euv_wafers_per_tool_q), float(sup.duv_wafers_per_tool_q),
                t.node_max_yield, t.node_learn, t.chip_dies_wafer, t.chip_dies, t.chip_perf_by_node, t.chip_flops,
                t.chip_kw, count, flops_each, kw_each, onshore_flops)
    return count, flops_each, kw_each, onshore_flops


@njit
def _production(capacity: np.ndarray, onshore_capacity: np.ndarray, yields: np.ndarray, design_index: np.ndarray,
                euv_tools: np.ndarray, duv_tools: np.ndarray, euv_domestic: np.ndarray, packaging: np.ndarray,
                modifiers: np.ndarray, chips_made: np.ndarray, modifier_at: np.ndarray, ladder: np.ndarray,
                allied_euv: np.ndarray, runnable: np.ndarray, by_euv: np.ndarray, duv_tool: np.ndarray,
                duv_yield: np.ndarray, euv_wafers_per_tool: float, duv_wafers_per_tool: float, max_yield: np.ndarray,
                learn_rate: np.ndarray, dies_wafer: np.ndarray, dies: np.ndarray, perf_by_node: np.ndarray,
                chip_flops: np.ndarray, chip_kw: np.ndarray, count: np.ndarray, flops_each: np.ndarray,
                kw_each: np.ndarray, onshore_flops: np.ndarray) -> None:
    output_at, learning_at, packaging_at = modifier_at[0], modifier_at[1], modifier_at[2]
    nodes = capacity.shape[2]
    few = nodes <= 8  # mathx.rowsum adds up to 8 values one at a time: running_sum, which numba inlines
    cap = np.empty(nodes)
    euv_cap = np.empty(nodes)
    duv_cap = np.empty(nodes)
    chips_by_node = np.empty(nodes)
    flops_by_node = np.empty(nodes)
    for g in range(capacity.shape[0]):
        for s in range(2):
            chip = ladder[s, design_index[g, s]]
            e = 1 if allied_euv[s] or euv_domestic[g, s] else 0  # the node rules' row: without EUV, with it
            # fabs.output: the capacity running, and how much of it the scanners keep busy.
            output_mod = modifiers[g, s, output_at]
            for n in range(nodes):
                cap[n] = capacity[g, s, n] * output_mod if runnable[e, n] else 0.0
                euv_cap[n] = cap[n] if by_euv[e, n] else 0.0
                duv_cap[n] = 0.0 if by_euv[e, n] else cap[n] * duv_tool[e, n]  # x * 1.0 is x: numpy may skip it
            euv_demand = running_sum(euv_cap) if few else rowsum(euv_cap)
            duv_demand = running_sum(duv_cap) if few else rowsum(duv_cap)
            euv_ratio = minimum(1.0, euv_tools[g, s] * euv_wafers_per_tool / maximum(euv_demand, 1e-9))
            duv_ratio = minimum(1.0, duv_tools[g, s] * duv_wafers_per_tool / maximum(duv_demand, 1e-9))
            for n in range(nodes):
                cap[n] = (euv_ratio if by_euv[e, n] else duv_ratio) * cap[n]  # the wafers started
                chips_by_node[n] = cap[n] * dies_wafer[chip] * (yields[g, s, n] * duv_yield[e, n]) / dies[chip]
                # A chip made on a lesser node than its design node is slower in proportion.
                flops_by_node[n] = chips_by_node[n] * perf_by_node[chip, n]
            made = running_sum(chips_by_node) if few else rowsum(chips_by_node)
            chip_equivalents = running_sum(flops_by_node) if few else rowsum(flops_by_node)
            flops_total = chip_equivalents * chip_flops[chip]
            for n in range(nodes):
                flops_by_node[n] = flops_by_node[n] * onshore_share1(capacity[g, s, n], onshore_capacity[g, s, n])
            if made > 0:
                onshore_flops[g, s] = (running_sum(flops_by_node) if few else rowsum(flops_by_node)) / maximum(
                    chip_equivalents, 1e-12)
                flops_each[g, s] = flops_total / maximum(made, 1e-9)
            else:
                onshore_flops[g, s] = 0.0
                flops_each[g, s] = chip_flops[chip]
            kw_each[g, s] = chip_kw[chip]
            # fabs.learn: yield climbs on the nodes that ran (from the yields the wafers were made at).
            learning_mod = modifiers[g, s, learning_at]
            for n in range(nodes):
                if cap[n] > 0:
                    gain = (max_yield[n] - yields[g, s, n]) * minimum(learn_rate[n] * learning_mod, 1.0)
                    yields[g, s, n] = maximum(gain, 0.0) + yields[g, s, n]
            count[g, s] = minimum(made, packaging[g, s] * modifiers[g, s, packaging_at])
            chips_made[g, s] = count[g, s]


def build_packaging(world: World, money: np.ndarray) -> np.ndarray:
    """supply.build_packaging: returns the money spent, (batch, 2)."""
    t = world.tables
    sup = t.rules.supply
    mi = t.mod_index
    spent = np.empty((world.batch, 2))
    _build_packaging(world.packaging_chips_per_q, world.modifiers, mi["fab_cost"], mi["packaging_growth"], money,
                     float(sup.packaging_busd_per_kchips_q), float(sup.packaging_max_growth_per_year),
                     float(sup.packaging_min_add_chips_per_q), spent)
    return spent


@njit
def _build_packaging(packaging: np.ndarray, modifiers: np.ndarray, cost_at: int, growth_at: int, money: np.ndarray,
                     busd_per_kchips: float, max_growth_per_year: float, min_add: float, spent: np.ndarray) -> None:
    for g in range(packaging.shape[0]):
        for s in range(2):
            cost = busd_per_kchips * modifiers[g, s, cost_at]
            growth = max_growth_per_year * modifiers[g, s, growth_at]
            room = maximum(packaging[g, s] * (root4(1.0 + growth) - 1.0), min_add)
            wanted = money[g, s] / cost * 1000.0
            packaging[g, s] = packaging[g, s] + minimum(wanted, room)
            spent[g, s] = room * cost / 1000.0 if wanted > room else money[g, s]
