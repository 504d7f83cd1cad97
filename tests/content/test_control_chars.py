"""No escape sequence reaches the terminal from content or a strategy (issue 27 item 8).

At load: every text field refuses the characters a terminal acts on (C0 but newline and tab in a description, DEL,
C1, bidi overrides), in one line that shows them escaped. At output: with that check taken away, what the command
line prints (sim --explain, trace, replay, calc) and what the display helpers return still holds none of them."""

from __future__ import annotations

import glob
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import game.content.schema
from game.ai import StrategyError, load_strategy
from game.cli import main
from game.content import ContentError, default_content_dir, load_content
from game.text import CONTROL, escape, one_line, path_text, quote, shown
from game.tui.fmt import lines, markup

# OSC 2 (a window title, ended by BEL), CSI (a red background), a one-byte C1 CSI, a C1 NEL, a bidi override.
PAYLOADS = {"osc": "\x1b]2;TITLE\x07", "csi": "\x1b[41m", "c1-csi": "\x9b31m", "c1-nel": "\x85",
            "bidi": "\u202e", "isolate": "\u2066", "del": "\x7f", "nul": "\x00"}
SHIPPED = default_content_dir()
# What a terminal acts on, newline aside (a stream's lines end in one).
ACTED_ON = re.compile(CONTROL.pattern.replace(r"\x00-\x1f", r"\x00-\x09\x0b-\x1f"))


def toml_text(text: str) -> str:
    """`text` as the inside of a TOML basic string (TOML escapes are \\uXXXX, never \\xXX)."""
    return "".join(ch if ch.isprintable() and ch not in '"\\' else f"\\u{ord(ch):04x}" for ch in text)


def poisoned(tmp_path: Path, rel: str, old: str, new: str) -> Path:
    root = tmp_path / "content"
    if not root.exists():
        shutil.copytree(SHIPPED, root)
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("where", ["policy name", "event headline"])
def test_content_check_refuses_control_characters_in_one_line(capsys, tmp_path, payload, where):
    bad = toml_text(f"X{PAYLOADS[payload]}Y")
    if where == "policy name":
        root = poisoned(tmp_path, "policies.toml", 'name = "CHIPS Act subsidies"', f'name = "{bad}"')
        key = "policies.toml: policy 'chips_act'.name"
    else:
        root = poisoned(tmp_path, "events.toml", 'headline = "Blockade drills', f'headline = "{bad}')
        key = "events.toml: event 'taiwan_strait_crisis'.headline"
    code = main(["content", "check", str(root)])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"content/{key}: expected text without control characters, found "), err
    assert not ACTED_ON.search(out + err)


def test_a_description_may_hold_lines_and_tabs_but_a_name_may_not(tmp_path):
    root = poisoned(tmp_path, "policies.toml", 'description = "Subsidise fabs:',
                    'description = "Subsidise\\n\\tfabs:')
    assert "\n\tfabs" in load_content(root).policy("chips_act").description
    poisoned(tmp_path, "policies.toml", 'name = "CHIPS Act subsidies"', 'name = "CHIPS\\nAct"')
    with pytest.raises(ContentError, match=r"policy 'chips_act'\.name: expected text without control characters, "
                                           r"found '\\n' at character 6"):
        load_content(root)


@pytest.mark.parametrize("key", ["name", "note", "description"])
def test_a_strategy_refuses_an_escape_sequence(tmp_path, key):
    text = (SHIPPED / "strategies" / "balanced.toml").read_text(encoding="utf-8")
    changed = re.sub(rf'(?m)^{key} = "', lambda m: m.group(0) + toml_text(PAYLOADS["osc"]), text, count=1)
    assert changed != text
    path = tmp_path / "hostile.toml"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(StrategyError, match=rf"[ .]{key}: expected text without control characters, found '\\x1b'"):
        load_strategy(str(path))


# --------------------------------------------------------------------------------------------------
# What gets through anyway is never printed as it is


def test_command_line_output_never_carries_a_control_character(capsys, tmp_path, monkeypatch):
    """Names, headlines, notes and descriptions poisoned everywhere, the load-time check taken away: what sim,
    trace, replay and calc print (stdout and stderr) holds no character a terminal would act on."""
    monkeypatch.setattr(game.content.schema, "first_control", lambda text, lines=False: None)
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    bad = toml_text("".join(PAYLOADS.values()))
    for path in [*root.glob("*.toml"), *root.glob("*/*.toml")]:
        if path.name in ("rules.toml", "scoring.toml", "history.toml"):
            continue  # tier names there are ids other files name
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r'(?m)^\s*(?:name|headline|description|note) = "', lambda m: m.group(0) + bad, text),
                        encoding="utf-8")
    # The CHIPS Act taken (so its name is in the reasons), the Taiwan crisis certain (its headline in the replay).
    poisoned(tmp_path, "events.toml", "turn_min = 4\nprobability = 0.02", "turn_min = 0\nprobability = 1.0")
    strategy = str(root / "strategies" / "balanced.toml")
    saves = tmp_path / "saves"
    commands = [["sim", "--games", "4", "--explain", "--us", strategy, "--saves", str(saves)],
                ["trace", "--us", strategy, "--cn", "balanced"],
                ["calc", "training", "--flop", "1e25", "--chip", "h100", "--count", "1000"]]
    printed = ""
    for command in commands:
        assert main(["--content", str(root), *command]) == 0, command
        out, err = capsys.readouterr()
        printed += out + err
    first = sorted(glob.glob(str(saves / "*.json")))[0]
    assert main(["--content", str(root), "replay", first]) == 0
    out, err = capsys.readouterr()
    assert "Blockade drills" in out and "CHIPS Act" in out
    printed += out + err
    assert not ACTED_ON.search(printed), [line for line in printed.split("\n") if ACTED_ON.search(line)][:3]


@given(st.text())
def test_no_display_helper_passes_a_control_character_on(text):
    """Any text at all (hypothesis draws from every code point) through every helper that shows outside text."""
    for one in (escape(text), quote(text), one_line(text), path_text(text), markup("$x", x=text).plain):
        assert not CONTROL.search(one), repr(one)
    for several in (shown(text), lines([text, text]).plain):
        assert not ACTED_ON.search(several.replace("\t", "")), repr(several)
    assert not [ch for ch in escape(text) if not ch.isprintable()]
