"""game/engine/mathx.py for kernels: the same operations on one value at a time, so the same bits.

Each function here is mathx's Python-float path (or its numpy path's order, for sums) compiled by numba, to be
called from inside a kernel; tests/engine/test_kernels_mathk.py holds each to mathx on many values.
"""

from __future__ import annotations

import math

import numpy as np

from game.engine.jit import njit
from game.engine.mathx import (
    _ATANH_TERMS,
    _EXP_TERMS,
    _K_INDEX,
    _K_STREAM,
    _K_TURN,
    _M1,
    _M2,
    _M3,
    LN2_HI,
    LN2_LO,
    LN10,
    LOG2_10,
    LOG10_2_HI,
    LOG10_2_LO,
    SQRT_HALF,
)

EXP_TERMS = np.array(_EXP_TERMS)
ATANH_TERMS = np.array(_ATANH_TERMS)
UNIT = 1.0 / 9007199254740992.0


@njit
def ln1(x: float) -> float:
    if not x > 0:
        return -math.inf
    m, e = math.frexp(x)
    if m < SQRT_HALF:
        m, e = m * 2.0, e - 1
    s = (m - 1.0) / (m + 1.0)
    s2 = s * s
    acc = s2 * (1.0 / 23.0)
    for c in ATANH_TERMS:
        acc = (acc + c) * s2
    acc += 1.0
    fe = float(e)
    return 2.0 * s * acc + fe * LN2_LO + fe * LN2_HI


@njit
def log10_1(x: float) -> float:
    return ln1(x) / LN10


@njit
def exp1(x: float) -> float:
    x = min(max(x, -700.0), 700.0)
    n = np.rint(x / (LN2_HI + LN2_LO))
    r = (x - n * LN2_HI) - n * LN2_LO
    acc = r * (1.0 / 6227020800.0)
    for c in EXP_TERMS:
        acc = (acc + c) * r
    return math.ldexp(acc + 1.0, int(n))


@njit
def pow10_1(x: float) -> float:
    x = min(max(x, -304.0), 304.0)
    n = np.rint(x * LOG2_10)
    r = (x - n * LOG10_2_HI) - n * LOG10_2_LO
    return math.ldexp(exp1(r * LN10), int(n))


@njit
def logistic1(z: float) -> float:
    return 1.0 / (1.0 + exp1(-z))


@njit
def root4(x: float) -> float:
    return math.sqrt(math.sqrt(x))


@njit
def maximum(a: float, b: float) -> float:
    """np.maximum of one pair: a NaN in either wins; of equal values (0.0 and -0.0) the second."""
    return a if (a > b or a != a) else b


@njit
def minimum(a: float, b: float) -> float:
    """np.minimum of one pair: a NaN in either wins; of equal values (0.0 and -0.0) the second."""
    return a if (a < b or a != a) else b


@njit
def clip(x: float, lo: float, hi: float) -> float:
    """np.clip of one value: raised to lo only below it (so -0.0 stays -0.0 against 0.0), NaN kept."""
    if x < lo:
        x = lo
    return hi if x > hi else x


@njit
def mix(x: np.uint64) -> np.uint64:
    """The splitmix64 finaliser (mathx._mix)."""
    x ^= x >> np.uint64(30)
    x *= _M2
    x ^= x >> np.uint64(27)
    x *= _M3
    x ^= x >> np.uint64(31)
    return x


@njit
def key(seed: np.uint64, turn: int, stream: int) -> np.uint64:
    """mathx._key for one game: what a stream's draws in a quarter share."""
    x = mix(np.uint64(seed) * _M1 + np.uint64(1))
    return mix(x ^ (np.uint64(turn) * _K_TURN + np.uint64(stream) * _K_STREAM))


@njit
def unit(x: np.uint64) -> float:
    return float(x >> np.uint64(11)) * UNIT


@njit
def uniform1(seed: np.uint64, turn: int, stream: int, index: int) -> float:
    """mathx.uniform for one (seed, turn, stream, index)."""
    return unit(mix(key(seed, turn, stream) ^ (np.uint64(index) * _K_INDEX)))


@njit
def unit_noise1(seed: np.uint64, turn: int, stream: int, index: int) -> float:
    """mathx.unit_noise for one (seed, turn, stream, index): four uniforms added in order, rescaled."""
    k = key(seed, turn, stream)
    total = unit(mix(k ^ (np.uint64(4 * index) * _K_INDEX))) + unit(mix(k ^ (np.uint64(4 * index + 1) * _K_INDEX)))
    total += unit(mix(k ^ (np.uint64(4 * index + 2) * _K_INDEX)))
    total += unit(mix(k ^ (np.uint64(4 * index + 3) * _K_INDEX)))
    total -= 2.0
    return total * 1.7320508075688772


@njit
def running_sum(a: np.ndarray) -> float:
    """mathx.running_sum of a 1-D array: added one at a time, in order."""
    total = a[0]
    for k in range(1, a.shape[0]):
        total += a[k]
    return float(total)


@njit
def _block(a: np.ndarray, lo: int, n: int) -> float:
    """numpy's pairwise sum of a[lo:lo + n] for 8 <= n <= 128: eight running sums, a tree, then the rest."""
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    end = lo + n - n % 8
    for i in range(lo + 8, end, 8):
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for i in range(end, lo + n):
        total = total + a[i]
    return float(total)


@njit
def _pairwise(a: np.ndarray, n: int) -> float:
    """mathx._pairwise over a[:n] (n >= 8): past 128 values each half so, the left half's sum plus the right's.
    Walked with a stack, not by recursion (numba's disk cache does not keep recursive functions safely)."""
    if n <= 128:
        return _block(a, 0, n)
    los = np.empty(64, np.int64)  # the halves pending: 64 levels would be 2**64 values
    ns = np.empty(64, np.int64)
    stage = np.empty(64, np.int64)  # 0: neither half summed, 1: the left one, 2: both
    sums = np.empty(64)
    los[0], ns[0], stage[0] = 0, n, 0
    depth, held = 1, 0
    while depth:
        lo, m = los[depth - 1], ns[depth - 1]
        if m <= 128:
            sums[held] = _block(a, lo, m)
            held += 1
            depth -= 1
            continue
        half = m // 2 - (m // 2) % 8
        if stage[depth - 1] == 2:
            sums[held - 2] = sums[held - 2] + sums[held - 1]
            held -= 1
            depth -= 1
            continue
        right = stage[depth - 1] == 1
        stage[depth - 1] += 1
        los[depth] = lo + half if right else lo
        ns[depth] = m - half if right else half
        stage[depth] = 0
        depth += 1
    return float(sums[0])


@njit
def rowsum(a: np.ndarray) -> float:
    """mathx.rowsum of one row (a 1-D array): one at a time up to 8 values, numpy's pairwise order past 8."""
    n = a.shape[0]
    if n > 8:
        return 0.0 + _pairwise(a, n)
    return running_sum(a)


# mathx's exp, ln and pow10 over a row of values, in its array path's passes (a pass of the series at a time over
# the row, as numpy does, so the loops run as vector instructions where the value-at-a-time series above wait on
# each step): the same bits as mathk's exp1, ln1 and pow10_1 (tests/engine/test_kernels_apps.py).
@njit
def exp_row(x: np.ndarray, n: int, out: np.ndarray) -> None:
    """out[:n] = mathx.exp(x[:n]) (x and out 1-D and contiguous)."""
    reduced = np.empty(n)
    scale_bits = np.empty(n, np.int64)
    for g in range(n):
        v = minimum(maximum(x[g], -700.0), 700.0)
        k = np.rint(v / (LN2_HI + LN2_LO))
        r = (v - k * LN2_HI) - k * LN2_LO
        reduced[g] = r
        # 2**k, as mathx.times_pow2 builds it; a NaN's k is no number (any finite power leaves the NaN as ldexp
        # does), and the clamp, a no-op for v within +-700, keeps the bits a power of two
        scale_bits[g] = (min(max(int(k) if k == k else 0, -1022), 1023) + 1023) << 52
        out[g] = r * (1.0 / 6227020800.0)
    for c in EXP_TERMS:
        for g in range(n):
            out[g] = (out[g] + c) * reduced[g]
    scale = scale_bits.view(np.float64)
    for g in range(n):
        out[g] = (out[g] + 1.0) * scale[g]


@njit
def ln_row(x: np.ndarray, n: int, out: np.ndarray) -> None:
    """out[:n] = mathx.ln(x[:n]) (x and out 1-D and contiguous): frexp read from the bits of a positive normal
    number; any other value (zero, negative, subnormal, infinite, NaN) by mathk.ln1."""
    x_bits = x.view(np.int64)
    mantissa_bits = np.empty(n, np.int64)
    exponent = np.empty(n)
    s = np.empty(n)
    s2 = np.empty(n)
    odd = False
    for g in range(n):
        bits = x_bits[g]
        biased = (bits >> 52) & 0x7FF
        odd |= not (bits > 0 and biased >= 1 and biased <= 2046)
        mantissa_bits[g] = (bits & 0xFFFFFFFFFFFFF) | (1022 << 52)  # frexp's mantissa, in [0.5, 1)
        exponent[g] = biased - 1022
    mantissa = mantissa_bits.view(np.float64)
    for g in range(n):
        m = mantissa[g]
        small = m < SQRT_HALF
        m = m * 2.0 if small else m
        exponent[g] = exponent[g] - 1.0 if small else exponent[g]
        sg = (m - 1.0) / (m + 1.0)
        s[g] = sg
        s2[g] = sg * sg
        out[g] = s2[g] * (1.0 / 23.0)
    for c in ATANH_TERMS:
        for g in range(n):
            out[g] = (out[g] + c) * s2[g]
    for g in range(n):
        acc = out[g] + 1.0
        out[g] = 2.0 * s[g] * acc + exponent[g] * LN2_LO + exponent[g] * LN2_HI
    if odd:
        for g in range(n):
            bits = x_bits[g]
            biased = (bits >> 52) & 0x7FF
            if not (bits > 0 and biased >= 1 and biased <= 2046):
                out[g] = ln1(x[g])


@njit
def pow10_row(x: np.ndarray, n: int, out: np.ndarray) -> None:
    """out[:n] = mathx.pow10(x[:n]) (x and out 1-D and contiguous)."""
    reduced = np.empty(n)
    scale_bits = np.empty(n, np.int64)
    for g in range(n):
        v = minimum(maximum(x[g], -304.0), 304.0)
        k = np.rint(v * LOG2_10)
        reduced[g] = ((v - k * LOG10_2_HI) - k * LOG10_2_LO) * LN10
        scale_bits[g] = (np.int64(k) + 1023) << 52
    exp_row(reduced, n, out)
    scale = scale_bits.view(np.float64)
    for g in range(n):
        out[g] = out[g] * scale[g]
