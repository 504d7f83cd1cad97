"""game/engine/kernels/resolve.py: quarter()'s glue fused (money by category, the compute split, the flows for
the books) gives the numpy path's bits: quarter replayed from its recorded calls (all games live, and some over)
with kernels off and on, the world after compared field by field."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from game.engine import jit
from tests.engine.kernel_worlds import both_paths, layer_calls, snapshots

RESOLVE = importlib.import_module("game.engine.resolve")  # the package's `resolve` is the function

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


def test_quarter_calls_are_the_same_with_kernels() -> None:
    seen = 0
    for label, fn, args in layer_calls(RESOLVE, "quarter", quarters=40, every=3):
        both_paths(label, fn, args)
        seen += 1
    assert seen >= 4 * 3


def test_a_quarter_with_games_over() -> None:
    """quarter(all_live=False): the games over get no money (advance puts them back as they were after)."""
    for label, world, o_us, o_cn in snapshots(quarters=40, every=13):
        world.done[::7] = True
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # as advance runs it
            both_paths(f"{label} some over", RESOLVE.quarter, (world, o_us, o_cn))
