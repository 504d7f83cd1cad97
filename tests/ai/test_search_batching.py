"""The hard opponent's look-ahead in pieces: a few games at a time (search.ROLL_ROWS), games over within the
horizon leaving the batch (search.COMPACT_SHARE), finished games not looked at. None of it may change a
choice: a game's look-ahead depends on that game alone."""

from __future__ import annotations

import numpy as np
import pytest

import game.ai.search as search
from game.ai import load_strategy
from game.content import load_content
from game.engine import Tables, new_world
from game.engine.resolve import advance

CONTENT = load_content()
TABLES = Tables(CONTENT, CONTENT.scenario("2025"))


def late_world():
    """Six games near the end (look-aheads that run past the last quarter), one of them already over."""
    normal = load_strategy("normal")
    # Seeds whose normal v normal games run to the last quarter under rules 6 (most end earlier, by a decisive lead).
    world = new_world(TABLES, [1, 9, 13, 20, 25, 26])
    # A finished game's quarter stops: loop on the furthest game and stop when all are over, never forever.
    while int(world.turn.max()) < TABLES.scenario.turns - 6 and not world.done.all():
        advance(world, normal.decide(world, 0), normal.decide(world, 1))
    assert not world.done.any() and (world.turn == TABLES.scenario.turns - 6).all(), "pick seeds that run late"
    world.done[2] = True
    return world


@pytest.mark.parametrize("side", [0, 1])
def test_choices_do_not_depend_on_how_the_look_ahead_is_cut(monkeypatch, side: int) -> None:
    world = late_world()
    hard = search.SearchStrategy(horizon=8)
    whole = hard.choose(world, side)
    assert whole[2] == 0  # a finished game's orders count for nothing
    monkeypatch.setattr(search, "ROLL_ROWS", 1)      # one game a piece
    monkeypatch.setattr(search, "COMPACT_SHARE", 1)  # rows leave only when every game is over
    pieces = hard.choose(world, side)
    monkeypatch.setattr(search, "COMPACT_SHARE", 10**6)  # and as soon as one is
    eager = hard.choose(world, side)
    assert np.array_equal(whole, pieces) and np.array_equal(whole, eager)
    for i in (0, 3, 5):
        assert hard.choose(world.take([i]), side)[0] == whole[i]
