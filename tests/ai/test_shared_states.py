"""The hard opponent's look-ahead plays candidate rows that share a state once (search.split_states keys a row by
its state and its orders' bits). Nothing may change: every candidate's value and every order are the same bits as
when each row is played alone, at several seeds and turns, for both sides. And the check can fail: a key that
leaves out any one part of what tells two rows apart (state, allocation, split, actions) changes a value."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

import game.ai.search as search
from game.ai import load_strategy
from game.ai.belief import believed
from game.content import load_content
from game.engine import Tables, World, new_world
from game.engine.resolve import advance

CONTENT = load_content()
TABLES = Tables(CONTENT, CONTENT.scenario("2025"))
HORIZON = 8
# Seeds whose normal v normal games run to the last quarter (tests/ai/test_search_batching.py), so the latest
# position looks ahead past the end of the game.
SEEDS = [1, 9, 13, 20]
TURNS = (0, 12, TABLES.scenario.turns - 5)


def positions() -> list[World]:
    """The games at each of TURNS (normal v normal); at the last, one game is already over."""
    normal = load_strategy("normal")
    world = new_world(TABLES, SEEDS)
    out = []
    for turn in TURNS:
        while int(world.turn[0]) < turn:
            advance(world, normal.decide(world, 0), normal.decide(world, 1))
        out.append(world.copy())
    assert not out[-1].done.any()
    out[-1].done[1] = True
    return out


POSITIONS = positions()


def values(world: World, side: int, share: bool) -> np.ndarray:
    hard = search.SearchStrategy(horizon=HORIZON, share_states=share)
    return hard.candidate_values(believed(world, side), side, hard.candidates(world.tables, side))


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("side", [0, 1])
@pytest.mark.parametrize("at", range(len(TURNS)))
def test_shared_states_give_the_same_values_and_orders(monkeypatch, side: int, at: int) -> None:
    world = POSITIONS[at]
    played: list[int] = []  # rows resolved a quarter, by each way
    real = search.advance

    def counted(w, *args) -> None:
        played.append(w.batch)
        real(w, *args)

    monkeypatch.setattr(search, "advance", counted)
    alone = values(world, side, share=False)
    rows_alone = sum(played)
    played.clear()
    shared = values(world, side, share=True)
    assert same_bits(alone, shared)
    assert sum(played) < 0.8 * rows_alone  # rows were shared (else this test would hold of any key)
    orders = [search.SearchStrategy(horizon=HORIZON, share_states=share).decide(world.copy(), side)
              for share in (False, True)]
    for field in ("allocation", "split", "actions", "onshore"):
        assert same_bits(getattr(orders[0], field), getattr(orders[1], field)), field


@pytest.mark.parametrize("part", ["state", "allocation", "split", "actions"])
def test_a_key_without_one_part_changes_a_value(monkeypatch, part: str) -> None:
    """Each part of the key matters somewhere in these positions: drop it, and the check above fails."""
    real = search.split_states

    def careless(state: np.ndarray, orders, over: np.ndarray):
        if part == "state":
            return real(np.zeros_like(state), orders, over)
        return real(state, attrs.evolve(orders, **{part: np.zeros_like(getattr(orders, part))}), over)

    alone = [values(world, side, share=False) for world in POSITIONS for side in (0, 1)]
    monkeypatch.setattr(search, "split_states", careless)
    shared = [values(world, side, share=True) for world in POSITIONS for side in (0, 1)]
    assert not all(same_bits(a, b) for a, b in zip(alone, shared, strict=True))
