"""Money: AI revenue enters the treasury at the content's reinvest share, and the books still balance."""

from __future__ import annotations

import attrs
import numpy as np

from game.ai import load_strategy
from game.content import load_content
from game.engine import Tables, new_world, resolve
from game.engine.state import FLOWS, FLOWS_IN

CONTENT = load_content()
REVENUE = FLOWS.index("revenue")


def with_reinvest(share: float):
    rules = CONTENT.rules
    return attrs.evolve(CONTENT, rules=attrs.evolve(rules, money=attrs.evolve(rules.money, reinvest_share=share)))


def one_turn(content, seeds=(1, 2, 3)):
    tables = Tables(content, content.scenario("2025"))
    before = new_world(tables, list(seeds))
    strat = load_strategy("balanced")
    return before, resolve(before, strat.decide(before, 0), strat.decide(before, 1))


def test_the_content_reinvests_part_of_revenue() -> None:
    share = CONTENT.rules.money.reinvest_share
    assert 0.0 < share < 1.0


def test_only_the_reinvested_share_of_revenue_enters_the_treasury() -> None:
    share = CONTENT.rules.money.reinvest_share
    before, after = one_turn(CONTENT)
    assert (after.revenue_busd > 0.5).all()  # the 2025 scenario earns from its first quarter
    assert np.array_equal(after.flows_busd[:, :, REVENUE], after.revenue_busd * share)
    # The books: treasury(t+1) = treasury(t) + income - spending, with the reinvested part as income.
    n_in = len(FLOWS_IN)
    income = after.flows_busd[:, :, :n_in].sum(axis=-1)
    spending = after.flows_busd[:, :, n_in:].sum(axis=-1)
    assert np.allclose(after.treasury_busd, before.treasury_busd + income - spending, rtol=0, atol=1e-9)


def test_the_share_moves_the_treasury_and_nothing_else() -> None:
    _, half = one_turn(with_reinvest(0.5))
    _, full = one_turn(with_reinvest(1.0))
    # Revenue itself (shown to players, scored as revenue share) is all of it either way.
    assert np.array_equal(half.revenue_busd, full.revenue_busd)
    assert np.array_equal(half.cum_revenue_busd, full.cum_revenue_busd)
    assert np.allclose(full.treasury_busd - half.treasury_busd, 0.5 * full.revenue_busd, rtol=0, atol=1e-9)

