"""Turning points: which quarter's orders moved a finished game's result most."""

import numpy as np
import pytest

from game.content import load_content
from game.engine import Orders, Tables
from game.session import Seat, Session
from game.turning import enacted, margin, margins, turning_points

STEADY = Orders({"compute": 0.2, "training": 0.05, "research": 0.04, "applications": 0.05, "fabs": 0.04},
                {"training": 0.4, "inference": 0.4, "research": 0.2}, ())


@pytest.fixture(scope="module")
def tables():
    content = load_content()
    return Tables(content, content.scenarios["2025"])


def test_the_first_row_is_the_game_as_played():
    s = Session((Seat("ai", "normal"), Seat("ai", "easy")), seed=9)
    for _ in range(10):
        s.resolve()
    orders = [rec.orders for rec in s.turns]
    rows = margins(s.tables, s.seed, orders, (orders[0][0], orders[0][1]))
    assert rows.shape == (21 + len(enacted(orders)),)   # and a row per policy enacted
    assert rows[0] == pytest.approx(float(margin(s.world)[0]))


def test_orders_that_repeat_the_draft_move_nothing(tables):
    orders = [(STEADY, STEADY)] * 8
    assert turning_points(tables, 3, orders, (STEADY, STEADY)) == []


def test_a_quarter_of_nothing_is_the_turning_point_and_costs_its_side(tables):
    idle = Orders({}, dict(STEADY.split), ())
    orders = [(STEADY, STEADY)] * 8
    orders[5] = (idle, STEADY)
    points = turning_points(tables, 3, orders, (STEADY, STEADY))
    assert points, "an idle quarter must move the result"
    # Quarter 5's idle orders cost the US; quarter 6 repeats them as its draft, so returning to STEADY there gains.
    assert (points[0].turn, points[0].side) in {(5, 0), (6, 0)}
    by_turn = {(p.turn, p.side): p.points for p in points}
    assert by_turn.get((5, 0), 1.0) < 0
    assert all(np.isfinite(p.points) for p in points)
    assert points == turning_points(tables, 3, orders, (STEADY, STEADY))   # deterministic


def test_a_policy_the_variant_made_impossible_is_left_out(tables):
    # The first plan takes a policy in quarter 1; the game as played took it in quarter 2 instead. The variant that
    # hands quarter 1 the first plan has it in force or cooling down in quarter 2, where the recorded order takes it
    # again: that order is dropped for that variant, not an error.
    act = next(a for a in tables.actions if a.side == 0 and a.cooldown > 0 and a.cost_busd > 0)
    taking = Orders(dict(STEADY.allocation), dict(STEADY.split), (act.policy_id,))
    orders = [(STEADY, STEADY), (taking, STEADY), (STEADY, STEADY)]
    points = turning_points(tables, 4, orders, (taking, STEADY))
    assert {(p.turn, p.side) for p in points} <= {(0, 0), (1, 0), (2, 0)}
