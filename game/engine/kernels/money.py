"""game/engine/money.py for big batches: interest, income, spendable and the closing of the books as loops over
the games (the same bits)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine.jit import njit
from game.engine.kernels.mathk import maximum
from game.engine.state import FLOWS, FLOWS_IN

RETURNED = FLOWS.index("returned")  # as money.RETURNED (money imports this module)

if TYPE_CHECKING:
    from game.engine.state import World

if RETURNED != len(FLOWS) - 1:
    raise ImportError("money's close_books kernel adds 'returned' last, as the numpy path does; teach it the new order")


def interest(world: World) -> np.ndarray:
    """money.interest, (batch, 2)."""
    out = np.empty((world.batch, 2))
    _interest(out, world.treasury_busd, world.tables.rules.money.interest_per_q)
    return out


def income(world: World) -> np.ndarray:
    """money.income, (batch, 2)."""
    t = world.tables
    out = np.empty((world.batch, 2))
    _income(out, world.base_budget_busd, world.modifiers, t.mod_index["budget"], world.debt_quarters,
            t.rules.money.crisis_budget_mult)
    return out


def spendable(world: World, base: np.ndarray) -> np.ndarray:
    """money.spendable, (batch, 2)."""
    out = np.empty((world.batch, 2))
    _spendable(out, world.treasury_busd, base, world.tables.credit_line_busd)
    return out


def close_books(world: World, flows: np.ndarray) -> None:
    """money.close_books: "returned" written into `flows`, the treasury, debt counters and budget moved."""
    t = world.tables
    m = t.rules.money
    # Flows apart from the world's (resolve's kernels write them a flow at a time) are copied in by the loop.
    _close_books(flows, world.flows_busd, flows is not world.flows_busd, world.treasury_busd, world.base_budget_busd,
                 world.debt_quarters, len(FLOWS_IN), RETURNED, m.idle_cap_quarters, m.idle_return_share, t.debt_limit,
                 t.budget_growth_q)


@njit
def _interest(out: np.ndarray, treasury: np.ndarray, rate: float) -> None:
    for g in range(out.shape[0]):
        for s in range(2):
            out[g, s] = maximum(-treasury[g, s], 0.0) * rate


# Helpers take numbers, not arrays: a call that passes an array costs more than these figures (if not inlined).
@njit
def income1(base_budget: float, budget_mod: float, debt_quarters: int, crisis_mult: float) -> float:
    """money.income of one side."""
    return base_budget * budget_mod * (crisis_mult if debt_quarters > 0 else 1.0)


@njit
def spendable1(treasury: float, base: float, credit_line: float) -> float:
    """money.spendable of one side, from its base budget."""
    return maximum(treasury + base + credit_line, 0.0)


@njit
def _income(out: np.ndarray, base_budget: np.ndarray, modifiers: np.ndarray, budget_at: int,
            debt_quarters: np.ndarray, crisis_mult: float) -> None:
    for g in range(out.shape[0]):
        for s in range(2):
            out[g, s] = income1(base_budget[g, s], modifiers[g, s, budget_at], debt_quarters[g, s], crisis_mult)


@njit
def _spendable(out: np.ndarray, treasury: np.ndarray, base: np.ndarray, credit_line: np.ndarray) -> None:
    for g in range(out.shape[0]):
        for s in range(2):
            out[g, s] = spendable1(treasury[g, s], base[g, s], credit_line[s])


@njit
def _close_books(flows: np.ndarray, world_flows: np.ndarray, copy: bool, treasury: np.ndarray, base_budget: np.ndarray,
                 debt_quarters: np.ndarray, n_in: int, returned_at: int, idle_cap_quarters: float,
                 idle_return_share: float, debt_limit: np.ndarray, budget_growth_q: np.ndarray) -> None:
    n = flows.shape[2]
    for g in range(flows.shape[0]):
        for s in range(2):
            flows[g, s, returned_at] = 0.0
            total_in = flows[g, s, 0]  # mathx.running_sum: one at a time, in order
            for k in range(1, n_in):
                total_in += flows[g, s, k]
            total_out = flows[g, s, n_in]
            for k in range(n_in + 1, n):
                total_out += flows[g, s, k]
            closing = treasury[g, s] + total_in - total_out
            back = maximum(closing - idle_cap_quarters * base_budget[g, s], 0.0) * idle_return_share
            flows[g, s, returned_at] = back
            if copy:
                for k in range(n):
                    world_flows[g, s, k] = flows[g, s, k]
            total_out += back
            treasury[g, s] = treasury[g, s] + total_in - total_out
            debt_quarters[g, s] = debt_quarters[g, s] + 1 if treasury[g, s] < -debt_limit[s] else 0
            base_budget[g, s] = base_budget[g, s] * budget_growth_q[s]
