"""Game over: who won and why, the score breakdown, the timeline, where the replay is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual_plot import HiResMode

from game.engine.state import VERDICT_PARTS
from game.text import path_text
from game.tui.fmt import SIDE_COLOURS, SIDE_MARKS, SIDE_NAMES, SIDE_SHORT, capability, lines, markup, side_tag
from game.tui.widgets.plot import Plot


def why(session) -> str:
    """Why the game ended, in words (the winner is the subject)."""
    sc = session.tables.scoring
    reason = session.end_reason()
    if reason == "decisive_lead":
        return (f"won outright with a decisive lead: a {sc.decisive_tier} model, {sc.decisive_deployment:.0%} of the "
                f"markets and a lead of {sc.decisive_margin_months:g} months or more")
    if reason == "bankruptcy":
        return (f"outlasted a rival gone bankrupt ({session.tables.rules.money.bankrupt_quarters} quarters past its "
                "debt limit)")
    if reason == "track":
        return "led on the lead track when the last quarter was scored"
    return reason


def decided_by(session, side: int) -> str:
    """The parts of the track where the winner gained most on its rival, e.g. "frontier (+8.1) and supply (+4.0)"."""
    parts = [f"{name} ({margin:+.1f})" for name, margin in session.deciding_parts(side)]
    return " and ".join(parts)


def how_decided(session, side: int) -> str:
    """What settled the result: the parts of the track the winner won, when the track decided it; when a decisive
    lead or a bankruptcy ended the game, that the track did not, and what was still to play for."""
    reason = session.end_reason()
    if reason == "track":
        deciding = decided_by(session, side)
        return f"The track was decided by {deciding}." if deciding else ""
    us, cn = (float(session.world.track[0, k]) for k in (0, 1))
    early = session.tables.scenario.turns - session.turn
    what = "The decisive lead" if reason == "decisive_lead" else "The bankruptcy"
    stood = f"it stood at US {us:.1f}, CN {cn:.1f} pts"
    if early <= 0:
        return f"{what} ended the game; the track did not decide it ({stood})."
    return (f"{what} ended the game {early} quarter{'s' if early != 1 else ''} early; the track did not decide it "
            f"({stood}, {session.points_left():.1f} pts still to play for).")


def lead_change_lines(session) -> list[str]:
    """One line per quarter after which the lead on the track changed hands."""
    changes = session.lead_changes()
    if not changes:
        us, cn = session.track_series()
        leader = 0 if us[-1] > cn[-1] else 1 if cn[-1] > us[-1] else -1
        return [f"{SIDE_NAMES[leader]} led the track throughout."] if leader >= 0 else []
    return [f"{session.date(n - 1)}: {SIDE_NAMES[side]} took the lead (× on the chart)" for n, side in changes]


def turning_lines(session) -> list[str]:
    """The quarters whose orders moved the final margin most, one line each (see game.turning)."""
    points = session.turning_points()
    if not points:
        return []
    out = ["Turning points (what moved the result most, and each side's costliest):"]
    humans = session.humans
    t = session.tables
    for p in points:
        # In a game against the AI the player's own choices are "you"; in hot-seat or a watched game, the side.
        who = "you" if humans == [p.side] else SIDE_SHORT[p.side]
        moved = f"won {who} {p.points:.1f} pts" if p.points >= 0 else f"cost {who} {-p.points:.1f} pts"
        flips = " · decided the winner" if p.flips else ""
        if p.policy:
            name = t.actions[t.action_index[(p.policy, p.side)]].name  # a name from content: plain text
            out.append(f"  {name} in {session.date(p.turn)} {moved} (against not taking it){flips}")
        else:
            handed = "the advisor's first plan" if p.turn == 0 else f"repeating {session.date(p.turn - 1)}"
            out.append(f"  {session.date(p.turn)} · {SIDE_SHORT[p.side]} orders {moved}, against {handed}{flips}")
    return out


def timeline(session) -> list[Content | str]:
    """Per quarter that brought something: its events, new models and policies, one line each (the text of an
    event, a milestone or a policy comes from content files: a plain str, never markup)."""
    out: list[Content | str] = []
    for n, rec in enumerate(session.turns):
        r = rec.report
        lines = [f"  • {e}" for e in r.events]
        for side in (0, 1):
            tag = ("US", "CN")[side]
            lines += [f"  {tag} {m.text}" for m in r.milestones[side] if m.public]  # what both sides saw
            if r.actions[side]:
                lines.append(f"  {tag} enacted " + ", ".join(r.actions[side]))
        if lines:
            out += [markup("[b]$date[/b]", date=session.date(n))] + lines
    return out


class GameOverScreen(Screen):
    BINDINGS = [Binding("r", "replay", "Replay"), Binding("enter", "app.to_title", "Title"),
                Binding("q", "app.quit_game", "Quit")]

    def __init__(self, session, replay_path: str = "") -> None:
        super().__init__()
        self.session = session
        self.replay_path = replay_path

    def compose(self) -> ComposeResult:
        s = self.session
        winner = s.winner()
        if winner == "draw":
            head = "[b]A draw[/b]: the totals are level."
        else:
            side = ("us", "cn").index(winner)
            head = f"{side_tag(side)} [b]{SIDE_NAMES[side]} wins[/b]: it {why(s)}."
            decided = how_decided(s, side)
            if decided:
                head += f"\n{decided}"
        humans = s.humans
        if len(humans) == 1 and winner != "draw":
            head += "  [b]You win![/b]" if ("us", "cn")[humans[0]] == winner else "  You lose."
        yield Static(markup(f"[b]Game over[/b] · $date · after {s.turn} quarters", date=s.date(s.turn - 1)), id="title")
        with VerticalScroll(id="gameover"):
            yield Static(head, id="verdict")
            yield Static(Content("\n".join(lead_change_lines(s))), id="lead-changes")
            yield Static(Content("\n".join(turning_lines(s))), id="turning-points")
            yield Plot(id="track-plot", allow_pan_and_zoom=False)
            # The path names the saves folder, which may hold any character: plain text.
            # The file's name on a line of its own and the folder on the next: a whole path wrapped anywhere,
            # splitting the file's name (its random id read as a cut figure).
            where = Path(self.replay_path)
            yield Static(Content(f"Replay saved as {path_text(where.name)} (r steps through it here)\n"
                                 f"in {path_text(where.parent)}" if self.replay_path else "The replay was not saved."),
                         id="replay-path")
            parts = [s.track_parts(0), s.track_parts(1)]
            rows = [f"{'lead track':<18}{'■ US':>8}{'▲ CN':>8}"]
            for name in VERDICT_PARTS:
                rows.append(f"{name.replace('_', ' '):<18}{parts[0][name]:>8.1f}{parts[1][name]:>8.1f}")
            rows.append(f"{'total':<18}{float(s.world.track[0, 0]):>8.1f}{float(s.world.track[0, 1]):>8.1f}")
            rows.append(f"{'capability index':<18}{capability(float(s.world.capability[0, 0])):>8}"
                        f"{capability(float(s.world.capability[0, 1])):>8}")
            yield Static(Content("\n".join(rows)), id="breakdown")
            yield Static(lines([markup("[b]Timeline[/b]")] + (timeline(s) or ["nothing of note"])), id="timeline")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self.draw)  # the plot lays out its axes on its own mount

    def draw(self) -> None:
        """Both totals on the lead track after each quarter, the quarters where the lead changed hands marked."""
        s = self.session
        us, cn = s.track_series()
        years = s.tables.year(np.arange(len(us)))
        try:
            plot = self.query_one(Plot)
        except NoMatches:  # closed before it was drawn
            return
        plot.clear()
        for side, values in ((0, us), (1, cn)):
            plot.plot(years, np.asarray(values), line_style=SIDE_COLOURS[side], hires_mode=HiResMode.BRAILLE)
        plot.set_key([(f"{SIDE_MARKS[side]} {SIDE_SHORT[side]}", SIDE_COLOURS[side]) for side in (0, 1)])
        changes = s.lead_changes()
        if changes:
            at = np.array([years[n] for n, _ in changes])
            height = np.array([(us[n] + cn[n]) / 2 for n, _ in changes])
            plot.scatter(at, height, marker="×", marker_style="bold")
        plot.quarters_on_x()
        plot.set_ylabel("points")

    def action_replay(self) -> None:
        from game.tui.screens.replay import ReplayScreen

        self.app.push_screen(ReplayScreen(self.session, at=0))
