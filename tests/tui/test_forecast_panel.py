"""The planning screen's forecast panel (now, next, +4q, +8q and the power line) and figures rounded toward
"not yet" wherever they meet a bar."""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

from game.outlook import Power
from game.tui import forecast
from game.tui.fmt import FIGURES, capability, log10_flop, share, toward
from game.tui.screens.planning import PlanningScreen
from tests.tui.conftest import SIZE, make_app, screen_text, wait_for


def test_97_79_is_never_a_reached_97_8():
    assert capability(97.79) == "97.7"
    assert capability(97.8) == "97.8"          # a value at the bar shows the bar
    assert toward(97.79, 1, bar=97.8) == 97.7
    assert toward(97.815, 1, bar=97.82) == 97.7  # below a bar that is itself written rounded down to 97.8
    assert share(0.5996, 0.6) == "59%" and share(0.6, 0.6) == "60%"
    assert log10_flop(32.49) == "1e32.4"
    assert forecast.months(18.99) == "+18mo" and forecast.months(-2.99) == "-2.9mo"
    assert forecast.margin(-0.01) == "+0.0pt" and forecast.margin(-0.06) == "-0.1pt"
    shown = dict((key, f) for key, _, f in FIGURES)
    assert shown["capability"](97.79) == "97.7" and shown["adoption"](0.5996) == "59%"


@given(st.floats(0, 200, allow_nan=False), st.floats(0, 200, allow_nan=False), st.integers(0, 2))
def test_a_value_short_of_its_bar_never_shows_at_or_past_it(value, bar, digits):
    shown = toward(value, digits, bar=bar)
    step = 10 ** digits
    assert shown <= value + 1e-9                        # rounded down, never up
    if value < bar:                                     # short of the bar: short of it as written too
        assert round(shown * step) < round(bar * step)
    gap = toward(value, digits, rising=False)           # a gap that must fall to 0 is rounded up
    assert gap >= value - 1e-9


def power(**changes) -> Power:
    base = Power(fleet_mw=6000.0, power_mw=6000.0, short_mw=0.0, grid_mw=0.0, grid_cap_mw=1500.0, offgrid_mw=0.0,
                 offgrid_cap_mw=750.0, offgrid_cost_mult=2.0, building=())
    return attrs.evolve(base, **changes)


class FakeSession:
    def date(self, turn: int) -> str:
        return f"{2025 + turn // 4} Q{turn % 4 + 1}"


def test_the_power_line_says_what_is_short_what_to_fund_and_when_power_comes():
    s = FakeSession()
    short = [line.plain for line in forecast.power_lines(s, power(fleet_mw=7200.0, short_mw=1200.0))]
    assert short == ["power 1.2GW short, 83% chips on", "fund compute: ≤1.5GW grid/q"]
    built = [line.plain for line in forecast.power_lines(
        s, power(grid_mw=1500.0, offgrid_mw=750.0, building=((4, 2250.0), (5, 300.0))))]
    many = forecast.power_lines(s, power(building=((4, 2250.0), (5, 3000.0), (6, 3100.0))))[-1].plain
    assert many == "due 2.2GW Q1'26, 3.0GW Q2'26 …"
    assert built == ["power ok, 0MW spare for chips", "+1.5GW grid(max) +750MW off(max)",
                     "due 2.2GW Q1'26, 300MW Q2'26"]
    grid_only = [line.plain for line in forecast.power_lines(s, power(power_mw=6400.0, grid_mw=800.0))]
    assert grid_only == ["power ok, 400MW spare for chips", "+800MW grid"]
    for lines in (short, built, grid_only):
        assert all(len(line) <= forecast.WIDTH for line in lines)


async def test_the_panel_fills_in_from_the_worker_and_a_draft_change_replaces_it(tmp_path):
    app = make_app(tmp_path, mode="solo", seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        plan = app.screen
        await wait_for(pilot, lambda: not plan.outlook_pending)
        await pilot.pause()
        first = plan._far
        assert first is not None and first == app.session.advisor(0).outlook(plan.orders())
        text = screen_text(app)
        panel = plan.query_one("#forecast").content.plain
        assert "+4q" in text and "+8q" in text and "…" not in panel
        assert forecast.compute(first.figures[-1]["compute_eflops"]) in text
        # Training money pays later: a change of the draft drops the old columns and the worker brings new ones.
        # (The advisor's plan funds the run in full, so it is taking the money away that shows.)
        plan.query_one("#alloc-training").focus()
        await pilot.press("left")
        # The old columns are gone at once (the worker may already have brought the new ones on a busy machine:
        # the delay is wall-clock time, so the test does not count on seeing the "…" in between).
        assert plan._far is not first and plan._far_key == plan._draft_key()
        await wait_for(pilot, lambda: not plan.outlook_pending)
        await pilot.pause()
        second = plan._far
        assert second == app.session.advisor(0).outlook(plan.orders()) and second != first
        assert second.figures[-1]["capability"] < first.figures[-1]["capability"]
        assert capability(second.figures[-1]["capability"]) in screen_text(app)


async def test_every_forecast_line_fits_the_side_panel(tmp_path):
    app = make_app(tmp_path, mode="solo", seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        plan = app.screen
        await wait_for(pilot, lambda: not plan.outlook_pending)
        first = app.session.advisor(0).outlook(plan.orders(), (1,))
        content = forecast.panel(app.session, 0, first, plan._far)
        assert all(len(line) <= forecast.WIDTH for line in content.plain.split("\n"))
