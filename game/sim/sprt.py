"""`sim --sprt`: games played in rounds until Wald's sequential test decides between two US win rates, or the
seeds run out. Which games are played is the caller's (a local runner, a pool of workers); this module only says
how many to play next and when to stop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.sim.balance import points
from game.sim.stats import sprt

MIN_ROUND_GAMES = 32     # a round of fewer games costs more in start-up than it saves in games not played
ROUND_GAMES_A_WORKER = 16  # with more workers, a round big enough to keep each of them busy


def round_games(workers: int) -> int:
    """Games a round for `workers` (local --jobs, or a cluster's threads): the test stops within a round, so a
    round only sets how many games may be played past the deciding one (and thrown away)."""
    return max(workers * ROUND_GAMES_A_WORKER, MIN_ROUND_GAMES)


def run_sprt(play: Callable[[list[int]], list[dict[str, Any]]], seeds: list[int], p0: float, p1: float,
             round_size: int, progress: Callable[[int], None] | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Play `seeds` in order, `round_size` at a time (`play` gets the round's seeds and returns their records in
    seed order), until the test decides. Returns the records up to and including the deciding game, and the
    verdict: p0, p1, decision ("H0", "H1" or "continue" when the seeds ran out), games, and its text."""
    records: list[dict[str, Any]] = []
    played = 0
    us_points = 0.0
    decision = "continue"
    while decision == "continue" and played < len(seeds):
        round_seeds = seeds[played:played + round_size]
        part = play(round_seeds)
        played += len(round_seeds)
        if progress:
            progress(played)
        # Tested game by game, so the stopping point does not depend on the round size.
        for record in part:
            records.append(record)
            us_points += points([record], "us")
            decision = sprt(us_points, len(records) - us_points, p0, p1)
            if decision != "continue":
                break
    if decision == "H0":
        text = f"SPRT: US win rate is {p0:g}, not {p1:g} (decided after {len(records)} games)"
    elif decision == "H1":
        text = f"SPRT: US win rate is {p1:g}, not {p0:g} (decided after {len(records)} games)"
    else:
        text = f"SPRT: undecided between {p0:g} and {p1:g} after {len(records)} games; raise --games"
    return records, {"p0": p0, "p1": p1, "decision": decision, "games": len(records), "text": text}
