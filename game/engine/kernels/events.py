"""game/engine/events.py for kernels: which events fire this quarter, one pass over the games."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from game.engine import streams
from game.engine.jit import njit
from game.engine.kernels import conditions as kc
from game.engine.kernels import mathk
from game.engine.kernels import policy as kp
from game.engine.mathx import _K_INDEX as K_INDEX

if TYPE_CHECKING:
    from game.engine.state import World
    from game.engine.tables import Tables


class Deck(NamedTuple):
    """The tables' event deck as arrays a kernel reads (worked out once per Tables)."""

    turn_min: np.ndarray   # (events,) int64
    turn_max: np.ndarray   # (events,) int64
    once: np.ndarray       # (events,) bool
    prob: np.ndarray       # (events,) float64
    duration: np.ndarray   # (events,) int64
    conds: kc.ConditionTable  # owner = event
    stocks: kp.StockTable     # the one-off effects, owner = event


_DECKS: weakref.WeakKeyDictionary[Tables, Deck] = weakref.WeakKeyDictionary()


def deck(t: Tables) -> Deck:
    got = _DECKS.get(t)
    if got is None:
        got = _DECKS[t] = Deck(t.event_turn_min.astype(np.int64), t.event_turn_max.astype(np.int64),
                               t.event_once.astype(bool), t.event_prob.astype(np.float64),
                               t.event_duration.astype(np.int64), kc.table(list(enumerate(t.event_conditions))),
                               kp.stock_table(t.event_stocks))
    return got


def draw_events(world: World, grants: np.ndarray, losses: np.ndarray, apply_stock: kp.ApplyStock) -> None:
    """events.draw_events (`apply_stock`: policy.apply_stock, passed in: a kernel module does not import its layer)."""
    t = world.tables
    d = deck(t)
    fired_any = np.zeros(len(t.events), dtype=bool)
    _draw(world.seed, world.turn, world.done, world.event_left, world.event_fired, world.event_now, d.turn_min,
          d.turn_max, d.once, d.prob, d.duration, streams.EVENTS, d.conds.owner, d.conds.op, d.conds.threshold,
          kc.figures_of(world, d.conds), fired_any)
    kp.apply_stocks(world, d.stocks, world.event_now, fired_any, grants, losses, apply_stock)


@njit
def _draw(seed: np.ndarray, turn: np.ndarray, done: np.ndarray, event_left: np.ndarray, event_fired: np.ndarray,
          event_now: np.ndarray, turn_min: np.ndarray, turn_max: np.ndarray, once: np.ndarray, prob: np.ndarray,
          duration: np.ndarray, stream: int, cond_event: np.ndarray, cond_op: np.ndarray, cond_value: np.ndarray,
          figures: np.ndarray, fired_any: np.ndarray) -> None:
    """event_now: the events each game draws (eligible: dated for this quarter, not running, not fired if once,
    game not over, conditions holding; then its draw under the event's probability); fired and left follow."""
    n_events = event_now.shape[1]
    eligible = np.empty(n_events, dtype=np.bool_)
    # Without branches (& on bools, a draw for every event): which events fire is too random to predict.
    for i in range(event_now.shape[0]):
        now, live = turn[i], not done[i]
        for e in range(n_events):
            eligible[e] = (live & (turn_min[e] <= now) & (now <= turn_max[e]) & (event_left[i, e] <= 0)
                           & (not (once[e] & event_fired[i, e])))
        for k in range(cond_event.shape[0]):
            eligible[cond_event[k]] &= kc.holds(cond_op[k], figures[k, i], cond_value[k])
        key = mathk.key(seed[i], now, stream)  # what the game's draws this quarter share
        for e in range(n_events):
            # a draw depends on (seed, turn, stream, event) alone: one for an event not eligible changes nothing
            fire = eligible[e] & (uniform_of_key(key, e) < prob[e])
            event_now[i, e] = fire
            event_fired[i, e] |= fire
            event_left[i, e] = duration[e] if fire else event_left[i, e]
            fired_any[e] |= fire


@njit
def uniform_of_key(key: np.uint64, index: int) -> float:
    """mathk.uniform1(seed, turn, stream, index) from mathk.key(seed, turn, stream), worked out once a game."""
    return mathk.unit(mathk.mix(key ^ (np.uint64(index) * K_INDEX)))
