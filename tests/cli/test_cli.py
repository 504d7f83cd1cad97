"""The `compute-race` command, called in-process through game.cli.main (and once as `python -m game`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.content import default_content_dir

SHIPPED = default_content_dir()
# "us" and "cn": each side's final verdict, track by part, treasury, fleet and chips bought (sim --json only)
RECORD_KEYS = {"seed", "winner", "reason", "turns", "track_us", "track_cn", "digest", "leader_turn12", "road", "us",
               "cn"}
SIM = ["sim", "--games", "20", "--us", "balanced", "--cn", "all_in_scale", "--seed", "5"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, out: str, err: str) -> None:
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].strip()


def broken_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    path = root / "policies.toml"
    text = path.read_text()
    changed = text.replace("cost_busd = 13.2", "cost_busd = -13.2", 1)
    assert changed != text
    path.write_text(changed)
    return root


# --------------------------------------------------------------------------------------------------
# python -m game


def test_python_dash_m_game(tmp_path):
    done = subprocess.run([sys.executable, "-m", "game", "calc", "training", "--flop", "3.8e25", "--chip", "h100",
                           "--count", "16384"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "days" in done.stdout and "GPU-hours" in done.stdout


def test_python_dash_m_game_error_exit(tmp_path):
    root = broken_copy(tmp_path)
    done = subprocess.run([sys.executable, "-m", "game", "content", "check", str(root)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert_one_line_error(done.returncode, done.stdout, done.stderr)
    assert done.stderr.startswith("content/policies.toml: policy 'chips_act'.cost_busd: ")


# --------------------------------------------------------------------------------------------------
# content check


def test_content_check_ok(capsys):
    code, out, err = run(capsys, "content", "check")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("content OK")
    for word in ("chips", "nodes", "sectors", "policies", "events", "scenarios", "strategies"):
        assert re.search(rf"\d+ {word}", lines[0]), lines[0]


def test_content_check_copy_ok(capsys, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    code, out, _ = run(capsys, "content", "check", str(root))
    assert code == 0
    assert out.startswith("content OK")


def test_content_check_broken(capsys, tmp_path):
    root = broken_copy(tmp_path)
    code, out, err = run(capsys, "content", "check", str(root))
    assert_one_line_error(code, out, err)
    assert err.startswith("content/policies.toml: policy 'chips_act'.cost_busd: ")
    assert out == ""


def test_content_check_malformed_toml(capsys, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    (root / "events.toml").write_text('[[event]\nid = "x"\n')
    code, out, err = run(capsys, "content", "check", str(root))
    assert_one_line_error(code, out, err)
    assert err.startswith("content/events.toml: malformed TOML")


def test_content_check_missing_folder(capsys, tmp_path):
    code, out, err = run(capsys, "content", "check", str(tmp_path / "nowhere"))
    assert_one_line_error(code, out, err)


def test_global_content_option_with_broken_copy(capsys, tmp_path):
    root = broken_copy(tmp_path)
    code, out, err = run(capsys, "--content", str(root), "calc", "training", "--flop", "1e25", "--chip", "h100",
                         "--count", "1000")
    assert_one_line_error(code, out, err)
    assert err.startswith("content/policies.toml: policy 'chips_act'.cost_busd: ")


# --------------------------------------------------------------------------------------------------
# calc training


def figure(out: str, label: str) -> float:
    line = next(line for line in out.splitlines() if line.strip().startswith(label))
    return float(re.search(r"[\d,]+\.?\d*", line.split(label, 1)[1]).group().replace(",", ""))


def test_calc_training_llama(capsys):
    code, out, err = run(capsys, "calc", "training", "--flop", "3.8e25", "--chip", "h100", "--count", "16384")
    assert code == 0, err
    for word in ("days", "GPU-hours", "MWh", "cost", "$"):
        assert word in out
    assert 70 <= figure(out, "wall-clock") <= 80
    assert abs(figure(out, "GPU-hours") - 30.84) / 30.84 < 0.10
    assert figure(out, "energy") > 0
    assert figure(out, "cost") > 0


def test_calc_training_options(capsys):
    code, out, err = run(capsys, "calc", "training", "--flop", "3.3e24", "--chip", "h800", "--count", "2048",
                         "--mfu", "0.37", "--usd-per-hour", "2")
    assert code == 0, err
    assert "37%" in out
    assert abs(figure(out, "GPU-hours") - 2.788) / 2.788 < 0.10
    assert abs(figure(out, "cost") - 5.576) / 5.576 < 0.10


def test_calc_training_takes_the_pue_from_the_rules_or_the_option(capsys, tmp_path):
    """The datacenter's PUE is content (rules.toml [training] pue), not a scenario named in code."""
    argv = ["calc", "training", "--flop", "3.8e25", "--chip", "h100", "--count", "16384"]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert "PUE 1.3;" in out
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    rules = root / "rules.toml"
    text = rules.read_text()
    rules.write_text(re.sub(r"(?m)^pue = 1\.3 ", "pue = 2.6 ", text, count=1))
    assert rules.read_text() != text
    code, doubled, err = run(capsys, "--content", str(root), *argv)
    assert code == 0, err
    assert "PUE 2.6;" in doubled and figure(doubled, "energy") == pytest.approx(2 * figure(out, "energy"), rel=1e-3)
    code, option, err = run(capsys, *argv, "--pue", "2.6")
    assert code == 0, err
    assert figure(option, "energy") == figure(doubled, "energy")


BAD_INPUTS = [
    ("pue-below-one", ["calc", "training", "--flop", "3.8e25", "--chip", "h100", "--count", "16384", "--pue", "0.5"],
     "--pue"),
    ("unknown-chip", ["calc", "training", "--flop", "3.8e25", "--chip", "h999", "--count", "16384"], "h999"),
    ("mfu-above-one", ["calc", "training", "--flop", "3.8e25", "--chip", "h100", "--count", "16384", "--mfu", "2"],
     "--mfu"),
    ("mfu-zero", ["calc", "training", "--flop", "3.8e25", "--chip", "h100", "--count", "16384", "--mfu", "0"],
     "--mfu"),
    ("count-zero", ["calc", "training", "--flop", "3.8e25", "--chip", "h100", "--count", "0"], "--count"),
    ("count-fraction", ["calc", "training", "--flop", "3.8e25", "--chip", "h100", "--count", "1.5"], "--count"),
    ("flop-abc", ["calc", "training", "--flop", "abc", "--chip", "h100", "--count", "16384"], "--flop"),
    ("flop-negative", ["calc", "training", "--flop", "-1", "--chip", "h100", "--count", "16384"], "--flop"),
    ("flop-inf", ["calc", "training", "--flop", "inf", "--chip", "h100", "--count", "16384"], "--flop"),
    ("unknown-option", ["calc", "training", "--flop", "3.8e25", "--chip", "h100", "--count", "16384", "--fast"],
     "--fast"),
    ("missing-flop", ["calc", "training", "--chip", "h100", "--count", "16384"], "--flop"),
    ("missing-chip", ["calc", "training", "--flop", "3.8e25", "--count", "16384"], "--chip"),
    ("calc-without-subcommand", ["calc"], "training"),
    ("unknown-calc", ["calc", "inference"], "inference"),
    ("unknown-subcommand", ["frobnicate"], "frobnicate"),
    ("content-without-subcommand", ["content"], "check"),
    ("sim-games-zero", ["sim", "--games", "0"], "--games"),
    ("sim-seed-negative", ["sim", "--games", "2", "--seed", "-5"], "--seed"),
    ("sim-unknown-option", ["sim", "--games", "2", "--turbo"], "--turbo"),
    ("bench-unknown-option", ["bench", "--slow"], "--slow"),
]


@pytest.mark.parametrize("argv, named", [pytest.param(a, n, id=i) for i, a, n in BAD_INPUTS])
def test_bad_input_is_one_line_exit_2(capsys, argv, named):
    code, out, err = run(capsys, *argv)
    assert_one_line_error(code, out, err)
    assert named in err, err


# --------------------------------------------------------------------------------------------------
# sim


@pytest.fixture(scope="module")
def sim_json(tmp_path_factory):
    """One 20-game run, shared by the tests that only read its output."""
    folder = tmp_path_factory.mktemp("sim")
    path = folder / "run.json"
    import io
    from contextlib import redirect_stderr, redirect_stdout

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([*SIM, "--json", str(path)])
    return code, out.getvalue(), err.getvalue(), path


def test_sim_exit_and_table(sim_json):
    code, out, err, _ = sim_json
    assert code == 0, err
    assert "Traceback" not in err
    assert "win rate" in out
    assert re.search(r"95% CI \d+\.\d%.\d+\.\d%", out), out
    assert "balanced" in out and "all_in_scale" in out


def test_sim_json_records(sim_json):
    _, _, _, path = sim_json
    data = json.loads(path.read_text())
    assert "summary" in data
    records = data["games"]
    assert len(records) == 20
    assert [r["seed"] for r in records] == list(range(5, 25))
    for rec in records:
        assert set(rec) == RECORD_KEYS, rec
        assert rec["winner"] in {"us", "cn", "draw"}
        assert isinstance(rec["reason"], str) and rec["reason"]
        assert isinstance(rec["turns"], int) and 1 <= rec["turns"] <= 40
        assert isinstance(rec["track_us"], float) and isinstance(rec["track_cn"], float)
        assert re.fullmatch(r"[0-9a-f]{16,}", rec["digest"]), rec["digest"]
    summary = data["summary"]
    assert summary["games"] == 20
    assert summary["wins_us"] + summary["wins_cn"] + summary["draws"] == 20
    assert summary["wins_us"] == sum(r["winner"] == "us" for r in records)
    lo, hi = summary["us_win_ci"]
    assert 0.0 <= lo <= summary["us_win_rate"] <= hi <= 1.0


def test_sim_json_matches_table(sim_json):
    _, out, _, path = sim_json
    summary = json.loads(path.read_text())["summary"]
    assert f"{summary['us_win_rate']:.1%}" in out


def test_sim_twice_is_byte_identical(capsys, tmp_path, sim_json):
    path = tmp_path / "again.json"
    code, _, err = run(capsys, *SIM, "--json", str(path))
    assert code == 0, err
    assert path.read_bytes() == sim_json[3].read_bytes()


def test_sim_jobs_2_matches_jobs_1(capsys, tmp_path, sim_json):
    path = tmp_path / "jobs2.json"
    code, _, err = run(capsys, *SIM, "--jobs", "2", "--json", str(path))
    assert code == 0, err
    ours = json.loads(path.read_text())
    theirs = json.loads(sim_json[3].read_text())
    assert ours["games"] == theirs["games"]
    assert ours["summary"] == theirs["summary"]


def test_sim_strategy_as_a_path(capsys, tmp_path):
    path = tmp_path / "my_plan.toml"
    shutil.copy(SHIPPED / "strategies" / "efficiency_first.toml", path)
    out_json = tmp_path / "path.json"
    code, out, err = run(capsys, "sim", "--games", "3", "--us", str(path), "--cn", "balanced", "--seed", "1",
                         "--json", str(out_json))
    assert code == 0, err
    assert len(json.loads(out_json.read_text())["games"]) == 3
    # the same script by id plays the same games
    by_id = tmp_path / "id.json"
    code, _, err = run(capsys, "sim", "--games", "3", "--us", "efficiency_first", "--cn", "balanced", "--seed", "1",
                       "--json", str(by_id))
    assert code == 0, err
    assert json.loads(by_id.read_text())["games"] == json.loads(out_json.read_text())["games"]


def test_sim_random_strategy(capsys):
    code, out, err = run(capsys, "sim", "--games", "2", "--us", "random", "--cn", "random")
    assert code == 0, err
    assert "win rate" in out


def test_sim_broken_strategy_file(capsys, tmp_path):
    path = tmp_path / "bad.toml"
    text = (SHIPPED / "strategies" / "balanced.toml").read_text()
    changed = text.replace("turns = [1, 12]", "turns = [12, 1]")
    assert changed != text
    path.write_text(changed)
    code, out, err = run(capsys, "sim", "--games", "2", "--us", str(path))
    assert_one_line_error(code, out, err)
    assert str(path) in err and "phase[0].turns" in err


SIM_ERRORS = [
    ("unknown-strategy", ["--us", "no_such_plan"], "no_such_plan"),
    ("missing-strategy-file", ["--cn", "/nonexistent/folder/plan.toml"], "plan.toml"),
    ("unknown-scenario", ["--scenario", "2099"], "2099"),
    ("missing-scenario-file", ["--scenario", "/nonexistent/2099.toml"], "2099.toml"),
]


@pytest.mark.parametrize("extra, named", [pytest.param(a, n, id=i) for i, a, n in SIM_ERRORS])
def test_sim_bad_names(capsys, tmp_path, extra, named):
    path = tmp_path / "out.json"
    code, out, err = run(capsys, "sim", "--games", "2", *extra, "--json", str(path))
    assert_one_line_error(code, out, err)
    assert named in err, err
    assert not path.exists()


def test_sim_json_into_missing_folder(capsys, tmp_path):
    target = tmp_path / "missing" / "run.json"
    code, out, err = run(capsys, "sim", "--games", "2", "--json", str(target))
    assert_one_line_error(code, out, err)
    assert "missing" in err
    assert not target.parent.exists()
    assert list(tmp_path.iterdir()) == []


def test_sim_json_onto_a_folder(capsys, tmp_path):
    code, out, err = run(capsys, "sim", "--games", "2", "--json", str(tmp_path))
    assert_one_line_error(code, out, err)
    assert list(tmp_path.iterdir()) == []


def test_sim_with_broken_content(capsys, tmp_path):
    root = broken_copy(tmp_path)
    code, out, err = run(capsys, "--content", str(root), "sim", "--games", "2")
    assert_one_line_error(code, out, err)
    assert err.startswith("content/policies.toml: policy 'chips_act'.cost_busd: ")


# --------------------------------------------------------------------------------------------------
# bench (one call; no timing figure is asserted)


def test_bench_quick_json(capsys, tmp_path):
    path = tmp_path / "bench.json"
    code, out, err = run(capsys, "bench", "--quick", "--json", str(path))
    assert code == 0, err
    assert out.strip()
    data = json.loads(path.read_text())
    expected = {"machine", "resolve_ms_median", "resolve_ms_p90", "decide_both_ms_median",
                "hard_decide_ms_median", "hard_decide_ms_p90", "normal_decide_ms_median", "normal_decide_ms_p90",
                "game_turns_per_s_batch_1", "game_turns_per_s_batch_256", "game_turns_per_s_batch_4096",
                "full_games", "full_games_seconds", "full_games_per_s", "mean_game_turns"}
    assert expected <= set(data), sorted(data)
    assert isinstance(data["machine"], str)
    for key in expected - {"machine"}:
        assert isinstance(data[key], (int, float)), key
