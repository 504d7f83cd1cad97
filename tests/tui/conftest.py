"""A fixed test configuration for the app: theme, no cursor blink, a short scenario, text of a screen."""

from __future__ import annotations

import asyncio
import html
import re
import time
from pathlib import Path

import pytest

from game.content import default_content_dir
from game.tui.app import ComputeRaceApp, Launch
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.report import ReportScreen

SIZE = (80, 24)


def short_scenario(folder: Path, turns: int = 4) -> str:
    """The 2025 scenario cut to `turns` quarters (a whole game in a few key presses)."""
    text = (default_content_dir() / "scenarios" / "2025.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^turns = \d+", f"turns = {turns}", text)
    text = re.sub(r'(?m)^id = "2025"', 'id = "short"', text)
    path = folder / "short.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def short(tmp_path) -> str:
    return short_scenario(tmp_path)


def make_app(saves: Path | None = None, **launch) -> ComputeRaceApp:
    launch.setdefault("theme", "compute-race")
    launch.setdefault("seed", 1)  # a fixed seed: a new game's default is a random one
    if saves is not None:
        launch.setdefault("saves_dir", str(saves))
    return ComputeRaceApp(Launch(**launch), cursor_blink=False)


def screen_text(app) -> str:
    """What is on the terminal now, as plain text (from the screenshot the app itself renders)."""
    svg = app.export_screenshot()
    spans = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(re.sub(r"<[^>]+>", "", s) for s in spans)).replace("\xa0", " ")


async def wait_for(pilot, condition, seconds: float = 120.0) -> None:
    """Wait on a condition, never on a fixed sleep: the app processes its messages (and its workers run) until
    the condition holds, however loaded the machine. `seconds` only stops a test that would otherwise hang."""
    give_up = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"condition never held in {seconds:g} s")
        await pilot.pause()
        if not condition():
            await asyncio.sleep(0.005)  # a worker thread may need the processor


async def play_turns(pilot, n: int, until: type = PlanningScreen) -> None:
    """End `n` quarters with the orders on screen (e, then past the report), then wait for the `until` screen."""
    app = pilot.app
    for _ in range(n):
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, until))


async def end_turn(pilot) -> None:
    """`e` on the planning screen, saying yes to each game-long policy the draft holds that the player never
    ticked (the advisor's plan ticks them; PlanningScreen.ask_game_long asks about them at `e`)."""
    from game.tui.screens.dialogs import ConfirmScreen

    app = pilot.app
    plan = app.screen
    await pilot.press("e")
    while True:
        await wait_for(pilot, lambda: plan.sent or isinstance(app.screen, ConfirmScreen))
        if plan.sent:
            return
        dialog = app.screen
        await pilot.press("enter")
        await wait_for(pilot, lambda d=dialog: plan.sent or app.screen is not d)  # the next dialog may follow at once
