"""Batch-invariant maths: logs, exponentials and random draws from basic arithmetic only.

numpy's vectorised transcendental functions may differ in the last bit between SIMD lanes and
the scalar tail of an array, so game i of a batch could drift from the same game played alone.
These versions use frexp/ldexp (exact) and +,-,*,/ and sqrt (correctly rounded in every lane), and
no platform maths library, so a value is the same on every machine and a save verifies anywhere.
Every log, exponential and fractional power of a value that reaches the state comes from here.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import numpy as np

try:  # the C function under np.count_nonzero's Python wrapper (numpy is pinned; the public one if it moves)
    from numpy._core.multiarray import count_nonzero
except ImportError:  # pragma: no cover
    count_nonzero = np.count_nonzero

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import ArrayLike

LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
LN10 = 2.302585092994045684017991454684364208
SQRT_HALF = 0.7071067811865475244
LOG2_10 = 3.321928094887362
LOG10_2_HI = 0.30102999560767785     # log10(2) to 33 bits, so n * LOG10_2_HI is exact for |n| < 2**20
LOG10_2_LO = 5.630334806675098e-11   # log10(2) - LOG10_2_HI


def _exp_terms() -> tuple[float, ...]:
    """1/12!, 1/11!, ..., 1/1! (the factorials by division from 13!, as exp has always reckoned them)."""
    fact, out = 6227020800.0, []
    for k in range(13, 1, -1):
        fact = fact / k
        out.append(1.0 / fact)
    return tuple(out)


_EXP_TERMS = _exp_terms()
_ATANH_TERMS = tuple(1.0 / k for k in range(21, 1, -2))  # 1/21, 1/19, ..., 1/3


# Up to this many values, each is worked out with Python floats: the same IEEE operations in the same order
# (so the same bits; test_mathx holds the two to each other) without numpy's cost per call, ~30 calls a value.
FEW = 8


def _each(fn: Callable[[float], float], x: np.ndarray) -> np.ndarray | None:
    """fn of each value of x with Python floats, shaped like x, if x holds few values and none NaN (round() refuses
    NaN); else None (numpy's path)."""
    if x.size > FEW:
        return None
    values = x.ravel().tolist()
    if any(map(math.isnan, values)):
        return None
    if not x.ndim:  # a scalar in, a scalar out, as from numpy's own arithmetic
        return np.float64(fn(values[0]))  # type: ignore[return-value]
    out: np.ndarray = np.array([fn(v) for v in values], dtype=np.float64).reshape(x.shape)
    return out


def _ln1(x: float) -> float:
    if not x > 0:
        return -math.inf
    m, e = math.frexp(x)
    if m < SQRT_HALF:
        m, e = m * 2.0, e - 1
    s = (m - 1.0) / (m + 1.0)
    s2 = s * s
    acc = s2 * (1.0 / 23.0)
    for c in _ATANH_TERMS:
        acc = (acc + c) * s2
    acc += 1.0
    return 2.0 * s * acc + e * LN2_LO + e * LN2_HI


def _rint(x: float) -> float:
    """np.rint of one float: to the nearest whole number, halves to even, a zero keeping x's sign."""
    return math.copysign(float(round(x)), x)


def _exp1(x: float) -> float:
    x = min(max(x, -700.0), 700.0)
    n = _rint(x / (LN2_HI + LN2_LO))
    r = (x - n * LN2_HI) - n * LN2_LO
    acc = r * (1.0 / 6227020800.0)
    for c in _EXP_TERMS:
        acc = (acc + c) * r
    return math.ldexp(acc + 1.0, int(n))


def _pow10_1(x: float) -> float:
    x = min(max(x, -304.0), 304.0)
    n = _rint(x * LOG2_10)
    r = (x - n * LOG10_2_HI) - n * LOG10_2_LO
    return math.ldexp(_exp1(r * LN10), int(n))


def ln(x: ArrayLike) -> np.ndarray:
    """Natural log of positive x (non-positive gives -inf) via frexp and an atanh series."""
    x = np.asarray(x, dtype=np.float64)
    few = _each(_ln1, x)
    if few is not None:
        return few
    positive = x > 0
    m, e = np.frexp(np.where(positive, x, 1.0))
    small = m < SQRT_HALF
    m = np.where(small, m * 2.0, m)
    e = e - small
    s = (m - 1.0) / (m + 1.0)
    s2 = s * s
    # ln(m) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...); |s| < 0.172, 11 terms reach double precision.
    acc = s2 * (1.0 / 23.0)
    for c in _ATANH_TERMS:  # Horner's rule, in place: acc * s2 + 1/k
        acc += c
        acc *= s2
    acc += 1.0
    result = 2.0 * s * acc + e * LN2_LO + e * LN2_HI
    return np.where(positive, result, -np.inf)


def log10(x: ArrayLike) -> np.ndarray:
    return ln(x) / LN10


def exp(x: ArrayLike) -> np.ndarray:
    """e**x via range reduction to |r| <= ln2/2 and a Taylor polynomial."""
    v = np.asarray(x, dtype=np.float64)
    few = _each(_exp1, v)
    if few is not None:
        return few
    v = np.minimum(np.maximum(v, -700.0), 700.0)
    n = np.rint(v / (LN2_HI + LN2_LO))
    r = (v - n * LN2_HI) - n * LN2_LO
    acc = r * (1.0 / 6227020800.0)  # 1/13!
    for c in _EXP_TERMS:  # Horner's rule, in place: acc * r + 1/k!
        acc += c
        acc *= r
    acc += 1.0
    return times_pow2(acc, n)


def pow10(x: ArrayLike) -> np.ndarray:
    """10**x (finite: |x| is held to 304) as 2**n * e**(r ln 10) with |r| <= log10(2)/2: reducing in base 10
    first keeps the rounding of x * ln10 from growing with |x| (within 2 ulps of libm where it reached ~300)."""
    v = np.asarray(x, dtype=np.float64)
    few = _each(_pow10_1, v)
    if few is not None:
        return few
    v = np.minimum(np.maximum(v, -304.0), 304.0)
    n = np.rint(v * LOG2_10)
    r = (v - n * LOG10_2_HI) - n * LOG10_2_LO  # n * LOG10_2_HI is exact: the constant ends in 20 zero bits
    return times_pow2(exp(r * LN10), n)


def times_pow2(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    """ldexp(x, n) for whole-valued n within [-1022, 1023]: x times the power of two built from its bits. The
    product is the exact value rounded once, as ldexp's is, but numpy's ldexp works element by element."""
    bits = n.astype(np.int64)
    bits += 1023
    bits <<= 52
    out: np.ndarray = x * bits.view(np.float64)
    return out


def root4(x: ArrayLike) -> np.ndarray:
    """x ** 0.25 for x >= 0 by two square roots: IEEE sqrt is correctly rounded on every machine; pow is not."""
    return np.sqrt(np.sqrt(np.asarray(x, dtype=np.float64)))


def logistic(z: ArrayLike) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    few = _each(_logistic1, z)
    if few is not None:
        return few
    return 1.0 / (1.0 + exp(-z))


def _logistic1(z: float) -> float:
    return 1.0 / (1.0 + _exp1(-z))


# Counter-based randomness: a draw is a pure function of (seed, turn, stream, index).
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)
_K_TURN = np.uint64(0xD6E8FEB86659FD93)
_K_STREAM = np.uint64(0xA0761D6478BD642F)
_K_INDEX = np.uint64(0xE7037ED1A0B428DB)


def _mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, in place: `x` is a temporary of the caller's (or a numpy scalar)."""
    x ^= x >> np.uint64(30)
    x *= _M2
    x ^= x >> np.uint64(27)
    x *= _M3
    x ^= x >> np.uint64(31)
    return x


def _key(seed: np.ndarray, turn: np.ndarray, stream: int) -> np.ndarray:
    """What a stream's draws in a quarter share, shaped like broadcast(seed, turn); call under errstate."""
    x = _mix(np.asarray(seed, dtype=np.uint64) * _M1 + np.uint64(1))
    return _mix(x ^ (np.asarray(turn).astype(np.uint64) * _K_TURN + np.uint64(stream) * _K_STREAM))


def _unit(x: np.ndarray) -> np.ndarray:
    """53 random bits of each uint64 as a float in [0, 1)."""
    out: np.ndarray = (x >> np.uint64(11)).astype(np.float64)
    out *= 1.0 / 9007199254740992.0
    return out


# A few draws are worked out with Python ints (masked to 64 bits, so they wrap as uint64 does: the same bits;
# test_mathx holds the two to each other) without numpy's cost per call, ~20 calls and an errstate a draw call.
FEW_DRAWS = 16
_MASK = (1 << 64) - 1
_M1_INT, _M2_INT, _M3_INT = int(_M1), int(_M2), int(_M3)
_K_TURN_INT, _K_STREAM_INT, _K_INDEX_INT = int(_K_TURN), int(_K_STREAM), int(_K_INDEX)


def _mix1(x: int) -> int:
    """_mix of one value in [0, 2**64)."""
    x ^= x >> 30
    x = x * _M2_INT & _MASK
    x ^= x >> 27
    x = x * _M3_INT & _MASK
    return x ^ (x >> 31)


@functools.lru_cache(maxsize=64)  # a pure function: a call's draws (and a quarter's) share a few keys
def _key1(seed: int, turn: int, stream: int) -> int:
    """_key of one game (any ints: they are taken modulo 2**64, as astype(np.uint64) wraps them)."""
    x = _mix1((seed * _M1_INT + 1) & _MASK)
    return _mix1(x ^ ((turn * _K_TURN_INT + stream * _K_STREAM_INT) & _MASK))


def _unit1(x: int) -> float:
    return float(x >> 11) * (1.0 / 9007199254740992.0)


def _few_draws(seed: np.ndarray, turn: np.ndarray, index: np.ndarray | int, each: int
               ) -> tuple[tuple[int, ...], list[tuple[int, int, int]]] | None:
    """The shape of broadcast(seed, turn, index) and its (seed, turn, index) triples as Python ints, when that
    shape holds at most FEW_DRAWS / `each` values (none 0-d) of integer arrays; else None (numpy's path)."""
    if not (isinstance(seed, np.ndarray) and isinstance(turn, np.ndarray)):
        return None
    index = np.asarray(index)
    if seed.dtype.kind not in "iu" or turn.dtype.kind not in "iu" or index.dtype.kind not in "iu":
        return None
    cells = np.broadcast(seed, turn, index)
    if not cells.nd or cells.size * each > FEW_DRAWS:
        return None
    return cells.shape, [(int(s), int(t), int(i)) for s, t, i in cells]


def uniform(seed: np.ndarray, turn: np.ndarray, stream: int, index: np.ndarray | int) -> np.ndarray:
    """Uniform floats in [0, 1) shaped like broadcast(seed, turn, index); same inputs, same draws."""
    few = _few_draws(seed, turn, index, 1)
    if few is not None:
        shape, triples = few
        unit = [_unit1(_mix1(_key1(s, t, stream) ^ (i * _K_INDEX_INT & _MASK))) for s, t, i in triples]
        return np.array(unit).reshape(shape)
    with np.errstate(over="ignore"):
        key = _key(seed, turn, stream)
        return _unit(_mix(key ^ (np.asarray(index).astype(np.uint64) * _K_INDEX)))


def derive_seed(seed: np.ndarray, turn: np.ndarray, stream: int) -> np.ndarray:
    """A new uint64 seed from (seed, turn, stream): for look-ahead games that must not share draws."""
    with np.errstate(over="ignore"):
        x = _mix(np.asarray(seed, dtype=np.uint64) * _M1 + np.uint64(7))
        return _mix(x ^ (np.asarray(turn).astype(np.uint64) * _K_TURN + np.uint64(stream) * _K_STREAM))


def unit_noise(seed: np.ndarray, turn: np.ndarray, stream: int, index: np.ndarray) -> np.ndarray:
    """Zero-mean, unit-variance noise (sum of four uniforms, rescaled): bounded, no transcendental.
    The four are uniform(seed, turn, stream, 4 * index + k) for k = 0..3, drawn together and added in order."""
    few = _few_draws(seed, turn, index, 4)
    if few is not None:
        shape, triples = few
        noise = []
        for s, t, i in triples:
            game_key = _key1(s, t, stream)
            u0, u1, u2, u3 = (_unit1(_mix1(game_key ^ ((4 * i + k) * _K_INDEX_INT & _MASK))) for k in range(4))
            noise.append((((u0 + u1) + u2 + u3) - 2.0) * 1.7320508075688772)
        return np.array(noise).reshape(shape)
    with np.errstate(over="ignore"):
        key = _key(seed, turn, stream)
        k = (np.asarray(index)[..., None] * 4 + np.arange(4)).astype(np.uint64)
        u = _unit(_mix(key[..., None] ^ (k * _K_INDEX)))
    total: np.ndarray = u[..., 0] + u[..., 1]
    total += u[..., 2]
    total += u[..., 3]
    total -= 2.0
    total *= 1.7320508075688772
    out: np.ndarray = total
    return out


def rowsum(a: np.ndarray, axis: int = -1) -> np.ndarray:
    """Sum over one (fixed-size) axis, the last unless told. Each row is reduced on its own, so the result for a
    game does not depend on the batch around it; the batch-invariance property test holds this to account."""
    n = a.shape[axis]
    if n > 8:
        axis %= a.ndim
        if a.size > 64 * n:
            # Many rows: numpy's own pairwise order, column by column (its reduction runs row by row).
            at = (slice(None),) * axis
            pairwise: np.ndarray = 0.0 + _pairwise([a[at + (k,)] for k in range(n)])
            return pairwise
        if axis != a.ndim - 1:
            a = a.transpose([i for i in range(a.ndim) if i != axis] + [axis])
        out: np.ndarray = np.add.reduce(np.ascontiguousarray(a), axis=-1)
        return out
    return running_sum(a, axis)


def _pairwise(columns: list[np.ndarray]) -> np.ndarray:
    """The sum of 8 or more columns in the order numpy's add.reduce sums a contiguous row of them (less the 0.0
    it starts from): eight running sums over blocks of eight, added as a tree, then the rest one at a time;
    past 128, each half so. tests/engine/test_mathx.py holds it to numpy's own."""
    n = len(columns)
    if n > 128:
        half = n // 2 - (n // 2) % 8
        halves: np.ndarray = _pairwise(columns[:half]) + _pairwise(columns[half:])
        return halves
    r = list(columns[:8])
    for i in range(8, n - n % 8, 8):
        r = [r[j] + columns[i + j] for j in range(8)]
    total: np.ndarray = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    for column in columns[n - n % 8:]:
        total = total + column
    out: np.ndarray = total
    return out


def running_sum(a: np.ndarray, axis: int = -1) -> np.ndarray:
    """The elements along `axis` (the last unless told) added one at a time in order, whatever their number."""
    n = a.shape[axis]
    if a.size <= 64 * n:
        # Few rows: accumulate adds along the row one element at a time, as the loop below does, in one call.
        running: np.ndarray = np.add.accumulate(a, axis=axis)
        return running[..., -1] if axis == -1 else running[(slice(None),) * (axis % a.ndim) + (-1,)]
    axis %= a.ndim
    at = (slice(None),) * axis
    total = a[at + (0,)] + a[at + (1,)] if n > 1 else a[at + (0,)].copy()
    for k in range(2, n):
        total += a[at + (k,)]
    return total


# Whether any or every element is set (nonzero; NaN counts), as a Python bool: numpy's count of nonzero elements in
# C, ~1/8 the cost of .any() or .all() (through numpy's Python wrappers and a ufunc reduction) on a game's arrays.
def some(a: np.ndarray) -> bool:
    """a.any()"""
    return bool(count_nonzero(a))


def every(a: np.ndarray) -> bool:
    """a.all()"""
    return bool(count_nonzero(a) == np.size(a))
