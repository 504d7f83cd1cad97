"""The strategy interface and how a strategy is found by id or path."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from game.atomic import kind
from game.content import ContentError, default_content_dir, display_name
from game.engine.orders import OrderBatch
from game.text import OneLine, path_text, quote


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
    found = kind(path)
    if spec.endswith(".toml") or found == "file":
        if found != "file":
            raise StrategyError(f"strategy file {path_text(spec)} not found; give a built-in id "
                                f"({', '.join(builtin_ids(content_root))}) or a path to a .toml file")
        try:
            return load_scripted(path, str(path))
        except ContentError as exc:
            raise StrategyError(str(exc)) from None
    candidate = strategies_dir(content_root) / f"{spec}.toml"
    if kind(candidate) == "file":
        try:
            return load_scripted(candidate, display_name(candidate, content_root or default_content_dir()))
        except ContentError as exc:
            raise StrategyError(str(exc)) from None
    raise StrategyError(f"unknown strategy {quote(spec)}; use one of {', '.join(builtin_ids(content_root))} "
                        "or a path to a .toml file")


def own_legal(world, side: int) -> np.ndarray:
    """The side's own legal actions (the rest masked out)."""
    from game.engine import legal_actions

    return legal_actions(world) & (world.tables.action_side == side)
