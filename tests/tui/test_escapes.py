"""No escape sequence reaches the terminal from a file (issue 27 item 8): the frame the app draws holds no ESC, no
C1 control and no bidi override, whatever a policy name, an event headline, a saved reason or a strategy says.

`content check` refuses such text since; these tests take that check away (as if a path got past it) to show the
interface itself never passes a control character on."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import rich.text
from textual.content import Content

import game.content.schema
from game.content import default_content_dir
from game.text import CONTROL
from game.tui.fmt import lines, markup, strip_controls_everywhere
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.report import ReportScreen
from tests.tui.conftest import end_turn, make_app, short_scenario, wait_for
from tests.tui.screen_lines import screen_lines
from tests.tui.test_markup import BIG, finished_save, replay_first_quarter

# A window title (OSC 2, ended by BEL), a red background (CSI), a one-byte C1 CSI and a right-to-left override.
HOSTILE = "\x1b]2;PWNED\x07\x1b[41m\x9b31m\u202e"
# What a terminal would act on, less the newline that ends each line of a frame.
ACTED_ON = re.compile(CONTROL.pattern.replace(r"\x00-\x1f", r"\x00-\x09\x0b-\x1f"))


def hostile_content(folder: Path) -> Path:
    """The shipped content with the CHIPS Act's name and the Taiwan crisis's headline poisoned, and the crisis
    certain in the first quarter."""
    root = folder / "content"
    shutil.copytree(default_content_dir(), root)
    toml = HOSTILE.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")  # TOML has no \x escapes
    for rel, old, new in (
        ("policies.toml", 'name = "CHIPS Act subsidies"', f'name = "CHIPS{toml}Act"'),
        ("events.toml", 'headline = "Blockade drills', f'headline = "{toml}Blockade drills'),
        ("events.toml", "turn_min = 4\nprobability = 0.02", "turn_min = 0\nprobability = 1.0"),
    ):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def frame(app) -> str:
    return "\n".join(screen_lines(app))


@pytest.fixture
def unchecked(monkeypatch):
    """Content and strategies load whatever their text holds (the check that refuses control characters is off)."""
    monkeypatch.setattr(game.content.schema, "first_control", lambda text, lines=False: None)


async def test_a_policy_name_and_an_event_headline_never_reach_the_terminal(tmp_path, unchecked):
    root = hostile_content(tmp_path)
    app = make_app(tmp_path / "saves", mode="solo", content_dir=str(root), scenario=short_scenario(tmp_path, 2))
    async with app.run_test(size=BIG) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        await pilot.pause()
        text = frame(app)
        assert "CHIPS" in text and "Act" in text
        assert not ACTED_ON.search(text), [line for line in text.split("\n") if ACTED_ON.search(line)]
        await end_turn(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.pause()
        text = frame(app)
        assert "Blockade drills" in text
        assert not ACTED_ON.search(text), [line for line in text.split("\n") if ACTED_ON.search(line)]


async def test_a_saved_reason_never_reaches_the_terminal(tmp_path):
    path = finished_save(tmp_path, f"plans {HOSTILE} and more")
    app = make_app(tmp_path, mode="load", load=str(path))
    async with app.run_test(size=BIG) as pilot:
        await replay_first_quarter(pilot)
        text = frame(app)
        assert "plans " in text
        assert not ACTED_ON.search(text)


def test_textual_and_rich_drop_every_control_character():
    """The one table each package strips BEL with, generalised (game/tui/fmt.py): a Content or a Text made from
    any text by any widget holds no control character but tab and newline."""
    strip_controls_everywhere()  # done at import; twice is harmless
    text = f"a{HOSTILE}b\x00\x7f\x85\u2066c\td\ne"
    for plain in (Content(text).plain, Content.from_markup(text).plain, rich.text.Text(text).plain):
        assert not ACTED_ON.search(plain.replace("\t", "")), repr(plain)
        assert plain.startswith("a") and "b" in plain and "\n" in plain


def test_the_helpers_escape_what_they_are_given():
    assert markup("[b]$name[/b]", name=f"x{HOSTILE}").plain == "x\\x1b]2;PWNED\\x07\\x1b[41m\\x9b31m\\u202e"
    assert lines([f"one{HOSTILE}", "two"]).plain == "one\\x1b]2;PWNED\\x07\\x1b[41m\\x9b31m\\u202e\ntwo"
