"""replay, sim --saves, play --load and --saves from the command line; bad input is one line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from game.saves import read_save, write_save
from tests.saves.conftest import played


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    return write_save(tmp_path_factory.mktemp("s") / "game.json", played(5), "five")


def test_replay_prints_every_turn_and_verifies(capsys, saved):
    code, out, err = run(capsys, "replay", str(saved), "--verify")
    assert code == 0 and not err
    assert out.count("\n2025") + out.count("\n2026") == 5 and "verified: 5 of 5 turns" in out
    code, out, _ = run(capsys, "replay", str(saved), "--to", "2")
    assert code == 0 and "verified: 2 of 2 turns" in out


def test_replay_verify_fails_on_a_mismatch(capsys, saved, tmp_path):
    data = json.loads(saved.read_text())
    data["turns"][3]["digest"] = "f" * 64
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    code, out, err = run(capsys, "replay", str(bad), "--verify")
    assert code == 1 and "turn 4" in err and err.count("\n") == 1
    code, _, err = run(capsys, "replay", str(bad))
    assert code == 0 and "turn 4" in err  # without --verify: reported, not a failure


@pytest.mark.parametrize("content, fragment", [("", "empty file"), ("{", "not valid JSON"), (None, "no such file")])
def test_replay_bad_files(capsys, tmp_path, content, fragment):
    path = tmp_path / "x.json"
    if content is not None:
        path.write_text(content)
    for command in (["replay", str(path)], ["play", "--load", str(path)]):
        code, out, err = run(capsys, *command)
        assert code == 2 and fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_sim_writes_every_game_as_a_save_that_verifies(capsys, tmp_path):
    code, out, err = run(capsys, "sim", "--games", "6", "--us", "normal", "--cn", "easy", "--jobs", "2",
                         "--saves", str(tmp_path))
    assert code == 0 and "6 saves written" in out
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 6
    for f in files[:3]:
        data = read_save(f)
        assert data["mode"] == "watch" and data["seats"]["cn"]["strategy"] == "easy"
        code, out, _ = run(capsys, "replay", str(f), "--verify")
        assert code == 0 and f"verified: {len(data['turns'])} of" in out


def test_sim_saves_into_a_file_is_refused(capsys, tmp_path):
    (tmp_path / "f").write_text("")
    code, _, err = run(capsys, "sim", "--games", "2", "--saves", str(tmp_path / "f"))
    assert code == 2 and "is a file" in err
