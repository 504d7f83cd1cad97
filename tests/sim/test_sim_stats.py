"""Sim statistics and the progress bar."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.sim.progress import Progress
from game.sim.stats import format_table, percentile, sprt, summarise, wilson


def test_wilson_known_value() -> None:
    lo, hi = wilson(50, 100)
    assert lo == pytest.approx(0.4038, abs=1e-4) and hi == pytest.approx(0.5962, abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


@given(n=st.integers(1, 10_000), data=st.data())
def test_wilson_contains_the_rate(n: int, data) -> None:
    k = data.draw(st.integers(0, n))
    lo, hi = wilson(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_summary_counts_draws_as_half() -> None:
    recs = [{"seed": i, "winner": w, "reason": r, "turns": t, "track_us": 50.0, "track_cn": 40.0, "digest": "x"}
            for i, (w, r, t) in enumerate([("us", "track", 40), ("cn", "decisive_lead", 30), ("draw", "track", 40)])]
    s = summarise(recs)
    assert (s["wins_us"], s["wins_cn"], s["draws"]) == (1, 1, 1)
    assert s["us_win_rate"] == 0.5
    assert list(s["reasons"]) == ["decisive_lead", "track"]
    assert s["turns_p50"] == 40
    table = format_table(s, "title")
    assert "US win rate    50.0%" in table
    assert all(len(line) <= 80 for line in table.splitlines())
    assert percentile([], 50) == 0.0


def test_sprt() -> None:
    assert sprt(700, 300, 0.45, 0.55) == "H1"
    assert sprt(300, 700, 0.45, 0.55) == "H0"
    assert sprt(5, 5, 0.45, 0.55) == "continue"
    with pytest.raises(ValueError):
        sprt(1, 1, 0.6, 0.5)


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_silent_off_terminal() -> None:
    stream = io.StringIO()
    with Progress(100, "sim", stream=stream, delay=0.0) as bar:
        bar.update(50)
    assert stream.getvalue() == ""


def test_progress_draws_on_a_terminal() -> None:
    stream = FakeTty()
    with Progress(100, "sim", stream=stream, delay=0.0) as bar:
        bar.update(50)
    drawn = stream.getvalue().split("\r")
    assert any("50/100 games" in part for part in drawn)
    assert all(len(part) <= 79 for part in drawn)
