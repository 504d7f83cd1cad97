"""Issue 26 item 10: input does what the player meant. Enter on a new-game selector opens it (starting is its own
act), and a number typed on a policy row never ticks it."""

from __future__ import annotations

from textual.widgets import Select

from game.tui.screens.planning import PlanningScreen
from game.tui.screens.title import NewGameScreen
from tests.tui.conftest import SIZE, make_app, wait_for


async def test_enter_on_the_side_selector_opens_it_and_the_game_starts_as_china(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # the title's first item: a new game against the AI
        await wait_for(pilot, lambda: isinstance(app.screen, NewGameScreen))
        await pilot.pause()
        side = app.screen.query_one("#side", Select)
        assert app.focused is side
        await pilot.press("enter")
        await wait_for(pilot, lambda: side.expanded)
        assert app.session is None and isinstance(app.screen, NewGameScreen)
        await pilot.press("down", "enter")  # China
        await wait_for(pilot, lambda: not side.expanded and side.value == "cn")
        assert app.session is None
        await pilot.press("enter")  # opens it again; escape closes it: still no game
        await wait_for(pilot, lambda: side.expanded)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not side.expanded)
        assert app.session is None and isinstance(app.screen, NewGameScreen)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert app.session.humans == [1]


async def test_enter_on_the_seed_goes_to_start_and_start_starts(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(NewGameScreen("solo"))
        await wait_for(pilot, lambda: isinstance(app.screen, NewGameScreen) and bool(app.screen.query("#start")))
        app.screen.query_one("#seed").focus()
        await pilot.press("4", "2", "enter")
        await pilot.pause()
        assert app.session is None and app.focused is app.screen.query_one("#start")
        await pilot.press("up")  # back to the seed: ↑/↓ go field to field
        assert app.focused is app.screen.query_one("#seed")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert app.session.seed == 42 and app.session.humans == [0]


async def test_a_number_typed_on_a_policy_row_never_ticks_it(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        plan = app.screen
        pid = "release_weights"  # free, once, rules nothing out: Enter ticks it at once
        row = plan.query_one(f"#policy-{pid}")
        row.focus()
        await pilot.pause()
        before = list(plan.actions)
        assert pid not in before
        for keys in (("8", "0", "enter"), ("5", "space"), ("1", "2", ".", "5", "enter")):
            await pilot.press(*keys)
            await pilot.pause()
            assert plan.actions == before, keys
        await pilot.press("enter")  # Enter alone ticks it
        await wait_for(pilot, lambda: pid in plan.actions)
        await pilot.press("space")  # and space unticks it
        await wait_for(pilot, lambda: pid not in plan.actions)
