"""game/engine/resolve.py's glue between layers for big batches, fused into loops over the games (the same bits):
the money each category gets, the compute split, and the quarter's flows written for the books."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine.jit import njit
from game.engine.kernels.money import income1, spendable1

if TYPE_CHECKING:
    from game.engine.state import World


def flow_columns(world: World) -> np.ndarray:
    """Room for the quarter's flows, (batch, 2, flows) with each flow's (batch, 2) contiguous: quarter() writes a
    flow at a time, whole (the world's own layout takes a strided write each), and the books copy them in."""
    flows = world.flows_busd
    by_flow: np.ndarray = np.empty((flows.shape[2], flows.shape[0], 2)).transpose(1, 2, 0)
    return by_flow


def money_by_category(world: World, allocation_us: np.ndarray, allocation_cn: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """quarter()'s base budget (money.income), pot (money.spendable) and money for each category,
    (categories, batch, 2): the allocation's shares of the pot."""
    t = world.tables
    batch = world.batch
    base = np.empty((batch, 2))
    pot = np.empty((batch, 2))
    money_by = np.empty((allocation_us.shape[1], batch, 2))
    _money_by_category(base, pot, money_by, allocation_us, allocation_cn, world.base_budget_busd, world.modifiers,
                       t.mod_index["budget"], world.debt_quarters, t.rules.money.crisis_budget_mult,
                       world.treasury_busd, t.credit_line_busd)
    return base, pot, money_by


def compute_split(world: World, flops: np.ndarray, split_us: np.ndarray, split_cn: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """quarter()'s FLOP of the quarter (physics.quarter_flop) and the split: the training share, and the inference
    and research FLOP, each (batch, 2)."""
    t = world.tables
    shape = (world.batch, 2)
    quarter, training_share, inference, research = np.empty(shape), np.empty(shape), np.empty(shape), np.empty(shape)
    _compute_split(quarter, training_share, inference, research, flops, split_us, split_cn,
                   t.rules.supply.seconds_per_quarter, t.rules.training.mfu)
    return quarter, training_share, inference, research


def book_flows(world: World, flows: np.ndarray, at: dict[str, int], intel_money: np.ndarray, base: np.ndarray,
               grants: np.ndarray, energy: np.ndarray, action_cost: np.ndarray, interest: np.ndarray,
               losses: np.ndarray) -> None:
    """quarter()'s intelligence (intel_level moved) and the flows the books read, written into `flows`."""
    t = world.tables
    it = t.rules.intel
    _book_flows(flows, world.intel_level, intel_money, it.decay, it.ref_busd, world.revenue_busd,
                t.rules.money.reinvest_share, base, grants, energy, action_cost, interest, losses,
                at["intelligence"], at["base_budget"], at["revenue"], at["grants"], at["energy"], at["actions"],
                at["interest"], at["losses"])


@njit
def _money_by_category(base: np.ndarray, pot: np.ndarray, money_by: np.ndarray, allocation_us: np.ndarray,
                       allocation_cn: np.ndarray, base_budget: np.ndarray, modifiers: np.ndarray, budget_at: int,
                       debt_quarters: np.ndarray, crisis_mult: float, treasury: np.ndarray,
                       credit_line: np.ndarray) -> None:
    for g in range(base.shape[0]):
        for s in range(2):
            base[g, s] = income1(base_budget[g, s], modifiers[g, s, budget_at], debt_quarters[g, s], crisis_mult)
            pot[g, s] = spendable1(treasury[g, s], base[g, s], credit_line[s])
        for c in range(money_by.shape[0]):
            money_by[c, g, 0] = allocation_us[g, c] * pot[g, 0]
            money_by[c, g, 1] = allocation_cn[g, c] * pot[g, 1]


@njit
def _compute_split(quarter: np.ndarray, training_share: np.ndarray, inference: np.ndarray, research: np.ndarray,
                   flops: np.ndarray, split_us: np.ndarray, split_cn: np.ndarray, seconds_per_quarter: float,
                   mfu: float) -> None:
    for g in range(quarter.shape[0]):
        for s in range(2):
            # physics.quarter_flop, its goodput of 1 included: flops * seconds * mfu * goodput
            quarter[g, s] = flops[g, s] * seconds_per_quarter * mfu * 1.0
        training_share[g, 0], training_share[g, 1] = split_us[g, 0], split_cn[g, 0]
        inference[g, 0], inference[g, 1] = quarter[g, 0] * split_us[g, 1], quarter[g, 1] * split_cn[g, 1]
        research[g, 0], research[g, 1] = quarter[g, 0] * split_us[g, 2], quarter[g, 1] * split_cn[g, 2]


@njit
def _book_flows(flows: np.ndarray, intel_level: np.ndarray, intel_money: np.ndarray, decay: float, ref_busd: float,
                revenue: np.ndarray, reinvest_share: float, base: np.ndarray, grants: np.ndarray,
                energy: np.ndarray, action_cost: np.ndarray, interest: np.ndarray, losses: np.ndarray,
                intelligence_at: int, base_at: int, revenue_at: int, grants_at: int, energy_at: int,
                actions_at: int, interest_at: int, losses_at: int) -> None:
    for g in range(flows.shape[0]):
        for s in range(2):
            intel_level[g, s] = intel_level[g, s] * decay + intel_money[g, s] / ref_busd
            flows[g, s, intelligence_at] = intel_money[g, s]
            flows[g, s, base_at] = base[g, s]
            flows[g, s, revenue_at] = revenue[g, s] * reinvest_share  # the rest leaves the race
            flows[g, s, grants_at] = grants[g, s]
            flows[g, s, energy_at] = energy[g, s]
            flows[g, s, actions_at] = action_cost[g, s]
            flows[g, s, interest_at] = interest[g, s]
            flows[g, s, losses_at] = losses[g, s]
