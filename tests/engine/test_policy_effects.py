"""Rules 3 (DESIGN.md item 5): every policy does something the verdict scores, through the engine."""

from __future__ import annotations

import numpy as np

from game.content import load_content
from game.engine import CATEGORIES, OrderBatch, Tables, World, legal_actions, new_world, resolve
from game.engine.state import FLOWS

CONTENT = load_content()
T25 = Tables(CONTENT, CONTENT.scenario("2025"))
GRANTS, LOSSES, COMPUTE = FLOWS.index("grants"), FLOWS.index("losses"), FLOWS.index("compute")
IMPORTED = 1


def orders(world: World, money: dict[int, dict[str, float]], policies: dict[int, tuple[str, ...]] | None = None
           ) -> tuple[OrderBatch, OrderBatch]:
    out = []
    legal = legal_actions(world)
    for side in (0, 1):
        alloc = np.zeros((world.batch, len(CATEGORIES)))
        for key, share in money.get(side, {}).items():
            alloc[:, CATEGORIES.index(key)] = share
        acts = np.zeros((world.batch, len(world.tables.actions)), dtype=bool)
        for pid in (policies or {}).get(side, ()):
            a = world.tables.action_index[(pid, side)]
            acts[:, a] = legal[:, a]
        out.append(OrderBatch(alloc, np.tile([0.4, 0.4, 0.2], (world.batch, 1)), acts))
    return out[0], out[1]


def test_the_licence_fee_moves_from_the_importer_to_the_exporter_each_quarter() -> None:
    """Aug 2025 (REFERENCE s5): 15% of China's spend on licensed chips, from China's treasury to the US's, every
    quarter the licence is in force and China buys them."""
    world = new_world(T25, [1, 2, 3])
    money = {0: {"compute": 0.3}, 1: {"compute": 0.6}}
    control = resolve(world, *orders(world, money))
    world = resolve(world, *orders(world, money, {0: ("license_for_revenue_share",)}))
    assert np.array_equal(control.flows_busd[:, :, GRANTS], np.zeros((3, 2)))  # no event gives money here
    assert np.array_equal(control.flows_busd[:, :, LOSSES], np.zeros((3, 2)))
    for _ in range(3):  # the fee is paid every quarter, not once
        before = world
        world = resolve(world, *orders(world, money))
        chip = T25.import_chip(before.turn, world.export_tier)
        assert (world.chips_bought[:, 1, IMPORTED] > 0).all()
        price = T25.chip_price_busd[chip] * world.modifiers[:, 1, T25.mod_index["chip_price"]]
        fee = world.chips_bought[:, 1, IMPORTED] * price * 0.15
        assert np.allclose(world.flows_busd[:, 0, GRANTS], fee, rtol=1e-12, atol=0)
        assert np.array_equal(world.flows_busd[:, 0, GRANTS], world.flows_busd[:, 1, LOSSES])
        assert (world.flows_busd[:, 1, GRANTS] == 0).all() and (world.flows_busd[:, 0, LOSSES] == 0).all()
