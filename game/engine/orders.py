"""Orders: one side's allocation, compute split and actions; single-game form and batched arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from game.engine import jit
from game.engine.mathx import some
from game.engine.tables import CATEGORIES, SIDES, SPLITS, Tables
from game.text import OneLine, join, key_text, quote

if TYPE_CHECKING:
    from game.engine.state import World

SUM_TOLERANCE = 1e-9
SPLIT_TOLERANCE = 1e-6


class OrderError(OneLine, ValueError):
    """An invalid order: the message names the side, the field and what was wrong.

    `field` is the field alone ("allocation.compute", "allocation", "split.training", "split", "actions";
    "" for the orders as a whole), so an interface can show the error beside it; `detail` is the message
    from the field on (what a player editing that side's orders needs).
    """

    def __init__(self, message: str, field: str = "", detail: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.detail = message if detail is None else detail


def _error(prefix: str, field: str, what: str) -> OrderError:
    return OrderError(f"{prefix}: {field}: {what}", field, f"{field}: {what}")


@attrs.frozen(eq=False)
class OrderBatch:
    """Orders for one side across a batch: allocation (B, 8), split (B, 3), actions (B, A) bool, and onshore (B,):
    the share of the side's new fab money built onshore (None: the scenario's new_fabs_onshore_share)."""

    allocation: np.ndarray
    split: np.ndarray
    actions: np.ndarray
    onshore: np.ndarray | None = None

    def take(self, games: np.ndarray) -> OrderBatch:
        """The orders of some games (indices or a mask), in that order."""
        return OrderBatch(self.allocation[games], self.split[games], self.actions[games],
                          None if self.onshore is None else self.onshore[games])

    def onshore_or_default(self, tables: Tables, side: int) -> np.ndarray:
        """The onshore share for each game, (B,): the order's, or the scenario's default where it gives none."""
        if self.onshore is None:
            return np.full(self.allocation.shape[0], float(tables.new_fabs_onshore[side]))
        return self.onshore


@attrs.frozen
class Orders:
    """One side's orders for one game, as a player or a save writes them."""

    allocation: dict[str, float] = attrs.field(factory=dict)
    split: dict[str, float] = attrs.field(factory=dict)
    actions: tuple[str, ...] = ()
    onshore: float | None = None  # the share of new fab money built onshore; None: the scenario's default

    def to_batch(self, tables: Tables, side: int) -> OrderBatch:
        return batch_of([self], tables, side)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"allocation": dict(self.allocation), "split": dict(self.split),
                               "actions": list(self.actions)}
        if self.onshore is not None:
            out["onshore"] = self.onshore
        return out

    @staticmethod
    def from_dict(data: Any, where: str = "orders") -> Orders:
        """Build from plain data (a save, a test), checking shape; values are checked by validate."""
        if not isinstance(data, dict):
            raise OrderError(f"{where}: expected a table with allocation, split and actions")
        unknown = sorted(set(data) - {"allocation", "split", "actions", "onshore"})
        if unknown:
            raise OrderError(f"{join(where, unknown[0])}: unknown field (expected allocation, split, actions, "
                             "onshore)", key_text(unknown[0]))
        onshore = data.get("onshore")
        if onshore is not None and (isinstance(onshore, bool) or not isinstance(onshore, (int, float))
                                    or not 0.0 <= onshore <= 1.0):
            raise OrderError(f"{where}.onshore: expected a share from 0 to 1 (of new fab money built onshore), "
                             f"found {quote(onshore)}", "onshore")
        alloc = data.get("allocation", {})
        split = data.get("split", {})
        actions = data.get("actions", [])
        for name, table, keys in (("allocation", alloc, CATEGORIES), ("split", split, SPLITS)):
            if not isinstance(table, dict):
                raise OrderError(f"{where}.{name}: expected a table of shares", name)
            for key, value in table.items():
                if key not in keys:
                    raise OrderError(f"{join(f'{where}.{name}', key)}: unknown category (expected one of "
                                     f"{', '.join(keys)})", join(name, key))
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise OrderError(f"{where}.{name}.{key}: expected a number, found {quote(value)}", f"{name}.{key}")
                if isinstance(value, int) and abs(value) > 1:  # before float(): a 400-digit int overflows it
                    raise OrderError(f"{where}.{name}.{key}: expected a share from 0 to 1, found {quote(value)}",
                                     f"{name}.{key}")
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
            raise OrderError(f"{where}.actions: expected a list of policy ids", "actions")
        return Orders(allocation={k: float(v) for k, v in alloc.items()},
                      split={k: float(v) for k, v in split.items()}, actions=tuple(actions),
                      onshore=None if onshore is None else float(onshore))


def batch_of(orders: list[Orders], tables: Tables, side: int) -> OrderBatch:
    n = len(orders)
    who = f"orders for {SIDES[side]}"
    alloc = np.zeros((n, len(CATEGORIES)))
    split = np.zeros((n, len(SPLITS)))
    acts = np.zeros((n, len(tables.actions)), dtype=bool)
    onshore = np.array([float(tables.new_fabs_onshore[side]) if o.onshore is None else o.onshore for o in orders])
    for i, o in enumerate(orders):
        for key, value in o.allocation.items():
            if key not in CATEGORIES:
                raise _error(who, join("allocation", key), f"unknown category (expected one of {', '.join(CATEGORIES)})")
            alloc[i, CATEGORIES.index(key)] = value
        for key, value in o.split.items():
            if key not in SPLITS:
                raise _error(who, join("split", key), f"unknown use (expected one of {', '.join(SPLITS)})")
            split[i, SPLITS.index(key)] = value
        for pid in o.actions:
            idx = tables.action_index.get((pid, side))
            if idx is None:
                known = sorted({a.policy_id for a in tables.actions if a.side == side})
                raise _error(who, "actions", f"{quote(pid)} is not an action {SIDES[side]} can take (one of {', '.join(known)})")
            if acts[i, idx]:
                raise _error(who, "actions", f"{quote(pid)} is listed twice")
            acts[i, idx] = True
    return OrderBatch(alloc, split, acts, onshore)


def validate(world: World, orders: OrderBatch, side: int, legal: np.ndarray | None = None) -> None:
    """Raise OrderError naming the first problem; nothing is applied from an invalid order."""
    if legal is None:
        from game.engine.policy import legal_actions

        legal = legal_actions(world)
    if jit.active(world.batch):
        from game.engine.kernels import orders as kernel

        if kernel.surely_valid(world, orders, side, legal, 1 + SUM_TOLERANCE, SPLIT_TOLERANCE):
            return
    t = world.tables
    who = f"orders for {SIDES[side]}"
    b = world.batch
    if orders.allocation.shape != (b, len(CATEGORIES)) or orders.split.shape != (b, len(SPLITS)) \
            or orders.actions.shape != (b, len(t.actions)):
        raise OrderError(f"{who}: expected arrays shaped for a batch of {b}")
    def first_bad(mask: np.ndarray) -> int:
        if not some(mask):  # the usual case: nothing to look for
            return -1
        bad = np.flatnonzero(mask & ~world.done)
        return int(bad[0]) if bad.size else -1

    def game(i: int) -> str:
        return f" (game {i})" if b > 1 else ""

    for arr, names, label in ((orders.allocation, CATEGORIES, "allocation"), (orders.split, SPLITS, "split")):
        if arr.min(initial=0.0) >= 0 and arr.max(initial=0.0) <= 1:
            continue  # all finite and in range (NaN fails both comparisons)
        bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
        i = first_bad(bad.any(axis=1))
        if i >= 0:
            k = int(np.flatnonzero(bad[i])[0])
            raise _error(f"{who}{game(i)}", f"{label}.{names[k]}", f"expected a share from 0 to 1, found {float(arr[i, k]):g}")
    onshore = orders.onshore
    if onshore is not None:
        if onshore.shape != (b,):
            raise OrderError(f"{who}: expected arrays shaped for a batch of {b}")
        if not (onshore.min(initial=0.0) >= 0 and onshore.max(initial=0.0) <= 1):
            i = first_bad(~np.isfinite(onshore) | (onshore < 0) | (onshore > 1))
            if i >= 0:
                raise _error(f"{who}{game(i)}", "onshore", f"expected a share from 0 to 1 (of new fab money built "
                             f"onshore), found {float(onshore[i]):g}")
    total = np.add.reduce(orders.allocation, axis=1)  # .sum(axis=1), without its Python wrapper
    i = first_bad(total > 1 + SUM_TOLERANCE)
    if i >= 0:
        raise _error(f"{who}{game(i)}", "allocation", f"shares add up to {total[i]:.4f}; they must add up to at most 1 "
                     "(what is not allocated stays in the treasury)")
    ssum = np.add.reduce(orders.split, axis=1)
    i = first_bad(np.abs(ssum - 1.0) > SPLIT_TOLERANCE)
    if i >= 0:
        raise _error(f"{who}{game(i)}", "split", f"training, inference and research add up to {ssum[i]:.4f}; "
                     "they must add up to 1")
    others = t.others_actions[side]
    # Whole-array checks first: the per-game search runs only when some game has a problem.
    wrong = orders.actions & others
    i = first_bad(wrong.any(axis=1)) if some(wrong) else -1
    if i >= 0:
        a = int(np.flatnonzero(orders.actions[i] & others)[0])
        raise _error(f"{who}{game(i)}", "actions", f"{quote(t.actions[a].policy_id)} is the other side's action")
    wrong = orders.actions & ~legal
    i = first_bad(wrong.any(axis=1)) if some(wrong) else -1
    if i >= 0:
        a = int(np.flatnonzero(orders.actions[i] & ~legal[i])[0])
        raise _error(f"{who}{game(i)}", "actions",
                     f"{quote(t.actions[a].policy_id)} cannot be taken now ({why_illegal(world, i, a)})")


def blocked(world: World, i: int, a: int) -> tuple[str, int]:
    """Why action `a` cannot be taken in game `i`: ("in force", 0), ("cooling down", turns left), or
    ("conditions", 0) when its conditions (or the policy it needs) do not hold."""
    if world.policy_left[i, a] > 0:
        return "in force", 0
    if world.cooldown_left[i, a] > 0:
        return "cooling down", int(world.cooldown_left[i, a])
    return "conditions", 0


def why_illegal(world: World, i: int, a: int) -> str:
    t = world.tables
    act = t.actions[a]
    kind, turns = blocked(world, i, a)
    if kind == "in force":
        return "already in force"
    if kind == "cooling down":
        return f"cooling down for {turns} more turn(s)"
    return "its conditions do not hold: " + "; ".join(
        f"{c.field} {c.op} {c.value:g}" for c in act.conditions) if act.conditions else "it needs another policy first"

