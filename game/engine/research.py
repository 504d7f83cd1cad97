"""Research: money and experiment compute raise algorithmic efficiency; published work diffuses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import jit, mathx, streams
from game.engine.state import by_turn

if TYPE_CHECKING:
    from game.engine.state import World


BOTH_SIDES = np.array([[0, 1]])  # a draw for each side


def advance(world: World, money: np.ndarray, research_flop: np.ndarray) -> np.ndarray:
    if jit.active(world.batch):
        from game.engine.kernels import research as k

        return k.advance(world, money, research_flop, PACE_FLOOR)
    t = world.tables
    r = t.rules.research
    x = money / by_turn(t.research_ref_busd_by_turn, world.turn)
    y = research_flop / 1e18 / by_turn(t.research_ref_eflop_by_turn, world.turn)
    # Money (people) and compute (experiments) are complements: their geometric mean drives progress.
    p = np.sqrt(x * y) * world.modifiers[:, :, t.mod_index["research"]]
    pace = p / (1.0 + p)
    gain = r.max_gain_log10_per_q * pace
    # Breakthroughs (DeepSeek-style leaps) are many small ones, not one lottery: the chance rises with a side's
    # pace and with its pace against the rival's, so pressing research is a lever, not luck.
    draw = mathx.uniform(world.seed[:, None], world.turn[:, None], streams.BREAKTHROUGH, BOTH_SIDES)
    world.breakthrough[:] = draw < breakthrough_chance(r.breakthrough_chance, r.breakthrough_rivalry, pace)
    gain = gain + np.where(world.breakthrough, r.breakthrough_log10, 0.0)
    own = world.efficiency_log10
    rival = own[:, ::-1]
    rival_open = world.model_open[:, ::-1]
    spill = np.maximum(rival - own, 0.0) * r.diffusion_per_q * np.where(rival_open, r.open_diffusion_mult, 1.0)
    world.efficiency_log10[:] = own + gain + np.minimum(spill, np.maximum(rival - own, 0.0))
    return money


# Below this a pace counts as none: its log stays finite, and two sides that both do no research are even.
PACE_FLOOR = 1e-12


def rivalry(pace: np.ndarray, exponent: float) -> np.ndarray:
    """(B, 2) in (0, 2): 2 x own^k / (own^k + rival^k) of each side's research pace, as 2 x logistic(k x ln(own /
    rival)): 1 at an even race, rising with its own pace and falling with the rival's, bounded so that out-researching
    the rival at most doubles the chance. Pace, not raw effort: research saturates, and so does the edge it buys."""
    log_pace = mathx.ln(np.maximum(pace, PACE_FLOOR))
    out: np.ndarray = 2.0 * mathx.logistic(exponent * (log_pace - log_pace[:, ::-1]))
    return out


def breakthrough_chance(chance_at_parity: float, exponent: float, pace: np.ndarray) -> np.ndarray:
    """(B, 2): a quarter's chance of a breakthrough, chance_at_parity x pace at an even research race, scaled by
    rivalry (up to double for a side far ahead in research, towards none for one far behind)."""
    out: np.ndarray = np.minimum(chance_at_parity * pace * rivalry(pace, exponent), 1.0)
    return out
