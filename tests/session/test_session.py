"""The session: a game's record (orders, digests, what each side saw) around the engine."""

import pytest

from game.engine import OrderError, Orders
from game.session import Seat, Session, rounded

HUMAN, NORMAL = Seat("human"), Seat("ai", "normal")


@pytest.fixture(scope="module")
def played():
    s = Session((HUMAN, NORMAL), seed=5)
    for _ in range(6):
        s.submit(0, s.advisor(0).opening())
        s.resolve()
    return s


def test_replaying_the_recorded_orders_gives_the_same_digests(played):
    again = Session((HUMAN, HUMAN), seed=5)
    for record in played.turns:
        again.apply(record.orders)
        assert again.world.digest() == record.digest
    assert again.turn == played.turn == 6


def test_a_different_seed_gives_a_different_game(played):
    other = Session((HUMAN, HUMAN), seed=6)
    other.apply(played.turns[0].orders)
    assert other.world.digest() != played.turns[0].digest


def test_invalid_orders_are_refused_and_named():
    s = Session((HUMAN, NORMAL), seed=1)
    bad = Orders(allocation={"compute": 0.8, "fabs": 0.5}, split={"training": 0.5, "inference": 0.5})
    problem = s.problem(0, bad)
    assert problem is not None and "add up to" in problem
    with pytest.raises(OrderError):
        s.submit(0, bad)
    with pytest.raises(OrderError):
        s.resolve()  # the person has not submitted
    with pytest.raises(OrderError):
        s.submit(1, s.advisor(1).opening())  # an AI seat takes no orders from a person


def test_advice_is_valid_and_in_whole_tenths_of_a_percent():
    s = Session((HUMAN, NORMAL), seed=2)
    for side in (0, 1):
        advice = s.advisor(side).advice()
        assert s.problem(side, advice) is None
        for v in advice.allocation.values():
            assert abs(v * 1000 - round(v * 1000)) < 1e-6
        assert abs(sum(advice.split.values()) - 1) < 1e-9


def test_rounded_never_allocates_more():
    o = Orders({"compute": 0.33333, "fabs": 0.66666}, {"training": 0.333, "inference": 0.333, "research": 0.334})
    r = rounded(o)
    assert sum(r.allocation.values()) <= 1.0
    assert abs(sum(r.split.values()) - 1.0) < 1e-9


def test_charts_show_the_viewer_only_estimates_of_the_rival(played):
    truth_us, truth_cn = played.perspective(None).series("capability")
    mine, theirs = played.perspective(0).series("capability")
    assert mine == truth_us
    assert theirs != truth_cn and len(theirs) == len(truth_cn) == played.turn + 1


def test_forecast_does_not_see_the_rival_hidden_state():
    s = Session((HUMAN, NORMAL), seed=4)
    orders = s.advisor(0).opening()
    before = s.advisor(0).forecast(orders)
    s.world.fleet[:, 1] *= 3.0          # the rival's hidden fleet and treasury change...
    s.world.treasury_busd[:, 1] += 500.0
    assert s.advisor(0).forecast(orders) == before  # ...what the forecast shows does not


def test_forecast_follows_the_orders():
    s = Session((HUMAN, NORMAL), seed=4)
    base = s.advisor(0).opening()
    # Research money is always spent (compute money beyond the power that can be built stays in the treasury).
    more = Orders({**base.allocation, "research": base.allocation["research"] + 0.1}, base.split, base.actions)
    a, b = s.advisor(0).forecast(base), s.advisor(0).forecast(more)
    assert b["treasury_busd"] < a["treasury_busd"]
    assert s.advisor(0).forecast(Orders({"compute": 2.0}, base.split)) is None


def test_watch_mode_plays_to_the_end():
    s = Session((Seat("ai", "balanced"), Seat("ai", "normal")), seed=3)
    assert s.mode == "watch"
    while not s.over:
        report = s.resolve()
    assert s.winner() in ("us", "cn", "draw") and s.end_reason()
    assert report.reasons[1].startswith("Normal")
    parts = s.track_parts(0)
    assert abs(sum(parts.values()) - float(s.world.track[0, 0])) < 1e-6
    us, cn = s.track_series()
    assert len(us) == s.turn + 1 and us[0] == cn[0] == 0.0 and abs(us[-1] - float(s.world.track[0, 0])) < 1e-9


def test_an_order_error_names_its_field():
    s = Session((HUMAN, NORMAL), seed=1)
    opening = s.advisor(0).opening()
    over = Orders({**opening.allocation, "compute": 1.5}, opening.split)
    error = s.check(0, over)
    assert error is not None and error.field == "allocation.compute" and s.problem(0, over) == error.detail
    assert s.check(0, Orders(opening.allocation, {"training": 1.0, "inference": 0.5})).field == "split"
    assert s.check(0, Orders(opening.allocation, opening.split, ("no_such_act",))).field == "actions"
    assert s.check(0, opening) is None


def test_budget_figures_are_the_engines():
    from game.engine import money

    s = Session((HUMAN, NORMAL), seed=1)
    w = s.world
    base = money.income(w)
    draft = Orders({"compute": 0.5, "fabs": 0.25}, {"training": 0.5, "inference": 0.3, "research": 0.2})
    b = s.advisor(0).budget(draft)
    assert b.pot_busd == pytest.approx(b.treasury_busd + b.budget_busd + b.credit_busd)
    assert b.pot_busd == float(money.spendable(w, base)[0, 0]) == s.advisor(0).budget().pot_busd
    assert b.spend_busd == pytest.approx(0.75 * b.pot_busd)
    # Borrowing and keeping follow what the engine spends of it (money a row cannot use is never drawn).
    assert b.borrow_busd == pytest.approx(max(b.spent_busd - b.treasury_busd - b.budget_busd, 0.0))
    assert b.keep_busd == pytest.approx(max(b.treasury_busd + b.budget_busd - b.spent_busd, 0.0))
    assert s.advisor(0).budget().spend_busd == 0.0
    # Deep in debt the pot is empty, yet the credit line is still the rules' share of the debt limit.
    s = Session((HUMAN, NORMAL), seed=1)   # a fresh position (the advisor keeps what it worked out per position)
    s.world.treasury_busd[0, 0] = -1e4
    broke = s.advisor(0).budget(draft)
    assert broke.pot_busd == 0.0 and broke.spend_busd == 0.0 and broke.borrow_busd == 0.0
    assert broke.credit_busd == pytest.approx(float(s.tables.debt_limit[0]) * s.tables.rules.money.credit_share)
    assert broke.credit_busd > 0


def test_blocked_actions_carry_the_engines_reason():
    s = Session((HUMAN, NORMAL), seed=1)
    a = s.tables.action_index[("allied_coordination", 0)]  # in force from the start of 2025
    blocked = s.blocked(0)
    assert blocked[a] == ("in force", 0)
    assert not set(blocked) & set(s.legal(0))
    assert all(s.tables.actions[i].side == 0 for i in blocked)


def test_milestones_say_who_may_see_them():
    """The engine marks a released model public and a side's own news (books, labs, power) its own."""
    from game.engine.milestones import milestones

    s = Session((HUMAN, NORMAL), seed=1)
    before, after = s.world, s.world.copy()
    after.model_new[0, 1] = True
    after.breakthrough[0, 1] = True
    after.debt_quarters[0, 1] = 2
    after.utilisation[0, 1] = 0.5
    news = {m.text.split(":")[0]: m.visibility for m in milestones(before, after, 0, 1)}
    assert news == {"new frontier model": "public", "research breakthrough": "own", "in crisis": "own",
                    "power short": "own"}
    assert milestones(before, after, 0, 0) == ()


def test_the_report_shows_only_the_rivals_public_milestones():
    from game.engine.milestones import Milestone
    from game.session import Report
    from game.tui.screens.report import report_text

    s = Session((HUMAN, NORMAL), seed=1)
    s.submit(0, s.advisor(0).opening())
    real = s.resolve()
    rival = (Milestone("a model the world can see", "public"), Milestone("a secret of the rival's books", "own"))
    report = Report(real.turn, real.events, real.actions, (real.milestones[0], rival), real.money_in,
                    real.money_out, real.reasons)
    mine = report_text(s, report, 0)
    assert "a model the world can see" in mine.plain and "a secret of the rival's books" not in mine.plain
    assert "a secret of the rival's books" in report_text(s, report, 1).plain and "a secret" in report_text(s, report, None).plain
