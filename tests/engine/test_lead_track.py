"""The lead track (rules 2, DESIGN.md "Winning"): the lead in months, the quarterly verdict, the totals, a decisive
lead, and the tie-breaks at the end."""

from __future__ import annotations

import numpy as np

from game.ai.planner import Planner, opens_own_weights
from game.content import load_content
from game.engine import Tables, mathx, new_world, observe
from game.engine.scoring import settle
from game.engine.state import DECISIVE, TRACK
from game.sim.runner import play_batch

CONTENT = load_content()
TABLES = Tables(CONTENT, CONTENT.scenario("2025"))


def test_quarter_weights_grow_and_add_up_to_one():
    q = TABLES.quarter_weight
    turns = TABLES.scenario.turns
    assert q[0] == 0.0 and q[turns + 1] == 0.0
    assert abs(q.sum() - 1.0) < 1e-12
    growth = (q[5] / q[1]) - 1.0  # four quarters apart: a year
    assert abs(growth - TABLES.scoring.quarter_growth_per_year) < 1e-9
    assert TABLES.points_left_by_turn[0] == 100.0 and TABLES.points_left_by_turn[turns] == 0.0


def test_the_lead_in_months_never_saturates():
    w = new_world(TABLES, [1])
    g = TABLES.rules.lead.growth_log10_per_year
    for gap in (0.5, 1.0, 3.0, 6.0):
        w.model_log10_eff[0] = [30.0 + gap, 30.0]
        lead = observe.lead_months(w)[0]
        assert np.isclose(lead[0], 12.0 * gap / g) and np.isclose(lead[1], -lead[0])


def test_the_verdict_splits_each_part_and_the_frontier_part_follows_the_lead():
    w = new_world(TABLES, [1, 2])
    w.model_log10_eff[:] = [[30.0, 30.0], [30.6, 30.0]]
    v = observe.verdict(w)
    assert np.allclose(v[:, 0] + v[:, 1], 1.0) and ((v >= 0) & (v <= 1)).all()
    assert v[0, 0, 0] == 0.5  # level frontiers share the part
    lead = observe.lead_months(w)[1, 0]
    want = float(mathx.logistic(np.array(lead / TABLES.scoring.frontier_scale_months)))
    assert np.isclose(v[1, 0, 0], want) and v[1, 0, 0] > 0.5


def test_totals_add_up_to_100_when_the_track_decides():
    recs = play_batch(TABLES, "normal", "normal", list(range(1, 41)))
    ended = [r for r in recs if r["reason"] == "track"]
    assert ended, "some games run to the last quarter"
    for r in ended:
        assert abs(r["track_us"] + r["track_cn"] - 100.0) < 1e-6
        assert r["turns"] == TABLES.scenario.turns
        if abs(r["track_us"] - r["track_cn"]) > TABLES.scoring.tie_margin:  # within it, the lead breaks the tie
            assert r["winner"] == ("us" if r["track_us"] > r["track_cn"] else "cn")
    for r in recs:
        if r["reason"] == "decisive_lead":
            assert r["track_us"] + r["track_cn"] < 100.0


def decisive_world(lead_months: float, deployment_ok: bool = True):
    w = new_world(TABLES, [1])
    g = TABLES.rules.lead.growth_log10_per_year
    top = TABLES.decisive_log10 + 0.1
    w.model_log10_eff[0] = [top, top - lead_months * g / 12.0]
    w.capability[:] = observe.capability_of(TABLES, w.model_log10_eff)
    if deployment_ok:
        w.adoption[0, 0] = TABLES.sector_open_share * 0.95
        w.adoption[0, 1] = 0.0
    w.turn[:] = 10
    return w


def test_a_decisive_lead_wins_at_once():
    margin = TABLES.scoring.decisive_margin_months
    w = decisive_world(margin + 0.5)
    settle(w)
    assert w.done[0] and w.winner[0] == 0 and w.reason[0] == DECISIVE
    # A lead short of the margin, or deployment short of its bar, does not end the game.
    for w in (decisive_world(margin - 0.5), decisive_world(margin + 0.5, deployment_ok=False)):
        settle(w)
        assert not w.done[0]


def test_a_model_just_below_the_tier_is_not_decisive():
    w = decisive_world(TABLES.scoring.decisive_margin_months + 5.0)
    w.model_log10_eff[0] -= 0.1 + 1e-9  # the US model a hair below the tier, the lead unchanged
    settle(w)
    assert not w.done[0]


def test_level_totals_at_the_end_go_to_the_lead_then_revenue():
    w = new_world(TABLES, [1, 2, 3])
    w.model_log10_eff[:] = [[30.0, 29.0], [29.0, 29.0], [29.0, 29.0]]
    w.cum_revenue_busd[:] = [[10.0, 20.0], [10.0, 20.0], [10.0, 10.0]]
    w.turn[:] = TABLES.scenario.turns
    q = TABLES.quarter_weight[TABLES.scenario.turns]
    observe.refresh(w)
    # Start from totals that this quarter's points bring level.
    gained = q * observe.points(w)
    w.track[:] = 50.0 - gained
    settle(w)
    assert (w.reason == TRACK).all()
    assert w.winner.tolist() == [0, 1, 2]  # the lead; then revenue; then a draw


def test_the_view_names_the_lead_the_margin_and_the_points_left():
    w = new_world(TABLES, [1])
    w.track[0] = [12.0, 10.0]
    seen = observe.view(w, 1)
    assert seen["track_margin"][0] == -2.0 and seen["rival.track"][0] == 12.0
    assert seen["points_left"][0] == 100.0
    assert np.isfinite(seen["lead_months"]).all()


def test_a_leader_keeps_its_weights_closed():
    opens = opens_own_weights(TABLES, 0)
    assert opens[TABLES.action_index[("release_weights", 0)]]
    assert not opens[TABLES.action_index[("chips_act", 0)]]
    w = new_world(TABLES, [1, 2])
    w.model_log10_eff[:, 0] = w.model_log10_eff[:, 1] + np.array([1.0, -1.0])  # game 0 leads, game 1 trails
    planner = Planner()
    plan = planner.make_plan(w, 0)
    acts = planner.choose_actions(w, 0, plan.lead)
    release = TABLES.action_index[("release_weights", 0)]
    assert plan.lead[0] > 0 > plan.lead[1]
    assert not acts[0, release]


def test_a_strategy_may_name_the_track_and_the_lead(tmp_path):
    from game.ai import load_strategy
    from game.engine import CATEGORIES, OrderBatch, resolve

    path = tmp_path / "track.toml"
    path.write_text('id = "track"\nname = "Track"\n[[phase]]\nturns = [1, 400]\n'
                    'allocation = { compute = 0.2, applications = 0.1 }\nsplit = { training = 0.5, inference = 0.5 }\n'
                    '[[adjust]]\nwhen = [{ field = "track_margin", op = "<", value = 0.0 }, '
                    '{ field = "lead_months", op = "<", value = 100.0 }, { field = "points_left", op = ">", value = 1.0 }]\n'
                    'allocation = { fabs = 0.3 }\nnote = "behind on the track"\n')
    strategy = load_strategy(str(path))
    w = new_world(TABLES, [1, 2])
    w.track[:] = [[5.0, 6.0], [6.0, 5.0]]  # US behind in game 0, ahead in game 1
    orders: OrderBatch = strategy.decide(w, 0)
    fabs = CATEGORIES.index("fabs")
    assert orders.allocation[0, fabs] > 0.0 and orders.allocation[1, fabs] == 0.0
    resolve(w, orders, strategy.decide(w, 1))  # legal orders either way
