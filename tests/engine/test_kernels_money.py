"""game/engine/kernels/money.py gives money.py's bits: interest, income, spendable and close_books replayed from
their recorded calls with kernels off and on (results and the world after), and on books the snapshots rarely
reach (deep debt, a treasury of -0.0, NaN, flows passed apart from the world's)."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine import jit, money
from tests.engine.kernel_worlds import both_paths, layer_calls, same_bits, snapshots

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


@pytest.mark.parametrize("name", ["interest", "income", "spendable", "close_books"])
def test_layer_calls_are_the_same_with_kernels(name: str) -> None:
    seen = 0
    for label, fn, args in layer_calls(money, name, quarters=40, every=3):
        both_paths(label, fn, args)
        seen += 1
    assert seen >= 4 * 3


def test_books_in_debt_at_zero_and_not_finite() -> None:
    for label, world, _us, _cn in snapshots(quarters=30, every=14):
        t = world.tables
        g = np.arange(world.batch)
        world.treasury_busd[g % 3 == 0] = -2.0 * t.debt_limit  # past the limit: interest, crisis, a debt quarter
        world.treasury_busd[g % 3 == 1, 1] = -t.debt_limit[1]  # at the limit
        world.treasury_busd[g % 7 == 2] = -0.0
        world.treasury_busd[g % 7 == 3] = 0.0
        world.debt_quarters[g % 4 == 0] = 2
        world.treasury_busd[g % 11 == 5, 0] = np.nan
        world.base_budget_busd[g % 13 == 6, 1] = np.inf
        flows = np.random.default_rng(int(world.turn[0])).uniform(0.0, 50.0, world.flows_busd.shape)
        flows[g % 5 == 0] = -0.0
        base = np.full((world.batch, 2), -0.0)
        base[g % 2 == 0] = 3.0
        with np.errstate(invalid="ignore"):  # as a quarter runs (resolve.advance)
            for name in ("interest", "income"):
                both_paths(f"{label} {name}", getattr(money, name), (world,))
            both_paths(f"{label} spendable", money.spendable, (world, base))
            both_paths(f"{label} close_books apart", money.close_books, (world, flows))
            # flows a flow at a time, as resolve's kernels lay them out (copied() would make them C-ordered)
            paths = []
            for on in (False, True):
                w, by_flow = world.copy(), np.ascontiguousarray(flows.transpose(2, 0, 1)).transpose(1, 2, 0)
                with jit.using(on):
                    money.close_books(w, by_flow)
                paths.append((w, by_flow))
            same_bits(f"{label} close_books by flow", *paths)
            world.flows_busd[:] = flows
            both_paths(f"{label} close_books", lambda w: money.close_books(w, w.flows_busd), (world,))
