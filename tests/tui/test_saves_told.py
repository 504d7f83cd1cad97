"""Issue 26 item 11: saves and the load list tell where a game stands. An ended game is listed as finished and how
it ended; autosaves and the default save name never count past the game's last quarter and count as the titles do;
the turn report shows what the viewer saw of the rival's change."""

from __future__ import annotations

import re

from textual.widgets import Input, OptionList

from game.engine import Orders
from game.saves import autosave, list_saves, write_save
from game.session import Seat, Session
from game.tui.screens.dialogs import NameScreen
from game.tui.screens.gameover import GameOverScreen
from game.tui.screens.load import LoadScreen
from game.tui.screens.report import ReportScreen
from game.tui.screens.watch import WatchScreen
from tests.tui.conftest import SIZE, make_app, play_turns, screen_text, short_scenario, wait_for


def ended_early() -> Session:
    """Seed 11, both sides on the advisor's plan at 160% (as the 80x24 fit test plays it): over before its last
    quarter (a bankruptcy in rules version 5; a decisive lead lists the same way, with its own words)."""
    s = Session((Seat("human"), Seat("human")), seed=11)
    while not s.over:
        for side in (0, 1):
            adv = s.advisor(side).advice()
            orders = Orders({k: 1.6 * v for k, v in adv.allocation.items()}, dict(adv.split), adv.actions)
            s.submit(side, orders if s.problem(side, orders) is None else adv)
        s.resolve()
    assert s.end_reason() in ("decisive_lead", "bankruptcy") and s.turn < s.tables.scenario.turns
    return s


async def test_the_load_list_says_a_game_ended_early_is_finished_and_how(tmp_path):
    s = ended_early()
    write_save(tmp_path / "outright.json", s, "outright")
    [info] = list_saves(tmp_path)
    assert info.end == (s.winner(), s.end_reason())
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(LoadScreen(tmp_path, {k: v.turns for k, v in app.content.scenarios.items()}))
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen) and app.screen.infos is not None)
        prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        winner, loser = {"us": ("the US", "China"), "cn": ("China", "the US")}[s.winner()]
        how = {"decisive_lead": f"{winner} won by a decisive lead", "bankruptcy": f"{winner} won: {loser} went bankrupt"}
        assert f"finished after {s.turn} quarters: {how[s.end_reason()]}" in prompt, prompt
        assert not re.search(r"quarter \d+ of", prompt), prompt


def test_autosaves_never_count_past_the_last_quarter(tmp_path):
    s = Session((Seat("ai", "normal"), Seat("ai", "hard")), scenario=short_scenario(tmp_path, 2), seed=3)
    folder = tmp_path / "saves"
    folder.mkdir()
    names = []
    while not s.over:
        s.resolve(s.think())
        names.append(autosave(s, folder, keep=10).name)
    assert [re.search(r"-(q\d+(_end)?)\.json$", n).group(1) for n in names] == ["q02", "q02_end"]
    s = ended_early()
    assert autosave(s, folder).name.endswith(f"-q{s.turn:02d}_end.json")


async def test_the_default_save_name_counts_as_the_titles_do(tmp_path):
    app = make_app(tmp_path, mode="watch", us="normal", cn="hard")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WatchScreen))
        await pilot.press("space")
        await wait_for(pilot, lambda: not app.screen.thinking)
        for _ in range(2):
            turn = app.session.turn
            await pilot.press("n")
            await wait_for(pilot, lambda turn=turn: app.session.turn > turn and not app.screen.thinking)
        await pilot.pause()
        quarter = re.search(r"quarter (\d+) of", str(app.screen.query_one("#title").visual)).group(1)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, NameScreen))
        await pilot.pause()
        assert app.screen.query_one(Input).value.endswith(f"-q{quarter}")
        assert f"resumes in quarter {quarter} of" in screen_text(app)


async def test_a_finished_games_default_save_name_is_its_last_quarter(tmp_path):
    app = make_app(tmp_path, mode="solo", scenario=short_scenario(tmp_path, turns=2))
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 2, until=GameOverScreen)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, NameScreen))
        await pilot.pause()
        assert app.screen.query_one(Input).value.endswith("-q2-end")


async def test_the_report_shows_what_the_viewer_saw_of_the_rivals_change(tmp_path):
    app = make_app(tmp_path, mode="solo", side="us")
    async with app.run_test(size=(120, 60)) as pilot:
        await play_turns(pilot, 1)
        s = app.session
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.pause()
        text = str(app.screen.query_one("#report-body").visual)
        china = text[text.index("▲ CN China"):]
        before, after = s.seen[1][0], s.seen[2][0]  # the US's estimates of China after quarters 1 and 2
        from game.schema import OBS_INDEX
        from game.tui.fmt import capability

        cap = OBS_INDEX["capability"]
        expected = f"capability ~{capability(float(before[cap]))} → ~{capability(float(after[cap]))}"
        assert "your estimates:" in china and expected in china, china
        assert "(±" in china.split("your estimates:")[1]
