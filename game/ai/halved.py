"""A strategy with one budget row halved for the whole game (`normal-half:fabs`): what balance --rows measures."""

from __future__ import annotations

import numpy as np

from game.ai.base import Decision, Strategy
from game.engine.orders import OrderBatch
from game.engine.tables import CATEGORIES

HALF = "-half:"  # `normal-half:fabs`: normal with its fabs share halved every quarter
ROW_CUT = 0.5    # the share of the row kept (DESIGN "Rules 3": "halving a budget row for the whole game")


def halve_row(allocation: np.ndarray, row: int) -> np.ndarray:
    """`allocation` (batch, rows) with `row`'s share halved and the freed share spread over the other rows in
    proportion to theirs, so the side spends as much as before and only its mix changes (a game with nothing in
    the other rows keeps the freed share unspent)."""
    out = allocation.copy()
    freed = out[:, row] * (1.0 - ROW_CUT)
    out[:, row] -= freed
    others = out.sum(axis=1) - out[:, row]
    scale = np.where(others > 0, 1.0 + freed / np.where(others > 0, others, 1.0), 1.0)
    kept = out[:, row].copy()
    out *= scale[:, None]
    out[:, row] = kept
    return out


class HalvedRow(Strategy):
    """`base`'s orders with budget row `row` (engine.tables.CATEGORIES) halved; everything else as `base` decides."""

    def __init__(self, base: Strategy, row: str, spec: str) -> None:
        self.base = base
        self.row = CATEGORIES.index(row)
        self.id = spec
        self.name = f"{base.name} with {row} halved"

    def halved(self, orders: OrderBatch) -> OrderBatch:
        return OrderBatch(halve_row(orders.allocation, self.row), orders.split, orders.actions, orders.onshore)

    def decide(self, world, side: int) -> OrderBatch:
        return self.halved(self.base.decide(world, side))

    def think(self, world, side: int) -> Decision:
        seen = self.base.think(world, side)
        return Decision(self.halved(seen.orders), seen.reasons)
