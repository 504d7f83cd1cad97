"""Money: AI revenue enters the treasury at the content's reinvest share, idle money flows back past a cap, and the
books still balance."""

from __future__ import annotations

import attrs
import numpy as np

from game.ai import load_strategy
from game.content import load_content
from game.engine import Tables, new_world, resolve
from game.engine.orders import OrderBatch
from game.engine.state import FLOWS, FLOWS_IN
from game.engine.tables import CATEGORIES

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



# Idle money (DESIGN "Rules 3" item 6): a treasury beyond what a side can absorb flows back to investors.
RETURNED = FLOWS.index("returned")


def with_idle(cap_quarters: float, share: float):
    rules = CONTENT.rules
    money = attrs.evolve(rules.money, idle_cap_quarters=cap_quarters, idle_return_share=share)
    return attrs.evolve(CONTENT, rules=attrs.evolve(rules, money=money))


def play_out(content, strategy=None, seeds=(1, 2)):
    """Both sides to the end of the 2025 scenario: spending nothing (strategy None) or playing `strategy`. Yields
    the world before and after every quarter."""
    tables = Tables(content, content.scenario("2025"))
    world = new_world(tables, list(seeds))
    nothing = OrderBatch(np.zeros((world.batch, len(CATEGORIES))), np.tile([0.4, 0.4, 0.2], (world.batch, 1)),
                         np.zeros((world.batch, len(tables.actions)), dtype=bool))
    strat = load_strategy(strategy) if strategy else None
    while not world.done.all():
        us, cn = (strat.decide(world, 0), strat.decide(world, 1)) if strat else (nothing, nothing)
        after = resolve(world, us, cn)
        yield world, after
        world = after


def test_a_side_that_spends_nothing_levels_off_at_the_cap() -> None:
    money = CONTENT.rules.money
    assert money.idle_return_share > 0.0
    # At each close, the excess over the cap keeps (1 - r) of itself plus the quarter's budget: it levels off at
    # (1 - r) / r quarters of budget above the cap.
    bound_quarters = money.idle_cap_quarters + (1.0 - money.idle_return_share) / money.idle_return_share
    n_in = len(FLOWS_IN)
    for before, after in play_out(CONTENT):
        assert (after.treasury_busd <= bound_quarters * after.base_budget_busd).all()
        income = after.flows_busd[:, :, :n_in].sum(axis=-1)
        spending = after.flows_busd[:, :, n_in:].sum(axis=-1)
        assert np.allclose(after.treasury_busd, before.treasury_busd + income - spending, rtol=0, atol=1e-6)
    assert (after.flows_busd[:, :, RETURNED] > 0).all()  # the money went back, counted as it went
    # Control: without the rule the same side piles up several times as much.
    *_, (_, free) = play_out(with_idle(money.idle_cap_quarters, 0.0))
    assert (free.treasury_busd > 3.0 * bound_quarters * free.base_budget_busd).all()


def test_a_side_that_spends_is_untouched() -> None:
    for strategy in ("balanced", "normal"):
        for (_, ruled), (_, free) in zip(play_out(CONTENT, strategy, seeds=range(1, 21)),
                                         play_out(with_idle(4.0, 0.0), strategy, seeds=range(1, 21)), strict=True):
            assert (ruled.flows_busd[:, :, RETURNED] == 0.0).all()
            assert np.array_equal(ruled.treasury_busd, free.treasury_busd)
