"""The lead track on screen: both totals, this quarter's verdict by part, the lead and the way to a decisive win.

Figures come from the Session; this module only writes them. A miss is never rounded into a hit: a gap to the
decisive tier is rounded up, a deployment or a lead down, so a figure shown at the bar has reached it.
"""

from __future__ import annotations

import math

from textual.content import Content

from game.engine.state import VERDICT_PARTS
from game.tui.fmt import SIDE_SHORT, points, side_tag, toward, track

PART_SHORT = {"frontier": "front", "compute": "comp", "applications": "apps", "mindshare": "mind", "supply": "supp"}


def short(part: str) -> str:
    return PART_SHORT.get(part, part[:5])


def down(x: float, digits: int = 1) -> float:
    """Rounded down: 2.99 months is shown as 2.9, never as the 3.0 it has not reached (fmt.toward)."""
    return toward(x, digits)


def up(x: float, digits: int = 1) -> float:
    """Rounded up: a gap of 0.004 is shown as 0.1, never as the 0.0 that would read as reached (fmt.toward)."""
    return toward(x, digits, rising=False)


def gap_text(gap_log10: float, estimated: bool) -> str:
    """How far a frontier is from the decisive tier's bar, in log10 effective compute, rounded up."""
    mark = "~" if estimated else ""
    if gap_log10 <= 0:
        return f"{mark}reached ✓"
    return f"{mark}{up(gap_log10):.1f} log10 short"


def deploy_text(share: float, bar: float, estimated: bool) -> str:
    mark = "~" if estimated else ""
    return f"{mark}{toward(100 * share, 0, 100 * bar):.0f}%" + (" ✓" if share >= bar else "")


def lead_text(session, viewer: int | None) -> str:
    """Who is ahead in months and by how much ("~": the viewer's estimate), against the decisive margin."""
    sc = session.tables.scoring
    lead = session.perspective(viewer).lead_months()  # the viewer's own lead, or the US's (the truth)
    me = 0 if viewer is None else viewer
    ahead = me if lead >= 0 else 1 - me
    mark = "~" if viewer is not None else ""
    months = down(abs(lead))
    if months >= 100:  # far past the margin: the line keeps to 78 cells
        return f"{side_tag(ahead)} ahead {mark}{months:.0f} mo, decisive ✓"
    tick = " ✓" if abs(lead) >= sc.decisive_margin_months else ""
    return f"{side_tag(ahead)} ahead {mark}{months:.1f} mo, decisive ≥{sc.decisive_margin_months:g}{tick}"


def track_block(session, viewer: int | None) -> Content:
    """Four lines, 78 cells: the totals and the lead; this quarter's verdict by part per side beside each side's
    way to a decisive win. `viewer` sees its own parts exact and the rival's as estimates (~); None: the truth."""
    s = session
    sc = s.tables.scoring
    us, cn = (float(s.world.track[0, side]) for side in (0, 1))
    me = 0 if viewer is None else viewer
    v = s.perspective(viewer).verdict()
    pts = s.verdict_points(v)
    gaps = s.perspective(viewer).decisive_gaps()
    head = (f"[b]Track[/b] {side_tag(0)} {track(us)} {side_tag(1)} {track(cn)} · {points(s.points_left())} left · "
            + lead_text(s, viewer))
    table = [f"{'now %':<6}" + "".join(f"{short(p):>5}" for p in VERDICT_PARTS) + f"{'all':>5}"
             + f" │ {sc.decisive_tier + ' (wins)':<21}{'deploy ' + format(sc.decisive_deployment, '.0%'):>11}"]
    for side in (me, 1 - me):
        est = viewer is not None and side != viewer
        mark = "~" if est else ""
        cells = "".join(f"{mark + format(100 * v[side, i], '.0f'):>5}" for i in range(len(VERDICT_PARTS)))
        cells += f"{mark + format(pts[side], '.0f'):>5}"
        gap, share = gaps[side]
        right = f"{gap_text(gap, est):<21}{deploy_text(share, sc.decisive_deployment, est):>11}"
        table.append(f"{side_tag(side)}  {cells} │ {right}")
    return Content("\n").join([Content.from_markup(head)] + [Content.from_markup(line) for line in table])


def watch_rows(session) -> list[str]:
    """The truth for the watch screen's 36-cell figures column: totals, verdict by part, the lead, the tier."""
    s = session
    sc = s.tables.scoring
    v = s.perspective(None).verdict()
    pts = s.verdict_points(v)
    lead = s.perspective(None).lead_months()
    gaps = s.perspective(None).decisive_gaps()
    rows = [f"{'track (now %)':<16}" + "".join(f"{f'{track(float(s.world.track[0, k]))} {pts[k]:.0f}%':>10}" for k in (0, 1)),
            f"{'now':<4}" + "".join(f"{short(p):>5}" for p in VERDICT_PARTS)]
    for k in (0, 1):
        rows.append(f"{SIDE_SHORT[k]:<4}" + "".join(f"{100 * v[k, i]:>5.0f}" for i in range(len(VERDICT_PARTS))))
    rows.append(f"{'lead, months':<16}" + "".join(f"{sign * math.copysign(down(abs(lead)), lead):>+10.1f}" for sign in (1, -1)))
    rows.append(f"to win: {sc.decisive_tier}, {sc.decisive_deployment:.0%}, ≥{sc.decisive_margin_months:g} mo")
    rows.append(f"{'  log10 short':<16}" + "".join(
        f"{'reached' if g <= 0 else f'{up(g):.1f}':>10}" for g, _ in gaps))
    return rows
