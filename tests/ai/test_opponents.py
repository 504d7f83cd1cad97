"""The easy, normal and hard opponents: blind to the rival's hidden state, deterministic, batch-invariant,
always legal, and able to say why."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai import load_strategy
from game.ai.base import own_legal
from game.content import load_content
from game.engine import Tables, World, new_world
from game.engine.resolve import advance
from game.engine.state import digests
from game.schema import HIDDEN_SIDE_FIELDS
from tests.budget import examples

AIS = ("easy", "normal", "hard")
NAMES = {"easy": "Easy", "normal": "Normal", "hard": "Hard"}
SIDES = (0, 1)
FACTORS = (0.0, 0.25, 3.0, 10.0)
SHIFTS = (0.0, 1.0, 7.5)


@pytest.fixture(scope="module")
def tables() -> Tables:
    content = load_content(None)
    return Tables(content, content.scenarios["2025"])


def hidden_fields(tables: Tables) -> tuple[str, ...]:
    """Every per-side field a seat may not read of its rival (all but the intelligence feed and the
    public ones): from the schema, game/schema.py."""
    return HIDDEN_SIDE_FIELDS


def played(tables: Tables, seeds: list[int], turns: int, us: str = "normal", cn: str = "normal") -> World:
    world = new_world(tables, seeds)
    a, b = load_strategy(us), load_strategy(cn)
    for _ in range(turns):
        advance(world, a.decide(world, 0), b.decide(world, 1))
    return world


@pytest.fixture(scope="module")
def positions(tables) -> tuple[World, ...]:
    """Games a few quarters in, normal against normal (the positions the hidden-state test changes)."""
    return played(tables, [3, 4, 5], 3), played(tables, [6, 7], 8)


@pytest.fixture(scope="module")
def baseline(positions):
    """Orders of each opponent, each side, in each position, before anything is changed (computed once)."""
    cache: dict[tuple[str, int, int], object] = {}

    def get(ai: str, side: int, index: int):
        key = (ai, side, index)
        if key not in cache:
            cache[key] = load_strategy(ai).decide(positions[index], side)
        return cache[key]

    return get


@pytest.fixture(scope="module")
def elsewhere(tables) -> World:
    """Other games, further on, hard against random: a source of quite different hidden state."""
    return played(tables, [91, 92, 93], 10, us="hard", cn="random")


def same_orders(a, b) -> bool:
    return (np.array_equal(a.allocation, b.allocation) and np.array_equal(a.split, b.split)
            and np.array_equal(a.actions, b.actions))


def perturb(world: World, rival: int, name: str, factor: float, shift: float) -> None:
    """Change one hidden field of the rival in place, keeping it a value the field can hold."""
    t = world.tables
    arr = getattr(world, name)
    old = arr[:, rival]
    if arr.dtype == np.bool_:
        new = ~old
    elif arr.dtype.kind in "iu":
        new = old * int(round(factor)) + int(round(shift)) + 1
        if name == "design_index":
            new = np.clip(new, 0, t.ladder_len[rival] - 1)
        elif name == "fab_pipeline_node":
            new = np.clip(new, 0, len(t.nodes) - 1)
        else:
            new = np.maximum(new, 0)
    else:
        new = old * factor + shift
    arr[:, rival] = new


def culprits(strategy, world: World, side: int, names, make) -> list[str]:
    """The fields that change the orders on their own (to name them when a combined change does)."""
    before = strategy.decide(world, side)
    out = []
    for name in names:
        changed = world.copy()
        make(changed, name)
        if not same_orders(before, strategy.decide(changed, side)):
            out.append(name)
    return out


# --------------------------------------------------------------------------------------------------
# Only the seat's own view decides: the rival's hidden state never changes the orders.


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("ai", AIS)
@settings(max_examples=examples(15), deadline=None)
@given(data=st.data())
def test_rival_hidden_state_does_not_change_orders(tables, positions, baseline, ai, side, data):
    names = hidden_fields(tables)
    index = data.draw(st.sampled_from(range(len(positions))), label="position")
    changes = data.draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(FACTORS), st.sampled_from(SHIFTS)),
                                 min_size=1, max_size=8, unique_by=lambda c: c[0]), label="changes")
    rival = 1 - side
    changed = positions[index].copy()
    for name, factor, shift in changes:
        perturb(changed, rival, name, factor, shift)
    strategy = load_strategy(ai)
    if not same_orders(baseline(ai, side, index), strategy.decide(changed, side)):
        spec = {name: (factor, shift) for name, factor, shift in changes}
        guilty = culprits(strategy, positions[index], side, list(spec),
                          lambda w, n: perturb(w, rival, n, *spec[n]))
        pytest.fail(f"{ai} playing {('US', 'China')[side]} reads the rival's hidden {guilty or list(spec)}")


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("ai", AIS)
def test_rival_side_swapped_for_another_game_does_not_change_orders(tables, positions, baseline, elsewhere, ai,
                                                                    side):
    """The rival's whole hidden side taken from other games, further on, played by other strategies."""
    names = hidden_fields(tables)
    rival = 1 - side
    world = positions[0]
    other = elsewhere

    def swap(w: World, name: str) -> None:
        getattr(w, name)[:, rival] = getattr(other, name)[:, rival]

    changed = world.copy()
    for name in names:
        swap(changed, name)
    strategy = load_strategy(ai)
    if not same_orders(baseline(ai, side, 0), strategy.decide(changed, side)):
        guilty = culprits(strategy, world, side, names, swap)
        pytest.fail(f"{ai} playing {('US', 'China')[side]} reads the rival's hidden {guilty or 'state (jointly)'}")


def test_hidden_fields_cover_the_rivals_private_state(tables):
    names = set(hidden_fields(tables))
    assert {"treasury_busd", "fleet", "fleet_total", "fab_wafers_per_q", "design_index", "run_flop", "capability",
            "compute_flops", "power_mw", "efficiency_log10", "model_log10_eff", "revenue_busd", "adoption",
            "yields", "packaging_chips_per_q", "modifiers", "verdict", "track_parts"} <= names
    assert not names & {"obs_lag", "model_open", "market_busd", "export_tier", "policy_left"}


@pytest.mark.parametrize("ai", AIS)
def test_the_same_change_to_its_own_side_does_change_orders(positions, baseline, ai):
    """The control for the tests above: the change reaches the AI when it is to the AI's own state."""
    for side in SIDES:
        changed = positions[0].copy()
        perturb(changed, side, "treasury_busd", 3.0, 7.5)
        assert not same_orders(baseline(ai, side, 0), load_strategy(ai).decide(changed, side))


# --------------------------------------------------------------------------------------------------
# Determinism and batch invariance


@pytest.mark.parametrize("ai", AIS)
def test_same_world_same_orders(positions, ai):
    world = positions[1]
    before = digests(world)
    strategy = load_strategy(ai)
    for side in SIDES:
        first = strategy.decide(world, side)
        assert same_orders(first, strategy.decide(world, side)), f"{ai}: two calls differ"
        assert same_orders(first, load_strategy(ai).decide(world.copy(), side)), f"{ai}: two objects differ"
    strategy.think(world, 0)
    assert digests(world) == before, f"{ai} changed the world it was shown"


@pytest.mark.parametrize("ai", AIS)
def test_orders_do_not_depend_on_what_was_decided_before(tables, positions, ai):
    used = load_strategy(ai)
    for world in (new_world(tables, [40]), positions[0], positions[1]):
        for side in SIDES:
            used.decide(world, side)
    for side in SIDES:
        assert same_orders(used.decide(positions[0], side), load_strategy(ai).decide(positions[0], side))


@pytest.fixture(scope="module")
def mixed_batch(tables, positions) -> World:
    """Games at different turns in one batch: the start, a few quarters in, and a finished game."""
    finished = new_world(tables, [17])
    normal, easy = load_strategy("normal"), load_strategy("easy")
    while not finished.done.all():
        advance(finished, normal.decide(finished, 0), easy.decide(finished, 1))
    return World.concat([positions[1], new_world(tables, [8, 9]), positions[0], finished])


@pytest.mark.parametrize("ai", AIS)
def test_batch_invariance(mixed_batch, ai):
    strategy = load_strategy(ai)
    for side in SIDES:
        batch = strategy.decide(mixed_batch, side)
        for i in range(mixed_batch.batch):
            alone = strategy.decide(mixed_batch.take([i]), side)
            for part in ("allocation", "split", "actions"):
                assert np.array_equal(getattr(batch, part)[i], getattr(alone, part)[0]), \
                    f"{ai} side {side}: game {i}'s {part} depends on the other games in its batch"


# --------------------------------------------------------------------------------------------------
# Valid orders and explanations


@pytest.mark.parametrize("cn", AIS)
@pytest.mark.parametrize("us", AIS)
def test_orders_are_valid_in_short_games(tables, us, cn):
    world = new_world(tables, [21, 22, 23])
    a, b = load_strategy(us), load_strategy(cn)
    for _ in range(8):
        if world.done.all():
            break
        advance(world, a.decide(world, 0), b.decide(world, 1))  # validates both: raises OrderError if invalid
    assert ((world.turn == 8) | world.done).all()


@pytest.mark.parametrize("ai", AIS)
def test_think_gives_the_decided_orders_and_one_named_line_per_game(mixed_batch, ai):
    strategy = load_strategy(ai)
    prefix = f"{NAMES[ai]}:"
    for side in SIDES:
        decision = strategy.think(mixed_batch, side)
        assert same_orders(decision.orders, strategy.decide(mixed_batch, side)), f"{ai}: think and decide differ"
        lines = decision.reasons
        assert len(lines) == mixed_batch.batch
        for line in lines:
            assert isinstance(line, str) and "\n" not in line
            assert line.startswith(prefix) and line[len(prefix):].strip(), line


def test_hard_searches_once_to_decide_and_explain(positions, monkeypatch):
    """Deciding and explaining are one pass: the look-ahead search runs once a turn, not twice."""
    strategy = load_strategy("hard")
    searches = []
    search = strategy.choose
    monkeypatch.setattr(strategy, "choose", lambda world, side: searches.append(side) or search(world, side))
    decision = strategy.think(positions[0], 1)
    assert searches == [1] and decision.reasons[0].startswith("Hard:")


def test_hard_weighs_each_of_its_policies_both_ways(tables, positions, monkeypatch):
    """Besides the plan variations, hard looks at never taking and always taking each of its own policies, and
    the orders follow the candidate it keeps."""
    strategy = load_strategy("hard")
    c = strategy.candidates(tables, 1)
    own = [a for a, act in enumerate(tables.actions) if act.side == 1]
    k = len(strategy.variations)
    assert len(c.labels) == k + 2 * len(own)
    assert c.off[k:].sum() == len(own) and c.on[k:].sum() == len(own)  # one policy each, never or whenever
    assert not c.on[:k].any()
    world = positions[0]
    legal = own_legal(world, 1)
    a = next(a for a in own if legal[0, a])
    row = k + 2 * own.index(a)
    for pick, want in ((row, False), (row + 1, True)):  # "never takes" it, then "takes it whenever it can"
        monkeypatch.setattr(strategy, "choose", lambda w, s, pick=pick: np.full(w.batch, pick))
        orders = strategy.decide(world, 1)
        assert bool(orders.actions[0, a]) is want
        assert tables.actions[a].name in strategy.think(world, 1).reasons[0]


def test_hard_over_two_futures_decides_each_game_as_alone(tables):
    """With futures=2 each candidate is valued over two seeds of its believed world: still batch-invariant, and a
    legal decision."""
    from game.ai.search import SearchStrategy

    strategy = SearchStrategy(horizon=2, futures=2)
    world = played(tables, [3, 4, 5], 2)
    together = strategy.decide(world, 1)
    for i in range(world.batch):
        alone = strategy.decide(world.take([i]), 1)
        assert np.array_equal(alone.allocation[0], together.allocation[i])
        assert np.array_equal(alone.actions[0], together.actions[i])
    advance(world, load_strategy("normal").decide(world, 0), together)
