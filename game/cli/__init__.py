"""The `compute-race` command: play, pbf, serve, sim, tune, calc, content check, bench. Textual loads only to play.

One module per command (or group of subcommands), each declaring its options beside its `run`; COMMANDS below
registers them, in the order the help lists them. What they share: game/cli/base.py (the one-line error, the
parser, a command's record), args.py (argument types and limits), common.py (checks and output around a run).
"""

from __future__ import annotations

from collections.abc import Sequence

from game.cli import backtest, balance, bench, calc, content, pbf, play, replay, serve, sim, trace, tune
from game.cli.args import path_arg
from game.cli.base import PROG, Command, Parser, merge_content, one_line_errors, version_text
from game.console import ascii_fallback

COMMANDS: tuple[Command, ...] = (sim.COMMAND, balance.COMMAND, backtest.COMMAND, tune.COMMAND, trace.COMMAND,
                                 calc.COMMAND, content.COMMAND, replay.COMMAND, bench.COMMAND, pbf.COMMAND,
                                 serve.COMMAND, play.COMMAND)


def build_parser() -> Parser:
    p = Parser(prog=PROG, description="Compute Race: the US-China race for AI, in a terminal.")
    p.add_argument("--version", action="version", version=version_text())
    p.add_argument("--content", metavar="DIR", type=path_arg, help="content folder to use instead of the built-in one")
    p.add_argument("--saves", metavar="DIR", dest="saves_dir", type=path_arg,
                   help="saves folder (default: $COMPUTE_RACE_SAVES, saves/ in a checkout, else your data folder)")
    sub = p.add_subparsers(dest="command", parser_class=Parser)
    for command in COMMANDS:
        command.add_arguments(sub.add_parser(command.name, help=command.help))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    ascii_fallback()
    parser = build_parser()
    runs = {command.name: command.run for command in COMMANDS}

    def run() -> int:
        args = parser.parse_args(argv)
        merge_content(args)
        return (runs[args.command] if args.command else play.run)(args)

    return one_line_errors(run)
