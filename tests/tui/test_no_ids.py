"""Issue 26 item 6: no internal name on screen. Every screen is rendered (title, new-game forms, planning for both
sides with each policy's detail and stakes, dashboard, charts, help, guide, codex, turn reports, game over for each
way a game ends, the load list, replay, hand-over, watch) and its text searched for the ids content and the engine
use: policy, event, chip, sector and scenario ids, end-reason ids, and the modifiers and stocks an effect names.

What counts as an id on screen (decided here, since a name can also be a word):
- matched case-sensitively on word boundaries (ids are lower case; "H100" or "Stargate power build-out" is a display
  name, not the id "h100" or "stargate");
- an id with an underscore is flagged as written ("smuggle_kchips") and with spaces for underscores ("smuggle
  kchips", the form a screen that only replaced "_" showed), except the few spaced forms that are ordinary English
  the screens use as words (SPACED_WORDS);
- an id that is one plain English word is allowed: a sector id equals its display name in lower case ("consumer"),
  and a modifier such as "budget" or "research" is the word a sentence uses anyway; scenario ids are years ("2025"),
  which every date shows;
- the engine's side and winner ids: "cn" anywhere, and "us" where it stands for a side ("(us, ", "us wins").
"""

from __future__ import annotations

import re

from textual.widgets import OptionList, Static

from game.content import load_content
from game.content.vocab import MODIFIERS, STOCKS
from game.engine.state import REASONS, WINNERS
from game.saves import write_save
from game.session import Seat, Session
from game.tui.screens.charts import METRICS, ChartsScreen
from game.tui.screens.codex import CodexScreen
from game.tui.screens.dashboard import DashboardScreen
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
from game.tui.stakes import stakes_text
from game.tui.widgets.rows import PolicyRow
from tests.tui.conftest import make_app, short_scenario, wait_for
from tests.tui.test_fit_80x24 import late_game

SIZE = (100, 60)  # tall: scrolling panels show more of their text
# Spaced forms that are ordinary English the screens use as words (an effect's words, a policy's or event's name in
# a source note): "fab yield learning", "fab cost per 1k wafers", "allied coordination in 2023".
SPACED_WORDS = {"export tier", "decisive lead", "open weights", "yield learning", "fab cost", "fab output",
                "allied coordination", "visa squeeze"}


def forbidden() -> dict[str, re.Pattern]:
    """Each id's pattern, by a label that says what it is."""
    c = load_content()
    names: dict[str, str] = {}
    for kind, ids in (("policy", [p.id for p in c.policies]), ("event", [e.id for e in c.events]),
                      ("chip", [ch.id for ch in c.chips]), ("sector", [s.id for s in c.sectors]),
                      ("scenario", list(c.scenarios)), ("modifier", list(MODIFIERS)), ("stock", list(STOCKS)),
                      ("end reason", [r for r in REASONS if r])):
        for i in ids:
            if re.fullmatch(r"[a-z]+", i) or re.fullmatch(r"\d{4}", i):
                continue  # one plain word, or a year (see the module's note)
            names[i] = f"{kind} id {i!r}"
            spaced = i.replace("_", " ")
            if spaced != i and spaced not in SPACED_WORDS:
                names[spaced] = f"{kind} id {i!r} with spaces"
    patterns = {label: re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])") for text, label in names.items()}
    sides = "|".join(w for w in WINNERS)
    patterns["side or winner id"] = re.compile(rf"(?<![\w-])cn(?![\w-])|\(({sides}), |(?<![\w-])(us|cn) wins")
    return patterns


PATTERNS = forbidden()


def widget_text(screen) -> str:
    """The text of every widget on `screen`, scrolled out of sight or not: statics, option lists, titles."""
    out = []
    for w in screen.query("*"):
        for attr in ("border_title", "border_subtitle"):
            if getattr(w, attr, None):
                out.append(str(getattr(w, attr)))
        if isinstance(w, Static):
            out.append(str(w.visual))
        if isinstance(w, OptionList):
            out += [str(w.get_option_at_index(i).prompt) for i in range(w.option_count)]
    return "\n".join(out)


def ids_in(text: str) -> list[str]:
    return [f"{label}: …{text[max(0, m.start() - 30):m.end() + 30]}…".replace("\n", " ")
            for label, pattern in PATTERNS.items() for m in pattern.finditer(text)]


class Seen:
    """What every screen showed, by screen."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    async def look(self, pilot, name: str) -> None:
        await pilot.pause()
        await pilot.pause()
        from tests.tui.conftest import screen_text

        hits = ids_in(screen_text(pilot.app) + "\n" + widget_text(pilot.app.screen))
        if hits:
            self.found[name] = hits

    def text(self, name: str, text: str) -> None:
        hits = ids_in(text)
        if hits:
            self.found[name] = hits


def test_every_name_an_effect_may_change_has_words():
    from game.words import EFFECT_WORDS

    assert set(MODIFIERS) | set(STOCKS) <= set(EFFECT_WORDS)


def test_the_patterns_catch_what_players_saw():
    """The control: the names seen on screen in the issue are caught; their words are not."""
    assert ids_in("forecast: game ends in 3 q (us, decisive_lead)")
    assert ids_in("(us, bankruptcy)")
    assert ids_in("China's smuggle kchips +20")
    assert ids_in("effects: open_ban (self) +1")
    assert not ids_in("ends in 3 q: US wins outright · China's chips smuggled in a quarter +20k")
    assert not ids_in("the US export tier · a decisive lead · Consumer · consumer · H100 · 2025 Q1 · let us")


async def wait_screen(pilot, kind) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind))
    await pilot.pause()


async def test_no_screen_shows_an_internal_name(tmp_path):
    seen = Seen()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, TitleScreen)
        await seen.look(pilot, "title")
        for mode in ("solo", "hotseat", "watch"):
            app.push_screen(NewGameScreen(mode))
            await wait_for(pilot, lambda: isinstance(app.screen, NewGameScreen) and bool(app.screen.query("#start")))
            await seen.look(pilot, f"new game form ({mode})")
            app.pop_screen()
        await wait_screen(pilot, TitleScreen)

        # Planning for each side, late in a game whose forecast sees it end (seed 11 is won outright at 19).
        for side in (0, 1):
            seats = [Seat("human"), Seat("human")]
            seats[1 - side] = Seat("ai", "normal")
            s = late_game((seats[0], seats[1]))
            app.start(s)
            await wait_for(pilot, lambda s=s: isinstance(app.screen, PlanningScreen) and app.screen.session is s)
            plan = app.screen
            await wait_for(pilot, lambda plan=plan: not plan.outlook_pending)
            await seen.look(pilot, f"planning side {side}")
            for row in plan.query(PolicyRow):
                row.focus()
                await seen.look(pilot, f"planning side {side}, {row.policy_id} focused")
            for a in plan._own_actions():
                pid = s.tables.actions[a].policy_id
                stakes = s.advisor(side).stakes(pid, plan.orders())
                if stakes is not None:
                    seen.text(f"stakes of {pid}", stakes_text(stakes).plain)
            for screen in (DashboardScreen(s, side), HelpScreen(), GuideScreen(s)):
                app.push_screen(screen)
                await wait_screen(pilot, type(screen))
                await seen.look(pilot, f"{type(screen).__name__} side {side}")
                app.pop_screen()
            app.push_screen(ChartsScreen(s, side))
            await wait_screen(pilot, ChartsScreen)
            for key in range(1, len(METRICS) + 1):
                await pilot.press(str(key))
                await seen.look(pilot, f"charts {key} side {side}")
            app.pop_screen()
            for viewer in (side, None):
                for rec in s.turns:
                    app.push_screen(ReportScreen(s, rec.report, viewer))
                    await wait_screen(pilot, ReportScreen)
                    await seen.look(pilot, f"report of {rec.report.turn} for {viewer}")
                    app.pop_screen()
            write_save(tmp_path / f"side{side}.json", s, f"side {side}")

        app.push_screen(CodexScreen(app.content))
        await wait_screen(pilot, CodexScreen)
        codex = app.screen
        for i, topic in enumerate(codex.topics):
            codex.query_one("#codex-topics").highlighted = i
            await seen.look(pilot, f"codex: {topic.title}")
            seen.text(f"codex page: {topic.title}", topic.body)
        app.pop_screen()

        # Game over for each way a game ends (a short game, its end set to each in turn) and its replay.
        s = Session((Seat("human"), Seat("ai", "normal")), scenario=short_scenario(tmp_path, 2), seed=3)
        while not s.over:
            s.submit(0, s.advisor(0).advice())
            s.resolve(s.think())
        for winner, reason in (("us", "decisive_lead"), ("cn", "decisive_lead"), ("us", "bankruptcy"),
                               ("cn", "bankruptcy"), ("us", "track"), ("cn", "track"), ("draw", "track")):
            s.world.winner[0] = WINNERS.index(winner)
            s.world.reason[0] = REASONS.index(reason)
            app.show(GameOverScreen(s, str(tmp_path / "replay-x.json")))
            await wait_screen(pilot, GameOverScreen)
            await seen.look(pilot, f"game over: {winner}, {reason}")
            write_save(tmp_path / f"over-{winner}-{reason}.json", s, f"over {winner} {reason}")
        app.push_screen(ReplayScreen(s, at=0))
        await wait_screen(pilot, ReplayScreen)
        for _ in range(len(s.turns) + 1):
            await seen.look(pilot, f"replay at {app.screen.at}")
            await pilot.press("right")

        app.push_screen(LoadScreen(tmp_path, {k: v.turns for k, v in app.content.scenarios.items()}))
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen) and app.screen.infos is not None)
        await seen.look(pilot, "load list")
        app.pop_screen()

        app.start(Session((Seat("human"), Seat("human")), seed=2))
        await wait_screen(pilot, HandoverScreen)
        await seen.look(pilot, "hand-over")

        app.start(late_game((Seat("ai", "normal"), Seat("ai", "hard"))))
        await wait_screen(pilot, WatchScreen)
        await pilot.press("space")
        await pilot.press("n")
        await wait_for(pilot, lambda: not app.screen.thinking and app.screen.query(".watch-entry"))
        await seen.look(pilot, "watch")
    assert not seen.found, "\n".join(f"{name}: {hit}" for name, hits in seen.found.items() for hit in hits)


def test_a_printed_replay_names_no_end_reason(tmp_path):
    """The text a finished game's replay prints (`compute-race replay`) says how it ended in words."""
    from game.saves import format_replay

    s = Session((Seat("ai", "normal"), Seat("ai", "hard")), scenario=short_scenario(tmp_path, 2), seed=3)
    while not s.over:
        s.resolve(s.think())
    for winner, reason in (("us", "decisive_lead"), ("cn", "bankruptcy"), ("us", "track")):
        s.world.winner[0] = WINNERS.index(winner)
        s.world.reason[0] = REASONS.index(reason)
        assert not ids_in(format_replay(s)), format_replay(s).splitlines()[-1]
