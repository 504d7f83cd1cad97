"""Game over tells the truth and teaches (issue 26 item 7): a game a decisive lead ended says so, not that the track
decided it, and the turning points name the player's costliest choice, not only the good ones."""

from __future__ import annotations

import pytest

from game.engine import Orders
from game.session import Seat, Session
from game.tui.screens.gameover import GameOverScreen
from tests.tui.conftest import make_app, screen_text, wait_for

POLICY = "restrict_open_weights"


@pytest.fixture(scope="module")
def restricted() -> Session:
    """Seed 2, the US played by a person who takes the advisor's plan but restricts open weights in 2025 Q2 (and at
    no other time): the US wins by a decisive lead in quarter 27 of 40 (rules version 5), and the restriction cost
    it points."""
    s = Session((Seat("human"), Seat("ai", "normal")), seed=2)
    while not s.over:
        plan = s.advisor(0).advice()
        actions = tuple(a for a in plan.actions if a != POLICY) + ((POLICY,) if s.turn == 1 else ())
        s.submit(0, Orders(plan.allocation, plan.split, actions))
        s.resolve(s.think())
    return s


def test_a_costly_policy_is_a_turning_point(restricted):
    costly = [p for p in restricted.turning_points() if p.policy == POLICY]
    assert costly and costly[0].side == 0 and costly[0].turn == 1 and costly[0].points < 0


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
    cost = -next(p.points for p in s.turning_points() if p.policy == POLICY)
    assert f"Restrict open weights in {s.date(1)} cost you {cost:.1f} pts" in text
