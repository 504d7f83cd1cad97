"""Derived figures (capability, compute, the lead and the verdict), the observation vector, and each side's view.

The figures and who may see them are declared in game/schema.py; a derived figure's `of` names its
function here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

import numpy as np

from game.engine import jit, mathx, streams
from game.engine.state import CHIPS, DOMESTIC, FLOPS, MW, World, at_one_turn
from game.schema import (
    FIELDS,
    FIGURES,
    LOG_OBS,
    OBS,
    PUBLIC_GLOBALS,
    RIVAL_FIGURES,
    SELF_FIGURES,
    VERDICT_PARTS,
    Figure,
)

if TYPE_CHECKING:
    from game.engine.tables import Tables


def capability_of(t: Tables, log10_eff: np.ndarray) -> np.ndarray:
    """Capability index 0-100: a logistic curve in log10 of effective training compute."""
    cap = t.rules.capability
    return 100.0 * mathx.logistic((log10_eff - cap.mid_log10) / cap.width_log10)


def decisive_bar(t: Tables) -> float:
    """The capability index where the decisive tier starts (the bar a decisive win needs, scoring.toml)."""
    return float(capability_of(t, np.array(t.decisive_log10)))


def tier_of(t: Tables, log10_eff: float) -> str:
    """Name of the capability tier an effective compute falls in ('below ...' under the first)."""
    tiers = t.rules.capability.tiers
    name = f"below {tiers[0].name}" if tiers else ""
    for tier in tiers:
        if log10_eff >= tier.log10_eff:
            name = tier.name
    return name


def deployment(world: World) -> np.ndarray:
    """Market-weighted adoption per side, each world market counted as a share of what the rest of the world
    leaves the two sides, 0-1: a bar well above one half can be passed by one side at a time."""
    if jit.active(world.batch):
        from game.engine.kernels import observe as k

        return k.deployment(world)
    # Sector by game (and side by sector by game), as apps works: see apps.deploy.
    market = np.ascontiguousarray(world.market_busd.T)
    weights = market / mathx.rowsum(market, axis=0)
    held = np.ascontiguousarray(world.adoption.transpose(1, 2, 0)) / world.tables.sector_open_share[:, None]
    held *= weights
    out: np.ndarray = mathx.rowsum(held, axis=1).T
    return out


def compute_eflops(world: World) -> np.ndarray:
    return world.compute_flops / 1e18


def fleet_chips(world: World) -> np.ndarray:
    return world.fleet_total[:, :, CHIPS]


def total_wafers(world: World) -> np.ndarray:
    """Fab capacity over all nodes, wafers a quarter."""
    return mathx.rowsum(world.fab_wafers_per_q)


def power_use(world: World) -> np.ndarray:
    """The fleet's draw over the power a side has, 0-1 and beyond."""
    return world.fleet_total[:, :, MW] / np.maximum(world.power_mw, 1e-9)


def open_ban(world: World) -> np.ndarray:
    return world.modifiers[:, :, world.tables.mod_index["open_ban"]]


def year(world: World) -> np.ndarray:
    return world.tables.year(world.turn)


def self_sufficiency(world: World) -> np.ndarray:
    """Share of the accelerators (by FLOP/s) each side installed in the last few quarters (scoring.toml
    supply_quarters) that its own onshore fabs made, 0-1: a flow both sides move by building at home, not the
    installed stock (DESIGN.md "Rules 3" item 2). Imported, smuggled and allied-made chips are dependencies.
    The fleet is a ring of cohorts by the turn they came in (engine.infra), so the flow is its last slots."""
    if jit.active(world.batch):
        from game.engine.kernels import observe as k

        return k.self_sufficiency(world)
    life = world.fleet.shape[-1]
    turn = world.turn
    if at_one_turn(turn):  # the usual batch: one set of slots, looked up
        slots = world.tables.recent_cohorts[int(turn[0]) % life]
        flops = np.add.reduce(world.fleet[:, :, FLOPS][:, :, slots], axis=-1)  # .sum(axis=-1) without its wrapper
        own = np.add.reduce(world.fleet[:, :, DOMESTIC][:, :, slots], axis=-1)
    else:
        back = 1 + np.arange(world.tables.scoring.supply_quarters)
        slots = ((turn[:, None] - back[None, :]) % life)[:, None, :]
        flops = np.take_along_axis(world.fleet[:, :, FLOPS], slots, axis=-1).sum(axis=-1)
        own = np.take_along_axis(world.fleet[:, :, DOMESTIC], slots, axis=-1).sum(axis=-1)
    positive = flops > 0
    out: np.ndarray = np.where(positive, np.minimum(own / np.where(positive, flops, 1.0), 1.0), 0.0)
    return out


def share(x: np.ndarray) -> np.ndarray:
    """Each side's share of x (batch, 2); half each where neither has any."""
    total = x[:, 0] + x[:, 1]
    safe = np.where(total > 0, total, 1.0)[:, None]
    return np.where(total[:, None] > 0, x / safe, 0.5)


def us_share(us: np.ndarray, cn: np.ndarray) -> np.ndarray:
    """share(x)[:, 0] from the two columns of x, (batch,)."""
    if us.ndim == 1 and jit.active(us.shape[0]) and us.dtype == cn.dtype == np.float64:
        from game.engine.kernels import observe as k

        return k.us_share(us, cn)
    total = us + cn
    live = total > 0
    out: np.ndarray = np.where(live, us / np.where(live, total, 1.0), 0.5)
    return out


def lead_months(world: World) -> np.ndarray:
    """Each side's lead over the rival in months (negative behind): 12 x the gap in log10 effective compute of
    the two frontiers over the frontier's growth a year (rules.toml [lead], DESIGN.md "Winning"). Never saturates."""
    gap = world.model_log10_eff - world.model_log10_eff[:, ::-1]
    months: np.ndarray = 12.0 * gap / world.tables.rules.lead.growth_log10_per_year
    return months


def verdict(world: World, out: np.ndarray | None = None) -> np.ndarray:
    """This quarter's verdict (batch, 2, VERDICT_PARTS): each side's share of each part, China's 1 - the US's
    (written to `out` if given)."""
    if jit.active(world.batch):
        from game.engine.kernels import observe as k

        if out is None:
            out = np.empty((world.batch, 2, len(VERDICT_PARTS)))
        k.refresh(world, False, out)
        return out
    t = world.tables
    if out is None:
        out = np.empty((world.batch, 2, len(VERDICT_PARTS)))
    us = out[:, 0]
    us[:, 0] = mathx.logistic(lead_months(world)[:, 0] / t.scoring.frontier_scale_months)
    # Compute before the first quarter is the fleet's (no quarter has run it yet).
    started = world.turn > 0
    compute = np.where(started[:, None], world.compute_flops, world.fleet_total[:, :, FLOPS])
    us[:, 1] = us_share(compute[:, 0], compute[:, 1])
    # Applications: sum over sectors of market weight x adoption x capability. Capability is one figure per side,
    # so this is deployment (the market-weighted adoption, as the decisive bar reads it) x capability: what a side's
    # models are worth where they are used, defence one sector among the rest by its market.
    apps = deployment(world) * world.capability
    us[:, 2] = us_share(apps[:, 0], apps[:, 1])
    us[:, 3] = us_share(world.mindshare[:, 0], world.mindshare[:, 1])
    own = self_sufficiency(world)
    us[:, 4] = us_share(own[:, 0], own[:, 1])
    np.subtract(1.0, us, out=out[:, 1])
    return out


def refresh(world: World, capability: bool = True) -> None:
    """Recompute the figures derived from stocks: capability (unless the caller knows it is current) and this
    quarter's verdict on the lead track (the totals are stocks: engine.scoring adds to them)."""
    if jit.active(world.batch):
        from game.engine.kernels import observe as k

        k.refresh(world, capability, world.verdict)
        return
    if capability:
        world.capability[:] = capability_of(world.tables, world.model_log10_eff)
    verdict(world, out=world.verdict)


def weighted_points(t: Tables, verdict_: np.ndarray) -> np.ndarray:
    """What a verdict (..., VERDICT_PARTS) gives a side for one unit of quarter weight, 0-100: its weighted share."""
    return 100.0 * mathx.rowsum(verdict_ * t.verdict_weights)


def points(world: World) -> np.ndarray:
    """What this quarter's verdict is worth per side if it holds for one unit of quarter weight, 0-100."""
    return weighted_points(world.tables, world.verdict)


def points_left(world: World) -> np.ndarray:
    """(batch,) points the quarters not yet resolved will add to the two totals together (public)."""
    left = world.tables.points_left_by_turn
    out: np.ndarray = left[np.minimum(world.turn, len(left) - 1)]
    return out


def reader(fig: Figure) -> Callable[[World], np.ndarray]:
    """How to read a figure off the state: its function here, or its stored field (as float64)."""
    if fig.of:
        derive: Callable[[World], np.ndarray] = globals()[fig.of]
        return derive
    name = fig.name
    if FIELDS[name].dtype == "f8":
        return lambda world: getattr(world, name)
    return lambda world: getattr(world, name).astype(np.float64)


READ = {fig.name: reader(fig) for fig in FIGURES}
_OBS_READ = tuple(READ[name] for name in OBS)


def figure(world: World, name: str) -> np.ndarray:
    """A figure by its schema name on the true state: (batch, 2) per side, (batch,) if global."""
    return READ[name](world)


def observe(world: World, out: np.ndarray | None = None) -> np.ndarray:
    """The true observable figures, (batch, side, len(OBS)), written to `out` if given."""
    if jit.active(world.batch):
        from game.engine.kernels import observe as k

        return k.observe(world, out)
    if out is None:
        return np.stack([read(world) for read in _OBS_READ], axis=-1)
    for i, read in enumerate(_OBS_READ):
        out[:, :, i] = read(world)
    return out


def sigma(world: World) -> np.ndarray:
    """Relative error of each side's estimates of its rival."""
    t = world.tables
    intel_mult = world.modifiers[:, :, t.mod_index["intel"]]
    return t.rules.intel.base_sigma / (1.0 + world.intel_level * intel_mult)


def estimate(world: World, side: int, columns: np.ndarray | None = None) -> np.ndarray:
    """What `side` believes of its rival: last quarter's figures with noise, (batch, len(OBS)), or only the OBS
    `columns` asked for (each column's noise is its own draw, so a column is the same alone or with the rest)."""
    rival = 1 - side
    index = np.arange(len(OBS)) if columns is None else np.asarray(columns)
    true = world.obs_lag[:, rival][:, index]
    sig = sigma(world)[:, side][:, None]
    noise = mathx.unit_noise(world.seed[:, None], world.turn[:, None], streams.INTEL + side, index[None, :])
    is_log = _IS_LOG[index]
    est = np.where(is_log, true + sig * noise, true * (1.0 + sig * noise))
    guess: np.ndarray = np.where(is_log, est, np.maximum(est, 0.0) * (true >= 0) + est * (true < 0))
    return guess


class View(Mapping[str, np.ndarray]):
    """Everything a player in `side`'s seat may see (game/schema.py's STRATEGY_FIELDS, and sigma): its own figures
    exact, the rival's ESTIMATE figures estimated, PUBLIC ones exact. Each figure is worked out when first read
    (a strategy reads a few of them), so read them before the world moves (what was read is a copy and stays as
    it was); `view` gives them all at once."""

    def __init__(self, world: World, side: int) -> None:
        self.world = world
        self.side = side
        self._seen: dict[str, np.ndarray] = {}

    def __getitem__(self, key: str) -> np.ndarray:
        value = self._seen.get(key)
        if value is None:
            value = self._seen[key] = _VIEW_READ[key](self)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(_VIEW_READ)

    def __len__(self) -> int:
        return len(_VIEW_READ)

    def __contains__(self, key: object) -> bool:
        return key in _VIEW_READ


def view(world: World, side: int) -> dict[str, np.ndarray]:
    """A side's whole View at once (the figures as the world stands now)."""
    own = observe(world)[:, side]
    guess = estimate(world, side)
    seen = View(world, side)
    seen._seen.update({f"self.{name}": own[:, i] for i, name in enumerate(OBS)})
    seen._seen.update({f"rival.{name}": guess[:, i] for i, name in enumerate(OBS)})
    return dict(seen)


ViewRead = Callable[[View], np.ndarray]


# Copies: a stored field's figure would otherwise be the world's own array, and move with it.
def _own(read: Callable[[World], np.ndarray]) -> ViewRead:
    return lambda seen: read(seen.world)[:, seen.side].copy()


def _rivals(read: Callable[[World], np.ndarray]) -> ViewRead:
    return lambda seen: read(seen.world)[:, 1 - seen.side].copy()


def _public(read: Callable[[World], np.ndarray]) -> ViewRead:
    return lambda seen: read(seen.world).copy()


def _guessed(i: int) -> ViewRead:
    return lambda seen: estimate(seen.world, seen.side, np.array([i]))[:, 0]


def _lead_months(seen: View) -> np.ndarray:
    """The side's lead as it sees it: its own frontier against its estimate of the rival's."""
    gap = seen["self.model_log10_eff"] - seen["rival.model_log10_eff"]
    months: np.ndarray = 12.0 * gap / seen.world.tables.rules.lead.growth_log10_per_year
    return months


_IS_LOG = np.array([name in LOG_OBS for name in OBS])
# How each key of a view is read, in the order a view lists them: a side's own OBS figures, its estimates of
# the rival's, its own OWN and PUBLIC figures and the rival's PUBLIC ones, sigma, the public globals, and the
# figures that weigh both sides.
_VIEW_READ: dict[str, ViewRead] = {
    **{f"self.{name}": _own(READ[name]) for name in OBS},
    **{f"rival.{name}": _guessed(i) for i, name in enumerate(OBS)},
    **{f"self.{name}": _own(READ[name]) for name in SELF_FIGURES if name not in OBS},
    **{f"rival.{name}": _rivals(READ[name]) for name in RIVAL_FIGURES if name not in OBS},
    "sigma": _own(sigma),
    **{name: _public(READ[name]) for name in PUBLIC_GLOBALS},
    "lead_months": _lead_months,
    "track_margin": lambda seen: seen.world.track[:, seen.side] - seen.world.track[:, 1 - seen.side],
    "points_left": _public(points_left),
}
