"""models.train's kernel (game/engine/kernels/models.py) gives the numpy path's bits, call by call: the money
spent, the run, and a finished run's model (luck, fast-following, open weights) and capability."""

from __future__ import annotations

import pytest

from game.engine import jit, models
from tests.engine.kernel_worlds import both_paths, layer_calls
from tests.engine.test_kernels_apps import replay

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


def test_train_kernel_gives_the_numpy_bits() -> None:
    calls = replay(models, "train", "game.engine.kernels.models")
    worlds = [args[0] for _, args in calls]
    # The calls reach a finished run's outcome: new models in some games (not all), and runs that bring none.
    assert any(w.model_new.any() and not w.model_new.all() for w in worlds)
    assert any(((w.run_quarters == 0) & ~w.model_new).any() for w in worlds)


def test_train_kernel_where_runs_finish_in_some_games_and_on_one_side() -> None:
    """Runs in step finish in every game of a batch at once (as in the recorded games); here a third of the games
    are a quarter behind on both sides and a third on one side, so the numpy path works a finished run out for
    some games only and the kernel passes the others by."""
    from game.engine.jit import MIN_BATCH

    seen = 0
    for label, fn, args in layer_calls(models, "train", quarters=12, every=1):
        world = args[0]
        if world.batch < MIN_BATCH or not (world.run_quarters + 1 >= world.tables.rules.training.run_quarters).all():
            continue
        world.run_quarters[::3] -= 1
        world.run_quarters[1::3, 1] -= 1
        _, (after, *_) = both_paths(label, fn, args)
        finished = after.run_quarters == 0
        assert finished.any(axis=1).any() and not finished.any(axis=1).all() and (finished[:, 0] != finished[:, 1]).any()
        seen += 1
    assert seen >= 4
