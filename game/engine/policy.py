"""Policy actions: legality, costs and cool-downs, one-off stock effects, and the modifier table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import conditions, jit
from game.engine.mathx import some
from game.engine.tables import PERMANENT, CompiledEffect

if TYPE_CHECKING:
    from game.engine.state import World
    from game.engine.tables import Tables

def legal_actions(world: World) -> np.ndarray:
    """(batch, actions) bool: what each side may take this turn (its own actions only)."""
    if jit.active(world.batch):
        from game.engine.kernels import policy as k

        return k.legal_actions(world)
    t = world.tables
    active = world.policy_left > 0
    legal: np.ndarray = ~world.done[:, None] & (world.cooldown_left <= 0) & ~active & t.satisfiable_mask
    figures: dict[str, np.ndarray] = {}
    for a in t.conditional_actions:
        act = t.actions[a]
        ok = legal[:, a]
        for r in act.requires:
            ok = ok & active[:, r]
        for r in act.forbids:
            ok = ok & ~active[:, r]
        if act.conditions and some(ok):  # conditions change nothing where no game may take it
            ok = ok & conditions.evaluate(world, act.conditions, figures)
        legal[:, a] = ok
    return legal


def apply_stock(world: World, eff: CompiledEffect, mask: np.ndarray, grants: np.ndarray, losses: np.ndarray) -> None:
    """Apply a one-off effect where mask holds. Treasury changes are booked as grants or losses."""
    from game.content.vocab import STOCKS

    target = STOCKS[eff.index]
    t = world.tables
    for side in eff.sides:
        if target == "export_tier":
            new = world.export_tier + int(round(eff.value)) if eff.op == "add" else (
                np.full_like(world.export_tier, int(round(eff.value))) if eff.op == "set" else world.export_tier)
            new = np.clip(new, 0, t.n_tiers)
            world.export_tier[:] = np.where(mask, new, world.export_tier)
            continue
        if target == "fleet":
            world.fleet[:, side] = np.where(mask[:, None, None], combine(world.fleet[:, side], eff), world.fleet[:, side])
            world.fleet_total[:] = np.add.reduce(world.fleet, axis=-1)
            continue
        arr = getattr(world, target)
        old = arr[:, side].astype(np.float64)
        if arr.ndim == 3:
            new = combine(old, eff)
            arr[:, side] = np.where(mask[:, None], new, old)
            continue
        new = combine(old, eff)
        if target == "treasury_busd":
            delta = np.where(mask, new - old, 0.0)
            grants[:, side] += np.maximum(delta, 0.0)
            losses[:, side] += np.maximum(-delta, 0.0)
            continue  # the treasury itself moves once, in the money layer
        if target == "mindshare":
            new = np.clip(new, 0.0, 1.0)
        if target in ("model_open",):
            arr[:, side] = np.where(mask, new > 0.5, arr[:, side])
            continue
        if target in ("power_mw", "packaging_chips_per_q", "intel_level", "import_credit_busd"):
            new = np.maximum(new, 0.0)
        arr[:, side] = np.where(mask, new, old)


def combine(old: np.ndarray, eff: CompiledEffect) -> np.ndarray:
    if eff.op == "add":
        return old + eff.value
    if eff.op == "mul":
        return old * eff.value
    return np.full_like(old, eff.value, dtype=np.float64)


def take_actions(world: World, actions: np.ndarray, grants: np.ndarray, losses: np.ndarray) -> np.ndarray:
    """Start the chosen actions: cool-downs, durations, one-off effects. Returns cost per side."""
    if jit.active(world.batch):
        from game.engine.kernels import policy as k

        return k.take_actions(world, actions, grants, losses, apply_stock)
    t = world.tables
    costs = np.zeros((world.batch, 2))
    world.taken[:] = actions
    for a in np.logical_or.reduce(actions, axis=0).nonzero()[0]:  # the actions some game takes, in table order
        act = t.actions[a]
        chosen = actions[:, a]
        costs[:, act.side] += np.where(chosen, act.cost_busd, 0.0)
        world.cooldown_left[:, a] = np.where(chosen, act.cooldown + 1, world.cooldown_left[:, a])
        left = PERMANENT if act.duration < 0 else act.duration
        world.policy_left[:, a] = np.where(chosen, left, world.policy_left[:, a])
        for eff in act.stocks:
            apply_stock(world, eff, chosen, grants, losses)
    return costs


def tick(world: World) -> None:
    """End of turn: durations and cool-downs count down."""
    if jit.active(world.batch):
        from game.engine.kernels import policy as k

        k.tick(world)
        return
    for left in (world.cooldown_left, world.event_left):
        left -= 1
        np.maximum(left, 0, out=left)
    # A policy that lasts the game does not count down (its count is PERMANENT or more; max(x, 0) leaves it).
    left = world.policy_left
    np.subtract(left, 1, out=left, where=left < PERMANENT)
    np.maximum(left, 0, out=left)


def compute_modifiers(world: World) -> None:
    """Rebuild every side's modifiers from what is in force: policies, export tiers, events.

    Effects are applied in table order, one multiplication or addition at a time, starting from
    1 or 0 - the same sequence for every game, whichever of the equivalent paths runs."""
    if jit.active(world.batch):
        from game.engine.kernels import policy as k

        k.compute_modifiers(world)
        return
    t = world.tables
    mods = world.modifiers
    if not t.eff_source.size:
        mods[:] = np.where(t.mod_is_add, 0.0, 1.0)
        return
    tiers = t.tier_numbers
    sources = np.concatenate([world.policy_left > 0, world.export_tier[:, None] >= tiers, world.event_left > 0], axis=1)
    if world.batch <= MEMO_BATCH:
        # A game's modifiers are a function of what is in force, which changes seldom: each set is worked out
        # once per content (below) and looked up after.
        memo = t.modifier_memo
        for i in range(world.batch):
            key = sources[i].tobytes()
            row = memo.get(key)
            if row is None:
                if len(memo) >= 4096:
                    memo.clear()
                row = memo[key] = modifiers_of(t, sources[i:i + 1])[0]
                row.flags.writeable = False
            mods[i] = row
        return
    if world.batch > 64:
        # Modifier by modifier, each worked out as one contiguous row of games from the effects in force in some
        # game (an effect in force in none multiplies by 1 or adds 0: no change), then written once.
        start = np.where(t.mod_is_add, 0.0, 1.0)
        mods[:] = start
        flat = mods.reshape(world.batch, -1)  # side, then modifier
        by_source = np.ascontiguousarray(sources.T)
        in_force: np.ndarray = np.asarray(by_source.any(axis=1))[t.eff_source]
        for slot, effects in t.effects_by_modifier:
            value: np.ndarray | None = None
            for e in effects:
                if not in_force[e]:
                    continue
                before = start[slot % start.size] if value is None else value
                if t.eff_is_mul[e]:
                    value = before * np.where(by_source[t.eff_source[e]], t.eff_value[e], 1.0)
                else:
                    value = before + np.where(by_source[t.eff_source[e]], t.eff_value[e], 0.0)
            if value is not None:
                flat[:, slot] = value
        return
    mods[:] = modifiers_of(t, sources)


MEMO_BATCH = 8  # games: up to this many, modifiers are looked up by what is in force


def modifiers_of(t: Tables, sources: np.ndarray) -> np.ndarray:
    """The modifiers (games, 2, modifiers) of games whose sources (policies in force, tiers reached, events in
    force; games, sources) are given: every effect at once, in table order."""
    mods = np.empty((sources.shape[0], 2, len(t.mod_index)))
    mods[:] = np.where(t.mod_is_add, 0.0, 1.0)
    active = sources[:, t.eff_source]
    games = np.arange(sources.shape[0])[:, None]
    mul = t.eff_is_mul
    if mul.any():
        np.multiply.at(mods, (games, t.eff_side[mul][None, :], t.eff_mod[mul][None, :]),
                       np.where(active[:, mul], t.eff_value[mul], 1.0))
    add = ~mul
    if add.any():
        np.add.at(mods, (games, t.eff_side[add][None, :], t.eff_mod[add][None, :]),
                  np.where(active[:, add], t.eff_value[add], 0.0))
    return mods
