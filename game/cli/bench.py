"""`compute-race bench`: the engine's speed, or with --ui the interface's (a key pressed to the new turn shown)."""

from __future__ import annotations

import argparse

from game.cli.args import path_arg
from game.cli.base import PROG, Command, Parser, UsageError, content_option
from game.cli.common import check_json_path, write_json


def add_arguments(bench: Parser) -> None:
    bench.add_argument("--json", metavar="PATH", type=path_arg, help="also write the figures as JSON")
    bench.add_argument("--quick", action="store_true", help="smaller runs (for a smoke test)")
    bench.add_argument("--balance", action="store_true",
                       help="also time `balance --games 400 --jobs 2` (slow: minutes; with --quick, 2 games)")
    bench.add_argument("--ui", action="store_true", help="time the interface instead: e pressed to the new turn on screen")
    bench.add_argument("--opponent", default="normal", help="with --ui: the AI opponent (default normal)")
    content_option(bench)


def run(args: argparse.Namespace) -> int:
    from game.engine import jit

    if not args.ui:  # compiled kernels for the engine's big batches (the same bits); the interface never has them
        jit.enable()
    if args.json:
        check_json_path(args.json)
    if args.ui and args.balance:
        raise UsageError(f"{PROG} bench: --balance times the engine's balance run; leave it out with --ui")
    if args.ui:
        from game.ai import load_strategy
        from game.tui.bench import format_ui_bench, run_ui_bench

        load_strategy(args.opponent)  # an unknown opponent is one line, before the app starts
        results = run_ui_bench(5 if args.quick else 20, args.opponent, args.content)
        text = format_ui_bench(results)
    else:
        from game.sim.bench import format_bench, run_bench

        results = run_bench(args.content, quick=args.quick, balance=args.balance)
        text = format_bench(results)
    if args.json:
        write_json(args.json, results)
    print(text)
    return 0


COMMAND = Command("bench", "measure engine speed", add_arguments, run)
