"""game/engine/kernels/scoring.py gives scoring.py's bits: settle and decisive replayed from their recorded calls
with kernels off and on (results and the world after), and on worlds pushed to every way a game ends."""

from __future__ import annotations

import copy
import importlib
from types import ModuleType

import attrs
import numpy as np
import pytest

from game.engine import jit, scoring, state
from tests.engine.kernel_worlds import both_paths, layer_calls, snapshots

RESOLVE = importlib.import_module("game.engine.resolve")  # the package's `resolve` is the function

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


@pytest.mark.parametrize(("module", "name"), [(RESOLVE, "settle"), (scoring, "decisive")])
def test_layer_calls_are_the_same_with_kernels(module: ModuleType, name: str) -> None:
    """(resolve calls settle by the name it imported.)"""
    seen = 0
    for label, fn, args in layer_calls(module, name, quarters=40, every=3):
        both_paths(label, fn, args)
        seen += 1
    assert seen >= 4 * 3


def test_every_way_a_game_ends() -> None:
    """Worlds pushed so that, game by game, a decisive lead (one side, both), bankruptcy (one, both), the last
    quarter's tie-breaks, and games already over all happen in one batch."""
    ends = {state.DECISIVE: 0, state.BANKRUPTCY: 0, state.TRACK: 0}
    both_decisive = 0
    for k, (label, world, _us, _cn) in enumerate(snapshots(quarters=40, every=9)):
        if k % 2:  # a decisive margin of 0: both sides can hold a decisive lead at once (then the track decides)
            world.tables = t = copy.copy(world.tables)
            t.scoring = attrs.evolve(t.scoring, decisive_margin_months=0.0)
        t = world.tables
        g = np.arange(world.batch)
        world.done[:] = g % 17 == 3
        world.winner[world.done] = g[world.done] % 3
        world.reason[world.done] = state.TRACK
        # decisive: the frontier past the bar on one side or both, with full adoption
        near = g % 6 == 0
        world.model_log10_eff[near, 0] = t.decisive_log10 + 1.0 + (g[near] % 4) * 0.01
        world.model_log10_eff[near & (g % 12 == 0), 1] = t.decisive_log10 + 1.0
        world.adoption[near] = 1.0
        # bankrupt: debt past the limit on one side or both
        world.debt_quarters[g % 5 == 1, g[g % 5 == 1] % 2] = t.rules.money.bankrupt_quarters
        world.debt_quarters[g % 10 == 2] = t.rules.money.bankrupt_quarters
        # the last quarter, with level tracks, level frontiers and level revenue in some games
        world.turn[g % 4 == 2] = t.scenario.turns
        level = g % 8 == 2
        with jit.using(False):  # the quarter's points, so that the tracks are level after it
            gained = world.copy()
            scoring.settle(gained)
        world.track[level] = 50.0 - (gained.track - world.track)[level]
        world.model_log10_eff[level & (g % 16 == 2)] = world.model_log10_eff[level & (g % 16 == 2)][:, :1]
        # level tracks: more revenue to the side behind on the frontier (so the order of the tie-breaks shows)
        behind = np.argmin(world.model_log10_eff, axis=1)
        world.cum_revenue_busd[level] = 1.0
        world.cum_revenue_busd[g[level], behind[level]] = 10.0
        world.cum_revenue_busd[g % 32 == 2] = 1.0
        both_paths(f"{label} decisive", scoring.decisive, (world,))
        both_paths(f"{label} settle", scoring.settle, (world,))
        with jit.using(True):
            ended = world.copy()
            scoring.settle(ended)
        for reason in ends:
            ends[reason] += int((ended.reason[~world.done] == reason).sum())
        with jit.using(False):
            both_decisive += int((scoring.decisive(world).all(axis=1) & ~world.done).sum())
    assert all(n > 0 for n in ends.values()) and both_decisive > 0, (ends, both_decisive)


def test_the_decisive_margin_at_its_edge() -> None:
    """Frontiers whose lead is the decisive margin to the last bit (one bit less would miss it): a lead worked
    out with other rounding than lead_months' decides some of these games the other way."""
    label, world, _us, _cn = next(iter(snapshots(quarters=10, every=9)))
    t = world.tables
    growth, bar = t.rules.lead.growth_log10_per_year, t.scoring.decisive_margin_months

    def lead(ahead: float, behind: float) -> float:
        return float(12.0 * (np.float64(ahead) - behind) / growth)  # observe.lead_months' order

    for g in range(world.batch):
        ahead = t.decisive_log10 + 0.25 + g * 0.0137
        behind = ahead - bar * growth / 12.0
        while lead(ahead, behind) < bar:
            behind = np.nextafter(behind, -np.inf)
        while lead(ahead, np.nextafter(behind, np.inf)) >= bar:
            behind = np.nextafter(behind, np.inf)
        world.model_log10_eff[g] = (ahead, behind) if g % 2 else (behind, ahead)
    world.adoption[:] = 1.0
    with jit.using(False):
        assert scoring.decisive(world).any(axis=1).all(), label  # every game on the edge, inside it
    both_paths(f"{label} decisive at the edge", scoring.decisive, (world,))
    both_paths(f"{label} settle at the edge", scoring.settle, (world,))
