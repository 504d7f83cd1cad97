"""Research: money and experiment compute raise algorithmic efficiency; published work diffuses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import mathx, streams
from game.engine.state import by_turn

if TYPE_CHECKING:
    from game.engine.state import World


def advance(world: World, money: np.ndarray, research_flop: np.ndarray) -> np.ndarray:
    t = world.tables
    r = t.rules.research
    x = money / by_turn(t.research_ref_busd_by_turn, world.turn)
    y = research_flop / 1e18 / by_turn(t.research_ref_eflop_by_turn, world.turn)
    # Money (people) and compute (experiments) are complements: their geometric mean drives progress.
    p = np.sqrt(x * y) * world.modifiers[:, :, t.mod_index["research"]]
    pace = p / (1.0 + p)
    gain = r.max_gain_log10_per_q * pace
    # A breakthrough (a DeepSeek-style leap) comes by chance, more often the harder a side pushes.
    draw = mathx.uniform(world.seed[:, None], world.turn[:, None], streams.BREAKTHROUGH, np.array([[0, 1]]))
    world.breakthrough[:] = draw < r.breakthrough_chance * pace
    gain = gain + np.where(world.breakthrough, r.breakthrough_log10, 0.0)
    own = world.efficiency_log10
    rival = own[:, ::-1]
    rival_open = world.model_open[:, ::-1]
    spill = np.maximum(rival - own, 0.0) * r.diffusion_per_q * np.where(rival_open, r.open_diffusion_mult, 1.0)
    world.efficiency_log10[:] = own + gain + np.minimum(spill, np.maximum(rival - own, 0.0))
    return money
