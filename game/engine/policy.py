"""Policy actions: legality, costs and cool-downs, one-off stock effects, and the modifier table."""

from __future__ import annotations

import numpy as np

from game.engine import conditions
from game.engine.tables import PERMANENT, CompiledEffect

STOCK_SIDE_FIELDS = {
    "treasury_busd", "efficiency_log10", "mindshare", "model_open", "import_credit_busd", "power_mw",
    "packaging_chips_per_q", "fab_wafers_per_q", "fleet", "intel_level",
}


def legal_actions(world) -> np.ndarray:
    """(batch, actions) bool: what each side may take this turn (its own actions only)."""
    t = world.tables
    legal = np.zeros((world.batch, len(t.actions)), dtype=bool)
    active = world.policy_left > 0
    for a, act in enumerate(t.actions):
        ok = ~world.done & (world.cooldown_left[:, a] <= 0) & ~active[:, a]
        if t.unsatisfiable[a]:
            ok &= False
        for r in act.requires:
            ok &= active[:, r]
        for r in act.forbids:
            ok &= ~active[:, r]
        ok &= conditions.evaluate(world, act.conditions)
        legal[:, a] = ok
    return legal


def apply_stock(world, eff: CompiledEffect, mask: np.ndarray, grants: np.ndarray, losses: np.ndarray) -> None:
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


def take_actions(world, actions: np.ndarray, grants: np.ndarray, losses: np.ndarray) -> np.ndarray:
    """Start the chosen actions: cool-downs, durations, one-off effects. Returns cost per side."""
    t = world.tables
    costs = np.zeros((world.batch, 2))
    world.taken[:] = actions
    for a, act in enumerate(t.actions):
        chosen = actions[:, a]
        if not chosen.any():
            continue
        costs[:, act.side] += np.where(chosen, act.cost_busd, 0.0)
        world.cooldown_left[:, a] = np.where(chosen, act.cooldown + 1, world.cooldown_left[:, a])
        left = PERMANENT if act.duration < 0 else act.duration
        world.policy_left[:, a] = np.where(chosen, left, world.policy_left[:, a])
        for eff in act.stocks:
            apply_stock(world, eff, chosen, grants, losses)
    return costs


def tick(world) -> None:
    """End of turn: durations and cool-downs count down."""
    world.cooldown_left[:] = np.maximum(world.cooldown_left - 1, 0)
    world.policy_left[:] = np.where(world.policy_left >= PERMANENT, world.policy_left,
                                    np.maximum(world.policy_left - 1, 0))
    world.event_left[:] = np.maximum(world.event_left - 1, 0)


def compute_modifiers(world) -> None:
    """Rebuild every side's modifiers from what is in force: policies, export tiers, events."""
    t = world.tables
    mods = world.modifiers
    mods[:] = np.where(t.mod_is_add, 0.0, 1.0)

    def apply(effects, active: np.ndarray) -> None:
        for eff in effects:
            for side in eff.sides:
                col = mods[:, side, eff.index]
                if eff.op == "mul":
                    mods[:, side, eff.index] = col * np.where(active, eff.value, 1.0)
                else:
                    mods[:, side, eff.index] = col + np.where(active, eff.value, 0.0)

    for a, act in enumerate(t.actions):
        if act.modifiers:
            apply(act.modifiers, world.policy_left[:, a] > 0)
    for k, effects in enumerate(t.tier_modifiers):
        if effects:
            apply(effects, world.export_tier >= k + 1)
    for e, effects in enumerate(t.event_modifiers):
        if effects:
            apply(effects, world.event_left[:, e] > 0)
