"""Turning points: the quarters whose orders moved a finished game's result most.

For every quarter played and each side, the game is replayed with that one side's orders for that one quarter
replaced by the draft the side was handed (last quarter's shares with no new policy, or in quarter 1 the
advisor's first plan); every other order stays as it was given. All the variants run as one batch through the
engine, so the whole analysis costs about one game of a batch of 2 x quarters.

The result compared is the margin a game ends with, in points on the lead track: the US's total less China's,
plus the points still to be shared out if a game ended early (a decisive lead or a bankruptcy gives them all to
the winner) or is still running when the recorded orders run out (shared by the verdict of its last quarter).

Each policy a side enacted is weighed the same way on its own: the game replayed with that quarter's orders less
that one policy. A summary lists the moves that mattered most and, for each side, its costliest choice (a policy or
a quarter's orders that cost it points), so a player learns from a mistake and not only from what went well.
"""

from __future__ import annotations

import attrs
import numpy as np

from game.engine import Orders, Tables, legal_actions, new_world, resolve
from game.engine.observe import points, points_left
from game.engine.orders import OrderBatch, batch_of
from game.engine.state import World

MOVED = 0.05   # points: a choice that moved the final margin less than this moved nothing worth a line


@attrs.frozen
class TurningPoint:
    """Quarter `turn` (0-based), `side`'s orders: they moved the final margin by `points` in that side's favour
    against the draft it was handed; `flips` when the other choice would have changed the winner."""

    turn: int
    side: int
    points: float
    flips: bool
    policy: str = ""   # the policy id when the choice weighed is one policy enacted that quarter (else the orders)


def margin(w: World) -> np.ndarray:
    """(batch,) the US's final margin over China in track points, the points left counted as the ending gives them."""
    left = points_left(w)
    now = points(w)
    share = np.where(w.winner == 0, 1.0, np.where(w.winner == 1, -1.0, 0.0))
    running = (now[:, 0] - now[:, 1]) / 100.0
    out: np.ndarray = w.track[:, 0] - w.track[:, 1] + left * np.where(w.done, share, running)
    return out


def handed(orders: list[tuple[Orders, Orders]], first: tuple[Orders, Orders], turn: int, side: int) -> Orders:
    """The draft `side` was handed in quarter `turn`: last quarter's shares and no policy, or the first plan."""
    if turn == 0:
        return first[side]
    last = orders[turn - 1][side]
    return Orders(dict(last.allocation), dict(last.split), (), last.onshore)


def enacted(orders: list[tuple[Orders, Orders]]) -> list[tuple[int, int, str]]:
    """(quarter, side, policy id) of every policy in the recorded orders, in quarter, side and order-list order."""
    return [(t, s, pid) for t, given in enumerate(orders) for s in (0, 1) for pid in given[s].actions]


def margins(tables: Tables, seed: int, orders: list[tuple[Orders, Orders]], first: tuple[Orders, Orders]) -> np.ndarray:
    """(1 + 2 x quarters + policies,) final US margins: row 0 the game as played, row 1 + 2t + s with side s's orders
    in quarter t replaced by the draft it was handed, then one row per enacted policy (see `enacted`) with that
    quarter's orders less that policy. One batch through the engine."""
    quarters = len(orders)
    policies = enacted(orders)
    rows = 1 + 2 * quarters + len(policies)
    w = new_world(tables, [seed] * rows)
    for t, given in enumerate(orders):
        batches: list[OrderBatch] = []
        for s in (0, 1):
            per_row = [given[s]] * rows
            per_row[1 + 2 * t + s] = handed(orders, first, t, s)
            for row, (pt, ps, pid) in enumerate(policies, start=1 + 2 * quarters):
                if (pt, ps) == (t, s):
                    per_row[row] = Orders(given[s].allocation, given[s].split,
                                          tuple(a for a in given[s].actions if a != pid), given[s].onshore)
            batches.append(batch_of(per_row, tables, s))
        legal = legal_actions(w)  # a policy a variant made impossible is left out, not an error
        for b in batches:
            np.logical_and(b.actions, legal, out=b.actions)
        w = resolve(w, batches[0], batches[1])
    return margin(w)


def turning_points(tables: Tables, seed: int, orders: list[tuple[Orders, Orders]],
                   first: tuple[Orders, Orders], most: int = 3) -> list[TurningPoint]:
    """The `most` quarter-and-side choices that moved the result most, largest first (none that moved nothing), then
    each side's costliest choice (a quarter's orders or one policy) when it cost that side points and is not listed.

    `orders` are the orders each quarter was resolved with; `first` the plans the sides were handed in quarter 1.
    """
    quarters = len(orders)
    if quarters == 0:
        return []
    result = margins(tables, seed, orders, first)
    played = result[0]
    sign = np.array([1.0, -1.0])                              # a US margin in the side's own favour
    other = result[1:1 + 2 * quarters].reshape(quarters, 2)   # (quarter, side): the US margin had the draft stood
    gain = (played - other) * sign                            # in the side's own favour: orders given less handed
    flips = np.sign(other) != np.sign(played)
    ranked = sorted(((float(abs(gain[t, s])), t, s) for t in range(quarters) for s in (0, 1)),
                    key=lambda r: (-r[0], r[1], r[2]))
    out = [TurningPoint(t, s, float(gain[t, s]), bool(flips[t, s])) for size, t, s in ranked[:most] if size >= MOVED]
    choices = [TurningPoint(t, s, float(gain[t, s]), bool(flips[t, s])) for t in range(quarters) for s in (0, 1)]
    for (t, s, pid), without in zip(enacted(orders), result[1 + 2 * quarters:], strict=True):
        choices.append(TurningPoint(t, s, float((played - without) * sign[s]), bool(np.sign(without) != np.sign(played)),
                                    pid))
    for side in (0, 1):
        costly = [c for c in choices if c.side == side and c.points <= -MOVED]
        worst = min(costly, key=lambda c: (c.points, c.turn, c.policy), default=None)
        if worst is not None and worst not in out:
            out.append(worst)
    return out
