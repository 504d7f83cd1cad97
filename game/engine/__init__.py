"""The Compute Race engine: pure, batched rules over numpy state. No I/O, no clock, no interface."""

from game.engine.orders import OrderBatch, OrderError, Orders
from game.engine.policy import legal_actions
from game.engine.resolve import resolve
from game.engine.start import new_world
from game.engine.state import World, digests
from game.engine.tables import CATEGORIES, SIDES, SPLITS, Tables

__all__ = ["CATEGORIES", "OrderBatch", "OrderError", "Orders", "SIDES", "SPLITS", "Tables", "World",
           "digests", "legal_actions", "new_world", "resolve"]
