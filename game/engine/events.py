"""The event deck: which events fire this quarter (counter-based draws), and their one-off effects."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import conditions, mathx, streams
from game.engine.policy import apply_stock

if TYPE_CHECKING:
    from game.engine.state import World


def draw_events(world: World, grants: np.ndarray, losses: np.ndarray) -> None:
    t = world.tables
    n = len(t.events)
    if n == 0:
        return
    turn = world.turn[:, None]
    eligible = (turn >= t.event_turn_min) & (turn <= t.event_turn_max) & (world.event_left <= 0)
    eligible &= ~(t.event_once & world.event_fired)
    eligible &= ~world.done[:, None]
    figures: dict[str, np.ndarray] = {}
    for e in range(n):
        if t.event_conditions[e]:
            eligible[:, e] &= conditions.evaluate(world, t.event_conditions[e], figures)
    # Draws only for the events some game may draw (each draw depends on its event's index alone, not on
    # which others are drawn beside it).
    cols = np.flatnonzero(eligible.any(axis=0))
    draws = np.ones(eligible.shape)
    draws[:, cols] = mathx.uniform(world.seed[:, None], world.turn[:, None], streams.EVENTS, cols[None, :])
    fire = eligible & (draws < t.event_prob)
    world.event_now[:] = fire
    world.event_fired |= fire
    world.event_left[:] = np.where(fire, t.event_duration, world.event_left)
    for e in np.flatnonzero(fire.any(axis=0)):
        for eff in t.event_stocks[e]:
            apply_stock(world, eff, fire[:, e], grants, losses)
