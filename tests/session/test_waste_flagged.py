"""Money that buys nothing that counts is flagged (issue 26 item 4 and item 2): a design funded past 100% and
fabs that come online after the game ends."""

from __future__ import annotations

import attrs

from game.engine import CATEGORIES, Orders
from game.session import Seat, Session

HUMAN, NORMAL = Seat("human"), Seat("ai", "normal")


def draft(s: Session, side: int, **shares: float) -> Orders:
    return Orders({k: shares.get(k, 0.0) for k in CATEGORIES}, s.advisor(side).opening().split)


def test_a_design_funded_past_100_percent_is_flagged():
    s = Session((HUMAN, NORMAL), seed=2)
    t, side = s.tables, 0
    level = int(s.world.design_index[0, side])
    nxt = int(t.ladder[side, level + 1])
    s.world.design_progress_busd[0, side] = 1.3 * float(t.chip_design_cost[nxt])  # paid for, not yet due
    row = s.advisor(side).buys(draft(s, side, design=0.1))["design"]
    assert "past 100%" in row.waste


def test_a_design_short_of_100_percent_is_not_flagged():
    s = Session((HUMAN, NORMAL), seed=2)
    row = s.advisor(0).buys(draft(s, 0, design=0.01))["design"]
    assert row.waste == ""


def test_fabs_that_come_online_after_the_game_ends_are_flagged():
    s = Session((HUMAN, NORMAL), seed=2)
    build_q = int(s.tables.fab_build_q[0])
    s.world.turn[:] = s.tables.scenario.turns - build_q + 1 - 1  # a fab started now comes online at the end
    home = attrs.evolve(draft(s, 0, fabs=0.2), onshore=1.0)      # all of it at home: the home build time
    late = s.advisor(0).buys(home)["fabs"]
    assert "after the game ends" in late.waste and "online" in late.detail
    # Built partly abroad (the US may: rules 3), the first of it comes online sooner, within the game.
    assert s.tables.abroad_fab_build_q[0] < build_q
    assert s.advisor(0).buys(attrs.evolve(home, onshore=0.5))["fabs"].waste == ""


def test_fabs_that_come_online_in_the_game_are_not_flagged():
    s = Session((HUMAN, NORMAL), seed=2)
    assert s.advisor(0).buys(draft(s, 0, fabs=0.2))["fabs"].waste == ""


def test_the_design_row_names_the_quarter_the_engine_lets_the_next_chip_in():
    """It said a year early ("due from 2025" for a 2026 chip): the engine brings a design in from its chips.toml
    year, less rules.supply.design_years_early (0 in the content)."""
    s = Session((HUMAN, NORMAL), seed=2)
    t, side = s.tables, 0
    level = int(s.world.design_index[0, side])
    nxt = int(t.ladder[side, level + 1])
    assert s.content.rules.supply.design_years_early == 0.0
    row = s.advisor(side).buys(draft(s, side, design=0.01))["design"]
    assert f"of the {t.chips[nxt].name} (due from {int(t.chip_year[nxt])} Q1)" in row.detail, row.detail
