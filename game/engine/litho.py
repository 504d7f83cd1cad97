"""Lithography: EUV and DUV scanners from the allied supplier, or a long domestic EUV program."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import jit, mathx, streams
from game.engine.mathx import rowsum
from game.engine.state import one_turn

if TYPE_CHECKING:
    from game.engine.state import World


def has_euv(world: World) -> np.ndarray:
    """A side with allied access buys EUV; any other only once its domestic program delivers. (batch, 2)"""
    return world.tables.sided(world.batch).allied_euv | world.euv_domestic


def program_delivers(world: World) -> np.ndarray:
    """Where a fully funded domestic EUV program delivers this quarter: never before the earliest year,
    and from then by chance each quarter (nobody knows the year). (batch, 2)"""
    t = world.tables
    sup = t.rules.supply
    funded = (world.euv_program_busd >= sup.euv_program_busd) & (sup.euv_program_busd > 0)
    due = t.year(one_turn(world.turn)) >= sup.euv_domestic_earliest_year
    if not mathx.some(funded & due[:, None]):
        return np.zeros(funded.shape, dtype=bool)  # the usual quarter: nobody is due, so no draw (draws are counter-based)
    draw = mathx.uniform(world.seed[:, None], world.turn[:, None], streams.EUV, np.array([[0, 1]]))
    delivers: np.ndarray = funded & due[:, None] & (draw < sup.euv_domestic_chance_per_q)
    return delivers


def buy_tools(world: World, money: np.ndarray) -> np.ndarray:
    """Spend lithography money on tools (and a domestic EUV program). Returns money spent."""
    if jit.active(world.batch):
        from game.engine.kernels import litho as k

        return k.buy_tools(world, money)
    t = world.tables
    sup = t.rules.supply
    mi = t.mod_index
    price_mod = world.modifiers[:, :, mi["tool_price"]]
    supply_mod = world.modifiers[:, :, mi["tool_supply"]]
    euv = has_euv(world)
    domestic_euv = world.euv_domestic & ~t.sided(world.batch).allied_euv
    # Tools wear out.
    keep = 1.0 - 1.0 / sup.tool_life_quarters
    world.euv_tools[:] = world.euv_tools * keep
    world.duv_tools[:] = world.duv_tools * keep
    # Without EUV, a share goes to the domestic program until it delivers.
    program_money = np.where(euv, 0.0, money * sup.euv_program_share)
    program_money = np.minimum(program_money, np.maximum(sup.euv_program_busd - world.euv_program_busd, 0.0))
    world.euv_program_busd[:] = world.euv_program_busd + program_money
    world.euv_domestic[:] = world.euv_domestic | program_delivers(world)
    tool_money = money - program_money
    # Split tool money by where the side's wafer capacity needs scanners.
    pipe_euv = rowsum(world.fab_pipeline * t.node_needs_euv[world.fab_pipeline_node])
    euv_need = rowsum(world.fab_wafers_per_q * t.node_needs_euv) + pipe_euv
    total_need = rowsum(world.fab_wafers_per_q) + rowsum(world.fab_pipeline)
    euv_share = np.where(total_need > 0, euv_need / np.maximum(total_need, 1e-9), sup.idle_euv_money_share)
    euv_frac = np.where(euv, euv_share, 0.0)
    euv_money = tool_money * euv_frac
    duv_money = tool_money - euv_money
    dom_price = np.where(domestic_euv, sup.domestic_tool_price_mult, 1.0)
    dom_out = np.where(domestic_euv, sup.domestic_tool_output_mult, 1.0)
    euv_price = sup.euv_price_busd * price_mod * dom_price
    euv_cap = sup.euv_supply_per_q * supply_mod * np.where(domestic_euv, sup.domestic_euv_supply_mult, 1.0)
    n_euv = np.minimum(euv_money / euv_price, euv_cap)
    blocked = world.modifiers[:, :, mi["duv_blocked"]] > 0.5
    duv_price = sup.duv_price_busd * price_mod * np.where(blocked, sup.domestic_tool_price_mult, 1.0)
    duv_cap = sup.duv_supply_per_q * supply_mod * np.where(blocked, sup.blocked_duv_supply_mult, 1.0)
    n_duv = np.minimum(duv_money / duv_price, duv_cap)
    world.euv_tools[:] = world.euv_tools + n_euv * dom_out
    world.duv_tools[:] = world.duv_tools + n_duv * np.where(blocked, sup.domestic_tool_output_mult, 1.0)
    spent: np.ndarray = program_money + n_euv * euv_price + n_duv * duv_price
    return spent
