"""Content compiled to numpy arrays for one scenario: what the rules read every turn."""

from __future__ import annotations

import math

import attrs
import numpy as np

from game.content import Content
from game.content.model import Condition, Effect, Scenario, concrete_sides
from game.content.vocab import ADD_MODIFIERS, MODIFIERS, STOCKS
from game.engine import mathx
from game.engine.state import turns_in
from game.schema import CONDITION_GLOBALS, VERDICT_PARTS

SIDES = ("us", "cn")
CATEGORIES = ("fabs", "lithography", "design", "compute", "training", "research", "applications", "intelligence")
SPLITS = ("training", "inference", "research")
PERMANENT = 1_000_000  # turns left for a policy that lasts the game
OPS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
       "==": np.equal, "!=": np.not_equal}


@attrs.frozen
class CompiledEffect:
    """One effect with its target side(s) made concrete: sides is a tuple of 0/1."""

    kind: str
    index: int          # modifier or stock index
    sides: tuple[int, ...]
    op: str
    value: float


@attrs.frozen
class CompiledCondition:
    field: str          # global field name, or side field name
    side: int           # -1 for a global field, else 0/1
    op: str
    value: float


@attrs.frozen
class Action:
    """A policy as one side can take it: policies for both sides become two actions."""

    policy_id: str
    name: str
    side: int
    cost_busd: float
    cooldown: int
    duration: int
    requires: tuple[int, ...]      # action indices (same side) that must be active
    forbids: tuple[int, ...]
    conditions: tuple[CompiledCondition, ...]
    modifiers: tuple[CompiledEffect, ...]
    stocks: tuple[CompiledEffect, ...]
    description: str


def compile_effect(eff: Effect, owner: int) -> CompiledEffect:
    table = MODIFIERS if eff.kind == "modifier" else STOCKS
    return CompiledEffect(eff.kind, table.index(eff.target), concrete_sides(eff.side, owner), eff.op, eff.value)


def compile_condition(cond: Condition, owner: int) -> CompiledCondition:
    if cond.field in CONDITION_GLOBALS:
        return CompiledCondition(cond.field, -1, cond.op, cond.value)
    prefix, _, name = cond.field.partition(".")
    return CompiledCondition(name, concrete_sides(prefix, owner)[0], cond.op, cond.value)


def calendar_year(scenario: Scenario, turn: np.ndarray) -> np.ndarray:
    """Calendar year (fractional quarters) of the quarter being resolved at a turn count (Tables.year)."""
    year: np.ndarray = scenario.start_year + (scenario.start_quarter - 1 + turn) * 0.25
    return year


def dies_per_wafer(die_mm2: float, wafer_mm: float) -> float:
    """Gross dies on a round wafer (the usual edge-loss formula)."""
    r = wafer_mm / 2.0
    return math.pi * r * r / die_mm2 - math.pi * wafer_mm / math.sqrt(2.0 * die_mm2)


SIDE_CONSTANTS = ("budget_growth_q", "debt_limit", "credit_line_busd", "revenue_mult", "mw_per_kw", "power_usd_per_kwh",
                  "power_cost_busd_per_mw", "power_build_q", "fab_build_q", "abroad_fab_build_q", "new_fabs_onshore",
                  "builds_abroad", "onshore_premium", "allied_euv",
                  "imports_chips", "smuggles_chips", "ladder_len")


class SideTiles:
    """Tables' per-side constants, each repeated to (batch, 2) for one batch size, read-only. Numpy works through a
    (batch, 2) array and a (2,) one broadcast over it a pair of elements at a time, several times slower than
    through two (batch, 2) arrays; the values are the same."""

    budget_growth_q: np.ndarray
    debt_limit: np.ndarray
    credit_line_busd: np.ndarray
    revenue_mult: np.ndarray
    mw_per_kw: np.ndarray
    power_usd_per_kwh: np.ndarray
    power_cost_busd_per_mw: np.ndarray
    power_build_q: np.ndarray
    fab_build_q: np.ndarray
    abroad_fab_build_q: np.ndarray
    new_fabs_onshore: np.ndarray
    builds_abroad: np.ndarray
    onshore_premium: np.ndarray
    allied_euv: np.ndarray
    imports_chips: np.ndarray
    smuggles_chips: np.ndarray
    ladder_len: np.ndarray

    def __init__(self, t: Tables, batch: int) -> None:
        for name in SIDE_CONSTANTS:
            tile = np.tile(getattr(t, name), (batch, 1))
            tile.flags.writeable = False
            setattr(self, name, tile)


class Tables:
    """Arrays for one content folder and scenario; shared read-only by every game in a batch."""

    def __init__(self, content: Content, scenario: Scenario) -> None:
        self.content = content
        self.scenario = scenario
        self.year_by_turn = calendar_year(scenario, np.arange(scenario.turns + 1))  # 0 .. the last quarter
        rules = content.rules
        self.rules = rules
        self.scoring = content.scoring
        sup = rules.supply
        nodes = sorted(content.nodes, key=lambda n: n.rank)
        self.nodes = tuple(nodes)
        node_ids = [n.id for n in nodes]
        self.node_perf = np.array([n.perf_factor for n in nodes])
        self.node_cost = np.array([n.fab_cost_busd_per_kwpq for n in nodes])
        self.node_year = np.array([n.year for n in nodes])
        self.node_needs_euv = np.array([n.needs_euv for n in nodes])
        self.node_duv_yield = np.array([1.0 if not n.needs_euv else n.duv_yield_mult for n in nodes])
        self.node_duv_tool = np.array([1.0 if not n.needs_euv else n.duv_tool_mult for n in nodes])
        self.node_start_yield = np.array([n.start_yield for n in nodes])
        self.node_max_yield = np.array([n.max_yield for n in nodes])
        self.node_learn = np.array([n.learn_rate for n in nodes])

        chips = content.chips
        self.chips = chips
        self.chip_ids = [c.id for c in chips]
        # Usable FLOP/s: peak times the achieved share (REFERENCE s1), the one figure that ranks chips and counts
        # as compute everywhere (a 910B's peak buys less than its number says).
        self.chip_flops = np.array([c.bf16_tflops * c.usable * 1e12 for c in chips])
        self.chip_kw = np.array([c.server_kw for c in chips])
        self.chip_price_busd = np.array([c.price_kusd * 1e-6 for c in chips])
        self.chip_node = np.array([node_ids.index(c.node) for c in chips])
        self.chip_year = np.array([c.year for c in chips])
        self.chip_design_cost = np.array([c.design_cost_busd for c in chips])
        self.chip_dies_wafer = np.array([dies_per_wafer(c.die_mm2, sup.wafer_diameter_mm) for c in chips])
        self.chip_dies = np.array([float(c.dies_per_chip) for c in chips])
        # What a chip made on each node is worth against one made on its design node (a lesser node is slower).
        self.chip_perf_by_node = np.minimum(1.0, self.node_perf / self.node_perf[self.chip_node][:, None])
        # Best chip a side that imports may buy at each turn and export tier (-1: none): the most usable FLOP/s
        # a dollar among the chips the tier allows that have reached their year (none is sold before it).
        n_tiers = len(rules.export_tiers)
        years = self.year(np.arange(scenario.turns + 1))
        best = np.full((len(years), n_tiers + 1), -1)
        for k, year in enumerate(years):
            for tier in range(n_tiers + 1):
                allowed = [i for i, c in enumerate(chips) if c.export_max_tier >= tier and c.year <= year]
                if allowed:
                    best[k, tier] = max(allowed, key=lambda i: (self.chip_flops[i] / self.chip_price_busd[i], -i))
        self.import_chip_by_turn_tier = best
        self.n_tiers = n_tiers

        sectors = content.sectors
        self.sectors = sectors
        self.sector_min_cap = np.array([s.min_capability for s in sectors])
        # Markets are stated for one year (apps.market_year): before it they grow at the early rate (the
        # gen-AI boom), after it at each sector's own; a scenario that starts earlier starts with them smaller.
        ap = rules.apps
        own_q = mathx.root4(np.array([1.0 + s.growth_per_year for s in sectors]))
        early_q = mathx.root4(np.full(len(sectors), 1.0 + ap.early_growth_per_year)) if ap.early_growth_per_year > 0 \
            else own_q
        early = self.year(np.arange(scenario.turns + 1)) < ap.market_year
        self.sector_growth_q_by_turn = np.where(early[:, None], early_q, own_q)
        start_year = scenario.start_year + (scenario.start_quarter - 1) * 0.25
        quarters_early = max(0, round((ap.market_year - start_year) * 4))
        self.sector_market = (np.array([s.market_busd_per_q for s in sectors])
                              / mathx.pow10(quarters_early * mathx.log10(early_q)))
        # Research's reference money and compute are stated for research.ref_year; before it the field was
        # smaller and the same pace took less (REFERENCE s3: efficiency ~2.8x a year while budgets and compute grew).
        rs = rules.research
        years_before = np.maximum(rs.ref_year - self.year(np.arange(scenario.turns + 1)), 0.0)
        busd_log10 = mathx.log10(1.0 + rs.early_ref_busd_growth_per_year)
        eflop_log10 = mathx.log10(1.0 + rs.early_ref_eflop_growth_per_year)
        self.research_ref_busd_by_turn = rs.ref_busd / mathx.pow10(years_before * busd_log10)
        self.research_ref_eflop_by_turn = rs.ref_eflop / mathx.pow10(years_before * eflop_log10)
        self.sector_speed = np.array([s.adoption_speed for s in sectors])
        self.sector_infer = np.array([s.inference_eflop_per_busd for s in sectors])
        self.sector_churn = np.array([s.churn for s in sectors])
        self.sector_national = np.array([s.national for s in sectors], dtype=bool)
        # The share of a sector's market the two sides may hold between them (one each where it is national).
        self.sector_open_share = np.where(self.sector_national, 1.0, 1.0 - rules.apps.rest_of_world_share)
        sides = (scenario.sides.us, scenario.sides.cn)
        self.starts = sides

        def per_side(name: str) -> np.ndarray:
            return np.array([float(getattr(s, name)) for s in sides])

        self.budget_growth_q = mathx.root4(np.array([1.0 + s.budget_growth_per_year for s in sides]))
        self.debt_limit = per_side("debt_limit_busd")
        self.credit_line_busd = self.debt_limit * rules.money.credit_share  # money.credit_line
        self.revenue_mult = per_side("revenue_mult")
        self.pue = per_side("pue")
        self.mw_per_kw = self.pue / 1000.0  # a server's draw with its datacenter's overhead
        self.power_usd_per_kwh = per_side("power_usd_per_kwh")
        self.power_cost_busd_per_mw = per_side("power_capex_musd_per_mw") * 1e-3
        self.power_build_q = np.array([s.power_build_quarters for s in sides])
        self.power_max_mw = per_side("power_max_mw_per_q")
        self.power_max_log10_growth_q = 0.25 * mathx.log10(np.array([1.0 + s.power_max_growth_per_year for s in sides]))
        # MW the grid connects a quarter, by turn (0 .. the last quarter), per side: looked up, not recomputed.
        turns = np.arange(scenario.turns + 1, dtype=np.float64)[:, None]
        self.grid_mw_by_turn = self.power_max_mw * mathx.pow10(turns * self.power_max_log10_growth_q)
        self.fab_build_q = np.array([s.fab_build_quarters for s in sides])
        self.abroad_fab_build_q = np.array([s.fab_build_quarters if s.abroad_fab_build_quarters is None
                                            else s.abroad_fab_build_quarters for s in sides])
        self.new_fabs_onshore = np.array([s.new_fabs_onshore_share for s in sides])
        self.builds_abroad = np.array([s.builds_abroad for s in sides])
        self.onshore_premium = per_side("onshore_cost_premium")
        # The largest run's share of training compute, by turn (0 .. the last quarter), per side: it grows as a
        # side's labs concentrate compute in single clusters, up to its ceiling (a scenario fact with its source).
        share_growth_log10_q = 0.25 * mathx.log10(1.0 + per_side("frontier_share_growth_per_year"))
        self.frontier_share_by_turn = np.minimum(per_side("frontier_share") * mathx.pow10(turns * share_growth_log10_q),
                                                 np.maximum(per_side("frontier_share_max"), per_side("frontier_share")))
        # Who may get what from abroad: the scenario says, per side.
        self.allied_euv = np.array([s.allied_euv for s in sides])
        self.imports_chips = np.array([s.imports_chips for s in sides])
        self.smuggles_chips = np.array([s.smuggles_chips for s in sides])
        ladder_len = max(len(s.design_ladder) for s in sides)
        self.ladder = np.array([[self.chip_ids.index(c) for c in s.design_ladder] +
                                [self.chip_ids.index(s.design_ladder[-1])] * (ladder_len - len(s.design_ladder))
                                for s in sides])
        self.ladder_len = np.array([len(s.design_ladder) for s in sides])
        # By side and ladder step: whether it is the top, and the next design's cost and the year it may come in.
        steps = np.arange(ladder_len)[None, :]
        self.design_at_top = steps >= self.ladder_len[:, None] - 1
        nxt = self.ladder[np.arange(2)[:, None], np.minimum(steps + 1, self.ladder_len[:, None] - 1)]
        self.design_next_cost = self.chip_design_cost[nxt]
        self.design_next_year = self.chip_year[nxt] - rules.supply.design_years_early
        # Pipelines are rings indexed by turn, one slot longer than the longest build.
        self.fab_slots = int(max(self.fab_build_q.max(), self.abroad_fab_build_q.max())) + 1
        self.power_slots = int(self.power_build_q.max()) + 1

        # Actions: one per (policy, side that may take it).
        slots: list[tuple[int, int]] = []
        for pi, pol in enumerate(content.policies):
            for side in ((0, 1) if pol.side == "both" else (SIDES.index(pol.side),)):
                slots.append((pi, side))
        slot_of = {(content.policies[pi].id, side): a for a, (pi, side) in enumerate(slots)}
        actions = []
        for pi, side in slots:
            pol = content.policies[pi]
            effects = [compile_effect(e, side) for e in pol.effects]
            actions.append(Action(
                policy_id=pol.id, name=pol.name, side=side, cost_busd=pol.cost_busd, cooldown=pol.cooldown,
                duration=pol.duration,
                requires=tuple(slot_of[(r, side)] for r in pol.requires_active if (r, side) in slot_of),
                forbids=tuple(slot_of[(r, side)] for r in pol.forbids_active if (r, side) in slot_of),
                conditions=tuple(compile_condition(c, side) for c in pol.conditions),
                modifiers=tuple(e for e in effects if e.kind == "modifier"),
                stocks=tuple(e for e in effects if e.kind == "stock"),
                description=pol.description))
        # A requirement on a policy the side cannot take can never hold.
        self.unsatisfiable = tuple(
            any((r, a.side) not in slot_of for r in content.policy(a.policy_id).requires_active) for a in actions)
        self.actions = tuple(actions)
        self.action_side = np.array([a.side for a in actions], dtype=np.int64)
        self.action_cost = np.array([a.cost_busd for a in actions])
        self.action_index = {(a.policy_id, a.side): i for i, a in enumerate(actions)}

        self.unsatisfiable_mask = np.array(self.unsatisfiable, dtype=bool)
        self.satisfiable_mask = ~self.unsatisfiable_mask  # what legal_actions starts from
        # By side: the actions of the other side (an order may not hold them).
        self.others_actions = self.action_side[None, :] != np.arange(2)[:, None]
        self.conditional_actions = tuple(i for i, a in enumerate(actions) if a.conditions or a.requires or a.forbids)
        self.tier_modifiers = tuple(tuple(compile_effect(e, 0) for e in t.effects if e.kind == "modifier")
                                    for t in rules.export_tiers)
        self.events = content.events
        self.event_conditions = tuple(tuple(compile_condition(c, 0) for c in ev.conditions) for ev in content.events)
        self.event_modifiers = tuple(tuple(compile_effect(e, 0) for e in ev.effects if e.kind == "modifier")
                                     for ev in content.events)
        self.event_stocks = tuple(tuple(compile_effect(e, 0) for e in ev.effects if e.kind == "stock")
                                  for ev in content.events)
        self.event_prob = np.array([ev.probability for ev in content.events])
        # An event dated by history (year_min) may not fire before that quarter, whichever scenario it is in.
        first_turn = [math.ceil((ev.year_min - scenario.start_year) * 4 - (scenario.start_quarter - 1) - 1e-9)
                      for ev in content.events]
        self.event_turn_min = np.array([max(ev.turn_min, k) for ev, k in zip(content.events, first_turn, strict=True)])
        self.event_turn_max = np.array([ev.turn_max for ev in content.events])
        self.event_once = np.array([ev.once for ev in content.events], dtype=bool)
        # Which events their dates allow in the quarter resolved at each turn (0 .. the last quarter).
        at = np.arange(scenario.turns + 1)[:, None]
        self.event_window_by_turn = (at >= self.event_turn_min) & (at <= self.event_turn_max)
        self.event_duration = np.array([ev.duration for ev in content.events])

        # Every modifier effect in one table: source column (policies, then tiers, then events), side,
        # modifier, op and value; sources line up with policy.compute_modifiers.
        rows = []
        groups = ([a.modifiers for a in self.actions], list(self.tier_modifiers), list(self.event_modifiers))
        offset = 0
        for group in groups:
            for k, source_effects in enumerate(group):
                for eff in source_effects:
                    for side in eff.sides:
                        rows.append((offset + k, side, eff.index, eff.op == "mul", eff.value))
            offset += len(group)
        self.eff_source = np.array([r[0] for r in rows], dtype=np.int64)
        self.eff_side = np.array([r[1] for r in rows], dtype=np.int64)
        self.eff_mod = np.array([r[2] for r in rows], dtype=np.int64)
        self.eff_is_mul = np.array([r[3] for r in rows], dtype=bool)
        self.eff_value = np.array([r[4] for r in rows], dtype=np.float64)
        self.mod_is_add = np.array([m in ADD_MODIFIERS for m in MODIFIERS])
        self.mod_index = {m: i for i, m in enumerate(MODIFIERS)}
        # Each side's modifier (as side * len(MODIFIERS) + modifier) with the effects on it, in table order.
        mod_slots = self.eff_side * len(MODIFIERS) + self.eff_mod
        self.effects_by_modifier = tuple((int(s), tuple(int(e) for e in np.flatnonzero(mod_slots == s)))
                                         for s in np.unique(mod_slots))
        sc = self.scoring
        self.verdict_weights = np.array([getattr(sc, name) for name in VERDICT_PARTS])
        # Quarter t's weight on the track (t = 1 .. the scenario's turns; 0 before and after): growing by
        # quarter_growth_per_year a year, through a fourth root (exact square roots, so the same on every
        # machine), and summing to 1 over the scenario.
        n_turns = self.scenario.turns
        step = float(mathx.root4(1.0 + sc.quarter_growth_per_year))
        raw = [1.0]
        for _ in range(n_turns - 1):
            raw.append(raw[-1] * step)
        weight_sum = math.fsum(raw)
        self.quarter_weight = np.zeros(n_turns + 2)
        self.quarter_weight[1:n_turns + 1] = [q / weight_sum for q in raw]
        # Points still to play after a turn count: 100 x the weight of the quarters not yet resolved.
        left = [math.fsum(self.quarter_weight[k + 1:]) for k in range(n_turns + 2)]
        self.points_left_by_turn = 100.0 * np.array(left)
        self.decisive_log10: float = next(t.log10_eff for t in rules.capability.tiers if t.name == sc.decisive_tier)
        # The fabs layer's node rules, looked up rather than worked out for every game each quarter.
        from game.engine import fabs

        self.node_rules_by_euv = fabs.node_rules(self)
        self.node_target_by_turn = fabs.node_target_by_turn(self)
        # Export tiers 1 .. n (a game has reached each tier at or below its own): compute_modifiers' sources.
        self.tier_numbers = np.arange(1, self.n_tiers + 1)
        # The fleet's ring slots of the cohorts installed in the last supply_quarters quarters, by the slot of the
        # quarter at hand (turn % fleet life): what self_sufficiency reads.
        life = rules.supply.fleet_life_quarters
        self.recent_cohorts = (np.arange(life)[:, None] - 1 - np.arange(sc.supply_quarters)[None, :]) % life
        self._tiles: dict[int, SideTiles] = {}
        self.modifier_memo: dict[bytes, np.ndarray] = {}  # policy.compute_modifiers, for small batches

    def sided(self, batch: int) -> SideTiles:
        """The per-side constants repeated for a batch of `batch` games (kept for the last few batch sizes)."""
        tiles = self._tiles.get(batch)
        if tiles is None:
            if len(self._tiles) >= 8:  # look-ahead batches shrink as games end: keep the table small
                self._tiles.clear()
            tiles = self._tiles[batch] = SideTiles(self, batch)
        return tiles

    def frontier_share(self, turn: np.ndarray) -> np.ndarray:
        """The largest run's share of each side's training compute in the quarter resolved at `turn`, (batch, 2)."""
        from game.engine.state import rows_by_turn

        return rows_by_turn(self.frontier_share_by_turn, turn)

    def sector_growth_q(self, turn: np.ndarray) -> np.ndarray:
        """Each market's growth in the quarter resolved at `turn`, (batch, sectors)."""
        table = self.sector_growth_q_by_turn
        growth: np.ndarray = table[turn] if turns_in(turn, len(table)) else table[np.minimum(turn, len(table) - 1)]
        return growth

    def import_chip(self, turn: np.ndarray, tier: np.ndarray) -> np.ndarray:
        """The chip a side that imports buys in the quarter resolved at `turn` under export `tier` (-1: none)."""
        chip: np.ndarray = self.import_chip_by_turn_tier[np.minimum(turn, self.scenario.turns),
                                                         np.minimum(tier, self.n_tiers)]
        return chip

    def year(self, turn: np.ndarray) -> np.ndarray:
        """Calendar year (fractional quarters) of the quarter being resolved at a turn count: looked up within the
        scenario (the same sums, made once), else worked out."""
        if isinstance(turn, np.ndarray) and turns_in(turn, len(self.year_by_turn)):
            year: np.ndarray = self.year_by_turn[turn]
            return year
        return calendar_year(self.scenario, turn)
