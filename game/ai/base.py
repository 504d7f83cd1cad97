"""The strategy interface and how a strategy is found by id or path."""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np

from game.content import ContentError, default_content_dir, display_name
from game.engine.orders import OrderBatch


AI_IDS = ("easy", "normal", "hard")


class StrategyError(ValueError):
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


def load_strategy(spec: str, content_root: Path | None = None) -> Strategy:
    """A built-in id (`balanced`, `random`, ...) or a path to a strategy TOML file."""
    from game.ai.random_play import RandomStrategy
    from game.ai.scripted import load_scripted

    if spec == "random":
        return RandomStrategy()
    if spec in AI_IDS:
        from game.ai.planner import EASY, NORMAL, Planner

        if spec == "hard":
            from game.ai.search import SearchStrategy

            return SearchStrategy()
        return Planner(EASY if spec == "easy" else NORMAL, spec)
    path = Path(spec)
    if spec.endswith(".toml") or path.is_file():
        if not path.is_file():
            raise StrategyError(f"strategy file {spec} not found; give a built-in id "
                                f"({', '.join(builtin_ids(content_root))}) or a path to a .toml file")
        try:
            return load_scripted(path, str(path))
        except ContentError as exc:
            raise StrategyError(str(exc)) from None
    candidate = strategies_dir(content_root) / f"{spec}.toml"
    if candidate.is_file():
        try:
            return load_scripted(candidate, display_name(candidate, content_root or default_content_dir()))
        except ContentError as exc:
            raise StrategyError(str(exc)) from None
    raise StrategyError(f"unknown strategy {spec!r}; use one of {', '.join(builtin_ids(content_root))} "
                        "or a path to a .toml file")


def own_legal(world, side: int) -> np.ndarray:
    """The side's own legal actions (the rest masked out)."""
    from game.engine import legal_actions

    return legal_actions(world) & (world.tables.action_side == side)
