"""Rules 3 (DESIGN.md items 3 and 5): `normal` values a foreign chip by the whole verdict as it believes the world,
so the verdict's weights, the state of the race and its intelligence on the rival each move what it decides."""

from __future__ import annotations

import attrs
import numpy as np

from game.ai import load_strategy, planner
from game.ai.planner import foreign_values
from game.content import load_content
from game.content.vocab import MODIFIERS, STOCKS
from game.engine import Tables, World, new_world, resolve
from game.engine.state import FLOPS

CONTENT = load_content()
NORMAL = load_strategy("normal")
FOREIGN = {1: ("smuggling_network", "stockpile")}  # China's actions that bring chips from abroad


def tables(supply: float | None = None) -> Tables:
    """The 2025 tables; `supply`: the supply part's weight, the frontier part's moved by as much the other way."""
    content = CONTENT
    if supply is not None:
        sc = content.scoring
        content = attrs.evolve(content, scoring=attrs.evolve(sc, supply=supply, frontier=sc.frontier + sc.supply - supply))
    return Tables(content, content.scenario("2025"))


def values(world: World, side: int, ids: tuple[str, ...]) -> np.ndarray:
    t = world.tables
    return foreign_values(world, side)[:, [t.action_index[(pid, side)] for pid in ids]]


def taken(world: World, side: int, pid: str) -> np.ndarray:
    return NORMAL.decide(world, side).actions[:, world.tables.action_index[(pid, side)]]


def test_a_heavier_supply_part_makes_foreign_chips_worth_less_and_changes_the_choice() -> None:
    """Foreign chips feed compute and the frontier and cost the side supply: weigh supply more and they are worth
    less (and a mandate that keeps them out more); weigh it less and normal funds the smuggling network."""
    seeds = list(range(1, 9))
    light, heavy = new_world(tables(0.10), seeds), new_world(tables(0.50), seeds)
    assert (values(light, 1, FOREIGN[1]) > values(heavy, 1, FOREIGN[1])).all()
    assert (values(light, 1, ("domestic_mandate",)) < values(heavy, 1, ("domestic_mandate",))).all()
    assert taken(light, 1, "smuggling_network").sum() > taken(heavy, 1, "smuggling_network").sum()


def test_a_foreign_chip_is_worth_what_it_moves_in_this_race() -> None:
    """The same content, two races: a China with a tenth of the chips gains more of the compute part (and more
    frontier) from each foreign chip, so it values the same smuggling network more. A fixed rule cannot tell."""
    world = new_world(tables(), list(range(1, 9)))
    small = world.copy()
    small.fleet[:, 1] *= 0.1
    small.fleet_total[:, 1] *= 0.1
    small.compute_flops[:, 1] *= 0.1
    assert (small.fleet_total[:, 1, FLOPS] < world.fleet_total[:, 1, FLOPS]).all()
    assert (values(small, 1, FOREIGN[1]) > values(world, 1, FOREIGN[1]) + 0.01).all()

def test_intelligence_changes_decisions_and_a_poor_estimate_chooses_worse() -> None:
    """Intelligence buys decisions: with a large error on its estimates of the rival, normal's orders (where the
    money goes, which policies it takes) differ from those it makes with a small error on the same seeded state,
    and depart further from the orders it would give knowing the truth. Under rules 3's verdict the foreign-chip
    choices alone are rarely near their margin early on, so the whole of the orders is compared, over the first
    quarters, both seats."""
    t = tables()
    world = new_world(t, list(range(1, 65)))
    gap = {"poor": 0.0, "sharp": 0.0}
    acted = {"poor": 0, "sharp": 0}
    for _ in range(4):
        world = resolve(world, NORMAL.decide(world, 0), NORMAL.decide(world, 1))
        for side in (0, 1):
            orders = {}
            for name, level in (("truth", 1e9), ("sharp", 100.0), ("poor", 0.0)):
                w = world.copy()
                w.intel_level[:] = level
                orders[name] = NORMAL.decide(w, side)
            for name in ("poor", "sharp"):
                gap[name] += float(np.abs(orders[name].allocation - orders["truth"].allocation).sum())
                acted[name] += int((orders[name].actions != orders["truth"].actions).any(axis=1).sum())
    assert gap["poor"] > 0.0 and acted["poor"] > 0  # a poor estimate moves money and policies
    assert gap["poor"] > 2 * gap["sharp"] and acted["poor"] > acted["sharp"]


def test_the_foreign_actions_kept_per_content_are_those_of_that_content_and_side() -> None:
    """planner.foreign_actions keeps each content's (and side's) list of actions that move foreign chips: a list
    kept for one side, or for other content, would value the wrong actions. Each agrees with a fresh reckoning."""
    t = tables()
    fewer = attrs.evolve(CONTENT, policies=tuple(p for p in CONTENT.policies if p.id != "smuggling_network"))
    other = Tables(fewer, fewer.scenario("2025"))
    kept = [(tt, side, planner.foreign_actions(tt, side)) for tt in (t, other, t) for side in (0, 1, 0)]
    for tt, side, (relevant, tier_worth) in kept:
        ids = [a for a, act in enumerate(tt.actions) if act.side == side and (
            any(MODIFIERS[e.index] in planner.FOREIGN_MODIFIERS for e in act.modifiers)
            or any(STOCKS[e.index] in planner.FOREIGN_STOCKS for e in act.stocks))]
        assert relevant.tolist() == ids
        assert np.array_equal(tier_worth, planner.tier_values(tt, side))
    # The sides' lists differ, and so do the contents' (one has no smuggling network).
    assert kept[0][2][0].tolist() != kept[1][2][0].tolist() and kept[1][2][0].tolist() != kept[4][2][0].tolist()
