"""game/cli/ as a package: each command in its own module with its options beside its `run`, registered in one
table; `--content` declared by each command that takes it and merged over the one before the command in one
place (no walk through argparse's private attributes); Textual imported only on the way to the interface."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import game.cli
from game.cli import COMMANDS, build_parser
from game.cli.base import merge_content

CLI = Path(game.cli.__file__).resolve().parent
# Every command and subcommand, with what it needs to parse.
PATHS = [["sim"], ["balance"], ["backtest"], ["tune", "s.toml"], ["trace"], ["calc"],
         ["calc", "training", "--flop", "1", "--chip", "h100", "--count", "1"], ["content"], ["content", "check"],
         ["content", "vocab"], ["replay", "x.json"], ["bench"], ["pbf"], ["pbf", "new", "g.json"],
         ["pbf", "status", "g.json"], ["pbf", "move", "g.json", "--side", "us"], ["serve"], ["play"]]


def test_each_command_is_a_module_with_its_options_beside_its_run():
    names = [c.name for c in COMMANDS]
    assert len(set(names)) == len(names)
    for command in COMMANDS:
        module = f"game.cli.{command.name}"
        assert command.add_arguments.__module__ == module and command.run.__module__ == module, command
        assert (CLI / f"{command.name}.py").is_file()
    help_text = build_parser().format_help()
    listed = re.search(r"\{([a-z,]+)\}", help_text)
    assert listed and listed.group(1).split(",") == names  # the help lists the table, in its order
    assert {p[0] for p in PATHS} == set(names)  # the cases below cover every command


def parsed(argv: list[str]):
    args = build_parser().parse_args(argv)
    merge_content(args)
    return args


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p[:2]))
def test_content_before_or_after_any_command_the_later_wins(path):
    group, rest = path[:1], path[1:]
    assert parsed(path).content is None
    assert parsed(["--content", "A", *path]).content == "A"
    assert parsed([*path, "--content", "B"]).content == "B"
    assert parsed(["--content", "A", *path, "--content", "B"]).content == "B"
    assert not hasattr(parsed([*path, "--content", "B"]), "content_after")  # merged, not left beside it
    if rest and not rest[0].startswith("-") and group[0] in ("calc", "content", "pbf"):
        # A group's own --content holds unless the subcommand's is given too.
        assert parsed(["--content", "A", *group, "--content", "G", *rest]).content == "G"
        assert parsed([*group, "--content", "G", *rest, "--content", "B"]).content == "B"


def test_no_command_walks_argparse_internals():
    private = re.compile(r"\._(subparsers|group_actions|actions|option_string_actions|registries|defaults)\b|"
                         r"_SubParsersAction")
    found = [f"{path.name}:{n}" for path in sorted(CLI.rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if private.search(line)]
    assert not found, found


def test_headless_commands_never_import_textual(tmp_path):
    """The parser is built from every command's module: none of them may import Textual (or Optuna, or Dask) on load,
    nor numba where no batch is big enough for a compiled kernel (`sim --games 1`)."""
    code = ("import sys\nfrom game.cli import main\n"
            "codes = [main(['calc', 'training', '--flop', '3.8e25', '--chip', 'h100', '--count', '8']),\n"
            "         main(['sim', '--games', '1']), main(['content', 'check']), main(['trace', '--list'])]\n"
            "heavy = {'textual', 'textual_serve', 'optuna', 'dask', 'distributed', 'numba', 'llvmlite'}\n"
            "loaded = sorted({m.split('.')[0] for m in sys.modules} & heavy)\n"
            "print(codes, loaded, file=sys.stderr)\n")
    root = Path(game.__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(root)})
    assert done.stderr.strip().splitlines()[-1] == "[0, 0, 0, 0] []", done.stderr


def test_python_dash_m_game_cli(tmp_path):
    root = Path(game.__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "game.cli", "--version"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0 and done.stdout.startswith("compute-race ") and "rules version" in done.stdout
