"""The forecast 1, 4 and 8 quarters ahead (game.outlook): the engine run on in the world a side believes in."""

import numpy as np
import pytest

from game.ai.belief import believed
from game.engine import Orders, resolve
from game.outlook import own_figures
from game.schema import PUBLIC_SIDE_FIELDS, SIDE_FIELD_NAMES
from game.session import Seat, Session
from tests.tui.conftest import short_scenario

HUMAN, NORMAL = Seat("human"), Seat("ai", "normal")


@pytest.fixture(scope="module")
def played():
    """A game some quarters in: the rival's hidden state has moved away from the scenario start."""
    s = Session((HUMAN, NORMAL), seed=5)
    for _ in range(5):
        s.submit(0, s.advisor(0).opening())
        s.resolve()
    return s


def test_columns_are_next_quarter_four_and_eight_and_next_is_the_forecast(played):
    orders = played.advisor(0).opening()
    out = played.advisor(0).outlook(orders)
    assert out is not None and out.quarters == (1, 4, 8) and out.turn == played.turn
    assert out.figures[0] == played.advisor(0).forecast(orders)
    for figures in (out.now, *out.figures):
        assert {"track", "track_margin", "lead_months", "capability", "treasury_busd", "mindshare"} <= set(figures)
    assert out.figures[2]["track"] > out.figures[1]["track"] > out.figures[0]["track"] > out.now["track"]


def test_deterministic(played):
    orders = played.advisor(1).opening()
    again = Session((HUMAN, NORMAL), seed=5)
    for record in played.turns:
        again.apply(record.orders)
    assert played.advisor(1).outlook(orders) == again.advisor(1).outlook(orders) == played.advisor(1).outlook(orders)


def test_the_rivals_hidden_figures_do_not_leak(played):
    """Every rival field the side cannot see is changed in the true world: the outlook does not move. The same
    change moves what the engine does in the true world, so the test can fail."""
    orders = played.advisor(0).opening()
    before = played.advisor(0).outlook(orders)
    truth = played.world
    mine = orders.to_batch(played.tables, 0)
    theirs = played.advisor(0).strategy.decide(truth, 1)
    true_next = own_figures(resolve(truth, mine, theirs), 0)
    changed = truth.copy()
    # obs_lag is what intelligence saw of the rival a quarter ago: the estimates are made from it, by design.
    hidden = [n for n in SIDE_FIELD_NAMES if n not in PUBLIC_SIDE_FIELDS and n != "obs_lag"]
    assert "fleet" in hidden and "power_pipeline" in hidden and "treasury_busd" in hidden
    for name in hidden:
        field = getattr(changed, name)
        if field.dtype.kind == "f":
            field[:, 1] = field[:, 1] * 3.0 + 1.0
        elif name in ("run_quarters", "models_trained", "debt_quarters"):
            field[:, 1] += 1
    played.world = changed
    try:
        after = played.advisor(0).outlook(orders)
        moved = own_figures(resolve(changed, mine, played.advisor(0).strategy.decide(changed, 1)), 0)
    finally:
        played.world = truth
    assert after == before
    assert moved != true_next   # the truth's hidden figures do change the true future


def test_the_outlook_is_the_believed_worlds(played):
    """Its 'now' column is the side's own figures with the rival as intelligence estimates it."""
    out = played.advisor(0).outlook(played.advisor(0).opening())
    assert out.now == own_figures(believed(played.world, 0), 0)
    assert out.now["capability"] == pytest.approx(played.figures(0)["capability"])
    assert out.now["lead_months"] != pytest.approx(played.perspective(None).lead_months())  # the true lead is not what it sees


def test_money_that_pays_later_shows_in_the_far_columns():
    """Training money changes nothing next quarter but capability and the lead eight quarters on: the opening
    (the advisor's plan) funds the run in full, so a draft without it falls behind there. Played from the second
    quarter: the 2025 game opens with Grok 3 a quarter in, finishing next quarter on the money of this one."""
    s = Session((HUMAN, NORMAL), seed=3)
    s.submit(0, s.advisor(0).opening())
    s.resolve()
    a = s.advisor(0).opening()
    less = Orders({**a.allocation, "training": 0.0}, a.split, a.actions)
    funded, unfunded = s.advisor(0).outlook(a), s.advisor(0).outlook(less)
    assert unfunded.figures[0]["capability"] == pytest.approx(funded.figures[0]["capability"])
    assert funded.figures[2]["capability"] > unfunded.figures[2]["capability"] + 1.0
    assert funded.figures[2]["lead_months"] > unfunded.figures[2]["lead_months"]


def test_columns_stop_at_the_end_of_the_game(tmp_path):
    s = Session((HUMAN, NORMAL), scenario=short_scenario(tmp_path, turns=4), seed=2)
    s.submit(0, s.advisor(0).opening())
    s.resolve()
    out = s.advisor(0).outlook(s.advisor(0).opening())
    assert out.quarters == (1, 3)   # 3 quarters left: +4 and +8 are both the last one
    assert out.ends is not None and out.ends[0] == 3


def test_invalid_orders_have_no_outlook(played):
    assert played.advisor(0).outlook(Orders({"compute": 2.0}, played.advisor(0).opening().split)) is None


def test_power_being_built_comes_online_in_later_quarters(played):
    out = played.advisor(0).outlook(played.advisor(0).opening())
    p = out.power
    assert all(turn > played.turn for turn, _ in p.building)
    assert p.grid_mw <= p.grid_cap_mw * (1 + 1e-9) and p.offgrid_mw <= p.offgrid_cap_mw * (1 + 1e-9)
    assert p.short_mw == pytest.approx(max(p.fleet_mw - p.power_mw, 0.0))
    # What is building after next quarter is the side's own pipeline then (its own figures are exact).
    mine = played.advisor(0).opening().to_batch(played.tables, 0)
    world = believed(played.world, 0)
    after = resolve(world, mine, played.advisor(0).strategy.decide(world, 1))
    assert sum(mw for _, mw in p.building) == pytest.approx(float(np.sum(after.power_pipeline[0, 0])), abs=1.0)
