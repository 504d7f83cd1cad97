"""The two sides differ in content, not in code: allied EUV, imports and smuggling follow the scenario."""

from __future__ import annotations

import attrs
import numpy as np

from game.content import load_content
from game.engine import CATEGORIES, OrderBatch, Tables, legal_actions, new_world
from game.engine.litho import has_euv
from game.engine.resolve import advance
from game.engine.state import FLOPS

CONTENT = load_content()
BASE = CONTENT.scenario("2025")
SEEDS = [1, 2, 3]
DOMESTIC, IMPORTED, SMUGGLED = 0, 1, 2  # chips_bought columns


def scenario(us: dict | None = None, cn: dict | None = None):
    sides = attrs.evolve(BASE.sides, us=attrs.evolve(BASE.sides.us, **(us or {})),
                         cn=attrs.evolve(BASE.sides.cn, **(cn or {})))
    return attrs.evolve(BASE, sides=sides)


def play(scen, category: str, turns: int = 1, policy: tuple[str, int] | None = None, content=CONTENT,
         share: float = 0.8):
    """Both sides put a share of their money into one category (and one side may take a policy)."""
    t = Tables(content, scen)
    w = new_world(t, SEEDS)
    b = w.batch
    for _ in range(turns):
        orders = []
        for side in (0, 1):
            alloc = np.zeros((b, len(CATEGORIES)))
            alloc[:, CATEGORIES.index(category)] = share
            acts = np.zeros((b, len(t.actions)), dtype=bool)
            if policy and policy[1] == side:
                a = t.action_index[policy]
                acts[:, a] = legal_actions(w)[:, a]
            orders.append(OrderBatch(alloc, np.tile([0.4, 0.4, 0.2], (b, 1)), acts))
        advance(w, *orders)
    return w


def test_allied_euv_is_the_scenarios_to_give():
    shipped = play(BASE, "lithography", share=0.1)
    assert has_euv(shipped).tolist() == [[True, False]] * len(SEEDS)
    assert (shipped.euv_tools[:, 1] == 0).all() and (shipped.euv_program_busd[:, 1] > 0).all()
    # China without fabs yet, so its tool money splits by idle_euv_money_share.
    swapped = play(scenario(us={"allied_euv": False}, cn={"allied_euv": True, "fab_wafers_per_q": {}}),
                   "lithography", share=0.1)
    assert has_euv(swapped).tolist() == [[False, True]] * len(SEEDS)
    # China now buys allied scanners; the US, cut off, funds a domestic programme instead.
    assert (swapped.euv_tools[:, 1] > 0).all() and (swapped.euv_program_busd[:, 1] == 0).all()
    assert (swapped.euv_program_busd[:, 0] > 0).all()


def test_who_imports_is_the_scenarios_to_say():
    shipped = play(BASE, "compute")
    assert (shipped.chips_bought[:, 0, IMPORTED] == 0).all() and (shipped.chips_bought[:, 1, IMPORTED] > 0).all()
    closed = play(scenario(cn={"imports_chips": False}), "compute")
    assert (closed.chips_bought[:, 1, IMPORTED] == 0).all()
    # Two importers: each buys what the export tier allows, each within its own cap (the US given the power
    # for more chips than its own fabs make: chips go only into power that is on).
    both = play(scenario(us={"imports_chips": True, "power_mw": 60000.0}), "compute")
    assert (both.chips_bought[:, :, IMPORTED] > 0).all()


def test_who_smuggles_is_the_scenarios_to_say():
    network = ("smuggling_network", 1)
    shipped = play(BASE, "compute", turns=2, policy=network)
    assert (shipped.chips_bought[:, 1, SMUGGLED] > 0).all()
    honest = play(scenario(cn={"smuggles_chips": False}), "compute", turns=2, policy=network)
    assert (honest.chips_bought[:, 1, SMUGGLED] == 0).all()
    assert (honest.policy_left[:, Tables(CONTENT, BASE).action_index[network]] > 0).all()  # taken, yet no route


def test_the_smuggled_chip_is_the_rivals_design_some_generations_back():
    network = ("smuggling_network", 1)
    supply = CONTENT.rules.supply
    newest = attrs.evolve(CONTENT, rules=attrs.evolve(CONTENT.rules,
                                                      supply=attrs.evolve(supply, smuggle_generations_back=0)))
    one_back = play(BASE, "compute", turns=2, policy=network)
    current = play(BASE, "compute", turns=2, policy=network, content=newest)
    # The US designs B200s; smuggled B200s carry more FLOP/s than smuggled H100s.
    assert (current.fleet_total[:, 1, FLOPS] > one_back.fleet_total[:, 1, FLOPS]).all()
