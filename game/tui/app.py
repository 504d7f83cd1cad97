"""The Compute Race app: which screen comes next, and the keys that work everywhere.

The app holds a Session (the game) and moves between screens; the engine decides everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import attrs
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from game.content import load_content
from game.engine import Orders
from game.session import SIDE_IDS, AiMoves, Report, Seat, Session
from game.text import one_line, path_text
from game.tui.theme import THEMES


class OpponentDecided(Message):
    """The AI seats of `session` have chosen their moves (posted from the thinking worker)."""

    def __init__(self, session: Session, moves: AiMoves) -> None:
        super().__init__()
        self.session = session
        self.moves = moves


@attrs.frozen
class Launch:
    """How the app starts: the title screen, or straight into a game."""

    mode: str = "title"                 # title | solo | hotseat | watch | load | pbf
    side: str = "us"
    difficulty: str = "normal"
    scenario: str = "2025"
    seed: int | None = None             # None: a new random seed, chosen here (the engine never chooses one)
    us: str = "normal"
    cn: str = "hard"
    load: str = ""
    content_dir: str | None = None
    saves_dir: str | None = None
    config_dir: str | None = None       # the settings folder (default: $COMPUTE_RACE_CONFIG, else the user's)
    theme: str = "compute-race"
    pbf: str = ""                       # with mode pbf: the game file; `side` plans this quarter's orders


class ComputeRaceApp(App[str]):
    CSS_PATH = "app.tcss"
    TITLE = "Compute Race"
    # Screens get -short / -tall and -narrow / -wide classes; the stylesheet uses the room a big terminal gives.
    # Below 80x24 (-too-narrow, -too-short) a notice covers the screen instead (game/tui/widgets/size_notice.py).
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (24, "-short"), (34, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (80, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "quit_game", "Quit", priority=True),
        Binding("ctrl+s", "save", "Save"),
        Binding("question_mark,f1", "help", "Help"),
        Binding("c", "charts", "Charts"),
        Binding("x", "codex", "Codex", show=False),  # in help and the palette: the footer at 80 columns is full
    ]

    def __init__(self, launch: Launch | None = None, *, cursor_blink: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.cursor_blink = cursor_blink  # tests turn it off for stable screenshots
        self.launch = launch or Launch()
        self.content = load_content(Path(self.launch.content_dir) if self.launch.content_dir else None)
        self.session: Session | None = None
        self.pbf_game = None  # play by file: the game file read (game/pbf.py Game)
        self.viewer: int | None = None
        self.saved_turn = 0
        self.replay_path = ""
        self.last_report = None
        from game.settings import load_settings

        self.settings, self.settings_problem = load_settings(self.launch.config_dir)
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = self.launch.theme

    # -- starting --------------------------------------------------------------------------------
    def on_mount(self) -> None:
        from game.tui.screens.title import TitleScreen

        self.screen_change_signal.subscribe(self, self._add_size_notice)
        self._add_size_notice(self.screen)
        self.push_screen(TitleScreen())
        if self.settings_problem:  # a bad settings file: one line, and the defaults
            self.notify(one_line(self.settings_problem), title="Settings", severity="warning", markup=False)
        mode = self.launch.mode
        if mode in ("solo", "hotseat", "watch"):
            self.new_game(mode=mode, side=self.launch.side, difficulty=self.launch.difficulty,
                          scenario=self.launch.scenario, seed=self.launch.seed, us=self.launch.us, cn=self.launch.cn)
        elif mode == "load":
            self.load_from(self.launch.load)
        elif mode == "pbf":
            self.open_pbf()

    def open_pbf(self) -> None:
        """Play by file: the planning screen for this side; `e` seals the orders into the file and the app ends."""
        from game import pbf
        from game.tui.screens.planning import PlanningScreen

        try:
            game = pbf.read_game(self.launch.pbf, self.content)
        except (pbf.PbfError, OSError, ValueError) as exc:
            self.exit(one_line(str(exc)))
            return
        self.pbf_game = game
        self.session = game.session
        self.saved_turn = game.session.turn
        side = SIDE_IDS.index(self.launch.side)
        self.viewer = side
        self.show(PlanningScreen(game.session, side))

    def new_game(self, *, mode: str, scenario: str, seed: int | None, side: str = "us", difficulty: str = "normal",
                 us: str = "normal", cn: str = "hard") -> None:
        if seed is None:  # a new game is new: the seed shows in the turn report, to play it again with --seed
            from game.settings import new_seed

            seed = new_seed()
        if mode == "solo":
            me = SIDE_IDS.index(side)
            seats = [Seat("human"), Seat("human")]
            seats[1 - me] = Seat("ai", difficulty)
        elif mode == "hotseat":
            seats = [Seat("human"), Seat("human")]
        else:
            seats = [Seat("ai", us), Seat("ai", cn)]
        try:
            session = Session((seats[0], seats[1]), scenario=scenario, seed=seed, content=self.content)
        except ValueError as exc:  # a bad scenario or strategy: say so, stay where we are
            self.notify(one_line(str(exc)), title="Cannot start", severity="error", markup=False)
            return
        self.start(session)

    def start(self, session: Session, path: str = "") -> None:
        self.session = session
        self.saved_turn = session.turn
        self.replay_path = path
        self.viewer = session.humans[0] if session.mode == "solo" else None
        self.show_next()

    # The stack: Textual's default screen, the title, then the game's current screen, then overlays.
    GAME_LEVEL = 3

    def show(self, screen: Screen) -> None:
        """Make `screen` the game's current screen, closing overlays (the title stays beneath)."""
        while len(self.screen_stack) > self.GAME_LEVEL:
            self.pop_screen()
        if len(self.screen_stack) == self.GAME_LEVEL:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_overlay(self, screen: Screen) -> None:
        """Help, codex, charts, dashboard: one at a time (opening another replaces the one on top)."""
        from game.tui.screens.charts import ChartsScreen
        from game.tui.screens.codex import CodexScreen
        from game.tui.screens.dashboard import DashboardScreen
        from game.tui.screens.help import HelpScreen

        if type(self.screen) is type(screen):
            return
        if isinstance(self.screen, (ChartsScreen, CodexScreen, DashboardScreen, HelpScreen)):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_back(self) -> None:
        """Close an overlay (help, codex, charts, a form); never the title screen."""
        if len(self.screen_stack) > self.GAME_LEVEL - 1 and not (
                len(self.screen_stack) == self.GAME_LEVEL and self.session is not None):
            self.pop_screen()

    def show_next(self) -> None:
        from game.tui.screens.handover import HandoverScreen
        from game.tui.screens.planning import PlanningScreen
        from game.tui.screens.watch import WatchScreen

        s = self.session
        if s is None:
            return
        if s.over:
            self.game_finished()
        elif s.mode == "watch":
            self.show(WatchScreen(s))
        elif s.mode == "hotseat":
            self.viewer = None
            self.show(HandoverScreen(s.waiting_for()[0], s.date()))
        else:
            self.show(PlanningScreen(s, s.humans[0]))
            self.offer_guide()

    def offer_guide(self) -> None:
        """The first-quarter guide over the planning screen, until a player dismisses it (remembered)."""
        from game.tui.screens.guide import GuideScreen

        s = self.session
        if s is not None and s.turn == 0 and not self.settings.guide_dismissed:
            self.push_screen(GuideScreen(s), lambda _: self.dismiss_guide())

    def dismiss_guide(self) -> None:
        from game.atomic import AtomicWriteError
        from game.settings import Settings, save_settings

        self.settings = Settings(guide_dismissed=True)  # not shown again in this run, even if the write fails
        try:
            save_settings(self.settings, self.launch.config_dir)
        except (AtomicWriteError, OSError) as exc:
            self.notify(one_line(f"The guide will show again next time: {exc}"), severity="warning", markup=False)

    def action_guide(self) -> None:
        from game.tui.screens.guide import GuideScreen

        if self.session is not None:
            self.push_screen(GuideScreen(self.session))

    # -- the turn --------------------------------------------------------------------------------
    def after_handover(self, side: int) -> None:
        """Hot-seat: the side at the keyboard sees last quarter's report as its intelligence saw it, then plans."""
        from game.tui.screens.planning import PlanningScreen
        from game.tui.screens.report import ReportScreen

        s = self.session
        self.viewer = side
        if s.turns:
            self.show(ReportScreen(s, s.turns[-1].report, side))
            return
        self.show(PlanningScreen(s, side))
        self.offer_guide()

    def submit_orders(self, side: int, orders: Orders) -> None:
        from game.tui.screens.handover import HandoverScreen
        from game.tui.screens.planning import PlanningScreen

        s = self.session
        if self.launch.mode == "pbf":
            self.seal_pbf(side, orders)
            return
        s.submit(side, orders)
        waiting = s.waiting_for()
        if waiting:
            self.viewer = None
            self.show(HandoverScreen(waiting[0], s.date()))
            return
        if s.strategies:  # the opponent decides off the interface thread; the report opens when it has
            if isinstance(self.screen, PlanningScreen):
                self.screen.rival_thinking()
            self.think(s)
            return
        self.show_report(s.resolve())

    def seal_pbf(self, side: int, orders: Orders) -> None:
        from game import pbf
        from game.tui.screens.planning import PlanningScreen

        try:
            said = pbf.commit(self.pbf_game, SIDE_IDS[side], orders)
        except (pbf.PbfError, OSError, ValueError) as exc:
            if isinstance(self.screen, PlanningScreen):
                self.screen.sent = False  # nothing was sealed: the orders may be changed and sent again
            self.notify(one_line(str(exc)), title="Not sealed", severity="error", markup=False)
            return
        self.saved_turn = self.session.turn
        self.exit(said)

    # -- the opponent thinks in a worker -----------------------------------------------------------
    @work(thread=True, exclusive=True, group="opponent")
    def think(self, session: Session) -> None:
        """The AI seats' decision (a search can take a while): the screen stays live, the result comes back
        as a message. A newer game's worker replaces this one; a replaced worker's moves are dropped."""
        moves = session.think()
        if not get_current_worker().is_cancelled:
            self.post_message(OpponentDecided(session, moves))

    def on_opponent_decided(self, message: OpponentDecided) -> None:
        from game.tui.screens.watch import WatchScreen

        s = self.session
        if message.session is not s or s.over or message.moves.turn != s.turn or s.waiting_for():
            return  # a game left behind, or a quarter already resolved
        report = s.resolve(message.moves)
        if s.mode == "watch":
            self.last_report = report
            self.turn_resolved()
            below = self.screen_stack[self.GAME_LEVEL - 1] if len(self.screen_stack) >= self.GAME_LEVEL else None
            if isinstance(below, WatchScreen) and below.session is s:
                below.resolved(report)
            return
        self.show_report(report)

    def show_report(self, report: Report) -> None:
        from game.tui.screens.report import ReportScreen

        s = self.session
        self.last_report = report
        self.turn_resolved()
        if s.mode == "solo":
            # The report opens over the planning screen, which is kept for the next quarter.
            self.viewer = s.humans[0]
            while len(self.screen_stack) > self.GAME_LEVEL:
                self.pop_screen()
            self.push_screen(ReportScreen(s, report, self.viewer))
        elif s.mode == "hotseat" and not s.over:
            self.show_next()  # each player sees the report at their own hand-over, as their intelligence saw it
        else:
            self.viewer = None  # the last quarter of a hot-seat game, or watching: the whole truth
            self.show(ReportScreen(s, report, self.viewer))

    def after_report(self) -> None:
        from game.tui.screens.planning import PlanningScreen
        from game.tui.screens.report import ReportScreen

        s = self.session
        if (s is not None and not s.over and s.mode == "hotseat" and isinstance(self.screen, ReportScreen)
                and self.screen.viewer is not None):
            self.show(PlanningScreen(s, self.screen.viewer))
            return
        below = self.screen_stack[self.GAME_LEVEL - 1] if len(self.screen_stack) > self.GAME_LEVEL else None
        if s is not None and not s.over and isinstance(below, PlanningScreen) and below.turn < s.turn:
            while len(self.screen_stack) > self.GAME_LEVEL:
                self.pop_screen()
            below.new_quarter()
            return
        self.show_next()

    def turn_resolved(self) -> None:
        """After every resolved quarter: the autosave."""
        from game.saves import autosave, keep_replay, saves_dir

        try:
            folder = saves_dir(self.launch.saves_dir)
            self.replay_path = str(autosave(self.session, folder))
            if self.session.over:  # the finished game under its own name, which no autosave rotates away
                self.replay_path = str(keep_replay(self.session, folder))
        except (OSError, ValueError) as exc:
            self.notify(one_line(f"Autosave failed: {exc}"), severity="warning", markup=False)

    def game_finished(self) -> None:
        from game.tui.screens.gameover import GameOverScreen

        self.show(GameOverScreen(self.session, self.replay_path))

    @staticmethod
    def _add_size_notice(screen: Screen) -> None:
        """Every screen carries the notice shown when the terminal is below 80x24 (hidden otherwise)."""
        from game.tui.screens.opening import is_open
        from game.tui.widgets.size_notice import SizeNotice

        # A screen switched to and closed in one burst of keys is gone before the switch reports it: skip it.
        if is_open(screen) and not screen.query_children(SizeNotice):
            screen.mount(SizeNotice())

    # -- keys that work everywhere -----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("charts", "save") and self.session is None:
            return False
        if action == "charts" and self.session is not None and self.session.mode == "hotseat" and self.viewer is None:
            return False  # a hand-over or a reveal: no one's private view is on show
        return True

    def action_help(self) -> None:
        from game.tui.screens.help import HelpScreen

        self.open_overlay(HelpScreen())

    def action_codex(self) -> None:
        from game.tui.screens.codex import CodexScreen

        self.open_overlay(CodexScreen(self.content))

    def action_charts(self) -> None:
        from game.tui.screens.charts import ChartsScreen

        if self.session is not None:
            self.open_overlay(ChartsScreen(self.session, self.viewer))

    def action_to_title(self) -> None:
        while len(self.screen_stack) > self.GAME_LEVEL - 1:
            self.pop_screen()
        self.session = None

    def unsaved(self) -> bool:
        s = self.session
        return s is not None and not s.over and s.turn != self.saved_turn

    def action_quit_game(self) -> None:
        from game.tui.screens.dialogs import ConfirmScreen

        if not self.unsaved():
            self.exit()
            return
        note = f" (autosaved: {path_text(self.replay_path)})" if self.replay_path else ""
        self.push_screen(ConfirmScreen(f"This game has quarters you have not saved under a name{note}.\n"
                                       "Quit anyway?"), lambda yes: self.exit() if yes else None)

    def action_save(self) -> None:
        from game.tui.screens.dialogs import NameScreen

        if self.session is None:
            return
        # The quarter the game resumes in, as the planning and watch titles count it (a turn report's "quarter 12"
        # is the one resolved: the prompt says which), or a finished game's last; the scenario's id, never a path.
        s = self.session
        scenario = re.sub(r"[^A-Za-z0-9_.-]+", "-", s.scenario.id).strip("-.") or "game"
        if s.over:
            default, where = f"{scenario}-{s.seed}-q{s.turn}-end", f"finished after {s.turn} quarters"
        else:
            default, where = f"{scenario}-{s.seed}-q{s.turn + 1}", f"resumes in quarter {s.turn + 1} of {s.tables.scenario.turns}"
        self.push_screen(NameScreen(f"Save the game ({where}) as:", default), self._save_as)

    def _save_as(self, name: str | None, overwrite: bool = False) -> None:
        from game.tui.screens.dialogs import ConfirmScreen

        if name is None:
            return
        from game.saves import SaveError, save_path, saves_dir, write_save

        try:
            path = save_path(saves_dir(self.launch.saves_dir), name)
            if path.exists() and not overwrite:
                self.push_screen(ConfirmScreen(f"{path.name} exists. Overwrite it?"),
                                 lambda yes: self._save_as(name, True) if yes else None)
                return
            write_save(path, self.session, name)
        except (SaveError, OSError) as exc:
            self.notify(one_line(str(exc)), title="Not saved", severity="error", markup=False)
            return
        self.saved_turn = self.session.turn
        self.notify(f"Saved to {path_text(path)}", title="Saved", markup=False)

    def action_load(self) -> None:
        from game.saves import SaveError, saves_dir
        from game.tui.screens.load import LoadScreen

        try:
            folder = saves_dir(self.launch.saves_dir)
        except (OSError, SaveError) as exc:
            self.notify(one_line(f"Cannot read the saves folder: {exc}"), severity="error", markup=False)
            return
        # The screen reads the folder in a worker: it opens at once however many saves there are.
        lengths = {sid: scenario.turns for sid, scenario in self.content.scenarios.items()}
        self.push_screen(LoadScreen(folder, lengths), lambda path: self.load_from(path) if path else None)

    def load_from(self, path: str) -> None:
        from game.saves import SaveError, load_game
        from game.tui.screens.dialogs import ConfirmScreen

        try:
            restored = load_game(path, self.content)
        except (SaveError, OSError) as exc:
            self.notify(one_line(str(exc)), title="Cannot load", severity="error", markup=False)
            return
        if restored.mismatch:
            self.push_screen(ConfirmScreen(f"{restored.mismatch}\nContinue from quarter "
                                           f"{restored.matched_turns}, the last that matches?"),
                             lambda yes: self.start(restored.session, str(path)) if yes else None)
            return
        self.start(restored.session, str(path))

    # -- the command palette -------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from game.tui.screens.title import NewGameScreen

        yield SystemCommand("New game", "Start a new game against the AI", lambda: self.push_screen(NewGameScreen("solo")))
        if self.session is not None:
            yield SystemCommand("Save", "Save the game under a name", self.action_save)
        yield SystemCommand("Load", "Load a saved game", self.action_load)
        yield SystemCommand("Codex", "How the race works, with the real figures", self.action_codex)
        if self.session is not None:
            yield SystemCommand("Guide", "The first-quarter guide: the goal, the pot, power, the lead track",
                                self.action_guide)
        yield SystemCommand("Help", "Every key binding", self.action_help)
        yield SystemCommand("Quit", "Quit the game", self.action_quit_game)
        for command in super().get_system_commands(screen):
            if command.title not in ("Quit", "Screenshot"):  # ours asks before losing a game; no stray files
                yield command

