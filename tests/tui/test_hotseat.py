"""Hot-seat secrecy: nothing of the first side's orders reaches the second side's screens before the reveal."""

from __future__ import annotations

from game.tui.screens.charts import ChartsScreen
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.handover import HandoverScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.report import ReportScreen
from tests.tui.conftest import SIZE, end_turn, make_app, screen_text, wait_for


async def set_share(pilot, app, row_id: str, percent: str) -> None:
    app.screen.query_one(row_id).focus()
    await pilot.press(*percent, "enter")


async def test_the_first_sides_orders_never_show_on_the_second_sides_screens(tmp_path):
    app = make_app(tmp_path, mode="hotseat")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen) and app.screen.side == 0)
        # The US writes orders with figures that appear nowhere else.
        await set_share(pilot, app, "#alloc-compute", "41.3")
        await set_share(pilot, app, "#split-training", "61.7")
        await set_share(pilot, app, "#split-inference", "18.3")
        us = app.screen
        if "stargate" not in us.actions:
            us.query_one("#policy-stargate").focus()
            await pilot.press("space")
        assert app.session.problem(0, us.orders()) is None
        secret_dollars = f"{0.413 * app.session.advisor(0).budget().pot_busd:.1f}B"  # as the row shows it
        secrets = ["41.3%", "61.7%", "18.3%", secret_dollars]
        assert all(s in screen_text(app) for s in secrets[:2]) and secret_dollars in screen_text(app)
        await end_turn(pilot)

        seen: list[str] = []
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverScreen) and app.screen.side == 1)
        seen.append(screen_text(app))
        assert "Stargate" not in seen[-1]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen) and app.screen.side == 1)
        seen.append(screen_text(app))
        assert "Stargate" not in seen[-1]  # only China's own policies are listed
        for key, screen in (("d", DashboardScreen), ("c", ChartsScreen), ("question_mark", HelpScreen)):
            await pilot.press(key)
            await wait_for(pilot, lambda screen=screen: isinstance(app.screen, screen))
            seen.append(screen_text(app))
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        for key in ("c", "2", "3", "4"):
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, ChartsScreen))
            seen.append(screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        await pilot.press("a")  # the advisor reads only China's view
        await pilot.pause()
        seen.append(screen_text(app))
        assert len(seen) == 10
        for text in seen:
            for secret in secrets:
                assert secret not in text, f"{secret!r} leaked to China's screens"

        # No reveal mid-game: after both have submitted, each sees the report at their own hand-over, with only
        # what their intelligence shows (the US's public act, Stargate, is news to China; its shares never are).
        await end_turn(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverScreen) and app.screen.side == 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.viewer == 0)
        assert "Stargate" in screen_text(app) and "orders:" not in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen) and app.screen.side == 0)
        await end_turn(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverScreen) and app.screen.side == 1)
        assert "Stargate" not in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.viewer == 1)
        text = screen_text(app)
        assert "Turn report · China" in text and "Stargate" in text and "orders:" not in text
        for secret in secrets:
            assert secret not in text, f"{secret!r} leaked to China's report"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen) and app.screen.side == 1
                       and app.screen.turn == 1)


async def test_each_player_sees_the_report_at_their_hand_over_and_the_last_quarter_is_revealed(tmp_path, short):
    app = make_app(tmp_path, mode="hotseat", scenario=short)
    async with app.run_test(size=SIZE) as pilot:
        for quarter in range(4):
            for side in (0, 1):
                await wait_for(pilot, lambda side=side: isinstance(app.screen, HandoverScreen) and app.screen.side == side)
                await pilot.press("enter")
                if quarter > 0:  # each player's report of the last quarter, only their own view
                    await wait_for(pilot, lambda side=side, quarter=quarter: isinstance(app.screen, ReportScreen)
                                   and app.screen.viewer == side and app.screen.report.turn == quarter)
                    report = app.screen.report
                    mine = screen_text(app)
                    assert "money in:" in mine and mine.count("money in:") == 1  # the rival's books stay hidden
                    await pilot.press("enter")
                await wait_for(pilot, lambda side=side: isinstance(app.screen, PlanningScreen) and app.screen.side == side)
                await end_turn(pilot)
        # The game is over: the last quarter's report shows both sides (nothing is secret any more).
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.viewer is None)
        assert "orders:" in screen_text(app) and report.turn == 3
