"""mathx: the engine's own logs, exponentials and roots agree with the math module, and a value
does not depend on the batch it is computed in."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import mathx

rng = np.random.default_rng(20261125)
POSITIVE = np.concatenate([np.array([1e-300, 1e-9, 0.5, 0.7071067811865476, 1.0, 1.0 + 2**-52, 1.03, 1.5, 2.0, 10.0,
                                     1e9, 1e300]), 10.0 ** rng.uniform(-12, 12, 400), rng.uniform(0.5, 2.0, 400)])
EXPONENTS = np.concatenate([np.array([-700.0, -30.0, -1.0, -1e-12, 0.0, 1e-12, 0.5, 1.0, 30.0, 700.0]),
                            rng.uniform(-40, 40, 400), rng.uniform(-1, 1, 400)])


def within_ulps(got: np.ndarray, want: np.ndarray, ulps: float) -> np.ndarray:
    return np.abs(got - want) <= ulps * np.spacing(np.abs(want)) + 1e-300


@pytest.mark.parametrize("ours, theirs, xs, ulps", [
    (mathx.ln, math.log, POSITIVE, 2),
    (mathx.log10, math.log10, POSITIVE, 3),
    (mathx.exp, math.exp, EXPONENTS, 3),
    (mathx.pow10, lambda x: 10.0 ** x, np.concatenate([EXPONENTS / 4, np.linspace(-300, 300, 2001)]), 2),
    (mathx.root4, lambda x: x ** 0.25, POSITIVE, 1),
    (mathx.logistic, lambda z: 1.0 / (1.0 + math.exp(-z)), EXPONENTS, 4),
], ids=["ln", "log10", "exp", "pow10", "root4", "logistic"])
def test_agrees_with_the_math_module(ours, theirs, xs, ulps):
    got = ours(xs)
    want = np.array([theirs(float(x)) for x in xs])
    bad = ~within_ulps(got, want, ulps)
    assert not bad.any(), f"at {xs[bad][:3]}: {got[bad][:3]} against {want[bad][:3]}"


@pytest.mark.parametrize("fn, xs", [(mathx.ln, POSITIVE), (mathx.log10, POSITIVE), (mathx.exp, EXPONENTS),
                                    (mathx.pow10, EXPONENTS / 4), (mathx.root4, POSITIVE)],
                         ids=["ln", "log10", "exp", "pow10", "root4"])
def test_a_value_is_the_same_alone_and_in_a_batch(fn, xs):
    batch = fn(xs)
    alone = np.array([float(fn(np.array([x]))[0]) for x in xs])
    assert batch.tobytes() == alone.tobytes()


def test_ln_of_zero_or_less_is_minus_infinity():
    assert np.all(mathx.ln(np.array([0.0, -1.0])) == -np.inf)


PLATFORM = {("math", f) for f in ("log", "log10", "log2", "log1p", "exp", "expm1", "pow", "sin", "cos", "tan", "atan",
                                  "atan2", "tanh", "erf", "cbrt")}
PLATFORM |= {("np", f) for f in ("exp", "exp2", "expm1", "log", "log10", "log2", "log1p", "power", "float_power",
                                 "sin", "cos", "tan", "arctan", "arctan2", "tanh", "cbrt", "logaddexp")}


def platform_maths(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in PLATFORM):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and not (
                isinstance(node.right, ast.Constant) and isinstance(node.right.value, int)):
            found.append(f"line {node.lineno}: ** {ast.unparse(node.right)}")
    return found


def test_the_engine_and_the_ai_use_no_platform_maths():
    game = Path(__file__).resolve().parents[2] / "game"
    paths = [p for folder in ("engine", "ai") for p in sorted((game / folder).rglob("*.py")) if p.name != "mathx.py"]
    assert len(paths) > 20
    found = [f"{p.relative_to(game)} {hit}" for p in paths for hit in platform_maths(p.read_text(encoding="utf-8"))]
    assert found == [], "use game/engine/mathx instead: " + "; ".join(found)


def test_the_platform_maths_scan_sees_what_it_looks_for():
    assert sorted(platform_maths("y = math.log10(x) + np.exp(z) * w ** 0.25 + v ** 2")) == [
        "line 1: ** 0.25", "line 1: math.log10", "line 1: np.exp"]


@pytest.mark.parametrize("n", [9, 13, 16, 20, 31, 128, 129, 300])
def test_rowsum_of_many_rows_adds_in_numpys_pairwise_order(n):
    """rowsum sums more than 8 columns in numpy's order whatever the batch: column by column over many rows,
    by add.reduce over few. The bits must agree (a game's figures may not depend on the batch beside it)."""
    values = rng.standard_normal((300, n)) * 10.0 ** rng.uniform(-8, 8, (300, n))
    values[rng.random(values.shape) < 0.05] = -0.0
    many = mathx.rowsum(values)
    few = np.concatenate([mathx.rowsum(values[i:i + 2]) for i in range(0, 300, 2)])
    assert many.tobytes() == few.tobytes() == np.add.reduce(values, axis=-1).tobytes()
    assert mathx.rowsum(np.full((100, n), -0.0)).tobytes() == np.zeros(100).tobytes()


@pytest.mark.parametrize("fn, xs", [(mathx.ln, POSITIVE), (mathx.log10, POSITIVE), (mathx.exp, EXPONENTS),
                                    (mathx.pow10, EXPONENTS / 4), (mathx.logistic, EXPONENTS)],
                         ids=["ln", "log10", "exp", "pow10", "logistic"])
def test_a_few_values_take_python_floats_to_the_same_bits(fn, xs):
    """Up to mathx.FEW values are worked out with Python floats, more with numpy: the same operations in the same
    order, so the same bits (zeros of either sign, the clamps' ends and non-positive logs included)."""
    xs = np.concatenate([xs, [0.0, -0.0, -1.0, 1e-320, 5e-324, -800.0, 800.0, -304.0, 304.0, 1e308]])
    with np.errstate(all="ignore"):
        many = fn(np.concatenate([xs, xs]))[:xs.size]
        few = np.concatenate([fn(xs[i:i + mathx.FEW]) for i in range(0, xs.size, mathx.FEW)])
        scalar = np.array([fn(float(x)) for x in xs[:50]])
    assert few.tobytes() == many.tobytes()
    assert scalar.tobytes() == many[:50].tobytes() and isinstance(fn(0.5), float)


SEEDS = st.one_of(st.integers(0, 2**64 - 1).map(lambda s: np.array([s], dtype=np.uint64)),
                  st.integers(-2**63, 2**63 - 1).map(lambda s: np.array([s], dtype=np.int64)))
TURNS = st.one_of(st.integers(-5, 200), st.integers(-2**63, 2**63 - 1)).map(lambda t: np.array([t]))
STREAMS = st.integers(0, 2**20)
INDICES = st.lists(st.integers(-2**62, 2**62), min_size=1, max_size=4).map(lambda xs: np.array([xs]))


def numpy_draws(fn, *args):
    """The draws of the general path (no value is few enough for Python ints)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mathx, "FEW_DRAWS", 0)
        return fn(*args)


@settings(max_examples=300, deadline=None)
@given(seed=SEEDS, turn=TURNS, stream=STREAMS, index=INDICES, fn=st.sampled_from([mathx.uniform, mathx.unit_noise]))
def test_a_few_draws_take_python_ints_to_the_same_bits(seed, turn, stream, index, fn):
    """Up to mathx.FEW_DRAWS draws are worked out with Python ints masked to 64 bits, more with numpy's uint64:
    the same wrapped products, shifts and xors, so the same draws, for any seed, turn (negative too), index."""
    for args in ((seed[:, None], turn[:, None], stream, index), (seed, turn, stream, index[0, :1]),
                 (seed, turn, stream, int(index[0, 0]))):
        few, general = fn(*args), numpy_draws(fn, *args)
        assert few.shape == general.shape and few.dtype == general.dtype == np.float64
        assert few.tobytes() == general.tobytes()


def test_the_draws_take_python_ints_only_for_a_few_integer_values():
    """Many draws, 0-d or float arguments go the general way (and still give the same draws as each alone)."""
    seed, turn = np.arange(3, dtype=np.uint64), np.array([4, 5, 6])
    assert mathx._few_draws(seed[:, None], turn[:, None], np.array([[0, 1]]), 1) is not None
    assert mathx._few_draws(seed[:, None], turn[:, None], np.arange(6)[None], 1) is None
    assert mathx._few_draws(seed[:, None], turn[:, None], np.array([[0, 1]]), 4) is None
    assert mathx._few_draws(np.uint64(3), np.array(4), 0, 1) is None
    assert mathx._few_draws(seed, turn.astype(np.float64), 0, 1) is None
    many = mathx.unit_noise(seed[:, None], turn[:, None], 9, np.arange(6)[None])
    alone = np.concatenate([mathx.unit_noise(seed[i:i + 1, None], turn[i:i + 1, None], 9, np.arange(6)[None, k:k + 1])
                            for i in range(3) for k in range(6)], axis=None).reshape(3, 6)
    assert many.tobytes() == alone.tobytes()


@pytest.mark.parametrize("fn", [mathx.ln, mathx.exp, mathx.pow10, mathx.logistic], ids=["ln", "exp", "pow10", "logistic"])
def test_a_few_values_with_a_nan_take_numpys_path(fn):
    """round() refuses NaN, so a few values holding one go numpy's way: what they give in a batch of many."""
    xs = np.array([0.5, np.nan, 2.0])
    with np.errstate(all="ignore"):
        assert fn(xs).tobytes() == fn(np.tile(xs, mathx.FEW))[:3].tobytes()
        assert fn(np.float64("nan")).tobytes() == fn(np.tile(xs, mathx.FEW))[1].tobytes()


ELEMENTS = st.sampled_from([0.0, -0.0, 1.0, -2.5, np.nan, np.inf, 5e-324])


@settings(max_examples=300, deadline=None)
@given(values=st.lists(ELEMENTS, max_size=12), dtype=st.sampled_from([np.float64, np.int64, bool]),
       shape=st.sampled_from([(-1,), (1, -1), (-1, 1)]))
def test_some_and_every_are_any_and_all(values, dtype, shape):
    """mathx.some/every (a count of nonzero elements) answer as .any()/.all() do, NaN and -0.0 and empty included."""
    with np.errstate(invalid="ignore"):
        a = np.array(values, dtype=np.float64).astype(dtype).reshape(shape)
    assert mathx.some(a) is bool(a.any()) and mathx.every(a) is bool(a.all())
    assert mathx.some(a[..., ::2]) is bool(a[..., ::2].any()) and mathx.every(a.T) is bool(a.T.all())


@settings(max_examples=200, deadline=None)
@given(shape=st.tuples(st.integers(1, 70), st.integers(1, 3), st.integers(1, 8)), axis=st.integers(-3, 2),
       seed=st.integers(0, 2**32 - 1))
def test_running_sum_adds_in_order_along_any_axis(shape, axis, seed):
    """running_sum (and rowsum, up to 8 a row) adds a row's elements one at a time in order, along any axis named
    either way, whether the rows are few (one accumulate) or many (a loop over the axis)."""
    gen = np.random.default_rng(seed)
    a = gen.standard_normal(shape) * 10.0 ** gen.uniform(-8, 8, shape)
    a[gen.random(shape) < 0.1] = -0.0
    want = a.take(0, axis)
    for k in range(1, a.shape[axis]):
        want = want + a.take(k, axis)
    assert mathx.running_sum(a, axis).tobytes() == want.tobytes()
    if a.shape[axis] <= 8:
        assert mathx.rowsum(a, axis).tobytes() == want.tobytes()
