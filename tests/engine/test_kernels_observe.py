"""game/engine/kernels/observe.py gives observe.py's bits: each layer function replayed from its recorded calls
with kernels off and on (results and arguments after), plus the worlds real play does not reach (the first
turn, games at different turns, NaN in the state)."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from game.engine import Tables, jit, new_world, observe
from game.engine.state import DOMESTIC
from tests.engine.kernel_worlds import BATCH, CONTENT, TABLES, both_paths, layer_calls, same_bits, snapshots

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


@pytest.mark.parametrize("name", ["observe", "refresh", "verdict", "deployment", "self_sufficiency", "us_share"])
def test_layer_calls_are_the_same_with_kernels(name: str) -> None:
    seen = 0
    for label, fn, args in layer_calls(observe, name, quarters=40, every=3):
        both_paths(label, fn, args)
        seen += 1
    assert seen >= 4 * 3


def test_observe_into_a_new_array_and_refresh_with_capability() -> None:
    for label, world, _us, _cn in snapshots(quarters=40, every=7):
        both_paths(f"{label} observe", observe.observe, (world,))
        both_paths(f"{label} verdict", observe.verdict, (world,))
        both_paths(f"{label} refresh", observe.refresh, (world, True))


def test_the_first_turn_and_games_at_different_turns() -> None:
    """Turn 0 (compute is the fleet's) and a batch whose games stand at different turns (the ring's slots
    differ game by game)."""
    world = new_world(TABLES["2025"], list(range(BATCH)))
    for name in ("observe", "refresh", "verdict", "self_sufficiency"):
        both_paths(f"turn 0 {name}", getattr(observe, name), (world,))
    for label, world, _us, _cn in snapshots(quarters=30, every=10):
        world.turn[:] = world.turn + np.arange(world.batch) % 23
        for name in ("observe", "refresh", "self_sufficiency"):
            both_paths(f"{label} staggered {name}", getattr(observe, name), (world,))


def test_nan_and_infinity_go_where_numpy_takes_them() -> None:
    """The check after a quarter names a non-finite field; the kernels must hand it the same values to name."""
    for label, world, _us, _cn in snapshots(quarters=20, every=19):
        g = np.arange(world.batch)
        world.fleet[g % 5 == 0, g[g % 5 == 0] % 2, :, :] = np.nan
        world.adoption[g % 7 == 0, 0, 1] = np.inf
        world.market_busd[g % 11 == 0, 2] = np.nan
        world.model_log10_eff[g % 13 == 0, 1] = -np.inf
        world.mindshare[g % 3 == 0, 0] = np.nan
        with np.errstate(invalid="ignore"):  # as a quarter runs (resolve.advance)
            for name in ("observe", "refresh", "verdict", "deployment", "self_sufficiency"):
                both_paths(f"{label} {name}", getattr(observe, name), (world,))
            us, cn = world.mindshare[:, 0].copy(), world.mindshare[:, 1].copy()
            both_paths(f"{label} us_share", observe.us_share, (us, cn))


def test_self_sufficiency_over_eight_quarters_or_more() -> None:
    """supply_quarters of 8 and more: numpy's sum over the ring's slots goes pairwise (the kernel's other branch)."""
    for label, world, _us, _cn in snapshots(quarters=30, every=29):
        for quarters in (8, 11, 25):
            content = attrs.evolve(CONTENT, scoring=attrs.evolve(CONTENT.scoring, supply_quarters=quarters))
            world.tables = Tables(content, world.tables.scenario)  # what Tables works out from it included
            world.fleet[:, :, DOMESTIC] *= np.linspace(0.2, 0.9, world.fleet.shape[-1])  # not all made at home
            for name in ("self_sufficiency", "observe", "refresh"):
                both_paths(f"{label} {quarters} quarters {name}", getattr(observe, name), (world,))


def test_logistic_each_gives_logistic1_bits() -> None:
    """The verdict's frontier part takes logistic_each (exp1's ldexp as a product by a power of two built from its
    bits): mathx.logistic's bits on values across exp1's whole range, its clamps, infinities and NaN."""
    from game.engine import mathx
    from game.engine.kernels import observe as k

    rng = np.random.default_rng(24)
    z = np.concatenate([rng.normal(0.0, 1.0, 4000), rng.normal(0.0, 40.0, 4000), rng.uniform(-800.0, 800.0, 4000),
                        np.linspace(-745.0, 745.0, 4001), [0.0, -0.0, 5e-324, -5e-324, 1e-300, 700.0, -700.0,
                                                          np.nextafter(700.0, 800.0), np.nextafter(-700.0, -800.0),
                                                          1e308, -1e308, np.inf, -np.inf, np.nan, -np.nan]])
    got = np.empty_like(z)
    k.logistic_each(got, z)
    with np.errstate(over="ignore", invalid="ignore"):
        expected = mathx.logistic(z)
    same_bits("logistic_each", expected, got)
    same_bits("logistic_each v logistic1", np.array([k.logistic1(v) for v in z]), got)


def test_deployment_of_any_number_of_sectors() -> None:
    """The deployment kernel's chunks (a batch not a multiple of them) and its pairwise branch past 8 sectors, held
    to observe.deployment's numpy code on made-up markets (zeros and NaN among them)."""
    from game.engine import mathx
    from game.engine.kernels import observe as k

    rng = np.random.default_rng(24)
    for sectors in (1, 3, 6, 8, 9, 11, 20):
        batch = 3 * k.CHUNK + 5
        market = rng.uniform(0.0, 100.0, (batch, sectors))
        market[::7] = 0.0
        market[::11, 0] = np.nan
        adoption = rng.uniform(0.0, 1.0, (batch, 2, sectors))
        open_share = rng.uniform(0.3, 1.0, sectors)
        got = np.empty((batch, 2))
        with np.errstate(invalid="ignore", divide="ignore"):
            k._deployment(got, market, adoption, open_share)
            by_sector = np.ascontiguousarray(market.T)  # observe.deployment's steps, on these arrays
            held = np.ascontiguousarray(adoption.transpose(1, 2, 0)) / open_share[:, None]
            held *= by_sector / mathx.rowsum(by_sector, axis=0)
            same_bits(f"{sectors} sectors", mathx.rowsum(held, axis=1).T, got)
