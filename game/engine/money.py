"""Money: the quarter's budget and income, and the closing of the books (debt, crisis, bankruptcy)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import jit
from game.engine.mathx import running_sum
from game.engine.state import FLOWS, FLOWS_IN

RETURNED = FLOWS.index("returned")

if TYPE_CHECKING:
    from game.engine.state import World


def income(world: World) -> np.ndarray:
    """Base budget this quarter (cut while in crisis), per side."""
    if jit.active(world.batch):
        from game.engine.kernels import money as k

        return k.income(world)
    t = world.tables
    budget_mod = world.modifiers[:, :, t.mod_index["budget"]]
    crisis = world.debt_quarters > 0
    return world.base_budget_busd * budget_mod * np.where(crisis, t.rules.money.crisis_budget_mult, 1.0)


def credit_line(world: World) -> np.ndarray:
    """What a side may borrow this quarter on top of its own money, per side: a share of its debt limit."""
    line: np.ndarray = world.tables.credit_line_busd
    return line


def spendable(world: World, base: np.ndarray) -> np.ndarray:
    """What the allocation shares divide: treasury, this quarter's base budget, and a credit line."""
    if jit.active(world.batch):
        from game.engine.kernels import money as k

        return k.spendable(world, base)
    # The credit line repeated for the batch (tables.SideTiles): the same sums, faster.
    credit = world.tables.sided(world.batch).credit_line_busd
    pot: np.ndarray = np.maximum(world.treasury_busd + base + credit, 0.0)
    return pot


def drawn(world: World, base: np.ndarray, share: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What allocating `share` (B, 2) of the pot spends, how much of that is borrowed (beyond the treasury and
    base budget) and how much of them the treasury keeps, before this quarter's revenue and running costs."""
    spend = share * spendable(world, base)
    own = np.maximum(world.treasury_busd + base, 0.0)
    return spend, np.maximum(spend - own, 0.0), np.maximum(own - spend, 0.0)


def close_books(world: World, flows: np.ndarray) -> None:
    """treasury(t+1) = treasury(t) + income - spending, then debt counters and budget growth. The last of the
    spending, "returned", is written here: idle money that flows back (returned)."""
    if jit.active(world.batch):
        from game.engine.kernels import money as k

        k.close_books(world, flows)
        return
    t = world.tables
    n_in = len(FLOWS_IN)
    flows[:, :, RETURNED] = 0.0
    total_in = running_sum(flows[:, :, :n_in])
    total_out = running_sum(flows[:, :, n_in:])
    back = returned(world, world.treasury_busd + total_in - total_out)
    flows[:, :, RETURNED] = back
    # "returned" is the last flow and running_sum adds in order, so this is the sum with it, bit for bit.
    total_out += back
    if flows is not world.flows_busd:
        world.flows_busd[:] = flows
    world.treasury_busd[:] = world.treasury_busd + total_in - total_out
    sided = t.sided(world.batch)
    beyond = world.treasury_busd < -sided.debt_limit
    world.debt_quarters[:] = np.where(beyond, world.debt_quarters + 1, 0)
    world.base_budget_busd *= sided.budget_growth_q


def returned(world: World, closing_busd: np.ndarray) -> np.ndarray:
    """Idle money that flows back to investors at the close of a quarter, per side: a share of the closing treasury
    above what the side can absorb (rules money.idle_cap_quarters of its base budget). Capital follows what can be
    built: a side that leaves its budget unspent sees it go back, not pile up."""
    m = world.tables.rules.money
    excess = closing_busd - m.idle_cap_quarters * world.base_budget_busd
    out: np.ndarray = np.maximum(excess, 0.0) * m.idle_return_share
    return out


def interest(world: World) -> np.ndarray:
    if jit.active(world.batch):
        from game.engine.kernels import money as k

        return k.interest(world)
    return np.maximum(-world.treasury_busd, 0.0) * world.tables.rules.money.interest_per_q
