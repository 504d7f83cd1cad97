"""The supply chain's kernels (game/engine/kernels/: supply, fabs, litho, design) give their layers' bits.

Each layer's calls are recorded during real quarters and replayed from copies by the numpy path and by its
kernel; the results and the arguments after the call (the world is changed in place) must be the same bits. The
kernel is called directly, so the small batches of the quarters where most games are over are held to it too.
The recorded batches have every game at one turn, so the layers are also run on batches joined from two quarters
(the rings indexed by turn then point at different slots in different games) and with games past the scenario.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from game.engine import World, design, fabs, jit, litho, supply
from tests.engine.kernel_worlds import copied, layer_calls, same_bits

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")

LAYERS = ((design, "advance"), (litho, "buy_tools"), (fabs, "build"), (supply, "build_packaging"),
          (supply, "production"))
IDS = [f"{module.__name__.rsplit('.', 1)[-1]}.{name}" for module, name in LAYERS]


def kernel_of(module: ModuleType, name: str) -> Callable[..., Any]:
    """The kernel's wrapper for a layer: game/engine/kernels/ holds one module per layer module."""
    fn: Callable[..., Any] = getattr(importlib.import_module(f"game.engine.kernels.{module.__name__.rsplit('.', 1)[-1]}"),
                                     name)
    if module is fabs and name == "build":  # the layer works out the targets off the scenario's table for it
        build = fn
        return lambda world, money, share: build(world, money, share, fabs.targets_off_table(world))
    return fn


def both_paths(label: str, fn: Callable[..., Any], kernel: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """The layer (numpy) and its kernel on two copies of `args`: the same results and the same arguments after."""
    by_numpy, by_kernel = copied(args), copied(args)
    with jit.using(False):
        numpy_result = fn(*by_numpy)
    kernel_result = kernel(*by_kernel)
    same_bits(label, (numpy_result, by_numpy), (kernel_result, by_kernel))


def joined(first: tuple[Any, ...], second: tuple[Any, ...]) -> tuple[Any, ...]:
    """Two calls' arguments as one call over both batches (worlds and arrays joined along the batch)."""
    return tuple(World.concat([a, b]) if isinstance(a, World) else np.concatenate([a, b])
                 for a, b in zip(first, second, strict=True))


@pytest.mark.parametrize(("module", "name"), LAYERS, ids=IDS)
def test_the_kernel_gives_the_layers_bits(module: ModuleType, name: str) -> None:
    kernel = kernel_of(module, name)
    calls = list(layer_calls(module, name, quarters=40, every=3))
    for label, fn, args in calls:
        both_paths(label, fn, kernel, args)
    assert len(calls) >= 30
    # Games at different turns: each call joined with the next one of the same scenario (3 quarters later, or
    # another pairing's), then the same with the second batch moved past the scenario's last quarter.
    runs = 0
    for (label, fn, args), (later, _, more) in zip(calls, calls[1:]):
        if args[0].tables is not more[0].tables or args[0].turn[0] == more[0].turn[0]:
            continue
        both_paths(f"{label} joined with {later}", fn, kernel, joined(args, more))
        past = copied(more)
        past[0].turn[:] += len(past[0].tables.node_target_by_turn)
        both_paths(f"{label} joined with {later} past the end", fn, kernel, joined(args, past))
        runs += 1
    assert runs >= 25


@pytest.mark.parametrize(("module", "name"), LAYERS, ids=IDS)
def test_the_layer_takes_its_kernel_on_big_batches_only(module: ModuleType, name: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    kernel_module = importlib.import_module(f"game.engine.kernels.{module.__name__.rsplit('.', 1)[-1]}")
    taken = object()
    monkeypatch.setattr(kernel_module, name, lambda *args: taken)
    for label, fn, args in layer_calls(module, name, quarters=12, every=3):
        with jit.using(True):
            result = fn(*copied(args))
        assert (result is taken) == (args[0].batch >= jit.MIN_BATCH), label


def test_fabs_built_at_once_where_a_side_builds_in_no_time() -> None:
    """No scenario builds fabs in 0 quarters, which the layer allows (the capacity is there at once): the same
    calls with the US's foundries abroad and China's onshore fabs built at once."""
    kernel = kernel_of(fabs, "build")
    seen = 0
    for label, fn, args in layer_calls(fabs, "build", quarters=12, every=3):
        t = copy.copy(args[0].tables)
        t.abroad_fab_build_q, t.fab_build_q = np.array([0, 8]), np.array([12, 0])
        t._tiles = {}  # the per-side constants tiled from the new build times
        world = World(t, args[0].arrays())
        both_paths(f"{label}, built at once", fn, kernel, (world, *args[1:]))
        seen += int((args[1] > 0).any())
    assert seen >= 4


def test_minimum_and_maximum_of_two_are_numpys() -> None:
    """Where the layers' figures never reach them: signed zeros (numpy returns the second of two equal values),
    NaN (either one makes the result NaN) and infinities."""
    from game.engine.kernels.mathk import maximum as maximum1
    from game.engine.kernels.mathk import minimum as minimum1

    values = np.array([0.0, -0.0, 1.0, -1.0, np.nan, np.inf, -np.inf, 1e-300])
    a, b = np.repeat(values, len(values)), np.tile(values, len(values))
    for numpy_fn, kernel_fn in ((np.minimum, minimum1), (np.maximum, maximum1)):
        same_bits(numpy_fn.__name__, numpy_fn(a, b), np.array([kernel_fn(x, y) for x, y in zip(a, b, strict=True)]))
