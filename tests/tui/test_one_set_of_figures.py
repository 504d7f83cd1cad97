"""One set of figures (issue 26 item 5): the planning screen's strip, budget, forecast and rival panel and the turn
report write the same figure the same way, compute in one unit, no share past 100% and no negative zero."""

from __future__ import annotations

import re

from game.tui.fmt import busd, track
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.report import report_text
from tests.tui.conftest import SIZE, make_app, play_turns, wait_for

COMPUTE = re.compile(r"\d(?:\.\d)? ?([EZY]F(?:LOP)?(?:/s)?)\b")


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_the_same_figure_is_written_the_same_way_everywhere(tmp_path):
    app = make_app(tmp_path, mode="solo", seed=2)
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 2)
        plan = app.screen
        assert isinstance(plan, PlanningScreen)
        await wait_for(pilot, lambda: not plan.outlook_pending)
        s = app.session
        strip, rival, panel, pot = (text_of(plan, f"#{name}") for name in ("lead", "rival", "forecast", "pot"))
        report = report_text(s, s.turns[-1].report, 0).plain
        us, cn = (float(s.world.track[0, k]) for k in (0, 1))
        # the lead track totals: the strip, the rival panel and the report, each rounded the one way
        for total in (us, cn):
            assert track(total) in strip and track(total) in report
        assert f"track {track(cn)} pts" in rival
        # the treasury: the budget's pot line and the forecast's "now" column
        cash = busd(float(s.world.treasury_busd[0, 0]))
        assert cash in pot and cash in panel
        # compute: one unit on the rival panel and in the forecast
        units = set(COMPUTE.findall(rival + "\n" + panel))
        assert units and units <= {"EF", "ZF", "YF"}, units
        for text in (strip, rival, panel, pot, report):
            assert "-$0.0" not in text and "−$0.0" not in text and "-0.0" not in text
            assert not any(int(p) > 100 for p in re.findall(r"(\d+)(?:\.\d+)?%", text) if "add up" not in text)
