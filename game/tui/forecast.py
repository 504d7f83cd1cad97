"""The planning screen's forecast panel: own figures now, next quarter, +4 and +8 quarters, and the power line.

Every line fits 32 cells (the side panel at 80x24 is 34 wide with its border) and every number carries its unit.
Figures come from Advisor.outlook (game.outlook); this module only writes them. A figure compared with a bar is
rounded toward "not yet" (fmt.toward).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content

from game.tui.fmt import busd, capability, compute, margin, markup, months, mw, share, toward
from game.words import outcome_short

WIDTH = 32
LABEL = 4   # label cells, then four columns of COLUMN cells
COLUMN = 7


def quarter_name(date: str) -> str:
    """'2026 Q3' -> "Q3'26" (5 cells)."""
    year, q = date.split()
    return f"{q}'{year[-2:]}"


def rows(viewer: int, bar: float) -> list[tuple[str, str, Callable[[float], str]]]:
    """(label as markup, figure key, formatter): the panel's rows; trk± is the lead track total minus the rival's."""
    return [
        ("trk±", "track_margin", margin),
        ("lead", "lead_months", months),
        ("cap", "capability", capability),
        ("comp", "compute_eflops", compute),
        ("cash", "treasury_busd", busd),
        ("mind", "mindshare", share),
        ("dep", "adoption", lambda v: share(v, bar)),
    ]


def table(viewer: int, bar: float, now: dict[str, float], columns: list[tuple[str, dict[str, float] | None]]
          ) -> list[Content]:
    """The figures table: a header, then one row per figure; a column whose figures are None shows '…'."""
    head = " " * LABEL + f"{'now':>{COLUMN}}" + "".join(f"{name:>{COLUMN}}" for name, _ in columns)
    out = [Content(head)]
    for label, key, f in rows(viewer, bar):
        cells = f"{f(now[key]):>{COLUMN}}" + "".join(
            f"{(f(col[key]) if col is not None else '…'):>{COLUMN}}" for _, col in columns)
        tag = Content.from_markup(label)
        out.append(tag + Content(" " * (LABEL - tag.cell_length) + cells))
    return out


def power_lines(session, power) -> list[Content]:
    """At most three lines: what is short (MW) or spare; what the draft builds, grid and off-grid, and which is at
    its ceiling this quarter (or which row to fund); the power being built with the quarter it comes online."""
    out: list[Content] = []
    spare = power.power_mw - power.fleet_mw
    if power.short_mw > 0.5:
        runs = toward(100 * power.power_mw / max(power.fleet_mw, 1e-9), 0, 100)
        out.append(markup(f"power [$warning]{mw(power.short_mw)} short[/], {runs:.0f}% chips on"))
    else:
        out.append(Content(f"power ok, {mw(max(spare, 0.0))} spare for chips"))
    built = power.grid_mw + power.offgrid_mw
    grid_full = power.grid_mw >= power.grid_cap_mw * 0.999
    off_full = power.offgrid_mw >= power.offgrid_cap_mw * 0.999
    if built < 0.5:
        if power.short_mw > 0.5 or spare < 1.0:
            out.append(markup(f"[$warning]fund compute[/]: ≤{mw(power.grid_cap_mw)} grid/q"))
    else:
        line = f"+{mw(power.grid_mw)} grid" + ("[$warning](max)[/]" if grid_full else "")
        if power.offgrid_mw > 0.5 or grid_full:
            line += f" +{mw(power.offgrid_mw)} off" + ("[$warning](max)[/]" if off_full
                                                    else f" {power.offgrid_cost_mult:g}×$")
        out.append(markup(line))
    if power.building:
        parts = [f"{mw(m)} {quarter_name(session.date(turn))}" for turn, m in power.building]
        line = "due " + ", ".join(parts)   # power being built, and the quarter it comes online
        while len(line) > WIDTH and len(parts) > 1:
            parts = parts[:-1]
            line = "due " + ", ".join(parts) + " …"
        out.append(Content(line))
    return out


def panel(session, viewer: int, first, far, compact: bool = False) -> Content:
    """The whole panel: `first` is the outlook one quarter ahead (computed at once), `far` the whole outlook
    (from the worker) or None while it is being computed."""
    bar = session.tables.scoring.decisive_deployment
    columns: list[tuple[str, dict[str, float] | None]] = [("next", first.figures[0])]
    if far is not None:
        columns += [(f"+{q}q", fig) for q, fig in zip(far.quarters, far.figures) if q > 1]
    else:
        left = session.tables.scenario.turns - session.turn
        columns += [(f"+{q}q", None) for q in sorted({min(q, left) for q in (4, 8)}) if q > 1]
    lines = table(viewer, bar, first.now, columns)
    extra = power_lines(session, first.power)
    if first.figures[0]["debt_quarters"] > 0:
        extra.insert(0, markup("[$error]past the debt limit: crisis[/]"))
    ends = (far or first).ends
    if ends is not None:
        n, winner, reason = ends
        extra.insert(0, markup("[$warning]ends in $n q: $who[/]", n=n, who=outcome_short(winner, reason)))
    # At 80x24 one line (the most pressing) so the policy list keeps its rows; the rest shows when taller.
    lines += extra[:1] if compact else extra
    return Content("\n").join(lines)
