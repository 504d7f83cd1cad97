"""Text from a file is never read as Textual markup: saves, strategies, paths and names show as written.

Each case is a hostile file the test makes itself; the text must show literally, never crash the app with a
MarkupError, and never become a link that acts (a click on it must not write a file).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from textual.content import Content
from textual.geometry import Region
from textual.widgets import Static

from game.content import default_content_dir, load_content
from game.saves import encode, save_data
from game.session import Seat, Session
from game.tui.screens.dialogs import ConfirmScreen
from game.tui.screens.gameover import GameOverScreen
from game.tui.screens.load import LoadScreen
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.replay import ReplayScreen
from game.tui.screens.report import ReportScreen
from game.tui.screens.watch import WatchScreen
from tests.tui.conftest import SIZE, make_app, play_turns, screen_text, short_scenario, wait_for

BIG = (170, 60)  # room for a whole report: the hostile line (with a long tmp path) on screen, unwrapped


def finished_save(folder: Path, reason_us: str) -> Path:
    """A finished AI-v-AI game on the short scenario whose first US reason is `reason_us` (reasons are not
    part of the digest, so the save verifies)."""
    scenario = short_scenario(folder)
    session = Session((Seat("ai", "balanced"), Seat("ai", "balanced")), scenario=scenario, seed=1,
                      content=load_content(None), mode="watch")
    while not session.over:
        session.resolve()
    data = save_data(session, "hostile")
    data["turns"][0]["reasons"]["us"] = reason_us
    path = folder / "hostile.json"
    path.write_bytes(encode(data))
    return path


def rendered_actions(app) -> list[str]:
    """Every click action in the Content shown by the screen's Static widgets (none may come from a file)."""
    found = []
    for widget in app.screen.query(Static):
        visual = widget.visual
        if isinstance(visual, Content):
            for span in visual.spans:
                if "@click" in str(span.style):
                    found.append(str(span.style))
    return found


async def click_on(pilot, widget, needle: str) -> bool:
    """Click the cell where `needle` is drawn in `widget`; False when it is not drawn."""
    width, height = widget.size
    for y, strip in enumerate(widget.render_lines(Region(0, 0, width, height))):
        x = strip.text.find(needle)
        if x >= 0:
            await pilot.click(widget, offset=(x + 1, y))
            return True
    return False


async def replay_first_quarter(pilot) -> None:
    """From a loaded finished save: game over, r (the replay viewer), right to the first quarter's report."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen))
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen))
    await pilot.press("right")
    await wait_for(pilot, lambda: app.screen.at == 1)
    await pilot.pause()


async def test_a_click_link_in_a_saved_reason_shows_as_text_and_does_nothing(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    reason = f"[@click=app.screenshot('notes.txt','{target}')]CLICK HERE[/]"
    path = finished_save(tmp_path, reason)
    app = make_app(tmp_path, mode="load", load=str(path))
    async with app.run_test(size=BIG) as pilot:
        await replay_first_quarter(pilot)
        assert "[@click=app.screenshot(" in screen_text(app)
        assert rendered_actions(app) == []
        assert await click_on(pilot, app.screen.query_one("#replay-report", Static), "CLICK")
        await pilot.pause()
        assert not (target / "notes.txt").exists()
        assert list(target.iterdir()) == []


async def test_a_closing_tag_in_a_saved_reason_does_not_crash(tmp_path):
    path = finished_save(tmp_path, "plans [/] and [/b] and [b=\"] and $x")
    app = make_app(tmp_path, mode="load", load=str(path))
    async with app.run_test(size=BIG) as pilot:
        await replay_first_quarter(pilot)
        assert 'plans [/] and [/b] and [b="] and $x' in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
    assert app.return_code in (None, 0)


async def test_a_saves_folder_with_markup_in_its_path(tmp_path):
    saves = tmp_path / '[b="]saves[/]'
    scenario = short_scenario(tmp_path, turns=2)
    app = make_app(saves, mode="solo", scenario=scenario)
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 1)
        # Quitting with an autosave only: the question names the autosave's path.
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert '[b="]saves[/]' in screen_text(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        # The "Saved to" notice names the folder.
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query("#name"))
        app.screen.query_one("#name").value = ""
        await pilot.press("m", "enter")
        await wait_for(pilot, lambda: app.saved_turn == 1)
        # Toasts are not drawn in a headless screenshot: the notice is plain text (a toast shows it as written).
        notice = [n for n in app._notifications if n.title == "Saved"]
        assert len(notice) == 1 and not notice[0].markup and '[b="]saves[/]' in notice[0].message
        # The game-over screen names where the replay is.
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen))
        await pilot.pause()
        assert '[b="]saves[/]' in app.screen.query_one("#replay-path", Static).visual.plain  # wrapped on screen


def hostile_strategy(folder: Path, name: str, note: str, filename: str = "hostile.toml") -> str:
    text = (default_content_dir() / "strategies" / "balanced.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^name = ".*"$', f"name = {json.dumps(name)}", text)
    text = re.sub(r'(?m)^note = ".*"$', f"note = {json.dumps(note)}", text)
    # The adjustment always applies, so its note is in every reason.
    text = text.replace('{ field = "self.treasury_busd", op = "<", value = -20.0 }',
                        '{ field = "self.treasury_busd", op = "<", value = 1e12 }', 1)
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return str(path)


async def test_a_strategy_note_and_name_in_watch_mode_show_as_text(tmp_path):
    hostile = hostile_strategy(tmp_path, "[@click=app.quit]Quitter[/]", "[/b] cuts [b=\"]")
    scenario = short_scenario(tmp_path, turns=3)
    app = make_app(tmp_path, mode="watch", us=hostile, cn="balanced", scenario=scenario)
    async with app.run_test(size=BIG) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WatchScreen))
        watch = app.screen
        watch.action_pause()
        watch.action_step()
        await wait_for(pilot, lambda: len(watch.query(".watch-entry")) >= 1)
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]Quitter[/]" in text
        assert '[/b] cuts [b="]' in text
        assert rendered_actions(app) == []
        entry = watch.query(".watch-entry").first()
        assert await click_on(pilot, entry, "Quitter")
        await pilot.pause()
        assert app.is_running and app.return_code is None  # the name is not a working link


async def test_a_strategy_path_with_markup_is_shown_as_written(tmp_path, monkeypatch):
    folder = tmp_path / "[red]strats"
    folder.mkdir()
    hostile_strategy(folder, "Plain", "plain", filename="[@click=app.quit]s.toml")
    monkeypatch.chdir(tmp_path)  # a short relative path: the whole of it fits in the title
    hostile = "[red]strats/[@click=app.quit]s.toml"
    scenario = short_scenario(tmp_path, turns=2)
    app = make_app(tmp_path, mode="solo", difficulty=hostile, scenario=scenario)
    async with app.run_test(size=BIG) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert hostile in screen_text(app)
        assert rendered_actions(app) == []
        await play_turns(pilot, 2, until=GameOverScreen)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen))
        assert hostile in screen_text(app)
        assert rendered_actions(app) == []


async def test_a_save_named_with_markup_lists_on_the_load_screen(tmp_path):
    path = finished_save(tmp_path, "plain")
    path.rename(tmp_path / "[link=a:b].json")
    (tmp_path / '[b="]bad.json').write_text("{", encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen) and "[link=a:b]" in screen_text(app))
        assert '[b="]bad' in screen_text(app)


async def test_the_load_screen_reads_500_saves_in_a_worker(tmp_path, monkeypatch):
    """The folder is read off the interface thread: the screen opens at once, escape closes it while it reads,
    and the list fills when the files are read. The reading is held back until the test lets it go, so "while
    it reads" does not depend on the machine's speed."""
    import threading

    import game.saves

    raw = finished_save(tmp_path, "plain").read_bytes()
    saves = tmp_path / "many"
    saves.mkdir()
    for i in range(500):
        (saves / f"game-{i:03d}.json").write_bytes(raw)
    go = threading.Event()
    real = game.saves.list_saves

    def slow_list_saves(folder):
        go.wait(60)
        return real(folder)

    monkeypatch.setattr(game.saves, "list_saves", slow_list_saves)
    app = make_app(saves)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen) and "Reading 500 saves" in screen_text(app))
        first = app.screen
        await pilot.press("escape")  # the interface answers while the worker reads
        await wait_for(pilot, lambda: not isinstance(app.screen, LoadScreen))
        assert first.infos is None
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen) and "Reading 500 saves" in screen_text(app))
        go.set()
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen) and app.screen.infos is not None)
        assert app.screen.query_one("#saves").option_count == 500
        assert "game-" in screen_text(app)
        assert first.infos is None  # the closed screen's worker posted nothing to it


async def test_a_link_in_the_codex_is_never_opened(tmp_path, monkeypatch):
    """The codex is Markdown built from content files, which a modder writes: a link in it opens nothing."""
    from textual.widgets import Markdown

    from game.tui.screens.codex import CodexScreen

    app = make_app(tmp_path)
    opened = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, CodexScreen))
        page = app.screen.query_one("#codex-body", Markdown)
        page.post_message(Markdown.LinkClicked(page, "file:///etc/passwd"))
        await wait_for(pilot, lambda: page.is_mounted)
        await pilot.pause()
        assert opened == []
