"""models.train's kernel (game/engine/kernels/models.py) gives the numpy path's bits, call by call: the money
spent, the run, and a finished run's model (luck, fast-following, open weights) and capability."""

from __future__ import annotations

import pytest

from game.engine import jit, models
from tests.engine.test_kernels_apps import replay

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


def test_train_kernel_gives_the_numpy_bits() -> None:
    calls = replay(models, "train", "game.engine.kernels.models")
    worlds = [args[0] for _, args in calls]
    # The calls reach a finished run's outcome: new models in some games (not all), and runs that bring none.
    assert any(w.model_new.any() and not w.model_new.all() for w in worlds)
    assert any(((w.run_quarters == 0) & ~w.model_new).any() for w in worlds)
