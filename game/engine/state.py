"""World state: the schema's fields as numpy arrays with a leading batch axis; copying, slicing, digest."""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

import numpy as np

from game.engine import jit
from game.engine.mathx import every
from game.schema import (  # declared with the schema, imported from here by the rules (re-exported: `as`)
    CHIPS as CHIPS,
)
from game.schema import (
    DOMESTIC as DOMESTIC,
)
from game.schema import FIELD_NAMES, FIELDS, FIXED_DIMS, Fields
from game.schema import (
    FLOPS as FLOPS,
)
from game.schema import (
    FLOWS as FLOWS,
)
from game.schema import (
    FLOWS_IN as FLOWS_IN,
)
from game.schema import (
    FLOWS_OUT as FLOWS_OUT,
)
from game.schema import (
    MW as MW,
)
from game.schema import (
    OBS as OBS,
)
from game.schema import (
    VERDICT_PARTS as VERDICT_PARTS,
)

if TYPE_CHECKING:
    from game.engine.tables import Tables

WINNERS = ("us", "cn", "draw")
REASONS = ("", "decisive_lead", "bankruptcy", "track")
# The codes of world.winner and world.reason (indices into the two tuples above).
US, CN, DRAW = 0, 1, 2
DECISIVE, BANKRUPTCY, TRACK = 1, 2, 3
LEAD_TIE_MONTHS = 0.01  # leads within this many months of each other are level (scoring.settle's tie-break)


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
        # Built directly (World(...) would build the dict of fields twice): a game's quarter copies it once.
        new = World.__new__(World)
        new.tables = self.tables
        fields = vars(self)
        vars(new).update({name: fields[name].copy() for name in self.names})
        return new

    def take(self, index: np.ndarray | list[int] | slice) -> World:
        """A sub-batch (copied)."""
        if isinstance(index, slice):
            return World(self.tables, {k: v[index].copy() for k, v in self.arrays().items()})
        idx = np.asarray(index, dtype=np.int64)
        # np.take gathers into a new array: one copy (an index array's v[idx] is a copy already), the faster gather
        return World(self.tables, {k: np.take(v, idx, axis=0) for k, v in self.arrays().items()})

    def repeat(self, n: int) -> World:
        """A batch of n copies of game 0 (for look-ahead from one position)."""
        return World(self.tables, {k: np.repeat(v[:1], n, axis=0) for k, v in self.arrays().items()})

    @staticmethod
    def concat(worlds: list[World]) -> World:
        names = worlds[0].names
        return World(worlds[0].tables, {k: np.concatenate([getattr(w, k) for w in worlds]) for k in names})

    def digest(self, index: int = 0) -> str:
        return digests(self)[index]


def at_one_turn(turn: np.ndarray) -> bool:
    """Whether every game of the batch is at one turn (a game alone is: no comparison needed)."""
    return turn.size == 1 or bool(turn.size) and every(turn == turn[0])


def one_turn(turn: np.ndarray) -> np.ndarray:
    """`turn`, or its first element alone (shape (1,)) when every game of the batch is at that turn: a figure
    worked out from it then broadcasts over the batch as a number."""
    if at_one_turn(turn):
        return turn[:1]
    return turn


def turns_in(turn: np.ndarray, rows: int) -> bool:
    """Whether there is a game and every game's turn is a row of a by-turn table of `rows` rows (0 .. rows - 1)."""
    if turn.size == 1:  # a game alone: its turn, without two reductions
        return 0 <= int(turn.item()) < rows
    return bool(turn.size) and 0 <= turn.min() and turn.max() < rows


def quarter_name(year: float) -> str:
    """A calendar year with fractional quarters (Tables.year: 2025.5) as its quarter: 2025 Q3."""
    return f"{int(year)} Q{int(round((year % 1) * 4)) + 1}"


def rows_by_turn(table: np.ndarray, turn: np.ndarray) -> np.ndarray:
    """table[min(turn, its last row)] for each game, (batch, ...): one row repeated when every game is at one turn
    (a copy of one row is cheaper than gathering as many)."""
    last = len(table) - 1
    if at_one_turn(turn):
        row = table[min(int(turn[0]), last)][None]
        return row.copy() if turn.size == 1 else np.repeat(row, turn.size, axis=0)
    rows: np.ndarray = table[np.minimum(turn, last)]
    return rows


def by_turn(table: np.ndarray, turn: np.ndarray) -> np.ndarray:
    """table[min(turn, its last row)] for each game, shaped (batch, 1, ...) to broadcast over a side axis; one row,
    (1, 1, ...), when every game of the batch is at one turn (the usual batch), which broadcasts as a number."""
    last = len(table) - 1
    if at_one_turn(turn):
        row: np.ndarray = table[min(int(turn[0]), last)][None, None]
        return row
    rows: np.ndarray = table[np.minimum(turn, last)][:, None]
    return rows


def ring_slot(a: np.ndarray, turn: np.ndarray) -> np.ndarray | None:
    """The element of a ring field (its last axis indexed by turn) that every game's turn points at, as a view,
    when every game of the batch is at one turn (the usual batch: games start together); else None (then
    at_last_axis)."""
    if not at_one_turn(turn):
        return None
    view: np.ndarray = a[..., int(turn[0]) % a.shape[-1]]
    return view


def along_batch(a: np.ndarray) -> np.ndarray:
    """A (batch, 2) figure as (2, batch), contiguous (a copy). Layers that work with the batch as the last axis
    (apps, fabs: a side's figure then broadcasts over whole rows of games, which numpy does at full speed, where
    along a short last axis it crawls) read their per-side figures so; a result takes its operands' layout."""
    return np.ascontiguousarray(a.T)


def flat_view(a: np.ndarray) -> np.ndarray:
    """A state field as one flat view that writes through (see at_last_axis)."""
    if not a.flags.c_contiguous:
        raise ValueError("a state field is not C-contiguous; a flat view would be a copy")
    return a.reshape(-1)


def at_last_axis(a: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A flat view of `a` and the flat positions of a[i, j, ..., k[i, j, ...]]: one element of the last axis
    for each position of the others, `k` broadcast over them. Reading and writing through the two is the
    same as that fancy indexing, several times faster on a large batch (the rings and per-node stocks).
    Every state field is C-contiguous (made by numpy, copied whole), so the view writes through."""
    flat = flat_view(a)
    starts = _ROW_STARTS.get(a.shape)
    if starts is None:
        if len(_ROW_STARTS) >= 64:  # batches of many sizes (look-ahead): keep the table small
            _ROW_STARTS.clear()
        lead = a.shape[:-1]
        starts = _ROW_STARTS[a.shape] = np.arange(a.size // a.shape[-1]).reshape(lead) * a.shape[-1]
    pos = starts + k
    if pos.shape != starts.shape:
        pos = np.broadcast_to(pos, starts.shape)  # k wider than the field's other axes would index elsewhere
    return flat, pos


# The flat position of each row's first element, by field shape (at_last_axis): the same every quarter.
_ROW_STARTS: dict[tuple[int, ...], np.ndarray] = {}


FLOAT_FIELDS = tuple(name for name, f in FIELDS.items() if f.dtype == "f8")
SMALL_BATCH = 16  # games: where a quarter's cost is numpy's per-call cost, not the arithmetic


class NonFiniteState(ArithmeticError):
    """NaN or infinity in the state: an engine bug, or content the check let through that it should not have
    (the rules keep every number finite for content that passes `content check`)."""


def check_finite(world: World) -> None:
    """Raise NonFiniteState if any float field holds NaN or infinity, naming the field, the quarter just played
    and the game's seed (one pass over the state: a few percent of a quarter's time)."""
    if jit.active(world.batch):
        from game.engine.kernels import state as k

        if k.all_finite(world, FLOAT_FIELDS):
            return  # else the numpy code below finds the field, the game and the quarter to name
    if world.batch <= SMALL_BATCH:
        # A few games: one sum over every float field at once (a call a field costs more than the sums), gathered
        # as their bytes joined (a third of the cost of numpy's concatenate of so many small arrays).
        fields = vars(world)
        total = np.add.reduce(np.frombuffer(b"".join([fields[name].tobytes() for name in FLOAT_FIELDS])))
        if math.isfinite(total):
            return
    for name in FLOAT_FIELDS:
        values = getattr(world, name)
        total = np.add.reduce(values, axis=None)
        # One pass, no temporary: a NaN or an infinity makes the sum NaN or infinite (a sum of finite values
        # that overflows does too, and the exact test below clears it).
        if math.isfinite(total) or np.isfinite(values).all():
            continue
        flat = values.reshape(world.batch, -1)
        game, at = (int(k) for k in np.argwhere(~np.isfinite(flat))[0])
        played = int(world.turn[game])
        year = float(world.tables.year(np.array(played - 1)))
        raise NonFiniteState(f"state field {name} holds {flat[game, at]} (element {at}) after quarter {played} "
                             f"({quarter_name(year)}) of the game with seed "
                             f"{int(world.seed[game])}")


def canonical_bits(values: np.ndarray, names: list[str] | None = None, widths: list[int] | None = None) -> np.ndarray:
    """The exact bits of float64 values as int64 (-0.0 as 0.0), refusing NaN and infinity by field name."""
    if not np.isfinite(values).all():
        raise NonFiniteState(_where_not_finite(values, names, widths))
    return (values + 0.0).view(np.int64)  # x + 0.0 is x, except -0.0 + 0.0 = +0.0


def _where_not_finite(values: np.ndarray, names: list[str] | None, widths: list[int] | None) -> str:
    game, col = (int(k) for k in np.argwhere(~np.isfinite(values.reshape(values.shape[0], -1)))[0])
    value = values.reshape(values.shape[0], -1)[game, col]
    name, at = "a float field", col
    for field, width in zip(names or [], widths or []):
        if at < width:
            name = field
            break
        at -= width
    return (f"state field {name} holds {value} (game {game}, element {at}): NaN and infinity never belong in the "
            "state; this is an engine bug")


def digests(world: World) -> list[str]:
    """Canonical sha256 per game over every field in sorted name order: the exact bits of each value
    (ints and bools as little-endian int64, floats as their IEEE bits with -0.0 as 0.0). NaN or
    infinity raises NonFiniteState naming the field."""
    names = sorted(world.names)
    flat = {name: getattr(world, name).reshape(world.batch, -1) for name in names}
    floats = [name for name in names if flat[name].dtype == np.float64]
    # All float fields checked and converted in one call, then laid back in name order.
    spans, at = {}, 0
    if floats:
        widths = [flat[name].shape[1] for name in floats]
        bits = canonical_bits(np.concatenate([flat[name] for name in floats], axis=1), floats, widths)
        for name, width in zip(floats, widths):
            spans[name] = bits[:, at:at + width]
            at += width
    parts = [spans[name] if name in spans else flat[name].astype(np.int64) for name in names]
    rows = np.ascontiguousarray(np.concatenate(parts, axis=1), dtype="<i8")
    return [hashlib.sha256(row.tobytes()).hexdigest() for row in rows]
