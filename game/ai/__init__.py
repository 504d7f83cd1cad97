"""Strategies: scripted (TOML), random, and the built-in AI opponents."""

from game.ai.base import Decision, Strategy, StrategyError, builtin_ids
from game.ai.registry import load_strategy

__all__ = ["Decision", "Strategy", "StrategyError", "builtin_ids", "load_strategy"]
