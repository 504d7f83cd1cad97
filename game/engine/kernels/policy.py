"""game/engine/policy.py for kernels: legality, the modifier table and the turn's countdowns, one pass over games."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from game.engine.jit import njit
from game.engine.kernels import conditions as kc
from game.engine.policy import apply_stock
from game.engine.tables import PERMANENT

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
            t.eff_source.astype(np.int64), t.eff_is_mul.astype(bool), t.eff_value.astype(np.float64))
    return got


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


def take_actions(world: World, actions: np.ndarray, grants: np.ndarray, losses: np.ndarray) -> np.ndarray:
    r = rules(world.tables)
    costs = np.zeros((world.batch, 2))
    taken_any = np.zeros(actions.shape[1], dtype=bool)
    _take(actions, r.side, r.cost_busd, r.cooldown, r.lasts, world.taken, world.cooldown_left, world.policy_left,
          costs, taken_any)
    # The one-off effects as numpy applies them: action by action in table order (a few whole-batch operations).
    for a in np.flatnonzero(taken_any):
        for eff in world.tables.actions[a].stocks:
            apply_stock(world, eff, actions[:, a], grants, losses)
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


def compute_modifiers(world: World) -> None:
    r = rules(world.tables)
    _modifiers(world.policy_left, world.export_tier, world.event_left, world.tables.n_tiers, r.start, r.eff_side,
               r.eff_mod, r.eff_source, r.eff_is_mul, r.eff_value, world.modifiers)


@njit
def _modifiers(policy_left: np.ndarray, export_tier: np.ndarray, event_left: np.ndarray, n_tiers: int,
               start: np.ndarray, eff_side: np.ndarray, eff_mod: np.ndarray, eff_source: np.ndarray,
               eff_is_mul: np.ndarray, eff_value: np.ndarray, mods: np.ndarray) -> None:
    """Each game's modifiers from their start, the effects in force applied in table order (numpy multiplies by 1
    or adds 0 where an effect is not in force: the same bits as leaving it out, a sum from 0 never being -0)."""
    n_actions = policy_left.shape[1]
    for i in range(mods.shape[0]):
        for s in range(mods.shape[1]):
            for m in range(mods.shape[2]):
                mods[i, s, m] = start[m]
        for e in range(eff_source.shape[0]):
            src = eff_source[e]  # policies in force, then export tiers reached (1, 2, ..), then events in force
            if src < n_actions:
                on = policy_left[i, src] > 0
            elif src < n_actions + n_tiers:
                on = export_tier[i] >= src - n_actions + 1
            else:
                on = event_left[i, src - n_actions - n_tiers] > 0
            if on:
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
