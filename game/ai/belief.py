"""A believed world: the real one with the rival's side rebuilt from what `side` can know.

The rival's hidden state (its fleet, fabs, pipelines, run in progress, budget) is replaced by the
public scenario start, scaled to the intelligence estimate of each observable figure. Policies in
force, events, the export tier, markets and whether the rival's weights are open are public and
kept. The seed is re-mixed so look-ahead never sees the real game's future draws.
"""

from __future__ import annotations

import numpy as np

from game.engine import infra, mathx, observe, policy, streams
from game.engine.start import new_world
from game.engine.state import CHIPS, DOMESTIC, FLOPS, World
from game.schema import OBS_INDEX, PUBLIC_SIDE_FIELDS, SIDE_FIELD_NAMES

_START: dict[int, World] = {}


def start_of(tables) -> World:
    """The scenario's start (one game), cached per content: public knowledge."""
    key = id(tables)
    if key not in _START or _START[key].tables is not tables:
        _START[key] = new_world(tables, [0])
    return _START[key]


def believed(world: World, side: int, games: np.ndarray | None = None) -> World:
    """The world as `side` believes it, or of some of its games (indices), in that order."""
    t = world.tables
    r = 1 - side
    w = world.copy() if games is None else world.take(games)
    est = observe.estimate(w, side)  # before anything changes: the estimate of the world as it is
    start = start_of(t)
    for name in SIDE_FIELD_NAMES:
        if name not in PUBLIC_SIDE_FIELDS:
            getattr(w, name)[:, r] = getattr(start, name)[0, r]
    turn = w.turn.astype(np.float64)
    w.base_budget_busd[:, r] = t.starts[r].base_budget_busd * mathx.pow10(turn * mathx.log10(t.budget_growth_q[r]))
    w.train_opex_usd_per_eflop[:, r] = t.rules.training.opex_usd_per_eflop * mathx.pow10(
        turn * mathx.log10(1.0 - t.rules.training.opex_decline_per_q))
    for name in ("treasury_busd", "revenue_busd", "cum_revenue_busd", "mindshare", "power_mw", "euv_tools",
                 "duv_tools", "packaging_chips_per_q", "efficiency_log10", "model_log10_eff"):
        getattr(w, name)[:, r] = est[:, OBS_INDEX[name]]
    w.mindshare[:, r] = np.clip(w.mindshare[:, r], 0.0, 1.0)

    def ratio(now: np.ndarray, then: float) -> np.ndarray:
        return np.where(then > 0, np.maximum(now, 0.0) / max(then, 1e-12), 0.0)

    wafers0 = float(start.fab_wafers_per_q[0, r].sum())
    wafers_ratio = ratio(est[:, OBS_INDEX["fab_wafers_per_q"]], wafers0)
    w.fab_wafers_per_q[:, r] = start.fab_wafers_per_q[0, r][None, :] * wafers_ratio[:, None]
    chips0 = float(start.fleet_total[0, r, CHIPS])
    scale = ratio(est[:, OBS_INDEX["fleet_chips"]], chips0)
    w.fleet[:, r] = start.fleet[0, r][None] * scale[:, None, None]
    # The part of that fleet made at home, as estimated (the verdict's supply part reads it).
    flops = w.fleet[:, r, FLOPS]
    w.fleet[:, r, DOMESTIC] = flops * np.clip(est[:, OBS_INDEX["self_sufficiency"]], 0.0, 1.0)[:, None]
    w.fleet_total[:, r] = np.add.reduce(w.fleet[:, r], axis=-1)
    dep0 = float(observe.deployment(start)[0, r])
    w.adoption[:, r] = np.clip(start.adoption[0, r][None, :] * ratio(est[:, OBS_INDEX["adoption"]], dep0)[:, None], 0.0, 1.0)
    w.obs_lag[:, r] = est
    w.seed[:] = mathx.derive_seed(w.seed, w.turn, streams.BELIEF + side)
    policy.compute_modifiers(w)
    infra.usable_compute(w)
    observe.refresh(w)
    return w
