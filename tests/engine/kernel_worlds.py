"""Worlds for holding a compiled kernel to the numpy layer it replaces (game/engine/jit.py).

`snapshots` plays batches of games (both scenarios, random and normal orders, so policies, events, export tiers,
smuggling, debt and games over all occur) and yields the world before each quarter with the orders played in
it. A kernel test runs one layer, or the whole quarter, from a copy of each world with kernels off and on and
compares the two with `same_bits`: every field, bit for bit (NaN included). `layer_calls` gives one layer's calls with their
arguments, to hold one kernel to its layer.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import numpy as np

from game.ai import load_strategy
from game.content import load_content
from game.engine import OrderBatch, Tables, World, jit, new_world
from game.engine.resolve import advance

CONTENT = load_content()
TABLES = {sid: Tables(CONTENT, CONTENT.scenario(sid)) for sid in ("2025", "2022")}
BATCH = max(jit.MIN_BATCH, 96)  # big enough that the kernels run
# (scenario, US strategy, China strategy, first seed): random orders reach every policy and event; normal's reach
# the figures of real play (big fleets, the decisive lead, track ends).
PAIRINGS = (("2025", "random", "random", 1000), ("2025", "normal", "normal", 2000),
            ("2022", "random", "normal", 3000), ("2022", "normal", "random", 4000))


def snapshots(quarters: int = 40, every: int = 1) -> Iterator[tuple[str, World, OrderBatch, OrderBatch]]:
    """(label, world before the quarter, US orders, China orders) for every `every`-th quarter of each pairing,
    the games played with kernels off (the reference path)."""
    for sid, us, cn, first in PAIRINGS:
        a, b = load_strategy(us), load_strategy(cn)
        world = new_world(TABLES[sid], list(range(first, first + BATCH)))
        with jit.using(False):
            for q in range(quarters):
                if world.done.all():
                    break
                orders = (a.decide(world, 0), b.decide(world, 1))
                if q % every == 0:
                    yield f"{sid} {us} v {cn} quarter {q}", world.copy(), *orders
                advance(world, *orders)


def copied(value: Any) -> Any:
    """A deep copy of a layer's arguments: worlds and arrays copied, tuples and lists element by element."""
    if isinstance(value, World | np.ndarray):
        return value.copy()
    if isinstance(value, tuple | list):
        return type(value)(copied(v) for v in value)
    return value


def layer_calls(module: ModuleType, name: str, quarters: int = 40, every: int = 3
                ) -> Iterator[tuple[str, Callable[..., Any], tuple[Any, ...]]]:
    """Every call of `module.name` made while the snapshots' quarters resolve (kernels off), as (label, the
    function, its arguments copied as they were before the call): a layer's test calls the function on two
    copies of them, kernels off and on, and compares the results and the arguments after (same_bits)."""
    fn = getattr(module, name)
    for label, world, o_us, o_cn in snapshots(quarters, every):
        calls: list[tuple[Any, ...]] = []

        def spy(*args: Any, _calls: list[tuple[Any, ...]] = calls, **kwargs: Any) -> Any:
            # Keyword arguments (observe(w, out=...)) recorded in their positional places.
            _calls.append(copied(inspect.signature(fn).bind(*args, **kwargs).args))
            return fn(*args, **kwargs)

        setattr(module, name, spy)
        try:
            with jit.using(False):
                advance(world, o_us, o_cn)
        finally:
            setattr(module, name, fn)
        for k, args in enumerate(calls):
            yield f"{label} call {k}", fn, args


def both_paths(label: str, fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, tuple[Any, ...]]:
    """`fn` on two copies of `args`, kernels off and on: the same results and the same arguments after (the world
    is changed in place), bit for bit. Returns the kernel path's result and arguments, for a test to check what
    the calls reached."""
    by_numpy, by_kernels = copied(args), copied(args)
    with jit.using(False):
        expected = fn(*by_numpy)
    with jit.using(True):
        got = fn(*by_kernels)
    same_bits(label, (expected, by_numpy), (got, by_kernels))
    return got, by_kernels


def same_bits(label: str, numpy_path: object, kernel_path: object) -> None:
    """Equal to the last bit: arrays by their bytes (so NaN equals NaN), tuples and worlds element by element."""
    if isinstance(numpy_path, World):
        assert isinstance(kernel_path, World)
        for name in numpy_path.names:
            same_bits(f"{label}: {name}", getattr(numpy_path, name), getattr(kernel_path, name))
    elif isinstance(numpy_path, tuple | list):
        assert isinstance(kernel_path, tuple | list) and len(numpy_path) == len(kernel_path), label
        for i, (x, y) in enumerate(zip(numpy_path, kernel_path, strict=True)):
            same_bits(f"{label}[{i}]", x, y)
    elif numpy_path is None:
        assert kernel_path is None, label
    else:
        x, y = np.asarray(numpy_path), np.asarray(kernel_path)
        assert x.dtype == y.dtype and x.shape == y.shape, f"{label}: {x.dtype}{x.shape} v {y.dtype}{y.shape}"
        if x.tobytes() != y.tobytes():
            # the first element whose bytes differ (a NaN against a NaN of the same bits is equal)
            per_element = (np.ascontiguousarray(x).view(np.uint8).reshape(x.size, -1)
                           != np.ascontiguousarray(y).view(np.uint8).reshape(y.size, -1)).any(axis=1)
            at = np.unravel_index(int(np.flatnonzero(per_element)[0]), x.shape)
            raise AssertionError(f"{label}: the kernel differs at {at}: numpy {x[at]!r}, kernel {y[at]!r}")
