"""Engine properties over random seeds and random legal orders: every turn, every game."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.ai import load_strategy
from game.content import load_content
from game.engine import OrderBatch, OrderError, Tables, World, digests, legal_actions, new_world, resolve
from game.engine.state import FLOWS_IN, FLOWS_OUT
from tests.budget import examples

CONTENT = load_content()
TABLES = {sid: Tables(CONTENT, CONTENT.scenario(sid)) for sid in ("2025", "2022")}
NONNEGATIVE = ("fleet", "fleet_total", "fab_wafers_per_q", "fab_pipeline", "power_mw", "power_pipeline", "euv_tools",
               "duv_tools", "packaging_chips_per_q", "revenue_busd", "cum_revenue_busd", "market_busd",
               "intel_level", "run_flop", "import_credit_busd", "chips_made", "chips_bought", "compute_flops",
               "euv_program_busd", "design_progress_busd", "base_budget_busd")
UNIT = ("adoption", "mindshare", "yields", "utilisation", "served")
SETTINGS = settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_orders(world: World, side: int, draw_u: np.ndarray) -> OrderBatch:
    """Legal orders from a (batch, k) block of uniforms: varied totals, splits and actions."""
    t = world.tables
    n_cat, n_split, n_act = 8, 3, len(t.actions)
    u = draw_u[:, : n_cat + n_split + 1 + n_act]
    alloc = u[:, :n_cat] ** 2
    alloc = alloc / alloc.sum(axis=1, keepdims=True) * u[:, n_cat + n_split][:, None]
    split = u[:, n_cat:n_cat + n_split] + 1e-3
    split = split / split.sum(axis=1, keepdims=True)
    legal = legal_actions(world) & (t.action_side == side)
    actions = legal & (u[:, n_cat + n_split + 1:] < 0.25)
    return OrderBatch(alloc, split, actions)


def check_invariants(before: World, after: World) -> None:
    for name, arr in after.arrays().items():
        if arr.dtype.kind == "f":
            assert np.isfinite(arr).all(), f"{name} has NaN or infinity"
    for name in NONNEGATIVE:
        assert (getattr(after, name) >= 0).all(), f"{name} went negative"
    for name in UNIT:
        arr = getattr(after, name)
        assert ((arr >= 0) & (arr <= 1 + 1e-12)).all(), f"{name} left [0, 1]"
    assert ((after.capability >= 0) & (after.capability <= 100)).all()
    held = np.where(after.tables.sector_national, 0.0, after.adoption[:, 0] + after.adoption[:, 1])
    assert (held <= after.tables.sector_open_share + 1e-12).all(), "the sides hold more of a market than the rest leaves"
    assert ((after.track >= before.track) & (after.track <= 100 + 1e-9)).all(), "the track only grows, to 100 at most"
    assert ((after.verdict >= 0) & (after.verdict <= 1)).all()
    assert np.allclose(after.verdict[:, 0] + after.verdict[:, 1], 1.0), "each part's shares add up to 1"
    assert np.allclose(after.track_parts.sum(axis=-1), after.track)
    live = ~before.done
    flows = after.flows_busd
    n_in = len(FLOWS_IN)
    income = flows[:, :, :n_in].sum(axis=-1)
    spending = flows[:, :, n_in:n_in + len(FLOWS_OUT)].sum(axis=-1)
    expected = before.treasury_busd + income - spending
    scale = np.maximum.reduce([np.abs(before.treasury_busd), income, spending, np.ones_like(income)])
    err = np.abs(after.treasury_busd - expected) / scale
    assert (err[live] <= 1e-9).all(), f"treasury identity off by {err.max():.3g}"
    assert (flows >= -1e-12).all(), "a flow went negative"


def play(tables: Tables, seeds: list[int], uniforms: np.ndarray, turns: int) -> list[World]:
    """Play with orders drawn from `uniforms` (turns, batch, 2, k); return the world after each turn."""
    world = new_world(tables, seeds)
    states = [world]
    for turn in range(turns):
        if world.done.all():
            break
        orders = [random_orders(world, side, uniforms[turn, :, side]) for side in (0, 1)]
        nxt = resolve(world, *orders)
        check_invariants(world, nxt)
        states.append(nxt)
        world = nxt
    return states


def uniform_block(seed: int, turns: int, batch: int) -> np.ndarray:
    return np.random.default_rng(seed).random((turns, batch, 2, 8 + 3 + 1 + len(TABLES["2025"].actions)))


@SETTINGS
@given(seeds=st.lists(st.integers(0, 2**40), min_size=1, max_size=6, unique=True),
       order_seed=st.integers(0, 2**32 - 1), scenario=st.sampled_from(["2025", "2022"]))
def test_invariants_hold_every_turn(seeds: list[int], order_seed: int, scenario: str) -> None:
    play(TABLES[scenario], seeds, uniform_block(order_seed, 40, len(seeds)), 40)


@SETTINGS
@given(seeds=st.lists(st.integers(0, 2**40), min_size=2, max_size=24, unique=True),
       order_seed=st.integers(0, 2**32 - 1), pick=st.data())
def test_batch_invariance(seeds: list[int], order_seed: int, pick) -> None:
    """Game i of a batch evolves bit for bit as it does alone."""
    tables = TABLES["2025"]
    turns = 14
    u = uniform_block(order_seed, turns, len(seeds))
    batch_states = play(tables, seeds, u, turns)
    i = pick.draw(st.integers(0, len(seeds) - 1))
    alone = play(tables, [seeds[i]], u[:, i:i + 1], turns)
    for k, (big, small) in enumerate(zip(batch_states, alone)):
        for name, arr in small.arrays().items():
            assert np.array_equal(getattr(big, name)[i:i + 1], arr), f"turn {k}: {name} differs in a batch"
    assert digests(batch_states[-1])[i] == digests(alone[-1])[0]


@SETTINGS
@given(seeds=st.lists(st.integers(0, 2**40), min_size=1, max_size=5, unique=True),
       order_seed=st.integers(0, 2**32 - 1))
def test_digests_repeat_on_replay(seeds: list[int], order_seed: int) -> None:
    u = uniform_block(order_seed, 20, len(seeds))
    first = [digests(w) for w in play(TABLES["2025"], seeds, u, 20)]
    second = [digests(w) for w in play(TABLES["2025"], seeds, u, 20)]
    assert first == second


def test_random_strategy_full_games_keep_invariants() -> None:
    strat = load_strategy("random")
    tables = TABLES["2025"]
    world = new_world(tables, list(range(40)))
    while not world.done.all():
        nxt = resolve(world, strat.decide(world, 0), strat.decide(world, 1))
        check_invariants(world, nxt)
        world = nxt
    assert set(np.unique(world.reason)) <= {1, 2, 3}


def test_resolve_is_pure() -> None:
    world = new_world(TABLES["2025"], [5, 6])
    snapshot = {k: v.copy() for k, v in world.arrays().items()}
    strat = load_strategy("random")
    resolve(world, strat.decide(world, 0), strat.decide(world, 1))
    for name, arr in world.arrays().items():
        assert np.array_equal(arr, snapshot[name]), name


def test_finished_games_stay_frozen() -> None:
    strat = load_strategy("balanced")
    world = new_world(TABLES["2025"], [1, 2, 3])
    while not world.done.any():
        world = resolve(world, strat.decide(world, 0), strat.decide(world, 1))
    frozen = world.take(np.flatnonzero(world.done))
    later = resolve(world, strat.decide(world, 0), strat.decide(world, 1))
    sub = later.take(np.flatnonzero(world.done))
    assert digests(sub) == digests(frozen)


def test_games_end_within_the_scenario() -> None:
    strat = load_strategy("balanced")
    for sid, tables in TABLES.items():
        world = new_world(tables, list(range(20)))
        for _ in range(tables.scenario.turns):
            world = resolve(world, strat.decide(world, 0), strat.decide(world, 1))
        assert world.done.all(), sid
        assert (world.turn <= tables.scenario.turns).all()


def test_seeds_change_the_game() -> None:
    strat = load_strategy("random")
    world = new_world(TABLES["2025"], [1, 2])
    for _ in range(6):
        world = resolve(world, strat.decide(world, 0), strat.decide(world, 1))
    a, b = digests(world)
    assert a != b


def valid_orders(world: World, side: int) -> OrderBatch:
    return load_strategy("balanced").decide(world, side)


def broken(kind: str, world: World) -> tuple[OrderBatch, str]:
    o = valid_orders(world, 0)
    alloc, split, acts = o.allocation.copy(), o.split.copy(), o.actions.copy()
    t = world.tables
    if kind == "share above one":
        alloc[0, 3] = 1.5
        return OrderBatch(alloc, split, acts), "allocation.compute"
    if kind == "shares sum above one":
        alloc[0] = 0.2
        return OrderBatch(alloc, split, acts), "allocation: shares add up to 1.6000"
    if kind == "negative share":
        alloc[0, 0] = -0.1
        return OrderBatch(alloc, split, acts), "allocation.fabs"
    if kind == "nan share":
        alloc[0, 1] = np.nan
        return OrderBatch(alloc, split, acts), "allocation.lithography"
    if kind == "split not one":
        split[0] = [0.2, 0.2, 0.2]
        return OrderBatch(alloc, split, acts), "split: training, inference and research add up to 0.6000"
    if kind == "rival action":
        a = int(np.flatnonzero(t.action_side == 1)[0])
        acts[0, a] = True
        return OrderBatch(alloc, split, acts), "is the other side's action"
    if kind == "illegal action":
        a = t.action_index[("allied_coordination", 0)]  # already in force in 2025
        acts[0, a] = True
        return OrderBatch(alloc, split, acts), "'allied_coordination' cannot be taken now (already in force)"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["share above one", "shares sum above one", "negative share", "nan share",
                                  "split not one", "rival action", "illegal action"])
def test_invalid_orders_are_rejected_whole(kind: str) -> None:
    world = new_world(TABLES["2025"], [1])
    snapshot = digests(world)
    bad, expected = broken(kind, world)
    with pytest.raises(OrderError) as err:
        resolve(world, bad, valid_orders(world, 1))
    assert expected in str(err.value)
    assert str(err.value).startswith("orders for us")
    assert digests(world) == snapshot
    field = {"share above one": "allocation.compute", "shares sum above one": "allocation",
             "negative share": "allocation.fabs", "nan share": "allocation.lithography", "split not one": "split",
             "rival action": "actions", "illegal action": "actions"}[kind]
    assert err.value.field == field  # an interface shows the error beside this field, not by reading the text
    assert err.value.detail.startswith(f"{field}: ") and str(err.value).endswith(err.value.detail)
