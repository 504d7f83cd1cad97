"""The lead track on screen: both totals and the lead on planning, a miss never shown as a hit, game over's story."""

from __future__ import annotations

import numpy as np

from game.engine.state import VERDICT_PARTS
from game.session import Seat, Session
from game.tui.fmt import track
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.gameover import GameOverScreen
from game.tui.screens.planning import PlanningScreen
from tests.tui.conftest import SIZE, make_app, play_turns, screen_text, short_scenario, wait_for


async def test_planning_shows_both_totals_the_verdict_and_the_lead(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 1)
        s = app.session
        us, cn = (float(s.world.track[0, k]) for k in (0, 1))
        assert us > 0 and cn > 0
        text = screen_text(app)
        assert f"■ US {track(us)} ▲ CN {track(cn)}" in text
        assert "ahead ~" in text and "decisive ≥" in text  # the lead in months, the viewer's estimate
        assert f"{s.tables.scoring.decisive_tier} (wins)" in text
        assert "front comp" in text and "~" in text       # the rival's parts are estimates
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert f"■ US {track(us)} ▲ CN {track(cn)}" in screen_text(app)


async def test_a_capability_just_short_of_the_bar_is_not_shown_as_reached(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        s = app.session
        bar = s.tables.decisive_log10
        s.world.model_log10_eff[0, 0] = bar - 0.004   # a capability that rounds to the bar's own figure
        app.screen.refresh_lead()
        await pilot.pause()
        text = screen_text(app)
        assert s.perspective(0).decisive_gaps()[0][0] > 0
        assert "0.1 log10 short" in text and "reached" not in text
        s.world.model_log10_eff[0, 0] = bar
        app.screen.refresh_lead()
        await pilot.pause()
        assert "reached ✓" in screen_text(app)


def finished(tmp_path) -> Session:
    """A two-quarter game played out, its track rewritten so China took the lead in the second quarter."""
    # Seed 4: one side's second-quarter orders moved the result (game over names the turning points).
    s = Session((Seat("ai", "normal"), Seat("ai", "normal")), scenario=short_scenario(tmp_path, turns=2), seed=4)
    while not s.over:
        s.resolve()
    parts = np.zeros((2, len(VERDICT_PARTS)))
    first, second = parts.copy(), parts.copy()
    first[0, 0], first[1, 0] = 6.0, 4.0                 # the US ahead after quarter 1
    second[0] = [8.0, 1.0, 2.0, 3.0, 2.0]               # China ahead after quarter 2, by frontier and supply
    second[1] = [5.0, 1.0, 2.0, 3.0, 9.0]
    s.tracks = [parts, first, second]
    return s


def test_the_session_finds_lead_changes_and_deciding_parts(tmp_path):
    s = finished(tmp_path)
    assert s.lead_changes() == [(2, 1)]                 # the first leader took it from no one, not a change
    assert s.deciding_parts(1) == [("supply", 7.0)]     # only the parts China won
    assert s.deciding_parts(0) == [("frontier", 3.0)]


async def test_game_over_names_the_deciding_parts_and_the_lead_changes(tmp_path):
    s = finished(tmp_path)
    s.world.winner[0], s.world.reason[0] = 1, 3         # China on the track (as the rewritten totals say)
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(GameOverScreen(s))
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "decided by supply (+7.0)" in text
        assert f"{s.date(1)}: China took the lead" in text
        assert "led on the lead track when the last quarter was scored" in text
        assert "frontier" in text and "total" in text        # the breakdown is still there
        tp = s.turning_points()
        assert tp and "Turning points" in text                # each named with its quarter, side and points
        moved = "won" if tp[0].points >= 0 else "cost"
        assert f"{s.date(tp[0].turn)} · {('US', 'CN')[tp[0].side]} orders {moved} " in text
