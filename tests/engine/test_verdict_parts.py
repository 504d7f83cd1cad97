"""Rules 3's verdict (DESIGN.md "Rules 3" items 1-2): five parts by meaning; applications weighs every sector, defence
included; supply is the flow of onshore-made new accelerators, not the installed stock; the onshore order is checked."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from game.content import load_content
from game.engine import CATEGORIES, OrderBatch, OrderError, Orders, Tables, new_world, resolve
from game.engine.observe import self_sufficiency, verdict
from game.engine.orders import validate
from game.schema import VERDICT_PARTS

CONTENT = load_content()
BASE = CONTENT.scenario("2025")
TABLES = Tables(CONTENT, BASE)
APPS, SUPPLY = VERDICT_PARTS.index("applications"), VERDICT_PARTS.index("supply")


def test_five_parts_by_meaning() -> None:
    assert VERDICT_PARTS == ("frontier", "compute", "applications", "mindshare", "supply")
    weights = [getattr(CONTENT.scoring, part) for part in VERDICT_PARTS]
    assert all(0.10 <= w <= 0.30 for w in weights) and np.isclose(sum(weights), 1.0)


@pytest.mark.parametrize("sector", [s.id for s in CONTENT.sectors])
def test_applications_responds_to_adoption_in_every_sector(sector: str) -> None:
    """More US adoption in any one sector - defence as much as the rest, by its market - raises the US's share of
    the applications part; nothing else in the verdict moves."""
    w = new_world(TABLES, [1])
    before = verdict(w).copy()
    k = [s.id for s in CONTENT.sectors].index(sector)
    w.adoption[0, 0, k] += 0.05
    after = verdict(w)
    assert after[0, 0, APPS] > before[0, 0, APPS]
    others = [i for i in range(len(VERDICT_PARTS)) if i != APPS]
    assert np.allclose(after[0, :, others], before[0, :, others])


def test_applications_weighs_capability() -> None:
    w = new_world(TABLES, [1])
    before = verdict(w)[0, 0, APPS]
    w.capability[0, 0] *= 1.2
    assert verdict(w)[0, 0, APPS] > before


def spend(world, fabs: float, compute: float) -> OrderBatch:
    alloc = np.zeros((world.batch, len(CATEGORIES)))
    alloc[:, CATEGORIES.index("fabs")] = fabs
    alloc[:, CATEGORIES.index("compute")] = compute
    return OrderBatch(alloc, np.tile([0.4, 0.4, 0.2], (world.batch, 1)),
                      np.zeros((world.batch, len(world.tables.actions)), bool))


def test_supply_moves_within_four_quarters_of_onshore_output() -> None:
    """A US whose chips all come from onshore fabs scores all of the last year's new chips as its own within four
    quarters, though its installed fleet (made in Taiwan) is far larger: the part is a flow, not the stock."""
    us = attrs.evolve(BASE.sides.us, onshore_wafers_per_q=dict(BASE.sides.us.fab_wafers_per_q))
    t = Tables(CONTENT, attrs.evolve(BASE, sides=attrs.evolve(BASE.sides, us=us)))
    w = new_world(t, [1, 2])
    start = verdict(w)[:, 0, SUPPLY].copy()
    assert (self_sufficiency(w)[:, 0] == 0.0).all()  # the 2025 fleet's last year: all Taiwan-made
    for _ in range(t.scoring.supply_quarters):
        w = resolve(w, spend(w, 0.0, 0.6), spend(w, 0.0, 0.6))
        assert (w.chips_bought[:, 0, 0] > 0).all()  # chips from its own fabs every quarter
    assert np.allclose(self_sufficiency(w)[:, 0], 1.0)
    assert (verdict(w)[:, 0, SUPPLY] > start + 0.3).all()


def test_supply_forgets_chips_older_than_the_window() -> None:
    """An onshore cohort counts for supply_quarters quarters, then only the new ones do."""
    fleet = tuple(attrs.evolve(c, onshore=True) if c.age_quarters == 1 else c for c in BASE.sides.us.fleet)
    t = Tables(CONTENT, attrs.evolve(BASE, sides=attrs.evolve(BASE.sides, us=attrs.evolve(BASE.sides.us, fleet=fleet))))
    w = new_world(t, [1])
    assert self_sufficiency(w)[0, 0] > 0.0
    for _ in range(t.scoring.supply_quarters):
        w = resolve(w, spend(w, 0.0, 0.0), spend(w, 0.0, 0.0))
    assert self_sufficiency(w)[0, 0] == 0.0


@pytest.mark.parametrize("value", [-0.1, 1.5, float("nan")])
def test_an_onshore_order_out_of_range_is_refused_in_one_line(value: float) -> None:
    w = new_world(TABLES, [1])
    orders = attrs.evolve(spend(w, 0.2, 0.2), onshore=np.array([value]))
    with pytest.raises(OrderError) as err:
        validate(w, orders, 0)
    assert err.value.field == "onshore" and "\n" not in str(err.value) and "from 0 to 1" in str(err.value)
    with pytest.raises(OrderError) as err:
        Orders.from_dict({"allocation": {}, "split": {}, "actions": [], "onshore": value})
    assert err.value.field == "onshore" and "\n" not in str(err.value)


def test_the_onshore_order_round_trips_as_plain_data() -> None:
    orders = Orders.from_dict({"allocation": {"fabs": 0.2}, "split": {}, "actions": [], "onshore": 0.75})
    assert orders.onshore == 0.75 and Orders.from_dict(orders.as_dict()) == orders
    assert "onshore" not in Orders().as_dict()  # no order: the scenario's default, and older saves' shape
    assert orders.to_batch(TABLES, 0).onshore.tolist() == [0.75]
    assert Orders().to_batch(TABLES, 0).onshore.tolist() == [BASE.sides.us.new_fabs_onshore_share]
