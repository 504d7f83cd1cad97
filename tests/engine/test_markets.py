"""Shared application markets: the two sides' adoption are shares of one world market, priced per side."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from game.content import load_content
from game.engine import Tables, apps, new_world, observe
from tests.budget import examples

CONTENT = load_content()
TABLES = Tables(CONTENT, CONTENT.scenario("2025"))
SECTORS = len(CONTENT.sectors)
share = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def markets(draw):
    """Adoption inside the bounds (each world market's two shares within what the rest leaves), pulls and a
    switching rate, for a small batch."""
    batch = draw(st.integers(1, 4))
    national = draw(hnp.arrays(bool, SECTORS))
    rest = draw(st.floats(0.0, 0.9))
    open_share = np.where(national, 1.0, 1.0 - rest)
    a = draw(hnp.arrays(np.float64, (batch, 2, SECTORS), elements=share))
    b = draw(hnp.arrays(np.float64, (batch, 2, SECTORS), elements=share))
    # A point on the simplex scaled into the open share (national sectors: any share each).
    held = a[:, 0] + a[:, 1]
    scaled = a / np.maximum(held, 1.0)[:, None] * open_share * b[:, :1]
    adoption = np.where(national, a, scaled)
    pull = draw(hnp.arrays(np.float64, (batch, 2, SECTORS), elements=st.floats(0.0, 3.0)))
    zero = draw(hnp.arrays(bool, (batch, 2, SECTORS)))
    pull = np.where(zero, 0.0, pull)
    switching = draw(st.floats(0.0, 1.0))
    return adoption, pull, open_share, national, switching


@settings(max_examples=examples(300), deadline=None)
@given(markets())
def test_shared_market_never_above_what_the_rest_leaves(case) -> None:
    adoption, pull, open_share, national, switching = case
    out = apps.contest(adoption, pull, open_share, national, switching)
    assert (out >= 0).all() and (out <= 1).all()
    held = out[:, 0] + out[:, 1]
    world = ~national
    # us + cn + rest <= 1 in every world market
    assert (held[:, world] <= open_share[world] + 1e-12).all()


@settings(max_examples=examples(200), deadline=None)
@given(markets())
def test_without_pull_nobody_moves_and_with_one_side_pulling_only_it_gains(case) -> None:
    adoption, pull, open_share, national, switching = case
    assert np.array_equal(apps.contest(adoption, np.zeros_like(pull), open_share, national, switching), adoption)
    only_us = pull.copy()
    only_us[:, 1] = 0.0
    out = apps.contest(adoption, only_us, open_share, national, switching)
    assert (out[:, 0] >= adoption[:, 0] - 1e-15).all()
    assert (out[:, 1] <= adoption[:, 1] + 1e-15).all()
    # In a world market the rival loses its switchers to a side that pulls; at home it keeps them.
    lost = adoption[:, 1] - out[:, 1]
    expect = np.where(national | (only_us[:, 0] == 0), 0.0, switching * adoption[:, 1])
    assert np.allclose(lost, expect, rtol=1e-9, atol=1e-15)


def test_the_rival_is_taken_from_only_through_switching() -> None:
    """A full market: whatever one side spends, it gains exactly the switchers it wins."""
    open_share = np.full(SECTORS, 0.85)
    national = np.zeros(SECTORS, dtype=bool)
    adoption = np.zeros((1, 2, SECTORS))
    adoption[0, 0], adoption[0, 1] = 0.5, 0.35
    pull = np.zeros((1, 2, SECTORS))
    pull[0, 0], pull[0, 1] = 3.0, 1.0
    out = apps.contest(adoption, pull, open_share, national, 0.04)
    switchers = 0.04 * 0.85
    assert np.allclose(out[0, 0], 0.5 * 0.96 + switchers * 0.75)
    assert np.allclose(out[0, 1], 0.35 * 0.96 + switchers * 0.25)
    assert np.allclose(out[0].sum(axis=0), 0.85)


def test_a_side_earns_its_share_at_its_own_token_price() -> None:
    """Equal shares, equal everything else: revenue in the ratio of the scenario's token prices, while
    inference demand (every customer needs serving) is the same for both."""
    world = new_world(TABLES, [1])
    world.adoption[:] = 0.3
    world.capability[:] = 80.0
    world.efficiency_log10[:] = 1.0
    world.mindshare[:] = 0.4
    world.modifiers[:] = np.where(TABLES.mod_is_add, 0.0, 1.0)
    apps.deploy(world, np.array([[5.0, 5.0]]), np.array([[1e40, 1e40]]))
    assert np.array_equal(world.adoption[:, 0], world.adoption[:, 1])
    mult = TABLES.revenue_mult
    assert mult[1] < mult[0]  # REFERENCE s7: China's tokens sell for less
    assert np.isclose(world.revenue_busd[0, 1] / world.revenue_busd[0, 0], mult[1] / mult[0])
    market = world.market_busd[:, None, :]
    demand = apps.inference_demand(TABLES, world.adoption, market, world.efficiency_log10)
    assert demand[0, 0] == demand[0, 1]


def test_deployment_bar_is_reachable_by_one_side_only() -> None:
    world = new_world(TABLES, [1])
    open_share = TABLES.sector_open_share
    world.adoption[:] = 0.0
    world.adoption[0, 0] = open_share   # the US holds every market the rest leaves
    dep = observe.deployment(world)[0]
    assert np.isclose(dep[0], 1.0) and dep[1] == 0.0
    # Split evenly, neither side passes the decisive lead's deployment bar.
    world.adoption[0, 0] = open_share * np.where(TABLES.sector_national, 1.0, 0.5)
    world.adoption[0, 1] = world.adoption[0, 0]
    dep = observe.deployment(world)[0]
    assert (dep < TABLES.scoring.decisive_deployment).all()


def test_starting_adoption_leaves_the_rest_of_the_world_its_share() -> None:
    for sid in ("2025", "2022"):
        t = Tables(CONTENT, CONTENT.scenario(sid))
        w = new_world(t, [0])
        held = w.adoption[0, 0] + w.adoption[0, 1]
        assert (held <= t.sector_open_share).all(), sid
