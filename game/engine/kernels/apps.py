"""game/engine/apps.py's deploy as one compiled loop over games (sector_contest and inference_demand fused in).

Each game's markets, contest, serving and mindshare are worked out in numpy's order of operations, so the bits are
the numpy path's; tests/engine/test_kernels_apps.py holds deploy to it call by call. `maximum`, `minimum` and `clip`
are numpy's element rules for one value (NaN and signed zeros included), for the kernels of apps, models and
research.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine.jit import njit
from game.engine.kernels.mathk import pow10_1, rowsum

if TYPE_CHECKING:
    from game.engine.state import World


@njit
def maximum(a: float, b: float) -> float:
    """np.maximum of one pair: a NaN in either wins; of equal values (0.0 and -0.0) the second."""
    return a if (a > b or a != a) else b


@njit
def minimum(a: float, b: float) -> float:
    """np.minimum of one pair: a NaN in either wins; of equal values (0.0 and -0.0) the second."""
    return a if (a < b or a != a) else b


@njit
def clip(x: float, lo: float, hi: float) -> float:
    """np.clip of one value: raised to lo only below it (so -0.0 stays -0.0 against 0.0), NaN kept."""
    if x < lo:
        x = lo
    return hi if x > hi else x


@njit
def _deploy(turn: np.ndarray, market_busd: np.ndarray, capability: np.ndarray, money: np.ndarray,
            modifiers: np.ndarray, adoption: np.ndarray, efficiency_log10: np.ndarray, inference_flop: np.ndarray,
            model_open: np.ndarray, served: np.ndarray, revenue_busd: np.ndarray, cum_revenue_busd: np.ndarray,
            mindshare: np.ndarray, growth_by_turn: np.ndarray, last_turn: int, min_cap: np.ndarray,
            speed: np.ndarray, open_share: np.ndarray, national: np.ndarray, sector_infer: np.ndarray,
            churn: np.ndarray, revenue_mult: np.ndarray, i_adoption: int, i_revenue: int, i_mindshare: int,
            ref_busd: float, readiness_span: float, switching: float, inference_ref_log10: float,
            open_appeal_bonus: float, rest_of_world_appeal: float, mindshare_rate: float) -> None:
    batch, sectors = market_busd.shape
    row = np.empty(sectors)  # one side's figures across the sectors, for a row sum in mathx's order
    pull = np.empty((2, sectors))
    adopted = np.empty((2, sectors))
    appeal = np.empty(2)
    for b in range(batch):
        growth_row = min(turn[b], last_turn)
        for s in range(sectors):
            market_busd[b, s] = market_busd[b, s] * growth_by_turn[growth_row, s]
        # How hard each side pushes in each market: its money by market size among the markets it can serve.
        for side in range(2):
            cap = capability[b, side]
            for s in range(sectors):
                row[s] = market_busd[b, s] if cap >= min_cap[s] else 0.0
            total_w = rowsum(row)
            for s in range(sectors):
                q = money[b, side] * row[s]
                q = q / maximum(total_w, 1e-12)
                if not total_w > 0:
                    q = 0.0
                q = q / ref_busd
                push = 2.0 * q
                q = q + 1.0
                push = push / q
                p = (cap - min_cap[s]) / readiness_span
                p = minimum(maximum(p, 0.0), 1.0)
                p = p * speed[s]
                p = p * push
                pull[side, s] = p * modifiers[b, side, i_adoption]
        # sector_contest, one market at a time.
        for s in range(sectors):
            a0, a1 = adoption[b, 0, s], adoption[b, 1, s]
            held = a0 + a1
            room = maximum(open_share[s] - held, 0.0)
            total = pull[0, s] + pull[1, s]
            live = total > 0
            live_f = 1.0 if live else 0.0
            for side in range(2):
                own = a0 if side == 0 else a1
                p = pull[side, s]
                switched = p / (total if live else 1.0)
                switched = switched * held
                switched = switched - own
                switched = switched * switching
                switched = switched * live_f
                won = room * p
                won = won / maximum(total, 1.0)
                out = own + switched
                out = out + won
                if national[s]:
                    out = own + (1.0 - own) * minimum(p, 1.0)
                adopted[side, s] = clip(out, 0.0, 1.0)
        # inference_demand, the customers served, and the revenue.
        for side in range(2):
            infer_scale = pow10_1(efficiency_log10[b, side] - inference_ref_log10)
            for s in range(sectors):
                row[s] = adopted[side, s] * market_busd[b, s] * sector_infer[s]
            demand = rowsum(row) / infer_scale
            share = 1.0
            if demand > 0:
                share = minimum(1.0, inference_flop[b, side] / 1e18 / maximum(demand, 1e-12))
            for s in range(sectors):
                lost = adopted[side, s] * churn[s]
                lost = lost * (1.0 - share)
                adoption[b, side, s] = adopted[side, s] - lost
            served[b, side] = share
            for s in range(sectors):
                row[s] = market_busd[b, s] * revenue_mult[side] * adoption[b, side, s]
            revenue = rowsum(row) * share * modifiers[b, side, i_revenue]
            revenue_busd[b, side] = revenue
            cum_revenue_busd[b, side] = cum_revenue_busd[b, side] + revenue
        # Mindshare drifts toward each side's appeal.
        for side in range(2):
            opened = 1.0 if model_open[b, side] else 0.0
            appeal[side] = capability[b, side] * (1.0 + open_appeal_bonus * opened) * modifiers[b, side, i_mindshare]
        for side in range(2):
            target = appeal[side] / (appeal[0] + appeal[1] + rest_of_world_appeal)
            drifted = mindshare[b, side] + mindshare_rate * (target - mindshare[b, side])
            mindshare[b, side] = minimum(maximum(drifted, 0.0), 1.0)


def deploy(world: World, money: np.ndarray, inference_flop: np.ndarray) -> np.ndarray:
    """apps.deploy: the world changed in place, `money` returned (all of it is spent)."""
    t = world.tables
    ap = t.rules.apps
    mi = t.mod_index
    _deploy(world.turn, world.market_busd, world.capability, money, world.modifiers, world.adoption,
            world.efficiency_log10, inference_flop, world.model_open, world.served, world.revenue_busd,
            world.cum_revenue_busd, world.mindshare, t.sector_growth_q_by_turn, int(t.scenario.turns),
            t.sector_min_cap, t.sector_speed, t.sector_open_share, t.sector_national, t.sector_infer, t.sector_churn,
            t.revenue_mult, mi["adoption"], mi["revenue"], mi["mindshare"], float(ap.ref_busd),
            float(ap.readiness_span), float(ap.switching_per_q), float(t.rules.research.inference_ref_log10),
            float(ap.open_appeal_bonus), float(ap.rest_of_world_appeal), float(ap.mindshare_rate))
    return money
