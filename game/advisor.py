"""The advisor's work for one side: its plan, the orders carried into a quarter, what each row buys, the forecasts,
the money a draft really borrows and the stakes of a weighty policy. All asked of the engine, in the world the side
believes in (game.ai.belief), with the normal planner playing where a side must be played.

An Advisor is bound to one side of one Session (OpenSpiel's observer bound to a player is the model) and owns its
caches, which hold for one position: a new quarter (a new `session.world`) starts them afresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from game.ai.belief import believed
from game.buys import Carried, RowBuys, carry, what_buys
from game.engine import CATEGORIES, SPLITS, OrderBatch, Orders, Tables, conditions, money, policy, resolve
from game.engine.state import FLOWS, REASONS, WINNERS, World
from game.turning import margin as us_margin
from game.words import effect_phrase, outcome_short

if TYPE_CHECKING:
    from game.ai.base import Strategy
    from game.outlook import Outlook
    from game.session import Session

SIDE_IDS = ("us", "cn")
SIDE_NAMES = ("United States", "China")
ROW_FLOWS = [FLOWS.index(k) for k in CATEGORIES]   # the books' flows the allocation rows spend into
STAKES_FIGURES = ("capability", "treasury_busd", "revenue_busd", "adoption", "mindshare")


@attrs.frozen
class Budget:
    """A side's money this quarter as the engine counts it: the pot the allocation shares divide (treasury,
    base budget and credit line, never below zero), what a draft's total share allocates, and what the engine
    spends of it, borrows (money.drawn on what the rows really spend) and leaves in the treasury."""

    pot_busd: float
    treasury_busd: float
    budget_busd: float
    credit_busd: float
    spend_busd: float                  # what the shares allocate (share of the pot)
    borrow_busd: float                 # what the engine borrows for the draft (beyond treasury and base budget)
    keep_busd: float                   # what of the treasury and base budget the engine leaves unspent
    spent_busd: float = 0.0            # what the rows really spend (money a row cannot use stays in the treasury)


@attrs.frozen
class Future:
    """A policy's effect at the horizon it acts on: the normal planner plays both sides of two copies of the world
    the side believes in, one without the policy and one with it, to `turn` (the end of the game, or the end of
    the policy's term)."""

    turn: int                          # the quarter the futures are played to, counted from 0 like Session.turn
    quarters: int                      # quarters ahead
    last: str                          # the last quarter played, as Session.date names it ("2034 Q4")
    to_end: bool                       # the futures run to the end of the game
    track_without: float               # the side's lead-track points at the horizon without the policy
    track_with: float
    margin_without: float              # its points minus the rival's, a game ended early giving its winner the rest
    margin_with: float
    ends_without: str = ""             # how and when the game ends in each future, if it ends by then ("" if not)
    ends_with: str = ""


@attrs.frozen
class PolicyStakes:
    """What taking a weighty policy (game-long, or one that rules out other policies) commits a side to, in
    numbers, for a confirmation before it is taken. Found from the policy's content and the engine (its one-off
    effects applied by engine/policy.take_actions on a one-game copy), never from its id."""

    name: str
    cost_busd: float
    game_long: bool
    quarters: int                      # quarters it binds: the rest of the game if game-long, else its duration
    forbids: tuple[str, ...]           # the policies it rules out while in force ("your X", "China's Y")
    effects: tuple[str, ...]           # its effects in numbers ("your mindshare ×0.85")
    changes: tuple[tuple[str, float, float], ...]   # next quarter's own figures (OBS name, without, with)
    future: Future | None = None       # its effect at its horizon, in track points (with a draft)


def orders_of(batch: OrderBatch, tables: Tables, index: int = 0) -> Orders:
    """One game's orders from a batch, as plain named shares (what a save stores)."""
    return Orders(allocation={k: float(v) for k, v in zip(CATEGORIES, batch.allocation[index])},
                  split={k: float(v) for k, v in zip(SPLITS, batch.split[index])},
                  actions=tuple(tables.actions[a].policy_id for a in np.flatnonzero(batch.actions[index])),
                  onshore=None if batch.onshore is None else float(batch.onshore[index]))


def rounded(orders: Orders, step: float = 0.001) -> Orders:
    """Shares rounded down to whole steps (what a person edits), the split made to add up to 1."""
    alloc = {k: float(np.floor(orders.allocation.get(k, 0.0) / step + 1e-9) * step) for k in CATEGORIES}
    split = {k: float(np.round(orders.split.get(k, 0.0) / step) * step) for k in SPLITS}
    split[SPLITS[0]] = round(1.0 - sum(split[k] for k in SPLITS[1:]), 10)
    onshore = None if orders.onshore is None else float(np.round(orders.onshore / step) * step)
    return Orders({k: round(v, 10) for k, v in alloc.items()}, split, orders.actions, onshore)


def without(orders: Orders, policy_id: str) -> Orders:
    return Orders(orders.allocation, orders.split, tuple(x for x in orders.actions if x != policy_id), orders.onshore)


class Advisor:
    """The advisor for `side` of `session`: stateless strategy, caches per position."""

    def __init__(self, session: Session, side: int, strategy: Strategy) -> None:
        self.session = session
        self.side = side
        self.strategy = strategy      # the normal planner (stateless: safe to share with a worker)
        self._world: World | None = None
        self._carried: Carried | None = None
        self._believed: tuple[World, OrderBatch] | None = None
        self._budget: dict[tuple[object, ...], Budget] = {}

    def _fresh(self) -> None:
        """Forget what was worked out for an earlier position."""
        if self._world is not self.session.world:
            self._world = self.session.world
            self._carried = None
            self._believed = None
            self._budget = {}

    # -- plans -------------------------------------------------------------------------------------
    def advice(self) -> Orders:
        """What the normal planner would do in this seat (from the seat's own view), in whole editing steps."""
        return self.advice_in(self.session.world)

    def advice_in(self, world: World) -> Orders:
        """The advisor's plan for the side in `world`, rounded as a person edits it."""
        raw = orders_of(self.strategy.decide(world, self.side), self.session.tables)
        out = rounded(raw)
        # Rounding down would drop a small training share to 0 and leave the run unfunded: round it up.
        need = float(np.ceil(raw.allocation["training"] / 0.001 - 1e-9) * 0.001)
        if need > out.allocation["training"] and sum(out.allocation.values()) - out.allocation["training"] + need <= 1.0:
            out = Orders({**out.allocation, "training": round(need, 10)}, out.split, out.actions, out.onshore)
        return out

    def opening(self) -> Orders:
        """The orders a person starts the quarter from: last quarter's carried (see buys.carry), or the plan."""
        if self.session.turns:
            return self.carried().orders
        return self.advice()

    def carried(self) -> Carried:
        """Last quarter's orders carried into this one, with a note on each row that no longer buys what it did."""
        self._fresh()
        if self._carried is None:
            s = self.session
            if not s.turns:
                self._carried = Carried(self.advice(), {})
            elif s.previous is None or s.over:
                last = s.turns[-1].orders[self.side]
                self._carried = Carried(Orders(last.allocation, last.split, (), last.onshore), {})
            else:
                self._carried = carry(s.world, s.previous, self.side, s.turns[-1].orders[self.side], self.strategy)
        return self._carried

    # -- the engine in the believed world ------------------------------------------------------------
    def believed_start(self) -> tuple[World, OrderBatch]:
        """The world the side believes in now and the rival's orders in it by the normal planner (read only)."""
        self._fresh()
        if self._believed is None:
            start = believed(self.session.world, self.side)
            self._believed = (start, self.strategy.decide(start, 1 - self.side))
        return self._believed

    def buys(self, orders: Orders) -> dict[str, RowBuys]:
        """What each allocation row's money buys this quarter (game.buys). Empty if the orders are invalid."""
        s = self.session
        if s.over or s.problem(self.side, orders) is not None:
            return {}
        return what_buys(s.world, self.side, orders, self.strategy, self.believed_start())

    def outlook(self, orders: Orders, quarters: tuple[int, ...] | None = None) -> Outlook | None:
        """The forecast 1, 4 and 8 quarters ahead and the power outlook (game.outlook)."""
        from game.outlook import QUARTERS, outlook

        return outlook(self, orders, QUARTERS if quarters is None else quarters)

    def forecast(self, orders: Orders) -> dict[str, float] | None:
        """Next quarter's own figures if these orders stand. None if the orders are invalid."""
        out = self.outlook(orders, (1,))
        return None if out is None else out.figures[0]

    def budget(self, orders: Orders | None = None) -> Budget:
        """The pot and where it comes from, and what `orders` (none: nothing allocated) allocate, and what the
        engine spends, borrows and keeps when it resolves them (one quarter in the believed world)."""
        s, side = self.session, self.side
        self._fresh()
        key: tuple[object, ...] = () if orders is None else (
            tuple(sorted(orders.allocation.items())), tuple(sorted(orders.split.items())), tuple(orders.actions),
            orders.onshore)
        if key in self._budget:
            return self._budget[key]
        world = s.world
        base = money.income(world)
        pot = money.spendable(world, base)
        share = np.zeros_like(base)
        spent = 0.0
        if orders is not None:
            share[0, side] = sum(float(v) for v in orders.allocation.values())
            if not s.over and s.problem(side, orders) is None:
                start, theirs = self.believed_start()
                mine = orders.to_batch(s.tables, side)
                after = resolve(start, mine, theirs) if side == 0 else resolve(start, theirs, mine)
                spent = float(after.flows_busd[0, side, ROW_FLOWS].sum())
            else:
                spent = float(share[0, side] * pot[0, side])
        allocated = share * pot
        used = np.zeros_like(base)
        used[0, side] = spent / pot[0, side] if pot[0, side] > 0 else 0.0
        _, borrow, keep = money.drawn(world, base, used)
        out = self._budget[key] = Budget(
            pot_busd=float(pot[0, side]), treasury_busd=float(world.treasury_busd[0, side]),
            budget_busd=float(base[0, side]), credit_busd=float(money.credit_line(world)[side]),
            spend_busd=float(allocated[0, side]), borrow_busd=float(borrow[0, side]), keep_busd=float(keep[0, side]),
            spent_busd=spent)
        return out

    # -- stakes ------------------------------------------------------------------------------------
    def stakes(self, policy_id: str, orders: Orders | None = None) -> PolicyStakes | None:
        """What taking `policy_id` commits the side to, or None if it is neither game-long nor rules anything out.
        With `orders` (the draft), next quarter's forecast and the horizon's track points, without and with it."""
        s, side = self.session, self.side
        t = s.tables
        a = t.action_index.get((policy_id, side))
        if a is None:
            return None
        act = t.actions[a]
        # The world with the policy taken by the engine (its term, cool-down and one-off effects) beside the world
        # as it is: a policy it rules out is one whose conditions held and now fail, or one naming it in forbids.
        base, taken = s.world.copy(), s.world.copy()
        chosen = np.zeros((1, len(t.actions)), dtype=bool)
        chosen[0, a] = True
        policy.take_actions(taken, chosen, np.zeros((1, 2)), np.zeros((1, 2)))
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
        left = t.scenario.turns - s.turn
        quarters = left if game_long else min(act.duration, left)
        effects = []
        for eff in s.content.policy(policy_id).effects:
            owner = side if eff.side == "self" else 1 - side if eff.side == "rival" else \
                SIDE_IDS.index(eff.side) if eff.side in SIDE_IDS else -1
            whose = "both sides'" if owner < 0 else "your" if owner == side else ("the US's", "China's")[owner]
            effects.append(effect_phrase(whose, eff.target, eff.op, eff.value) + (" (once)" if eff.kind == "stock" else ""))
        changes: tuple[tuple[str, float, float], ...] = ()
        future = None
        if orders is not None:
            no = without(orders, policy_id)
            yes = Orders(orders.allocation, orders.split, no.actions + (policy_id,), orders.onshore)
            before, after = self.forecast(no), self.forecast(yes)
            if before is not None and after is not None:
                changes = tuple((k, before[k], after[k]) for k in STAKES_FIGURES
                                if abs(after[k] - before[k]) > 1e-3 * max(abs(before[k]), 1e-6))
                # A one-off policy's effects stay (an export tier, a stock): like a game-long one, it acts to the end.
                future = self.future(a, no, left if act.duration <= 0 else max(quarters, 1))
        return PolicyStakes(name=act.name, cost_busd=act.cost_busd, game_long=game_long, quarters=quarters,
                            forbids=tuple(forbids), effects=tuple(effects), changes=changes, future=future)

    def future(self, action: int, draft: Orders, quarters: int) -> Future:
        """Two futures `quarters` ahead in one batch of two games (the believed world twice, paired draws): the
        draft without action `action` and with it this quarter, then the normal planner plays both sides every
        quarter (never taking the action in the future without it). Valid orders are assumed (see stakes)."""
        s, side = self.session, self.side
        t = s.tables
        start, theirs = self.believed_start()
        world = start.repeat(2)
        twice = np.zeros(2, dtype=np.intp)           # game 0 twice (take copies, onshore order included)
        mine = draft.to_batch(t, side).take(twice)
        mine.actions[1, action] = True
        rival = theirs.take(twice)
        end = min(s.turn + quarters, t.scenario.turns)
        while int(world.turn.max()) < end and not world.done.all():
            world = resolve(world, mine, rival) if side == 0 else resolve(world, rival, mine)
            mine = self.strategy.decide(world, side)
            mine.actions[0, action] = False          # the future without it never takes it
            rival = self.strategy.decide(world, 1 - side)
        track = world.track
        # Margins as the turning points count them: a game that ended early gives its winner the points left, one
        # still running splits them as this quarter's verdict does; else an outright loss in 2033 would read better
        # than a track loss in 2034 only because fewer quarters were scored.
        mine_margin = us_margin(world) * (1.0 if side == 0 else -1.0)
        ends = tuple(f"{outcome_short(WINNERS[int(world.winner[g])], REASONS[int(world.reason[g])])} "
                     f"{s.date(int(world.turn[g]) - 1)}" if world.done[g] else "" for g in (0, 1))
        turn = int(world.turn.max())
        return Future(turn=turn, quarters=turn - s.turn, last=s.date(turn - 1),
                      to_end=turn >= t.scenario.turns or bool(world.done.all()),
                      track_without=float(track[0, side]), track_with=float(track[1, side]),
                      margin_without=float(mine_margin[0]), margin_with=float(mine_margin[1]),
                      ends_without=ends[0], ends_with=ends[1])
