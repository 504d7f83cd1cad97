"""The infrastructure layer's kernels (game/engine/kernels/infra.py) give infra.py's numpy bits, call by call.

Each layer function is replayed from the arguments it had in real quarters (kernel_worlds.layer_calls: random
and normal play, both scenarios, so imports, smuggling, credit and debt all occur), kernels off and on, and
the results and the world after the call compared bit for bit.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest

from game.ai import load_strategy
from game.engine import Tables, World, infra, jit, new_world
from game.engine.resolve import advance
from game.engine.state import MW
from tests.engine.kernel_worlds import CONTENT, TABLES, copied, layer_calls, same_bits

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


def padded(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """A call's arguments with its games repeated up to jit.MIN_BATCH, so the kernel runs: once many games are
    over, the quarter resolves the live ones apart, in batches too small for kernels. (A game's figures do not
    depend on the games beside it, so the numpy path gives each copy its own game's.)"""
    batch = args[0].batch
    times = -(-jit.MIN_BATCH // batch)

    def tiled(value: Any) -> Any:
        if isinstance(value, World):
            return World.concat([value] * times)
        if isinstance(value, np.ndarray) and value.shape[:1] == (batch,):
            return np.concatenate([value] * times)
        if isinstance(value, tuple):
            return tuple(tiled(v) for v in value)
        return value

    return tuple(tiled(a) for a in args)


def replay(name: str) -> list[tuple[tuple[Any, ...], Any]]:
    """Each recorded call of infra.`name` run kernels off and on from copies of its arguments (its games
    repeated up to a kernel's batch); returns each call as (arguments after the numpy call, its result), for a
    test's own checks on what the calls covered."""
    ran = []
    for label, fn, recorded in layer_calls(infra, name, quarters=40, every=3):
        args = padded(recorded)
        by_numpy, by_kernel = copied(args), copied(args)
        with jit.using(False):
            want = fn(*by_numpy)
        with jit.using(True):
            assert jit.active(by_kernel[0].batch)
            got = fn(*by_kernel)
        same_bits(label, (want, by_numpy), (got, by_kernel))
        ran.append((by_numpy, want))
    return ran


def test_install_matches_numpy() -> None:
    ran = replay("install")
    assert len(ran) >= 30
    # The calls reach each path of the layer: imports, smuggling (bought and seized), import credit.
    assert any(args[0].chips_bought[:, :, 1].any() for args, _ in ran), "no call imported chips"
    assert any(args[0].chips_bought[:, :, 2].any() for args, _ in ran), "no call smuggled chips"
    assert any(credit_used.any() for _, (_total, credit_used, _fee) in ran), "no call used import credit"
    assert any(fee.any() for _, (_total, _credit_used, fee) in ran), "no call paid a licence fee"


def test_usable_compute_matches_numpy() -> None:
    assert len(replay("usable_compute")) >= 30


def test_energy_cost_matches_numpy() -> None:
    assert len(replay("energy_cost")) >= 30


def test_install_handles_games_at_different_turns() -> None:
    """One batch of games at different turns (games from several quarters' calls, put together): each game's
    rings are read and written at its own slot (the numpy path takes at_last_axis then, not ring_slot)."""
    parts = []
    for _label, _fn, args in layer_calls(infra, "install", quarters=14, every=3):
        if args[0].batch >= 16:
            games = np.arange(16)
            parts.append((args[0].take(games), args[1][games], tuple(a[games] for a in args[2])))
    assert len({int(world.turn[0]) for world, _, _ in parts}) >= 5
    world = World.concat([p[0] for p in parts])
    money = np.concatenate([p[1] for p in parts])
    supply = tuple(np.concatenate([p[2][k] for p in parts]) for k in range(4))
    by_numpy, by_kernel = copied((world, money, supply)), copied((world, money, supply))
    with jit.using(False):
        want = infra.install(*by_numpy)
    with jit.using(True):
        got = infra.install(*by_kernel)
    same_bits("games at different turns", (want, by_numpy), (got, by_kernel))


def test_install_with_power_at_once_and_a_long_pipeline() -> None:
    """Sides whose power is on the quarter it is bought (built in 0 quarters) and whose pipeline is longer than 8
    slots (summed in numpy's pairwise order): neither scenario has them, so the 2025 one changed so, played."""
    base = TABLES["2025"].scenario
    sides = attrs.evolve(base.sides, us=attrs.evolve(base.sides.us, power_build_quarters=0, power_building_mw=()),
                         cn=attrs.evolve(base.sides.cn, power_build_quarters=12))
    tables = Tables(CONTENT, attrs.evolve(base, sides=sides))
    assert tables.power_slots > 8
    world = new_world(tables, list(range(jit.MIN_BATCH)))
    strategy = load_strategy("normal")
    calls = []

    def spy(*args: Any) -> Any:
        calls.append(copied(args))
        return install(*args)

    install = infra.install
    infra.install = spy
    try:
        with jit.using(False):
            for _ in range(24):
                advance(world, strategy.decide(world, 0), strategy.decide(world, 1))
    finally:
        infra.install = install
    for k, args in enumerate(calls):
        by_numpy, by_kernel = copied(args), copied(args)
        with jit.using(False):
            want = install(*by_numpy)
        with jit.using(True):
            got = install(*by_kernel)
        same_bits(f"quarter {k}", (want, by_numpy), (got, by_kernel))
    assert len(calls) == 24 and calls[-1][0].power_pipeline[:, 1].any() and calls[-1][0].power_mw[:, 0].any()


def test_usable_compute_of_games_without_a_fleet() -> None:
    """Games with no fleet run it all (utilisation 1), whatever their power, none included: the recorded calls
    have no such game with no power, so some games of one are made so (a fleet of 0.0 and of -0.0 MW)."""
    _label, _fn, (world,) = next(iter(layer_calls(infra, "usable_compute", quarters=6, every=3)))
    (world,) = padded((world,))
    world.fleet_total[::3, :, MW] = 0.0
    world.fleet_total[1::3, :, MW] = -0.0
    world.power_mw[::2] = 0.0
    by_numpy, by_kernel = copied(world), copied(world)
    with jit.using(False):
        want = infra.usable_compute(by_numpy)
    with jit.using(True):
        got = infra.usable_compute(by_kernel)
    same_bits("games without a fleet", (want, by_numpy), (got, by_kernel))
    assert (by_numpy.utilisation[::6] == 1.0).all()
