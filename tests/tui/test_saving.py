"""Saving and loading from the game: the save dialog, overwrite confirmation, the load list, autosaves."""

from __future__ import annotations

import json

from game.saves import read_save
from game.tui.screens.dialogs import ConfirmScreen, NameScreen
from game.tui.screens.gameover import GameOverScreen
from game.tui.screens.load import LoadScreen
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.report import ReportScreen
from tests.tui.conftest import SIZE, make_app, play_turns, screen_text, wait_for


async def save_as(pilot, name: str) -> None:
    app = pilot.app
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, NameScreen))
    app.screen.query_one("#name").value = ""
    await pilot.press(*name, "enter")


async def test_save_under_a_name_then_quit_without_asking(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 2)
        await save_as(pilot, "my game")
        await wait_for(pilot, lambda: (tmp_path / "my-game.json").exists())
        data = read_save(tmp_path / "my-game.json")
        assert len(data["turns"]) == 2 and data["name"] == "my game"
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code == 0)  # saved: nothing to ask


async def test_overwrite_asks_and_a_bad_name_writes_nothing(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 1)
        await save_as(pilot, "slot")
        await wait_for(pilot, lambda: (tmp_path / "slot.json").exists())
        await play_turns(pilot, 1)
        await save_as(pilot, "slot")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Overwrite" in screen_text(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert len(read_save(tmp_path / "slot.json")["turns"]) == 1
        await save_as(pilot, "slot")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: len(read_save(tmp_path / "slot.json")["turns"]) == 2)
        before = sorted(p.name for p in tmp_path.iterdir())
        await save_as(pilot, "../escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert sorted(p.name for p in tmp_path.iterdir()) == before
        assert not (tmp_path.parent / "escape.json").exists()


async def test_every_turn_is_autosaved_and_game_over_says_where(tmp_path, short):
    app = make_app(tmp_path, mode="solo", scenario=short)
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 3)
        autosaves = sorted(tmp_path.glob("autosave-*-q*.json"))  # this game's own, by quarter
        assert [len(read_save(p)["turns"]) for p in autosaves] == [1, 2, 3]
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen))
        newest = sorted(tmp_path.glob("autosave-*-q*.json"))[-1]
        assert len(read_save(newest)["turns"]) == 4
        # The finished game is kept under a name of its own, and game over names that one.
        kept = list(tmp_path.glob("replay-*.json"))
        assert len(kept) == 1 and read_save(kept[0])["turns"] == read_save(newest)["turns"]
        # Below the turning points at 80x24: scrolled into view, as a player reads it.
        app.screen.query_one("#replay-path").scroll_visible(animate=False)
        await pilot.pause()
        assert app.replay_path == str(kept[0]) and kept[0].name in screen_text(app).replace("\n", "")


async def test_load_from_the_title_resumes_at_the_saved_quarter(tmp_path):
    app = make_app(tmp_path, mode="solo", seed=9)
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 3)
        await save_as(pilot, "resume")
        await wait_for(pilot, lambda: (tmp_path / "resume.json").exists())
        digest = app.session.world.digest()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen) and app.screen.infos is not None)
        assert "resume" in screen_text(app) and "autosave-" in screen_text(app)
        await pilot.press("enter")  # the newest save is highlighted first
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert app.session.turn == 3 and app.session.world.digest() == digest and app.session.seed == 9
        assert "2025 Q4" in screen_text(app)


async def test_a_save_that_no_longer_matches_offers_the_last_matching_quarter(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 3)
        await save_as(pilot, "old")
        await wait_for(pilot, lambda: (tmp_path / "old.json").exists())
    data = json.loads((tmp_path / "old.json").read_text())
    data["turns"][2]["digest"] = "0" * 64  # as if the rules had changed since
    (tmp_path / "old.json").write_text(json.dumps(data))
    app = make_app(tmp_path, mode="load", load=str(tmp_path / "old.json"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "turn 3" in screen_text(app) and "quarter 2" in screen_text(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert app.session.turn == 2


async def test_a_broken_save_is_listed_but_cannot_be_picked(tmp_path):
    (tmp_path / "broken.json").write_text("{")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen) and app.screen.infos is not None)
        assert "broken" in screen_text(app) and "not valid JSON" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen) and app.session is None
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LoadScreen))


async def test_the_load_screen_lists_hostile_files_as_plain_text(tmp_path):
    """Names that look like markup, a 400-digit number, a newline in a name: listed, as text, nothing breaks."""
    (tmp_path / "[link=a:b]x[i].json").write_text("{")
    (tmp_path / "[b]bold.json").write_text('{"version": ' + "9" * 400 + "}")
    (tmp_path / "two\nlines.json").write_text("[]")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen) and app.screen.infos is not None)
        text = screen_text(app)
        assert "[link=a:b]x[i]" in text and "[b]bold" in text and "two\\nlines" in text
        assert "a whole number of" in text and "400 digits" in text
