"""game/engine/fabs.py for big batches: build as one loop over the games giving the numpy path's bits (output,
onshore_share and learn are fused into the supply kernel's production, their one caller).

Helpers called inside a kernel's loop take whole arrays and a game's indices, not a view of its row, and call
nothing themselves: numba then inlines them. A view made per game, or a call into a helper that calls others,
costs more than numpy's whole-batch operations (NRT reference counts at each call)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine.jit import njit
from game.engine.kernels.mathk import maximum, minimum

if TYPE_CHECKING:
    from game.engine.state import World


def build(world: World, money: np.ndarray, onshore_share: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """fabs.build: returns `money` (the fab money is all spent). `targets`: fabs.targets_off_table (empty: the kernel
    looks each game's target up in the scenario's table)."""
    t = world.tables
    turn = world.turn
    table = t.node_target_by_turn
    mi = t.mod_index
    _build(world.fab_wafers_per_q, world.fab_onshore_wafers_per_q, world.fab_pipeline, world.fab_pipeline_node,
           world.fab_pipeline_onshore, world.fab_pipeline_onshore_node, world.euv_domestic, world.modifiers,
           mi["fab_cost"], mi["onshore_premium"], turn, money, onshore_share, t.allied_euv, t.builds_abroad,
           t.onshore_premium, t.abroad_fab_build_q, t.fab_build_q, t.node_cost, table, targets)
    return money


@njit
def _build(wafers: np.ndarray, onshore_wafers: np.ndarray, pipeline: np.ndarray, pipeline_node: np.ndarray,
           pipeline_onshore: np.ndarray, pipeline_onshore_node: np.ndarray, euv_domestic: np.ndarray,
           modifiers: np.ndarray, cost_at: int, premium_at: int, turn: np.ndarray, money: np.ndarray,
           onshore_share: np.ndarray, allied_euv: np.ndarray, builds_abroad: np.ndarray, onshore_premium: np.ndarray,
           abroad_build_q: np.ndarray, onshore_build_q: np.ndarray, node_cost: np.ndarray, target_by_turn: np.ndarray,
           targets: np.ndarray) -> None:
    slots = pipeline.shape[2]
    # The numpy path adds the immediate builds (a build time of 0) for both sides when either has one, 0.0 to the
    # other: x + 0.0 turns -0.0 into 0.0, so the kernel adds them so too.
    abroad_any_now = abroad_build_q[0] == 0 or abroad_build_q[1] == 0
    onshore_any_now = onshore_build_q[0] == 0 or onshore_build_q[1] == 0
    for g in range(wafers.shape[0]):
        now = turn[g] % slots
        for s in range(2):
            if targets.shape[0]:
                target = targets[g, s]
            else:
                target = target_by_turn[turn[g], 1 if allied_euv[s] or euv_domestic[g, s] else 0]
            cost = node_cost[target] * modifiers[g, s, cost_at]
            share = onshore_share[g, s] if builds_abroad[s] else 1.0
            premium = 1.0 + onshore_premium[s] * modifiers[g, s, premium_at]
            onshore = money[g, s] * share / (cost * premium) * 1000.0
            abroad = money[g, s] * (1.0 - share) / cost * 1000.0
            # The abroad pipeline, then the onshore one (which adds to the onshore capacity too): this quarter's
            # slot arrives, and the order goes in at its build time.
            for home in range(2):
                pipe = pipeline_onshore if home else pipeline
                pipe_node = pipeline_onshore_node if home else pipeline_node
                build_q = onshore_build_q[s] if home else abroad_build_q[s]
                ordered = onshore if home else abroad
                arriving, arriving_node = pipe[g, s, now], pipe_node[g, s, now]
                wafers[g, s, arriving_node] = wafers[g, s, arriving_node] + arriving
                if home:
                    onshore_wafers[g, s, arriving_node] = onshore_wafers[g, s, arriving_node] + arriving
                pipe[g, s, now] = 0.0
                if onshore_any_now if home else abroad_any_now:
                    added = ordered if build_q == 0 else 0.0
                    wafers[g, s, target] = wafers[g, s, target] + added
                    if home:
                        onshore_wafers[g, s, target] = onshore_wafers[g, s, target] + added
                slot = (turn[g] + build_q) % slots
                pipe[g, s, slot] = 0.0 if build_q == 0 else ordered
                pipe_node[g, s, slot] = target


@njit
def onshore_share1(total: float, onshore: float) -> float:
    """fabs.onshore_share of one node's capacity."""
    if not total > 0:
        return 0.0
    return minimum(onshore, total) / maximum(total, 1e-12)
