"""The forecast several quarters ahead and the power outlook: the engine run on in the world a side believes in.

The world is the side's believed one (game.ai.belief: its own side exact, the rival rebuilt from intelligence),
so nothing the side could not know reaches the figures. Assumptions, stated to the player on the panel:
- this side plays the draft this quarter, then repeats its shares every later quarter (no new policy acts:
  what `e` with the rows left alone does), the way a carried-over draft opens each quarter;
- the rival is played every quarter by the normal planner from its own view of that believed world (the
  advisor: the same assumption as next quarter's forecast).
The session holds no rules: this runs `resolve` and reads the state; one call computes every column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from game.engine import OrderError, Orders, resolve
from game.engine.observe import lead_months, observe, verdict, weighted_points
from game.engine.state import MW, OBS, REASONS, WINNERS, World

if TYPE_CHECKING:
    from game.advisor import Advisor

# The columns the planning screen shows: quarters ahead (1 = next quarter).
QUARTERS = (1, 4, 8)


@attrs.frozen
class Power:
    """A side's power after one quarter of the draft (its own figures, exact): what runs, what is short, what the
    draft built and at what ceiling, and the power still being built with the quarter it comes online."""

    fleet_mw: float                    # what the installed chips draw
    power_mw: float                    # power on (with this quarter's capacity modifier)
    short_mw: float                    # chips with no power to run on (0: none dark)
    grid_mw: float                     # grid power the draft builds this quarter
    grid_cap_mw: float                 # what the grid can connect this quarter
    offgrid_mw: float                  # off-grid power the draft builds this quarter
    offgrid_cap_mw: float              # the off-grid ceiling this quarter
    offgrid_cost_mult: float           # off-grid power costs this many times grid power
    building: tuple[tuple[int, float], ...]   # (turn it comes online, counted from 0 like Session.turn, MW)


@attrs.frozen
class Outlook:
    """`side`'s figures after each of `quarters` quarters of the draft (see the module's assumptions), computed
    for the position at `turn`. `figures[i]` holds the side's own observation (OBS names), and `track`,
    `rival_track`, `track_margin`, `lead_months`, `points` (this quarter's weighted verdict share, 0-100), `utilisation`,
    `run_quarters`, `debt_quarters`. `ends` is (quarters ahead, winner, reason) when the believed game ends."""

    turn: int
    side: int
    now: dict[str, float]              # the same figures now, in the same believed world
    quarters: tuple[int, ...]
    figures: tuple[dict[str, float], ...]
    power: Power
    ends: tuple[int, str, str] | None = None


def own_figures(world: World, side: int) -> dict[str, float]:
    """A side's own figures in `world` (one game), with the lead track and what the verdict gives it."""
    row = observe(world)[0, side]
    out = {name: float(row[i]) for i, name in enumerate(OBS)}
    out["run_quarters"] = float(world.run_quarters[0, side])
    out["utilisation"] = float(world.utilisation[0, side])
    out["debt_quarters"] = float(world.debt_quarters[0, side])
    out["track"] = float(world.track[0, side])
    out["rival_track"] = float(world.track[0, 1 - side])
    out["track_margin"] = out["track"] - out["rival_track"]
    out["lead_months"] = float(lead_months(world)[0, side])
    # Recomputed, never the stored field: a believed world still holds the true verdict of the last quarter.
    out["points"] = float(weighted_points(world.tables, verdict(world)[0])[side])
    return out


def power_of(before: World, after: World, side: int) -> Power:
    """The power line's figures: `after` is `before` one quarter on with the side's draft."""
    t = after.tables
    sup = t.rules.supply
    mods = after.modifiers[0, side]
    grid_cost = float(t.power_cost_busd_per_mw[side] * mods[t.mod_index["power_build_cost"]])
    off_mult = float(sup.power_over_grid_cost_mult)
    grid_cap = float(t.grid_mw_by_turn[min(int(before.turn[0]), len(t.grid_mw_by_turn) - 1), side])
    spend = after.compute_spend_busd[0, side]
    fleet_mw = float(after.fleet_total[0, side, MW])
    power_mw = float(after.power_mw[0, side] * mods[t.mod_index["power_capacity"]])
    now = int(after.turn[0])
    ring = after.power_pipeline[0, side]
    # Slot (turn + k) % slots arrives while quarter turn + k resolves: chips bought that quarter run on it.
    building = tuple((now + k, float(ring[(now + k) % t.power_slots])) for k in range(t.power_slots)
                     if ring[(now + k) % t.power_slots] > 0.5)
    return Power(fleet_mw=fleet_mw, power_mw=power_mw, short_mw=max(fleet_mw - power_mw, 0.0),
                 grid_mw=float(spend[1]) / grid_cost if grid_cost > 0 else 0.0, grid_cap_mw=grid_cap,
                 offgrid_mw=float(spend[2]) / (grid_cost * off_mult) if grid_cost > 0 else 0.0,
                 offgrid_cap_mw=grid_cap * float(sup.offgrid_share_of_grid), offgrid_cost_mult=off_mult,
                 building=building)


def outlook(advisor: Advisor, orders: Orders, quarters: tuple[int, ...] = QUARTERS) -> Outlook | None:
    """The forecast `quarters` ahead for the advisor's side (each clamped to the quarters the game has left), or
    None when the orders cannot be submitted or the game is over. Deterministic: the believed world carries its
    own seed."""
    session, side = advisor.session, advisor.side
    if session.over or session.problem(side, orders) is not None:
        return None
    start = session.world
    turn = int(start.turn[0])
    left = session.tables.scenario.turns - turn
    wanted = sorted({max(1, min(q, left)) for q in quarters})
    tables = session.tables
    first = orders.to_batch(tables, side)
    again = Orders(orders.allocation, orders.split, (), orders.onshore).to_batch(tables, side)
    world, theirs_now = advisor.believed_start()
    now = own_figures(world, side)
    rival = advisor.strategy
    by_quarter: dict[int, dict[str, float]] = {}
    power: Power | None = None
    ends: tuple[int, str, str] | None = None
    for n in range(1, wanted[-1] + 1):
        if not world.done[0]:
            before = world
            mine = first if n == 1 else again
            theirs = theirs_now if n == 1 else rival.decide(world, 1 - side)
            try:
                world = resolve(world, mine, theirs) if side == 0 else resolve(world, theirs, mine)
            except OrderError:  # a repeated draft the engine no longer takes: the forecast stops here
                break
            if n == 1:
                power = power_of(before, world, side)
            if world.done[0] and ends is None:
                ends = (n, WINNERS[int(world.winner[0])], REASONS[int(world.reason[0])])
        if n in wanted:
            by_quarter[n] = own_figures(world, side)
    if power is None:
        return None
    shown = tuple(q for q in wanted if q in by_quarter)
    return Outlook(turn=turn, side=side, now=now, quarters=shown, figures=tuple(by_quarter[q] for q in shown), power=power,
                   ends=ends)
