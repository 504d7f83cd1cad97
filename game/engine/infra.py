"""Infrastructure: buying chips (domestic, imported, smuggled) and the power to run them; the fleet."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import design, mathx, streams
from game.engine.mathx import rowsum
from game.engine.state import FLOPS, MW

if TYPE_CHECKING:
    from game.engine.state import World


def buy(money: np.ndarray, spare_mw: np.ndarray, price: np.ndarray, mw_each: np.ndarray, cap: np.ndarray,
        power_cost: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Buy up to `cap` chips: first into spare power, then paying for new power. Returns
    (chips, money left, spare left, new MW needed), all (batch, 2)."""
    n1 = np.minimum(np.minimum(cap, money / price), spare_mw / np.maximum(mw_each, 1e-12))
    n1 = np.maximum(n1, 0.0)
    money = money - n1 * price
    spare_mw = spare_mw - n1 * mw_each
    n2 = np.maximum(np.minimum(cap - n1, money / (price + mw_each * power_cost)), 0.0)
    money = np.maximum(money - n2 * (price + mw_each * power_cost), 0.0)
    return n1 + n2, money, np.maximum(spare_mw, 0.0), n2 * mw_each


def install(world: World, money: np.ndarray, supply: tuple[np.ndarray, np.ndarray, np.ndarray]
            ) -> tuple[np.ndarray, np.ndarray]:
    """Spend compute money on chips and power; age the fleet. Returns (money spent, import credit used)."""
    t = world.tables
    sup = t.rules.supply
    mi = t.mod_index
    mods = world.modifiers
    # Rings indexed by turn: power finishing now arrives; the cohort bought a fleet-life ago retires
    # and its slot takes this quarter's chips.
    games = np.arange(world.batch)
    power_now = world.turn % t.power_slots
    world.power_mw[:] = world.power_mw + world.power_pipeline[games, :, power_now]
    world.power_pipeline[games, :, power_now] = 0.0
    cohort = world.turn % sup.fleet_life_quarters
    # Totals are kept as running sums (a full reduction over the ring each quarter costs more
    # than the rest of the layer); clamped so retiring a cohort never leaves a negative crumb.
    world.fleet_total[:] = np.maximum(world.fleet_total - world.fleet[games, :, :, cohort], 0.0)
    world.fleet[games, :, :, cohort] = 0.0

    power_cost = t.power_cost_busd_per_mw * mods[:, :, mi["power_build_cost"]]
    committed = world.power_mw + rowsum(world.power_pipeline)
    spare = np.maximum(committed - world.fleet_total[:, :, MW], 0.0)
    price_mod = mods[:, :, mi["chip_price"]]
    pue = t.pue / 1000.0

    dom_n, dom_flops, dom_kw = supply
    chip = design.current_chip(world)
    dom_price = t.chip_price_busd[chip] * price_mod
    dom_mw = dom_kw * pue

    # Imports, for a side the scenario lets import: the best chip the export tier allows. Smuggled,
    # for a side that smuggles: the rival's chip some generations behind its current design.
    imp_chip = t.import_chip_by_tier[np.minimum(world.export_tier, t.n_tiers)]
    imp_ok = (imp_chip >= 0)[:, None] & t.imports_chips
    imp_idx = np.where(imp_chip >= 0, imp_chip, 0)[:, None]
    fee = mods[:, :, mi["import_fee"]]
    imp_price = t.chip_price_busd[imp_idx] * price_mod * (1.0 + np.maximum(fee, 0.0))
    imp_cap = np.where(imp_ok, sup.import_cap_chips_per_q * mods[:, :, mi["import_cap"]], 0.0)
    imp_flops = t.chip_flops[imp_idx]
    imp_mw = t.chip_kw[imp_idx] * pue
    rival = np.array([1, 0])
    behind = np.maximum(world.design_index[:, rival] - sup.smuggle_generations_back, 0)
    smug_chip = t.ladder[rival, behind]
    smug_cap = np.where(t.smuggles_chips, np.maximum(mods[:, :, mi["smuggle_kchips"]], 0.0) * 1000.0, 0.0)
    smug_price = t.chip_price_busd[smug_chip] * sup.smuggle_price_mult * price_mod
    smug_flops = t.chip_flops[smug_chip]
    smug_mw = t.chip_kw[smug_chip] * pue

    # Whichever of domestic and imported chips gives more FLOP per dollar first, then smuggled
    # ones (a side that may not import or smuggle buys none: its caps are zero). Import credit
    # (stockpiling, paid for already) tops up this quarter's money.
    credit = world.import_credit_busd.copy()
    imports_first = imp_flops / imp_price > dom_flops / dom_price
    first = [np.where(imports_first, a, b) for a, b in ((imp_price, dom_price), (imp_mw, dom_mw), (imp_cap, dom_n))]
    second = [np.where(imports_first, b, a) for a, b in ((imp_price, dom_price), (imp_mw, dom_mw), (imp_cap, dom_n))]
    n_first, m, spare, new_mw = buy(money + credit, spare, first[0], first[1], first[2], power_cost)
    n_second, m, spare, need2 = buy(m, spare, second[0], second[1], second[2], power_cost)
    n_smug, m, spare, need3 = buy(m, spare, smug_price, smug_mw, smug_cap, power_cost)
    new_mw = new_mw + need2 + need3
    n_imp = np.where(imports_first, n_first, n_second)
    n_dom = np.where(imports_first, n_second, n_first)
    # One draw a game: the same share of every smuggled shipment is seized that quarter.
    seized = mathx.uniform(world.seed, world.turn, streams.SMUGGLE, 0)[:, None] * sup.smuggle_seizure_max
    n_smug_in = n_smug * (1.0 - seized)
    # Credit is spent first; whatever of it is left carries over, the rest of the budget builds power.
    spent = money + credit - m
    credit_used = np.minimum(credit, spent)
    world.import_credit_busd[:] = credit - credit_used
    m = np.maximum(m - (credit - credit_used), 0.0)

    # Money left after chips (supply ran out) builds power ahead. The grid connects so many MW a
    # quarter; beyond that, power is built off-grid (on-site turbines) at a multiple of the cost.
    extra_mw = m / power_cost
    new_mw = new_mw + extra_mw
    grid = t.power_max_mw * mathx.pow10(world.turn.astype(np.float64)[:, None] * t.power_max_log10_growth_q)
    new_mw = np.minimum(new_mw, grid) + np.maximum(new_mw - grid, 0.0) / sup.power_over_grid_cost_mult
    immediate = t.power_build_q == 0
    world.power_mw[:] = world.power_mw + np.where(immediate, new_mw, 0.0)
    slot = (world.turn[:, None] + t.power_build_q) % t.power_slots
    world.power_pipeline[games[:, None], np.array([[0, 1]]), slot] += np.where(immediate, 0.0, new_mw)

    new = np.stack([
        n_dom + n_imp + n_smug_in,
        n_dom * dom_flops + n_imp * imp_flops + n_smug_in * smug_flops,
        n_dom * dom_mw + n_imp * imp_mw + n_smug_in * smug_mw,
        n_dom * dom_flops,
    ], axis=2)
    world.fleet[games, :, :, cohort] = new
    world.fleet_total[:] = world.fleet_total + new
    world.chips_bought[:] = np.stack([n_dom, n_imp, n_smug_in], axis=2)
    # Every dollar of the compute budget is spent: on chips, then on power.
    return money.copy(), credit_used


def usable_compute(world: World) -> np.ndarray:
    """Peak FLOP/s the fleet can run on the power it has; sets utilisation. (batch, 2)"""
    t = world.tables
    fleet_mw = world.fleet_total[:, :, MW]
    power = world.power_mw * world.modifiers[:, :, t.mod_index["power_capacity"]]
    util = np.where(fleet_mw > 0, np.minimum(1.0, power / np.maximum(fleet_mw, 1e-9)), 1.0)
    world.utilisation[:] = util
    world.compute_flops[:] = world.fleet_total[:, :, FLOPS] * util
    return world.compute_flops


def energy_cost(world: World) -> np.ndarray:
    """Electricity for the fleet that runs, $B a quarter."""
    t = world.tables
    hours = t.rules.supply.seconds_per_quarter / 3600.0
    running_mw = world.fleet_total[:, :, MW] * world.utilisation
    usd: np.ndarray = running_mw * 1000.0 * hours * t.power_usd_per_kwh * world.modifiers[:, :, t.mod_index["power_cost"]]
    return usd * 1e-9
