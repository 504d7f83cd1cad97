"""The planning rows say what their money buys, flag where more buys nothing, and say when a carried order
no longer buys what it did (Pilot)."""

from __future__ import annotations

from game.tui.screens.planning import PlanningScreen
from game.tui.widgets.rows import ShareRow
from tests.tui.conftest import SIZE, make_app, play_turns, wait_for


def hint(app) -> str:
    return str(app.screen.query_one("#hint").render())


async def type_share(pilot, row: ShareRow, percent: str) -> None:
    row.focus()
    await pilot.pause()
    await pilot.press(*percent, "enter")
    await pilot.pause()


async def test_china_compute_flags_that_more_buys_nothing_and_says_why(tmp_path):
    app = make_app(tmp_path, mode="solo", side="cn", seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        row = app.screen.query_one("#alloc-compute", ShareRow)
        figures = []
        for percent in ("12", "85"):
            await type_share(pilot, row, percent)
            await wait_for(pilot, lambda p=percent: abs(row.value - int(p) / 100) < 1e-9)
            assert row.flagged and "chips" in row.buys[0]
            assert "!" + row.buys[-2] in str(row.render())  # the flag and the figure with its unit fit at 80x24
            assert hint(app).startswith("more buys nothing this quarter: chip supply exhausted: all ")
            figures.append(row.buys[-1])
        assert figures[0] == figures[1]                  # 12% and 85% buy the same chips
        fabs = app.screen.query_one("#alloc-fabs", ShareRow)
        assert not fabs.flagged and "wfr/q" in str(fabs.render())


async def test_research_without_research_compute_is_flagged(tmp_path):
    app = make_app(tmp_path, mode="solo", seed=2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        research = app.screen.query_one("#alloc-research", ShareRow)
        assert not research.flagged and "eff" in str(research.render())
        for key, percent in (("training", "10"), ("inference", "90"), ("research", "0")):
            await type_share(pilot, app.screen.query_one(f"#split-{key}", ShareRow), percent)
        await wait_for(pilot, lambda: research.flagged)
        research.focus()
        await pilot.pause()
        assert hint(app).startswith("more buys nothing this quarter: no research compute in the split")


async def test_a_carried_row_that_buys_less_says_so(tmp_path):
    app = make_app(tmp_path, mode="solo", seed=7)
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 1)
        compute = app.screen.query_one("#alloc-compute", ShareRow)
        assert compute.flagged and compute.detail.startswith("carried: buys 0 chips now")
        await pilot.press("right")  # an order changed from the carried one is the player's own: no note
        compute.focus()
        await pilot.press("right")
        await wait_for(pilot, lambda: not compute.detail.startswith("carried"))
