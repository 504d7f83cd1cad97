"""game/engine/models.py's train compiled: the run funded and advanced, a finished run's outcome (luck,
fast-following) and the capability, in a few passes over the games in numpy's order of operations
(tests/engine/test_kernels_models.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import streams
from game.engine.jit import njit
from game.engine.kernels.mathk import exp_row, ln_row, maximum, minimum, unit_noise1
from game.engine.mathx import LN10

if TYPE_CHECKING:
    from game.engine.state import World


@njit
def _train(money: np.ndarray, training_flop: np.ndarray, modifiers: np.ndarray, seed: np.ndarray, turn: np.ndarray,
           train_opex: np.ndarray, run_flop: np.ndarray, run_quarters: np.ndarray, last_run_flop: np.ndarray,
           model_log10_eff: np.ndarray, efficiency_log10: np.ndarray, model_open: np.ndarray,
           models_trained: np.ndarray, model_new: np.ndarray, capability: np.ndarray, spent: np.ndarray,
           i_opex: int, i_follow: int, i_auto_open: int, i_open_ban: int, run_length_q: int, opex_decline_per_q: float,
           outcome_sigma_log10: float, run_stream: int, follow_open_mult: float, follow_closed_mult: float,
           cap_mid_log10: float, cap_width_log10: float) -> None:
    batch = money.shape[0]
    finished = np.empty((batch, 2), np.bool_)
    for b in range(batch):
        for side in range(2):
            opex = train_opex[b, side] * modifiers[b, side, i_opex]
            funded_eflop = money[b, side] * 1e9 / maximum(opex, 1e-12)
            used_eflop = minimum(training_flop[b, side] / 1e18, funded_eflop)
            spent[b, side] = minimum(used_eflop * opex * 1e-9, money[b, side])
            run_flop[b, side] = run_flop[b, side] + used_eflop * 1e18
            run_quarters[b, side] = run_quarters[b, side] + 1
            train_opex[b, side] = train_opex[b, side] * (1.0 - opex_decline_per_q)
            finished[b, side] = run_quarters[b, side] >= run_length_q
            model_new[b, side] = False
    if finished.any():
        # The logs a finished run's outcome takes, in one row (game by side, then the fast-follow multipliers),
        # for every game: runs mostly finish in all games of a batch at once, and a row's logs run as vector code.
        logs_of = np.empty(4 * batch)
        for b in range(batch):
            for side in range(2):
                logs_of[2 * b + side] = maximum(run_flop[b, side], 1.0)
                mult = follow_open_mult if model_open[b, 1 - side] else follow_closed_mult
                logs_of[2 * batch + 2 * b + side] = maximum(mult * modifiers[b, side, i_follow], 1e-9)
        logs = np.empty(4 * batch)
        ln_row(logs_of, 4 * batch, logs)
        gain = np.empty(2, np.bool_)
        log_eff = np.empty(2)
        for b in range(batch):
            if not (finished[b, 0] or finished[b, 1]):
                continue
            # Both sides' outcomes from the models as they stood (each follows the rival's old frontier).
            for side in range(2):
                flop = run_flop[b, side]
                eff = logs[2 * b + side] / LN10 + efficiency_log10[b, side]
                if outcome_sigma_log10 > 0:
                    eff = eff + outcome_sigma_log10 * unit_noise1(seed[b], turn[b], run_stream, side)
                rival_log = model_log10_eff[b, 1 - side]
                boosted = minimum(eff + logs[2 * batch + 2 * b + side] / LN10, rival_log)
                if eff < rival_log:
                    eff = maximum(boosted, eff)
                log_eff[side] = eff
                gain[side] = finished[b, side] and flop > 0 and eff > model_log10_eff[b, side]
            for side in range(2):
                model_new[b, side] = gain[side]
                if gain[side]:
                    model_log10_eff[b, side] = log_eff[side]
                    model_open[b, side] = (modifiers[b, side, i_auto_open] > 0.5
                                           and not modifiers[b, side, i_open_ban] > 0.5)
                    models_trained[b, side] += 1
                if finished[b, side]:
                    last_run_flop[b, side] = run_flop[b, side]
                    run_flop[b, side] = 0.0
                    run_quarters[b, side] = 0
    # The capability of every model: 100 x logistic((log10 eff - mid) / width), its exponential of -z first.
    z = np.empty(2 * batch)
    for b in range(batch):
        for side in range(2):
            z[2 * b + side] = -((model_log10_eff[b, side] - cap_mid_log10) / cap_width_log10)
    exp_row(z, 2 * batch, z)
    for b in range(batch):
        for side in range(2):
            capability[b, side] = 100.0 * (1.0 / (1.0 + z[2 * b + side]))


def train(world: World, money: np.ndarray, training_flop: np.ndarray) -> np.ndarray:
    """models.train: the world changed in place, the money spent returned."""
    t = world.tables
    tr = t.rules.training
    mi = t.mod_index
    cap = t.rules.capability
    spent = np.empty_like(money)
    _train(money, training_flop, world.modifiers, world.seed, world.turn, world.train_opex_usd_per_eflop,
           world.run_flop, world.run_quarters, world.last_run_flop, world.model_log10_eff, world.efficiency_log10,
           world.model_open, world.models_trained, world.model_new, world.capability, spent, mi["opex"],
           mi["follow"], mi["auto_open"], mi["open_ban"], int(tr.run_quarters), float(tr.opex_decline_per_q),
           float(tr.outcome_sigma_log10), streams.RUN, float(tr.follow_open_mult), float(tr.follow_closed_mult),
           float(cap.mid_log10), float(cap.width_log10))
    return spent
