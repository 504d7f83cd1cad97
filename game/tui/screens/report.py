"""The turn report: what the quarter brought - events, milestones, policies, money, the AI's reasons."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.engine import CATEGORIES, SPLITS
from game.schema import OBS_INDEX
from game.session import Report
from game.tui.fmt import SIDE_NAMES, busd, capability, compute, lines, markup, pct, side_tag, track

SPEND_LABELS = {"chips": "chips", "grid_power": "grid power", "offgrid_power": "off-grid power"}  # schema COMPUTE_SPEND


def money_in_text(session, report: Report, side: int, flow: str, busd_in: float) -> str:
    """One income flow; revenue says how much was earned, since only the reinvested share comes in."""
    if flow != "revenue":
        return f"{flow.replace('_', ' ')} {busd(busd_in)}"
    earned = float(session.truth[report.turn][side, OBS_INDEX["revenue_busd"]])
    return f"revenue {busd(earned)}, of which {busd(busd_in)} reinvested"


RIVAL_FIGURES = (("capability", capability, ""), ("compute_eflops", compute, ""), ("revenue_busd", busd, "/q"))


def rival_change_text(session, report: Report, viewer: int) -> str:
    """What `viewer`'s intelligence saw of the rival over the quarter: its estimates before and after (the rival's
    section was often blank while its capability estimate jumped from 21.9 to 31.4)."""
    before, after = session.seen[report.turn - 1][viewer], session.seen[report.turn][viewer]
    moves = [f"{key.split('_')[0]} ~{f(float(before[OBS_INDEX[key]]))} → ~{f(float(after[OBS_INDEX[key]]))}{unit}"
             for key, f, unit in RIVAL_FIGURES]
    error = 100 * session.perspective(viewer).intel_error_at(report.turn)
    return f"  your estimates: {', '.join(moves)} (±{error:.0f}%)"


def report_text(session, report: Report, viewer: int | None, orders=None) -> Content:
    """The report as Content. `viewer` None reveals both sides' orders (hot-seat reveal, watching, replays);
    `orders` are the quarter's (by default the session's record of it). Events, policy names, milestones and
    the AI's reasons come from content, strategy and save files: they are plain text, never markup."""
    if orders is None and viewer is None:
        orders = session.turns[report.turn - 1].orders
    out: list[Content | str] = [markup(f"[b]$date resolved[/b] · quarter {report.turn} of "
                                       f"{session.tables.scenario.turns}", date=session.date(report.turn - 1))]
    us, cn = (float(session.tracks[report.turn][side].sum()) for side in (0, 1))  # after this quarter
    gain = [us - float(session.tracks[report.turn - 1][0].sum()), cn - float(session.tracks[report.turn - 1][1].sum())]
    out += [markup(f"Lead track: {side_tag(0)} +{gain[0]:.2f} → [b]{track(us)}[/b] · {side_tag(1)} +{gain[1]:.2f} → "
                   f"[b]{track(cn)}[/b] points (public)"), ""]
    out.append(markup("[b]Events[/b]"))
    out += [f"  • {e}" for e in report.events] or ["  • a quiet quarter"]
    sides = (0, 1) if viewer is None else (viewer, 1 - viewer)
    for side in sides:
        own = viewer is None or side == viewer
        out += ["", markup(f"{side_tag(side)} [b]{SIDE_NAMES[side]}[/b]")]
        if report.actions[side]:
            out.append(("  enacted: " if own else "  enacted (public): ") + ", ".join(report.actions[side]))
        # The rival's news is only what the world knows, with its figures as this side's intelligence has them.
        out += [f"  ◆ {text}" for text in session.perspective(viewer).news(report, side)]
        if not own:
            out.append(rival_change_text(session, report, viewer))
        if own:
            money_in = ", ".join(money_in_text(session, report, side, k, v) for k, v in report.money_in[side].items())
            top = sorted(report.money_out[side].items(), key=lambda kv: -kv[1])[:5]
            money_out = ", ".join(f"{k} {busd(v)}" for k, v in top)
            out.append(f"  money in: {money_in or 'nothing'}")
            out.append(f"  money out: {money_out or 'nothing'}")
            if report.compute_spend[side]:
                out.append("  compute went to: " + ", ".join(f"{SPEND_LABELS.get(k, k)} {busd(v)}"
                                                             for k, v in report.compute_spend[side].items()))
        if report.reasons[side] and own:  # a rival AI's reasoning names its plans: not what intelligence gives
            out.append(markup("  [i]why: $why[/i]", why=report.reasons[side]))
        if viewer is None and orders is not None:
            mine = orders[side]
            top = sorted(((mine.allocation.get(k, 0.0), k) for k in CATEGORIES), reverse=True)[:4]
            out.append("  orders: " + ", ".join(f"{k} {pct(v, 1)}" for v, k in top if v > 0)
                       + " · split " + "/".join(pct(mine.split.get(k, 0.0)) for k in SPLITS))
    return lines(out)


class ReportScreen(Screen):
    BINDINGS = [Binding("enter,space,escape", "done", "Continue")]

    def __init__(self, session, report: Report, viewer: int | None) -> None:
        super().__init__()
        self.session = session
        self.report = report
        self.viewer = viewer

    def compose(self) -> ComposeResult:
        # The seed is shown so a game can be played again (play --seed N, or the new-game form).
        who = "" if self.viewer is None else f" · {SIDE_NAMES[self.viewer]}"
        yield Static(f"[b]Turn report[/b]{who} · seed {self.session.seed}", id="title")
        with VerticalScroll(id="report"):
            yield Static(report_text(self.session, self.report, self.viewer), id="report-body")
        yield Static("Press Enter to continue.", id="hint")
        yield Footer(compact=True)

    def action_done(self) -> None:
        self.app.after_report()
