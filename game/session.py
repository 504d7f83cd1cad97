"""A game in progress: the world, who plays each side, every turn's orders and what each side saw.

The terminal app, saves and replays all go through a Session. It keeps the game's lifecycle and history and
holds no rules: orders are checked and resolved by the engine, AI seats decide through their strategy. What one
viewer may see is asked of its Perspective (`perspective(viewer)`, game.perspective) and the advisor's work for a
side (plans, buys, forecasts, the budget, stakes) of its Advisor (`advisor(side)`, game.advisor).
"""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np

from game.advisor import Advisor
from game.advisor import orders_of as orders_of  # where saves and play-by-file look for it
from game.advisor import rounded as rounded
from game.ai import load_strategy
from game.content import Content, find_scenario, load_content
from game.engine import OrderBatch, OrderError, Orders, Tables, legal_actions, new_world, resolve
from game.engine.milestones import Milestone
from game.engine.milestones import milestones as milestones_of
from game.engine.observe import (
    estimate,
    observe,
    points_left,
    sigma,
    tier_of,
    weighted_points,
)
from game.engine.orders import blocked, validate
from game.engine.state import FLOWS, FLOWS_IN, OBS, REASONS, VERDICT_PARTS, WINNERS, World, quarter_name
from game.perspective import Perspective, Truth
from game.schema import COMPUTE_SPEND
from game.turning import TurningPoint, turning_points

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


def export_tier_name(tables: Tables, tier: int) -> str:
    """Tier k's name (tier 0: no controls); tier k's rules are the k-th entry of rules.export_tiers."""
    tiers = tables.rules.export_tiers
    return tiers[tier - 1].name if 0 < tier <= len(tiers) else "no controls"


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
        self._advisors = (Advisor(self, 0, self._advisor), Advisor(self, 1, self._advisor))
        self._perspectives = (Perspective(self, 0), Perspective(self, 1), Truth(self))

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
        return quarter_name(float(self.tables.year(np.array([self.turn if turn is None else turn]))[0]))

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

    def verdict_points(self, verdict_: np.ndarray) -> np.ndarray:
        """What a verdict (2, VERDICT_PARTS) gives each side for one unit of quarter weight, 0-100 (its weighted share)."""
        return weighted_points(self.tables, verdict_)

    def points_left(self) -> float:
        """Points still to be shared out on the lead track after this quarter's turn (public)."""
        return float(points_left(self.world)[0])

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
        first = (self.advisor(0).advice_in(start), self.advisor(1).advice_in(start))  # handed out in quarter 1
        return turning_points(self.tables, self.seed, [rec.orders for rec in self.turns], first, most)

    def _estimates(self) -> np.ndarray:
        return np.stack([estimate(self.world, side)[0] for side in (0, 1)])

    def figures(self, side: int) -> dict[str, float]:
        """A side's own figures, exact."""
        row = self.truth[-1][side]
        return {name: float(row[i]) for i, name in enumerate(OBS)}

    def sigma_at(self, turn: int) -> np.ndarray:
        """Each side's estimate error (2,) after `turn` quarters (history)."""
        return self._sigma[turn]

    def model_tier(self, side: int) -> str:
        return tier_of(self.tables, float(self.world.model_log10_eff[0, side]))

    # -- orders ----------------------------------------------------------------------------------
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

    # -- the advisor and the viewers (game.advisor, game.perspective): bound to one side, with their caches ----
    def advisor(self, side: int) -> Advisor:
        """The advisor's work for `side` (plans, buys, forecasts, stakes), one per side for the game."""
        return self._advisors[side]

    def perspective(self, viewer: int | None) -> Perspective:
        """What `viewer` may see (None: the truth, for watch and replay)."""
        return self._perspectives[2 if viewer is None else viewer]

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
