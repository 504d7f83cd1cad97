"""World state: the schema's fields as numpy arrays with a leading batch axis; copying, slicing, digest."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import numpy as np

from game.schema import FIELD_NAMES, FIELDS, FIXED_DIMS, Fields
from game.schema import (  # noqa: F401  (declared with the schema, imported from here by the rules)
    CHIPS, DOMESTIC, FLOPS, FLOWS, FLOWS_IN, FLOWS_OUT, MW, OBS, SCORE_PARTS,
)

if TYPE_CHECKING:
    from game.engine.tables import Tables

WINNERS = ("us", "cn", "draw")
REASONS = ("", "transformative_ai", "bankruptcy", "score")


def shapes(t: Tables) -> dict[str, tuple[np.dtype, tuple[int, ...]]]:
    """Every field's dtype and shape after the batch axis, sized by the content (see game/schema.py)."""
    sizes = dict(FIXED_DIMS, nodes=len(t.nodes), sectors=len(t.sectors),
                 fleet_life=t.rules.supply.fleet_life_quarters, actions=len(t.actions), events=len(t.events),
                 fab_slots=t.fab_slots, power_slots=t.power_slots, modifiers=len(t.mod_index))
    return {name: (np.dtype(f.dtype), tuple(sizes[d] for d in f.dims)) for name, f in FIELDS.items()}


class World(Fields):
    """A batch of games: the fields declared in game/schema.py, each an array with a leading batch axis.
    `tables` is shared between copies, not copied."""

    names = FIELD_NAMES
    tables: Tables

    def __init__(self, tables: Tables, arrays: dict[str, np.ndarray]) -> None:
        self.tables = tables
        vars(self).update({name: arrays[name] for name in FIELD_NAMES})

    @property
    def batch(self) -> int:
        return int(self.seed.shape[0])

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self.names}

    def copy(self) -> World:
        return World(self.tables, {k: v.copy() for k, v in self.arrays().items()})

    def take(self, index: np.ndarray | list[int] | slice) -> World:
        """A sub-batch (copied)."""
        if isinstance(index, slice):
            return World(self.tables, {k: v[index].copy() for k, v in self.arrays().items()})
        idx = np.asarray(index, dtype=np.int64)
        return World(self.tables, {k: v[idx].copy() for k, v in self.arrays().items()})

    def repeat(self, n: int) -> World:
        """A batch of n copies of game 0 (for look-ahead from one position)."""
        return World(self.tables, {k: np.repeat(v[:1], n, axis=0) for k, v in self.arrays().items()})

    @staticmethod
    def concat(worlds: list[World]) -> World:
        names = worlds[0].names
        return World(worlds[0].tables, {k: np.concatenate([getattr(w, k) for w in worlds]) for k in names})

    def digest(self, index: int = 0) -> str:
        return digests(self)[index]


def quantise(values: np.ndarray) -> np.ndarray:
    """Round floats to ~9 significant digits (30-bit mantissa) as int64 pairs, hiding last-bit noise."""
    v = np.where(np.isfinite(values), values, 0.0)
    mant, expo = np.frexp(v)
    return np.stack([np.rint(mant * (1 << 30)).astype(np.int64), expo.astype(np.int64)], axis=-1)


def digests(world: World) -> list[str]:
    """Canonical sha256 per game over every field in sorted name order, floats quantised."""
    names = sorted(world.names)
    flat = {name: getattr(world, name).reshape(world.batch, -1) for name in names}
    floats = [name for name in names if flat[name].dtype == np.float64]
    # All float fields quantised in one call (the same pairs as field by field), then laid back in order.
    q = quantise(np.concatenate([flat[name] for name in floats], axis=1)) if floats else None
    spans, at = {}, 0
    for name in floats:
        width = flat[name].shape[1]
        spans[name] = q[:, at:at + width].reshape(world.batch, -1)
        at += width
    parts = [spans[name] if name in spans else flat[name].astype(np.int64) for name in names]
    rows = np.ascontiguousarray(np.concatenate(parts, axis=1))
    return [hashlib.sha256(row.tobytes()).hexdigest() for row in rows]
