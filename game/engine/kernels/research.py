"""game/engine/research.py's advance compiled (rivalry and breakthrough_chance fused in): a few passes over the
games in numpy's order of operations, with the same draws (tests/engine/test_kernels_research.py)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from game.engine import streams
from game.engine.jit import njit
from game.engine.kernels.mathk import exp_row, ln_row, maximum, minimum, uniform1

if TYPE_CHECKING:
    from game.engine.state import World


@njit
def _advance(money: np.ndarray, research_flop: np.ndarray, modifiers: np.ndarray, seed: np.ndarray, turn: np.ndarray,
             efficiency_log10: np.ndarray, model_open: np.ndarray, breakthrough: np.ndarray,
             ref_busd_by_turn: np.ndarray, ref_eflop_by_turn: np.ndarray, i_research: int, max_gain_log10_per_q: float,
             chance_at_parity: float, rivalry_exponent: float, breakthrough_log10: float, diffusion_per_q: float,
             open_diffusion_mult: float, breakthrough_stream: int, pace_floor: float) -> None:
    batch = money.shape[0]
    last_turn = ref_busd_by_turn.shape[0] - 1
    # Each game's and side's figures in a row (game by side), so the logs and exponentials run a row at a time.
    pace = np.empty(2 * batch)
    floored = np.empty(2 * batch)
    log_pace = np.empty(2 * batch)
    for b in range(batch):
        row = min(turn[b], last_turn)
        for side in range(2):
            x = money[b, side] / ref_busd_by_turn[row]
            y = research_flop[b, side] / 1e18 / ref_eflop_by_turn[row]
            p = math.sqrt(x * y) * modifiers[b, side, i_research]
            p = p / (1.0 + p)
            pace[2 * b + side] = p
            floored[2 * b + side] = maximum(p, pace_floor)
    ln_row(floored, 2 * batch, log_pace)
    # rivalry: 2 x logistic(k x (own log pace - the rival's)), its exponential of -z first.
    edge = floored
    for i in range(2 * batch):
        edge[i] = -(rivalry_exponent * (log_pace[i] - log_pace[i ^ 1]))
    exp_row(edge, 2 * batch, edge)
    for b in range(batch):
        efficiency = efficiency_log10[b]
        own0, own1 = efficiency[0], efficiency[1]
        # Both sides' efficiency from the figures as they stood (each diffuses from the rival's old one).
        for side in range(2):
            i = 2 * b + side
            rivalry = 2.0 * (1.0 / (1.0 + edge[i]))
            chance = minimum(chance_at_parity * pace[i] * rivalry, 1.0)
            leap = uniform1(seed[b], turn[b], breakthrough_stream, side) < chance
            breakthrough[b, side] = leap
            gain = max_gain_log10_per_q * pace[i]
            gain = gain + (breakthrough_log10 if leap else 0.0)
            own, rival = (own0, own1) if side == 0 else (own1, own0)
            spill = maximum(rival - own, 0.0) * diffusion_per_q * (open_diffusion_mult if model_open[b, 1 - side] else 1.0)
            efficiency[side] = own + gain + minimum(spill, maximum(rival - own, 0.0))


def advance(world: World, money: np.ndarray, research_flop: np.ndarray, pace_floor: float) -> np.ndarray:
    """research.advance: the world changed in place, `money` returned (all of it is spent). `pace_floor`:
    research.PACE_FLOOR (given by the layer, which imports this module)."""
    t = world.tables
    r = t.rules.research
    _advance(money, research_flop, world.modifiers, world.seed, world.turn, world.efficiency_log10, world.model_open,
             world.breakthrough, t.research_ref_busd_by_turn, t.research_ref_eflop_by_turn, t.mod_index["research"],
             float(r.max_gain_log10_per_q), float(r.breakthrough_chance), float(r.breakthrough_rivalry),
             float(r.breakthrough_log10), float(r.diffusion_per_q), float(r.open_diffusion_mult), streams.BREAKTHROUGH,
             pace_floor)
    return money
