"""The kernels' scalar maths (game/engine/kernels/mathk.py) gives mathx's bits, value by value."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.engine import jit, mathx

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")

RNG = np.random.default_rng(7)
# Wide and narrow ranges, whole numbers and halves (the rounding of n), the clamps' edges, zero and tiny values.
VALUES = np.concatenate([RNG.uniform(-750, 750, 4000), RNG.uniform(-3, 3, 4000), np.arange(-40, 40, 0.5),
                         [0.0, -0.0, 1e-300, 5e-324, 700.0, -700.0, 704.0, 304.0, -304.0, 310.0, 1.0, 2.0]])
POSITIVE = np.concatenate([np.abs(VALUES), 10.0 ** RNG.uniform(-300, 300, 4000), [0.0, -1.0, np.inf, np.nan]])


def bits(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float64).view(np.int64)


def each(fn, values: np.ndarray) -> np.ndarray:
    return np.array([fn(float(v)) for v in values])


def test_exp_ln_pow10_logistic_match_mathx() -> None:
    from game.engine.kernels import mathk

    for name, fn, ref, values in (("exp", mathk.exp1, mathx.exp, VALUES), ("ln", mathk.ln1, mathx.ln, POSITIVE),
                                  ("log10", mathk.log10_1, mathx.log10, POSITIVE),
                                  ("pow10", mathk.pow10_1, mathx.pow10, VALUES / 2.0),
                                  ("logistic", mathk.logistic1, mathx.logistic, VALUES / 10.0),
                                  ("root4", mathk.root4, mathx.root4, np.abs(VALUES))):
        with np.errstate(all="ignore"):  # inf and NaN among the logs' values
            want = ref(values)
        assert np.array_equal(bits(each(fn, values)), bits(want)), name


@given(st.integers(0, 2**64 - 1), st.integers(0, 200), st.integers(0, 40), st.integers(0, 5000))
def test_draws_match_mathx(seed: int, turn: int, stream: int, index: int) -> None:
    from game.engine.kernels import mathk

    s = np.array([seed], dtype=np.uint64)
    t = np.array([turn])
    assert mathk.uniform1(np.uint64(seed), turn, stream, index) == mathx.uniform(s, t, stream, index)[0]
    assert mathk.unit_noise1(np.uint64(seed), turn, stream, index) == mathx.unit_noise(s, t, stream,
                                                                                      np.array([index]))[0]


@pytest.mark.parametrize("n", [1, 2, 5, 8, 9, 15, 16, 17, 64, 127, 128, 129, 130, 300, 1000])
def test_sums_match_mathx(n: int) -> None:
    from game.engine.kernels import mathk

    rows = RNG.standard_normal((70, n)) * 10.0 ** RNG.uniform(-5, 5, (70, n))
    want = mathx.rowsum(rows)
    got = np.array([mathk.rowsum(row) for row in rows])
    assert np.array_equal(bits(got), bits(want))
    assert np.array_equal(bits(np.array([mathk.running_sum(row) for row in rows])), bits(mathx.running_sum(rows)))
    few = rows[:3]  # mathx's other path: few rows, summed row by row
    assert np.array_equal(bits(np.array([mathk.rowsum(row) for row in few])), bits(mathx.rowsum(few)))
