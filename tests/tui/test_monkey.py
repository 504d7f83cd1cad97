"""Monkey test: thousands of random keys and clicks on every screen; no exception, and a clean quit.

Events are posted in bursts, as a fast typist or a cat on the keyboard would send them, and the app
is given time to process each burst (waiting on the screen, not on a fixed sleep).
"""

from __future__ import annotations

import random

import pytest
from textual import events
from textual.geometry import Offset

from game.tui.screens.dialogs import ConfirmScreen
from tests.tui.conftest import make_app, short_scenario

CHARS = {"space": " ", "plus": "+", "minus": "-", "question_mark": "?", "full_stop": "."}
KEYS = ("up down left right enter escape tab shift+tab space backspace e a d z c x n s 1 2 3 4 5 0 full_stop plus "
        "minus question_mark f1 ctrl+s y").split()
SIZE = (80, 24)
START = {
    "title": dict(),
    "solo": dict(mode="solo", difficulty="easy"),
    "solo-cn": dict(mode="solo", side="cn", difficulty="normal"),
    "hotseat": dict(mode="hotseat"),
    "watch": dict(mode="watch", us="random", cn="easy"),
}
EVENTS = 600  # per start: 3,000 in all, about a fifth of them clicks
BURST = 20


def key_event(key: str) -> events.Key:
    char = CHARS.get(key, key if len(key) == 1 else None)
    return events.Key(key, char)


def click(app, x: int, y: int) -> None:
    """A click where the screen has the widget at (x, y) handle it (what Pilot.click does, without its waits;
    the press and release that precede it only start text selection, which is Textual's, not ours)."""
    screen = app.screen
    app.mouse_position = Offset(x, y)
    screen._forward_event(events.Click(widget=screen, x=x, y=y, delta_x=0, delta_y=0, button=1, shift=False,
                                       meta=False, ctrl=False, screen_x=x, screen_y=y, chain=1))


@pytest.mark.parametrize("start", sorted(START))
async def test_random_keys_and_clicks(tmp_path, start):
    rng = random.Random(f"monkey-{start}")
    launch = dict(START[start])
    launch.setdefault("scenario", short_scenario(tmp_path, turns=6))  # games end, so game over is reached too
    app = make_app(tmp_path / "saves", **launch)
    sent = clicks = 0
    async with app.run_test(size=SIZE) as pilot:
        while sent < EVENTS and app.return_code is None:
            for _ in range(BURST):
                if app.return_code is not None:  # the monkey chose Quit
                    break
                if rng.random() < 0.2:
                    await pilot.pause(0)  # a click lands on a screen that has been laid out
                    if app.return_code is not None:
                        break
                    click(app, rng.randrange(SIZE[0]), rng.randrange(SIZE[1]))
                    clicks += 1
                else:
                    event = key_event(rng.choice(KEYS))
                    event.set_sender(app)
                    app._driver.send_message(event)
                sent += 1
            await pilot.pause(0)
        # Quit. The burst's last keys may still be on their way to a screen and answer the "Quit anyway?" (n,
        # escape): ask again until the game is gone. The keys go as the monkey's do: Pilot.press waits for the
        # screen's animations after a key, and one left running by a quit (a scroll) never ends: the test hung.
        for _ in range(5):
            for key in ("ctrl+q", "y"):
                if app.return_code is not None:
                    break
                if key == "y" and not (app.screen_stack and isinstance(app.screen_stack[-1], ConfirmScreen)):
                    continue
                event = key_event(key)
                event.set_sender(app)
                app._driver.send_message(event)
                await pilot.pause()
        assert app.return_code == 0, app.screen_stack
    assert sent >= BURST and clicks > 0
