"""The built-in opponents decide from their own view only, deterministically, with valid orders."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.ai import load_strategy
from game.content import load_content
from game.engine import Tables, new_world
from game.engine.resolve import advance

AIS = ("easy", "normal", "hard")
HIDDEN = ("treasury_busd", "fleet", "fleet_total", "fab_wafers_per_q", "fab_pipeline", "design_index",
          "design_progress_busd", "run_flop", "run_quarters", "capability", "compute_flops", "power_mw",
          "power_pipeline", "efficiency_log10", "model_log10_eff", "revenue_busd", "cum_revenue_busd", "adoption",
          "yields", "packaging_chips_per_q", "euv_tools", "mindshare", "intel_level", "debt_quarters",
          "base_budget_busd", "score", "score_parts")


@pytest.fixture(scope="module")
def tables():
    content = load_content(None)
    return Tables(content, content.scenarios["2025"])


@pytest.fixture(scope="module")
def midgame(tables):
    """Three games six quarters in, normal against normal."""
    world = new_world(tables, [3, 4, 5])
    normal = load_strategy("normal")
    for _ in range(6):
        advance(world, normal.decide(world, 0), normal.decide(world, 1))
    return world


def same_orders(a, b) -> bool:
    return (np.array_equal(a.allocation, b.allocation) and np.array_equal(a.split, b.split)
            and np.array_equal(a.actions, b.actions))


@pytest.mark.parametrize("ai", AIS)
@pytest.mark.parametrize("side", (0, 1))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.lists(st.sampled_from(HIDDEN), min_size=1, max_size=6, unique=True),
       factor=st.sampled_from((0.0, 0.3, 1.7, 5.0)))
def test_rival_hidden_state_does_not_change_orders(midgame, ai, side, fields, factor):
    strategy = load_strategy(ai)
    before = strategy.decide(midgame, side)
    changed = midgame.copy()
    rival = 1 - side
    for name in fields:
        arr = getattr(changed, name)
        arr[:, rival] = (arr[:, rival] * factor + (1 if arr.dtype.kind == "i" else 0)).astype(arr.dtype)
    after = strategy.decide(changed, side)
    assert same_orders(before, after), f"{ai} as side {side} reads the rival's {fields}"


@pytest.mark.parametrize("ai", AIS)
def test_deterministic_and_batch_invariant(midgame, ai):
    a = load_strategy(ai).decide(midgame, 1)
    b = load_strategy(ai).decide(midgame.copy(), 1)
    assert same_orders(a, b)
    alone = load_strategy(ai).decide(midgame.take([1]), 1)
    assert np.array_equal(alone.allocation[0], a.allocation[1])
    assert np.array_equal(alone.split[0], a.split[1])
    assert np.array_equal(alone.actions[0], a.actions[1])


@pytest.mark.parametrize("us,cn", [("easy", "hard"), ("hard", "normal"), ("normal", "easy")])
def test_orders_are_valid_and_explained(tables, us, cn):
    world = new_world(tables, [11, 12])
    a, b = load_strategy(us), load_strategy(cn)
    for _ in range(6):
        for strat, side in ((a, 0), (b, 1)):
            lines = strat.explain(world, side)
            assert len(lines) == world.batch
            assert all(line.startswith(f"{strat.name}:") and len(line) > len(strat.name) + 2 for line in lines)
        advance(world, a.decide(world, 0), b.decide(world, 1))  # advance validates: raises on a bad order
    assert world.turn.min() == 6


def test_ladder_exists_on_a_handful_of_games(tables):
    """Not a balance figure (that is `compute-race balance --check`): a smoke check that normal
    plans better than easy, so a broken planner shows up in the suite."""
    world = new_world(tables, list(range(1, 9)))
    easy, normal = load_strategy("easy"), load_strategy("normal")
    while not world.done.all():
        advance(world, normal.decide(world, 0), easy.decide(world, 1))
    assert (world.winner == 0).sum() >= 6


@pytest.mark.parametrize("ai", ("normal", "hard"))
def test_the_intelligence_feed_does_change_orders(midgame, ai):
    """The other half of the proof: what the seat may see (the lagged, noisy feed) is used.
    (`easy` ignores its rival altogether - one of its mistakes.)"""
    strategy = load_strategy(ai)
    before = strategy.decide(midgame, 0)
    changed = midgame.copy()
    changed.obs_lag[:, 1] *= 3.0
    changed.obs_lag[:, 1, :] += 20.0
    assert not same_orders(before, strategy.decide(changed, 0))
