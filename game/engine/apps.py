"""Applications: adoption by sector (capability bars, money, inference capacity), revenue, mindshare."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import mathx
from game.engine.mathx import rowsum

if TYPE_CHECKING:
    from game.engine.state import World
    from game.engine.tables import Tables


def inference_demand(t: Tables, adoption: np.ndarray, market: np.ndarray, efficiency_log10: np.ndarray) -> np.ndarray:
    """Inference compute (1e18 FLOP) that serving `adoption` of `market` needs; efficiency gains make
    each dollar of revenue cheaper to serve. Shapes: (..., sectors) with efficiency (...)."""
    infer_scale = mathx.pow10(efficiency_log10 - t.rules.research.inference_ref_log10)
    demand: np.ndarray = rowsum(adoption * market * t.sector_infer) / infer_scale
    return demand


def deploy(world: World, money: np.ndarray, inference_flop: np.ndarray) -> np.ndarray:
    t = world.tables
    ap = t.rules.apps
    mi = t.mod_index
    world.market_busd[:] = world.market_busd * t.sector_growth_q
    market = world.market_busd[:, None, :] * t.revenue_mult[None, :, None]
    cap = world.capability[..., None]
    unlocked = cap >= t.sector_min_cap
    weights = np.where(unlocked, market, 0.0)
    total_w = rowsum(weights)[..., None]
    invest = np.where(total_w > 0, money[..., None] * weights / np.maximum(total_w, 1e-12), 0.0)
    q = invest / ap.ref_busd
    push = 2.0 * q / (1.0 + q)
    readiness = np.minimum(np.maximum((cap - t.sector_min_cap) / ap.readiness_span, 0.0), 1.0)
    adoption_mod = world.modifiers[:, :, mi["adoption"]][..., None]
    growth = t.sector_speed * readiness * push * adoption_mod * (1.0 - world.adoption)
    adoption = np.minimum(np.maximum(world.adoption + growth, 0.0), 1.0)
    # Serving needs inference compute; efficiency gains make each dollar of revenue cheaper to serve.
    demand = inference_demand(t, adoption, market, world.efficiency_log10)
    served = np.where(demand > 0, np.minimum(1.0, inference_flop / 1e18 / np.maximum(demand, 1e-12)), 1.0)
    adoption = adoption - adoption * t.sector_churn * (1.0 - served[..., None])
    world.adoption[:] = adoption
    world.served[:] = served
    revenue = rowsum(adoption * market) * served * world.modifiers[:, :, mi["revenue"]]
    world.revenue_busd[:] = revenue
    world.cum_revenue_busd[:] = world.cum_revenue_busd + revenue
    # Mindshare drifts toward each side's appeal among all the world's models.
    appeal = world.capability * (1.0 + ap.open_appeal_bonus * world.model_open) * world.modifiers[:, :, mi["mindshare"]]
    target = appeal / (appeal[:, :1] + appeal[:, 1:] + ap.rest_of_world_appeal)
    world.mindshare[:] = np.minimum(np.maximum(world.mindshare + ap.mindshare_rate * (target - world.mindshare), 0.0), 1.0)
    return money
