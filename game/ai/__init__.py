"""Strategies: scripted (TOML), random, and the built-in AI opponents."""

from game.ai.base import Strategy, StrategyError, builtin_ids
from game.ai.registry import load_strategy

__all__ = ["Strategy", "StrategyError", "builtin_ids", "load_strategy"]
