"""One way to write each kind of figure (game.units; issue 26 items 5 and 12)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from game import buys, units
from game.tui import fmt, forecast


def test_no_negative_zero():
    for value in (-0.0001, -0.0004, -1e-9):
        assert not units.busd(value).startswith("-")
        assert not units.pct(value).startswith("-")
        assert not units.mw(value).startswith("-")
    assert units.busd(-5.4) == "-$5.4B"
    assert units.signed_busd(-0.0004) == "+$0M" and units.signed_busd(-0.35) == "-$0.35B"


@given(st.floats(0.0, 5.0))
def test_no_share_above_100_percent(value):
    assert int(units.share(value).rstrip("%")) <= 100


def test_self_sufficiency_past_one_shows_100_percent():
    label_of = {key: f for key, _, f in fmt.FIGURES}
    assert label_of["self_sufficiency"](1.09) == "100%"


def test_one_writer_for_each_kind_of_figure():
    # The advisor's rows, the forecast panel and the screens write with the same functions.
    assert fmt.busd is units.busd and forecast.busd is units.busd
    assert fmt.compute is units.compute and forecast.compute is units.compute
    assert forecast.mw is units.mw and buys.mw is units.mw and buys.busd is units.busd and buys.count is units.count
    assert units.busd(0.35) == "$0.35B" and units.mw(1500) == "1.5GW" and units.compute(3400) == "3.4ZF"
    assert units.compute(394) == "394EF"


def test_figures_compared_with_a_bar_round_toward_not_yet():
    assert units.capability(85.09) == "85.0" and units.points(59.96) == "59.9 pts"
    assert units.pct(0.996, bar=1.0) == "99%" and units.share(0.5996, bar=0.6) == "59%"
