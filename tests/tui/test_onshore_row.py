"""The planning screen's onshore row (rules 3, issue 25 item 2): under the fab row for a side that may build abroad,
moved like any share, carried into the orders it sends; absent for a side whose fabs are all at home."""

from __future__ import annotations

from game.tui.screens.planning import PlanningScreen
from game.tui.widgets.rows import ShareRow
from tests.tui.conftest import make_app, wait_for
from tests.tui.fit_check import assert_fits

SIZE = (80, 24)


async def test_the_us_sets_the_onshore_share_of_its_fab_money(tmp_path):
    app = make_app(tmp_path, mode="solo", side="us")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        screen = app.screen
        row = screen.query_one("#onshore-onshore", ShareRow)
        start = screen.orders().onshore
        assert start is not None and row.value == start
        row.focus()
        await pilot.press("right", "right")
        await pilot.pause()
        assert abs(screen.orders().onshore - min(start + 0.10, 1.0)) < 1e-9
        assert "at home" in row.hint
        assert_fits(app, "planning with the onshore row")


async def test_china_has_no_onshore_row(tmp_path):
    app = make_app(tmp_path, mode="solo", side="cn")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert not app.screen.query("#onshore-onshore")
        assert app.screen.orders().onshore is None
