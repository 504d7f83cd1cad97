"""Manufacturing: fab capacity by node (built over years), scanner-limited output, yield learning."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from game.engine import jit, litho
from game.engine.mathx import every, rowsum, some
from game.engine.state import along_batch, at_last_axis, flat_view, ring_slot, turns_in

if TYPE_CHECKING:
    from game.engine.state import World
    from game.engine.tables import Tables


def node_value(t: Tables, year: np.ndarray, euv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which nodes a side can run in `year` with or without EUV (`euv`, bool), and how good each is for it:
    (eligible, value), shaped broadcast(year, euv) + (nodes,)."""
    euv = euv[..., None]
    runnable = euv | ~t.node_needs_euv | (t.node_duv_yield > 0)
    eligible = runnable & (t.node_year <= year[..., None])
    value = t.node_perf * np.where(euv | ~t.node_needs_euv, 1.0, t.node_duv_yield / t.node_duv_tool)
    return eligible, value


def best_node(t: Tables, year: np.ndarray, euv: np.ndarray) -> np.ndarray:
    """The node fab money buys: the best a side can run (ties go to the more advanced node)."""
    eligible, value = node_value(t, year, euv)
    score = np.where(eligible, value, -1.0)
    target = np.argmax(score[..., ::-1], axis=-1)
    out: np.ndarray = score.shape[-1] - 1 - target
    return out


def node_target_by_turn(t: Tables) -> np.ndarray:
    """best_node for each turn of the scenario (0 .. its last quarter) and EUV flag (without, with): a table."""
    turns = np.arange(t.scenario.turns + 1)
    return best_node(t, t.year(turns)[:, None], np.array([False, True])[None, :])


@attrs.frozen(eq=False)
class NodeRules:
    """How each node runs for a side without EUV (row 0) and with it (row 1), shaped (2, nodes): on EUV scanners
    or DUV, at all, and the DUV tool time and yield it costs (1 where it runs as designed)."""

    by_euv: np.ndarray
    runnable: np.ndarray
    duv_tool: np.ndarray
    duv_yield: np.ndarray
    # Flags.rules: these tables picked for each pair of the two sides' flags the same in every game, kept.
    picked: dict[tuple[bool, bool], NodeRules] = attrs.field(factory=dict)

    @property
    def all_runnable(self) -> bool:
        return every(self.runnable)


def node_rules(t: Tables) -> NodeRules:
    euv = np.array([False, True])[:, None]
    on_duv = t.node_needs_euv & ~euv
    return NodeRules(by_euv=t.node_needs_euv & euv, runnable=~(on_duv & (t.node_duv_yield <= 0)),
                     duv_tool=np.where(on_duv, t.node_duv_tool, 1.0), duv_yield=np.where(on_duv, t.node_duv_yield, 1.0))


def by_node(a: np.ndarray) -> np.ndarray:
    """A (batch, 2, nodes) field as node by side by game, (nodes, 2, batch) (a view): a node's or a side's figure
    then broadcasts over whole rows of games, which numpy does at full speed (along a short last axis it
    crawls). output, production and learning work this way."""
    return a.transpose(2, 1, 0)


class Flags:
    """Rows of (2 flags, ...) tables picked by a (batch, 2) bool flag, node by side by game: (nodes, 2, 1) when
    each side's flag is the same in every game of the batch (the usual case: one lookup, broadcast), else
    (nodes, 2, batch)."""

    def __init__(self, flag: np.ndarray) -> None:
        first = flag[:1]
        same = flag.shape[0] <= 1 or every(flag[:, 0] == first[0, 0]) and every(flag[:, 1] == first[0, 1])
        self.rows = first[0].astype(np.intp) if same and flag.shape[0] else None
        self.index = None if self.rows is not None else flag.astype(np.intp)
        self.key = None if self.rows is None else (bool(first[0, 0]), bool(first[0, 1]))

    def rules(self, rules: NodeRules) -> NodeRules:
        """Each of the node rules' tables picked. One row per side (the usual batch) picks the same every quarter
        those flags hold: kept with the rules, read-only."""
        if self.key is None:
            return self._picked(rules)
        picked = rules.picked.get(self.key)
        if picked is None:
            picked = rules.picked[self.key] = self._picked(rules)
            for table in (picked.by_euv, picked.runnable, picked.duv_tool, picked.duv_yield):
                table.flags.writeable = False
        return picked

    def _picked(self, rules: NodeRules) -> NodeRules:
        return NodeRules(by_euv=self.pick(rules.by_euv), runnable=self.pick(rules.runnable),
                         duv_tool=self.pick(rules.duv_tool), duv_yield=self.pick(rules.duv_yield))

    def pick(self, table: np.ndarray) -> np.ndarray:
        if self.rows is not None:
            rows: np.ndarray = table[self.rows].T[:, :, None]
            return rows
        return by_node(table[self.index])


def targets_off_table(world: World) -> np.ndarray:
    """For the kernel: each game's and side's target node where a turn lies past the scenario's table (no game of
    the engine's own reaches one), or an empty array when the table serves every game."""
    turn = world.turn
    if turns_in(turn, len(world.tables.node_target_by_turn)):
        return np.empty((0, 2), np.int64)
    return best_node(world.tables, world.tables.year(turn)[:, None], litho.has_euv(world)).astype(np.int64)


def build(world: World, money: np.ndarray, onshore_share: np.ndarray) -> np.ndarray:
    """Fab money buys capacity at the side's best node; it produces after the build time. `onshore_share` (batch,
    2, 0-1) of the money builds onshore, at the side's onshore cost premium (lowered by the `onshore_premium`
    modifier: the CHIPS Act) and its own build time; the rest at allied foundries abroad, cheaper and faster but
    a dependency, not self-sufficiency. A side that may not build abroad (scenario: builds_abroad) builds all of
    it at home."""
    if jit.active(world.batch):
        from game.engine.kernels import fabs as k

        return k.build(world, money, onshore_share, targets_off_table(world))
    t = world.tables
    sided = t.sided(world.batch)
    euv = litho.has_euv(world)
    turn = world.turn
    table = t.node_target_by_turn
    if turns_in(turn, len(table)):
        target = table[turn[:, None], euv.astype(np.intp)]
    else:  # a turn past the scenario (no game of the engine's own reaches one)
        target = best_node(t, t.year(turn)[:, None], euv)
    node_cost = t.node_cost[target] * world.modifiers[:, :, t.mod_index["fab_cost"]]
    share = np.where(sided.builds_abroad, onshore_share, 1.0)
    premium = 1.0 + sided.onshore_premium * world.modifiers[:, :, t.mod_index["onshore_premium"]]
    onshore = money * share / (node_cost * premium) * 1000.0
    abroad = money * (1.0 - share) / node_cost * 1000.0
    wafers_by_node = flat_view(world.fab_wafers_per_q)
    onshore_by_node = flat_view(world.fab_onshore_wafers_per_q)
    _, at_target = at_last_axis(world.fab_wafers_per_q, target)
    # Two pipelines, rings indexed by turn, one for each build time: this quarter's slot holds the capacity
    # finishing now (one order a quarter per side and pipeline, so a slot holds a single node's capacity).
    for pipeline, nodes, wafers, build_q, home in (
            (world.fab_pipeline, world.fab_pipeline_node, abroad, sided.abroad_fab_build_q, False),
            (world.fab_pipeline_onshore, world.fab_pipeline_onshore_node, onshore, sided.fab_build_q, True)):
        pipe, pipe_node = flat_view(pipeline), flat_view(nodes)  # the same shape: the same positions
        arriving = ring_slot(pipeline, turn)
        if arriving is None:  # games at different turns: their slots by position
            _, now = at_last_axis(pipeline, (turn % t.fab_slots)[:, None])
            arriving, arriving_node = pipe[now], pipe_node[now]
            pipe[now] = 0.0
        else:  # views of this quarter's slot, read then emptied
            arriving_node = ring_slot(nodes, turn)
        _, at = at_last_axis(world.fab_wafers_per_q, arriving_node)
        wafers_by_node[at] += arriving
        if home:
            onshore_by_node[at] += arriving
        arriving[...] = 0.0
        immediate = build_q == 0
        if some(immediate):
            wafers_by_node[at_target] += np.where(immediate, wafers, 0.0)
            if home:
                onshore_by_node[at_target] += np.where(immediate, wafers, 0.0)
        _, slot = at_last_axis(pipeline, (turn[:, None] + build_q) % t.fab_slots)
        pipe[slot] = np.where(immediate, 0.0, wafers)
        pipe_node[slot] = target
    return money


def nodes_of(a: np.ndarray) -> np.ndarray:
    """A (batch, 2, nodes) field as (nodes, 2, batch), contiguous (a copy), so results are laid out that way too."""
    return np.ascontiguousarray(by_node(a))


def onshore_share(total: np.ndarray, onshore: np.ndarray) -> np.ndarray:
    """Share of each node's capacity in onshore fabs, 0-1, from the capacity and its onshore part (nodes, 2,
    batch). Capacity a content effect adds is offshore; one that cuts capacity leaves the onshore part standing
    (as far as there is any)."""
    share: np.ndarray = np.minimum(onshore, total)
    share /= np.maximum(total, 1e-12)
    np.copyto(share, 0.0, where=~(total > 0))
    return share


def output(world: World, capacity: np.ndarray, yields: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wafers each node actually starts this quarter and their yield, from its capacity and yields (the state's,
    node by side by game: nodes_of), shaped so. The yields may be `yields` itself."""
    t = world.tables
    sup = t.rules.supply
    rules = t.node_rules_by_euv
    picked = Flags(litho.has_euv(world)).rules(rules)
    cap = capacity * along_batch(world.modifiers[:, :, t.mod_index["fab_output"]])
    if not rules.all_runnable:
        cap = np.where(picked.runnable, cap, 0.0)
    by_euv = picked.by_euv  # nodes this side runs on EUV scanners; the rest run on DUV
    euv_demand = rowsum(np.where(by_euv, cap, 0.0), axis=0)
    duv_tool = picked.duv_tool
    duv_cap = cap * duv_tool if some(duv_tool != 1.0) else cap  # x * 1.0 is x
    duv_demand = rowsum(np.where(by_euv, 0.0, duv_cap), axis=0)
    euv_ratio = np.minimum(1.0, along_batch(world.euv_tools) * sup.euv_wafers_per_tool_q / np.maximum(euv_demand, 1e-9))
    duv_ratio = np.minimum(1.0, along_batch(world.duv_tools) * sup.duv_wafers_per_tool_q / np.maximum(duv_demand, 1e-9))
    wafers = np.where(by_euv, euv_ratio, duv_ratio)
    wafers *= cap
    duv_yield = picked.duv_yield
    if some(duv_yield != 1.0):
        yields = yields * duv_yield
    return wafers, yields


def learn(world: World, wafers: np.ndarray, yields: np.ndarray) -> None:
    """Yield climbs toward its ceiling on nodes that ran this quarter (`wafers` and the state's `yields` node by
    side by game)."""
    t = world.tables
    mod = along_batch(world.modifiers[:, :, t.mod_index["yield_learning"]])
    gain = t.node_max_yield[:, None, None] - yields
    gain *= np.minimum(t.node_learn[:, None, None] * mod, 1.0)
    np.maximum(gain, 0.0, out=gain)
    gain += yields
    np.copyto(by_node(world.yields), gain, where=wafers > 0)
