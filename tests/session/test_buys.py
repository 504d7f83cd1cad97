"""What each allocation row buys (Advisor.buys) and orders carried into the next quarter (Advisor.opening)."""

from __future__ import annotations

import pytest

from game.buys import FULL
from game.engine import CATEGORIES, Orders
from game.session import Seat, Session

HUMAN, NORMAL = Seat("human"), Seat("ai", "normal")
SPLIT = {"training": 0.6, "inference": 0.3, "research": 0.1}


def only(share: dict[str, float], split: dict[str, float]) -> Orders:
    return Orders({k: share.get(k, 0.0) for k in CATEGORIES}, split)


def test_china_compute_at_12_and_85_percent_buys_the_same_chips_and_says_why():
    s = Session((NORMAL, HUMAN), seed=3)
    split = s.advisor(1).opening().split
    low, high = (s.advisor(1).buys(only({"compute": c}, split))["compute"] for c in (0.12, 0.85))
    assert low.amount == high.amount > 0                 # the same chips...
    f_low, f_high = (s.advisor(1).forecast(only({"compute": c}, split)) for c in (0.12, 0.85))
    assert f_low is not None and f_high is not None
    assert f_low["compute_eflops"] == f_high["compute_eflops"]
    # ...and the rest stays in the treasury: no power is built for chips that cannot come
    assert f_high["treasury_busd"] == pytest.approx(f_low["treasury_busd"])
    for row in (low, high):
        assert row.capped.startswith("chip supply exhausted: all ") and "domestic chips bought" in row.capped
    assert "more stays in the treasury" in low.capped


def test_each_row_says_what_it_buys_with_its_unit():
    s = Session((HUMAN, NORMAL), seed=2)
    rows = s.advisor(0).buys(s.advisor(0).opening())
    assert set(rows) == set(CATEGORIES)
    units = {"fabs": "wafers/q", "lithography": "DUV", "compute": "chips", "training": "eFLOP",
             "research": "efficiency", "applications": "adoption", "intelligence": "error"}
    for key, unit in units.items():
        assert unit in rows[key].texts[0], (key, rows[key].texts)
    assert "online 20" in rows["fabs"].detail
    assert rows["fabs"].amount > 0 and rows["compute"].amount > 0


def test_no_research_compute_means_research_money_buys_nothing():
    s = Session((HUMAN, NORMAL), seed=2)
    base = s.advisor(0).opening()
    rows = s.advisor(0).buys(Orders(base.allocation, {"training": 0.5, "inference": 0.5, "research": 0.0}))
    assert rows["research"].amount == 0 and rows["research"].capped.startswith("no research compute in the split")
    assert s.advisor(0).buys(base)["research"].capped == ""


def test_a_funded_run_is_flagged_and_an_unfunded_one_says_what_funds_it():
    s = Session((HUMAN, NORMAL), seed=2)
    base = s.advisor(0).opening()
    funded = s.advisor(0).buys(Orders({**base.allocation, "training": 0.05}, SPLIT))["training"]
    assert funded.funded >= FULL and funded.capped.startswith("the run is fully funded")
    half = funded.need_busd / s.advisor(0).budget().pot_busd / 2
    short = s.advisor(0).buys(Orders({**base.allocation, "training": half}, SPLIT))["training"]
    assert 0.4 < short.funded < 0.6 and short.capped == "" and "funds it fully" in short.detail
    assert s.advisor(0).buys(Orders({"compute": 2.0}, SPLIT)) == {}  # invalid orders buy nothing


def test_the_advisors_plan_funds_the_run():
    for side in (0, 1):
        s = Session((HUMAN, HUMAN), seed=3)
        assert s.advisor(side).buys(s.advisor(side).opening())["training"].funded >= FULL


def test_a_carried_training_order_keeps_the_run_funded():
    """A share that just funded the run, carried as a share, underfunds it a few quarters on; carried as
    Advisor.opening carries it, it keeps the run funded."""
    s = Session((HUMAN, NORMAL), seed=5)
    underfunded = 0
    for _ in range(6):
        o = s.advisor(0).opening()
        need = s.advisor(0).buys(Orders(o.allocation, SPLIT))["training"].need_busd
        s.submit(0, Orders({**o.allocation, "training": need / s.advisor(0).budget().pot_busd * 1.001}, SPLIT))
        s.resolve()
        last = s.turns[-1].orders[0]
        as_share = s.advisor(0).buys(Orders(last.allocation, last.split))["training"].funded
        underfunded += as_share < FULL
        carried = s.advisor(0).opening()
        assert s.advisor(0).buys(carried)["training"].funded >= FULL
        assert "training" not in s.advisor(0).carried().notes
    assert underfunded > 0


def test_carried_rows_keep_last_quarters_dollars():
    s = Session((HUMAN, NORMAL), seed=5)
    first = s.advisor(0).opening()
    pot_then = s.advisor(0).budget().pot_busd
    s.submit(0, first)
    s.resolve()
    carried = s.advisor(0).opening()
    pot_now = s.advisor(0).budget().pot_busd
    for k in ("fabs", "compute", "research"):
        assert abs(carried.allocation[k] * pot_now - first.allocation[k] * pot_then) <= 0.001 * pot_now
    assert s.problem(0, carried) is None and carried.split == first.split


def test_a_carried_row_that_buys_less_says_so():
    s = Session((HUMAN, NORMAL), seed=7)
    s.submit(0, s.advisor(0).opening())
    s.resolve()
    notes = s.advisor(0).carried().notes
    assert notes.get("compute", "").startswith("carried: buys 0 chips now")
