"""The event deck: which events fire this quarter (counter-based draws), and their one-off effects."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import conditions, jit, mathx, streams
from game.engine.policy import apply_stock
from game.engine.state import turns_in

if TYPE_CHECKING:
    from game.engine.state import World


def draw_events(world: World, grants: np.ndarray, losses: np.ndarray) -> None:
    if jit.active(world.batch):
        from game.engine.kernels import events as k

        k.draw_events(world, grants, losses, apply_stock)
        return
    t = world.tables
    n = len(t.events)
    if n == 0:
        return
    turn = world.turn
    window = t.event_window_by_turn
    if turns_in(turn, len(window)):
        eligible = window[turn]  # a copy: the events whose dates allow them this quarter
    else:  # a turn past the scenario (no game of the engine's own reaches one)
        eligible = (turn[:, None] >= t.event_turn_min) & (turn[:, None] <= t.event_turn_max)
    eligible &= world.event_left <= 0
    once = t.event_once
    if mathx.every(once):
        eligible &= ~world.event_fired
    elif mathx.some(once):
        eligible[:, once] &= ~world.event_fired[:, once]
    if mathx.some(world.done):
        eligible &= ~world.done[:, None]
    figures: dict[str, np.ndarray] = {}
    # The events some game may still draw (.any(axis=0) without its wrapper): only their conditions matter.
    maybe = np.logical_or.reduce(eligible, axis=0).tolist()
    for e in range(n):
        if t.event_conditions[e] and maybe[e]:
            eligible[:, e] &= conditions.evaluate(world, t.event_conditions[e], figures)
    # Draws only for the events some game may draw (each draw depends on its event's index alone, not on
    # which others are drawn beside it).
    cols = np.logical_or.reduce(eligible, axis=0).nonzero()[0]
    fire = np.zeros(eligible.shape, dtype=bool)
    if cols.size:
        draws = mathx.uniform(world.seed[:, None], world.turn[:, None], streams.EVENTS, cols[None, :])
        fire[:, cols] = eligible[:, cols] & (draws < t.event_prob[cols])
    world.event_now[:] = fire
    world.event_fired |= fire
    np.copyto(world.event_left, t.event_duration, where=fire)
    for fired in np.logical_or.reduce(fire, axis=0).nonzero()[0]:
        for eff in t.event_stocks[fired]:
            apply_stock(world, eff, fire[:, fired], grants, losses)
