"""The command line's output and limits (issue 16, items 7, 9, 11, 12): results are written before anything is
printed, output degrades to ASCII and ends quietly on a closed pipe; deep TOML, huge --games, many --jobs, a
closed stdin, the last seed and a subnormal --mfu are each one line and exit 2. Every run is bounded in time."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import game
import game.cli as cli
from game.cli import common, main
from game.cli.args import MAX_GAMES
from game.console import ascii_text
from game.content import default_content_dir

REPO = Path(game.__file__).resolve().parent.parent
SHIPPED = default_content_dir()
DEPTH = 500
LAST_SEED = 2**63 - 1


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_refusal(code: int, out: str, err: str, fragment: str = "") -> None:
    assert code == 2, (code, out, err)
    assert "Traceback" not in err + out
    assert err.count("\n") == 1 and err.strip(), err
    assert fragment in err, err


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIOENCODING", "PYTHONUTF8"))}
    base["PYTHONPATH"] = str(REPO)
    base.update(extra)
    return base


def game_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "game", *args]


# --------------------------------------------------------------------------------------------------
# 7. Output: results first, ASCII where the encoding lacks a symbol, a closed pipe ends quietly


@pytest.mark.parametrize("encoding_env", [
    {"PYTHONIOENCODING": "ascii"},
    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
], ids=["pythonioencoding", "c-locale"])
def test_sim_on_an_ascii_terminal_writes_its_json_and_prints_ascii(tmp_path, encoding_env):
    done = subprocess.run(game_cmd("sim", "--games", "3", "--json", "o.json"), cwd=tmp_path, capture_output=True,
                          env=env(**encoding_env), timeout=180)
    assert done.returncode == 0, done.stderr.decode("ascii", "replace")
    assert b"Traceback" not in done.stderr
    out = done.stdout.decode("ascii")   # nothing but ASCII reached the stream
    assert "95% CI" in out and "%-" in out   # the en dash of the interval, as a hyphen
    assert len(json.loads((tmp_path / "o.json").read_text())["games"]) == 3


def test_a_closed_pipe_ends_quietly_and_keeps_the_json(tmp_path):
    err_path = tmp_path / "err.txt"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(game_cmd("sim", "--games", "20", "--json", "o.json"), cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=err, env=env())
        proc.stdout.close()   # the reader is gone before anything is printed (`| true`)
        code = proc.wait(timeout=180)
    stderr = err_path.read_text()
    assert code == 1, stderr
    assert stderr == "", stderr   # no traceback, no "Exception ignored" from the final flush
    assert len(json.loads((tmp_path / "o.json").read_text())["games"]) == 20


def test_every_symbol_has_a_readable_ascii_fallback():
    for ch, text in {"\u2013": "-", "\u2014": "--", "\u2192": "->", "\u25b2": "^", "\u25a0": "#", "\u00b1": "+/-",
                     "\u2713": "ok", "\u2717": "x", "\u2026": "...", "\u00e9": "e", "\u4e2d": "?"}.items():
        assert ascii_text(ch) == text
    assert "a\u2013b \u00e9t\u00e9 \u2192".encode("ascii", "compute-race-ascii") == b"a-b ete ->"


# --------------------------------------------------------------------------------------------------
# 9. 500-level nested TOML: one line from every option that reads TOML


def deep_toml(path: Path, form: str) -> Path:
    if form == "array":
        path.write_text("a = " + "[" * DEPTH + "]" * DEPTH + "\n")
    else:
        path.write_text("[" + ".".join(["a"] * DEPTH) + "]\nb = 1\n")
    return path


FORMS = ["array", "table"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("option", ["--us", "--cn", "--scenario"])
def test_deep_toml_for_a_sim_option(capsys, tmp_path, form, option):
    deep = deep_toml(tmp_path / "deep.toml", form)
    one_line_refusal(*run(capsys, "sim", "--games", "1", option, str(deep)), "deep.toml")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("where", ["rules.toml", "scenarios/deep.toml", "strategies/deep.toml"])
def test_deep_toml_in_a_content_folder(capsys, tmp_path, form, where):
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    deep_toml(root / where, form)
    # content check lists every error of a run, one a line (a table deep in a file can break many keys)
    code, out, err = run(capsys, "content", "check", str(root))
    assert code == 2 and "Traceback" not in err + out and err.strip(), (code, out, err)
    fragment = "deep.toml" if "deep" in where else where
    assert all(fragment in line for line in err.strip().split("\n")), err
    if where != "strategies/deep.toml":   # a strategy is read when named; content check reads every one
        one_line_refusal(*run(capsys, "--content", str(root), "sim", "--games", "1"))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("field", ["strategy", "scenario"])
def test_deep_toml_named_by_a_save(capsys, tmp_path, form, field):
    deep = deep_toml(tmp_path / "deep.toml", form)
    assert main(["sim", "--games", "1", "--saves", str(tmp_path / "saves")]) == 0
    capsys.readouterr()
    (save,) = (tmp_path / "saves").glob("*.json")
    data = json.loads(save.read_text())
    if field == "strategy":
        data["seats"]["us"]["strategy"] = str(deep)
    else:
        data["scenario"] = str(deep)
    save.write_text(json.dumps(data))
    one_line_refusal(*run(capsys, "replay", str(save)), "deep.toml")


# --------------------------------------------------------------------------------------------------
# 11. Limits: games per call, workers per machine


def limited_memory() -> None:
    # Without the cap, 2^31 seeds fill memory; under this limit that is a fast MemoryError, not a swapping machine.
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def test_sim_games_beyond_the_cap_is_one_line(tmp_path):
    done = subprocess.run(game_cmd("sim", "--games", "2147483648"), cwd=tmp_path, capture_output=True, text=True,
                          env=env(), timeout=120, preexec_fn=limited_memory)
    one_line_refusal(done.returncode, done.stdout, done.stderr, "from 1 to 1,000,000")


@pytest.mark.parametrize("argv, fragment", [
    (["sim", "--games", "1000001"], "1,000,000"),
    (["balance", "--games", "30000"], "1,470,000 games"),
    (["balance", "--games", "300000", "--strategies", "balanced,normal"], "1,200,000 games"),
])
def test_games_beyond_the_cap_are_refused_before_any_game(tmp_path, argv, fragment):
    done = subprocess.run(game_cmd(*argv), cwd=tmp_path, capture_output=True, text=True, env=env(), timeout=120)
    one_line_refusal(done.returncode, done.stdout, done.stderr, fragment)


def test_balance_at_ten_thousand_games_a_pairing_is_allowed():
    args = cli.build_parser().parse_args(["balance", "--games", "10000"])
    assert args.games == 10000 and 49 * args.games <= MAX_GAMES


def test_jobs_beyond_the_cores_are_lowered_with_a_note(capsys, monkeypatch):
    import game.sim.runner

    monkeypatch.setattr(common, "usable_cores", lambda: 1)
    asked = []
    real = game.sim.runner.run_games

    def spy(*args, **kwargs):
        asked.append(kwargs["jobs"])
        return real(*args, **kwargs)

    monkeypatch.setattr(game.sim.runner, "run_games", spy)
    code, out, err = run(capsys, "sim", "--games", "2", "--jobs", "64")
    assert code == 0 and asked == [1]
    assert err == "compute-race sim: --jobs 64: only 1 core available; using 1 worker\n"


def test_jobs_within_the_cores_are_left_alone(capsys, monkeypatch):
    monkeypatch.setattr(common, "usable_cores", lambda: 8)
    args = cli.build_parser().parse_args(["sim", "--jobs", "8"])
    common.clamp_jobs(args, "sim")
    assert args.jobs == 8 and capsys.readouterr().err == ""


# --------------------------------------------------------------------------------------------------
# 12. Closed stdin, the last seed, a calc that gives infinity


@pytest.mark.parametrize("argv", [["play"], []], ids=["play", "title"])
def test_play_with_stdin_closed_is_one_line(tmp_path, argv):
    script = 'exec "$0" -m game "$@" <&-'
    done = subprocess.run(["sh", "-c", script, sys.executable, *argv], cwd=tmp_path, capture_output=True,
                          text=True, env=env(), timeout=60)
    one_line_refusal(done.returncode, done.stdout, done.stderr, "standard input is closed")


def test_play_with_stdin_not_a_terminal_is_one_line(tmp_path):
    done = subprocess.run(game_cmd("play"), cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, env=env(), timeout=60)
    one_line_refusal(done.returncode, done.stdout, done.stderr, "needs a terminal")


@pytest.mark.parametrize("argv", [
    ["sim", "--seed", str(LAST_SEED), "--games", "2"],
    ["sim", "--seed", str(LAST_SEED - 5), "--games", "7"],
    ["balance", "--seed", str(LAST_SEED), "--games", "2", "--strategies", "balanced,normal"],
])
def test_seeds_past_the_last_are_refused(capsys, tmp_path, argv):
    saves = tmp_path / "saves"
    code, out, err = run(capsys, *argv, *(["--saves", str(saves)] if argv[0] == "sim" else []))
    one_line_refusal(code, out, err, "past the last seed")
    assert not saves.exists() or not any(saves.iterdir())


def test_the_last_seed_itself_makes_a_save_that_replays(capsys, tmp_path):
    saves = tmp_path / "saves"
    code, _, err = run(capsys, "sim", "--seed", str(LAST_SEED), "--games", "1", "--saves", str(saves))
    assert code == 0, err
    (save,) = saves.glob("*.json")
    code, out, err = run(capsys, "replay", str(save), "--verify")
    assert code == 0 and "verified" in out, err


@pytest.mark.parametrize("extra", [
    ["--mfu", "1e-320"],                         # subnormal: the division gives inf
    ["--mfu", "1e-300"],
    ["--flop", "1e300"],                         # finite, and a run of 1e280 days means nothing
    ["--usd-per-hour", "1e300", "--flop", "1e30"],
])
def test_calc_refuses_an_infinite_or_meaningless_result(capsys, extra):
    argv = ["calc", "training", "--flop", "3.8e25", "--chip", "h100", "--count", "16384"]
    for i in range(0, len(extra), 2):
        flag = extra[i]
        if flag in argv:
            argv[argv.index(flag) + 1] = extra[i + 1]
        else:
            argv += extra[i:i + 2]
    one_line_refusal(*run(capsys, *argv), "check --flop")
