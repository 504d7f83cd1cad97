"""apps.deploy's kernel (game/engine/kernels/apps.py) gives the numpy path's bits, call by call: the revenue, the
adoption, the markets and mindshare it writes, and the money it returns."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from game.engine import apps, jit
from tests.engine.kernel_worlds import both_paths, layer_calls

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


def replay(module: ModuleType, name: str, kernels: str) -> list[tuple[Any, tuple[Any, ...]]]:
    """Each recorded call of `module.name` made again with kernels off and on from copies of its arguments; the
    results and the arguments after the call (the world is changed in place) compared bit for bit. Returns the
    kernel path's (result, arguments) of every call, for a test to check what the calls reached."""
    seen = [both_paths(label, fn, args) for label, fn, args in layer_calls(module, name, quarters=40, every=3)]
    assert kernels in sys.modules, f"{name} never took its kernel"
    assert len(seen) >= 30, "too few calls recorded to hold the kernel to"
    return seen


def test_deploy_kernel_gives_the_numpy_bits() -> None:
    calls = replay(apps, "deploy", "game.engine.kernels.apps")
    # The calls reach what the kernel's branches are for: markets a side cannot serve, customers lost for want of
    # inference compute, and every sector adopted somewhere.
    worlds = [args[0] for _, args in calls]
    assert any((w.served < 1.0).any() for w in worlds)
    assert any((w.capability < w.tables.sector_min_cap.max()).any() for w in worlds)
    assert all((w.adoption > 0).any(axis=(0, 1)).all() for w in worlds[-4:])


def test_numpys_element_rules_for_one_value() -> None:
    """maximum, minimum and clip of the kernels: NaN wins, and of 0.0 and -0.0 the one numpy gives."""
    from game.engine.kernels.mathk import clip, maximum, minimum

    values = np.array([-0.0, 0.0, np.nan, np.inf, -np.inf, 1.0, -1.0, 0.5, 1e-12, 2.0])
    a, b = np.repeat(values, values.size), np.tile(values, values.size)
    for fn, ref in ((maximum, np.maximum), (minimum, np.minimum)):
        got = np.array([fn(float(x), float(y)) for x, y in zip(a, b, strict=True)])
        assert got.tobytes() == ref(a, b).tobytes(), fn
    got = np.array([clip(float(x), 0.0, 1.0) for x in values])
    assert got.tobytes() == np.clip(values, 0.0, 1.0).tobytes()


def test_rows_of_exp_ln_pow10_give_mathxs_bits() -> None:
    """exp_row, ln_row and pow10_row (a pass of the series at a time over a row) against mathx, value by value:
    wide and narrow ranges, the clamps' edges, signed zeros, subnormal, infinite and NaN logs."""
    from game.engine import mathx
    from game.engine.kernels.mathk import exp_row, ln_row, pow10_row

    rng = np.random.default_rng(11)
    values = np.concatenate([rng.uniform(-750, 750, 3000), rng.uniform(-3, 3, 3000), np.arange(-40, 40, 0.5),
                             [0.0, -0.0, 1e-300, 5e-324, 700.0, -700.0, 704.0, 304.0, -304.0, 310.0, 1.0, 2.0]])
    positive = np.concatenate([np.abs(values), 10.0 ** rng.uniform(-300, 300, 3000), [0.0, -1.0, np.inf, np.nan],
                               [5e-324, 2.2e-308, 1.7e308, 0.7071067811865475, 0.7071067811865476]])
    for name, row, ref, x in (("exp", exp_row, mathx.exp, values), ("ln", ln_row, mathx.ln, positive),
                              ("pow10", pow10_row, mathx.pow10, values / 2.0)):
        got = np.full(x.size + 3, 7.0)  # past n: left alone
        row(x, x.size - 1, got)
        with np.errstate(all="ignore"):
            want = ref(x[:-1])
        assert got[:-4].tobytes() == want.tobytes(), name
        assert (got[-4:] == 7.0).all(), name


def test_power_of_two_says_when_a_division_is_a_multiplication() -> None:
    """deploy divides by the content's reference market by multiplying by its reciprocal when power_of_two says
    so: true only where y / x and y * (1 / x) are the same bits for every y (subnormal, huge, signed zero, NaN)."""
    from game.engine.kernels.apps import power_of_two

    rng = np.random.default_rng(5)
    ys = np.concatenate([rng.uniform(-1e3, 1e3, 2000), 10.0 ** rng.uniform(-320, 308, 2000),
                         [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, np.inf, np.nan]])
    for x, want in ((2.0, True), (1.0, True), (0.5, True), (2.0**-1020, True), (2.0**1020, True), (3.0, False),
                    (15.0, False), (2.0 + 2**-51, False), (-2.0, False), (0.0, False), (2.0**-1074, False),
                    (2.0**1023, False), (np.inf, False), (np.nan, False)):
        assert power_of_two(x) is want, x
        if want:
            with np.errstate(all="ignore"):
                assert (ys / x).tobytes() == (ys * (1.0 / x)).tobytes(), x


def test_deploy_kernel_with_a_reference_market_not_a_power_of_two() -> None:
    """The content's reference market (2.0) is a power of two, which the kernel multiplies by the reciprocal of:
    with 3.0 it divides, and still gives the numpy path's bits."""
    import attrs

    from game.engine import Tables
    from tests.engine.kernel_worlds import CONTENT

    rules = CONTENT.rules
    content = attrs.evolve(CONTENT, rules=attrs.evolve(rules, apps=attrs.evolve(rules.apps, ref_busd=3.0)))
    calls = list(layer_calls(apps, "deploy", quarters=24, every=6))[::2]
    assert len(calls) >= 4
    for label, fn, args in calls:
        world = args[0]
        world.tables = Tables(content, content.scenario(world.tables.scenario.id))
        both_paths(label, fn, args)


def test_deploy_kernel_in_crowded_markets() -> None:
    """Where both sides' pulls in a market add up past 1 the customers won are divided by them (the kernel skips
    that division in a block of games where none does): pushed hard in a few games of each call, so blocks with
    and without such games are held to the numpy path's bits."""
    calls = list(layer_calls(apps, "deploy", quarters=24, every=6))[::2]
    assert len(calls) >= 4
    for label, fn, args in calls:
        world = args[0]
        hard = world.modifiers[::7, :, world.tables.mod_index["adoption"]]
        world.modifiers[::7, :, world.tables.mod_index["adoption"]] = hard * 40.0
        both_paths(label, fn, args)
