"""Game over: who won and why, the score breakdown, the timeline, where the replay is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.engine.state import VERDICT_PARTS
from game.text import path_text
from game.tui.fmt import SIDE_NAMES, lines, markup, side_tag

WHY = {
    "decisive_lead": "reached transformative AI with a decisive lead",
    "bankruptcy": "outlasted a rival gone bankrupt",
    "track": "led on the lead track at the end",
}


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
    BINDINGS = [Binding("r", "replay", "Replay"), Binding("enter", "app.to_title", "Title screen"),
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
            head = f"{side_tag(side)} [b]{SIDE_NAMES[side]} wins[/b]: it {WHY.get(s.end_reason(), s.end_reason())}."
        humans = s.humans
        if len(humans) == 1 and winner != "draw":
            head += "  [b]You win![/b]" if ("us", "cn")[humans[0]] == winner else "  You lose."
        yield Static(markup(f"[b]Game over[/b] · $date · after {s.turn} quarters", date=s.date(s.turn - 1)), id="title")
        with VerticalScroll(id="gameover"):
            yield Static(head, id="verdict")
            # The path names the saves folder, which may hold any character: plain text.
            yield Static(Content(f"Replay saved to {path_text(self.replay_path)} (r steps through it here)"
                                 if self.replay_path else "The replay was not saved."), id="replay-path")
            parts = [s.track_parts(0), s.track_parts(1)]
            rows = [f"{'lead track':<18}{'■ US':>8}{'▲ CN':>8}"]
            for name in VERDICT_PARTS:
                rows.append(f"{name.replace('_', ' '):<18}{parts[0][name]:>8.1f}{parts[1][name]:>8.1f}")
            rows.append(f"{'total':<18}{float(s.world.track[0, 0]):>8.1f}{float(s.world.track[0, 1]):>8.1f}")
            rows.append(f"{'capability index':<18}{float(s.world.capability[0, 0]):>8.1f}"
                        f"{float(s.world.capability[0, 1]):>8.1f}")
            yield Static(Content("\n".join(rows)), id="breakdown")
            yield Static(lines([markup("[b]Timeline[/b]")] + (timeline(s) or ["nothing of note"])), id="timeline")
        yield Footer(compact=True)

    def action_replay(self) -> None:
        from game.tui.screens.replay import ReplayScreen

        self.app.push_screen(ReplayScreen(self.session, at=0))
