"""The strategy interface and how a strategy is found by id or path."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from game.content import default_content_dir
from game.engine.orders import OrderBatch
from game.text import OneLine


AI_IDS = ("easy", "normal", "hard")


class StrategyError(OneLine, ValueError):
    """A strategy that cannot be found or loaded; the message says which and why."""


class Strategy:
    """Decides one side's orders for every game of a batch, from that side's view only."""

    id = "strategy"
    name = "Strategy"

    def decide(self, world, side: int) -> OrderBatch:
        raise NotImplementedError

    def explain(self, world, side: int) -> list[str]:
        """One line per game: why the main moves were chosen."""
        return [f"{self.name}: follows its plan" for _ in range(world.batch)]


def strategies_dir(content_root: Path | None = None) -> Path:
    return (content_root or default_content_dir()) / "strategies"


def builtin_ids(content_root: Path | None = None) -> list[str]:
    folder = strategies_dir(content_root)
    scripted = sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []
    return sorted(set(scripted) | set(AI_IDS) | {"random"})


def own_legal(world, side: int) -> np.ndarray:
    """The side's own legal actions (the rest masked out)."""
    from game.engine import legal_actions

    return legal_actions(world) & (world.tables.action_side == side)
