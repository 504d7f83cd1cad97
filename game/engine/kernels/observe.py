"""game/engine/observe.py for big batches: the observation vector, the verdict (and capability), deployment,
self-sufficiency and us_share as loops over the games (the same bits). scoring's kernel reads its verdict here."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine.jit import njit
from game.engine.kernels.mathk import _pairwise, exp_row, logistic1, rowsum, running_sum
from game.engine.state import CHIPS, DOMESTIC, FLOPS
from game.schema import FIELDS, FIGURE, OBS, VERDICT_PARTS

if TYPE_CHECKING:
    from game.engine.state import World
    from game.engine.tables import Tables

# The derived OBS figures the observe kernel works out itself (by Figure.of); every other OBS column is a stored
# (batch, 2) float field, copied. A figure added to OBS that is neither fails here, when the kernels load.
DERIVED = ("compute_eflops", "fleet_chips", "total_wafers", "deployment", "self_sufficiency")
STORED = tuple(name for name in OBS if not FIGURE[name].of)
# Each OBS column's source: -1 - k for STORED[k], else its index in DERIVED.
SOURCE = np.array([DERIVED.index(FIGURE[name].of) if FIGURE[name].of else -1 - STORED.index(name) for name in OBS])
for _name in STORED:
    if FIELDS[_name].dtype != "f8" or FIELDS[_name].dims != ("side",):
        raise ImportError(f"observe's kernel copies OBS figure {_name} as a (batch, 2) float field; teach it this one")
for _name in OBS:
    if FIGURE[_name].of and FIGURE[_name].of not in DERIVED:
        raise ImportError(f"observe's kernel does not work out OBS figure {_name} ({FIGURE[_name].of}); teach it")
if VERDICT_PARTS != ("frontier", "compute", "applications", "mindshare", "supply"):
    raise ImportError("observe's verdict kernel works out the five parts in their order; teach it the new ones")


def observe(world: World, out: np.ndarray | None) -> np.ndarray:
    """observe.observe: the OBS figures (batch, 2, len(OBS)), into `out` if given."""
    if out is None:
        out = np.empty((world.batch, 2, len(OBS)))
    _observe(out, SOURCE, tuple(getattr(world, name) for name in STORED), world.compute_flops, world.fleet_total,
             world.fab_wafers_per_q, world.market_busd, world.adoption, world.tables.sector_open_share, world.fleet,
             world.turn, world.tables.scoring.supply_quarters, CHIPS, FLOPS, DOMESTIC)
    return out


def deployment(world: World) -> np.ndarray:
    """observe.deployment, (batch, 2)."""
    out = np.empty((world.batch, 2))
    _deployment(out, world.market_busd, world.adoption, world.tables.sector_open_share)
    return out


def self_sufficiency(world: World) -> np.ndarray:
    """observe.self_sufficiency, (batch, 2)."""
    out = np.empty((world.batch, 2))
    _self_sufficiency(out, world.fleet, world.turn, world.tables.scoring.supply_quarters, FLOPS, DOMESTIC)
    return out


def us_share(us: np.ndarray, cn: np.ndarray) -> np.ndarray:
    """observe.us_share of two float columns, (batch,)."""
    out = np.empty(us.shape[0])
    _us_share(out, us, cn)
    return out


def verdict_terms(t: Tables) -> tuple[float, float, float, float]:
    """The numbers verdict and capability_of divide by or shift by: lead growth a year, the frontier part's
    scale, capability's midpoint and width."""
    cap = t.rules.capability
    return (t.rules.lead.growth_log10_per_year, t.scoring.frontier_scale_months, cap.mid_log10, cap.width_log10)


def refresh(world: World, capability: bool, out: np.ndarray) -> np.ndarray:
    """observe.refresh (capability too if asked) and observe.verdict into `out` (world.verdict for refresh);
    returns each side's deployment, (batch, 2)."""
    t = world.tables
    deployed = np.empty((world.batch, 2))
    _verdict(out, capability, world.capability, world.model_log10_eff, world.compute_flops, world.fleet_total,
             world.mindshare, world.market_busd, world.adoption, t.sector_open_share, world.fleet, world.turn,
             t.scoring.supply_quarters, FLOPS, DOMESTIC, *verdict_terms(t), deployed)
    return deployed


# Sums of rows: a call into mathk.rowsum (or a helper that may call it) is not inlined and costs more than a
# short row's sum, so each kernel below takes mathk.running_sum inline where a row has 8 values or fewer (rowsum's
# order there) and calls rowsum only past that; the same for ndarray.sum (npsum).


@njit
def npsum(a: np.ndarray) -> float:
    """ndarray.sum() of a contiguous 1-D array: numpy starts from 0.0, then adds one at a time under 8 values
    and in its pairwise order from 8."""
    n = a.shape[0]
    if n >= 8:
        return 0.0 + _pairwise(a, n)
    return 0.0 + running_sum(a) if n else 0.0


@njit
def share1(us: float, cn: float) -> float:
    """observe.us_share of one game."""
    total = us + cn
    return us / total if total > 0 else 0.5


# Games a chunk at a time: a chunk's figures copied sector by game into small buffers, so that each step below is
# a loop over the chunk's games that LLVM vectorises (deployment's 18 divisions a game are most of its time).
CHUNK = 32


@njit
def _deployment(out: np.ndarray, market: np.ndarray, adoption: np.ndarray, open_share: np.ndarray) -> None:
    batch, sectors = out.shape[0], market.shape[1]
    if sectors > 8:  # rowsum goes pairwise: one game at a time
        weights = np.empty(sectors)
        held = np.empty(sectors)
        for g in range(batch):
            market_total = rowsum(market[g])
            for k in range(sectors):
                weights[k] = market[g, k] / market_total
            for s in range(2):
                for k in range(sectors):
                    held[k] = adoption[g, s, k] / open_share[k] * weights[k]
                out[g, s] = rowsum(held)
        return
    m = np.empty((sectors, CHUNK))
    a = np.empty((2, sectors, CHUNK))
    whole = np.empty(CHUNK)
    total = np.empty(CHUNK)
    for lo in range(0, batch, CHUNK):
        n = min(CHUNK, batch - lo)
        for j in range(n):
            for k in range(sectors):
                m[k, j] = market[lo + j, k]
                a[0, k, j] = adoption[lo + j, 0, k]
                a[1, k, j] = adoption[lo + j, 1, k]
        whole[:n] = m[0, :n]  # mathx.running_sum of the market: one sector at a time, in order
        for k in range(1, sectors):
            for j in range(n):
                whole[j] += m[k, j]
        for k in range(sectors):  # each sector's weight, in place
            for j in range(n):
                m[k, j] = m[k, j] / whole[j]
        for s in range(2):
            share = open_share[0]
            for j in range(n):
                total[j] = a[s, 0, j] / share * m[0, j]
            for k in range(1, sectors):
                share = open_share[k]
                for j in range(n):
                    total[j] += a[s, k, j] / share * m[k, j]
            for j in range(n):
                out[lo + j, s] = total[j]


@njit
def _self_sufficiency(out: np.ndarray, fleet: np.ndarray, turn: np.ndarray, quarters: int, flops_at: int,
                      domestic_at: int) -> None:
    life = fleet.shape[-1]
    short = 0 < quarters < 8
    slots = np.empty(max(quarters, 1), np.int64)
    flops = np.empty(quarters)
    own = np.empty(quarters)
    seen = -1  # the turn `slots` is for: a batch's games mostly stand at one turn, so worked out once for it
    for g in range(out.shape[0]):
        if turn[g] != seen:
            seen = turn[g]
            now = seen % life
            for b in range(quarters):  # the ring's last `quarters` slots: (turn - 1 - b) % life
                slot = now - (b + 1)
                while slot < 0:
                    slot += life
                slots[b] = slot
        for s in range(2):
            if short:  # mathx.running_sum's order, from 0.0 as numpy's sum starts
                total = fleet[g, s, flops_at, slots[0]]
                part = fleet[g, s, domestic_at, slots[0]]
                for b in range(1, quarters):
                    total += fleet[g, s, flops_at, slots[b]]
                    part += fleet[g, s, domestic_at, slots[b]]
                total = 0.0 + total
                part = 0.0 + part
            else:
                for b in range(quarters):
                    flops[b] = fleet[g, s, flops_at, slots[b]]
                    own[b] = fleet[g, s, domestic_at, slots[b]]
                total = npsum(flops)
                part = npsum(own)
            if total > 0:
                ratio = part / total
                out[g, s] = ratio if ratio < 1.0 or ratio != ratio else 1.0  # np.minimum: NaN stays NaN
            else:
                out[g, s] = 0.0


@njit
def logistic_each(out: np.ndarray, z: np.ndarray) -> None:
    """mathk.logistic1 of each value of `z` into `out`, the same bits in loops LLVM vectorises: mathk.exp_row of -z
    (a pass of the series at a time), then 1 / (1 + e)."""
    n = z.shape[0]
    for i in range(n):
        out[i] = -z[i]
    exp_row(out, n, out)
    for i in range(n):
        out[i] = 1.0 / (1.0 + out[i])


@njit
def _us_share(out: np.ndarray, us: np.ndarray, cn: np.ndarray) -> None:
    for g in range(out.shape[0]):
        out[g] = share1(us[g], cn[g])


@njit
def _observe(out: np.ndarray, source: np.ndarray, stored: tuple[np.ndarray, ...], compute_flops: np.ndarray,
             fleet_total: np.ndarray, wafers: np.ndarray, market: np.ndarray, adoption: np.ndarray,
             open_share: np.ndarray, fleet: np.ndarray, turn: np.ndarray, quarters: int, chips_at: int,
             flops_at: int, domestic_at: int) -> None:
    batch = out.shape[0]
    deployed = np.empty((batch, 2))
    _deployment(deployed, market, adoption, open_share)
    own = np.empty((batch, 2))
    _self_sufficiency(own, fleet, turn, quarters, flops_at, domestic_at)
    nodes = wafers.shape[2]
    short = 0 < nodes <= 8
    # Games a block at a time, a column at a time within it: each inner loop reads one figure, and the block's
    # rows of `out` stay in the L1 cache while its columns are filled (8 games: the fastest measured).
    for lo in range(0, batch, 8):
        hi = min(lo + 8, batch)
        for i in range(source.shape[0]):
            kind = source[i]
            if kind < 0:
                values = stored[-1 - kind]
                for g in range(lo, hi):
                    out[g, 0, i], out[g, 1, i] = values[g, 0], values[g, 1]
            elif kind == 0:  # DERIVED, in order
                for g in range(lo, hi):
                    out[g, 0, i], out[g, 1, i] = compute_flops[g, 0] / 1e18, compute_flops[g, 1] / 1e18
            elif kind == 1:
                for g in range(lo, hi):
                    out[g, 0, i], out[g, 1, i] = fleet_total[g, 0, chips_at], fleet_total[g, 1, chips_at]
            elif kind == 2:
                for g in range(lo, hi):
                    for s in range(2):
                        if short:  # mathx.running_sum inline (a row's view costs more than its sum)
                            total = wafers[g, s, 0]
                            for k in range(1, nodes):
                                total += wafers[g, s, k]
                            out[g, s, i] = total
                        else:
                            out[g, s, i] = rowsum(wafers[g, s])
            elif kind == 3:
                for g in range(lo, hi):
                    out[g, 0, i], out[g, 1, i] = deployed[g, 0], deployed[g, 1]
            else:
                for g in range(lo, hi):
                    out[g, 0, i], out[g, 1, i] = own[g, 0], own[g, 1]


@njit
def _verdict(out: np.ndarray, with_capability: bool, capability: np.ndarray, model: np.ndarray,
             compute_flops: np.ndarray, fleet_total: np.ndarray, mindshare: np.ndarray, market: np.ndarray,
             adoption: np.ndarray, open_share: np.ndarray, fleet: np.ndarray, turn: np.ndarray, quarters: int,
             flops_at: int, domestic_at: int, growth: float, scale_months: float, mid: float, width: float,
             deployed: np.ndarray) -> None:
    """The verdict into `out`, and each side's deployment into `deployed` (scoring's decisive bar reads it)."""
    batch = out.shape[0]
    _deployment(deployed, market, adoption, open_share)
    own = np.empty((batch, 2))
    _self_sufficiency(own, fleet, turn, quarters, flops_at, domestic_at)
    frontier = np.empty(batch)  # the frontier part, all games at once (logistic_each vectorises)
    for g in range(batch):
        frontier[g] = 12.0 * (model[g, 0] - model[g, 1]) / growth / scale_months
    logistic_each(frontier, frontier)
    if with_capability:  # capability_of, before the verdict reads it
        for g in range(batch):
            for s in range(2):
                capability[g, s] = 100.0 * logistic1((model[g, s] - mid) / width)
    for g in range(batch):  # no call in this loop: it vectorises
        us0 = frontier[g]
        if turn[g] > 0:
            us1 = share1(compute_flops[g, 0], compute_flops[g, 1])
        else:  # before the first quarter, compute is the fleet's
            us1 = share1(fleet_total[g, 0, flops_at], fleet_total[g, 1, flops_at])
        us2 = share1(deployed[g, 0] * capability[g, 0], deployed[g, 1] * capability[g, 1])
        us3 = share1(mindshare[g, 0], mindshare[g, 1])
        us4 = share1(own[g, 0], own[g, 1])
        out[g, 0, 0], out[g, 1, 0] = us0, 1.0 - us0
        out[g, 0, 1], out[g, 1, 1] = us1, 1.0 - us1
        out[g, 0, 2], out[g, 1, 2] = us2, 1.0 - us2
        out[g, 0, 3], out[g, 1, 3] = us3, 1.0 - us3
        out[g, 0, 4], out[g, 1, 4] = us4, 1.0 - us4
