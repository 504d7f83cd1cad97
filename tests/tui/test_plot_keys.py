"""The charts' plots never pan or zoom: no key reaches textual-plot's pan or zoom, and none can take focus. A
monkey run on a slow machine focused the plot before the screen's mount and pressed up before its region had a width:
textual-plot divided by zero and the game stopped with a traceback."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual_plot import PlotWidget

from game.tui.screens.charts import ChartsScreen
from game.tui.widgets.plot import Plot
from tests.tui.conftest import SIZE, make_app, play_turns, wait_for

PLOT_KEYS = sorted({key for b in PlotWidget.BINDINGS for key in (b.key if hasattr(b, "key") else b[0]).split(",")})


class OnePlot(App):
    CSS = "Plot { width: 0; height: 0; }"  # as at the moment the charts screen mounts: no region yet

    def compose(self) -> ComposeResult:
        yield Plot(id="plot", allow_pan_and_zoom=False)


def test_the_plot_takes_no_focus_and_binds_no_key():
    assert Plot.can_focus is False
    assert Plot._merged_bindings is not None and not Plot._merged_bindings.key_to_bindings


async def test_every_pan_and_zoom_key_before_the_plot_has_a_size_leaves_the_game_running():
    app = OnePlot()
    async with app.run_test(size=(80, 24)) as pilot:
        plot = app.query_one(Plot)
        plot.can_focus = True  # as if it had focus: whatever the screen does, a key here must not pan
        plot.focus()
        await pilot.pause()
        for key in PLOT_KEYS:
            await pilot.press(key)
        await pilot.pause()
        assert app.return_code is None and app._exception is None


async def test_arrow_and_zoom_keys_on_the_charts_screen_move_no_chart(tmp_path):
    """Before, the chart took focus as its screen opened, and the arrow keys panned it off its data."""
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 2)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChartsScreen))
        await pilot.pause()
        plot = app.screen.query_one(Plot)
        limits = (plot._x_min, plot._x_max, plot._y_min, plot._y_max)
        assert app.focused is not plot
        for key in PLOT_KEYS:
            if key not in ("tab", "escape", "q"):
                await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ChartsScreen)
        assert (plot._x_min, plot._x_max, plot._y_min, plot._y_max) == limits
