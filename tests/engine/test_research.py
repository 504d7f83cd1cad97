"""Research breakthroughs (DESIGN "Rules 3" item 4): many small leaps whose chance rises with a side's research pace
against the rival's; the expected gain of rules 2's single big leap, with less spread."""

from __future__ import annotations

import attrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game.content import load_content
from game.engine import Tables, new_world, research

CONTENT = load_content()
RULES2_CHANCE = 0.12  # rules 2 (RULES_VERSION 5): chance x pace of one leap a quarter ...
RULES2_LEAP_LOG10 = 0.2  # ... of 0.2 log10
QUARTERS = 16
SEEDS = 3000


def rules2_content():
    """The content with rules 2's breakthroughs: one big leap, no rivalry."""
    r = CONTENT.rules
    research_rules = attrs.evolve(r.research, breakthrough_chance=RULES2_CHANCE, breakthrough_log10=RULES2_LEAP_LOG10,
                                  breakthrough_rivalry=0.0)
    return attrs.evolve(CONTENT, rules=attrs.evolve(r, research=research_rules))


def leap_gains(content, effort: tuple[float, float], quarters: int = QUARTERS, seeds: int = SEEDS) -> np.ndarray:
    """(seeds, 2): each side's efficiency gained by leaps over `quarters`, both sides researching at a fixed effort
    (research money and compute each `effort` x the year's reference, so the effort is `effort`)."""
    tables = Tables(content, content.scenario("2025"))
    world = new_world(tables, list(range(1, seeds + 1)))
    world.modifiers[:, :, tables.mod_index["research"]] = 1.0
    leap = content.rules.research.breakthrough_log10
    total = np.zeros((world.batch, 2))
    for _ in range(quarters):
        turn = int(world.turn[0])
        money = np.array(effort)[None, :] * tables.research_ref_busd_by_turn[turn] * np.ones((world.batch, 1))
        flop = np.array(effort)[None, :] * tables.research_ref_eflop_by_turn[turn] * 1e18 * np.ones((world.batch, 1))
        research.advance(world, money, flop)
        total += leap * world.breakthrough
        world.turn += 1
    return total


paces = st.floats(min_value=0.01, max_value=0.99)


@settings(max_examples=200, deadline=None)
@given(own=paces, rival=paces, more=st.floats(min_value=0.01, max_value=0.5))
def test_the_chance_rises_with_own_research_and_falls_with_the_rivals(own: float, rival: float, more: float) -> None:
    r = CONTENT.rules.research
    pace = np.array([[own, rival], [min(own + more, 0.999), rival], [own, min(rival + more, 0.999)]])
    chance = research.breakthrough_chance(r.breakthrough_chance, r.breakthrough_rivalry, pace)
    assert ((chance >= 0.0) & (chance <= 1.0)).all()
    assert chance[1, 0] > chance[0, 0]   # pressing research is a lever
    assert chance[2, 0] < chance[0, 0]   # and the rival's research takes from it
    assert chance[2, 1] > chance[0, 1]   # as it does for the rival


def test_an_even_race_neither_helps_nor_hurts_and_the_edge_is_bounded() -> None:
    pace = np.array([[0.5, 0.5], [1e-9, 0.9], [0.0, 0.0]])
    edge = research.rivalry(pace, CONTENT.rules.research.breakthrough_rivalry)
    assert np.allclose(edge[0], 1.0) and np.allclose(edge[2], 1.0)
    assert 0.0 < edge[1, 0] < 1.0 < edge[1, 1] < 2.0


def test_the_expected_gain_at_an_even_race_is_rules_2s() -> None:
    for effort in (1.0, 4.0):  # pace 0.5 and 0.8
        pace = effort / (1.0 + effort)
        gained = leap_gains(CONTENT, (effort, effort)).mean() / QUARTERS
        rules2 = RULES2_CHANCE * pace * RULES2_LEAP_LOG10
        assert abs(gained / rules2 - 1.0) < 0.10, (effort, gained, rules2)


def test_the_spread_of_sixteen_quarters_gain_falls() -> None:
    now = leap_gains(CONTENT, (4.0, 4.0))
    before = leap_gains(rules2_content(), (4.0, 4.0))
    assert now.var() < 0.5 * before.var(), (now.var(), before.var())


def test_a_side_that_out_researches_its_rival_leaps_more_often() -> None:
    gains = leap_gains(CONTENT, (4.0, 1.0), seeds=1000)
    own_pace = np.array([0.8, 0.5])
    # More than its pace alone would give (rules 2): the rival's weaker research raises the chance, and back.
    per_pace = gains.mean(axis=0) / own_pace
    assert per_pace[0] > 1.1 * per_pace[1]
