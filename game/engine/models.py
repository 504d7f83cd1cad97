"""Models: the frontier training run (compute x money), fast-following the rival, capability."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import jit, mathx, observe, streams

if TYPE_CHECKING:
    from game.engine.state import World
    from game.engine.tables import Tables


def training_flop(t: Tables, quarter: np.ndarray, share: np.ndarray, frontier_share: np.ndarray,
                  training_mod: np.ndarray) -> np.ndarray:
    """FLOP the frontier run gets from a quarter's compute: the training share, less lost time, the
    leading lab's part of it, times the training modifier."""
    flop: np.ndarray = quarter * share * t.rules.training.goodput * frontier_share * training_mod
    return flop


def train(world: World, money: np.ndarray, training_flop: np.ndarray) -> np.ndarray:
    """Advance the frontier run; finish it after run_quarters. Returns money spent (unused is kept)."""
    if jit.active(world.batch):
        from game.engine.kernels import models as k

        return k.train(world, money, training_flop)
    t = world.tables
    tr = t.rules.training
    opex = world.train_opex_usd_per_eflop * world.modifiers[:, :, t.mod_index["opex"]]
    # Staff, data and energy pay for the FLOP the run uses: compute without money idles, and back.
    funded_eflop = money * 1e9 / np.maximum(opex, 1e-12)
    used_eflop = np.minimum(training_flop / 1e18, funded_eflop)
    spent: np.ndarray = np.minimum(used_eflop * opex * 1e-9, money)
    world.run_flop[:] = world.run_flop + used_eflop * 1e18
    world.run_quarters[:] = world.run_quarters + 1
    world.train_opex_usd_per_eflop[:] = world.train_opex_usd_per_eflop * (1.0 - tr.opex_decline_per_q)
    finished = world.run_quarters >= tr.run_quarters
    # What a finished run brings, worked out for the games where a run finishes (most quarters, few or none).
    better = np.zeros(finished.shape, dtype=bool)
    games = np.logical_or.reduce(finished, axis=1).nonzero()[0]  # the games where some run finishes
    if games.size:
        whole = games.size == world.batch
        at: slice | np.ndarray = slice(None) if whole else games
        run_flop = world.run_flop[at]
        log_eff = mathx.log10(np.maximum(run_flop, 1.0)) + world.efficiency_log10[at]
        # A run can disappoint or surprise: its outcome varies around what its compute predicts.
        if tr.outcome_sigma_log10 > 0:
            luck = mathx.unit_noise(world.seed[at, None], world.turn[at, None], streams.RUN, np.array([[0, 1]]))
            log_eff = log_eff + tr.outcome_sigma_log10 * luck
        # Fast follower: up to the rival's frontier, compute goes further (much further if its weights are open).
        model_log10_eff = world.model_log10_eff[at]
        rival_log = model_log10_eff[:, ::-1]
        rival_open = world.model_open[at][:, ::-1]
        mods = world.modifiers[at]
        mult = np.where(rival_open, tr.follow_open_mult, tr.follow_closed_mult)
        mult = mult * mods[:, :, t.mod_index["follow"]]
        boosted = np.minimum(log_eff + mathx.log10(np.maximum(mult, 1e-9)), rival_log)
        log_eff = np.where(log_eff < rival_log, np.maximum(boosted, log_eff), log_eff)
        gain = finished[at] & (run_flop > 0) & (log_eff > model_log10_eff)
        better[at] = gain
        world.model_log10_eff[at] = np.where(gain, log_eff, model_log10_eff)
        mi = t.mod_index
        auto_open = (mods[:, :, mi["auto_open"]] > 0.5) & ~(mods[:, :, mi["open_ban"]] > 0.5)
        world.model_open[at] = np.where(gain, auto_open, world.model_open[at])
        world.models_trained[at] += gain
        world.last_run_flop[at] = np.where(finished[at], run_flop, world.last_run_flop[at])
        world.run_flop[at] = np.where(finished[at], 0.0, run_flop)
        world.run_quarters[at] = np.where(finished[at], 0, world.run_quarters[at])
    world.model_new[:] = better
    world.capability[:] = observe.capability_of(t, world.model_log10_eff)
    return spent
