"""Every screen closed in the same moment it opened leaves the game running. A key that opens a screen and Esc in
one burst (a fast typist; the monkey test found it for the codex) closes the screen before its mount handler runs:
by then its widgets are gone, and a handler that looked them up stopped the game with a traceback."""

from __future__ import annotations

import pytest

from game.tui.screens.charts import ChartsScreen
from game.tui.screens.codex import CodexScreen
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import ConfirmScreen, NameScreen
from game.tui.screens.gameover import GameOverScreen
from game.tui.screens.guide import GuideScreen
from game.tui.screens.handover import HandoverScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.load import LoadScreen
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.replay import ReplayScreen
from game.tui.screens.report import ReportScreen
from game.tui.screens.title import NewGameScreen, TitleScreen
from game.tui.screens.watch import WatchScreen
from tests.tui.conftest import SIZE, make_app, play_turns, short_scenario

SCREENS = {
    "charts": lambda app, s: ChartsScreen(s, 0),
    "codex": lambda app, s: CodexScreen(app.content),
    "dashboard": lambda app, s: DashboardScreen(s, 0),
    "confirm": lambda app, s: ConfirmScreen("Quit?"),
    "name": lambda app, s: NameScreen("Save as:", "game"),
    "gameover": lambda app, s: GameOverScreen(s, ""),
    "guide": lambda app, s: GuideScreen(s),
    "handover": lambda app, s: HandoverScreen(1, s.date()),
    "help": lambda app, s: HelpScreen(),
    "load": lambda app, s: LoadScreen(app.launch.saves_dir),
    "planning": lambda app, s: PlanningScreen(s, 0),
    "replay": lambda app, s: ReplayScreen(s, at=0),
    "report": lambda app, s: ReportScreen(s, s.turns[-1].report, 0),
    "new-game": lambda app, s: NewGameScreen("solo"),
    "title": lambda app, s: TitleScreen(),
    "watch": lambda app, s: WatchScreen(s, paused=True),
}
FINISHED = {"gameover", "replay"}  # shown for a finished game


async def screen_in_game(pilot, name: str):
    """The screen `name`, built (not opened) in a two-quarter game played as far as that screen is shown."""
    if name in FINISHED:
        await play_turns(pilot, 2, until=GameOverScreen)
    else:
        await play_turns(pilot, 1)
    return SCREENS[name](pilot.app, pilot.app.session)


@pytest.mark.parametrize("name", sorted(SCREENS))
async def test_a_screen_closed_as_it_opens_leaves_the_game_running(tmp_path, name):
    app = make_app(tmp_path, mode="solo", scenario=short_scenario(tmp_path, turns=2))
    async with app.run_test(size=SIZE) as pilot:
        screen = await screen_in_game(pilot, name)
        app.push_screen(screen)
        app.pop_screen()  # in the same moment: the screen has not mounted yet
        for _ in range(3):
            await pilot.pause()
        assert app._exception is None and app.return_code is None, app._exception
        assert screen not in app.screen_stack


BURSTS = [("title", "f1 question_mark up enter x"),  # the seeded monkey's, shrunk (Quit chosen as help opens)
          ("game", "f1 x escape"), ("game", "x f1 escape"), ("game", "c x escape"), ("game", "x c escape"),
          ("game", "c f1 escape"), ("game", "f1 c escape"), ("game", "ctrl+s escape"), ("game", "c escape c escape")]
CHARS = {"question_mark": "?"}


@pytest.mark.parametrize(("start", "burst"), BURSTS)
async def test_an_overlay_replaced_and_closed_in_one_burst_leaves_the_game_running(tmp_path, start, burst):
    """Keys sent together, as a fast typist sends them: an overlay replaced by another (switch_screen) and closed
    before the new one mounted. The size notice was mounted on the closed screen: a traceback (MountError)."""
    from textual import events

    launch = dict(mode="solo") if start == "game" else {}
    app = make_app(tmp_path, scenario=short_scenario(tmp_path, turns=2), **launch)
    async with app.run_test(size=SIZE) as pilot:
        if start == "game":
            await play_turns(pilot, 1)
        else:
            await pilot.pause()
        for key in burst.split():
            event = events.Key(key, CHARS.get(key, key if len(key) == 1 else None))
            event.set_sender(app)
            app._driver.send_message(event)
        for _ in range(5):
            await pilot.pause()
        assert app._exception is None and app.return_code in (None, 0), app._exception  # the title's Quit may be chosen


async def test_a_form_field_removed_as_it_mounts_leaves_the_game_running():
    """Textual's Select looks up its own list on mount; a form closed in that moment had removed it already."""
    import asyncio

    from textual.app import App
    from textual.containers import Horizontal
    from textual.widgets import Static

    from game.tui.widgets.field import FieldSelect

    app = App()
    async with app.run_test() as pilot:
        row = Horizontal(Static("Scenario"), FieldSelect([("The race in 2025", "2025")], value="2025", allow_blank=False))
        app.mount(row)
        await asyncio.sleep(0)  # the field composed, its Mount not yet handled
        row.remove()
        for _ in range(3):
            await pilot.pause()
        assert app._exception is None, app._exception


async def test_start_as_the_new_game_form_opens_waits_for_its_fields(tmp_path):
    """Start clicked before the form's fields had their values (a seeded monkey): new_game got Select.NULL for the
    side and stopped with a TypeError; and Enter on a field opened a list that had not mounted (NoMatches). Now
    both wait until the form is ready."""
    import asyncio

    from textual.widgets import Select

    from game.tui.screens.planning import PlanningScreen
    from tests.tui.conftest import wait_for

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = NewGameScreen("solo")
        app.push_screen(form)
        form.action_start()  # before its fields exist
        for _ in range(100):  # until they exist, but have no values yet
            await asyncio.sleep(0)
            if form.query(Select):
                break
        fields = form.query(Select)
        assert fields and all(field.value is Select.NULL for field in fields)
        fields.first().action_show_overlay()  # Enter on the first field, focused as the form opens
        form.action_start()
        await pilot.pause()
        assert app._exception is None and app.screen is form and app.session is None, app._exception
        form.action_start()
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert app.session is not None and app._exception is None


@pytest.mark.parametrize("name", sorted(SCREENS))
async def test_a_screen_opened_as_the_game_quits_leaves_no_traceback(tmp_path, name):
    """Quit in the same burst as a key that opens a screen: the app removes its screens while the new one's Mount
    is still queued, and the screen stays on the stack, detached. Its mount handler looked up its widgets."""
    app = make_app(tmp_path, mode="solo", scenario=short_scenario(tmp_path, turns=2))
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(await screen_in_game(pilot, name))
        app.exit()
    assert app._exception is None, app._exception


async def test_a_quarter_resolved_as_the_game_quits_leaves_no_traceback(tmp_path):
    """Watching, with the dashboard open: the AI's quarter arrived after Quit had detached the screens, and the
    watch log and the dashboard each looked up (or mounted into) widgets that were gone."""
    import asyncio

    from game.tui.screens.watch import WatchScreen
    from tests.tui.conftest import wait_for

    app = make_app(tmp_path, mode="watch", us="random", cn="easy", scenario=short_scenario(tmp_path, turns=6))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WatchScreen) and app.session.turns)
        watch = app.screen
        watch.action_dashboard()
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        dash = app.screen
        report = app.session.turns[-1].report
        app.exit()
        for _ in range(200):  # until the quitting app has detached them, still on its stack
            await asyncio.sleep(0)
            if not watch.is_attached and not dash.is_attached:
                break
        assert not watch.is_attached and not dash.is_attached and dash in app.screen_stack
        watch.resolved(report)
        await dash.quarter_resolved()
    assert app._exception is None, app._exception
