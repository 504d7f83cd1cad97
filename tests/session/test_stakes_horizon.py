"""A weighty policy's stakes at the horizon it acts on (issue 26 item 2), asked of the engine (item 12)."""

from __future__ import annotations

from game.engine import policy
from game.session import Seat, Session
from game.tui.stakes import stakes_text

HUMAN, NORMAL = Seat("human"), Seat("ai", "normal")


def test_a_game_long_policy_shows_its_end_of_game_stakes_in_points():
    s = Session((HUMAN, NORMAL), seed=2)
    stakes = s.advisor(0).stakes("restrict_open_weights", s.advisor(0).opening())
    assert stakes is not None and stakes.game_long and stakes.future is not None
    future = stakes.future
    assert future.to_end and future.quarters > 8         # past the 8-quarter forecast, to the end of the game
    assert future.track_with != future.track_without     # the bet moves the result
    text = " ".join(stakes_text(stakes).plain.split())
    assert "To the end of the game" in text and "Your margin on the lead track:" in text
    assert f"{future.track_without:.0f}"[:1] in text and " pts" in text and "without it" in text and "with it" in text


def test_the_two_futures_are_one_batch_of_the_engine_and_deterministic():
    s = Session((HUMAN, NORMAL), seed=2)
    a = s.advisor(0).stakes("restrict_open_weights", s.advisor(0).opening())
    b = Session((HUMAN, NORMAL), seed=2).advisor(0).stakes("restrict_open_weights", s.advisor(0).opening())
    assert a is not None and b is not None and a.future == b.future


def test_stakes_take_the_policy_with_the_engine(monkeypatch):
    calls = []
    real = policy.take_actions

    def spy(world, actions, grants, losses):
        calls.append((world.batch, actions.copy()))
        return real(world, actions, grants, losses)

    monkeypatch.setattr(policy, "take_actions", spy)
    s = Session((HUMAN, HUMAN), seed=1)
    a = s.tables.action_index[("restrict_open_weights", 0)]
    assert s.advisor(0).stakes("restrict_open_weights") is not None      # no draft: no forecast runs
    assert any(batch == 1 and acts[0, a] and acts.sum() == 1 for batch, acts in calls)


def test_a_future_that_ends_early_gives_its_winner_the_points_left():
    """Both futures' margins count every point of the game: a decisive lead in 2033 gives the winner the points
    still to play, so an outright loss does not read as a smaller margin than a track loss in 2034 (seed 6: China's
    domestic mandate turns an outright loss into a track loss, and the margin must say that is better)."""
    s = Session((NORMAL, HUMAN), seed=6)
    stakes = s.advisor(1).stakes("domestic_mandate", s.advisor(1).opening())
    assert stakes is not None and stakes.future is not None
    f = stakes.future
    assert "outright" in f.ends_without and "on track" in f.ends_with
    # Every point of the game is scored in a future that has ended: the side's margin is its points less the rest.
    for track, margin in ((f.track_without, f.margin_without), (f.track_with, f.margin_with)):
        assert abs(margin - (2 * track - 100.0)) < 1e-6
    assert f.margin_with > f.margin_without
