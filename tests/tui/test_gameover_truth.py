"""Game over tells the truth and teaches (issue 26 item 7): a game a decisive lead ended says so, not that the track
decided it, and the turning points name the player's costliest choice, not only the good ones."""

from __future__ import annotations

import attrs
import pytest

from game.engine import Orders, new_world
from game.session import Seat, Session
from game.tui.screens.gameover import GameOverScreen
from game.turning import TurningPoint, enacted, margins
from tests.tui.conftest import make_app, screen_text, wait_for

POLICY = "restrict_open_weights"


@pytest.fixture(scope="module")
def restricted() -> Session:
    """Seed 2, the US played by a person who takes the advisor's plan (its onshore order too) but restricts open
    weights in 2025 Q2 (and at no other time): the US wins by a decisive lead in quarter 27 of 40 (rules version 6),
    and a policy it enacted cost it points (anti-smuggling in 2029 Q2, by rules 6)."""
    s = Session((Seat("human"), Seat("ai", "normal")), seed=2)
    while not s.over:
        plan = s.advisor(0).advice()
        actions = tuple(a for a in plan.actions if a != POLICY) + ((POLICY,) if s.turn == 1 else ())
        s.submit(0, Orders(plan.allocation, plan.split, actions, plan.onshore))
        s.resolve(s.think())
    return s


def costliest_policy(s: Session, side: int) -> TurningPoint:
    return next(p for p in s.turning_points() if p.policy and p.side == side)


def test_a_costly_policy_is_a_turning_point(restricted):
    assert costliest_policy(restricted, 0).points < 0


def test_a_policy_is_weighed_with_the_rest_of_its_orders_as_given(restricted):
    # The game replayed less one policy keeps that quarter's other orders, the onshore order included: its margin is
    # the margin of the recorded orders less that policy.
    s = restricted
    orders = [rec.orders for rec in s.turns]
    start = new_world(s.tables, [s.seed])
    first = (s.advisor(0).advice_in(start), s.advisor(1).advice_in(start))
    us = orders[1][0]
    assert us.onshore is not None and us.onshore != float(s.tables.new_fabs_onshore[0])
    less = list(orders)
    less[1] = (attrs.evolve(us, actions=tuple(a for a in us.actions if a != POLICY)), orders[1][1])
    row = 1 + 2 * len(orders) + enacted(orders).index((1, 0, POLICY))
    assert margins(s.tables, s.seed, orders, first)[row] == pytest.approx(margins(s.tables, s.seed, less, first)[0])


async def test_game_over_says_the_decisive_lead_ended_it_and_what_cost_you(tmp_path, restricted):
    s = restricted
    assert s.end_reason() == "decisive_lead" and s.winner() == "us"
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(GameOverScreen(s))
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen))
        await pilot.pause()
        text = " ".join(screen_text(app).split())
    assert "won outright with a decisive lead" in text
    assert "The track was decided by" not in text
    early = s.tables.scenario.turns - s.turn
    assert f"The decisive lead ended the game {early} quarters early; the track did not decide it" in text
    worst = costliest_policy(s, 0)
    name = s.tables.actions[s.tables.action_index[(worst.policy, 0)]].name
    assert f"{name} in {s.date(worst.turn)} cost you {-worst.points:.1f} pts" in text
