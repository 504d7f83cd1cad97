"""game/engine/policy.py for kernels: legality, actions taken, one-off effects, the modifier table and the countdowns."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from game.engine.jit import njit
from game.engine.kernels import conditions as kc
from game.engine.kernels.mathk import clip, maximum
from game.engine.tables import PERMANENT, CompiledEffect

if TYPE_CHECKING:
    from game.engine.state import World
    from game.engine.tables import Tables


class ActionRules(NamedTuple):
    """The tables' action rules as arrays a kernel reads (worked out once per Tables)."""

    unsatisfiable: np.ndarray  # (actions,) bool
    need_action: np.ndarray    # (needs,) int64: the action a requirement or exclusion is on
    need_other: np.ndarray     # (needs,) int64: the action it names
    need_active: np.ndarray    # (needs,) bool: True where the other must be in force (requires), False (forbids)
    conds: kc.ConditionTable   # the actions' conditions, owner = action
    side: np.ndarray           # (actions,) int64: the side taking it
    cost_busd: np.ndarray      # (actions,) float64
    cooldown: np.ndarray       # (actions,) int64
    lasts: np.ndarray          # (actions,) int64: quarters in force once taken (PERMANENT for the game)
    start: np.ndarray          # (modifiers,) float64: a modifier before any effect (0 added to, 1 multiplied)
    eff_side: np.ndarray       # (effects,) int64
    eff_mod: np.ndarray        # (effects,) int64
    eff_source: np.ndarray     # (effects,) int64: policies, then export tiers, then events
    eff_is_mul: np.ndarray     # (effects,) bool
    eff_value: np.ndarray      # (effects,) float64
    stocks: StockTable         # the actions' one-off effects, owner = action


_RULES: weakref.WeakKeyDictionary[Tables, ActionRules] = weakref.WeakKeyDictionary()


def rules(t: Tables) -> ActionRules:
    got = _RULES.get(t)
    if got is None:
        needs = [(a, r, True) for a in t.conditional_actions for r in t.actions[a].requires]
        needs += [(a, r, False) for a in t.conditional_actions for r in t.actions[a].forbids]
        got = _RULES[t] = ActionRules(
            np.asarray(t.unsatisfiable_mask, dtype=bool),
            np.array([a for a, _, _ in needs], dtype=np.int64), np.array([r for _, r, _ in needs], dtype=np.int64),
            np.array([on for _, _, on in needs], dtype=bool),
            kc.table([(a, t.actions[a].conditions) for a in t.conditional_actions]),
            np.array([a.side for a in t.actions], dtype=np.int64),
            np.array([a.cost_busd for a in t.actions], dtype=np.float64),
            np.array([a.cooldown for a in t.actions], dtype=np.int64),
            np.array([PERMANENT if a.duration < 0 else a.duration for a in t.actions], dtype=np.int64),
            np.where(t.mod_is_add, 0.0, 1.0), t.eff_side.astype(np.int64), t.eff_mod.astype(np.int64),
            t.eff_source.astype(np.int64), t.eff_is_mul.astype(bool), t.eff_value.astype(np.float64),
            stock_table([a.stocks for a in t.actions]))
    return got


# The one-off effects' targets (content/vocab.py STOCKS) a kernel applies, as apply_stock does: the (batch, 2) float
# stocks by their place in this tuple, with apply_stock's floor (0: none, 1: a share clipped to 0-1, 2: not below 0);
# the treasury (booked as grants or losses), the export tier and the open-weights flag by these codes. The fleet
# and the fabs' capacity by node are left to apply_stock (StockTable.kernel False).
FLOAT_STOCKS = {"efficiency_log10": 0, "mindshare": 1, "import_credit_busd": 2, "power_mw": 2,
                "packaging_chips_per_q": 2, "intel_level": 2}
TREASURY, TIER, OPEN = -1, -2, -3
ADD, MUL, SET = 0, 1, 2


class StockTable(NamedTuple):
    """One-off effects of several owners (events, actions), one row per effect and side, in apply_stock's order."""

    kernel: bool           # whether the kernel applies every target (else apply_stock does, owner by owner)
    owner: np.ndarray      # (rows,) int64
    target: np.ndarray     # (rows,) int64: a place in FLOAT_STOCKS, or TREASURY, TIER, OPEN
    floor: np.ndarray      # (rows,) int64: FLOAT_STOCKS' floor
    side: np.ndarray       # (rows,) int64
    op: np.ndarray         # (rows,) int64: ADD, MUL, SET
    value: np.ndarray      # (rows,) float64
    tier_steps: np.ndarray  # (rows,) int64: the value as apply_stock rounds it for the export tier
    effects: tuple[tuple[CompiledEffect, ...], ...]  # each owner's, for apply_stock


def stock_table(effects: Sequence[tuple[CompiledEffect, ...]]) -> StockTable:
    from game.content.vocab import STOCKS

    floats = tuple(FLOAT_STOCKS)
    special = {"treasury_busd": TREASURY, "export_tier": TIER, "model_open": OPEN}
    rows = [(owner, STOCKS[eff.index], side, eff) for owner, effs in enumerate(effects) for eff in effs
            for side in eff.sides]
    kernel = all(target in floats or target in special for _, target, _, _ in rows)
    return StockTable(
        kernel, np.array([owner for owner, _, _, _ in rows], dtype=np.int64),
        np.array([special.get(target, floats.index(target) if target in floats else 0) for _, target, _, _ in rows],
                 dtype=np.int64),
        np.array([FLOAT_STOCKS.get(target, 0) for _, target, _, _ in rows], dtype=np.int64),
        np.array([side for _, _, side, _ in rows], dtype=np.int64),
        np.array([("add", "mul").index(eff.op) if eff.op in ("add", "mul") else SET for *_, eff in rows], dtype=np.int64),
        np.array([eff.value for *_, eff in rows], dtype=np.float64),
        np.array([int(round(eff.value)) for *_, eff in rows], dtype=np.int64), tuple(effects))


ApplyStock = Callable[["World", CompiledEffect, np.ndarray, np.ndarray, np.ndarray], None]


def apply_stocks(world: World, table: StockTable, mask: np.ndarray, taken_any: np.ndarray, grants: np.ndarray,
                 losses: np.ndarray, apply_stock: ApplyStock) -> None:
    """Each owner's one-off effects where mask (batch, owners) holds, owner by owner in order as `apply_stock`
    (policy.apply_stock, passed in: a kernel module does not import its layer) applies them, and by it where the
    table has a stock the kernel leaves to numpy (`taken_any`: the owners some game has)."""
    if not taken_any.any():
        return
    if table.kernel:
        floats = tuple(getattr(world, name) for name in FLOAT_STOCKS)
        _stocks(mask, taken_any, table.owner, table.target, table.floor, table.side, table.op, table.value,
                table.tier_steps, world.tables.n_tiers, floats, world.treasury_busd, world.export_tier, world.model_open,
                grants, losses)
        return
    for owner in np.flatnonzero(taken_any):
        for eff in table.effects[owner]:
            apply_stock(world, eff, mask[:, owner], grants, losses)


@njit
def _stocks(mask: np.ndarray, taken_any: np.ndarray, owner: np.ndarray, target: np.ndarray, floor: np.ndarray,
            side: np.ndarray, op: np.ndarray, value: np.ndarray, tier_steps: np.ndarray, n_tiers: int,
            floats: tuple[np.ndarray, ...], treasury: np.ndarray, export_tier: np.ndarray, model_open: np.ndarray,
            grants: np.ndarray, losses: np.ndarray) -> None:
    # Row by row, game by game: a game's rows still apply in order, and no row reads another game's state.
    for r in range(owner.shape[0]):
        if not taken_any[owner[r]]:
            continue  # an owner no game has
        for i in range(mask.shape[0]):
            if not mask[i, owner[r]]:
                continue
            s, kind = side[r], target[r]
            if kind == TIER:
                tier = export_tier[i] + tier_steps[r] if op[r] == ADD else tier_steps[r] if op[r] == SET else export_tier[i]
                export_tier[i] = min(max(tier, 0), n_tiers)
                continue
            if kind == TREASURY:
                old = treasury[i, s]
            elif kind == OPEN:
                old = 1.0 if model_open[i, s] else 0.0
            else:
                old = floats[kind][i, s]
            new = old + value[r] if op[r] == ADD else old * value[r] if op[r] == MUL else value[r]
            if kind == TREASURY:  # the treasury itself moves once, in the money layer
                delta = new - old
                grants[i, s] = grants[i, s] + maximum(delta, 0.0)
                losses[i, s] = losses[i, s] + maximum(-delta, 0.0)
            elif kind == OPEN:
                model_open[i, s] = new > 0.5
            else:
                if floor[r] == 1:
                    new = clip(new, 0.0, 1.0)
                elif floor[r] == 2:
                    new = maximum(new, 0.0)
                floats[kind][i, s] = new


def legal_actions(world: World) -> np.ndarray:
    r = rules(world.tables)
    legal = np.empty(world.policy_left.shape, dtype=bool)
    _legal(world.done, world.cooldown_left, world.policy_left, r.unsatisfiable, r.need_action, r.need_other,
           r.need_active, r.conds.owner, r.conds.op, r.conds.threshold, kc.figures_of(world, r.conds), legal)
    return legal


@njit
def _legal(done: np.ndarray, cooldown_left: np.ndarray, policy_left: np.ndarray, unsatisfiable: np.ndarray,
           need_action: np.ndarray, need_other: np.ndarray, need_active: np.ndarray, cond_action: np.ndarray,
           cond_op: np.ndarray, cond_value: np.ndarray, figures: np.ndarray, legal: np.ndarray) -> None:
    for i in range(legal.shape[0]):
        for a in range(legal.shape[1]):
            legal[i, a] = not done[i] and cooldown_left[i, a] <= 0 and not policy_left[i, a] > 0 and not unsatisfiable[a]
        for k in range(need_action.shape[0]):
            if (policy_left[i, need_other[k]] > 0) != need_active[k]:
                legal[i, need_action[k]] = False
        for k in range(cond_action.shape[0]):
            if not kc.holds(cond_op[k], figures[k, i], cond_value[k]):
                legal[i, cond_action[k]] = False


def take_actions(world: World, actions: np.ndarray, grants: np.ndarray, losses: np.ndarray,
                 apply_stock: ApplyStock) -> np.ndarray:
    r = rules(world.tables)
    costs = np.zeros((world.batch, 2))
    taken_any = np.zeros(actions.shape[1], dtype=bool)
    _take(actions, r.side, r.cost_busd, r.cooldown, r.lasts, world.taken, world.cooldown_left, world.policy_left,
          costs, taken_any)
    apply_stocks(world, r.stocks, actions, taken_any, grants, losses, apply_stock)
    return costs


@njit
def _take(actions: np.ndarray, side: np.ndarray, cost_busd: np.ndarray, cooldown: np.ndarray, lasts: np.ndarray,
          taken: np.ndarray, cooldown_left: np.ndarray, policy_left: np.ndarray, costs: np.ndarray,
          taken_any: np.ndarray) -> None:
    """Each game's actions started: costs added in table order, cool-downs and durations set."""
    for i in range(actions.shape[0]):
        for a in range(actions.shape[1]):
            chosen = actions[i, a]
            taken[i, a] = chosen
            if chosen:
                costs[i, side[a]] = costs[i, side[a]] + cost_busd[a]
                cooldown_left[i, a] = cooldown[a] + 1
                policy_left[i, a] = lasts[a]
                taken_any[a] = True


# A game's modifiers are a function of its sources in force (policies, export tiers reached, events), a set most
# games of a batch share with others: each set's modifiers are worked out once a call and copied to the other games
# that have it, found by the set's bits as a 64-bit key in a hash table of MEMO_SLOTS (filled up to half). With
# more sources than KEY_BITS every game works out its own.
MEMO_SLOTS = 8192
KEY_BITS = 64


def compute_modifiers(world: World) -> None:
    r = rules(world.tables)
    n_sources = world.policy_left.shape[1] + world.tables.n_tiers + world.event_left.shape[1]
    _modifiers(world.policy_left, world.export_tier, world.event_left, world.tables.n_tiers, r.start, r.eff_side,
               r.eff_mod, r.eff_source, r.eff_is_mul, r.eff_value, MEMO_SLOTS if n_sources <= KEY_BITS else 0,
               world.modifiers)


@njit
def _modifiers(policy_left: np.ndarray, export_tier: np.ndarray, event_left: np.ndarray, n_tiers: int,
               start: np.ndarray, eff_side: np.ndarray, eff_mod: np.ndarray, eff_source: np.ndarray,
               eff_is_mul: np.ndarray, eff_value: np.ndarray, memo_slots: int, mods: np.ndarray) -> None:
    """Each game's modifiers from their start, the effects in force applied in table order (numpy multiplies by 1
    or adds 0 where an effect is not in force: the same bits as leaving it out, a sum from 0 never being -0); with
    memo_slots (a power of two, or 0 for none), a game whose set of sources in force an earlier game of the call
    had copies that game's."""
    n_actions, n_events = policy_left.shape[1], event_left.shape[1]
    n_mods = start.shape[0]
    in_force = np.empty(n_actions + n_tiers + n_events, dtype=np.bool_)
    slot_key = np.empty(max(memo_slots, 1), dtype=np.uint64)
    slot_game = np.full(max(memo_slots, 1), -1, dtype=np.int32)
    filled = 0
    for i in range(mods.shape[0]):
        if memo_slots > 0:
            key = np.uint64(0)
            for a in range(n_actions):
                key |= np.uint64(policy_left[i, a] > 0) << np.uint64(a)
            for t in range(n_tiers):
                key |= np.uint64(export_tier[i] >= t + 1) << np.uint64(n_actions + t)
            for e in range(n_events):
                key |= np.uint64(event_left[i, e] > 0) << np.uint64(n_actions + n_tiers + e)
            slot = np.int64((key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)) & (memo_slots - 1)
            while slot_game[slot] >= 0 and slot_key[slot] != key:
                slot = (slot + 1) & (memo_slots - 1)
            twin = slot_game[slot]
            if twin >= 0:
                for side in range(mods.shape[1]):
                    for m in range(n_mods):
                        mods[i, side, m] = mods[twin, side, m]
                continue
            if 2 * filled < memo_slots:
                slot_key[slot], slot_game[slot] = key, i
                filled += 1
        # policies in force, then export tiers reached (1, 2, ..), then events in force
        for a in range(n_actions):
            in_force[a] = policy_left[i, a] > 0
        for t in range(n_tiers):
            in_force[n_actions + t] = export_tier[i] >= t + 1
        for e in range(n_events):
            in_force[n_actions + n_tiers + e] = event_left[i, e] > 0
        for side in range(mods.shape[1]):
            for m in range(n_mods):
                mods[i, side, m] = start[m]
        for e in range(eff_source.shape[0]):
            if in_force[eff_source[e]]:
                side, mod = eff_side[e], eff_mod[e]
                if eff_is_mul[e]:
                    mods[i, side, mod] = mods[i, side, mod] * eff_value[e]
                else:
                    mods[i, side, mod] = mods[i, side, mod] + eff_value[e]


def tick(world: World) -> None:
    _tick(world.cooldown_left, world.event_left, world.policy_left, PERMANENT)


@njit
def _tick(cooldown_left: np.ndarray, event_left: np.ndarray, policy_left: np.ndarray, permanent: int) -> None:
    for i in range(cooldown_left.shape[0]):
        for a in range(cooldown_left.shape[1]):
            cooldown_left[i, a] = max(cooldown_left[i, a] - 1, 0)
        for e in range(event_left.shape[1]):
            event_left[i, e] = max(event_left[i, e] - 1, 0)
        for a in range(policy_left.shape[1]):
            left = policy_left[i, a]
            policy_left[i, a] = max(left - 1 if left < permanent else left, 0)
