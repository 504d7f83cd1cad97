"""game/engine/litho.py for big batches: buy_tools (with program_delivers) as one loop over the games."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import streams
from game.engine.jit import njit
from game.engine.kernels.design import year1, year_terms
from game.engine.kernels.mathk import _block, maximum, minimum, rowsum, running_sum, uniform1

if TYPE_CHECKING:
    from game.engine.state import World


def buy_tools(world: World, money: np.ndarray) -> np.ndarray:
    """litho.buy_tools: returns the money spent, (batch, 2)."""
    t = world.tables
    sup = t.rules.supply
    mi = t.mod_index
    prices = np.array([sup.euv_price_busd, sup.duv_price_busd, sup.domestic_tool_price_mult], dtype=np.float64)
    supplies = np.array([sup.euv_supply_per_q, sup.duv_supply_per_q, sup.domestic_euv_supply_mult,
                         sup.blocked_duv_supply_mult, sup.domestic_tool_output_mult], dtype=np.float64)
    program = np.array([sup.euv_program_share, sup.euv_program_busd, sup.euv_domestic_earliest_year,
                        sup.euv_domestic_chance_per_q, sup.idle_euv_money_share], dtype=np.float64)
    modifier_at = np.array([mi["tool_price"], mi["tool_supply"], mi["duv_blocked"]], dtype=np.int64)
    spent = np.empty((world.batch, 2))
    _buy_tools(world.euv_tools, world.duv_tools, world.euv_program_busd, world.euv_domestic, world.fab_wafers_per_q,
               world.fab_pipeline, world.fab_pipeline_node, world.modifiers, world.seed, world.turn, money,
               t.allied_euv, t.node_needs_euv, 1.0 - 1.0 / sup.tool_life_quarters, prices, supplies, program, modifier_at,
               *year_terms(t), streams.EUV, spent)
    return spent


@njit
def _buy_tools(euv_tools: np.ndarray, duv_tools: np.ndarray, program_busd: np.ndarray, euv_domestic: np.ndarray,
               wafers: np.ndarray, pipeline: np.ndarray, pipeline_node: np.ndarray, modifiers: np.ndarray,
               seed: np.ndarray, turn: np.ndarray, money: np.ndarray, allied_euv: np.ndarray, needs_euv: np.ndarray,
               keep: float, prices: np.ndarray, supplies: np.ndarray, program: np.ndarray, modifier_at: np.ndarray,
               start_year: float, quarters_before: int, stream: int, spent: np.ndarray) -> None:
    euv_price_busd, duv_price_busd, domestic_price_mult = prices[0], prices[1], prices[2]
    euv_supply, duv_supply, domestic_euv_supply_mult = supplies[0], supplies[1], supplies[2]
    blocked_duv_supply_mult, domestic_output_mult = supplies[3], supplies[4]
    program_share, program_cost_busd, earliest_year, chance_per_q, idle_euv_share = (
        program[0], program[1], program[2], program[3], program[4])
    price_at, supply_at, blocked_at = modifier_at[0], modifier_at[1], modifier_at[2]
    nodes, slots = wafers.shape[2], pipeline.shape[2]
    needed, needed_all = np.empty(nodes), np.empty(nodes)
    piped, piped_all = np.empty(slots), np.empty(slots)
    # mathx.rowsum's order in the calls numba inlines (mathk.rowsum itself is a call per row): one at a time up
    # to 8 values, numpy's pairwise block from 9 to 128
    few_nodes = nodes <= 8
    slots_in_one_block = 8 < slots <= 128
    for g in range(euv_tools.shape[0]):
        due = year1(start_year, quarters_before, turn[g]) >= earliest_year
        for s in range(2):
            # has_euv, and a domestic program's scanners, as the quarter finds them (before this delivery)
            euv = allied_euv[s] or euv_domestic[g, s]
            domestic_euv = euv_domestic[g, s] and not allied_euv[s]
            price_mod = modifiers[g, s, price_at]
            supply_mod = modifiers[g, s, supply_at]
            euv_tools[g, s] = euv_tools[g, s] * keep
            duv_tools[g, s] = duv_tools[g, s] * keep
            program_money = 0.0 if euv else money[g, s] * program_share
            program_money = minimum(program_money, maximum(program_cost_busd - program_busd[g, s], 0.0))
            program_busd[g, s] = program_busd[g, s] + program_money
            # program_delivers: a draw only where a funded program is due (the draws are counter-based)
            if program_busd[g, s] >= program_cost_busd and program_cost_busd > 0 and due:
                if uniform1(seed[g], turn[g], stream, s) < chance_per_q:
                    euv_domestic[g, s] = True
            tool_money = money[g, s] - program_money
            for k in range(slots):
                piped[k] = pipeline[g, s, k] * needs_euv[pipeline_node[g, s, k]]
                piped_all[k] = pipeline[g, s, k]
            for n in range(nodes):
                needed[n] = wafers[g, s, n] * needs_euv[n]
                needed_all[n] = wafers[g, s, n]
            if slots_in_one_block:
                pipe_euv, pipe_all = 0.0 + _block(piped, 0, slots), 0.0 + _block(piped_all, 0, slots)
            else:
                pipe_euv, pipe_all = rowsum(piped), rowsum(piped_all)
            if few_nodes:
                euv_need, total_need = running_sum(needed) + pipe_euv, running_sum(needed_all) + pipe_all
            else:
                euv_need, total_need = rowsum(needed) + pipe_euv, rowsum(needed_all) + pipe_all
            euv_share = euv_need / maximum(total_need, 1e-9) if total_need > 0 else idle_euv_share
            euv_money = tool_money * (euv_share if euv else 0.0)
            duv_money = tool_money - euv_money
            euv_price = euv_price_busd * price_mod * (domestic_price_mult if domestic_euv else 1.0)
            euv_cap = euv_supply * supply_mod * (domestic_euv_supply_mult if domestic_euv else 1.0)
            n_euv = minimum(euv_money / euv_price, euv_cap)
            blocked = modifiers[g, s, blocked_at] > 0.5
            duv_price = duv_price_busd * price_mod * (domestic_price_mult if blocked else 1.0)
            duv_cap = duv_supply * supply_mod * (blocked_duv_supply_mult if blocked else 1.0)
            n_duv = minimum(duv_money / duv_price, duv_cap)
            euv_tools[g, s] = euv_tools[g, s] + n_euv * (domestic_output_mult if domestic_euv else 1.0)
            duv_tools[g, s] = duv_tools[g, s] + n_duv * (domestic_output_mult if blocked else 1.0)
            spent[g, s] = program_money + n_euv * euv_price + n_duv * duv_price
