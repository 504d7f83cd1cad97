"""Hostile and unlucky paths on the command line: FIFOs, links to /dev/zero, loops of links, folders named like
files, names over 255 characters, non-regular --json targets, a write that fails after the games were played,
stdout on a full device. Each ends in one line and exit 2, within a time bound, and changes nothing outside the
test's own folder. The fixtures are made by the tests themselves."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import game.cli as cli
from game.cli.base import UsageError
from game.cli.common import check_json_path
from game.content import default_content_dir

LONG = "a" * 300
SECONDS = 60   # a hang (a FIFO opened for reading, /dev/zero read to the end) is caught well before this

REASONS = {"fifo": "not a regular file", "zero": "not a regular file", "loop": "symbolic links",
           "dir": "folder", "long": "too long"}


@pytest.fixture
def bounded():
    """Fail the test instead of hanging: a SIGALRM after SECONDS."""
    def hang(*_):
        raise TimeoutError(f"still running after {SECONDS} s")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.fixture
def hostile(tmp_path, monkeypatch, bounded) -> Path:
    """A folder of hostile entries for both .json and .toml: a FIFO, a link to /dev/zero, a link to itself,
    a folder; "long" names a file of 300 characters (which no filesystem here can hold)."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    for ext in ("json", "toml"):
        os.mkfifo(folder / f"fifo.{ext}")
        os.symlink("/dev/zero", folder / f"zero.{ext}")
        os.symlink(f"loop.{ext}", folder / f"loop.{ext}")
        (folder / f"dir.{ext}").mkdir()
    monkeypatch.chdir(tmp_path)
    return folder


def entry(folder: Path, which: str, ext: str) -> str:
    return str(folder / (f"{LONG}.{ext}" if which == "long" else f"{which}.{ext}"))


def refused(capsys, argv: list[str]) -> str:
    """Run the command; it must refuse with one line on stderr and exit 2. Returns that line."""
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and code == 2, (argv, code, err)
    assert err.strip() and err.strip().count("\n") == 0, err
    return err.strip()


@pytest.mark.parametrize("which", sorted(REASONS))
@pytest.mark.parametrize("command", ["replay", "play --load"])
def test_hostile_save_files(capsys, hostile, no_app, command, which):
    err = refused(capsys, command.split() + [entry(hostile, which, "json")])
    assert REASONS[which] in err.lower() and not no_app


@pytest.mark.parametrize("which", sorted(REASONS))
@pytest.mark.parametrize("option", ["sim --scenario", "sim --us", "sim --cn", "balance --scenario",
                                    "play --scenario", "play --difficulty", "play --watch --us"])
def test_hostile_scenario_and_strategy_files(capsys, hostile, no_app, option, which):
    err = refused(capsys, option.split() + [entry(hostile, which, "toml")] + (["--games", "1"] if "play" not in option else []))
    assert REASONS[which] in err.lower() and not no_app


@pytest.mark.parametrize("which, reason", [("fifo", "not a folder"), ("zero", "not a folder"),
                                           ("loop", "loop of links"), ("long", "too long")])
def test_hostile_content_folder(capsys, hostile, which, reason):
    err = refused(capsys, ["--content", entry(hostile, which, "toml"), "content", "check"])
    assert reason in err.lower()


@pytest.mark.parametrize("which", ["fifo", "zero", "loop", "dir"])
def test_hostile_file_inside_a_content_folder(capsys, tmp_path, bounded, which):
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    target = content / "scenarios" / "2025.toml"
    target.unlink()
    {"fifo": lambda: os.mkfifo(target), "zero": lambda: os.symlink("/dev/zero", target),
     "loop": lambda: os.symlink("2025.toml", target), "dir": lambda: target.mkdir()}[which]()
    err = refused(capsys, ["--content", str(content), "content", "check"])
    assert "2025.toml" in err and REASONS[which] in err.lower()


# -- item 10: a name over 255 characters for every path option ------------------------------------------------
LONG_PATH_RUNS = [
    ["--content", LONG, "content", "check"], ["content", "check", LONG], ["replay", LONG + ".json"],
    ["play", "--load", LONG + ".json"], ["--saves", LONG, "play"], ["--saves", f"{LONG}/x", "play", "--watch"],
    ["sim", "--games", "1", "--saves", LONG], ["sim", "--games", "1", "--json", LONG + ".json"],
    ["balance", "--games", "1", "--strategies", "balanced,random", "--json", LONG + ".json"],
    ["bench", "--quick", "--json", LONG + ".json"], ["sim", "--games", "1", "--scenario", LONG + ".toml"],
    ["sim", "--games", "1", "--us", LONG + ".toml"], ["play", "--difficulty", LONG + ".toml"],
]


@pytest.mark.parametrize("argv", LONG_PATH_RUNS, ids=lambda a: " ".join(x if len(x) < 20 else "LONG" for x in a))
def test_a_name_over_255_characters_is_one_line_before_any_work(capsys, tmp_path, monkeypatch, bounded, no_app, argv):
    import game.sim.bench
    import game.sim.runner

    def no_work(*_a, **_k):
        raise AssertionError("the games (or the benchmark) ran before the path was checked")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(game.sim.runner, "run_games", no_work)
    monkeypatch.setattr(game.sim.bench, "run_bench", no_work)
    import game.sim.balance

    monkeypatch.setattr(game.sim.balance, "run_balance", no_work)
    err = refused(capsys, argv)
    assert "too long" in err.lower() or "not a usable" in err.lower(), err
    assert not no_app and os.listdir(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes every folder whatever its mode")
@pytest.mark.parametrize("argv", [["replay", "{locked}/x.json"], ["play", "--load", "{locked}/x.json"],
                                  ["sim", "--games", "1", "--json", "{locked}/x.json"],
                                  ["sim", "--games", "1", "--scenario", "{locked}/x.toml"],
                                  ["sim", "--games", "1", "--us", "{locked}/x.toml"],
                                  ["--content", "{locked}/c", "content", "check"], ["--saves", "{locked}/s", "play"]])
def test_an_unreadable_parent_folder_is_one_line(capsys, tmp_path, bounded, no_app, argv):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        refused(capsys, [a.replace("{locked}", str(locked)) for a in argv])
    finally:
        locked.chmod(0o700)


# -- item 3: --json never replaces anything but a regular file ---------------------------------------------------
def test_json_refuses_a_device_before_any_game():
    """Only the check: /dev/null is never written by a test, even one that fails."""
    with pytest.raises(UsageError, match="not a regular file"):
        check_json_path("/dev/null")


@pytest.mark.parametrize("what", ["fifo", "link"])
@pytest.mark.parametrize("command", ["sim --games 1", "balance --games 1 --strategies balanced,random", "bench --quick"])
def test_json_refuses_a_fifo_or_a_link_before_any_work(capsys, tmp_path, bounded, monkeypatch, command, what):
    import game.sim.balance
    import game.sim.bench
    import game.sim.runner

    def no_work(*_a, **_k):
        raise AssertionError("work was done before --json was checked")

    for module, name in ((game.sim.runner, "run_games"), (game.sim.bench, "run_bench"),
                         (game.sim.balance, "run_balance")):
        monkeypatch.setattr(module, name, no_work)
    target, victim = tmp_path / "out.json", tmp_path / "victim.txt"
    victim.write_text("precious")
    os.mkfifo(target) if what == "fifo" else os.symlink(victim, target)
    err = refused(capsys, command.split() + ["--json", str(target)])
    assert ("symbolic link" if what == "link" else "not a regular file") in err
    assert victim.read_text() == "precious" and (os.path.islink(target) if what == "link" else
                                                 stat.S_ISFIFO(os.lstat(target).st_mode))


# -- item 10: --json on a location that turns read-only after the games were played ------------------------------
def test_json_results_are_kept_when_the_write_fails_after_the_games(capsys, tmp_path, bounded, monkeypatch):
    import tempfile

    spare = tmp_path / "tmp"
    spare.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spare))

    def read_only(*_a, **_k):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "replace", read_only)
    target = tmp_path / "out.json"
    err = refused(capsys, ["sim", "--games", "2", "--json", str(target)])
    kept = list(spare.iterdir())
    assert "Read-only file system" in err and len(kept) == 1 and str(kept[0]) in err
    assert len(json.loads(kept[0].read_text())["games"]) == 2
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == ["tmp"]  # no temp file left


# -- item 10: stdout on a full device ------------------------------------------------------------------------
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("argv", [["calc", "training", "--flop", "3.8e25", "--chip", "h100", "--count", "16000"],
                                  ["content", "check"]])
def test_stdout_on_a_full_device_is_one_line(tmp_path, argv):
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "game", *argv], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=SECONDS, env=env, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().count("\n") == 0 and "No space left" in done.stderr


# -- issue 27 item 10: an empty path (or a file path ending in '/') for every path option ------------------------
EMPTY_PATH_RUNS = [
    ["sim", "--games", "1", "--json", ""], ["sim", "--games", "1", "--saves", ""], ["sim", "--games", "1", "--content", ""],
    ["--content", "", "sim", "--games", "1"], ["--saves", "", "play"], ["--saves", "", "play", "--watch"],
    ["backtest", "--games", "1", "--json", ""], ["backtest", "--games", "1", "--content", ""],
    ["balance", "--games", "1", "--strategies", "balanced,random", "--json", ""], ["bench", "--quick", "--json", ""],
    ["trace", "--csv", ""], ["content", "check", ""], ["--content", "", "content", "check"], ["replay", ""],
    ["play", "--load", ""], ["play", "--pbf", "", "--side", "us"], ["pbf", "new", ""], ["pbf", "status", ""],
    ["pbf", "move", "", "--side", "us", "--strategy", "normal"],
]
FOLDER_PATH_RUNS = [
    ["sim", "--games", "1", "--json", "out/"], ["backtest", "--games", "1", "--json", "out/"],
    ["balance", "--games", "1", "--strategies", "balanced,random", "--json", "out/"],
    ["bench", "--quick", "--json", "out/"], ["trace", "--csv", "out/"], ["sim", "--games", "1", "--json", "."],
]


@pytest.mark.parametrize("argv", EMPTY_PATH_RUNS + FOLDER_PATH_RUNS, ids=lambda a: " ".join(x or "''" for x in a))
def test_an_empty_or_folder_path_is_one_line_before_any_work(capsys, tmp_path, monkeypatch, bounded, no_app, argv):
    """`sim --json ""` used to play every game and silently write nothing (an empty string reads as the option left
    out); `--json out/` wrote a file named out. Every path option refuses them at once, and nothing is written."""
    import game.sim.backtest
    import game.sim.balance
    import game.sim.bench
    import game.sim.runner
    import game.sim.trace

    def no_work(*_a, **_k):
        raise AssertionError("the games (or the benchmark) ran before the path was checked")

    monkeypatch.chdir(tmp_path)
    for module, name in ((game.sim.runner, "run_games"), (game.sim.bench, "run_bench"),
                         (game.sim.balance, "run_balance"), (game.sim.backtest, "run_backtest"),
                         (game.sim.trace, "run_trace")):
        monkeypatch.setattr(module, name, no_work)
    err = refused(capsys, argv)
    assert ("empty path" in err) if "" in argv else ("folder" in err), err
    assert not no_app and os.listdir(tmp_path) == []


def test_a_strategy_path_holding_escapes_is_shown_escaped(capsys, tmp_path, bounded, monkeypatch):
    """A strategy file's name comes from outside (a mod's archive, a glob): ESC in it never reaches the terminal in
    sim's title or the saves line."""
    monkeypatch.chdir(tmp_path)  # short relative paths: a long one is shown cut, and the cut would hide what is checked
    strategy = "mod\x1b]2;PWNED\x07\x1b[41m.toml"
    shutil.copy(default_content_dir() / "strategies" / "balanced.toml", strategy)
    saves = "saves\x1b[2J"
    code = cli.main(["sim", "--games", "1", "--us", strategy, "--cn", "easy", "--saves", saves])
    out, err = capsys.readouterr()
    assert code == 0 and "\x1b" not in out + err and "mod\\x1b]2;" in out and "\\x1b[2J" in out
