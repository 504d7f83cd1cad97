"""The start position: a batch of games at the scenario's start, scored and observed like any other state."""

from __future__ import annotations

import numpy as np

from game.engine import infra, observe, policy
from game.engine.state import CHIPS, DOMESTIC, FLOPS, MW, World, shapes
from game.engine.tables import PERMANENT, Tables


def new_world(tables: Tables, seeds: list[int] | np.ndarray) -> World:
    """Games at the scenario's start, one per seed."""
    seeds = np.asarray(seeds, dtype=np.uint64).reshape(-1)
    batch = seeds.shape[0]
    specs = shapes(tables)
    a = {name: np.zeros((batch,) + shape, dtype=dtype) for name, (dtype, shape) in specs.items()}
    a["seed"][:] = seeds
    a["export_tier"][:] = tables.scenario.export_tier
    a["market_busd"][:] = tables.sector_market
    node_ids = [n.id for n in tables.nodes]
    sector_ids = [s.id for s in tables.sectors]
    for s, start in enumerate(tables.starts):
        a["treasury_busd"][:, s] = start.treasury_busd
        a["base_budget_busd"][:, s] = start.base_budget_busd
        a["design_index"][:, s] = start.design_index
        for node, wafers in start.fab_wafers_per_q.items():
            a["fab_wafers_per_q"][:, s, node_ids.index(node)] = wafers
        onshore = start.fab_wafers_per_q if start.onshore_wafers_per_q is None else start.onshore_wafers_per_q
        for node, wafers in onshore.items():
            a["fab_onshore_wafers_per_q"][:, s, node_ids.index(node)] = wafers
        a["yields"][:, s] = tables.node_start_yield
        for node, y in start.yields.items():
            a["yields"][:, s, node_ids.index(node)] = y
        a["euv_tools"][:, s] = start.euv_tools
        a["duv_tools"][:, s] = start.duv_tools
        a["euv_domestic"][:, s] = start.euv_domestic
        a["packaging_chips_per_q"][:, s] = start.packaging_chips_per_q
        for cohort in start.fleet:
            c = tables.chip_ids.index(cohort.chip)
            age = (-cohort.age_quarters) % tables.rules.supply.fleet_life_quarters  # ring slot, see infra
            fleet = a["fleet"]
            fleet[:, s, CHIPS, age] += cohort.count
            fleet[:, s, FLOPS, age] += cohort.count * tables.chip_flops[c]
            fleet[:, s, MW, age] += cohort.count * tables.chip_kw[c] * tables.pue[s] / 1000.0
            if cohort.onshore:  # only chips from the side's onshore fabs count as its own
                fleet[:, s, DOMESTIC, age] += cohort.count * tables.chip_flops[c]
        a["power_mw"][:, s] = start.power_mw
        # Power already being built arrives in quarters 1, 2, ... (the ring slot infra reads at that turn).
        for k, mw in enumerate(start.power_building_mw):
            a["power_pipeline"][:, s, k % tables.power_slots] += mw
        a["efficiency_log10"][:, s] = start.efficiency_log10
        a["train_opex_usd_per_eflop"][:, s] = tables.rules.training.opex_usd_per_eflop
        a["model_log10_eff"][:, s] = start.model_log10_eff
        a["last_run_flop"][:, s] = start.last_run_flop
        a["run_flop"][:, s] = start.run_flop
        a["run_quarters"][:, s] = start.run_quarters_done
        for sector, share in start.adoption.items():
            a["adoption"][:, s, sector_ids.index(sector)] = share
        a["mindshare"][:, s] = start.mindshare
        a["intel_level"][:, s] = start.intel_level
    a["fleet_total"][:] = np.add.reduce(a["fleet"], axis=-1)
    a["modifiers"][:] = np.where(tables.mod_is_add, 0.0, 1.0)
    for ref in tables.scenario.active_policies:
        side_name, _, pid = ref.rpartition(":")
        for (policy_id, side), idx in tables.action_index.items():
            if policy_id == pid and (not side_name or ("us", "cn")[side] == side_name):
                dur = tables.actions[idx].duration
                a["policy_left"][:, idx] = PERMANENT if dur < 0 else max(dur, 1)
    world = World(tables, a)
    policy.compute_modifiers(world)
    infra.usable_compute(world)
    # Revenue before the first quarter: adoption at full service, so estimates have a baseline.
    market = world.market_busd[:, None, :] * tables.revenue_mult[None, :, None]
    world.revenue_busd[:] = (world.adoption * market).sum(axis=-1)
    observe.refresh(world)
    world.obs_lag[:] = observe.observe(world)
    return world
