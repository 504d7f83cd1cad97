"""game/engine/design.py for big batches: advance as one loop over the games (the same bits)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine.jit import njit

if TYPE_CHECKING:
    from game.engine.state import World
    from game.engine.tables import Tables


def advance(world: World, money: np.ndarray) -> np.ndarray:
    """design.advance: returns the money spent, (batch, 2)."""
    t = world.tables
    spent = np.empty((world.batch, 2))
    _advance(world.design_index, world.design_progress_busd, world.modifiers, t.mod_index["design_cost"], world.turn,
             money, t.design_at_top, t.design_next_cost, t.design_next_year, *year_terms(t), spent)
    return spent


def year_terms(t: Tables) -> tuple[float, int]:
    """Tables.year(turn) is start_year + (start_quarter - 1 + turn) * 0.25: its two integer terms (year1 takes them)."""
    return float(t.scenario.start_year), t.scenario.start_quarter - 1


@njit
def year1(start_year: float, quarters_before: int, turn: int) -> float:
    """Tables.year for one game's turn."""
    return start_year + float(quarters_before + turn) * 0.25


@njit
def _advance(index: np.ndarray, progress: np.ndarray, modifiers: np.ndarray, cost_at: int, turn: np.ndarray,
             money: np.ndarray, at_top: np.ndarray, next_cost: np.ndarray, next_year: np.ndarray, start_year: float,
             quarters_before: int, spent: np.ndarray) -> None:
    for g in range(index.shape[0]):
        year = year1(start_year, quarters_before, turn[g])
        for s in range(2):
            step = index[g, s]
            top = at_top[s, step]
            paid = 0.0 if top else money[g, s]
            spent[g, s] = paid
            progress[g, s] = progress[g, s] + paid / modifiers[g, s, cost_at]
            cost = next_cost[s, step]
            if not top and progress[g, s] >= cost and year >= next_year[s, step]:
                progress[g, s] = progress[g, s] - cost
                index[g, s] = step + 1
