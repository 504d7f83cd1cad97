"""Every screen at 80x24 in a late-game state (large figures, a negative treasury): no figure or unit cut or
wrapped, no panel's text outside its region (tests/tui/fit_check.py says what counts)."""

from __future__ import annotations

import pytest

from game.engine import Orders
from game.session import Seat, Session
from game.tui.screens.charts import METRICS, ChartsScreen
from game.tui.screens.codex import CodexScreen
from game.tui.screens.dialogs import ConfirmScreen
from game.tui.screens.gameover import GameOverScreen
from game.tui.screens.handover import HandoverScreen
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.report import ReportScreen
from game.tui.screens.watch import WatchScreen
from game.tui.widgets.rows import PolicyRow, ShareRow
from tests.tui.conftest import make_app, play_turns, short_scenario, wait_for
from tests.tui.fit_check import assert_fits

SIZE = (80, 24)
QUARTERS = 16  # seed 11 ends by a decisive lead after 19 quarters in the 2025 world of rules version 5


def late_game(seats: tuple[Seat, Seat], scenario: str = "2025", seed: int = 11, quarters: int = QUARTERS) -> Session:
    """A seeded game QUARTERS in, each person borrowing beyond the budget (the advisor's plan at 160%), then
    the US treasury set deep below zero: the widest figures the screens have to hold."""
    s = Session(seats, scenario=scenario, seed=seed)
    for _ in range(quarters):
        for side in s.waiting_for():
            adv = s.advisor(side).advice()
            orders = Orders({k: 1.6 * v for k, v in adv.allocation.items()}, dict(adv.split), adv.actions)
            s.submit(side, orders if s.problem(side, orders) is None else adv)
        s.resolve(s.think() if s.strategies else None)
    s.world.treasury_busd[0, 0] = -1234.5
    return s


async def started(pilot, session: Session, screen: type) -> None:
    pilot.app.start(session)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen))
    await pilot.pause()


async def test_planning_report_and_overlays(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert_fits(app, "title")
        await pilot.press("enter")
        await pilot.pause()
        assert_fits(app, "new game form")
        await pilot.press("escape")
        await started(pilot, late_game((Seat("human"), Seat("ai", "normal"))), PlanningScreen)
        assert_fits(app, "planning")
        for row in app.screen.query(PolicyRow):
            row.focus()
            await pilot.pause()
            assert_fits(app, f"planning, policy {row.policy_id} focused")
        await pilot.press("w")   # each allocation row's whole explanation in the detail area (issue 26 item 1)
        for share in app.screen.query(ShareRow):
            share.focus()
            await pilot.pause()
            assert_fits(app, f"planning, {share.id} explained")
        await pilot.press("w")
        plan = app.screen
        app.screen.query_one("#policy-restrict_open_weights", PolicyRow).focus()  # game-long: its stakes dialog
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.pause()
        assert_fits(app, "stakes of a game-long policy")
        assert "To the end of the game" in " ".join(app.screen.question.plain.split())
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is plan)
        await pilot.press("d")
        await pilot.pause()
        assert_fits(app, "dashboard")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChartsScreen))
        for key in range(1, len(METRICS) + 1):
            await pilot.press(str(key))
            await pilot.pause()
            assert_fits(app, f"charts {key}")
        await pilot.press("question_mark")
        await pilot.pause()
        assert_fits(app, "help")
        await pilot.press("escape")
        app.screen.focus_next()  # away from the policy rows: `e` ends the quarter from any widget
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.pause()
        assert_fits(app, "report")
        app.action_load()
        await pilot.pause()
        await pilot.pause()
        assert_fits(app, "load")


async def test_codex_every_topic(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, CodexScreen))
        for i in range(len(app.screen.topics)):
            app.screen.query_one("#codex-topics").highlighted = i
            await pilot.pause()
            await pilot.pause()
            page = app.screen.query_one("#codex-page")
            while True:  # every part of the page, scrolled into view a screen at a time
                assert_fits(app, f"codex: {app.screen.topics[i].title}, scrolled to {page.scroll_y}")
                if page.scroll_y >= page.max_scroll_y:
                    break
                page.scroll_to(y=page.scroll_y + page.size.height, animate=False)
                await pilot.pause()


async def test_game_over_and_replay(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        scenario = short_scenario(tmp_path, turns=QUARTERS + 1)
        await started(pilot, late_game((Seat("human"), Seat("ai", "normal")), scenario), PlanningScreen)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen))
        await pilot.pause()
        assert_fits(app, "game over")
        await pilot.press("r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReplayScreen")
        await pilot.pause()
        assert_fits(app, "replay")
        await pilot.press("end")
        await pilot.pause()
        assert_fits(app, "replay, last quarter")


@pytest.mark.parametrize("mode", ["hotseat", "watch"])
async def test_handover_and_watch(tmp_path, mode):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        if mode == "hotseat":
            # Two advisors borrowing alike: one wins outright before 30 quarters, so the hand-over is taken at 20.
            await started(pilot, late_game((Seat("human"), Seat("human")), quarters=QUARTERS), HandoverScreen)
            assert_fits(app, "hand-over")
        else:
            await started(pilot, late_game((Seat("ai", "normal"), Seat("ai", "hard"))), WatchScreen)
            await pilot.press("space")  # paused: the figures stay still while they are read
            await wait_for(pilot, lambda: not app.screen.thinking)
            await pilot.pause()
            assert_fits(app, "watch")


async def test_planning_after_a_quarter_the_rival_enacted_four_policies(tmp_path):
    """Seed 3: China opens with four policies (and open weights); the rival panel still leaves the policy list."""
    app = make_app(tmp_path, mode="solo", seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 1)
        assert len(app.session.turns[-1].report.actions[1]) >= 4
        assert_fits(app, "planning after the rival's busy quarter")
        for _ in range(12):  # ↓ from the first allocation row, past the split, into the policy list
            await pilot.press("down")
        await pilot.pause()
        assert isinstance(app.screen.focused, PolicyRow)
        assert app.screen.query_one("#policy-detail").display and not app.screen.query_one("#lead").display
        assert_fits(app, "planning, a policy focused")
        enacted = len(app.session.turns[-1].report.actions[1])
        panel = str(app.screen.query_one("#rival").visual)
        assert f"enacted {enacted} policies (see the report)" in panel or f" +{enacted - 1} more" in panel, panel
