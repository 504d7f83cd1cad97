"""game/engine/apps.py's deploy compiled (sector_contest and inference_demand fused in).

Each game's markets, contest, serving and mindshare are worked out in numpy's order of operations, so the bits are
the numpy path's; tests/engine/test_kernels_apps.py holds deploy to it call by call.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from game.engine.jit import njit
from game.engine.kernels.mathk import clip, maximum, minimum, pow10_row, rowsum

if TYPE_CHECKING:
    from game.engine.state import World


@njit
def power_of_two(x: float) -> bool:
    """Whether x is a power of two whose reciprocal is a normal number too (then y / x is y * (1 / x) exactly)."""
    mantissa, exponent = math.frexp(x)  # x = mantissa x 2**exponent, mantissa 0.5 for a positive power of two
    return mantissa == 0.5 and -1021 <= exponent <= 1023


# Games worked on at once: their figures, laid out side by sector by game as the numpy path lays them out, stay
# in the L1 cache, and a loop over the games of a block runs as vector instructions (the divisions dominate).
BLOCK = 64


@njit
def _sums_by_game(a: np.ndarray, n: int, out: np.ndarray, row: np.ndarray) -> None:
    """mathx.rowsum over the sectors (the first axis) of a (sectors, games) block, for its first n games."""
    sectors = a.shape[0]
    if sectors > 8:
        for g in range(n):
            for s in range(sectors):
                row[s] = a[s, g]
            out[g] = rowsum(row)
        return
    for g in range(n):
        out[g] = a[0, g]
    for s in range(1, sectors):
        for g in range(n):
            out[g] = out[g] + a[s, g]


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
    # A division by a power of two is a multiplication by its reciprocal, to the bit: one division fewer a
    # sector and side (the loop's divisions are what it waits on), when the content's reference is one.
    ref_inverse = 1.0 / ref_busd
    by_inverse = power_of_two(ref_busd)
    market = np.empty((sectors, BLOCK))
    held = np.empty((2, sectors, BLOCK))  # adoption before the quarter, then after
    pull = np.empty((2, sectors, BLOCK))
    work = np.empty((sectors, BLOCK))  # one side's figures by sector, summed over the sectors
    total = np.empty(BLOCK)
    readiness = np.empty(BLOCK)  # a side's readiness for one sector's market
    side_figures = np.empty((6, 2, BLOCK))  # capability, money, the three modifiers, inference FLOP
    cap, cash, adopt_mod, revenue_mod, mind_mod, flop = (side_figures[0], side_figures[1], side_figures[2],
                                                         side_figures[3], side_figures[4], side_figures[5])
    share = np.empty((2, BLOCK))
    appeal = np.empty((2, BLOCK))
    won = np.empty((2, BLOCK))  # each side's customers won from the uncaptured market in a sector
    target = np.empty((2, BLOCK))  # the mindshare each side's appeal draws toward
    row = np.empty(sectors)
    # What serving a customer costs against the reference efficiency, every game's and side's at once: a side's
    # games in a row (side by game), so a block's demand reads them in order and runs as vector instructions.
    infer_scale = np.empty(2 * batch)
    for b in range(batch):
        for side in range(2):
            infer_scale[side * batch + b] = efficiency_log10[b, side] - inference_ref_log10
    pow10_row(infer_scale, 2 * batch, infer_scale)
    for first in range(0, batch, BLOCK):
        n = min(BLOCK, batch - first)
        for g in range(n):
            b = first + g
            growth_row = min(turn[b], last_turn)
            for s in range(sectors):
                grown = market_busd[b, s] * growth_by_turn[growth_row, s]
                market_busd[b, s] = grown
                market[s, g] = grown
            for side in range(2):
                cap[side, g] = capability[b, side]
                cash[side, g] = money[b, side]
                adopt_mod[side, g] = modifiers[b, side, i_adoption]
                revenue_mod[side, g] = modifiers[b, side, i_revenue]
                mind_mod[side, g] = modifiers[b, side, i_mindshare]
                flop[side, g] = inference_flop[b, side]
                for s in range(sectors):
                    held[side, s, g] = adoption[b, side, s]
        # How hard each side pushes in each market: its money by market size among the markets it can serve.
        for side in range(2):
            for s in range(sectors):
                for g in range(n):
                    work[s, g] = market[s, g] if cap[side, g] >= min_cap[s] else 0.0
            _sums_by_game(work, n, total, row)
            for s in range(sectors):
                # The readiness, (capability - the sector's minimum) / span clipped to [0, 1]: where no game of
                # the block is part way (nor NaN) it is 0.0 or 1.0 by the comparison alone (the division rounds
                # monotonically), and the block skips the division.
                steady = 0.0 < readiness_span < np.inf
                for g in range(n):
                    ahead = cap[side, g] - min_cap[s]
                    readiness[g] = ahead
                    steady &= ahead <= 0.0 or ahead >= readiness_span
                if steady:
                    for g in range(n):
                        readiness[g] = 1.0 if readiness[g] >= readiness_span else 0.0
                else:
                    for g in range(n):
                        readiness[g] = minimum(maximum(readiness[g] / readiness_span, 0.0), 1.0)
                for g in range(n):
                    q = cash[side, g] * work[s, g]
                    q = q / maximum(total[g], 1e-12)
                    q = q if total[g] > 0 else 0.0
                    q = q * ref_inverse if by_inverse else q / ref_busd
                    push = 2.0 * q
                    q = q + 1.0
                    push = push / q
                    p = readiness[g] * speed[s]
                    p = p * push
                    pull[side, s, g] = p * adopt_mod[side, g]
        # sector_contest.
        for s in range(sectors):
            if national[s]:  # each side adopts from all of its own market
                for side in range(2):
                    for g in range(n):
                        own = held[side, s, g]
                        held[side, s, g] = clip(own + (1.0 - own) * minimum(pull[side, s, g], 1.0), 0.0, 1.0)
                continue
            crowded = False  # a game whose pulls add up past 1 (or to NaN): its customers won are divided by them
            for g in range(n):
                a0, a1 = held[0, s, g], held[1, s, g]
                p0, p1 = pull[0, s, g], pull[1, s, g]
                both = a0 + a1
                room = maximum(open_share[s] - both, 0.0)
                pulled = p0 + p1
                live = pulled > 0
                split_by = pulled if live else 1.0
                live_f = 1.0 if live else 0.0
                crowded |= not pulled <= 1.0
                switched = p0 / split_by
                switched = switched * both
                switched = switched - a0
                switched = switched * switching
                switched = switched * live_f
                held[0, s, g] = a0 + switched
                won[0, g] = room * p0
                switched = p1 / split_by
                switched = switched * both
                switched = switched - a1
                switched = switched * switching
                switched = switched * live_f
                held[1, s, g] = a1 + switched
                won[1, g] = room * p1
            if crowded:  # elsewhere the division is by maximum(pulled, 1.0) = 1.0, which changes no bit
                for side in range(2):
                    for g in range(n):
                        won[side, g] = won[side, g] / maximum(pull[0, s, g] + pull[1, s, g], 1.0)
            for side in range(2):
                for g in range(n):
                    held[side, s, g] = clip(held[side, s, g] + won[side, g], 0.0, 1.0)
        # inference_demand, the customers served (those lost go back to the uncaptured market), the revenue.
        for side in range(2):
            for s in range(sectors):
                for g in range(n):
                    work[s, g] = held[side, s, g] * market[s, g] * sector_infer[s]
            _sums_by_game(work, n, total, row)
            for g in range(n):
                demand = total[g] / infer_scale[side * batch + first + g]
                served_share = minimum(1.0, flop[side, g] / 1e18 / maximum(demand, 1e-12))
                share[side, g] = served_share if demand > 0 else 1.0
            for s in range(sectors):
                for g in range(n):
                    lost = held[side, s, g] * churn[s]
                    lost = lost * (1.0 - share[side, g])
                    kept = held[side, s, g] - lost
                    held[side, s, g] = kept
                    work[s, g] = market[s, g] * revenue_mult[side] * kept
            _sums_by_game(work, n, total, row)
            for g in range(n):
                revenue = total[g] * share[side, g] * revenue_mod[side, g]
                total[g] = revenue
            for g in range(n):
                b = first + g
                served[b, side] = share[side, g]
                revenue_busd[b, side] = total[g]
                cum_revenue_busd[b, side] = cum_revenue_busd[b, side] + total[g]
                for s in range(sectors):
                    adoption[b, side, s] = held[side, s, g]
        # Mindshare drifts toward each side's appeal.
        for side in range(2):
            for g in range(n):
                opened = 1.0 if model_open[first + g, side] else 0.0
                appeal[side, g] = cap[side, g] * (1.0 + open_appeal_bonus * opened) * mind_mod[side, g]
        for side in range(2):  # the targets a side at a time, as vector instructions (a division each)
            for g in range(n):
                target[side, g] = appeal[side, g] / (appeal[0, g] + appeal[1, g] + rest_of_world_appeal)
        for g in range(n):
            b = first + g
            for side in range(2):
                drifted = mindshare[b, side] + mindshare_rate * (target[side, g] - mindshare[b, side])
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
