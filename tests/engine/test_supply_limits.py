"""Limits on the supply chain: domestic EUV never before its earliest date, packaging/HBM growth capped."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game.content import load_content
from game.engine import Tables, litho, new_world, policy, supply
from tests.budget import examples

CONTENT = load_content()
TABLES = {sid: Tables(CONTENT, CONTENT.scenario(sid)) for sid in ("2025", "2022")}
SUP = CONTENT.rules.supply
money = st.floats(0.0, 1e6, allow_nan=False)


@settings(max_examples=examples(40), deadline=None)
@given(seeds=st.lists(st.integers(0, 2**40), min_size=1, max_size=8, unique=True),
       amounts=st.lists(money, min_size=40, max_size=40), scenario=st.sampled_from(["2025", "2022"]))
def test_euv_not_before_its_earliest_date(seeds: list[int], amounts: list[float], scenario: str) -> None:
    """Any lithography money, any seed: no domestic EUV in a quarter before the earliest year."""
    t = TABLES[scenario]
    world = new_world(t, seeds)
    for turn, amount in enumerate(amounts):
        world.turn[:] = turn
        litho.buy_tools(world, np.full((len(seeds), 2), amount))
        early = t.year(world.turn) < SUP.euv_domestic_earliest_year
        assert not (world.euv_domestic & early[:, None] & ~t.allied_euv).any(), f"EUV at turn {turn}"


def test_euv_earliest_date_is_the_sources() -> None:
    # REFERENCE s9: none by 2025; no source expects it before ~2028 (and < 10% of 2025 games by 2027Q4).
    assert SUP.euv_domestic_earliest_year >= 2028
    assert 0 < SUP.euv_domestic_chance_per_q < 1


def test_a_funded_program_delivers_after_the_earliest_date() -> None:
    """The program is hard, not impossible: with the money in, most games have EUV within a few years of the date."""
    t = TABLES["2025"]
    world = new_world(t, list(range(200)))
    first = np.full(200, -1)
    for turn in range(t.scenario.turns):
        world.turn[:] = turn
        litho.buy_tools(world, np.full((200, 2), 50.0))
        first = np.where((first < 0) & world.euv_domestic[:, 1], turn, first)
    years = t.year(first[first >= 0])
    assert (years >= SUP.euv_domestic_earliest_year).all()
    assert (first >= 0).mean() > 0.9
    assert np.median(years) < SUP.euv_domestic_earliest_year + 2  # ~15% a quarter: a median ~1 year late
    assert len(np.unique(years)) > 3  # by chance: not all in the same quarter


@settings(max_examples=examples(60), deadline=None)
@given(seeds=st.lists(st.integers(0, 2**40), min_size=1, max_size=4, unique=True),
       amounts=st.lists(money, min_size=12, max_size=12), tier=st.integers(0, 4))
def test_packaging_growth_never_above_the_cap(seeds: list[int], amounts: list[float], tier: int) -> None:
    t = TABLES["2022"]
    world = new_world(t, seeds)
    world.export_tier[:] = tier
    policy.compute_modifiers(world)
    mod = world.modifiers[:, :, t.mod_index["packaging_growth"]]
    per_q = (1.0 + SUP.packaging_max_growth_per_year * mod) ** 0.25
    for amount in amounts:
        before = world.packaging_chips_per_q.copy()
        pay = np.full((len(seeds), 2), amount)
        spent = supply.build_packaging(world, pay)
        after = world.packaging_chips_per_q
        cap = np.maximum(before * per_q, before + SUP.packaging_min_add_chips_per_q)
        assert (after <= cap * (1 + 1e-12)).all()
        assert (after >= before).all()
        assert ((spent >= 0) & (spent <= pay)).all()
        cost = SUP.packaging_busd_per_kchips_q * world.modifiers[:, :, t.mod_index["fab_cost"]] / 1000.0
        assert np.allclose(spent, (after - before) * cost, rtol=1e-9, atol=1e-12)


def test_packaging_grows_at_most_the_sourced_rate_a_year() -> None:
    """REFERENCE s4: CoWoS ~2.4x a year at the fastest; under the Dec 2024 HBM controls China grows slower."""
    t = TABLES["2025"]
    world = new_world(t, [3])
    start = world.packaging_chips_per_q.copy()
    for _ in range(4):
        supply.build_packaging(world, np.full((1, 2), 1e6))
    year = world.packaging_chips_per_q / start
    assert year[0, 0] <= 1.0 + SUP.packaging_max_growth_per_year + 1e-9
    assert year[0, 0] > 2.0   # the cap binds, not the money
    assert year[0, 1] < year[0, 0]
    assert year[0, 1] <= 1.0 + SUP.packaging_max_growth_per_year * 0.2 + 1e-9
