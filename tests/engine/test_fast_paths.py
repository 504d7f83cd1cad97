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
    assert turns_in(np.array(2), 3) and not turns_in(np.array(3), 3) and turns_in(np.array([[1], [2]]), 3)


def test_a_copied_world_is_equal_and_shares_no_field() -> None:
    """World.copy builds the copy directly: every field equal, of its dtype, none shared; the tables shared."""
    world = played(new_world(TABLES, [5, 6]), 4, "normal", "normal")
    twin = world.copy()
    assert twin.tables is world.tables and type(twin) is World
    for name in world.names:
        mine, theirs = getattr(world, name), getattr(twin, name)
        assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs) and not np.shares_memory(mine, theirs), name
    assert digests(twin) == digests(world)


def test_per_turn_tables_hold_what_the_rules_would_work_out() -> None:
    """Tables' lookups (a quarter's year, the fleet's recent cohorts) against the sums they were made from."""
    from game.engine.state import rows_by_turn
    from game.engine.tables import calendar_year

    turns = np.arange(-3, TABLES.scenario.turns + 4)
    assert TABLES.year(turns).tobytes() == calendar_year(TABLES.scenario, turns).tobytes()
    for turn in turns:
        one = np.array([turn])
        assert TABLES.year(one).tobytes() == calendar_year(TABLES.scenario, one).tobytes()
    assert float(TABLES.year(np.array(5))) == float(calendar_year(TABLES.scenario, np.array(5)))
    assert TABLES.year(turns[:, None]).tobytes() == calendar_year(TABLES.scenario, turns[:, None]).tobytes()
    early = Tables(CONTENT, CONTENT.scenario("2022"))  # its markets grow at two rates (before the market year, after)
    growth = early.sector_growth_q_by_turn
    assert len(np.unique(growth, axis=0)) > 1
    for turn in turns:
        for batch in (np.array([turn]), np.array([turn, turn, 0])):
            want = growth[np.minimum(batch, early.scenario.turns)]
            assert early.sector_growth_q(batch).tobytes() == want.tobytes()
            grid = rows_by_turn(TABLES.grid_mw_by_turn, batch)
            assert grid.shape == want.shape[:1] + TABLES.grid_mw_by_turn.shape[1:] and grid.flags.c_contiguous
            assert not np.shares_memory(grid, TABLES.grid_mw_by_turn)  # a copy: the caller may write to it
            assert grid.tobytes() == TABLES.grid_mw_by_turn[np.minimum(batch, len(TABLES.grid_mw_by_turn) - 1)].tobytes()
    life = TABLES.rules.supply.fleet_life_quarters
    back = 1 + np.arange(TABLES.scoring.supply_quarters)
    for turn in range(3 * life):
        assert np.array_equal(TABLES.recent_cohorts[turn % life], (turn - back) % life)


def test_node_rules_picked_by_flags_are_kept_and_the_same() -> None:
    """fabs.Flags.rules: the node rules picked for each side's EUV flag, kept (read-only) where every game's flags
    are the same, picked afresh where they differ: the same tables either way, whichever flags came before."""
    from game.engine import fabs

    rules = fabs.node_rules(TABLES)
    cases = [[[False, False]], [[True, False]], [[False, True]], [[True, True]], [[True, False], [True, False]],
             [[True, False], [False, False]], [[False, True], [True, True]]]
    for flags in cases + cases[::-1]:
        flag = np.array(flags)
        picked = fabs.Flags(flag).rules(rules)
        for name in ("by_euv", "runnable", "duv_tool", "duv_yield"):
            table = getattr(rules, name)
            want = fabs.by_node(table[flag.astype(np.intp)])
            got = getattr(picked, name)
            assert np.array_equal(np.broadcast_to(got, want.shape), want) and got.dtype == table.dtype, (flags, name)
        same = len({tuple(row) for row in flags}) == 1
        assert (fabs.Flags(flag.copy()).rules(rules) is picked) == same and (not picked.by_euv.flags.writeable) == same
    assert len(rules.picked) == 4


@pytest.mark.parametrize("games", [1, 3, 20])
def test_the_finite_check_finds_any_bad_float_whatever_the_batch(games: int) -> None:
    """check_finite: a few games sum every float field's bytes at once, more sum field by field; either way a NaN or
    an infinity in any float field raises naming it, and finite values that overflow the sum do not."""
    from game.engine.state import FLOAT_FIELDS, NonFiniteState, check_finite

    world = played(new_world(TABLES, list(range(40, 40 + games))), 2, "normal", "normal")
    check_finite(world)
    for k, name in enumerate(FLOAT_FIELDS):
        bad = world.copy()
        getattr(bad, name).reshape(-1)[-1] = (np.nan, np.inf, -np.inf)[k % 3]
        with pytest.raises(NonFiniteState, match=f"state field {name} holds"):
            check_finite(bad)
    huge = world.copy()
    huge.treasury_busd[:] = 1.5e308
    huge.revenue_busd[:] = 1.5e308
    with np.errstate(over="ignore"):
        check_finite(huge)
