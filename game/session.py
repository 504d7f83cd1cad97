"""A game in progress: the world, who plays each side, every turn's orders and what each side saw.

The terminal app, saves and replays all go through a Session. It holds no rules: orders are checked
and resolved by the engine, AI seats decide through their strategy, the forecast is the engine run
one quarter ahead in the world the side believes in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import numpy as np

from game.ai import load_strategy
from game.ai.belief import believed
from game.buys import Carried, RowBuys, carry, what_buys
from game.content import Content, find_scenario, load_content
from game.engine import CATEGORIES, SPLITS, OrderBatch, OrderError, Orders, Tables, legal_actions, new_world, resolve
from game.engine.milestones import Milestone
from game.engine.milestones import milestones as milestones_of
from game.engine.observe import (
    deployment,
    estimate,
    observe,
    points_left,
    sigma,
    tier_of,
    verdict,
    view,
    weighted_points,
)
from game.engine.observe import lead_months as observe_lead_months
from game.engine.orders import blocked, validate
from game.engine.state import FLOWS, FLOWS_IN, OBS, REASONS, VERDICT_PARTS, WINNERS, World
from game.schema import COMPUTE_SPEND, OBS_INDEX
from game.turning import TurningPoint, turning_points
from game.words import effect_phrase

if TYPE_CHECKING:
    from game.ai.base import Strategy
    from game.outlook import Outlook

SIDE_IDS = ("us", "cn")
SIDE_NAMES = ("United States", "China")


@attrs.frozen
class Seat:
    """Who plays a side: a person, or a strategy by id (or path)."""

    kind: str = attrs.field(validator=attrs.validators.in_(("human", "ai")))
    strategy: str = ""

    @property
    def label(self) -> str:
        return "player" if self.kind == "human" else self.strategy


@attrs.frozen
class Report:
    """What happened in one resolved quarter, for the turn report (both sides; the app shows what fits)."""

    turn: int                          # the quarter just resolved, counted from 1
    events: tuple[str, ...]            # headlines drawn this quarter
    actions: tuple[tuple[str, ...], tuple[str, ...]]   # policy names enacted, per side (public acts)
    milestones: tuple[tuple[Milestone, ...], tuple[Milestone, ...]]   # each says who may see it
    money_in: tuple[dict[str, float], dict[str, float]]
    money_out: tuple[dict[str, float], dict[str, float]]
    reasons: tuple[str, str]           # an AI seat's one line; "" for a person
    # where each side's compute money went (chips, grid power, off-grid power: schema COMPUTE_SPEND)
    compute_spend: tuple[dict[str, float], dict[str, float]] = attrs.field(factory=lambda: ({}, {}))


@attrs.frozen
class Budget:
    """A side's money this quarter as the engine counts it: the pot the allocation shares divide (treasury,
    base budget and credit line, never below zero) and what a draft's total share spends, borrows and keeps."""

    pot_busd: float
    treasury_busd: float
    budget_busd: float
    credit_busd: float
    spend_busd: float
    borrow_busd: float
    keep_busd: float


@attrs.frozen
class PolicyStakes:
    """What taking a weighty policy (game-long, or one that rules out other policies) commits a side to, in
    numbers, for a confirmation before it is taken. Found from the policy's content (duration, forbids_active,
    effects, and the other policies' conditions those effects break), never from its id."""

    name: str
    cost_busd: float
    game_long: bool
    quarters: int                      # quarters it binds: the rest of the game if game-long, else its duration
    forbids: tuple[str, ...]           # the policies it rules out while in force ("your X", "China's Y")
    effects: tuple[str, ...]           # its effects in numbers ("your mindshare ×0.85")
    changes: tuple[tuple[str, float, float], ...]   # next quarter's own figures (OBS name, without, with)


STAKES_FIGURES = ("capability", "treasury_busd", "revenue_busd", "adoption", "mindshare")


@attrs.frozen(eq=False)
class AiMoves:
    """What the AI seats chose for one quarter: orders and one line of reasons per AI side."""

    turn: int                          # the quarter decided, counted from 0 (the session's turn then)
    orders: dict[int, Orders]
    reasons: dict[int, str]


@attrs.frozen
class TurnRecord:
    orders: tuple[Orders, Orders]
    digest: str                        # state digest after the quarter
    report: Report


def orders_of(batch: OrderBatch, tables: Tables, index: int = 0) -> Orders:
    """One game's orders from a batch, as plain named shares (what a save stores)."""
    return Orders(allocation={k: float(v) for k, v in zip(CATEGORIES, batch.allocation[index])},
                  split={k: float(v) for k, v in zip(SPLITS, batch.split[index])},
                  actions=tuple(tables.actions[a].policy_id for a in np.flatnonzero(batch.actions[index])),
                  onshore=None if batch.onshore is None else float(batch.onshore[index]))


def export_tier_name(tables: Tables, tier: int) -> str:
    """Tier k's name (tier 0: no controls); tier k's rules are the k-th entry of rules.export_tiers."""
    tiers = tables.rules.export_tiers
    return tiers[tier - 1].name if 0 < tier <= len(tiers) else "no controls"


def rounded(orders: Orders, step: float = 0.001) -> Orders:
    """Shares rounded down to whole steps (what a person edits), the split made to add up to 1."""
    alloc = {k: float(np.floor(orders.allocation.get(k, 0.0) / step + 1e-9) * step) for k in CATEGORIES}
    split = {k: float(np.round(orders.split.get(k, 0.0) / step) * step) for k in SPLITS}
    split[SPLITS[0]] = round(1.0 - sum(split[k] for k in SPLITS[1:]), 10)
    onshore = None if orders.onshore is None else float(np.round(orders.onshore / step) * step)
    return Orders({k: round(v, 10) for k, v in alloc.items()}, split, orders.actions, onshore)


class Session:
    """One game: `seats[side]` says who plays it; `world` is the current position (a batch of one)."""

    def __init__(self, seats: tuple[Seat, Seat], *, scenario: str = "2025", seed: int = 1,
                 content: Content | None = None, content_dir: Path | None = None, mode: str | None = None) -> None:
        self.content = content or load_content(content_dir)
        self.scenario_spec = scenario
        self.scenario = find_scenario(self.content, scenario)
        self.tables = Tables(self.content, self.scenario)
        self.seed = int(seed)
        self.seats = seats
        humans = sum(s.kind == "human" for s in seats)
        self.mode = mode or ("watch" if humans == 0 else "solo" if humans == 1 else "hotseat")
        self.strategies = {side: load_strategy(seat.strategy, self.content.root)
                           for side, seat in enumerate(seats) if seat.kind == "ai"}
        self.world: World = new_world(self.tables, [self.seed])
        self.start_digest = self.world.digest()
        self.turns: list[TurnRecord] = []
        self.pending: dict[int, Orders] = {}
        # What was on the table each quarter: the true figures (turn, side, OBS) and each side's
        # estimate of its rival (turn, side, OBS) - charts show a viewer only what it saw.
        self.truth: list[np.ndarray] = [observe(self.world)[0]]
        self.seen: list[np.ndarray] = [self._estimates()]
        self._sigma: list[np.ndarray] = [sigma(self.world)[0].copy()]   # each side's estimate error, by turn
        # The lead track by part after each quarter (turn, side, VERDICT_PARTS): public, for charts and game over.
        self.tracks: list[np.ndarray] = [self.world.track_parts[0].copy()]
        self._advisor = load_strategy("normal", self.content.root)
        self.previous: World | None = None   # the position last quarter's orders were resolved in
        self._carried: dict[tuple[int, int], Carried] = {}
        self._believed: dict[int, tuple[World, World, OrderBatch]] = {}

    # -- the position ----------------------------------------------------------------------------
    @property
    def turn(self) -> int:
        return int(self.world.turn[0])

    @property
    def over(self) -> bool:
        return bool(self.world.done[0])

    @property
    def humans(self) -> list[int]:
        return [s for s in (0, 1) if self.seats[s].kind == "human"]

    def date(self, turn: int | None = None) -> str:
        year = float(self.tables.year(np.array([self.turn if turn is None else turn]))[0])
        return f"{int(year)} Q{int(round((year % 1) * 4)) + 1}"

    def winner(self) -> str:
        return WINNERS[int(self.world.winner[0])] if self.over else ""

    def end_reason(self) -> str:
        return REASONS[int(self.world.reason[0])]

    def track_parts(self, side: int, turn: int | None = None) -> dict[str, float]:
        """A side's points on the lead track by the part that earned them, after `turn` quarters (default: now)."""
        parts = self.tracks[self.turn if turn is None else turn][side]
        return {name: float(parts[i]) for i, name in enumerate(VERDICT_PARTS)}

    def track_series(self) -> tuple[list[float], list[float]]:
        """(US, China) totals on the lead track after each quarter, from the start (0, 0). Public."""
        return ([float(p[0].sum()) for p in self.tracks], [float(p[1].sum()) for p in self.tracks])

    def believed_verdict(self, side: int | None) -> np.ndarray:
        """This quarter's verdict (2, VERDICT_PARTS) as `side` sees it: computed in the world the side believes in,
        so its own parts are exact and the rival's rest on intelligence estimates. None: the truth (watch, replay)."""
        if side is None:
            return self.world.verdict[0].copy()
        return verdict(believed(self.world, side))[0]

    def verdict_points(self, verdict_: np.ndarray) -> np.ndarray:
        """What a verdict (2, VERDICT_PARTS) gives each side for one unit of quarter weight, 0-100 (its weighted share)."""
        return weighted_points(self.tables, verdict_)

    def points_left(self) -> float:
        """Points still to be shared out on the lead track after this quarter's turn (public)."""
        return float(points_left(self.world)[0])

    def lead_months(self, side: int | None) -> float:
        """The US's lead in months (None: the truth) or `side`'s own lead as its view estimates it."""
        if side is None:
            return float(observe_lead_months(self.world)[0, 0])
        return float(view(self.world, side)["lead_months"][0])

    def decisive_gaps(self, viewer: int | None) -> tuple[tuple[float, float], tuple[float, float]]:
        """Each side's way to the decisive tier and deployment bar: ((log10 short of the tier, deployment) US,
        (...) China); a gap <= 0 means the tier is reached (compared in log10 effective compute, never a rounded
        capability). `viewer` sees its rival's as its intelligence estimates them; None: the truth."""
        bar = self.tables.decisive_log10
        dep = deployment(self.world)[0]
        out = []
        for side in (0, 1):
            if viewer is None or viewer == side:
                log10_eff, share = float(self.world.model_log10_eff[0, side]), float(dep[side])
            else:
                est = self.rival_estimate(viewer)
                log10_eff, share = est["model_log10_eff"], est["adoption"]
            out.append((bar - log10_eff, share))
        return (out[0], out[1])

    def lead_changes(self) -> list[tuple[int, int]]:
        """(quarter, side) for each quarter after which `side` took the lead on the track from the other (a level
        total keeps the last leader)."""
        out: list[tuple[int, int]] = []
        us, cn = self.track_series()
        leader = -1
        for n in range(1, len(us)):
            now = 0 if us[n] > cn[n] else 1 if cn[n] > us[n] else leader
            if leader >= 0 and now != leader:
                out.append((n, now))
            leader = now
        return out

    def deciding_parts(self, side: int, most: int = 2) -> list[tuple[str, float]]:
        """The parts of the lead track with the largest margin in `side`'s favour, in points, largest first
        (only parts it won)."""
        mine, theirs = self.track_parts(side), self.track_parts(1 - side)
        margins = sorted(((mine[k] - theirs[k], k) for k in VERDICT_PARTS), key=lambda m: (-m[0], m[1]))
        return [(k, m) for m, k in margins[:most] if m > 0]

    def turning_points(self, most: int = 3) -> list[TurningPoint]:
        """The quarters whose orders moved the result most (see game.turning): for a finished game's summary."""
        start = new_world(self.tables, [self.seed])
        first = (self._advice_in(start, 0), self._advice_in(start, 1))  # what each side was handed in quarter 1
        return turning_points(self.tables, self.seed, [rec.orders for rec in self.turns], first, most)

    def news(self, report: Report, side: int, viewer: int | None) -> list[str]:
        """`side`'s milestones of a resolved quarter as `viewer` may see them: all of its own; of the rival, only
        the public ones, and a rival's new model with the figures `viewer`'s intelligence gave it after that
        quarter (the estimate the planning screen shows), never the exact ones. None: the truth."""
        if viewer is None or viewer == side:
            return [m.text for m in report.milestones[side]]
        out = []
        for m in report.milestones[side]:
            if not m.public:
                continue
            if m.kind == "model":
                est = self.seen[report.turn][viewer]
                tier = tier_of(self.tables, float(est[OBS_INDEX["model_log10_eff"]]))
                out.append(f"new frontier model released: ~{tier}, capability ~{est[OBS_INDEX['capability']]:.1f} "
                           f"(your estimate, ±{100 * self.intel_error_at(viewer, report.turn):.0f}%)")
            else:
                out.append(m.text)
        return out

    def intel_error_at(self, viewer: int, turn: int) -> float:
        """The relative error of `viewer`'s estimates after `turn` quarters (now, if that is the current one)."""
        return float(self._sigma[turn][viewer])

    def _estimates(self) -> np.ndarray:
        return np.stack([estimate(self.world, side)[0] for side in (0, 1)])

    def figures(self, side: int) -> dict[str, float]:
        """A side's own figures, exact."""
        row = self.truth[-1][side]
        return {name: float(row[i]) for i, name in enumerate(OBS)}

    def rival_estimate(self, viewer: int) -> dict[str, float]:
        """The rival as `viewer`'s intelligence sees it now."""
        row = self.seen[-1][viewer]
        return {name: float(row[i]) for i, name in enumerate(OBS)}

    def intel_error(self, viewer: int) -> float:
        return float(sigma(self.world)[0, viewer])

    def series(self, viewer: int | None, key: str) -> tuple[list[float], list[float]]:
        """(US, China) history of one figure as `viewer` knew it; None: the truth (watch, replay)."""
        if key == "track":  # public: both totals exact for everyone
            return self.track_series()
        i = OBS_INDEX[key]
        us = [float(row[0, i]) for row in self.truth]
        cn = [float(row[1, i]) for row in self.truth]
        if viewer is None:
            return us, cn
        rival = [float(row[viewer, i]) for row in self.seen]
        return (us, rival) if viewer == 0 else (rival, cn)

    def model_tier(self, side: int) -> str:
        return tier_of(self.tables, float(self.world.model_log10_eff[0, side]))

    # -- orders ----------------------------------------------------------------------------------
    def pot(self, side: int) -> float:
        """What the allocation shares divide this quarter (treasury, base budget and credit line)."""
        return self.budget(side).pot_busd

    def budget(self, side: int, orders: Orders | None = None) -> Budget:
        """The side's pot and where it comes from, and what `orders` (none: nothing allocated) spend of it."""
        from game.engine import money

        base = money.income(self.world)
        share = np.zeros_like(base)
        if orders is not None:
            share[0, side] = sum(float(v) for v in orders.allocation.values())
        spend, borrow, keep = money.drawn(self.world, base, share)
        return Budget(pot_busd=float(money.spendable(self.world, base)[0, side]),
                      treasury_busd=float(self.world.treasury_busd[0, side]), budget_busd=float(base[0, side]),
                      credit_busd=float(money.credit_line(self.world)[side]), spend_busd=float(spend[0, side]),
                      borrow_busd=float(borrow[0, side]), keep_busd=float(keep[0, side]))

    def legal(self, side: int) -> list[int]:
        """Indices into tables.actions the side may take this quarter."""
        legal = legal_actions(self.world)[0]
        return [a for a, act in enumerate(self.tables.actions) if act.side == side and legal[a]]

    def blocked(self, side: int) -> dict[int, tuple[str, int]]:
        """The side's actions it may not take this quarter, each with the engine's reason: ("in force", 0),
        ("cooling down", turns left) or ("conditions", 0)."""
        legal = set(self.legal(side))
        return {a: blocked(self.world, 0, a) for a, act in enumerate(self.tables.actions)
                if act.side == side and a not in legal}

    def check(self, side: int, orders: Orders) -> OrderError | None:
        """Why the orders cannot be submitted, as the engine's error (its `field` says which field), or None."""
        try:
            validate(self.world, orders.to_batch(self.tables, side), side)
        except OrderError as exc:
            return exc
        return None

    def problem(self, side: int, orders: Orders) -> str | None:
        """Why the orders cannot be submitted, from the field on, or None."""
        error = self.check(side, orders)
        return None if error is None else error.detail

    def advice(self, side: int) -> Orders:
        """What the normal planner would do in this seat (from the seat's own view), in whole percent."""
        return self._advice_in(self.world, side)

    def _advice_in(self, world: World, side: int) -> Orders:
        """The advisor's plan for `side` in `world`, rounded as a person edits it (see advice)."""
        raw = orders_of(self._advisor.decide(world, side), self.tables)
        out = rounded(raw)
        # Rounding down would drop a small training share to 0 and leave the run unfunded: round it up.
        need = float(np.ceil(raw.allocation["training"] / 0.001 - 1e-9) * 0.001)
        if need > out.allocation["training"] and sum(out.allocation.values()) - out.allocation["training"] + need <= 1.0:
            out = Orders({**out.allocation, "training": round(need, 10)}, out.split, out.actions, out.onshore)
        return out

    def opening(self, side: int) -> Orders:
        """The orders a person starts the quarter from: last quarter's orders carried so they keep what they
        bought (its dollars; a fully funded training run stays funded: see buys.carry), or the advisor's plan."""
        if self.turns:
            return self.carried(side).orders
        return self.advice(side)

    def carried(self, side: int) -> Carried:
        """Last quarter's orders carried into this one, with a note on each row that no longer buys what it did
        (no notes in the first quarter: the advisor's plan is not carried)."""
        key = (self.turn, side)
        if key not in self._carried:
            if not self.turns:
                self._carried[key] = Carried(self.advice(side), {})
            elif self.previous is None or self.over:
                last = self.turns[-1].orders[side]
                self._carried[key] = Carried(Orders(last.allocation, last.split, (), last.onshore), {})
            else:
                self._carried[key] = carry(self.world, self.previous, side, self.turns[-1].orders[side],
                                           self._advisor)
        return self._carried[key]

    def buys(self, side: int, orders: Orders) -> dict[str, RowBuys]:
        """What each allocation row's money buys this quarter if these orders stand, and where more buys
        nothing, by the engine in the world the side believes in (see game.buys). Empty if the orders are invalid."""
        if self.over or self.problem(side, orders) is not None:
            return {}
        return what_buys(self.world, side, orders, self._advisor, self.believed_start(side))

    def believed_start(self, side: int) -> tuple[World, OrderBatch]:
        """The world `side` believes in now and the rival's orders in it by the normal planner: what the row
        figures and the forecasts start from. They change with the quarter, not the draft, so they are kept
        for the position (a worker may read them too: both are only read, never changed)."""
        cached = self._believed.get(side)
        if cached is None or cached[0] is not self.world:
            start = believed(self.world, side)
            cached = self._believed[side] = (self.world, start, self._advisor.decide(start, 1 - side))
        return cached[1], cached[2]

    def forecast(self, side: int, orders: Orders) -> dict[str, float] | None:
        """Next quarter's own figures if these orders stand, by the engine in the world the side believes in
        (the rival rebuilt from intelligence and played by the normal planner). None if the orders are invalid."""
        from game.outlook import next_quarter

        return next_quarter(self, side, orders)

    def outlook(self, side: int, orders: Orders, quarters: tuple[int, ...] | None = None) -> Outlook | None:
        """The forecast 1, 4 and 8 quarters ahead and the power outlook (game.outlook: this draft repeated, the
        rival played by the normal planner, all in the world the side believes in). Reads the position only, so
        the app runs it off the interface thread."""
        from game.outlook import QUARTERS, outlook

        return outlook(self, side, orders, QUARTERS if quarters is None else quarters)

    def advisor_strategy(self) -> Strategy:
        """The normal planner the advisor and the forecasts play (stateless: safe to share with a worker)."""
        return self._advisor

    def stakes(self, side: int, policy_id: str, orders: Orders | None = None) -> PolicyStakes | None:
        """What taking `policy_id` commits `side` to, or None if it is neither game-long nor rules anything out.
        With `orders` (the draft without the policy), next quarter's forecast with and without it."""
        from game.engine import conditions, policy
        from game.engine.tables import PERMANENT

        t = self.tables
        found = [a for a, act in enumerate(t.actions) if act.side == side and act.policy_id == policy_id]
        if not found:
            return None
        a = found[0]
        act = t.actions[a]
        # The world with the policy in force (its one-off effects applied) beside the world as it is: a policy
        # it rules out is one whose conditions held and now fail, or one that names it in forbids_active.
        base, taken = self.world.copy(), self.world.copy()
        taken.policy_left[:, a] = PERMANENT if act.duration < 0 else max(act.duration, 1)
        ones, zeros = np.ones(1, dtype=bool), np.zeros((1, 2))
        for stock in act.stocks:
            policy.apply_stock(taken, stock, ones, zeros.copy(), zeros.copy())
        policy.compute_modifiers(base)
        policy.compute_modifiers(taken)
        forbids = []
        for b, other in enumerate(t.actions):
            if b == a or other.policy_id == policy_id:
                continue
            broken = a in other.forbids or any(
                bool(conditions.evaluate(base, (c,))[0]) and not bool(conditions.evaluate(taken, (c,))[0])
                for c in other.conditions)
            if broken:
                forbids.append(f"your {other.name}" if other.side == side else f"{SIDE_NAMES[other.side]}'s {other.name}")
        game_long = act.duration < 0
        if not game_long and not forbids:
            return None
        left = t.scenario.turns - self.turn
        quarters = left if game_long else min(act.duration, left)
        effects = []
        for eff in self.content.policy(policy_id).effects:
            owner = side if eff.side == "self" else 1 - side if eff.side == "rival" else \
                SIDE_IDS.index(eff.side) if eff.side in SIDE_IDS else -1
            whose = "both sides'" if owner < 0 else "your" if owner == side else ("the US's", "China's")[owner]
            effects.append(effect_phrase(whose, eff.target, eff.op, eff.value) + (" (once)" if eff.kind == "stock" else ""))
        changes: tuple[tuple[str, float, float], ...] = ()
        if orders is not None:
            without = Orders(orders.allocation, orders.split, tuple(x for x in orders.actions if x != policy_id),
                             orders.onshore)
            with_it = Orders(orders.allocation, orders.split, without.actions + (policy_id,), orders.onshore)
            before, after = self.forecast(side, without), self.forecast(side, with_it)
            if before is not None and after is not None:
                changes = tuple((k, before[k], after[k]) for k in STAKES_FIGURES
                                if abs(after[k] - before[k]) > 1e-3 * max(abs(before[k]), 1e-6))
        return PolicyStakes(name=act.name, cost_busd=act.cost_busd, game_long=game_long, quarters=quarters,
                            forbids=tuple(forbids), effects=tuple(effects), changes=changes)

    def submit(self, side: int, orders: Orders) -> None:
        """Seal a person's orders for this quarter (checked now; OrderError if invalid)."""
        if self.seats[side].kind != "human":
            raise OrderError(f"{SIDE_NAMES[side]} is played by {self.seats[side].strategy}, not a person")
        problem = self.problem(side, orders)
        if problem is not None:
            raise OrderError(problem)
        self.pending[side] = orders

    def waiting_for(self) -> list[int]:
        return [s for s in self.humans if s not in self.pending]

    # -- resolution ------------------------------------------------------------------------------
    def think(self) -> AiMoves:
        """The AI seats decide this quarter, each from its own view, deciding and explaining in one pass.
        It only reads the position, so the app runs it off the interface thread (a search takes a while)."""
        orders: dict[int, Orders] = {}
        reasons: dict[int, str] = {}
        for side, strat in sorted(self.strategies.items()):
            decision = strat.think(self.world, side)
            orders[side] = orders_of(decision.orders, self.tables)
            reasons[side] = decision.reasons[0]
        return AiMoves(self.turn, orders, reasons)

    def resolve(self, moves: AiMoves | None = None) -> Report:
        """Resolve the quarter with the sealed orders and the AI seats' moves (decided now if not given)."""
        if self.over:
            raise OrderError("the game is over")
        if self.waiting_for():
            raise OrderError(f"{SIDE_NAMES[self.waiting_for()[0]]} has not submitted orders")
        if moves is None:
            moves = self.think()
        elif moves.turn != self.turn or set(moves.orders) != set(self.strategies):
            raise OrderError(f"the AI's moves are for quarter {moves.turn + 1}, not this one ({self.turn + 1})")
        orders = tuple(moves.orders[s] if s in self.strategies
                       else orders_of(self.pending[s].to_batch(self.tables, s), self.tables) for s in (0, 1))
        reasons = tuple(moves.reasons.get(s, "") for s in (0, 1))
        return self.apply((orders[0], orders[1]), (reasons[0], reasons[1]))

    def apply(self, orders: tuple[Orders, Orders], reasons: tuple[str, str] = ("", "")) -> Report:
        """Resolve one quarter with the given orders (a replay feeds a save's orders here)."""
        before = self.world
        batches = [orders[s].to_batch(self.tables, s) for s in (0, 1)]
        after = resolve(before, batches[0], batches[1])
        report = self._report(before, after, batches, reasons)
        self.previous = before
        self.world = after
        self.pending = {}
        self.truth.append(observe(after)[0])
        self.seen.append(self._estimates())
        self._sigma.append(sigma(after)[0].copy())
        self.tracks.append(after.track_parts[0].copy())
        self.turns.append(TurnRecord(orders, after.digest(), report))
        return report

    def _report(self, before: World, after: World, batches: list[OrderBatch], reasons: tuple[str, str]) -> Report:
        t = self.tables
        events = tuple(t.events[e].headline for e in np.flatnonzero(after.event_now[0]))
        acts = tuple(tuple(t.actions[a].name for a in np.flatnonzero(batches[s].actions[0])) for s in (0, 1))
        milestones: list[tuple[Milestone, ...]] = []
        money_in: list[dict[str, float]] = []
        money_out: list[dict[str, float]] = []
        compute_spend: list[dict[str, float]] = []
        for s in (0, 1):
            milestones.append(milestones_of(before, after, 0, s))
            flows = after.flows_busd[0, s]
            money_in.append({n: float(flows[i]) for i, n in enumerate(FLOWS) if n in FLOWS_IN and abs(flows[i]) >= 0.05})
            money_out.append({n: float(flows[i]) for i, n in enumerate(FLOWS)
                              if n not in FLOWS_IN and abs(flows[i]) >= 0.05})
            compute_spend.append({n: float(v) for n, v in zip(COMPUTE_SPEND, after.compute_spend_busd[0, s]) if v >= 0.05})
        if after.export_tier[0] != before.export_tier[0]:
            k = int(after.export_tier[0])
            events = events + (f"US export controls now at tier {k}: {export_tier_name(t, k)}",)
        return Report(turn=int(after.turn[0]), events=events, actions=(acts[0], acts[1]),
                      milestones=(milestones[0], milestones[1]), money_in=(money_in[0], money_in[1]),
                      money_out=(money_out[0], money_out[1]), reasons=reasons,
                      compute_spend=(compute_spend[0], compute_spend[1]))
