"""Self-sufficiency counts only chips from onshore fabs: allied capacity abroad (Taiwan) is a dependency."""

from __future__ import annotations

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


def test_new_fabs_are_onshore_at_the_sides_share() -> None:
    """Fab money builds capacity at the scenario's onshore share (the US: mostly TSMC in Taiwan, a dependency;
    China: SMIC at home), raised by an `onshore` modifier (the CHIPS Act), never past all of it."""
    for us_share, want in ((BASE.sides.us.new_fabs_onshore_share, BASE.sides.us.new_fabs_onshore_share),
                           (1.0, 1.0), (0.0, 0.0)):
        t = Tables(CONTENT, scenario(new_fabs_onshore_share=us_share))
        w = new_world(t, SEEDS)
        start_total, start_onshore = w.fab_wafers_per_q.copy(), w.fab_onshore_wafers_per_q.copy()
        for _ in range(int(t.fab_build_q.max()) + 1):
            w = resolve(w, spend(w, "fabs", 0.5), spend(w, "fabs", 0.5))
        added = (w.fab_wafers_per_q - start_total).sum(axis=-1)
        onshore = (w.fab_onshore_wafers_per_q - start_onshore).sum(axis=-1)
        assert (added > 0).all()
        assert np.allclose(onshore[:, 0], want * added[:, 0]), us_share
        assert np.allclose(onshore[:, 1], added[:, 1])  # China builds at home
    assert BASE.sides.us.new_fabs_onshore_share < 1.0 and BASE.sides.cn.new_fabs_onshore_share == 1.0


def test_the_chips_act_builds_more_at_home() -> None:
    t = Tables(CONTENT, BASE)
    act = t.action_index[("chips_act", 0)]
    shares = []
    for take in (False, True):
        w = new_world(t, SEEDS)
        start_total, start_onshore = w.fab_wafers_per_q.copy(), w.fab_onshore_wafers_per_q.copy()
        for k in range(int(t.fab_build_q.max()) + 1):
            mine = spend(w, "fabs", 0.5)
            mine.actions[:, act] = take and k == 0
            w = resolve(w, mine, spend(w, "fabs", 0.5))
        shares.append((w.fab_onshore_wafers_per_q - start_onshore)[:, 0].sum(axis=-1)
                      / (w.fab_wafers_per_q - start_total)[:, 0].sum(axis=-1))
    assert (shares[1] > shares[0] + 0.05).all() and (shares[1] <= 1.0).all()
