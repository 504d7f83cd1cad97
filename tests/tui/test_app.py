"""Pilot tests: each mode and each screen, driven from the keyboard (and the mouse where it matters)."""

from __future__ import annotations

import re
import threading

import pytest

from game.tui.screens.charts import ChartsScreen
from game.tui.screens.codex import CodexScreen
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import ConfirmScreen
from game.tui.screens.gameover import GameOverScreen
from game.tui.screens.handover import HandoverScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.report import ReportScreen
from game.tui.screens.title import NewGameScreen, TitleScreen
from game.tui.screens.watch import WatchScreen
from game.tui.widgets.rows import PolicyRow, ShareRow
from tests.tui.conftest import SIZE, end_turn, make_app, screen_text, wait_for


async def test_title_enter_then_s_starts_a_game_against_normal(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NewGameScreen))
        await pilot.press("s")  # the defaults are ready; starting is its own key (Enter opens a field)
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        s = app.session
        assert s.mode == "solo" and s.seats[1].strategy == "normal" and s.humans == [0]
        assert "United States" in screen_text(app)
        # The seed was left empty: a new one, from outside the engine, shown in the turn report.
        assert 0 <= s.seed < 1_000_000
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        assert f"seed {s.seed}" in screen_text(app)


async def test_new_game_form_refuses_a_bad_seed(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(NewGameScreen("solo"))
        await pilot.pause()
        app.screen.query_one("#seed").value = "-3"
        await pilot.press("s")
        await wait_for(pilot, lambda: "Seed: expected a whole number" in screen_text(app))
        assert isinstance(app.screen, NewGameScreen)


async def test_share_rows_move_with_keys_typing_and_mouse(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        plan = app.screen
        first = plan.alloc["fabs"]
        assert app.focused.id == "alloc-fabs"
        await pilot.press("right", "right", "plus")
        assert plan.alloc["fabs"] == pytest.approx(first + 0.03)
        await pilot.press("minus")
        assert plan.alloc["fabs"] == pytest.approx(first + 0.02)
        await pilot.press("1", "2", ".", "5", "enter")
        assert plan.alloc["fabs"] == pytest.approx(0.125)
        await pilot.press("down")
        assert app.focused.id == "onshore-onshore"  # the fab money's onshore share, under its row
        await pilot.press("down")
        assert app.focused.id == "alloc-lithography"
        before = plan.alloc["lithography"]
        await pilot.click("#alloc-lithography", offset=(22, 0))  # the " + " mark
        assert plan.alloc["lithography"] == pytest.approx(before + 0.01)
        await pilot.click("#alloc-lithography", offset=(13, 0))  # the " − " mark
        assert plan.alloc["lithography"] == pytest.approx(before)


async def test_invalid_orders_cannot_be_submitted_and_say_why_beside_the_field(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        app.screen.query_one("#split-training").focus()
        await pilot.press("9", "0", "enter")
        text = screen_text(app)
        assert "✗ split" in text and "must add up to 100%" in text
        total = 100 * sum(app.screen.split.values())   # in the percent the rows show, never "1.2510"
        assert f"add up to {total:.1f}%" in " ".join(text.split()) and not re.search(r"\d\.\d{4}", text)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PlanningScreen) and app.session.turn == 0
        app.screen.query_one("#alloc-compute").focus()
        await pilot.press("9", "0", "enter")
        assert "✗ allocation" in screen_text(app)
        await pilot.press("a")  # the advisor's plan is valid
        await wait_for(pilot, lambda: app.session.problem(0, app.screen.orders()) is None)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        assert app.session.turn == 1


async def test_policy_rows_toggle_and_blocked_ones_refuse(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        plan = app.screen
        row = plan.query_one("#policy-stargate", PolicyRow)
        was = "stargate" in plan.actions
        row.focus()
        await pilot.press("space")
        assert ("stargate" in plan.actions) != was
        await pilot.click("#policy-stargate")
        assert ("stargate" in plan.actions) == was
        blocked = plan.query_one("#policy-allied_coordination", PolicyRow)  # in force from the start
        assert blocked.blocked == "in force"
        blocked.focus()
        await pilot.press("space")
        assert "allied_coordination" not in plan.actions


async def test_forecast_is_the_engines_and_follows_the_orders(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        plan = app.screen
        expected = app.session.advisor(0).forecast(plan.orders())
        from game.tui.fmt import busd

        assert busd(expected["treasury_busd"]) in screen_text(app)
        # Research money is spent whatever else holds (compute money beyond the power on hand and what can be
        # built this quarter stays in the treasury).
        plan.query_one("#alloc-research").focus()
        await pilot.press("right", "right", "right", "right", "right")
        again = app.session.advisor(0).forecast(plan.orders())
        assert again["treasury_busd"] < expected["treasury_busd"]
        assert busd(again["treasury_busd"]) in screen_text(app)


async def test_a_whole_short_game_against_the_ai(tmp_path, short):
    app = make_app(tmp_path, mode="solo", side="cn", difficulty="hard", scenario=short)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(10):
            await wait_for(pilot, lambda: isinstance(app.screen, (PlanningScreen, GameOverScreen)))
            if isinstance(app.screen, GameOverScreen):
                break
            assert app.screen.side == 1
            await end_turn(pilot)
            await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
            assert "why: Hard" not in screen_text(app)  # the AI opponent's reasons name its plans: kept to itself
            await pilot.press("enter")
        assert isinstance(app.screen, GameOverScreen)
        text = screen_text(app)
        assert app.session.over and app.session.turn == 4
        assert "Game over" in text and ("wins" in text or "draw" in text)
        # the lead track's chart comes first now: the timeline is further down the scroll
        assert "Timeline" in str(app.screen.query_one("#timeline").render())


async def test_watch_mode_plays_itself_to_the_end(tmp_path, short):
    app = make_app(tmp_path, mode="watch", us="balanced", cn="normal", scenario=short)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WatchScreen))
        await pilot.press("space")          # pause, then step by hand
        assert app.screen.paused
        for _ in range(4):
            if isinstance(app.screen, WatchScreen):
                await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen))
        assert app.session.turn == 4 and "Both sides" not in screen_text(app)


async def test_overlays_open_and_close(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        for key, screen, text in (("question_mark", HelpScreen, "End turn"), ("f1", HelpScreen, "Keys"),
                                  ("x", CodexScreen, "How a quarter works"), ("c", ChartsScreen, "Charts"),
                                  ("d", DashboardScreen, "est. ±")):
            await pilot.press(key)
            await wait_for(pilot, lambda screen=screen: isinstance(app.screen, screen))
            assert text in screen_text(app)
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))


async def test_codex_pages_follow_the_topic_list(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, CodexScreen))
        for _ in range(3):
            await pilot.press("down")
        await wait_for(pilot, lambda: "H100" in screen_text(app))  # Chips and design: the real chips, with their sources
        assert "REFERENCE s1" in screen_text(app)


async def test_charts_switch_metric(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChartsScreen))
        for key, label in (("2", "Compute"), ("3", "revenue"), ("4", "Lead track"), ("1", "Capability")):
            await pilot.press(key)
            assert label in screen_text(app)


async def test_quit_asks_when_quarters_are_unsaved(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        await pilot.press("ctrl+q")       # nothing played yet: quits at once
        await wait_for(pilot, lambda: app.return_code == 0)

    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        assert app.return_code is None
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.return_code == 0)


async def test_hotseat_hands_over_between_sides(tmp_path):
    app = make_app(tmp_path, mode="hotseat")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverScreen))
        assert app.screen.side == 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        await end_turn(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverScreen))
        assert app.screen.side == 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen) and app.screen.side == 1)
        await end_turn(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverScreen) and app.screen.side == 0)
        assert app.session.turn == 1
        await pilot.press("enter")  # the quarter's report, as the US saw it, before its planning
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.viewer == 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen) and app.screen.side == 0)


async def test_share_rows_do_not_hold_game_state(tmp_path):
    """The draft is the screen's; rows only show it (rebuilding the rows changes nothing)."""
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        rows = list(app.screen.query(ShareRow))
        assert {r.key: r.value for r in rows if r.group == "alloc"} == app.screen.alloc


def test_ui_bench_measures_turns():
    from game.tui.bench import format_ui_bench, run_ui_bench

    r = run_ui_bench(turns=2)
    assert r["ui_turns"] == 2 and r["ui_report_ms_median"] > 0 and r["ui_planning_ms_median"] > 0
    assert "target < 300 ms" in format_ui_bench(r)


async def test_the_planning_screen_is_kept_across_quarters(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        first = app.screen
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert app.screen is first and first.turn == 1 and not first.sent
        assert "2025 Q2" in screen_text(app) and "quarter 2 of 40" in screen_text(app)


@pytest.mark.parametrize("theme", ["compute-race-light", "textual-light", "nord"])
async def test_any_theme_renders_every_screen(tmp_path, theme):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        app.theme = theme  # what the palette's theme switcher does
        for key, screen in (("d", DashboardScreen), ("c", ChartsScreen), ("x", CodexScreen), ("f1", HelpScreen)):
            await pilot.press(key)
            await wait_for(pilot, lambda screen=screen: isinstance(app.screen, screen))
            assert screen_text(app).strip()
        await pilot.press("escape", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        assert "Turn report" in screen_text(app)


async def test_replay_viewer_steps_through_a_finished_game(tmp_path, short):
    app = make_app(tmp_path, mode="watch", us="balanced", cn="normal", scenario=short)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WatchScreen))
        await pilot.press("space")
        for _ in range(4):
            if isinstance(app.screen, WatchScreen):
                await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen))
        await pilot.press("r")
        from game.tui.screens.replay import ReplayScreen

        await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen))
        assert app.screen.at == 0 and "The start of the game" in screen_text(app)
        await pilot.press("right")
        first = app.session.turns[0]
        text = screen_text(app)
        assert "2025 Q1 resolved" in text
        app.screen.query_one("#watch-log").scroll_end(animate=False)  # the orders close the report
        await pilot.pause()
        assert "orders:" in screen_text(app)  # both sides revealed
        app.screen.query_one("#watch-log").scroll_home(animate=False)
        await pilot.pause()
        from game.engine.state import OBS

        assert f"{float(app.session.truth[1][0, OBS.index('capability')]):.1f}" in text  # the figures after quarter 1
        assert f"{float(app.session.tracks[1][0].sum()):.1f}" in text  # and the track
        await pilot.press("end")
        assert app.screen.at == 4 and "2025 Q4 resolved" in screen_text(app)
        await pilot.press("left", "home")
        assert app.screen.at == 0
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen))
        assert first is app.session.turns[0]


async def test_the_opponent_thinks_in_a_worker_and_the_screen_says_so(tmp_path):
    app = make_app(tmp_path, mode="solo", difficulty="hard")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        strategy = app.session.strategies[1]
        think = strategy.think
        release = threading.Event()
        threads: list[threading.Thread] = []

        def slow_think(world, side):  # the opponent takes as long as the test wants
            threads.append(threading.current_thread())
            release.wait(timeout=120)
            return think(world, side)

        strategy.think = slow_think
        await pilot.press("e")
        await wait_for(pilot, lambda: "is thinking" in screen_text(app))
        assert "China (hard) is thinking" in screen_text(app) and app.session.turn == 0
        await pilot.press("c")  # the interface answers while the opponent thinks
        await wait_for(pilot, lambda: isinstance(app.screen, ChartsScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        await pilot.press("e", "a")  # sealed: a second e and the advisor change nothing
        assert app.session.turn == 0 and isinstance(app.screen, PlanningScreen)
        release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        assert threads and threads[0] is not threading.main_thread()
        assert app.session.turn == 1 and "Turn report" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert "is thinking" not in screen_text(app)


async def test_a_game_left_while_the_opponent_thinks_drops_its_moves(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        old = app.session
        think = old.strategies[1].think
        release = threading.Event()
        old.strategies[1].think = lambda world, side: release.wait(timeout=120) and think(world, side)
        await pilot.press("e")
        await wait_for(pilot, lambda: "is thinking" in screen_text(app))
        app.action_to_title()
        app.new_game(mode="solo", scenario="2025", seed=2)
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen) and app.session is not old)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert old.turn == 0 and app.session.turn == 0 and isinstance(app.screen, PlanningScreen)
