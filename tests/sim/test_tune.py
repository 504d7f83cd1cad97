"""compute-race tune: it finds a point that passes what the starting content misses, the same seed gives the same
answer byte for byte, the folder it writes is content, and every bad sweep, range or --out is one line, exit 2."""

from __future__ import annotations

import contextlib
import io
import math
import os
import shutil
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.content import default_content_dir, load_content
from game.sim.backtest import run_backtest
from game.sim.tune import MARKER, MISS_CAP, MISS_FLOOR, balance_targets, miss, target_miss

# The 2022 scenario's US frontier share, a value the backtest's run rows calibrate, cut to a quarter: the largest
# US runs of 2024 and 2025 come out too small and the backtest rows for them go OFF.
CALIBRATED = "frontier_share = 0.006 "
DETUNED = "frontier_share = 0.0015"
MISSED_ROW = "us_run_2024"
SWEEP = """# the detuned value and a second one, against the backtest only (~0.3 s an evaluation)
[tune]
targets = ["backtest"]

[scenarios.2022.sides.us]
frontier_share = [0.001, 0.012]
frontier_share_growth_per_year = [0.1, 1.0]
"""
ARGS = ["--trials", "30", "--games", "32", "--seed", "1"]


def call(*argv: str) -> tuple[int, str, str]:
    """main() with its output captured (usable from a module-scoped fixture, unlike capsys)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def row_ok(folder: Path, row_id: str) -> bool:
    rows = run_backtest(load_content(folder), 32, 1)["rows"]
    return next(r["ok"] for r in rows if r["id"] == row_id)


@pytest.fixture(scope="module")
def detuned(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("detuned") / "content"
    shutil.copytree(default_content_dir(), folder)
    scenario = folder / "scenarios" / "2022.toml"
    text = scenario.read_text(encoding="utf-8")
    assert text.count(CALIBRATED) == 1
    scenario.write_text(text.replace(CALIBRATED, DETUNED), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tuned(detuned, tmp_path_factory):
    work = tmp_path_factory.mktemp("tuned")
    sweep = work / "sweep.toml"
    sweep.write_text(SWEEP, encoding="utf-8")
    out = work / "out"
    code, stdout, stderr = call("--content", str(detuned), "tune", str(sweep), *ARGS, "--out", str(out))
    assert code == 0, stderr
    return sweep, out, stdout


def test_tune_finds_a_point_that_passes_a_row_the_starting_content_misses(detuned, tuned) -> None:
    _, out, stdout = tuned
    assert not row_ok(detuned, MISSED_ROW)
    assert row_ok(out, MISSED_ROW)
    trials = [line for line in stdout.splitlines() if line.startswith("trial ")]
    assert 1 < len(trials) <= 30 and trials[0].endswith("(trial 1)") and "[the starting content]" in trials[0]
    assert all(" -> score " in line and "; best " in line for line in trials)
    # The report names the best point and every target's figure there.
    assert "best: trial " in stdout and "(was 0.0015)" in stdout
    assert "[ok] backtest: Largest finished US run by 2024Q4, FLOP: median " in stdout


def test_the_overlay_changes_only_the_swept_values_in_place(detuned, tuned) -> None:
    _, out, _ = tuned
    before, after = files_of(detuned), files_of(out)
    assert set(after) == set(before) | {MARKER}
    assert [rel for rel in before if before[rel] != after[rel]] == ["scenarios/2022.toml"]
    old = before["scenarios/2022.toml"].decode().splitlines()
    new = after["scenarios/2022.toml"].decode().splitlines()
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert [a.split("=")[0].strip() for a, _ in changed] == ["frontier_share", "frontier_share_growth_per_year"]
    for a, b in changed:  # the value's text replaced; the comment after it kept
        assert a.split("#", 1)[1] == b.split("#", 1)[1]


def test_the_overlay_passes_content_check_and_content_accepts_it(tuned) -> None:
    _, out, _ = tuned
    code, stdout, stderr = call("content", "check", str(out))
    assert code == 0 and stdout.startswith("content OK") and stderr == ""
    code, stdout, _ = call("--content", str(out), "sim", "--games", "2")
    assert code == 0 and "games" in stdout
    code, _, stderr = call("backtest", "--content", str(out), "--games", "32", "--check")
    assert code == 0, stderr


def test_the_same_seed_gives_the_same_answer_and_the_same_bytes(detuned, tuned) -> None:
    """Run again into the folder the first run wrote (tune replaces its own folder): the same trials, the same best
    point, the same overlay byte for byte."""
    sweep, out, first = tuned
    written = files_of(out)
    code, again, stderr = call("--content", str(detuned), "tune", str(sweep), *ARGS, "--out", str(out))
    assert code == 0, stderr
    assert again == first
    assert files_of(out) == written
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # no temporary or old folder left beside it


def test_a_point_that_breaks_content_mid_search_is_one_line_and_writes_nothing(tmp_path) -> None:
    """Each end of each range loads (the other value as it is), but where onshore capacity passes the capacity
    it is part of, the loader refuses the point: the search ends there in one line. China's 2025 budget is swept
    out of the continuity band (over 1.5x the history run's), so no point passes every target and the search
    cannot stop early before it meets the point that breaks content."""
    sweep = tmp_path / "sweep.toml"
    sweep.write_text('[tune]\ntargets = ["backtest"]\n[scenarios.2025.sides.us]\n'
                     "onshore_wafers_per_q.n5 = [40000, 89000]\nfab_wafers_per_q.n5 = [41000, 100000]\n"
                     "[scenarios.2025.sides.cn]\nbase_budget_busd = [40, 60]\n")
    out = tmp_path / "out"
    code, stdout, stderr = call("tune", str(sweep), "--trials", "10", "--games", "2", "--out", str(out))
    assert code == 2 and stderr.count("\n") == 1 and "Traceback" not in stderr
    assert ": trial " in stderr and "breaks content" in stderr and "onshore_wafers_per_q.n5" in stderr
    assert stdout.startswith("trial 1/10: ")  # points before it were played; the search ended at the one that broke
    assert not out.exists()


BAD_SWEEPS = [
    ("rule.research.breakthrough_chance = [0.05, 0.2]", "'rule' is not a content file (did you mean 'rules'?)"),
    ("rules.research.breakthru_chance = [0.05, 0.2]", "'breakthru_chance' is not a key here (did you mean"),
    ("chips.h1000.price_kusd = [10, 40]", "expected an id from chips.toml"),
    ("policies.chips_act.effects.9.value = [0.5, 0.9]", "expected a place in a list of"),
    ("scenarios.2030.sides.us.pue = [1.1, 1.3]", "expected a scenario file (2022, 2025)"),
    ("scoring.decisive_margin_months.x = [1, 2]", "has no keys"),
    ("chips.h100.name = [1, 2]", "not a number: string"),
    ("scenarios.2025.sides.us.allied_euv = [0, 1]", "not a number: boolean"),
    ("rules.research = [0, 1]", "not a number: a table"),
    ("scoring.decisive_margin_months = [-1, 24]", "goes below 0, the least content check accepts"),
    ("scoring.decisive_margin_months = [12, 200]", "goes above 120, the most content check accepts"),
    ("rules.apps.rest_of_world_appeal = [0, 1]", "must stay above 0"),
    ("scenarios.2025.sides.us.treasury_busd = [1, 2e12]", "goes past"),
    ("rules.training.run_quarters = [1.5, 4]", "give whole numbers"),
    ("scoring.decisive_margin_months = [24, 12]", "expected LOW < HIGH"),
    ("scoring.decisive_margin_months = 12", "expected a range [LOW, HIGH] of two numbers"),
    ("scoring.decisive_margin_months = [12, inf]", "expected finite numbers"),
    ("scoring.decisive_margin_months = [12, 99999999999999999999]", "a number too large"),
    ("scoring.frontier = [0.1, 0.25]", "scoring.frontier = 0.1 (the low end of its range) breaks content"),
    ("scoring.x = [1, ", "malformed TOML"),
    ("[tune]\ntarget = ['balance']\n[scoring]\ndecisive_margin_months = [12, 24]", "unknown option 'target'"),
    ("[tune]\ntargets = ['backtest', 'fun']\n[scoring]\ndecisive_margin_months = [12, 24]", "unknown target set 'fun'"),
    ("[tune]\nstrategies = ['normal', 'nope']\n[scoring]\ndecisive_margin_months = [12, 24]", "tune.strategies"),
    ("[tune]\nscenario = 'nope'\n[scoring]\ndecisive_margin_months = [12, 24]", "tune.scenario"),
    ("[tune]\ntargets = ['backtest']", "names no value to tune"),
    ("[tune]\ntargets = ['backtest']\nscoring.decisive_margin_months = [12, 24]", "goes before the [tune] table"),
]


@pytest.mark.parametrize("text, said", BAD_SWEEPS, ids=[s for s, _ in BAD_SWEEPS])
def test_a_bad_sweep_is_one_line_exit_2_and_plays_nothing(tmp_path, text, said) -> None:
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = call("tune", str(sweep), "--trials", "1", "--games", "1", "--out", str(out))
    assert code == 2 and stdout == ""
    assert stderr.startswith(f"compute-race tune: {sweep}") and stderr.count("\n") == 1, stderr
    assert said in stderr, stderr
    assert not out.exists()


def test_a_sweep_file_that_cannot_be_read_is_one_line(tmp_path) -> None:
    for path in (tmp_path / "missing.toml", tmp_path):
        code, _, stderr = call("tune", str(path), "--out", str(tmp_path / "out"))
        assert code == 2 and stderr.count("\n") == 1 and str(path) in stderr


def test_out_is_never_someone_elses_folder_a_file_or_a_link(tmp_path) -> None:
    sweep = tmp_path / "sweep.toml"
    sweep.write_text("scoring.decisive_margin_months = [12, 24]\n", encoding="utf-8")
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine", encoding="utf-8")
    a_file = tmp_path / "file"
    a_file.write_text("mine", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    for out, said in ((theirs, "holds files tune did not write"), (a_file, "is not a folder"),
                      (link, "is a symbolic link"), (tmp_path / "no" / "out", "does not exist")):
        code, stdout, stderr = call("tune", str(sweep), "--trials", "1", "--out", str(out))
        assert code == 2 and stdout == "" and stderr.count("\n") == 1 and said in stderr, stderr
    assert (theirs / "notes.txt").read_text(encoding="utf-8") == "mine" and a_file.read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "elsewhere").exists()


def test_without_optuna_tune_says_how_to_install_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "optuna", None)  # `import optuna` raises ImportError
    sweep = tmp_path / "sweep.toml"
    sweep.write_text("scoring.decisive_margin_months = [12, 24]\n", encoding="utf-8")
    code, stdout, stderr = call("tune", str(sweep), "--out", str(tmp_path / "out"))
    assert code == 2 and stdout == "" and stderr.count("\n") == 1
    assert "Optuna" in stderr and "pip install 'compute-race[designer]'" in stderr


def test_the_commands_other_paths_never_import_optuna() -> None:
    import subprocess

    code = ("import sys; from game.cli import main; main(['content', 'check']); "
            "sys.exit(1 if 'optuna' in sys.modules else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 0, done.stderr


def test_a_balance_sweep_scores_the_balance_targets(tmp_path) -> None:
    sweep = tmp_path / "sweep.toml"
    sweep.write_text('[tune]\ntargets = ["balance"]\nstrategies = ["easy", "normal"]\n'
                     "[scoring]\ndecisive_margin_months = [12, 24]\n", encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = call("tune", str(sweep), "--trials", "2", "--games", "2", "--out", str(out))
    assert code == 0, stderr
    assert "[the starting content]" in stdout and "targets there (2 games from seed 1):" in stdout
    shown = [line for line in stdout.splitlines() if line.startswith(("  [ok] balance: ", "  [FAIL] balance: "))]
    assert any("seat balance normal v normal" in line for line in shown)
    assert (out / MARKER).read_text(encoding="utf-8").startswith("compute-race tune:")


def test_balance_targets_score_their_distance_from_the_band() -> None:
    summary = {"targets": [
        {"target": "in", "figure": "", "ok": True, "value": 0.5, "band": [0.45, 0.55]},
        {"target": "below", "figure": "", "ok": False, "value": 0.52, "band": [0.65, None]},
        {"target": "above", "figure": "", "ok": False, "value": 0.60, "band": [None, 0.55]},
        {"target": "no leader", "figure": "", "ok": False, "value": 0.0, "band": [None, 0.75]},
    ]}
    misses = [t["miss"] for t in balance_targets(summary)]
    assert misses[0] == 0.0
    assert math.isclose(misses[1], 0.13 / 0.65) and math.isclose(misses[2], 0.05 / 0.55)
    assert misses[3] == MISS_FLOOR  # failed inside its band (no game had a leader): still counts


def test_miss_is_zero_inside_relative_outside_and_capped() -> None:
    assert miss(5.0, 1.0, 10.0) == 0.0 and miss(1.0, 1.0, 1.0) == 0.0
    assert math.isclose(miss(1e26, 3e25, 1e26 / 2), 1.0)       # twice the top: a miss of 1
    assert math.isclose(miss(-4.0, -18.0, -8.0), 0.5)
    assert math.isclose(miss(0.3, 0.0, 0.0), 0.3)              # a bound of 0 and no width: in the figure's units
    assert math.isclose(miss(-0.1, 0.0, 0.99), 0.1 / 0.99)     # a bound of 0: a share of the band
    assert miss(float("nan"), 0.0, 1.0) == MISS_CAP
    assert target_miss(True, [3.0]) == 0.0 and target_miss(False, [0.0]) == MISS_FLOOR
    assert target_miss(False, [1e9]) == MISS_CAP


def test_the_readme_sweep_names_real_values_within_their_bounds(tmp_path) -> None:
    import re

    from game.sim.tune import read_sweep, read_texts

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(# sweep.toml\n.*?)```", readme, re.S)
    assert block, "the README has no sweep example"
    path = tmp_path / "sweep.toml"
    path.write_text(block.group(1), encoding="utf-8")
    sweep = read_sweep(str(path), read_texts(default_content_dir()))
    assert len(sweep.knobs) == 5 and sweep.targets == ("balance", "backtest") and sweep.scenario == "2025"
