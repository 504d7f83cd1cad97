"""game/engine/infra.py for kernels: a quarter's chips, power and fleet in one call over the games.

Each function gives its layer's bits (tests/engine/test_kernels_infra.py holds it there): the numpy path's
operations element by element, in its order. np.maximum and np.minimum are written out as mathk's `maximum`/`minimum`
(numpy's, NaN included: equal operands, such as -0.0 and 0.0, give the second), and where the numpy path decides
once for the whole batch (whether any game may smuggle, whether any used import credit), so does the kernel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import streams
from game.engine.jit import njit
from game.engine.kernels.mathk import maximum, minimum, rowsum, uniform1
from game.engine.state import CHIPS, DOMESTIC, FLOPS, MW

if TYPE_CHECKING:
    from game.engine.state import World


@njit
def buy(money: float, spare: float, grid_left_mw: float, off_left_mw: float, price: float, mw_each: float,
        cap: float, grid_cost: float, off_cost: float) -> tuple[float, float, float, float, float]:
    """infra.buy for one game and side: (chips, money left, spare MW left, grid MW left, off-grid MW left)."""
    mw = maximum(mw_each, 1e-12)
    price = maximum(price, 1e-12)
    count = 0.0
    for k in range(2):
        cost = grid_cost if k == 0 else off_cost
        left_mw = grid_left_mw if k == 0 else off_left_mw
        each = mw_each * cost
        each = each + price
        n = minimum(cap, money / each)
        limit = minimum(spare, left_mw) / mw
        n = maximum(minimum(n, limit), 0.0)
        each = each * n
        money = maximum(money - each, 0.0)
        used_mw = n * mw_each
        spare = maximum(spare - used_mw, 0.0)
        left_mw = maximum(left_mw - used_mw, 0.0)
        if k == 0:
            grid_left_mw = left_mw
            count = n
        else:
            off_left_mw = left_mw
            count = count + n
        cap = cap - n
    n = minimum(cap, money / price)
    n = maximum(minimum(n, spare / mw), 0.0)
    count = count + n
    money = maximum(money - n * price, 0.0)
    spare = maximum(spare - n * mw_each, 0.0)
    return count, money, spare, grid_left_mw, off_left_mw


@njit
def turn_slots(turn: int, power_slots: int, fleet_life: int, grid_rows: int, power_build_q: np.ndarray,
               land: np.ndarray) -> tuple[int, int, int]:
    """A turn's slots in the rings and row in the by-turn grid table: (power arriving, fleet cohort, grid row);
    `land` (2,) is set to each side's slot for power started now."""
    for s in range(2):
        land[s] = (turn + power_build_q[s]) % power_slots
    return turn % power_slots, turn % fleet_life, min(turn, grid_rows - 1)


# Games whose buying is done together: one side's chips are bought source after source, a chain of a dozen
# dependent divisions, so a loop over the games that does all of a game's work at once waits on each; a block's
# buys in a loop of their own run side by side (vectorised), and a block's figures stay in the L1 cache.
BLOCK_GAMES = 64


@njit
def install_games(turn: np.ndarray, seed: np.ndarray, design_index: np.ndarray, export_tier: np.ndarray,
                  modifiers: np.ndarray, power_mw: np.ndarray, power_pipeline: np.ndarray, fleet: np.ndarray,
                  fleet_total: np.ndarray, import_credit_busd: np.ndarray, compute_spend_busd: np.ndarray,
                  chips_bought: np.ndarray, money: np.ndarray, dom_n: np.ndarray, dom_flops: np.ndarray,
                  dom_kw: np.ndarray, dom_onshore: np.ndarray, chip_price_busd: np.ndarray, chip_flops: np.ndarray,
                  chip_kw: np.ndarray, ladder: np.ndarray, import_chip_by_turn_tier: np.ndarray,
                  grid_mw_by_turn: np.ndarray, power_cost_busd_per_mw: np.ndarray, mw_per_kw: np.ndarray,
                  power_build_q: np.ndarray, imports_chips: np.ndarray, smuggles_chips: np.ndarray,
                  mod_at: np.ndarray, sup: np.ndarray, last_turn: int, n_tiers: int, generations_back: int,
                  total: np.ndarray, credit_used: np.ndarray, fee_paid: np.ndarray) -> None:
    """infra.install (with foreign_offers and buy) over every game: `total`, `credit_used` and `fee_paid`
    (batch, 2) are written, the world's arrays changed in place. `mod_at`: the modifiers' columns
    (power_build_cost, power_capacity, chip_price, import_fee, import_cap, smuggle_kchips); `sup`:
    rules.supply's power_over_grid_cost_mult, offgrid_share_of_grid, import_cap_busd_per_q, smuggle_price_mult,
    smuggle_seizure_max.
    Where the numpy path decides for the whole batch, so does this: whether to buy smuggled chips at all (a
    pass over the modifiers first) and whether credit pays (a pass after, only if some game used credit). The
    seizure draw is made only for games that bought smuggled chips: for the others the numpy path's
    n * (1 - seized) is n itself, bit for bit, since the content keeps smuggle_seizure_max <= 1."""
    batch = turn.shape[0]
    # Tables' figures as numbers, not array reads: the compiler cannot tell that a store to a world's array leaves
    # a table alone, so it would read them again after each.
    at_build_cost, at_capacity, at_price, at_fee, at_cap, at_smuggle = (mod_at[0], mod_at[1], mod_at[2], mod_at[3],
                                                                        mod_at[4], mod_at[5])
    over_grid, off_share, cap_busd, smuggle_mult, seizure_max = sup[0], sup[1], sup[2], sup[3], sup[4]
    power_slots = power_pipeline.shape[2]
    fleet_life = fleet.shape[3]
    any_smuggling = False
    i = 0
    while i < batch and not any_smuggling:  # the first game that may smuggle ends the search (a pass over memory)
        for s in range(2):
            if smuggles_chips[s] and maximum(modifiers[i, s, at_smuggle], 0.0) * 1000.0 != 0.0:
                any_smuggling = True
        i += 1
    # A block's figures, by 2 * (game - the block's first) + side.
    n = 2 * BLOCK_GAMES
    dom_cap = np.empty(n)
    dom_price, dom_mw = np.empty(n), np.empty(n)
    imp_list_price, fee, imp_price, imp_cap, imp_flops, imp_mw = (np.empty(n), np.empty(n), np.empty(n),
                                                                   np.empty(n), np.empty(n), np.empty(n))
    smug_price, smug_cap, smug_flops, smug_mw = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    imports_first = np.empty(n, np.bool_)
    grid_cost, off_cost = np.empty(n), np.empty(n)
    money_left, spare, grid_left, off_left = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    n_dom, n_imp, n_smug = np.empty(n), np.empty(n), np.empty(n)
    any_credit = False
    # The ring slots and by-turn rows of the last turn seen: the games of a batch are nearly always at one turn, and
    # a modulo by a number known only at run time is an integer division, a dozen cycles or more each.
    slots_turn = -1
    arrive = cohort = grid_row = 0
    land = np.zeros(2, np.int64)
    for first in range(0, batch, BLOCK_GAMES):
        games = min(BLOCK_GAMES, batch - first)
        # What each side may buy, and with what.
        for i in range(first, first + games):
            if turn[i] != slots_turn:
                slots_turn = turn[i]
                arrive, cohort, grid_row = turn_slots(slots_turn, power_slots, fleet_life, grid_mw_by_turn.shape[0],
                                                      power_build_q, land)
            imp_chip = import_chip_by_turn_tier[min(turn[i], last_turn), min(export_tier[i], n_tiers)]
            imp_idx = imp_chip if imp_chip >= 0 else 0
            for s in range(2):
                j = 2 * (i - first) + s
                # Rings indexed by turn: power finishing now arrives; the cohort bought a fleet-life ago retires.
                power_mw[i, s] += power_pipeline[i, s, arrive]
                power_pipeline[i, s, arrive] = 0.0
                for q in range(4):
                    fleet_total[i, s, q] = maximum(fleet_total[i, s, q] - fleet[i, s, q, cohort], 0.0)
                grid_cost[j] = power_cost_busd_per_mw[s] * modifiers[i, s, at_build_cost]
                off_cost[j] = grid_cost[j] * over_grid
                grid_left[j] = grid_mw_by_turn[grid_row, s]
                off_left[j] = grid_left[j] * off_share
                spare[j] = maximum(power_mw[i, s] * modifiers[i, s, at_capacity] - fleet_total[i, s, MW], 0.0)
                price_mod = modifiers[i, s, at_price]
                pue = mw_per_kw[s]
                dom_cap[j] = dom_n[i, s]
                dom_price[j] = chip_price_busd[ladder[s, design_index[i, s]]] * price_mod
                dom_mw[j] = dom_kw[i, s] * pue
                # foreign_offers: imported and smuggled
                fee[j] = maximum(modifiers[i, s, at_fee], 0.0)
                imp_list_price[j] = chip_price_busd[imp_idx]
                imp_price[j] = imp_list_price[j] * price_mod * (1.0 + fee[j])
                imp_cap[j] = 0.0
                if imp_chip >= 0 and imports_chips[s]:
                    imp_cap[j] = cap_busd * modifiers[i, s, at_cap] / imp_list_price[j]
                imp_flops[j] = chip_flops[imp_idx]
                imp_mw[j] = chip_kw[imp_idx] * pue
                smug_chip = ladder[1 - s, max(design_index[i, 1 - s] - generations_back, 0)]
                smug_cap[j] = 0.0
                if smuggles_chips[s]:
                    smug_cap[j] = maximum(modifiers[i, s, at_smuggle], 0.0) * 1000.0
                smug_price[j] = chip_price_busd[smug_chip] * smuggle_mult * price_mod
                smug_flops[j] = chip_flops[smug_chip]
                smug_mw[j] = chip_kw[smug_chip] * pue
                money_left[j] = money[i, s] + import_credit_busd[i, s]
                # Legal chips first, the better buy (power at grid cost included) first.
                imports_first[j] = (imp_flops[j] * (dom_price[j] + dom_mw[j] * grid_cost[j])
                                    > dom_flops[i, s] * (imp_price[j] + imp_mw[j] * grid_cost[j]))
        # The buys: legal chips, then smuggled ones.
        for j in range(2 * games):
            imp = imports_first[j]
            n1, m, left, grid, off = buy(money_left[j], spare[j], grid_left[j], off_left[j],
                                         imp_price[j] if imp else dom_price[j], imp_mw[j] if imp else dom_mw[j],
                                         imp_cap[j] if imp else dom_cap[j], grid_cost[j], off_cost[j])
            n2, m, left, grid, off = buy(m, left, grid, off, dom_price[j] if imp else imp_price[j],
                                         dom_mw[j] if imp else imp_mw[j], dom_cap[j] if imp else imp_cap[j],
                                         grid_cost[j], off_cost[j])
            n3 = 0.0
            if any_smuggling:
                n3, m, left, grid, off = buy(m, left, grid, off, smug_price[j], smug_mw[j], smug_cap[j],
                                             grid_cost[j], off_cost[j])
            n_imp[j] = n1 if imp else n2
            n_dom[j] = n2 if imp else n1
            n_smug[j] = n3
            money_left[j], grid_left[j], off_left[j] = m, grid, off
        # Power for later quarters' chips, the books, the fleet.
        for i in range(first, first + games):
            if turn[i] != slots_turn:
                slots_turn = turn[i]
                arrive, cohort, grid_row = turn_slots(slots_turn, power_slots, fleet_life, grid_mw_by_turn.shape[0],
                                                      power_build_q, land)
            seized = -1.0  # drawn once for the game, if a side of it bought smuggled chips
            for s in range(2):
                j = 2 * (i - first) + s
                grid_cap = grid_mw_by_turn[grid_row, s]
                off_cap = grid_cap * off_share
                supply_mw = dom_cap[j] * dom_mw[j] + imp_cap[j] * imp_mw[j] + smug_cap[j] * smug_mw[j]
                fleet_mw = fleet_total[i, s, MW] + n_dom[j] * dom_mw[j] + n_imp[j] * imp_mw[j] + n_smug[j] * smug_mw[j]
                if power_slots > 8:  # mathx.rowsum's pairwise order
                    pipeline_mw = rowsum(power_pipeline[i, s])
                else:  # up to 8 values it is their running sum, done here: a call with an array costs reference counts
                    pipeline_mw = power_pipeline[i, s, 0]
                    for k in range(1, power_slots):
                        pipeline_mw += power_pipeline[i, s, k]
                have_mw = power_mw[i, s] + pipeline_mw + (grid_cap - grid_left[j]) + (off_cap - off_left[j])
                room_mw = maximum(fleet_mw + (power_build_q[s] + 1) * supply_mw - have_mw, 0.0)
                grid_ahead = minimum(minimum(money_left[j] / grid_cost[j], grid_left[j]), room_mw)
                m = maximum(money_left[j] - grid_ahead * grid_cost[j], 0.0)
                off_ahead = minimum(minimum(m / off_cost[j], off_left[j]), room_mw - grid_ahead)
                grid_mw = maximum(grid_cap - grid_left[j], 0.0) + grid_ahead
                off_mw = maximum(off_cap - off_left[j], 0.0) + off_ahead
                new_mw = grid_mw + off_mw
                if power_build_q[s] == 0:
                    power_mw[i, s] += new_mw
                    power_pipeline[i, s, arrive] += 0.0
                else:
                    power_mw[i, s] += 0.0
                    power_pipeline[i, s, land[s]] += new_mw
                # Where the money went (import credit pays in the last pass).
                fee_paid[i, s] = n_imp[j] * imp_list_price[j] * modifiers[i, s, at_price] * fee[j]
                chips_busd = n_smug[j] * smug_price[j] + n_imp[j] * imp_price[j] + n_dom[j] * dom_price[j]
                chips_busd -= fee_paid[i, s]
                grid_busd = grid_mw * grid_cost[j]
                off_busd = off_mw * off_cost[j]
                compute_spend_busd[i, s, 0] = chips_busd
                compute_spend_busd[i, s, 1] = grid_busd
                compute_spend_busd[i, s, 2] = off_busd
                total[i, s] = chips_busd + grid_busd + off_busd  # mathx.rowsum of three: added in order
                credit_used[i, s] = minimum(import_credit_busd[i, s], total[i, s])
                any_credit = any_credit or credit_used[i, s] != 0.0
                n_smug_in = n_smug[j]
                if n_smug[j] != 0.0:
                    if seized < 0.0:
                        seized = uniform1(seed[i], turn[i], streams.SMUGGLE, 0) * seizure_max
                    n_smug_in = n_smug[j] * (1.0 - seized)
                new_chips = n_dom[j] + n_imp[j] + n_smug_in
                new_flops = n_dom[j] * dom_flops[i, s] + n_imp[j] * imp_flops[j] + n_smug_in * smug_flops[j]
                new_mw = n_dom[j] * dom_mw[j] + n_imp[j] * imp_mw[j] + n_smug_in * smug_mw[j]
                new_domestic = n_dom[j] * dom_flops[i, s] * dom_onshore[i, s]
                fleet[i, s, CHIPS, cohort] = new_chips
                fleet[i, s, FLOPS, cohort] = new_flops
                fleet[i, s, MW, cohort] = new_mw
                fleet[i, s, DOMESTIC, cohort] = new_domestic
                fleet_total[i, s, CHIPS] += new_chips
                fleet_total[i, s, FLOPS] += new_flops
                fleet_total[i, s, MW] += new_mw
                fleet_total[i, s, DOMESTIC] += new_domestic
                chips_bought[i, s, 0] = n_dom[j]
                chips_bought[i, s, 1] = n_imp[j]
                chips_bought[i, s, 2] = n_smug_in
    if not any_credit:
        return
    for i in range(batch):  # import credit pays first: chips, then power
        for s in range(2):
            left = credit_used[i, s]
            for k in range(3):
                paid = minimum(compute_spend_busd[i, s, k], left)
                compute_spend_busd[i, s, k] -= paid
                left = left - paid
            total[i, s] = compute_spend_busd[i, s, 0] + compute_spend_busd[i, s, 1] + compute_spend_busd[i, s, 2]
            import_credit_busd[i, s] = import_credit_busd[i, s] - credit_used[i, s]


def install(world: World, money: np.ndarray, supply: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """infra.install by kernel: the same results and the same world."""
    t = world.tables
    sup = t.rules.supply
    mi = t.mod_index
    total, credit_used, fee_paid = np.empty((world.batch, 2)), np.empty((world.batch, 2)), np.empty((world.batch, 2))
    mod_at = np.array([mi["power_build_cost"], mi["power_capacity"], mi["chip_price"], mi["import_fee"],
                       mi["import_cap"], mi["smuggle_kchips"]])
    figures = np.array([sup.power_over_grid_cost_mult, sup.offgrid_share_of_grid, sup.import_cap_busd_per_q,
                        sup.smuggle_price_mult, sup.smuggle_seizure_max], dtype=np.float64)
    dom_n, dom_flops, dom_kw, dom_onshore = (np.ascontiguousarray(a) for a in supply)
    install_games(world.turn, world.seed, world.design_index, world.export_tier, world.modifiers, world.power_mw,
                  world.power_pipeline, world.fleet, world.fleet_total, world.import_credit_busd,
                  world.compute_spend_busd, world.chips_bought, np.ascontiguousarray(money), dom_n, dom_flops, dom_kw,
                  dom_onshore, t.chip_price_busd, t.chip_flops, t.chip_kw, t.ladder, t.import_chip_by_turn_tier,
                  t.grid_mw_by_turn, t.power_cost_busd_per_mw, t.mw_per_kw, t.power_build_q, t.imports_chips,
                  t.smuggles_chips, mod_at, figures, t.scenario.turns, t.n_tiers, sup.smuggle_generations_back,
                  total, credit_used, fee_paid)
    return total, credit_used, fee_paid


@njit
def usable_compute_games(fleet_total: np.ndarray, power_mw: np.ndarray, modifiers: np.ndarray, capacity_at: int,
                         utilisation: np.ndarray, compute_flops: np.ndarray) -> None:
    for i in range(fleet_total.shape[0]):
        for s in range(2):
            fleet_mw = fleet_total[i, s, MW]
            # Worked out for every game and kept where it has a fleet: a select, not a branch, so the loop vectorises.
            ratio = minimum(1.0, power_mw[i, s] * modifiers[i, s, capacity_at] / maximum(fleet_mw, 1e-9))
            util = ratio if fleet_mw > 0 else 1.0
            utilisation[i, s] = util
            compute_flops[i, s] = fleet_total[i, s, FLOPS] * util


def usable_compute(world: World) -> np.ndarray:
    """infra.usable_compute by kernel."""
    usable_compute_games(world.fleet_total, world.power_mw, world.modifiers, world.tables.mod_index["power_capacity"],
                         world.utilisation, world.compute_flops)
    return world.compute_flops


@njit
def energy_cost_games(fleet_total: np.ndarray, utilisation: np.ndarray, modifiers: np.ndarray, cost_at: int,
                      hours: float, power_usd_per_kwh: np.ndarray, usd_busd: np.ndarray) -> None:
    for i in range(fleet_total.shape[0]):
        for s in range(2):
            running_mw = fleet_total[i, s, MW] * utilisation[i, s]
            usd = running_mw * 1000.0 * hours * power_usd_per_kwh[s] * modifiers[i, s, cost_at]
            usd_busd[i, s] = usd * 1e-9


def energy_cost(world: World) -> np.ndarray:
    """infra.energy_cost by kernel."""
    t = world.tables
    usd_busd = np.empty((world.batch, 2))
    energy_cost_games(world.fleet_total, world.utilisation, world.modifiers, t.mod_index["power_cost"],
                      t.rules.supply.seconds_per_quarter / 3600.0, t.power_usd_per_kwh, usd_busd)
    return usd_busd
