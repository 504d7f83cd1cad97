"""game/sim/sprt.py: `sim --sprt`'s loop on its own, with games whose winners the test chooses. Where it stops
depends on the games, never on the round size; it keeps the games up to the deciding one; it plays no round past
the one that decides; seeds that run out leave it undecided."""

from __future__ import annotations

from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from game.sim.sprt import MIN_ROUND_GAMES, round_games, run_sprt
from game.sim.stats import sprt
from tests.budget import examples

P0, P1 = 0.4, 0.6
WINNERS = st.lists(st.sampled_from(["us", "cn", "draw"]), min_size=1, max_size=250)


def scripted(winners: list[str]):
    """A `play` that gives seed s the winner winners[s], and the rounds it was asked for."""
    rounds: list[list[int]] = []

    def play(seeds: list[int]) -> list[dict]:
        rounds.append(list(seeds))
        return [{"seed": s, "winner": winners[s]} for s in seeds]

    return play, rounds


def decided_at(winners: list[str]) -> tuple[str, int]:
    """The test applied after every game, from the first: the decision and the games it took."""
    us = 0.0
    for n, winner in enumerate(winners, 1):
        us += {"us": 1.0, "draw": 0.5, "cn": 0.0}[winner]
        decision = sprt(us, n - us, P0, P1)
        if decision != "continue":
            return decision, n
    return "continue", len(winners)


@settings(max_examples=examples(200), deadline=None)
@given(winners=WINNERS, round_size=st.integers(1, 80))
def test_the_stopping_point_is_the_game_that_decides_whatever_the_round_size(winners, round_size):
    play, rounds = scripted(winners)
    progress: list[int] = []
    records, verdict = run_sprt(play, list(range(len(winners))), P0, P1, round_size, progress.append)
    decision, games = decided_at(winners)
    assert verdict["decision"] == decision and verdict["games"] == games
    assert [r["seed"] for r in records] == list(range(games))
    # Rounds in seed order, each of round_size (the last may be short), and none after the deciding one.
    played = [s for part in rounds for s in part]
    assert played == list(range(len(played))) and all(len(part) == round_size for part in rounds[:-1])
    assert games <= len(played) < games + round_size
    assert progress == list(accumulate(len(part) for part in rounds))  # games played, after each round


def test_verdict_texts():
    play, _ = scripted(["us"] * 40)
    assert run_sprt(play, list(range(40)), P0, P1, 8)[1]["text"] == "SPRT: US win rate is 0.6, not 0.4 (decided after 8 games)"
    play, _ = scripted(["cn"] * 40)
    assert run_sprt(play, list(range(40)), P0, P1, 8)[1]["text"] == "SPRT: US win rate is 0.4, not 0.6 (decided after 8 games)"
    play, _ = scripted(["us", "cn"] * 20)
    records, verdict = run_sprt(play, list(range(40)), P0, P1, 8)
    assert verdict == {"p0": P0, "p1": P1, "decision": "continue", "games": 40,
                       "text": "SPRT: undecided between 0.4 and 0.6 after 40 games; raise --games"}
    assert len(records) == 40


def test_a_round_keeps_every_worker_busy():
    assert round_games(1) == MIN_ROUND_GAMES and round_games(2) == MIN_ROUND_GAMES and round_games(8) == 8 * 16
