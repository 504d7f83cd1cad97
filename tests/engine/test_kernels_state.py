"""game/engine/kernels/state.py: the check after each quarter passes the same worlds with kernels on, and where a
float field holds NaN or infinity it raises the same error (the field, the game and the quarter named)."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from game.engine import jit
from game.engine.state import FLOAT_FIELDS, NonFiniteState, check_finite
from tests.engine.kernel_worlds import both_paths, layer_calls, snapshots

RESOLVE = importlib.import_module("game.engine.resolve")  # the package's `resolve` is the function

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


def test_layer_calls_are_the_same_with_kernels() -> None:
    seen = 0
    for label, fn, args in layer_calls(RESOLVE, "check_finite", quarters=40, every=3):
        both_paths(label, fn, args)
        seen += 1
    assert seen >= 4 * 3


def raised(world: object, on: bool) -> str:
    with jit.using(on):
        try:
            check_finite(world)  # type: ignore[arg-type]
        except NonFiniteState as error:
            return str(error)
    return ""


def test_every_float_field_not_finite_is_named_the_same() -> None:
    label, world, _us, _cn = next(iter(snapshots(quarters=10, every=9)))
    assert raised(world, True) == "" and world.batch >= jit.MIN_BATCH
    big = world.copy()  # finite values whose sum overflows: not an error
    big.treasury_busd[:] = 1e308
    with np.errstate(over="ignore"):  # numpy's sum of them overflows on the way
        assert raised(big, True) == raised(big, False) == ""
    for k, name in enumerate(FLOAT_FIELDS):
        for bad in (np.nan, np.inf, -np.inf):
            broken = world.copy()
            flat = getattr(broken, name).reshape(-1)
            flat[(k * 7919) % flat.size] = bad
            by_numpy = raised(broken, False)
            assert by_numpy and raised(broken, True) == by_numpy, f"{label}: {name} {bad}"
