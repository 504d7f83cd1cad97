"""game/engine/models.py's train as one compiled loop over games: the run funded and advanced, a finished run's
outcome (luck, fast-following) and the capability, in numpy's order of operations (tests/engine/test_kernels_models.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import streams
from game.engine.jit import njit
from game.engine.kernels.apps import maximum, minimum
from game.engine.kernels.mathk import log10_1, logistic1, unit_noise1

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
    finished = np.empty(2, np.bool_)
    gain = np.empty(2, np.bool_)
    log_eff = np.empty(2)
    for b in range(batch):
        for side in range(2):
            opex = train_opex[b, side] * modifiers[b, side, i_opex]
            funded_eflop = money[b, side] * 1e9 / maximum(opex, 1e-12)
            used_eflop = minimum(training_flop[b, side] / 1e18, funded_eflop)
            spent[b, side] = minimum(used_eflop * opex * 1e-9, money[b, side])
            run_flop[b, side] = run_flop[b, side] + used_eflop * 1e18
            run_quarters[b, side] = run_quarters[b, side] + 1
            train_opex[b, side] = train_opex[b, side] * (1.0 - opex_decline_per_q)
            finished[side] = run_quarters[b, side] >= run_length_q
        gain[0] = gain[1] = False
        if finished[0] or finished[1]:
            # Both sides' outcomes from the models as they stood (each follows the rival's old frontier).
            for side in range(2):
                flop = run_flop[b, side]
                eff = log10_1(maximum(flop, 1.0)) + efficiency_log10[b, side]
                if outcome_sigma_log10 > 0:
                    eff = eff + outcome_sigma_log10 * unit_noise1(seed[b], turn[b], run_stream, side)
                rival_log = model_log10_eff[b, 1 - side]
                mult = follow_open_mult if model_open[b, 1 - side] else follow_closed_mult
                mult = mult * modifiers[b, side, i_follow]
                boosted = minimum(eff + log10_1(maximum(mult, 1e-9)), rival_log)
                if eff < rival_log:
                    eff = maximum(boosted, eff)
                log_eff[side] = eff
                gain[side] = finished[side] and flop > 0 and eff > model_log10_eff[b, side]
            for side in range(2):
                if gain[side]:
                    model_log10_eff[b, side] = log_eff[side]
                    model_open[b, side] = (modifiers[b, side, i_auto_open] > 0.5
                                           and not modifiers[b, side, i_open_ban] > 0.5)
                    models_trained[b, side] += 1
                if finished[side]:
                    last_run_flop[b, side] = run_flop[b, side]
                    run_flop[b, side] = 0.0
                    run_quarters[b, side] = 0
        for side in range(2):
            model_new[b, side] = gain[side]
            z = (model_log10_eff[b, side] - cap_mid_log10) / cap_width_log10
            capability[b, side] = 100.0 * logistic1(z)


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
