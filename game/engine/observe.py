"""Derived figures (capability, compute, score), the observation vector, and each side's view."""

from __future__ import annotations

import numpy as np

from game.engine import mathx, streams
from game.engine.state import CHIPS, DOMESTIC, FLOPS, LOG_OBS, OBS, World


def capability_of(t, log10_eff: np.ndarray) -> np.ndarray:
    """Capability index 0-100: a logistic curve in log10 of effective training compute."""
    cap = t.rules.capability
    return 100.0 * mathx.logistic((log10_eff - cap.mid_log10) / cap.width_log10)


def tier_of(t, log10_eff: float) -> str:
    """Name of the capability tier an effective compute falls in ('below ...' under the first)."""
    tiers = t.rules.capability.tiers
    name = f"below {tiers[0].name}" if tiers else ""
    for tier in tiers:
        if log10_eff >= tier.log10_eff:
            name = tier.name
    return name


def deployment(world: World) -> np.ndarray:
    """Market-weighted adoption per side, 0-1."""
    weights = world.market_busd / mathx.rowsum(world.market_busd)[:, None]
    return mathx.rowsum(world.adoption * weights[:, None, :])


def self_sufficiency(world: World) -> np.ndarray:
    total = world.fleet_total[:, :, FLOPS]
    return np.where(total > 0, world.fleet_total[:, :, DOMESTIC] / np.where(total > 0, total, 1.0), 0.0)


def share(x: np.ndarray) -> np.ndarray:
    total = x[:, 0] + x[:, 1]
    safe = np.where(total > 0, total, 1.0)[:, None]
    return np.where(total[:, None] > 0, x / safe, 0.5)


def refresh(world: World) -> None:
    """Recompute the figures derived from stocks: capability and the score."""
    t = world.tables
    world.capability[:] = capability_of(t, world.model_log10_eff)
    parts = world.score_parts
    parts[:, :, 0] = world.capability / 100.0
    parts[:, :, 1] = share(np.where(world.turn[:, None] > 0, world.compute_flops, world.fleet_total[:, :, FLOPS]))
    parts[:, :, 2] = share(world.cum_revenue_busd)
    d = t.defense_index
    parts[:, :, 3] = (world.adoption[:, :, d] if d >= 0 else 0.0) * world.capability / 100.0
    parts[:, :, 4] = share(world.mindshare)
    parts[:, :, 5] = self_sufficiency(world)
    world.score[:] = 100.0 * mathx.rowsum(parts * t.score_weights)


def observe(world: World) -> np.ndarray:
    """The true observable figures, (batch, side, len(OBS))."""
    values = {
        "capability": world.capability,
        "compute_eflops": world.compute_flops / 1e18,
        "fleet_chips": world.fleet_total[:, :, CHIPS],
        "efficiency_log10": world.efficiency_log10,
        "revenue_busd": world.revenue_busd,
        "treasury_busd": world.treasury_busd,
        "mindshare": world.mindshare,
        "power_mw": world.power_mw,
        "fab_wafers_per_q": mathx.rowsum(world.fab_wafers_per_q),
        "euv_tools": world.euv_tools,
        "duv_tools": world.duv_tools,
        "packaging_chips_per_q": world.packaging_chips_per_q,
        "adoption": deployment(world),
        "score": world.score,
        "model_log10_eff": world.model_log10_eff,
        "self_sufficiency": self_sufficiency(world),
        "cum_revenue_busd": world.cum_revenue_busd,
    }
    return np.stack([values[name] for name in OBS], axis=-1)


def sigma(world: World) -> np.ndarray:
    """Relative error of each side's estimates of its rival."""
    t = world.tables
    intel_mult = world.modifiers[:, :, t.mod_index["intel"]]
    return t.rules.intel.base_sigma / (1.0 + world.intel_level * intel_mult)


def estimate(world: World, side: int) -> np.ndarray:
    """What `side` believes of its rival: last quarter's figures with noise, (batch, len(OBS))."""
    rival = 1 - side
    true = world.obs_lag[:, rival]
    sig = sigma(world)[:, side][:, None]
    index = np.arange(len(OBS))[None, :]
    noise = mathx.unit_noise(world.seed[:, None], world.turn[:, None], streams.INTEL + side, index)
    is_log = np.array([name in LOG_OBS for name in OBS])
    est = np.where(is_log, true + sig * noise, true * (1.0 + sig * noise))
    return np.where(is_log, est, np.maximum(est, 0.0) * (true >= 0) + est * (true < 0))


def view(world: World, side: int) -> dict[str, np.ndarray]:
    """Everything a player in `side`'s seat may see: own figures exact, the rival's estimated."""
    own = observe(world)[:, side]
    rival = estimate(world, side)
    out = {f"self.{name}": own[:, i] for i, name in enumerate(OBS)}
    out.update({f"rival.{name}": rival[:, i] for i, name in enumerate(OBS)})
    out["rival.model_open"] = world.model_open[:, 1 - side].astype(np.float64)  # public
    out["self.model_open"] = world.model_open[:, side].astype(np.float64)
    out["sigma"] = sigma(world)[:, side]
    out["turn"] = world.turn.astype(np.float64)
    out["export_tier"] = world.export_tier.astype(np.float64)
    return out
