"""The turn report shows all the revenue a side earned and the part of it reinvested (the treasury's income)."""

import pytest

from game.session import Seat, Session
from game.tui.fmt import busd
from game.tui.screens.report import report_text


def test_the_turn_report_shows_revenue_earned_and_reinvested() -> None:
    s = Session((Seat("human"), Seat("ai", "normal")), seed=1)
    s.submit(0, s.advisor(0).opening())
    report = s.resolve()
    earned, reinvested = float(s.world.revenue_busd[0, 0]), report.money_in[0]["revenue"]
    assert earned > 1.0
    assert reinvested == pytest.approx(earned * s.tables.rules.money.reinvest_share)
    text = report_text(s, report, 0).plain
    assert f"revenue {busd(earned)}, of which {busd(reinvested)} reinvested" in text, text
