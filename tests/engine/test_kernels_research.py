"""research.advance's kernel (game/engine/kernels/research.py) gives the numpy path's bits, call by call: the
breakthroughs drawn (the same draws) and the efficiency, with what diffuses from the rival."""

from __future__ import annotations

import pytest

from game.engine import jit, research
from tests.engine.test_kernels_apps import replay

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


def test_advance_kernel_gives_the_numpy_bits() -> None:
    calls = replay(research, "advance", "game.engine.kernels.research")
    worlds = [args[0] for _, args in calls]
    # The calls reach breakthroughs (some games, not all) and efficiency that diffuses from an open rival.
    assert any(w.breakthrough.any() and not w.breakthrough.all() for w in worlds)
    assert any((w.model_open & (w.efficiency_log10 > w.efficiency_log10[:, ::-1])).any() for w in worlds)
