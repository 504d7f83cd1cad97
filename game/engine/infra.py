"""Infrastructure: buying chips (domestic, imported, smuggled) and the power to run them; the fleet."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from game.engine import design, jit, mathx, streams
from game.engine.mathx import rowsum
from game.engine.state import CHIPS, DOMESTIC, FLOPS, MW, at_last_axis, ring_slot, rows_by_turn

if TYPE_CHECKING:
    from game.engine.state import World


def buy(money: np.ndarray, spare: np.ndarray, power: list[np.ndarray], price: np.ndarray, mw_each: np.ndarray,
        cap: np.ndarray, grid_cost: np.ndarray, off_cost: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Buy up to `cap` chips, each (batch, 2), into power that is on now: a chip never waits dark for a
    datacenter still being built. Each chip also pays for its own megawatts of new power, which come
    online after the build time for the chips of later quarters: at grid cost while the grid can connect
    more this quarter, then off-grid at its multiple up to its ceiling; once both are used up, chips
    still go into the power on hand. `power` is [grid MW left, off-grid MW left], updated in place.
    Returns (chips, money left, spare MW left)."""
    mw = np.maximum(mw_each, 1e-12)
    price = np.maximum(price, 1e-12)  # a modifier may make chips free; they are still finite in number
    bought = []
    for k, cost in ((0, grid_cost), (1, off_cost)):
        each = mw_each * cost
        each += price
        n = money / each
        np.minimum(cap, n, out=n)
        limit = np.minimum(spare, power[k])
        limit /= mw
        np.minimum(n, limit, out=n)
        np.maximum(n, 0.0, out=n)
        each *= n
        money = money - each
        np.maximum(money, 0.0, out=money)
        used_mw = n * mw_each
        spare = spare - used_mw
        np.maximum(spare, 0.0, out=spare)
        left = power[k] - used_mw
        power[k] = np.maximum(left, 0.0, out=left)
        cap = cap - n
        bought.append(n)
    n = money / price
    np.minimum(cap, n, out=n)
    limit = spare / mw
    np.minimum(n, limit, out=n)
    np.maximum(n, 0.0, out=n)
    count = bought[0] + bought[1]
    count += n
    money = money - n * price
    spare = spare - n * mw_each
    return count, np.maximum(money, 0.0, out=money), np.maximum(spare, 0.0, out=spare)


def install(world: World, money: np.ndarray, supply: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spend compute money on chips and the power to run them; age the fleet. Records where the money went
    (world.compute_spend_busd). Returns (money spent, import credit used, licence fee paid): the fee is part of
    what an imported chip costs the buyer, but it is paid to the exporter's treasury, not for chips, so it is
    kept out of the money spent (the caller books it as a loss to the buyer and a grant to the exporter)."""
    if jit.active(world.batch):
        from game.engine.kernels import infra as kernel

        return kernel.install(world, money, supply)
    t = world.tables
    sup = t.rules.supply
    mi = t.mod_index
    mods = world.modifiers
    # Rings indexed by turn: power finishing now arrives; the cohort bought a fleet-life ago retires
    # and its slot takes this quarter's chips.
    arrived = ring_slot(world.power_pipeline, world.turn)
    if arrived is None:
        pipeline, now = at_last_axis(world.power_pipeline, (world.turn % t.power_slots)[:, None])
        world.power_mw += pipeline[now]
        pipeline[now] = 0.0
    else:
        world.power_mw += arrived
        arrived[...] = 0.0
    cohort_view = ring_slot(world.fleet, world.turn)
    if cohort_view is None:
        fleet, cohort = at_last_axis(world.fleet, (world.turn % sup.fleet_life_quarters)[:, None, None])
        retired = fleet[cohort]
    else:
        retired = cohort_view
    # Totals are kept as running sums (a full reduction over the ring each quarter costs more
    # than the rest of the layer); clamped so retiring a cohort never leaves a negative crumb. The
    # cohort's slot takes this quarter's chips at the end (nothing reads it before).
    total = world.fleet_total
    total -= retired
    np.maximum(total, 0.0, out=total)

    # New power at its true marginal cost: the grid connects so many MW a quarter at the grid cost;
    # beyond that, off-grid power (on-site turbines) costs a multiple, and it too has a ceiling a
    # quarter (turbines and grid equipment are backlogged), a share of what the grid connects.
    sided = t.sided(world.batch)
    grid_cost = sided.power_cost_busd_per_mw * mods[:, :, mi["power_build_cost"]]
    off_cost = grid_cost * sup.power_over_grid_cost_mult
    grid_cap = rows_by_turn(t.grid_mw_by_turn, world.turn)
    off_cap = grid_cap * sup.offgrid_share_of_grid
    # Chips go only into power that is on now; power being built serves the chips of later quarters.
    spare = np.maximum(world.power_mw * mods[:, :, mi["power_capacity"]] - world.fleet_total[:, :, MW], 0.0)
    price_mod = mods[:, :, mi["chip_price"]]
    pue = sided.mw_per_kw

    dom_n, dom_flops, dom_kw, dom_onshore = supply
    chip = design.current_chip(world)
    dom_price = t.chip_price_busd[chip] * price_mod
    dom_mw = dom_kw * pue

    imp, smug = foreign_offers(world, price_mod, pue)
    imp_list_price, imp_price, imp_cap, imp_flops, imp_mw = imp.list_price, imp.price, imp.cap, imp.flops, imp.mw
    smug_price, smug_cap, smug_flops, smug_mw = smug.price, smug.cap, smug.flops, smug.mw

    # Legal chips first: whichever of domestic and imported gives more usable FLOP per dollar, power at
    # grid cost included, then the other (a side that may not import buys none: its cap is zero). Then
    # smuggled chips as a top-up with what money is left, at their premium (REFERENCE s5, CNAS: ~140k
    # smuggled in 2024 beside ~1M legal H20s). Import credit (stockpiling, paid for already) tops up this
    # quarter's money.
    credit = world.import_credit_busd.copy()
    power = [grid_cap, off_cap]
    m = money + credit
    imports_first = imp_flops * (dom_price + dom_mw * grid_cost) > dom_flops * (imp_price + imp_mw * grid_cost)
    imports: tuple[np.ndarray, ...] = (imp_price, imp_mw, imp_cap)
    domestic: tuple[np.ndarray, ...] = (dom_price, dom_mw, dom_n)
    one_order = mathx.every(imports_first) or not mathx.some(imports_first)  # the same for every game (the usual case)
    if one_order:
        first, second = (imports, domestic) if mathx.every(imports_first) else (domestic, imports)
    else:
        first = tuple(np.where(imports_first, a, b) for a, b in zip(imports, domestic, strict=True))
        second = tuple(np.where(imports_first, b, a) for a, b in zip(imports, domestic, strict=True))
    n_first, m, spare = buy(m, spare, power, first[0], first[1], first[2], grid_cost, off_cost)
    n_second, m, spare = buy(m, spare, power, second[0], second[1], second[2], grid_cost, off_cost)
    if one_order:
        n_imp, n_dom = (n_first, n_second) if first is imports else (n_second, n_first)
    else:
        n_imp = np.where(imports_first, n_first, n_second)
        n_dom = np.where(imports_first, n_second, n_first)
    if mathx.some(smug_cap):
        n_smug, m, spare = buy(m, spare, power, smug_price, smug_mw, smug_cap, grid_cost, off_cost)
    else:  # no network anywhere in the batch (the usual case): buying none changes nothing
        n_smug = np.zeros(money.shape, money.dtype)
    # Money left after chips (no power on for more, or supply ran out) builds power for the chips of
    # later quarters: grid first, then off-grid at its multiple, each up to what can be built this
    # quarter, and no more than the chips that can come will use: the fleet, and every chip the side's
    # sources could deliver each quarter until power ordered now is on. No one builds a datacenter for
    # chips it cannot get (REFERENCE s9: China ~15% of the world's AI compute and below the US's power).
    # Money beyond that stays in the treasury.
    supply_mw = dom_n * dom_mw + imp_cap * imp_mw + smug_cap * smug_mw
    fleet_mw = world.fleet_total[:, :, MW] + n_dom * dom_mw + n_imp * imp_mw + n_smug * smug_mw
    have_mw = world.power_mw + rowsum(world.power_pipeline) + (grid_cap - power[0]) + (off_cap - power[1])
    room_mw = np.maximum(fleet_mw + (sided.power_build_q + 1) * supply_mw - have_mw, 0.0)
    grid_ahead = np.minimum(np.minimum(m / grid_cost, power[0]), room_mw)
    m = np.maximum(m - grid_ahead * grid_cost, 0.0)
    off_ahead = np.minimum(np.minimum(m / off_cost, power[1]), room_mw - grid_ahead)
    grid_mw = np.maximum(grid_cap - power[0], 0.0) + grid_ahead  # clamped: a rounding crumb is not a purchase
    off_mw = np.maximum(off_cap - power[1], 0.0) + off_ahead
    new_mw = grid_mw + off_mw
    immediate = t.power_build_q == 0
    world.power_mw += np.where(immediate, new_mw, 0.0)
    pipeline, slot = at_last_axis(world.power_pipeline, (world.turn[:, None] + sided.power_build_q) % t.power_slots)
    pipeline[slot] += np.where(immediate, 0.0, new_mw) if mathx.some(immediate) else new_mw

    # Where the money went: chips, grid power, off-grid power. Import credit pays first (chips, then
    # power); the rest is this quarter's compute flow.
    spend = world.compute_spend_busd
    fee_paid = n_imp * imp_list_price * price_mod * imp.fee
    spend[:, :, 0] = n_smug * smug_price + n_imp * imp_price + n_dom * dom_price
    spend[:, :, 0] -= fee_paid
    spend[:, :, 1] = grid_mw * grid_cost
    spend[:, :, 2] = off_mw * off_cost
    total = rowsum(spend)
    credit_used = np.minimum(credit, total)
    if mathx.some(credit_used):  # most quarters no game has credit; the result is the same either way
        left = credit_used
        for k in range(3):
            paid = np.minimum(spend[:, :, k], left)
            spend[:, :, k] -= paid
            left = left - paid
        total = rowsum(spend)
        world.import_credit_busd[:] = credit - credit_used

    # One draw a game: the same share of every smuggled shipment is seized that quarter.
    if mathx.some(n_smug):
        seized = mathx.uniform(world.seed, world.turn, streams.SMUGGLE, 0)[:, None] * sup.smuggle_seizure_max
        n_smug_in = n_smug * (1.0 - seized)
    else:  # nothing smuggled anywhere in the batch: no draw is needed (draws are counter-based)
        n_smug_in = n_smug
    # Domestic chips count as the side's own (the DOMESTIC column) in proportion to the onshore share
    # of the wafers that made them; imported and smuggled chips never do.
    new = np.empty(n_dom.shape + (4,))  # the four columns laid side by side (np.stack's work, without its Python)
    new[:, :, CHIPS] = n_dom + n_imp + n_smug_in
    new[:, :, FLOPS] = n_dom * dom_flops + n_imp * imp_flops + n_smug_in * smug_flops
    new[:, :, MW] = n_dom * dom_mw + n_imp * imp_mw + n_smug_in * smug_mw
    new[:, :, DOMESTIC] = n_dom * dom_flops * dom_onshore
    if cohort_view is None:
        fleet[cohort] = new
    else:
        cohort_view[...] = new
    world.fleet_total += new
    bought = world.chips_bought
    bought[:, :, 0] = n_dom
    bought[:, :, 1] = n_imp
    bought[:, :, 2] = n_smug_in
    return total, credit_used, fee_paid



RIVAL = np.array([1, 0])  # each side's rival, by side


@attrs.frozen(eq=False)
class Offer:
    """Chips a side may buy from abroad this quarter, each (batch, 2): price paid a chip ($B, fee included), the
    list price and the fee on it (a share), how many may come, usable FLOP/s and MW (PUE included) a chip."""

    price: np.ndarray
    list_price: np.ndarray
    fee: np.ndarray
    cap: np.ndarray
    flops: np.ndarray
    mw: np.ndarray


def foreign_offers(world: World, price_mod: np.ndarray | None = None, pue: np.ndarray | None = None
                   ) -> tuple[Offer, Offer]:
    """(imported, smuggled) offers this quarter. Imports, for a side the scenario lets import: the best chip the
    export tier allows. Smuggled, for a side that smuggles: the rival's chip some generations behind its current
    design, at the smugglers' premium (no fee: no one licenses it)."""
    t = world.tables
    sup = t.rules.supply
    mods = world.modifiers
    mi = t.mod_index
    sided = t.sided(world.batch)
    if price_mod is None:
        price_mod = mods[:, :, mi["chip_price"]]
    if pue is None:
        pue = sided.mw_per_kw
    imp_chip = t.import_chip(world.turn, world.export_tier)
    imp_ok = (imp_chip >= 0)[:, None] & sided.imports_chips
    imp_idx = np.where(imp_chip >= 0, imp_chip, 0)[:, None]
    fee = mods[:, :, mi["import_fee"]]
    imp_list_price = t.chip_price_busd[imp_idx]
    imp_price = imp_list_price * price_mod * (1.0 + np.maximum(fee, 0.0))
    # The exporter allocates a value of chips a quarter: cheaper cut-down chips come in greater numbers.
    imp_cap = np.where(imp_ok, sup.import_cap_busd_per_q * mods[:, :, mi["import_cap"]] / imp_list_price, 0.0)
    imp_flops = t.chip_flops[imp_idx]
    imp_mw = t.chip_kw[imp_idx] * pue
    rival = RIVAL
    behind = np.maximum(world.design_index[:, rival] - sup.smuggle_generations_back, 0)
    smug_chip = t.ladder[rival, behind]
    smug_cap = np.where(sided.smuggles_chips, np.maximum(mods[:, :, mi["smuggle_kchips"]], 0.0) * 1000.0, 0.0)
    smug_price = t.chip_price_busd[smug_chip] * sup.smuggle_price_mult * price_mod
    smug_flops = t.chip_flops[smug_chip]
    smug_mw = t.chip_kw[smug_chip] * pue
    return (Offer(imp_price, imp_list_price, np.maximum(fee, 0.0), imp_cap, imp_flops, imp_mw),
            Offer(smug_price, smug_price, np.zeros(smug_price.shape), smug_cap, smug_flops, smug_mw))


def usable_compute(world: World) -> np.ndarray:
    """Peak FLOP/s the fleet can run on the power it has; sets utilisation. (batch, 2)"""
    if jit.active(world.batch):
        from game.engine.kernels import infra as kernel

        return kernel.usable_compute(world)
    t = world.tables
    fleet_mw = world.fleet_total[:, :, MW]
    power = world.power_mw * world.modifiers[:, :, t.mod_index["power_capacity"]]
    util = np.where(fleet_mw > 0, np.minimum(1.0, power / np.maximum(fleet_mw, 1e-9)), 1.0)
    world.utilisation[:] = util
    world.compute_flops[:] = world.fleet_total[:, :, FLOPS] * util
    return world.compute_flops


def energy_cost(world: World) -> np.ndarray:
    """Electricity for the fleet that runs, $B a quarter."""
    if jit.active(world.batch):
        from game.engine.kernels import infra as kernel

        return kernel.energy_cost(world)
    t = world.tables
    hours = t.rules.supply.seconds_per_quarter / 3600.0
    running_mw = world.fleet_total[:, :, MW] * world.utilisation
    usd: np.ndarray = running_mw * 1000.0 * hours * t.sided(world.batch).power_usd_per_kwh \
        * world.modifiers[:, :, t.mod_index["power_cost"]]
    return usd * 1e-9
