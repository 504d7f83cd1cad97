"""The heuristic planner behind the `normal` and `easy` opponents.

It plans in dollars, then turns the dollars into shares of the quarter's pot:
  1. how much to spend: expected net income plus part of the treasury above a reserve
     (or, in debt, less than income to pay it back);
  2. the compute split: enough inference to serve its customers, a research share, the rest trains;
  3. training money: exactly what the training compute will burn (compute without it idles);
  4. the rest by weights over the stack, which react to what the side can see: export controls
     that close imports, power shortages, a rival's open-weights release, falling behind, being
     close to the transformative-AI bars;
  5. policies valued from their effects in content (a table of what each modifier is worth), so a
     modder's new policy is judged without code; effects on the chips a side gets from abroad (imports,
     smuggling, export tiers, licence fees) by the whole verdict instead: the points a foreign chip wins or
     loses in the world as the side believes it (its intelligence on the rival), against the money.

It reads its own state and `view` (the rival as estimated by intelligence), never the rival's state.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping

import attrs
import numpy as np

from game.ai.base import Decision, Strategy, own_legal
from game.engine import apps, infra, mathx, models, money, observe, physics, streams
from game.engine.observe import View
from game.engine.orders import OrderBatch
from game.engine.state import FLOPS, MW
from game.engine.tables import CATEGORIES

C = {name: i for i, name in enumerate(CATEGORIES)}

# What a modifier is worth to the side it applies to, per unit of ln(multiplier) (multiplicative
# modifiers) or per unit added (additive ones). Negative: lower is better (costs, prices).
MOD_VALUE = {
    "budget": 4.0, "revenue": 2.0, "fab_cost": -1.0, "fab_output": 1.0, "yield_learning": 0.5,
    "tool_price": -0.5, "tool_supply": 0.5, "packaging": 1.0, "import_cap": 0.4, "power_cost": -0.5,
    "power_build_cost": -0.8, "power_capacity": 2.0, "research": 2.0, "training": 2.5, "adoption": 1.5,
    "mindshare": 1.0, "follow": 1.0, "intel": 0.2, "chip_price": -2.0, "design_cost": -0.5, "opex": -1.5,
    "packaging_growth": 0.5, "onshore": 1.0,
    "duv_blocked": -0.6, "open_ban": -0.2, "auto_open": 0.2,
}
# What a one-off change of a stock is worth to the side it lands on, per unit.
STOCK_VALUE = {
    "treasury_busd": 0.05, "efficiency_log10": 8.0, "mindshare": 8.0, "import_credit_busd": 0.05,
    "power_mw": 0.0005, "packaging_chips_per_q": 1e-6, "intel_level": 0.2, "fab_wafers_per_q": 2e-5,
    "model_open": 0.1, "fleet": 3.0,
}
# Effects that change the chips a side buys from abroad (imports, smuggled) or what they cost: valued per game by
# the whole verdict (foreign_values), not by a fixed worth, so they are left out of the table values.
FOREIGN_MODIFIERS = ("import_cap", "smuggle_kchips", "import_fee")
FOREIGN_STOCKS = ("export_tier",)
COST_UNIT = 0.05        # what $1B is worth in the planner's units (an action's cost counts this much a $B)
# What one point on the track (of 100) is worth in the planner's units: a design assumption of the AI, about
# $40B of the side's money (a point moves a close game's result; σ of the final margin is ~3 points).
UNITS_PER_POINT = 2.0
PROBE_EFLOPS = 1.0      # the probe's size: one EFLOP/s more usable compute (small beside either fleet)
# A lasting share more compute makes the side's next frontier run that share larger (DESIGN "Winning": the frontier
# is log10 of the best model's effective compute; runs scale with the training compute a side has).
FRONTIER_PASS = 1.0


def chip_points(bel) -> np.ndarray:
    """(B, 2): the verdict points (engine.observe's verdict, weighted by the scoring parts in content, per unit of
    quarter weight) each side gains per EFLOP/s of usable compute made abroad added to its fleet, in `bel`: the
    world as one side believes it (ai.belief: its own state exact, the rival's rebuilt from its intelligence
    estimates), so a poor estimate of the rival's compute, frontier or self-sufficiency values chips wrongly. The
    compute part and the frontier (the next run is larger) gain; the supply part loses (the chips are not the
    side's own). `bel` is left as it was."""
    base = observe.points(bel)
    derived = (bel.capability.copy(), bel.verdict.copy())  # what observe.refresh makes of `bel` as it is
    gain = np.empty((bel.batch, 2))
    delta = PROBE_EFLOPS * 1e18
    for k in (0, 1):  # one EFLOP/s more abroad-made for each side in turn, put back after
        kept = (bel.fleet_total[:, k].copy(), bel.compute_flops[:, k].copy(), bel.model_log10_eff[:, k].copy())
        fleet = bel.fleet_total[:, k]
        grown = delta / np.maximum(fleet[:, FLOPS], 1.0)
        fleet[:, FLOPS] += delta
        bel.compute_flops[:, k] += delta * bel.utilisation[:, k]
        bel.model_log10_eff[:, k] += FRONTIER_PASS * mathx.log10(1.0 + grown)
        observe.refresh(bel)
        gain[:, k] = (observe.points(bel)[:, k] - base[:, k]) / PROBE_EFLOPS
        bel.fleet_total[:, k], bel.compute_flops[:, k], bel.model_log10_eff[:, k] = kept
    bel.capability[:], bel.verdict[:] = derived
    return gain


# How far above the onshore share of the rival's new chips a planner aims its own new fab capacity (choose_onshore):
# a step, so its supply part rises past the rival's rather than chasing it.
ONSHORE_STEP = 0.1

# foreign_actions by content (the Tables object itself: forgotten with it), then side.
_FOREIGN: weakref.WeakKeyDictionary[object, dict[int, tuple[np.ndarray, np.ndarray]]] = weakref.WeakKeyDictionary()


def foreign_actions(t, side: int) -> tuple[np.ndarray, np.ndarray]:
    """(actions, tier worths) for foreign_values, per content: the indices of `side`'s actions that change the
    chips a side gets from abroad (FOREIGN_MODIFIERS, FOREIGN_STOCKS), and tier_values(t, side)."""
    from game.content.vocab import MODIFIERS, STOCKS

    cached = _FOREIGN.get(t, {}).get(side)
    if cached is None:
        relevant = np.array([a for a, act in enumerate(t.actions) if act.side == side and (
            any(MODIFIERS[e.index] in FOREIGN_MODIFIERS for e in act.modifiers)
            or any(STOCKS[e.index] in FOREIGN_STOCKS for e in act.stocks))], dtype=np.int64)
        cached = _FOREIGN.setdefault(t, {})[side] = (relevant, tier_values(t, side))
    return cached


def foreign_values(world, side: int, wanted: np.ndarray | None = None) -> np.ndarray:
    """(B, A): what each of `side`'s actions is worth through the chips it brings either side from abroad (or keeps
    out): the verdict points those chips win or lose over the game left (chip_points, points left), against the
    money the side pays for them or receives. An action with no such effect is worth 0 here. `wanted`: (B, A) bool,
    the actions the caller may take (legal, affordable); games where none of these is wanted are left at 0."""
    from game.content.vocab import MODIFIERS, STOCKS

    t = world.tables
    out = np.zeros((world.batch, len(t.actions)))
    relevant, tier_worth = foreign_actions(t, side)
    if not relevant.size:
        return out
    games = None  # the games valued: all of them
    if wanted is not None:
        games = np.flatnonzero(wanted[:, relevant].any(axis=1))
        if not games.size:
            return out
        if games.size == world.batch:
            games = None

    def real(a: np.ndarray) -> np.ndarray:
        """A figure of the real world (not the believed one), for the games valued."""
        return a if games is None else a[games]

    from game.ai.belief import believed

    bel = believed(world, side, games)
    b = bel.batch
    foreign = chip_points(bel)
    imp, smug = infra.foreign_offers(bel)
    mods = real(world.modifiers)
    export_tier = real(world.export_tier)
    turn = real(world.turn)
    mi = t.mod_index
    sup = t.rules.supply
    left = real(observe.points_left(world))[:, None] / 100.0
    sign = np.where(np.arange(2) == side, 1.0, -1.0)[None, :]
    # Foreign money a quarter a side can find for a top-up: a share of its budget (design assumption).
    room = 0.25 * np.maximum(real(money.income(world)), 0.0)
    imp_value = sup.import_cap_busd_per_q * mods[:, :, mi["import_cap"]]
    imp_open = imp.cap > 0
    landed = 1.0 - 0.5 * sup.smuggle_seizure_max  # the seizure's mean share (engine/infra.py: uniform 0 to max)
    smug_eflops_per_busd = smug.flops * landed / smug.price / 1e18
    imp_eflops_per_busd = imp.flops / imp.price / 1e18
    values = np.zeros((b, len(t.actions)))

    def worth(eflops: np.ndarray, paid: np.ndarray) -> np.ndarray:
        """(B,) for `side`: each side's extra usable EFLOP/s a quarter and $B a quarter it pays, (B, 2)."""
        points = UNITS_PER_POINT * mathx.rowsum(sign * foreign * eflops)
        # Money, like chips, is worth what it buys over the quarters left: both scale with the points left.
        return (points - COST_UNIT * paid[:, side]) * left[:, 0]

    for a in relevant:
        act = t.actions[a]
        quarters = 8.0 if act.duration < 0 else float(min(max(act.duration, 1), 8))
        v = np.zeros(b)
        for eff in act.modifiers:
            name = MODIFIERS[eff.index]
            on = np.isin(np.arange(2), eff.sides)[None, :]
            if name == "import_cap":
                more = imp_value * ((eff.value - 1.0) if eff.op == "mul" else eff.value)
                more = np.where(on & imp_open, np.minimum(more, room), 0.0)
                v += quarters * worth(more * imp_eflops_per_busd, more * (1.0 + imp.fee))
            elif name == "smuggle_kchips":
                now = np.maximum(mods[:, :, mi["smuggle_kchips"]], 0.0)
                chips = (np.maximum(mods[:, :, mi["smuggle_kchips"]] + eff.value, 0.0) - now) * 1000.0
                paid = np.clip(chips * smug.price, -room, room)
                paid = np.where(on & t.sided(b).smuggles_chips, paid, 0.0)
                v += quarters * worth(paid * smug_eflops_per_busd, paid)
            elif name == "import_fee":
                fee = np.where(on & imp_open, imp_value * eff.value, 0.0)
                v += quarters * COST_UNIT * (fee[:, 1 - side] - fee[:, side]) * left[:, 0]
        for eff in act.stocks:
            if STOCKS[eff.index] != "export_tier":
                continue
            # A step of the tier changes the chip an importer may buy (or closes imports): the same money a quarter
            # buys more or less usable compute, or none, and stays at home. A step that changes no chip yet is a step
            # toward the next tier that does: worth that change over the steps it takes.
            after = np.clip(np.full_like(export_tier, int(round(eff.value))) if eff.op == "set"
                            else export_tier + int(round(eff.value)), 0, t.n_tiers)
            moved = after - export_tier
            step = np.sign(moved)
            now = t.import_chip(turn, export_tier)
            chip = t.import_chip(turn, after)
            steps = np.ones(b)
            for m in range(1, t.n_tiers + 1):  # look further only where this step changes no chip
                still = (chip == now) & (moved != 0) & (eff.op != "set")
                tier = np.clip(after + step * m, 0, t.n_tiers)
                chip = np.where(still, t.import_chip(turn, tier), chip)
                steps = np.where(still, m + 1.0, steps)
            ok = (chip >= 0)[:, None] & t.sided(b).imports_chips
            idx = np.where(chip >= 0, chip, 0)[:, None]
            price = t.chip_price_busd[idx] * mods[:, :, mi["chip_price"]] * (1.0 + imp.fee)
            per_busd = np.where(ok, t.chip_flops[idx] / price / 1e18, 0.0)
            spent_then = np.where(ok, imp_value, 0.0)
            spent_now = np.where(imp_open, imp_value, 0.0)
            eflops = spent_then * per_busd - spent_now * np.where(imp_open, imp_eflops_per_busd, 0.0)
            changes = (chip != now) & (moved != 0)
            v += 8.0 * np.where(changes, worth(eflops, spent_then - spent_now) / steps, 0.0)
            # And the tiers it puts in force or lifts (HBM and tool controls, ...), each worth its effects.
            held = np.arange(1, t.n_tiers + 1)[None, :]
            change = (after[:, None] >= held).astype(float) - (export_tier[:, None] >= held)
            v += change @ tier_worth
        values[:, a] = v
    if games is None:
        return values
    out[games] = values
    return out


@attrs.frozen(kw_only=True)
class Temperament:
    """The knobs that make one planner differ from another."""

    name: str
    reserve_share: float = 0.0      # treasury kept in hand, as a share of the debt limit
    drawdown: float = 0.5           # share of the treasury above the reserve spent each quarter
    repay: float = 0.25             # share of debt below the reserve paid back each quarter
    adapts: bool = True             # reacts to controls, power, open releases, the rival
    fixed_split: tuple[float, float, float] | None = None  # ignore customers and use this split
    research_share: float = 0.2     # of compute, when the split adapts
    intel_share: float = 0.01       # of spending
    action_rule: str = "value"      # "value": take what is worth its cost; "whim": take things at random
    whim_rate: float = 0.25
    race_reach: float = 15.0        # capability points below the decisive tier where the race for it starts
    race_training: float = 0.2      # compute share moved to training to press a decisive lead, or deny one
    weights_us: dict[str, float] = attrs.field(factory=lambda: {
        "fabs": 0.10, "lithography": 0.03, "design": 0.05, "compute": 0.55, "research": 0.10, "applications": 0.17})
    weights_cn: dict[str, float] = attrs.field(factory=lambda: {
        "fabs": 0.14, "lithography": 0.06, "design": 0.06, "compute": 0.50, "research": 0.12, "applications": 0.12})


NORMAL = Temperament(name="Normal")
EASY = Temperament(
    name="Easy", reserve_share=0.3, drawdown=0.08, repay=0.5, adapts=False, fixed_split=(0.55, 0.30, 0.15),
    intel_share=0.0, action_rule="whim",
    weights_us={"fabs": 0.05, "lithography": 0.02, "design": 0.03, "compute": 0.70, "research": 0.03,
                "applications": 0.17},
    weights_cn={"fabs": 0.05, "lithography": 0.02, "design": 0.03, "compute": 0.70, "research": 0.03,
                "applications": 0.17})


@attrs.frozen
class Plan:
    """A plan in dollars before it becomes orders, with the reasons for the explain line."""

    spend: np.ndarray        # (B,) $B to spend
    weights: np.ndarray      # (B, 8) weights over categories (training and intelligence are fixed sums)
    training: np.ndarray     # (B,) $B for the run
    intel: np.ndarray        # (B,) $B
    split: np.ndarray        # (B, 3)
    reasons: list[list[str]]
    lead: np.ndarray | None = None  # (B,) the side's lead in months as it sees it (None: not leading anywhere)


def allocation_of(plan: Plan, pot: np.ndarray) -> np.ndarray:
    """(B, 8) the plan's dollars as shares of the pot (B,) each side divides this quarter."""
    dollars = plan.weights * plan.spend[:, None]
    dollars[:, C["training"]] += plan.training
    dollars[:, C["intelligence"]] += plan.intel
    safe = np.where(pot > 0, pot, 1.0)[:, None]
    alloc = np.where(pot[:, None] > 0, dollars / safe, 0.0)
    total = mathx.rowsum(alloc)
    alloc = np.where(total[:, None] > 1.0, alloc / np.maximum(total, 1e-12)[:, None], alloc)
    out: np.ndarray = np.clip(alloc, 0.0, 1.0) * (1.0 - 1e-12)
    return out


def quarter_flop(world, side: int) -> np.ndarray:
    t = world.tables
    return physics.quarter_flop(world.compute_flops[:, side], t.rules.supply.seconds_per_quarter, t.rules.training.mfu)


def inference_need(world, side: int) -> np.ndarray:
    """Inference FLOP next quarter's customers need (as apps.deploy will ask), from own state."""
    t = world.tables
    market = world.market_busd * t.sector_growth_q(world.turn)
    return apps.inference_demand(t, world.adoption[:, side], market, world.efficiency_log10[:, side]) * 1e18


def training_cost(world, side: int, split_training: np.ndarray) -> np.ndarray:
    """$B the run burns if the training share of this quarter's compute all goes to it."""
    t = world.tables
    mi = t.mod_index
    flop = models.training_flop(t, quarter_flop(world, side), split_training, t.frontier_share(world.turn)[:, side],
                                world.modifiers[:, side, mi["training"]])
    opex = world.train_opex_usd_per_eflop[:, side] * world.modifiers[:, side, mi["opex"]]
    return flop / 1e18 * opex * 1e-9


def race_for_decisive(t, seen: Mapping[str, np.ndarray], reach: float) -> tuple[np.ndarray, np.ndarray]:
    """(press, deny) per game from what the side sees: press when its own model is within `reach` capability
    points of the decisive tier and it leads by a third of the decisive margin or more; deny when the same holds
    for the rival (as estimated)."""
    sc = t.scoring
    bar = observe.decisive_bar(t)
    lead = seen["lead_months"]
    third = sc.decisive_margin_months / 3.0
    press = (seen["self.capability"] > bar - reach) & (lead >= third)
    deny = (seen["rival.capability"] > bar - reach) & (-lead >= third)
    return press, deny


def opens_own_weights(t, side: int) -> np.ndarray:
    """(A,) the side's actions that open its own model's weights (a model_open stock set, or auto_open)."""
    from game.content.vocab import MODIFIERS, STOCKS

    out = np.zeros(len(t.actions), dtype=bool)
    for a, act in enumerate(t.actions):
        if act.side == side:
            out[a] = any(STOCKS[e.index] == "model_open" and e.value > 0 and side in e.sides for e in act.stocks) \
                or any(MODIFIERS[e.index] == "auto_open" and e.value > 0 and side in e.sides for e in act.modifiers)
    return out


def modifier_worth(name: str, eff, side: int, quarters: float) -> float:
    """What a modifier effect held `quarters` is worth to `side` by the table (MOD_VALUE)."""
    unit = float(mathx.ln(max(eff.value, 1e-9))) if eff.op == "mul" else eff.value
    return sum((1.0 if s == side else -1.0) * MOD_VALUE.get(name, 0.0) * unit * quarters / 4.0 for s in eff.sides)


def tier_values(t, side: int) -> np.ndarray:
    """(tiers,) what each export tier's own modifiers are worth to `side` while it holds (two years, as a policy
    that lasts the game is counted)."""
    from game.content.vocab import MODIFIERS

    return np.array([sum(modifier_worth(MODIFIERS[e.index], e, side, 8.0) for e in effects
                         if MODIFIERS[e.index] not in FOREIGN_MODIFIERS) for effects in t.tier_modifiers])


def changes_tier(t) -> np.ndarray:
    """(A,) bool: the actions that change the export tier."""
    from game.content.vocab import STOCKS

    return np.array([any(STOCKS[e.index] == "export_tier" for e in act.stocks) for act in t.actions])


def action_values(world, side: int) -> np.ndarray:
    """Worth of each action to `side`, from its effects in content, minus its cost. (A,)"""
    t = world.tables
    from game.content.vocab import MODIFIERS, STOCKS

    out = np.zeros(len(t.actions))
    for a, act in enumerate(t.actions):
        if act.side != side:
            continue
        span = 8.0 if act.duration < 0 else min(max(act.duration, 1), 8)
        span = span / 4.0
        v = 0.0
        for eff in act.modifiers:
            name = MODIFIERS[eff.index]
            if name in FOREIGN_MODIFIERS:
                continue  # valued per game by the verdict: foreign_values
            v += modifier_worth(name, eff, side, span * 4.0)
        for eff in act.stocks:
            name = STOCKS[eff.index]
            if name in FOREIGN_STOCKS:
                continue  # valued per game by the verdict: foreign_values
            unit = float(mathx.ln(max(eff.value, 1e-9))) if eff.op == "mul" else eff.value
            for s in eff.sides:
                v += (1.0 if s == side else -1.0) * STOCK_VALUE.get(name, 0.0) * unit
        out[a] = v - COST_UNIT * act.cost_busd
    return out


class Planner(Strategy):
    """`without`: policy ids it never takes (balance --policies measures what each one is worth)."""

    def __init__(self, temper: Temperament = NORMAL, strategy_id: str = "normal",
                 without: frozenset[str] = frozenset()) -> None:
        self.temper = temper
        self.id = strategy_id
        self.name = temper.name + (f" without {', '.join(sorted(without))}" if without else "")
        self.without = without
        self._values: dict[int, tuple[object, np.ndarray, np.ndarray, np.ndarray]] = {}

    # -- the plan ------------------------------------------------------------------------------
    def make_plan(self, world, side: int, explain: bool = True) -> Plan:
        """The plan for every game; `explain` False leaves out the reasons (a Python loop over games), for the
        callers that never read them: orders alone, and the look-ahead."""
        p = self.temper
        t = world.tables
        b = world.batch
        seen = View(world, side)
        reasons: list[list[str]] = [[] for _ in range(b)] if explain else []

        def note(mask: np.ndarray, text: str) -> None:
            if explain:
                for i in np.flatnonzero(mask):
                    reasons[i].append(text)

        limit = t.debt_limit[side]
        treasury = world.treasury_busd[:, side]
        base = money.income(world)[:, side]
        income = base + world.revenue_busd[:, side] * t.rules.money.reinvest_share \
            - infra.energy_cost(world)[:, side] - money.interest(world)[:, side]
        reserve = p.reserve_share * limit
        excess = treasury - reserve
        spend = income + np.where(excess > 0, p.drawdown * excess, p.repay * excess)
        spend = np.maximum(spend, 0.3 * base)
        in_debt = treasury < -0.3 * limit
        note(in_debt & (p.repay > 0), "in debt, so it pays some back")

        # The compute split.
        qf = np.maximum(quarter_flop(world, side), 1.0)
        if p.fixed_split is not None:
            split = np.tile(np.array(p.fixed_split), (b, 1))
        else:
            infer = np.clip(1.15 * inference_need(world, side) / qf, 0.1, 0.7)
            research = np.full(b, p.research_share)
            training = np.maximum(1.0 - infer - research, 0.1)
            if p.adapts:
                # A rival's open weights (or a stronger rival) make fast-following cheap: train more.
                rival_open = seen["rival.model_open"] > 0.5
                behind = seen["rival.capability"] > seen["self.capability"] + 1.0
                boost = rival_open & behind
                training = np.where(boost, training + 0.15, training)
                note(boost, "the rival's weights are open, so it trains to fast-follow")
                press, deny = race_for_decisive(t, seen, p.race_reach)
                training = np.where(press | deny, training + p.race_training, training)
                note(press, "a decisive lead is within reach, so it trains harder to press it")
                note(deny, "the rival is close to a decisive lead, so it trains harder to deny it")
            total = infer + research + training
            split = np.stack([training, infer, research], axis=1) / total[:, None]

        # Money for the run: what its compute will burn (with headroom for this quarter's new chips).
        training_money = np.minimum(1.2 * training_cost(world, side, split[:, 0]), 0.45 * spend)
        intel = np.minimum(p.intel_share * spend, 1.5)
        rest = np.maximum(spend - training_money - intel, 0.0)

        weights = np.zeros((b, len(CATEGORIES)))
        base_weights = p.weights_us if side == 0 else p.weights_cn
        for name, w in base_weights.items():
            weights[:, C[name]] = w
        if p.adapts:
            self.adapt(world, side, seen, weights, note)
        weights = weights / np.maximum(mathx.rowsum(weights), 1e-12)[:, None]
        return Plan(spend=rest, weights=weights, training=training_money, intel=intel, split=split, reasons=reasons,
                    lead=seen["lead_months"])

    def adapt(self, world, side: int, seen, weights: np.ndarray, note) -> None:
        t = world.tables
        sc = t.scoring
        # Imports closed (for a side that imports): build the domestic supply chain instead.
        if t.imports_chips[side]:
            imp = t.import_chip(world.turn, world.export_tier)
            closed = imp < 0
            weights[:, C["compute"]] -= np.where(closed, 0.12, 0.0)
            weights[:, C["fabs"]] += np.where(closed, 0.06, 0.0)
            weights[:, C["lithography"]] += np.where(closed, 0.03, 0.0)
            weights[:, C["design"]] += np.where(closed, 0.03, 0.0)
            note(closed, "imports are closed, so it builds fabs and tools at home")
        # No EUV and no programme finished: lithography is the bottleneck.
        no_euv = (world.euv_tools[:, side] < 1.0) & ~world.euv_domestic[:, side]
        weights[:, C["lithography"]] += np.where(no_euv, 0.03, 0.0)
        # Power short: datacenters idle, so buy power ahead (compute money builds it) and fewer fabs.
        fleet_mw = world.fleet_total[:, side, MW]
        short = world.utilisation[:, side] < 0.9
        weights[:, C["compute"]] += np.where(short, 0.05, 0.0)
        note(short & (fleet_mw > 0), "power is short, so it builds datacenter power")
        # Design at the top of its ladder: nothing more to buy.
        top = world.design_index[:, side] >= t.ladder_len[side] - 1
        weights[:, C["design"]] = np.where(top, 0.0, weights[:, C["design"]])
        # Behind the rival's capability (as estimated): research to close the gap.
        behind = seen["rival.capability"] > seen["self.capability"] + 3.0
        weights[:, C["research"]] += np.where(behind, 0.05, 0.0)
        note(behind, "behind the rival's models, so it puts more into research")
        # Near the decisive tier: deployment decides, so push applications.
        bar = observe.decisive_bar(t)
        near = (seen["self.capability"] > bar - 20.0) & (seen["self.adoption"] < sc.decisive_deployment + 0.1)
        weights[:, C["applications"]] += np.where(near, 0.10, 0.0)
        note(near, "close to transformative AI, so it pushes deployment")
        np.maximum(weights, 0.0, out=weights)

    # -- plan to orders --------------------------------------------------------------------------
    def orders_from(self, world, side: int, plan: Plan, legal: np.ndarray | None = None) -> OrderBatch:
        """The plan as orders; `legal`: legal_actions(world), if the caller has it."""
        pot, actions, onshore = self.state_orders(world, side, plan.lead, legal)
        return OrderBatch(allocation_of(plan, pot), plan.split, actions, onshore)

    def state_orders(self, world, side: int, lead: np.ndarray | None,
                     legal: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The parts of the orders that depend on the state alone, not on the plan's dollars: the pot the shares
        divide (B,), the actions (B, A) and the onshore share (B,). `lead`: the plan's (the state's, as seen).
        The look-ahead works them out once for rows that share a state (search.SearchStrategy.look_ahead)."""
        pot = money.spendable(world, money.income(world))[:, side]
        return pot, self.choose_actions(world, side, lead, legal), self.choose_onshore(world, side)

    def choose_onshore(self, world, side: int) -> np.ndarray:
        """The share of new fab money built onshore, (B,). A planner that adapts aims its new capacity a step
        (ONSHORE_STEP) above the onshore share of the rival's new chips as it estimates it, so its own supply
        part keeps rising toward a majority; never below the scenario's default, and the premium is what it
        costs. One that does not adapts keeps the default."""
        t = world.tables
        default = np.full(world.batch, float(t.new_fabs_onshore[side]))
        if not self.temper.adapts or not t.builds_abroad[side]:
            return default
        rival = View(world, side)["rival.self_sufficiency"]
        out: np.ndarray = np.clip(np.maximum(default, rival + ONSHORE_STEP), 0.0, 1.0)
        return out

    def choose_actions(self, world, side: int, lead: np.ndarray | None = None,
                       legal: np.ndarray | None = None) -> np.ndarray:
        legal = own_legal(world, side, legal)
        t = world.tables
        if self.without:
            legal = legal & np.array([a.policy_id not in self.without for a in t.actions])[None, :]
        if self.temper.action_rule == "whim":
            idx = np.arange(len(t.actions))[None, :]
            u = mathx.uniform(world.seed[:, None], world.turn[:, None], streams.WHIM + side, idx)
            return legal & (u < self.temper.whim_rate)
        cached = self._values.get(side)
        if cached is None or cached[0] is not t:  # keyed by the Tables object itself, kept alive here
            cached = self._values[side] = (t, action_values(world, side), opens_own_weights(t, side), changes_tier(t))
        affordable = t.action_cost[None, :] <= 0.25 * np.maximum(
            world.treasury_busd[:, side] + money.income(world)[:, side], 0.0)[:, None]
        values = cached[1] + foreign_values(world, side, legal & affordable)
        take = legal & affordable & (values > 0.05)
        # Two changes of the export tier in one quarter undo or blur each other: only the one worth most is taken.
        tiered = cached[3]
        if tiered.sum() > 1:
            best = np.where(take & tiered[None, :], values, -np.inf).max(axis=1)
            take &= ~(tiered[None, :] & (values < best[:, None]))
        if lead is not None and self.temper.adapts:
            # A leader's open weights are the follower's cheapest way to catch up (content: the follow rule), so
            # a side ahead on the frontier keeps its weights closed.
            take = take & ~(cached[2][None, :] & (lead > 0.0)[:, None])
        return take

    def decide(self, world, side: int, legal: np.ndarray | None = None) -> OrderBatch:
        return self.orders_from(world, side, self.make_plan(world, side, explain=False), legal)

    def think(self, world, side: int) -> Decision:
        plan = self.make_plan(world, side)
        orders = self.orders_from(world, side, plan)
        return Decision(orders, tuple(self.line(world, i, orders, plan.reasons[i]) for i in range(world.batch)))

    def line(self, world, i: int, orders: OrderBatch, reasons: list[str]) -> str:
        top = int(np.argmax(orders.allocation[i]))
        acts = [world.tables.actions[a].name for a in np.flatnonzero(orders.actions[i])]
        text = f"{self.name}: most money to {CATEGORIES[top]}"
        if reasons:
            text += "; " + "; ".join(reasons[:2])
        if acts:
            text += f"; takes {', '.join(acts)}"
        return text

