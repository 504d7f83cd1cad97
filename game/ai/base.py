"""The strategy interface and how a strategy is found by id or path."""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np

from game.content import default_content_dir
from game.engine.orders import OrderBatch
from game.text import OneLine

AI_IDS = ("easy", "normal", "hard")


class StrategyError(OneLine, ValueError):
    """A strategy that cannot be found or loaded; the message says which and why."""


@attrs.frozen(eq=False)
class Decision:
    """One side's orders for every game of a batch, and one line per game saying why."""

    orders: OrderBatch
    reasons: tuple[str, ...]


class Strategy:
    """Decides one side's orders for every game of a batch, from that side's view only.

    `think` decides and explains in one pass (a search runs once); `decide` is the same orders without
    the lines, for batches where no one reads them.
    """

    id = "strategy"
    name = "Strategy"

    def think(self, world, side: int) -> Decision:
        raise NotImplementedError

    def decide(self, world, side: int) -> OrderBatch:
        return self.think(world, side).orders


def strategies_dir(content_root: Path | None = None) -> Path:
    return (content_root or default_content_dir()) / "strategies"


def builtin_ids(content_root: Path | None = None) -> list[str]:
    folder = strategies_dir(content_root)
    scripted = sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []
    return sorted(set(scripted) | set(AI_IDS) | {"random"})


def own_legal(world, side: int, legal: np.ndarray | None = None) -> np.ndarray:
    """The side's own legal actions (the rest masked out); `legal`: legal_actions(world), if the caller has it."""
    from game.engine import legal_actions

    return (legal_actions(world) if legal is None else legal) & (world.tables.action_side == side)
