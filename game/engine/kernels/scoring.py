"""game/engine/scoring.py for big batches: settle (the verdict, the lead track and the three ways a game ends)
and decisive as one loop over the games (the same bits)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine.jit import njit
from game.engine.kernels.mathk import rowsum
from game.engine.kernels.observe import _deployment, refresh
from game.engine.state import BANKRUPTCY, CN, DECISIVE, DRAW, LEAD_TIE_MONTHS, TRACK, US

if TYPE_CHECKING:
    from game.engine.state import World
    from game.engine.tables import Tables


def decisive_terms(t: Tables) -> tuple[float, float, float, float]:
    """The decisive lead's three bars (log10 effective compute, deployment, months) and the lead's growth a year."""
    sc = t.scoring
    return (t.decisive_log10, sc.decisive_deployment, sc.decisive_margin_months, t.rules.lead.growth_log10_per_year)


def decisive(world: World) -> np.ndarray:
    """scoring.decisive, (batch, 2)."""
    t = world.tables
    hit = np.empty((world.batch, 2), dtype=np.bool_)
    deployed = np.empty((world.batch, 2))
    _deployment(deployed, world.market_busd, world.adoption, t.sector_open_share)
    _decisive(hit, world.model_log10_eff, deployed, *decisive_terms(t))
    return hit


def settle(world: World) -> None:
    """scoring.settle: this quarter's verdict, the track, and the games that end."""
    t = world.tables
    deployed = refresh(world, False, world.verdict)
    _settle(world.verdict, world.track_parts, world.track, world.winner, world.reason, world.done,
            world.model_log10_eff, deployed, world.debt_quarters, world.cum_revenue_busd, world.turn, t.verdict_weights,
            t.quarter_weight, t.rules.money.bankrupt_quarters, t.scenario.turns, t.scoring.tie_margin, *decisive_terms(t))


@njit
def decide1(a: float, b: float, margin: float) -> int:
    """scoring.decide of one game: 0 where a wins, 1 where b wins, -1 where level within margin."""
    if a > b + margin:
        return 0
    if b > a + margin:
        return 1
    return -1


# Helpers take numbers, not arrays: a call that passes an array costs more than these figures (if not inlined).
@njit
def lead1(own_log10: float, rival_log10: float, growth: float) -> float:
    """observe.lead_months of one side: from its frontier and the rival's (log10 effective compute)."""
    return 12.0 * (own_log10 - rival_log10) / growth


@njit
def decisive1(own_log10: float, rival_log10: float, deployed: float, bar_log10: float, bar_deployment: float,
              bar_months: float, growth: float) -> bool:
    """scoring.decisive of one side (`deployed`: its observe.deployment)."""
    return own_log10 >= bar_log10 and deployed >= bar_deployment and lead1(own_log10, rival_log10, growth) >= bar_months


@njit
def _decisive(hit: np.ndarray, model: np.ndarray, deployed: np.ndarray, bar_log10: float, bar_deployment: float,
              bar_months: float, growth: float) -> None:
    for g in range(hit.shape[0]):
        for s in range(2):
            hit[g, s] = decisive1(model[g, s], model[g, 1 - s], deployed[g, s], bar_log10, bar_deployment, bar_months,
                                  growth)


@njit
def _settle(verdict: np.ndarray, track_parts: np.ndarray, track: np.ndarray, winner: np.ndarray, reason: np.ndarray,
            done: np.ndarray, model: np.ndarray, deployed: np.ndarray, debt_quarters: np.ndarray,
            cum_revenue: np.ndarray, turn: np.ndarray, part_weights: np.ndarray,
            quarter_weight: np.ndarray, bankrupt_quarters: int, last_turn: int, tie_margin: float, bar_log10: float,
            bar_deployment: float, bar_months: float, growth: float) -> None:
    parts = verdict.shape[2]
    short = parts <= 8
    gained = np.empty(parts)
    for g in range(verdict.shape[0]):
        if done[g]:
            continue  # a game over keeps its track and its end
        weight = quarter_weight[min(turn[g], quarter_weight.shape[0] - 1)]
        for s in range(2):
            if short:  # mathx.running_sum of the parts' points inline, one at a time (no row to sum)
                total = 0.0
                for p in range(parts):
                    point = 100.0 * verdict[g, s, p] * part_weights[p] * weight
                    track_parts[g, s, p] = track_parts[g, s, p] + point
                    total = point if p == 0 else total + point
                track[g, s] = track[g, s] + total
                continue
            for p in range(parts):
                gained[p] = 100.0 * verdict[g, s, p] * part_weights[p] * weight
                track_parts[g, s, p] = track_parts[g, s, p] + gained[p]
            track[g, s] = track[g, s] + rowsum(gained)
        won0 = decisive1(model[g, 0], model[g, 1], deployed[g, 0], bar_log10, bar_deployment, bar_months, growth)
        won1 = decisive1(model[g, 1], model[g, 0], deployed[g, 1], bar_log10, bar_deployment, bar_months, growth)
        broke0 = debt_quarters[g, 0] >= bankrupt_quarters
        broke1 = debt_quarters[g, 1] >= bankrupt_quarters
        if won0 or won1:
            if won0 and won1:
                first = decide1(track[g, 0], track[g, 1], tie_margin)
                winner[g] = DRAW if first < 0 else first
            else:
                winner[g] = US if won0 else CN
            reason[g] = DECISIVE
        elif broke0 or broke1:
            winner[g] = DRAW if broke0 and broke1 else (CN if broke0 else US)
            reason[g] = BANKRUPTCY
        elif turn[g] >= last_turn:
            w = decide1(track[g, 0], track[g, 1], tie_margin)
            if w < 0:
                w = decide1(lead1(model[g, 0], model[g, 1], growth), lead1(model[g, 1], model[g, 0], growth),
                            LEAD_TIE_MONTHS)
            if w < 0:
                w = decide1(cum_revenue[g, 0], cum_revenue[g, 1], 1e-9)
            winner[g] = DRAW if w < 0 else w
            reason[g] = TRACK
        else:
            continue
        done[g] = True
