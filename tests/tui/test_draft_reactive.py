"""The planning screen's draft is one reactive value (issue 26 item 12): replacing it repaints every row, the
totals and the forecast, with no call to repaint by hand."""

from __future__ import annotations

from game.engine import CATEGORIES, Orders
from game.tui.screens.planning import PlanningScreen
from game.tui.widgets.rows import ShareRow
from tests.tui.conftest import SIZE, make_app, wait_for


async def test_replacing_the_draft_repaints_the_screen(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        plan = app.screen
        was = plan.draft
        plan.draft = Orders({k: (0.3 if k == "compute" else 0.0) for k in CATEGORIES}, dict(was.split), ())
        await pilot.pause()
        assert plan.query_one("#alloc-compute", ShareRow).value == 0.3
        assert plan.query_one("#alloc-fabs", ShareRow).value == 0.0
        assert "allocated 30.0%" in str(plan.query_one("#alloc-total").render())
        assert plan.orders() is plan.draft
