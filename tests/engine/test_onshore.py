"""Self-sufficiency counts only chips from onshore fabs: allied capacity abroad (Taiwan) is a dependency. The onshore
order: each quarter's share of new fab money built at home, at the onshore premium and build time."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import numpy as np

from game.content import load_content
from game.engine import CATEGORIES, OrderBatch, Tables, World, new_world, resolve
from game.engine.observe import self_sufficiency
from game.engine.state import DOMESTIC, FLOPS

CONTENT = load_content()
BASE = CONTENT.scenario("2025")
SEEDS = [1, 2, 3]


def scenario(base=BASE, **us):
    return attrs.evolve(base, sides=attrs.evolve(base.sides, us=attrs.evolve(base.sides.us, **us)))


def spend(world: World, category: str, share: float) -> OrderBatch:
    alloc = np.zeros((world.batch, len(CATEGORIES)))
    alloc[:, CATEGORIES.index(category)] = share
    return OrderBatch(alloc, np.tile([0.4, 0.4, 0.2], (world.batch, 1)), np.zeros((world.batch, len(world.tables.actions)), bool))


def new_cohort(scen, turns: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The US's chips bought in the last of `turns` quarters of compute spending: (FLOP/s, domestic FLOP/s)."""
    t = Tables(CONTENT, scen)
    w = new_world(t, SEEDS)
    for _ in range(turns):
        cohort = int(w.turn[0]) % t.rules.supply.fleet_life_quarters
        w = resolve(w, spend(w, "compute", 0.6), spend(w, "compute", 0.6))
    assert (w.chips_bought[:, 0, 0] > 0).all()
    return w.fleet[:, 0, FLOPS, cohort], w.fleet[:, 0, DOMESTIC, cohort]


def test_chips_count_as_domestic_in_proportion_to_onshore_wafers() -> None:
    wafers = BASE.sides.us.fab_wafers_per_q
    flops, domestic = new_cohort(scenario(onshore_wafers_per_q={}))
    assert (flops > 0).all() and (domestic == 0).all()
    flops, domestic = new_cohort(scenario(onshore_wafers_per_q=None))  # absent: all of it onshore
    assert np.allclose(domestic, flops)
    half = {node: w / 2 for node, w in wafers.items()}
    flops, domestic = new_cohort(scenario(onshore_wafers_per_q=half))
    assert np.allclose(domestic, flops / 2)


def test_the_start_counts_only_onshore_cohorts() -> None:
    """The 2025 US fleet was made in Taiwan: none of it is the US's own; China's Ascends (SMIC) are."""
    w = new_world(Tables(CONTENT, BASE), [1])
    assert self_sufficiency(w)[0, 0] == 0.0
    assert 0.0 < self_sufficiency(w)[0, 1] < 1.0
    fleet = tuple(attrs.evolve(c, onshore=c.age_quarters == 1) for c in BASE.sides.us.fleet)
    w = new_world(Tables(CONTENT, scenario(fleet=fleet)), [1])
    assert 0.0 < self_sufficiency(w)[0, 0] < 1.0


def spend_fabs_once(scen, onshore: float | None, chips_act: bool = False) -> Iterator[World]:
    """A quarter of fab money with the US's onshore order `onshore` (None: the scenario's default), then quarters
    without, until every build has finished."""
    t = Tables(CONTENT, scen)
    w = new_world(t, SEEDS)
    for k in range(int(t.fab_build_q.max()) + 1):
        mine = spend(w, "fabs", 0.5 if k == 0 else 0.0)
        if k == 0:
            mine = attrs.evolve(mine, onshore=None if onshore is None else np.full(w.batch, onshore))
            mine.actions[:, t.action_index[("chips_act", 0)]] = chips_act
        w = resolve(w, mine, spend(w, "fabs", 0.0))
        yield w


def added_by_turn(scen, onshore: float | None, chips_act: bool = False) -> list[tuple[float, float]]:
    """The US's capacity added over the start, (all, onshore) wafers a quarter, after each quarter."""
    start = new_world(Tables(CONTENT, scen), SEEDS)
    return [(float((w.fab_wafers_per_q - start.fab_wafers_per_q)[0, 0].sum()),
             float((w.fab_onshore_wafers_per_q - start.fab_onshore_wafers_per_q)[0, 0].sum()))
            for w in spend_fabs_once(scen, onshore, chips_act)]


def test_the_onshore_order_pays_the_premium_and_waits_longer() -> None:
    """The same fab money builds 1 / (1 + premium) as much at home, and the capacity comes after the onshore
    build time (REFERENCE s4: 38 months in the US) instead of the abroad one (19 months in Taiwan)."""
    us = BASE.sides.us
    assert us.builds_abroad and us.onshore_cost_premium > 0 and us.abroad_fab_build_quarters < us.fab_build_quarters
    abroad = added_by_turn(BASE, 0.0)
    home = added_by_turn(BASE, 1.0)
    # Abroad: online after its build time (the quarter that orders it is turn 0), none of it onshore.
    done = us.abroad_fab_build_quarters
    assert abroad[done - 1][0] == 0.0 < abroad[done][0] and all(o == 0.0 for _, o in abroad)
    # At home: nothing until the longer build time, then all of it onshore, at the premium.
    done = us.fab_build_quarters
    assert home[done - 1][0] == 0.0 < home[done][0] == home[done][1]
    assert np.isclose(home[-1][0] * (1.0 + us.onshore_cost_premium), abroad[-1][0])
    # A share splits the money: that share of it at home, at the premium.
    half = added_by_turn(BASE, 0.5)
    assert np.isclose(half[-1][1], home[-1][1] / 2) and np.isclose(half[-1][0] - half[-1][1], abroad[-1][0] / 2)
    # No order: the scenario's default share.
    default = added_by_turn(BASE, None)
    assert np.isclose(default[-1][1], us.new_fabs_onshore_share * home[-1][1])


def test_a_side_that_cannot_build_abroad_builds_at_home_whatever_it_orders() -> None:
    """China's fabs are all onshore: a scenario fact (builds_abroad false), not a rule for one side."""
    assert not BASE.sides.cn.builds_abroad
    cn_like = scenario(builds_abroad=False)
    for onshore in (0.0, 1.0):
        added, home = added_by_turn(cn_like, onshore)[-1]
        assert added > 0 and np.isclose(home, added)


def test_the_chips_act_lowers_the_onshore_premium() -> None:
    """The subsidy goes to fabs built in the US: it lowers the premium (policies.toml chips_act), so the same money
    builds more at home against abroad."""
    premium = BASE.sides.us.onshore_cost_premium
    ratios = []
    for act in (False, True):
        home = added_by_turn(BASE, 1.0, act)[-1][0]
        abroad = added_by_turn(BASE, 0.0, act)[-1][0]
        ratios.append(abroad / home)
    assert np.isclose(ratios[0], 1.0 + premium)
    assert 1.0 <= ratios[1] < ratios[0] - 0.1
