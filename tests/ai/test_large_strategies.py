"""Large strategy files are checked in linear time (issue 27 item 9): the line each warning names comes from one
pass over the file, not a rescan for each; a file over the size cap is refused in one line.

Before: 5,000 phases (a warning each) took 79 s to check and 8,000 [[adjust]] tables 118 s, every warning
rescanning the whole file for its line. The tests count the lines the checker reads instead of timing it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import game.content.schema as schema
from game.ai import load_strategy
from game.ai.scripted import MAX_STRATEGY_BYTES
from game.cli import main

HEAD = 'id = "many"\nname = "Many"\n'
# No share for the other seven categories: each table draws one warning, with its line.
PHASE = "[[phase]]\nturns = [{first}, 400]\nallocation = {{ compute = 0.5 }}\nsplit = {{ training = 1.0 }}\n"
ADJUST = "[[adjust]]\nallocation = {{ compute = 0.{k} }}\n"


def phases(n: int) -> str:
    return HEAD + "".join(PHASE.format(first=1 + i % 400) for i in range(n))


def adjusts(n: int) -> str:
    return HEAD + PHASE.format(first=1) + "".join(ADJUST.format(k=i % 9 + 1) for i in range(n))


class Counted:
    """A compiled pattern whose match() is counted, and refused past `budget` calls (so a checker that rescans
    the file for each warning fails at once instead of running for minutes)."""

    def __init__(self, pattern: re.Pattern[str], budget: int) -> None:
        self.pattern = pattern
        self.budget = budget
        self.calls = 0

    def match(self, line: str) -> re.Match[str] | None:
        self.calls += 1
        if self.calls > self.budget:
            raise AssertionError(f"more than {self.budget:,} lines read: the file is read again for each warning")
        return self.pattern.match(line)


@pytest.mark.parametrize(("make", "n", "table"), [(phases, 5000, "phase"), (adjusts, 8000, "adjust")])
def test_a_big_strategy_is_read_once_for_all_its_warnings(tmp_path, monkeypatch, make, n, table):
    text = make(n)
    path = tmp_path / "many.toml"
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    headers = Counted(schema._HEADER, len(lines))
    keys = Counted(schema._KEY, len(lines))
    monkeypatch.setattr(schema, "_HEADER", headers)
    monkeypatch.setattr(schema, "_KEY", keys)
    strategy = load_strategy(str(path))
    ours = [w for w in strategy.warnings if f" {table}[" in w]
    assert len(ours) == n
    assert headers.calls <= len(lines) and keys.calls <= len(lines)
    # Each warning still names the line its allocation is written on.
    allocation_lines = [no + 1 for no, line in enumerate(lines) if line.startswith("allocation =")]
    if table == "adjust":
        allocation_lines = allocation_lines[1:]  # the one phase comes first
    for k in (0, 1, n // 2, n - 1):
        assert ours[k].startswith(f"{path}: {table}[{k}].allocation: no share for "), ours[k]
        assert ours[k].endswith(f"(line {allocation_lines[k]})"), ours[k]


def over_cap(tmp_path: Path) -> Path:
    text = phases(1)
    path = tmp_path / "big.toml"
    path.write_text(text + "#" * (MAX_STRATEGY_BYTES + 1 - len(text.encode())), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["content", "check"], ["sim", "--games", "1", "--us"]])
def test_a_strategy_over_the_cap_is_refused_in_one_line(capsys, tmp_path, command):
    path = over_cap(tmp_path)
    code = main([*command, str(path)])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"{MAX_STRATEGY_BYTES + 1:,} bytes is too big (at most {MAX_STRATEGY_BYTES:,})" in err
