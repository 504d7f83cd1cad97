"""Issue 26 item 9: small things at 80x24 - the pot on one line, the policy list saying how many rows are out of
sight and where, the watch title whole."""

from __future__ import annotations

import re

from game.session import Seat, Session
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.watch import WatchScreen
from game.tui.widgets.rows import PolicyRow
from tests.tui.conftest import SIZE, make_app, screen_text, wait_for
from tests.tui.screen_lines import screen_lines


async def test_the_pot_keeps_to_one_line_with_a_treasury_in_debt(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for treasury in (-114.0, -99.9, -1234.5, 50.0, -12345.0):
            s = Session((Seat("human"), Seat("ai", "normal")), seed=1)
            s.world.treasury_busd[0, 0] = treasury  # a debt: the widest figure the line holds
            app.start(s)
            await wait_for(pilot, lambda s=s: isinstance(app.screen, PlanningScreen) and app.screen.session is s)
            await pilot.pause()
            pot = app.screen.query_one("#pot")
            text = str(pot.visual)
            assert len(text) <= pot.content_region.width and "\n" not in text, text
            line = next(line for line in screen_lines(app) if re.search(r"\b(treasury|cash) ", line))
            assert "credit $" in line and "budget $" in line, (treasury, line)


async def test_the_policy_list_says_how_many_rows_are_out_of_sight_and_where(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        await pilot.pause()
        listing = app.screen.query_one("#policies")
        rows = list(listing.query(PolicyRow))
        shown = listing.scrollable_content_region.height
        assert len(rows) > shown  # at 80x24 the list has room for a few rows only
        await wait_for(pilot, lambda: listing.border_title == f"Policy actions · ↓{len(rows) - shown} more", 20)
        assert f"Policy actions · ↓{len(rows) - shown} more" in screen_text(app)
        rows[-1].focus()  # the list scrolls to its last row: the rows above are out of sight now
        await wait_for(pilot, lambda: listing.scroll_y > 0 and "↑" in str(listing.border_title), 20)
        await pilot.pause()
        above = round(listing.scroll_y)  # the focused policy's detail took the lead's rows: the list grew
        assert above > 0 and above + listing.scrollable_content_region.height == len(rows)
        assert f"↑{above} more" in screen_text(app)


async def test_the_watch_title_is_whole_at_80_columns(tmp_path):
    app = make_app(tmp_path, mode="watch", us="balanced", cn="normal")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WatchScreen))
        await pilot.press("space")
        await wait_for(pilot, lambda: not app.screen.thinking)
        await pilot.pause()
        s = app.session
        title = app.screen.query_one("#title")
        text = str(title.visual)
        assert len(text) <= title.content_region.width, text
        assert text.endswith(f"{s.date()} · quarter {s.turn + 1} of {s.tables.scenario.turns}"), text
        assert "paused" in screen_text(app)
