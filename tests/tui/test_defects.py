"""The small defects a new player found (issue 13, part 7): each test fails on the code before its fix."""

from __future__ import annotations

import re

import pytest

from game.content import load_content
from game.content.model import Effect
from game.saves import SaveError, safe_name
from game.tui.codex import commented_values, effect_text, topics
from game.tui.screens.charts import ChartsScreen
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import NameScreen
from game.tui.screens.load import LoadScreen
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.watch import WatchScreen
from game.tui.widgets.plot import QuarterAxis
from game.tui.widgets.rows import PolicyRow, ShareRow
from tests.tui.conftest import SIZE, make_app, play_turns, screen_text, wait_for


def codex_text() -> str:
    return "\n".join(t.body for t in topics(load_content()))


def test_codex_writes_a_negative_change_with_one_sign():
    text = codex_text()
    assert "+-" not in text and "×-" not in text
    assert "export-control tier −1" in text                   # license sales, rule rescinded
    effects = [Effect(kind="stock", target="export_tier", side="us", op="add", value=-1.0),
               Effect(kind="modifier", target="fab_cost", side="self", op="mul", value=0.75)]
    assert effect_text(effects) == "export-control tier −1, its own fab prices ×0.75"


def test_codex_never_says_a_thing_twice_or_counts_quarters_from_zero():
    text = codex_text()
    assert not re.search(r"\((\w+)\) \(`?\1`?\)", text)       # "Before the controls (2022) (2022)"
    assert "quarter(s)" not in text and not re.search(r"\b1 quarters\b|\b0 quarters\b", text)
    assert not re.search(r"\bquarters? 0\b", text)            # the player's first quarter is quarter 1
    assert "$0B" not in text and "\n\n\n" not in text


def test_codex_comment_carries_on_over_indented_lines(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[money]\nshare = 0.5   # the rest leaves (dividends,\n              # taxes) -> gone, +-5%\n"
                    "other = 1 # next\n", encoding="utf-8")
    notes = commented_values(path)
    assert notes["money.share"] == ("0.5", "the rest leaves (dividends, taxes) → gone, ±5%")
    assert notes["money.other"] == ("1", "next")


def test_a_save_name_error_shows_each_backslash_once():
    with pytest.raises(SaveError) as err:
        safe_name("a\\b")
    assert str(err.value) == "save name 'a\\b': a name, not a path (no '/', '\\' or '..')"
    with pytest.raises(SaveError) as err:
        safe_name("it's?")
    assert str(err.value).startswith("save name \"it's?\": \"'\" is not allowed")
    with pytest.raises(SaveError) as err:
        safe_name("tab\tname[b]")
    assert str(err.value).startswith("save name 'tab\\tname[b]': '\\t' is not allowed")  # escaped, still one line


async def test_the_save_name_error_on_screen_is_plain_and_single(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, NameScreen))
        app.screen.query_one("#name").value = "my\\[b]game"
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(n.title == "Not saved" for n in app._notifications))
        notice = next(n for n in app._notifications if n.title == "Not saved")
        assert notice.message.startswith("save name 'my\\[b]game': a name, not a path (no '/', '\\' or")
        assert "\\\\" not in notice.message and notice.markup is False


async def test_saves_and_the_load_list_count_the_quarter_you_are_in(tmp_path):
    app = make_app(tmp_path, mode="solo", seed=4)
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 2)
        assert "quarter 3 of 40" in screen_text(app)                 # the planning title
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, NameScreen))
        assert app.screen.query_one("#name").value == "2025-4-q3"
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / "2025-4-q3.json").exists())
        assert sorted(p.name[-9:] for p in tmp_path.glob("autosave-*.json")) == ["-q02.json", "-q03.json"]
        app.action_load()
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen) and app.screen.infos is not None)
        text = screen_text(app)
        assert "2025-4-q3 · quarter 3 of 40" in text and "-q03 · quarter 3 of 40" in text


def test_quarter_ticks_read_as_quarters():
    axis = QuarterAxis()
    assert axis.get_ticks(2025.0, 2026.0) == [2025.0, 2025.25, 2025.5, 2025.75, 2026.0]
    assert axis.get_labels_for_ticks([2025.0, 2025.25, 2099.75]) == ["25Q1", "25Q2", "99Q4"]
    ticks = axis.get_ticks(2025.0, 2034.75)                    # 40 quarters: a tick each year or two, on Q1
    assert len(ticks) <= 8 and all(t == int(t) for t in ticks)


async def test_chart_axis_is_labelled_by_quarter(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await play_turns(pilot, 2)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChartsScreen) and "25Q2" in screen_text(app))
        assert not re.search(r"20\d\d\.\d", screen_text(app))


async def test_watching_the_dashboard_follows_the_game(tmp_path):
    app = make_app(tmp_path, mode="watch", us="balanced", cn="normal")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WatchScreen))
        await pilot.press("space")                            # paused: the quarters below come from `step`
        await wait_for(pilot, lambda: not app.screen.thinking)
        turn = app.session.turn
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert f"{app.session.date()} · quarter {turn} done" in screen_text(app)
        app.screen_stack[-2].action_step()                    # the game runs on below the dashboard
        await wait_for(pilot, lambda: app.session.turn == turn + 1)
        await wait_for(pilot, lambda: f"{app.session.date()} · quarter {turn + 1} done" in screen_text(app))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChartsScreen) and app.session.date() in screen_text(app))
        app.screen_stack[-2].action_step()
        await wait_for(pilot, lambda: app.session.turn == turn + 2)
        await wait_for(pilot, lambda: app.session.date() in screen_text(app))


async def test_up_and_down_leave_the_policy_list(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        last_share = list(app.screen.query(ShareRow))[-1]
        first_policy = app.screen.query(PolicyRow).first()
        last_share.focus()
        await pilot.press("down")
        assert app.focused is first_policy
        await pilot.press("up")
        assert app.focused is last_share
        await pilot.press("up")
        assert app.focused is list(app.screen.query(ShareRow))[-2]


async def test_the_hint_always_matches_the_focused_widget(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        plan = app.screen

        def hint() -> str:
            return str(plan.query_one("#hint").render())

        for key in ["tab"] * 14 + ["shift+tab"] * 4 + ["up"] * 3:
            await pilot.press(key)
            # The focused widget's hint, cut to the line between its parts or words (fmt.fit_line), saying `w` shows
            # it whole when cut.
            await wait_for(pilot, lambda: hint() == plan.hint_line(getattr(app.focused, "hint", ""), app.size.width - 2))
        app.set_focus(None)                                   # a click on the background: nothing has focus
        await wait_for(pilot, lambda: hint() == "")


def footer_problems(app) -> list[str]:
    """Footer keys that overlap one another or the palette key, or run past the screen's right edge."""
    from textual.widgets._footer import FooterKey

    keys = sorted((k for k in app.screen.query(FooterKey) if k.display and k.region.width), key=lambda k: k.region.x)
    problems = [f"{type(app.screen).__name__}: {k.key} {k.description!r} past column {app.size.width}"
                for k in keys if k.region.right > app.size.width]
    problems += [f"{type(app.screen).__name__}: {a.description!r} runs into {b.description!r}"
                 for a, b in zip(keys, keys[1:]) if a.region.right >= b.region.x]
    return problems


async def test_every_footer_is_readable_at_80_columns(tmp_path, short):
    from game.tui.screens.gameover import GameOverScreen
    from game.tui.screens.handover import HandoverScreen
    from game.tui.screens.replay import ReplayScreen
    from game.tui.screens.report import ReportScreen
    from game.tui.screens.title import NewGameScreen, TitleScreen

    problems: list[str] = []
    seen: set[str] = set()

    async def check(pilot, screen: type) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen))
        await pilot.pause()
        problems.extend(footer_problems(pilot.app))
        seen.add(screen.__name__)

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await check(pilot, TitleScreen)
        await pilot.press("enter")
        await check(pilot, NewGameScreen)
    app = make_app(tmp_path, mode="solo", scenario=short)
    async with app.run_test(size=SIZE) as pilot:
        await check(pilot, PlanningScreen)
        for key, name in (("d", "DashboardScreen"), ("c", "ChartsScreen"), ("x", "CodexScreen"),
                          ("question_mark", "HelpScreen")):
            await pilot.press(key)
            await wait_for(pilot, lambda want=name: type(app.screen).__name__ == want)
            await pilot.pause()
            problems.extend(footer_problems(app))
            seen.add(name)
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        await pilot.press("e")
        await check(pilot, ReportScreen)
        await pilot.press("enter")
        await play_turns(pilot, 3, until=GameOverScreen)
        await check(pilot, GameOverScreen)
        await pilot.press("r")
        await check(pilot, ReplayScreen)
    app = make_app(tmp_path, mode="hotseat", scenario=short)
    async with app.run_test(size=SIZE) as pilot:
        await check(pilot, HandoverScreen)
    app = make_app(tmp_path, mode="watch", us="balanced", cn="normal", scenario=short)
    async with app.run_test(size=SIZE) as pilot:
        await check(pilot, WatchScreen)
    assert len(seen) == 12
    assert problems == [], "\n".join(problems)


def test_a_policy_hint_counts_quarters_in_words():
    from game.session import Seat, Session

    s = Session((Seat("human", "us"), Seat("ai", "normal")), seed=1)
    screen = PlanningScreen(s, 0)
    hints = [screen._policy_hint(a) for a in screen._own_actions()]
    assert hints and not any("1 quarters" in h or "cool-down 0" in h or "$0B" in h for h in hints)
    one = [a for a in screen._own_actions() if s.tables.actions[a].duration == 1]
    assert all("for 1 quarter," in screen._policy_hint(a) for a in one)
