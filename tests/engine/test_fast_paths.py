"""The engine's fast paths give the bits of its general ones (issue 24: a speedup may not change a digest).

A quarter takes different code for a batch whose games are all at one turn (rings through views, per-turn
figures as numbers), for one with many games over (the live ones resolved alone), for small batches
(modifiers looked up, Python floats for a few logs and exponentials) and for large ones (column-wise sums).
Each test plays the same games both ways and compares every field, so a fast path that drifted by one bit in
one field fails here, not only in the recorded replays.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.ai import load_strategy
from game.content import load_content
from game.engine import Tables, World, digests, new_world, observe
from game.engine.resolve import advance

CONTENT = load_content()
TABLES = Tables(CONTENT, CONTENT.scenario("2025"))


def played(world: World, quarters: int, us: str = "random", cn: str = "random") -> World:
    a, b = load_strategy(us), load_strategy(cn)
    for _ in range(quarters):
        advance(world, a.decide(world, 0), b.decide(world, 1))
    return world


def alone(world: World, i: int, quarters: int, us: str = "random", cn: str = "random") -> World:
    return played(world.take([i]), quarters, us, cn)


def same_game(batch: World, i: int, single: World) -> None:
    for name in batch.names:
        assert np.array_equal(getattr(batch, name)[i:i + 1], getattr(single, name)), name
    assert digests(batch)[i] == digests(single)[0]


def test_games_at_different_turns_play_as_they_would_alone() -> None:
    """Rings and per-turn figures by position (games at different turns) against the one-turn views."""
    parts = [played(new_world(TABLES, [100 + 10 * k, 101 + 10 * k]), lag) for k, lag in enumerate((0, 3, 9, 17))]
    mixed = World.concat(parts)
    starts = [mixed.take([i]) for i in range(mixed.batch)]
    played(mixed, 12)
    for i, start in enumerate(starts):
        same_game(mixed, i, played(start, 12))


@pytest.mark.parametrize("over", [1, 4, 11])
def test_a_quarter_is_the_same_whatever_share_of_the_batch_is_over(over: int) -> None:
    """Few games over: resolved with the rest and put back; many: the live ones resolved alone."""
    world = played(new_world(TABLES, list(range(200, 212))), 6)
    world.done[:over] = True  # over, as far as the engine is concerned: frozen from here on
    before = world.copy()
    played(world, 8)
    for i in range(over):
        for name in world.names:
            assert np.array_equal(getattr(world, name)[i], getattr(before, name)[i]), name
    for i in range(over, world.batch):
        same_game(world, i, alone(before, i, 8))


def test_a_big_batch_plays_each_game_as_a_small_one_does() -> None:
    """Column-wise sums, modifier rows and numpy logs on a batch of 300 against lookups and Python floats
    on each game alone."""
    world = new_world(TABLES, list(range(300, 600)))
    starts = [world.take([i]) for i in (0, 77, 150, 299)]
    played(world, 10, "normal", "random")
    for i, start in zip((0, 77, 150, 299), starts, strict=True):
        same_game(world, i, played(start, 10, "normal", "random"))


def test_a_lazy_view_reads_what_the_whole_view_does_and_keeps_it() -> None:
    world = played(new_world(TABLES, [7, 8, 9]), 9, "normal", "normal")
    for side in (0, 1):
        whole = observe.view(world, side)
        lazy = observe.View(world, side)
        assert list(lazy) == list(whole)
        for key in reversed(list(whole)):  # any order: a figure's value does not depend on what was read first
            assert np.array_equal(lazy[key], whole[key]), key
    seen = observe.View(world, 0)
    capability = seen["self.capability"]
    world.capability += 1.0
    assert np.array_equal(capability, seen["self.capability"]) and not np.array_equal(capability, world.capability[:, 0])


def test_one_turn_is_told_by_every_game_of_the_batch() -> None:
    """A game alone is at one turn without a comparison; a batch only when every game is at the first's."""
    from game.engine.state import at_one_turn

    assert at_one_turn(np.array([7])) and at_one_turn(np.array([3, 3, 3]))
    assert not at_one_turn(np.array([3, 3, 4])) and not at_one_turn(np.array([4, 3]))
    assert not at_one_turn(np.array([], dtype=np.int64))


def test_turns_in_a_table_are_told_alone_as_in_a_batch() -> None:
    """A game alone reads its own turn; a batch its least and greatest: every game's turn must be a row."""
    from game.engine.state import turns_in

    assert turns_in(np.array([0]), 3) and turns_in(np.array([2]), 3) and turns_in(np.array([0, 2, 1]), 3)
    assert not turns_in(np.array([3]), 3) and not turns_in(np.array([-1]), 3)
    assert not turns_in(np.array([1, 3]), 3) and not turns_in(np.array([-1, 1]), 3)
    assert not turns_in(np.array([], dtype=np.int64), 3)


def test_a_copied_world_is_equal_and_shares_no_field() -> None:
    """World.copy builds the copy directly: every field equal, of its dtype, none shared; the tables shared."""
    world = played(new_world(TABLES, [5, 6]), 4, "normal", "normal")
    twin = world.copy()
    assert twin.tables is world.tables and type(twin) is World
    for name in world.names:
        mine, theirs = getattr(world, name), getattr(twin, name)
        assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs) and not np.shares_memory(mine, theirs), name
    assert digests(twin) == digests(world)
