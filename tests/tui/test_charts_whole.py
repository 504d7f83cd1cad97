"""Issue 26 item 8: each chart's title whole and fresh, its key beside the title (never over the newest data), and
the lead track (public) never marked as an estimate."""

from __future__ import annotations

from game.tui.screens.charts import METRICS, ChartsScreen
from game.tui.screens.gameover import GameOverScreen
from tests.tui.conftest import SIZE, make_app, play_turns, short_scenario, wait_for
from tests.tui.screen_lines import screen_lines


async def chart_lines(pilot, key: str) -> list[str]:
    await pilot.press(key)
    await wait_for(pilot, lambda: pilot.app.screen.metric == int(key) - 1)
    await pilot.pause()
    await pilot.pause()
    return screen_lines(pilot.app)


async def test_every_chart_title_whole_fresh_and_the_key_above_the_data(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 3)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChartsScreen))
        # Longest title first, then shorter ones: a title must not keep the tail of the one drawn before it.
        for key in ("3", "4", "2", "1", "3", "4"):
            lines = await chart_lines(pilot, key)
            title = METRICS[int(key) - 1][1]
            heading = lines[1]
            assert heading.startswith(title + " "), (key, heading)
            rest = heading[len(title):].strip()
            track = METRICS[int(key) - 1][0] == "track"
            assert rest == ("■ US  ▲ CN" if track else "■ US  ▲ CN (est.)"), (key, heading)
            # The plot below the title holds data, axes and ticks only: no legend box over the lines.
            body = "\n".join(lines[2:-2])
            assert "US" not in body and "CN" not in body and "┌" not in body, (key, body)
            hint = lines[-2]
            assert ("public" in hint) == track and ("estimates" in hint) == (not track), (key, hint)


async def test_game_over_chart_key_above_the_plot(tmp_path):
    app = make_app(tmp_path, mode="solo", scenario=short_scenario(tmp_path, turns=2))
    async with app.run_test(size=(80, 60)) as pilot:
        await play_turns(pilot, 2, until=GameOverScreen)
        await pilot.pause()
        await pilot.pause()
        plot = app.screen.query_one("#track-plot")
        top = plot.region.y
        lines = screen_lines(app)
        assert lines[top].strip().startswith("points") and lines[top].rstrip().endswith("■ US  ▲ CN"), lines[top]
        inside = "\n".join(lines[top + 1: top + plot.region.height])
        assert "US" not in inside and "┌" not in inside, inside
