"""SVG snapshots of the main screens at 80x24 and 120x40 (regenerate deliberately: --snapshot-update)."""

from __future__ import annotations

import pytest

from game.tui.screens.charts import ChartsScreen
from game.tui.screens.gameover import GameOverScreen
from game.tui.screens.report import ReportScreen
from game.tui.screens.watch import WatchScreen
from tests.tui.conftest import make_app, play_turns, short_scenario, wait_for

SIZES = [(80, 24), (120, 40)]


def before(*steps):
    async def run(pilot) -> None:
        for step in steps:
            if isinstance(step, str):
                await pilot.press(step)
            elif isinstance(step, int):
                await play_turns(pilot, step)
            else:
                await wait_for(pilot, lambda step=step: isinstance(pilot.app.screen, step))
        # The planning screen's far forecast comes from a worker: the snapshot waits until it is in.
        await wait_for(pilot, lambda: not any(getattr(s, "outlook_pending", False) for s in pilot.app.screen_stack))
        await pilot.pause()
    return run


def watched(quarters: int):
    """Pause the watch, then step to `quarters` (a tick of its timer on a slow machine may have played some)."""
    async def run(pilot) -> None:
        app = pilot.app
        await wait_for(pilot, lambda: isinstance(app.screen, WatchScreen))
        await pilot.press("space")
        while True:
            await wait_for(pilot, lambda: not app.screen.thinking)
            turn = app.session.turn
            if turn >= quarters:
                break
            await pilot.press("n")
            await wait_for(pilot, lambda turn=turn: app.screen.thinking or app.session.turn > turn)  # the key was taken
        assert app.session.turn == quarters and app.screen.paused
        await pilot.pause()
    return run


CASES = {
    "title": (dict(), before()),
    "new_game": (dict(), before("enter")),
    "planning": (dict(mode="solo"), before(0)),
    "planning_cn": (dict(mode="solo", side="cn", difficulty="hard", seed=7), before(0)),
    "report": (dict(mode="solo"), before(0, "e", ReportScreen)),
    "dashboard": (dict(mode="solo"), before(3, "d")),
    "charts": (dict(mode="solo"), before(3, "c", ChartsScreen)),
    "codex": (dict(), before("x")),
    "help": (dict(mode="solo"), before(0, "question_mark")),
    "handover": (dict(mode="hotseat"), before()),
    "watch": (dict(mode="watch", us="normal", cn="hard"), watched(2)),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", sorted(CASES))
def test_screen(snap_compare, tmp_path, name, size):
    launch, run_before = CASES[name]
    assert snap_compare(make_app(tmp_path, **launch), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_game_over(snap_compare, tmp_path, size):
    short = short_scenario(tmp_path, turns=2)
    app = make_app(tmp_path, mode="solo", scenario=short)

    async def run(pilot) -> None:
        await play_turns(pilot, 1)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen))
        app.screen.query_one("#replay-path").update("Replay saved to saves/autosave-1.json (r steps through it here)")

    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_guide(snap_compare, tmp_path, size):
    """The first-quarter guide, from a settings folder in which it was never dismissed."""
    from game.tui.screens.guide import GuideScreen

    app = make_app(tmp_path, mode="solo", config_dir=str(tmp_path / "fresh-config"))
    assert snap_compare(app, terminal_size=size, run_before=before(GuideScreen))
