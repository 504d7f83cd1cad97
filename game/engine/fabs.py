"""Manufacturing: fab capacity by node (built over years), scanner-limited output, yield learning."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import litho
from game.engine.mathx import rowsum
from game.engine.state import at_last_axis

if TYPE_CHECKING:
    from game.engine.state import World


def node_value(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Which nodes each side can run, and how good each is for it: (eligible, value), (batch, 2, nodes)."""
    t = world.tables
    euv = litho.has_euv(world)[:, :, None]
    year = t.year(world.turn)[:, None, None]
    runnable = euv | ~t.node_needs_euv | (t.node_duv_yield > 0)
    eligible = runnable & (t.node_year <= year)
    value = t.node_perf * np.where(euv | ~t.node_needs_euv, 1.0, t.node_duv_yield / t.node_duv_tool)
    return eligible, value


def build(world: World, money: np.ndarray) -> np.ndarray:
    """Fab money buys capacity at the side's best node; it produces after the build time."""
    t = world.tables
    # The pipeline is a ring indexed by turn: this quarter's slot holds the capacity finishing now.
    pipe, now = at_last_axis(world.fab_pipeline, (world.turn % t.fab_slots)[:, None])
    pipe_node, _ = at_last_axis(world.fab_pipeline_node, (world.turn % t.fab_slots)[:, None])
    pipe_onshore, _ = at_last_axis(world.fab_pipeline_onshore, (world.turn % t.fab_slots)[:, None])
    arriving = pipe[now]
    wafers_by_node, at = at_last_axis(world.fab_wafers_per_q, pipe_node[now])
    onshore_by_node, _ = at_last_axis(world.fab_onshore_wafers_per_q, pipe_node[now])
    wafers_by_node[at] += arriving
    onshore_by_node[at] += pipe_onshore[now]
    pipe[now] = 0.0
    pipe_onshore[now] = 0.0
    eligible, value = node_value(world)
    score = np.where(eligible, value, -1.0)
    target = np.argmax(score[..., ::-1], axis=-1)
    target = score.shape[-1] - 1 - target  # ties go to the more advanced node
    cost_mod = world.modifiers[:, :, t.mod_index["fab_cost"]]
    node_cost = t.node_cost[target] * cost_mod
    wafers = money / node_cost * 1000.0
    # The part built at home (the rest at allied foundries abroad: a dependency, not self-sufficiency).
    onshore = wafers * np.minimum(t.new_fabs_onshore * world.modifiers[:, :, t.mod_index["onshore"]], 1.0)
    immediate = t.fab_build_q == 0
    built = np.where(immediate, wafers, 0.0)
    _, at = at_last_axis(world.fab_wafers_per_q, target)
    wafers_by_node[at] += built
    onshore_by_node[at] += np.where(immediate, onshore, 0.0)
    # One order a quarter per side, so a slot holds a single node's capacity.
    _, slot = at_last_axis(world.fab_pipeline, (world.turn[:, None] + t.fab_build_q) % t.fab_slots)
    pipe[slot] = np.where(immediate, 0.0, wafers)
    pipe_onshore[slot] = np.where(immediate, 0.0, onshore)
    pipe_node[slot] = target
    return money


def onshore_share(world: World) -> np.ndarray:
    """Share of each node's capacity in onshore fabs, 0-1, (batch, 2, nodes). Capacity a content effect
    adds is offshore; one that cuts capacity leaves the onshore part standing (as far as there is any)."""
    total = world.fab_wafers_per_q
    return np.where(total > 0, np.minimum(world.fab_onshore_wafers_per_q, total) / np.maximum(total, 1e-12), 0.0)


def output(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Wafers each node actually starts this quarter and their yield, (batch, 2, nodes) each."""
    t = world.tables
    sup = t.rules.supply
    euv = litho.has_euv(world)[:, :, None]
    out_mod = world.modifiers[:, :, t.mod_index["fab_output"]][:, :, None]
    cap = world.fab_wafers_per_q * out_mod
    on_duv = t.node_needs_euv & ~euv
    runnable = ~(on_duv & (t.node_duv_yield <= 0))
    cap = np.where(runnable, cap, 0.0)
    by_euv = t.node_needs_euv & euv  # nodes this side runs on EUV scanners; the rest run on DUV
    euv_demand = rowsum(np.where(by_euv, cap, 0.0))
    duv_demand = rowsum(np.where(by_euv, 0.0, cap * np.where(on_duv, t.node_duv_tool, 1.0)))
    euv_ratio = np.minimum(1.0, world.euv_tools * sup.euv_wafers_per_tool_q / np.maximum(euv_demand, 1e-9))
    duv_ratio = np.minimum(1.0, world.duv_tools * sup.duv_wafers_per_tool_q / np.maximum(duv_demand, 1e-9))
    ratio = np.where(by_euv, euv_ratio[..., None], duv_ratio[..., None])
    wafers = cap * ratio
    yields = world.yields * np.where(on_duv, t.node_duv_yield, 1.0)
    return wafers, yields


def learn(world: World, wafers: np.ndarray) -> None:
    """Yield climbs toward its ceiling on nodes that ran this quarter."""
    t = world.tables
    mod = world.modifiers[:, :, t.mod_index["yield_learning"]][:, :, None]
    gain = (t.node_max_yield - world.yields) * np.minimum(t.node_learn * mod, 1.0)
    world.yields[:] = np.where(wafers > 0, world.yields + np.maximum(gain, 0.0), world.yields)
