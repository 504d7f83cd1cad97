"""Compiled kernels for the designer's big batches: a layer's loop over games, compiled by numba.

The engine is numpy over a leading batch axis; at a few thousand games a quarter costs thousands of numpy calls,
each making a temporary the next one reads. A kernel is the same layer written as one loop over the games, with
the same IEEE operations in the same order (no fused multiply-add, no reassociation: numba compiles without
fastmath), so it gives the numpy path's bits: tests/engine/kernels hold every kernel to it, field by field.

When they run:
- only where a headless command turned them on (`enable()`: sim, balance, backtest, tune and bench do), so
  nothing compiles on the way to the title screen or during a game at the keyboard;
- only on batches of at least MIN_BATCH games (a game alone, or the hard AI's handful, is numpy's);
- only where numba is installed (`pip install 'compute-race[fast]'`; without it the numpy path gives the same
  figures, slower).
A kernel (game/engine/kernels/, one module per layer module) is compiled the first time it runs and cached on
disk (see cache_dir, or NUMBA_CACHE_DIR if set), so a machine compiles each once.
`COMPUTE_RACE_KERNELS=0` turns them off everywhere (a process started by one that turned them on inherits the
setting through the environment).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

ENV = "COMPUTE_RACE_KERNELS"
# Below this many games a quarter's numpy calls cost less than a kernel's entry (argument checks per call).
MIN_BATCH = 64
INSTALL = "pip install 'compute-race[fast]'"
KERNELS = Path(__file__).resolve().parent / "kernels"

F = TypeVar("F", bound=Callable[..., Any])

_on = os.environ.get(ENV) == "1"
_numba: bool | None = None


def available() -> bool:
    """Whether numba is installed (looked up once, without importing it)."""
    global _numba
    if _numba is None:
        _numba = importlib.util.find_spec("numba") is not None
    return _numba


def enable(on: bool = True) -> bool:
    """Turn kernels on (or off) for this process and those it starts; returns whether they are on. An
    environment that says COMPUTE_RACE_KERNELS=0 keeps them off."""
    global _on
    _on = on and available() and os.environ.get(ENV) != "0"
    if _on:
        os.environ[ENV] = "1"
    return _on


def enabled() -> bool:
    return _on


@contextlib.contextmanager
def using(on: bool) -> Iterator[None]:
    """Kernels on or off inside the block, whatever they were (tests hold the two paths to each other)."""
    global _on
    was = _on
    _on = on and available()
    try:
        yield
    finally:
        _on = was


def active(batch: int) -> bool:
    """Whether a layer of a quarter of `batch` games takes its kernel."""
    return _on and batch >= MIN_BATCH


@functools.cache
def cache_dir() -> Path:
    """Where compiled kernels are kept: the user's cache folder, one subfolder per version of the kernels' source.
    numba's own cache notices a change to a kernel's file but not to a kernel it calls in another file
    (kernels/mathk.py): a folder named by all of them never serves code compiled from other sources."""
    import platformdirs

    digest = hashlib.sha256()
    for path in sorted(KERNELS.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return Path(platformdirs.user_cache_dir("compute-race", appauthor=False)) / "kernels" / digest.hexdigest()[:16]


def njit(fn: F) -> F:
    """Compile `fn` with numba at its first call (cached on disk): the decorator of every kernel. The kernel
    modules (game/engine/kernels/) call it as they are imported, so they are imported only inside a layer's
    `if jit.active(batch):` branch, and a process that never runs a kernel never loads numba (nor LLVM)."""
    os.environ.setdefault("NUMBA_CACHE_DIR", str(cache_dir()))  # read by numba when it is first imported
    import numba

    # error_model="numpy": a division by zero gives inf or NaN, as numpy's does under the quarter's errstate,
    # instead of raising. No fastmath: the bits of the numpy path. nogil: a thread pool could run two chunks.
    return cast(F, numba.njit(cache=True, nogil=True, error_model="numpy")(fn))
