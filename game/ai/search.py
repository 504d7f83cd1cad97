"""The `hard` opponent: look-ahead search with the engine itself.

Each turn it takes the normal planner's plan and variations of it (spend more or less, lean on
compute, applications or research, shift the compute split, take no actions, and for each of its
policies: never take it, or take it whenever it may), plays each forward `horizon` quarters in a
believed world (its own state exact, the rival rebuilt from intelligence estimates and modelled as
the normal planner), all candidates of all games in one batch, and keeps the variation whose end
position is worth most: the track margin it projects (points so far plus the points left times
the current verdict), progress toward a decisive lead (its own and the rival's), debt avoided, and
a game won or lost within the horizon.
"""

from __future__ import annotations

import attrs
import numpy as np

from game.ai.base import Decision, Strategy, own_legal
from game.ai.belief import believed
from game.ai.planner import NORMAL, C, Plan, Planner, allocation_of
from game.engine import legal_actions, mathx, observe, streams
from game.engine.orders import OrderBatch
from game.engine.resolve import advance
from game.engine.state import World
from game.engine.tables import CATEGORIES

N_CAT = len(CATEGORIES)


@attrs.frozen
class Variation:
    label: str
    spend: float = 1.0
    weights: dict[str, float] = attrs.field(factory=dict)   # multipliers on category weights
    split: tuple[float, float, float] = (0.0, 0.0, 0.0)     # added to training, inference, research
    actions: bool = True


VARIATIONS = (
    Variation("follows the normal plan"),
    Variation("spends a quarter more", spend=1.25),
    Variation("spends half as much again", spend=1.5),
    Variation("holds back a fifth of its spending", spend=0.8),
    Variation("leans on compute", weights={"compute": 1.6}),
    Variation("goes all in on compute", spend=1.25, weights={"compute": 2.5}),
    Variation("leans on applications", weights={"applications": 1.8}),
    Variation("spends more on applications", spend=1.25, weights={"applications": 1.8}),
    Variation("leans on research", weights={"research": 2.0}),
    Variation("leans on chip design", weights={"design": 2.5}),
    Variation("leans on fabs and tools", weights={"fabs": 1.6, "lithography": 1.6, "design": 1.6}),
    Variation("trains harder", split=(0.15, -0.15, 0.0)),
    Variation("spends more and trains harder", spend=1.25, split=(0.15, -0.15, 0.0)),
    Variation("puts most compute into training", split=(0.35, -0.25, -0.10)),
    Variation("serves more customers", split=(-0.15, 0.15, 0.0)),
    Variation("runs more experiments", split=(-0.10, 0.0, 0.10)),
    Variation("goes all in on research", weights={"research": 3.0}, split=(-0.10, 0.0, 0.10)),
    Variation("spends more on research and experiments", spend=1.25, weights={"research": 2.0},
              split=(-0.10, 0.0, 0.10)),
    Variation("spends more on fabs", spend=1.25, weights={"fabs": 2.0}),
    Variation("takes no policy actions", actions=False),
)


@attrs.frozen
class Candidates:
    """Every variation `hard` looks at for one side, as arrays over candidates: the plan's spend, category
    weights and split changes, and the policies it never takes (`off`) or takes whenever it may (`on`)."""

    labels: tuple[str, ...]
    spend: np.ndarray
    weights: np.ndarray
    split: np.ndarray
    off: np.ndarray   # (k, A) bool
    on: np.ndarray    # (k, A) bool

    def steer(self, actions: np.ndarray, legal: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The plan's actions with each row's candidate applied."""
        out: np.ndarray = (actions & ~self.off[rows]) | (legal & self.on[rows])
        return out


def variation_arrays(variations: tuple[Variation, ...]):
    k = len(variations)
    spend = np.array([v.spend for v in variations])
    weights = np.ones((k, N_CAT))
    for i, v in enumerate(variations):
        for name, m in v.weights.items():
            weights[i, C[name]] = m
    split = np.array([v.split for v in variations])
    acts = np.array([v.actions for v in variations])
    return spend, weights, split, acts


def apply_variation(plan: Plan, spend: np.ndarray, weights: np.ndarray, split: np.ndarray) -> Plan:
    """The plan with one variation per game row (arrays shaped (B, ...))."""
    w = plan.weights * weights
    w = w / np.maximum(w.sum(axis=1), 1e-12)[:, None]
    s = np.clip(plan.split + split, 0.02, None)
    s = s / s.sum(axis=1)[:, None]
    return Plan(spend=plan.spend * spend, weights=w, training=plan.training * spend, intel=plan.intel,
                split=s, reasons=plan.reasons, lead=plan.lead)


def plan_rows(plan: Plan, index: np.ndarray) -> Plan:
    """The plan of some games (indices), in that order."""
    return Plan(spend=plan.spend[index], weights=plan.weights[index], training=plan.training[index],
                intel=plan.intel[index], split=plan.split[index], reasons=plan.reasons,
                lead=None if plan.lead is None else plan.lead[index])


def split_states(state: np.ndarray, orders: OrderBatch, over: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The states after one quarter, for rows each at a state (`state`, (n,)) with its own `orders`: rows at one
    state whose orders are the same bits (or whose game is over: `over`, (n,)) stay at one. Returns the first
    row at each new state (in row order) and each row's new state, numbered in that order."""
    n = state.size
    at = state.astype(np.int64)[:, None]
    parts = [at, orders.allocation, orders.split, orders.actions]
    key = np.concatenate([np.ascontiguousarray(p).view(np.uint8).reshape(n, -1) for p in parts], axis=1)
    key[over, at.itemsize:] = 0  # a finished game's orders change nothing: its state alone is its key
    rows = key.view(np.dtype((np.void, key.shape[1]))).ravel()
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return first[order], rank[inverse.reshape(-1)]


# Look-ahead rows played together (games x candidates x futures): a batch past this costs more a row. Rows that
# share a state are resolved once (60-70% of them are resolved a quarter, and only one a game in the first:
# measured on hard v normal), and 8,192 played faster than 4,096 (kernels off, 400 games, turns 0 and 12).
ROLL_ROWS = 8192
# Rows of games over within the horizon leave the look-ahead once they are this share of it or more (1 / this).
COMPACT_SHARE = 16

DECISIVE_WEIGHT = 30.0  # points: what being one step from a decisive win is worth against the projected margin


def decisive_reach(w: World, reach: float) -> np.ndarray:
    """(batch, 2) progress to a decisive win, 0-1: how close the model is to the decisive tier (within `reach`
    capability points) times the share of the decisive margin the lead already holds, squared (the last months
    are the hard ones)."""
    t = w.tables
    sc = t.scoring
    bar = observe.decisive_bar(t)
    near = np.clip(1.0 - (bar - w.capability) / reach, 0.0, 1.0)
    held = np.clip(observe.lead_months(w) / sc.decisive_margin_months, 0.0, 1.0)
    out: np.ndarray = near * held * held
    return out


class SearchStrategy(Strategy):
    id = "hard"
    name = "Hard"

    def __init__(self, horizon: int = 16, variations: tuple[Variation, ...] = VARIATIONS,
                 policy_variations: bool = True, futures: int = 1, share_states: bool = True) -> None:
        self.horizon = horizon
        self.share_states = share_states
        self.futures = futures
        self.variations = variations
        self.arrays = variation_arrays(variations)
        self.policy_variations = policy_variations
        self.planner = Planner(NORMAL, "normal")
        self._candidates: dict[int, tuple[object, Candidates]] = {}

    def candidates(self, t, side: int) -> Candidates:
        """The variations for this side and content: the plan variations, then for each of the side's policies
        one that never takes it and one that takes it whenever it may (each held over the look-ahead)."""
        cached = self._candidates.get(side)
        if cached is not None and cached[0] is t:
            return cached[1]
        spend, weights, split, acts = self.arrays
        n_act = len(t.actions)
        labels = [v.label for v in self.variations]
        off = np.tile(~acts[:, None], (1, n_act))
        on = np.zeros((len(self.variations), n_act), dtype=bool)
        rows = list(range(len(self.variations)))
        if self.policy_variations:
            for a, act in enumerate(t.actions):
                if act.side != side:
                    continue
                for never in (True, False):
                    labels.append(f"{'never takes' if never else 'takes whenever it can'}: {act.name}")
                    rows.append(0)
                    off = np.vstack([off, np.arange(n_act)[None, :] == a if never else np.zeros((1, n_act), bool)])
                    on = np.vstack([on, np.zeros((1, n_act), bool) if never else np.arange(n_act)[None, :] == a])
        idx = np.array(rows)
        out = Candidates(tuple(labels), spend[idx], weights[idx], split[idx], off, on)
        self._candidates[side] = (t, out)
        return out

    def value(self, w: World, side: int) -> np.ndarray:
        r = 1 - side
        # The track margin the game would end with if this quarter's verdict held to the last quarter:
        # points so far plus the points left times the verdict, less the rival's.
        left = observe.points_left(w) / 100.0
        share = observe.points(w)
        v = w.track[:, side] - w.track[:, r] + left * (share[:, side] - share[:, r])
        # Or better: a decisive lead ends the game at once, so progress toward one (and the rival's) counts too.
        reach = decisive_reach(w, self.planner.temper.race_reach)
        v = v + DECISIVE_WEIGHT * (reach[:, side] - reach[:, r])
        v = v - 15.0 * w.debt_quarters[:, side]
        won = w.done & (w.winner == side)
        lost = w.done & (w.winner == r)
        return v + 200.0 * won - 200.0 * lost

    def choose(self, world: World, side: int) -> np.ndarray:
        """Index of the best candidate (see `candidates`) for each game. A game already over gets 0: its orders
        count for nothing (and every candidate of it would be worth the same)."""
        c = self.candidates(world.tables, side)
        best = np.zeros(world.batch, dtype=np.int64)
        live = np.flatnonzero(~world.done)
        if not live.size:
            return best
        start = believed(world, side)
        # Games are looked ahead a few at a time: a game's look-ahead does not depend on the others', and past
        # ROLL_ROWS rows a batch outgrows the processor's cache and each row costs more.
        per = max(1, ROLL_ROWS // (len(c.labels) * self.futures))
        for at in range(0, live.size, per):
            games = live[at:at + per]
            part = start if games.size == world.batch else start.take(games)
            best[games] = self.look_ahead(part, side, c)
        return best

    def look_ahead(self, start: World, side: int, c: Candidates) -> np.ndarray:
        """The best candidate for each game of `start` (a believed world), by playing every candidate forward."""
        k, f = len(c.labels), self.futures
        return np.argmax(self.candidate_values(start, side, c).reshape(start.batch, k, f).mean(axis=2), axis=1)

    def candidate_values(self, start: World, side: int, c: Candidates) -> np.ndarray:
        """(games x candidates x futures,) the value of each candidate of each game of `start` (a believed world)
        in each future, by playing it forward `horizon` quarters.

        Candidate rows that share a state are played once (unless `share_states` is off, as a check does): every
        candidate of a game starts from the same state (in each future), and two rows stay one while their
        orders are the same bits, as a policy the plan would not take anyway leaves its row with the plan's. A
        game's quarter depends on that game alone (engine resolve), so one state and one set of orders make one
        next state, and what the planners read of a state (the rival's orders, the actions and their worth) is
        worked out once for it."""
        k, f = len(c.labels), self.futures
        b = start.batch
        # Each candidate is played in `futures` futures (the same ones for every candidate of a game), and its
        # value is the mean: one future's luck (a breakthrough, an event) does not pick the plan.
        seeds = [start.seed]
        for _ in range(f - 1):
            seeds.append(mathx.derive_seed(seeds[-1], start.turn, streams.LOOKAHEAD))
        # The candidate rows (game, candidate, future) each point at their state, a row of `roll`.
        rows = np.tile(np.repeat(np.arange(k), f), b)  # each candidate row's candidate
        if self.share_states:
            roll = World(start.tables, {n: np.repeat(a, f, axis=0) for n, a in start.arrays().items()})
            roll.seed[:] = np.stack(seeds, axis=1).reshape(-1)
            state = np.repeat(np.arange(b) * f, k * f) + np.tile(np.arange(f), b * k)
        else:
            roll = World(start.tables, {n: np.repeat(a, k * f, axis=0) for n, a in start.arrays().items()})
            roll.seed[:] = np.tile(np.stack(seeds, axis=1), (1, k)).reshape(-1)
            state = np.arange(b * k * f)
        values = np.empty(b * k * f)
        index = np.arange(b * k * f)  # each candidate row's place in `values`
        for _ in range(self.horizon):
            legal = legal_actions(roll)  # one state, read by both planners and the engine
            base = self.planner.make_plan(roll, side, explain=False)
            pot, actions, onshore = self.planner.state_orders(roll, side, base.lead, legal)
            plan = apply_variation(plan_rows(base, state), c.spend[rows], c.weights[rows], c.split[rows])
            mine = OrderBatch(allocation_of(plan, pot[state]), plan.split,
                              c.steer(actions[state], own_legal(roll, side, legal)[state], rows), onshore[state])
            theirs = self.planner.decide(roll, 1 - side, legal)
            # Rows of one state part where their orders do (those of a game over count for nothing).
            firsts, split = split_states(state, mine, roll.done[state]) if self.share_states else (state, state)
            parent, state = state[firsts], split
            if parent.size != roll.batch or (parent != np.arange(parent.size)).any():
                roll, legal, theirs = roll.take(parent), legal[parent], theirs.take(parent)
            mine = mine.take(firsts)
            if side == 0:
                advance(roll, mine, theirs, legal)
            else:
                advance(roll, theirs, mine, legal)
            over = roll.done
            if over.sum() * COMPACT_SHARE >= roll.batch:
                # A game over within the horizon is frozen: its value now is its value at the horizon. Rows
                # carried on would only cost time, so they leave the batch with their values taken.
                kept = np.flatnonzero(~over)
                ended = over[state]
                values[index[ended]] = self.value(roll, side)[state[ended]]
                if not kept.size:
                    break
                renumber = np.cumsum(~over) - 1  # a kept state's row once the ended ones leave
                index, rows, state = index[~ended], rows[~ended], renumber[state[~ended]]
                roll = roll.take(kept)
        else:
            values[index] = self.value(roll, side)[state]
        return values

    def plan_and_orders(self, world: World, side: int, explain: bool = True):
        """`explain` False leaves the plan's reasons out (a Python loop over games), for callers that never read
        them."""
        best = self.choose(world, side)
        c = self.candidates(world.tables, side)
        plan = apply_variation(self.planner.make_plan(world, side, explain), c.spend[best], c.weights[best],
                               c.split[best])
        orders = self.planner.orders_from(world, side, plan)
        orders.actions[:] = c.steer(orders.actions, own_legal(world, side), best)
        return best, plan, orders

    def decide(self, world: World, side: int):
        return self.plan_and_orders(world, side, explain=False)[2]

    def think(self, world: World, side: int) -> Decision:
        best, plan, orders = self.plan_and_orders(world, side)
        lines = []
        for i in range(world.batch):
            base = self.planner.line(world, i, orders, plan.reasons[i]).replace("Normal:", "Hard:", 1)
            label = self.candidates(world.tables, side).labels[best[i]]
            lines.append(f"{base}; looked {self.horizon} quarters ahead and {label}")
        return Decision(orders, tuple(lines))
