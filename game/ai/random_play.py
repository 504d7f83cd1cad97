"""A seeded strategy that plays random legal orders (for fuzzing and as the weakest baseline)."""

from __future__ import annotations

import numpy as np

from game.ai.base import Decision, Strategy, own_legal
from game.engine import mathx, streams
from game.engine.orders import OrderBatch
from game.engine.tables import CATEGORIES, SPLITS


class RandomStrategy(Strategy):
    id = "random"
    name = "Random"

    def __init__(self, action_rate: float = 0.1) -> None:
        self.action_rate = action_rate

    def decide(self, world, side: int) -> OrderBatch:
        n_cat, n_split = len(CATEGORIES), len(SPLITS)
        n_act = len(world.tables.actions)
        idx = np.arange(n_cat + n_split + 1 + n_act + 1)[None, :]
        u = mathx.uniform(world.seed[:, None], world.turn[:, None], streams.RANDOM_PLAY + side, idx)
        raw = u[:, :n_cat] + 0.05
        spend = 0.5 + 0.5 * u[:, n_cat + n_split]
        alloc = raw / mathx.rowsum(raw)[:, None] * spend[:, None]
        split_raw = u[:, n_cat:n_cat + n_split] + 0.05
        split = split_raw / mathx.rowsum(split_raw)[:, None]
        actions = own_legal(world, side) & (u[:, n_cat + n_split + 1:-1] < self.action_rate)
        return OrderBatch(alloc, split, actions, u[:, -1])  # the onshore share: the last draw

    def think(self, world, side: int) -> Decision:
        return Decision(self.decide(world, side), ("Random: shares and actions drawn at random",) * world.batch)
