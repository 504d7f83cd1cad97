"""Below 80x24 every screen is covered by a notice asking for a bigger terminal; it goes when the terminal grows."""

from __future__ import annotations

import pytest

from game.tui.screens.planning import PlanningScreen
from game.tui.widgets.size_notice import SizeNotice
from tests.tui.conftest import make_app, play_turns, wait_for
from tests.tui.screen_lines import screen_lines


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


def notice_shown(app) -> bool:
    notices = app.screen.query_children(SizeNotice)
    return bool(notices) and notices.first().display


@pytest.mark.parametrize("small", [(79, 24), (80, 23), (60, 15)])
async def test_a_notice_replaces_a_screen_too_small_and_goes_when_it_grows(tmp_path, small):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=(80, 24)) as pilot:
        await play_turns(pilot, 0)
        assert not notice_shown(app)
        assert "Budget" in screen_text(app)
        await pilot.resize_terminal(*small)
        await wait_for(pilot, lambda: notice_shown(app))
        text = screen_text(app)
        assert f"This terminal is {small[0]}×{small[1]}." in text and "Compute Race needs at least 80×24." in text
        assert "Budget" not in text  # covered, not clipped beside the notice
        assert isinstance(app.screen, PlanningScreen)  # the game is left as it was
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: not notice_shown(app))
        assert "Budget" in screen_text(app) and "needs at least" not in screen_text(app)


async def test_every_screen_opened_while_small_carries_the_notice(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(70, 20)) as pilot:
        await wait_for(pilot, lambda: notice_shown(app))            # the title
        await pilot.press("x")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CodexScreen" and notice_shown(app))
        await pilot.press("escape")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen" and notice_shown(app))
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: not notice_shown(app))
        assert "Help" in screen_text(app)
