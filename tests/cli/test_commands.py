"""The command line: exit codes, one-line errors, sim output and JSON, calc, content check, bench."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.content import default_content_dir


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_python_dash_m_game_works() -> None:
    done = subprocess.run([sys.executable, "-m", "game", "content", "check"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("content OK")


def test_content_check_ok(capsys) -> None:
    code, out, _ = run(capsys, "content", "check")
    assert code == 0
    assert "content OK" in out and "scenarios" in out


def test_content_check_broken_copy(capsys, tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(default_content_dir(), copy)
    (copy / "chips.toml").write_text((copy / "chips.toml").read_text().replace("price_kusd = 30.0", "price_kusd = -1"))
    code, out, err = run(capsys, "content", "check", str(copy))
    assert code == 2
    # Both chips priced 30.0 are broken, and both are reported in one run, one line each, named by id.
    lines = err.strip().split("\n")
    assert lines[0].startswith("content/chips.toml: chip 'h100'.price_kusd:")
    assert lines[1].startswith("content/chips.toml: chip 'cn_2029'.price_kusd:") and len(lines) == 2
    assert "Traceback" not in err


def test_content_check_broken_strategy(capsys, tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(default_content_dir(), copy)
    path = copy / "strategies" / "balanced.toml"
    path.write_text(path.read_text().replace("turns = [1, 12]", "turns = [12, 1]"))
    code, _, err = run(capsys, "content", "check", str(copy))
    assert code == 2
    assert "balanced.toml: phase[0].turns" in err


def test_calc_training(capsys) -> None:
    code, out, _ = run(capsys, "calc", "training", "--flop", "3.8e25", "--chip", "h100", "--count", "16384")
    assert code == 0
    for word in ("days", "GPU-hours", "MWh", "cost"):
        assert word in out


@pytest.mark.parametrize("args, fragment", [
    (["calc", "training", "--flop", "1e25", "--chip", "z9000", "--count", "10"], "--chip 'z9000' is not in chips.toml"),
    (["calc", "training", "--flop", "1e25", "--chip", "h100", "--count", "10", "--mfu", "2"], "--mfu 2 is above 1"),
    (["calc", "training", "--flop", "1e25", "--chip", "h100", "--count", "0"], "argument --count"),
    (["calc", "training", "--flop", "abc", "--chip", "h100", "--count", "1"], "argument --flop"),
    (["calc", "training", "--chip", "h100", "--count", "1"], "--flop"),
    (["sim", "--bogus"], "unrecognized arguments: --bogus"),
    (["sim", "--games", "-3"], "argument --games"),
    (["sim", "--games", "2", "--us", "nope"], "unknown strategy 'nope'"),
    (["sim", "--games", "2", "--cn", "/no/such/file.toml"], "not found"),
    (["sim", "--games", "2", "--scenario", "1999"], "unknown scenario"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["calc"], "name a calculation"),
    (["--content", "/no/such/dir", "content", "check"], "content folder not found"),
])
def test_bad_input_gets_one_line(capsys, args: list[str], fragment: str) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert fragment in err
    assert err.strip().count("\n") == 0, err
    assert "Traceback" not in err


def test_sim_table_and_json(capsys, tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    code, out, _ = run(capsys, "sim", "--games", "20", "--us", "balanced", "--cn", "all_in_scale", "--seed", "5",
                       "--json", str(path))
    assert code == 0
    assert "US win rate" in out and "95% CI" in out and "end reasons" in out
    data = json.loads(path.read_text())
    assert data["summary"]["games"] == 20
    assert [g["seed"] for g in data["games"]] == list(range(5, 25))
    for g in data["games"]:
        assert set(g) == {"seed", "winner", "reason", "turns", "track_us", "track_cn", "digest", "leader_turn12", "road",
                          "us", "cn"}
        assert g["winner"] in {"us", "cn", "draw"}
        assert g["reason"] in {"decisive_lead", "bankruptcy", "track"}
    first = path.read_bytes()
    code, _, _ = run(capsys, "sim", "--games", "20", "--us", "balanced", "--cn", "all_in_scale", "--seed", "5",
                     "--json", str(path), "--jobs", "2")
    assert code == 0
    assert path.read_bytes() == first


def test_sim_strategy_from_a_file(capsys, tmp_path: Path) -> None:
    src = default_content_dir() / "strategies" / "efficiency_first.toml"
    mine = tmp_path / "mine.toml"
    mine.write_text(src.read_text())
    code, out, _ = run(capsys, "sim", "--games", "4", "--us", str(mine), "--cn", "random", "--scenario", "2022")
    assert code == 0
    assert "games          4" in out


def test_sim_json_into_missing_folder_writes_nothing(capsys, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.json"
    code, _, err = run(capsys, "sim", "--games", "2", "--json", str(target))
    assert code == 2
    assert "does not exist" in err
    assert not target.parent.exists()


def test_bench_quick_writes_its_figures(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bench.json"
    code, out, _ = run(capsys, "bench", "--quick", "--json", str(path))
    assert code == 0
    data = json.loads(path.read_text())
    for key in ("resolve_ms_median", "game_turns_per_s_batch_1", "game_turns_per_s_batch_256",
                "game_turns_per_s_batch_4096", "full_games_per_s"):
        assert data[key] > 0
    assert "game-turns/s, batch 4096" in out
    assert "hard opponent deciding, one game" in out and "normal opponent deciding" in out
    assert 0 < data["hard_decide_ms_median"] <= data["hard_decide_ms_p90"]
