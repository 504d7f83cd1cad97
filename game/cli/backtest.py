"""`compute-race backtest`: play 2022-2025 as history went and hold each figure against its sourced range."""

from __future__ import annotations

import argparse
import sys

from game.cli.args import CLUSTER_HELP, MAX_BACKTEST_GAMES, cluster_address, games_int, path_arg, seed_int
from game.cli.base import PROG, Command, Parser, UsageError, content_option
from game.cli.common import check_json_path, check_seed_range, cluster_pool, write_json


def add_arguments(back: Parser) -> None:
    back.add_argument("--games", type=games_int, default=200, help="seeds per run (default 200)")
    back.add_argument("--seed", type=seed_int, default=1, help="first seed (default 1)")
    back.add_argument("--json", metavar="PATH", type=path_arg,
                      help="also write the rows and each side's median per quarter as JSON")
    back.add_argument("--check", action="store_true", help="exit 1 and name every row outside its range")
    back.add_argument("--cluster", metavar="ADDRESS", type=cluster_address, help=CLUSTER_HELP)
    content_option(back, help="content folder to backtest (as --content before the command)")


def run(args: argparse.Namespace) -> int:
    from game.engine import jit

    jit.enable()  # compiled kernels for big batches, where numba is installed: the same bits, faster
    from game.ai import StrategyError
    from game.content import load_content
    from game.sim.backtest import check_history, format_rows, run_backtest

    check_seed_range("backtest", args.seed, args.games)
    if args.games > MAX_BACKTEST_GAMES:
        raise UsageError(f"{PROG} backtest: --games {args.games:,}: at most {MAX_BACKTEST_GAMES:,} (every quarter of "
                         "every figure of every seed is held in memory)")
    content = load_content(args.content)
    try:
        check_history(content)
    except StrategyError as exc:
        raise UsageError(f"{PROG} backtest: {exc}") from None
    if args.json:
        check_json_path(args.json)
    with cluster_pool(args, "backtest") as pool:
        result = run_backtest(content, args.games, args.seed, pool=pool)
    if args.json:
        write_json(args.json, {"content_digest": content.digest, **result})
    print(format_rows(result))
    off = [r["figure"] for r in result["rows"] if not r["ok"]]
    apart = [f"{c['side']} {c['figure']} {c['factor']:.2f}x" for c in result["continuity"] if not c["ok"]]
    if args.check:
        if off or apart:
            parts = [f"{len(off)} row{'s' * (len(off) != 1)} off: {'; '.join(off)}"] if off else []
            if apart:
                parts.append(f"{len(apart)} opening figure{'s' * (len(apart) != 1)} apart from history: "
                             f"{'; '.join(apart)}")
            print(f"backtest check failed: {'; and '.join(parts)}", file=sys.stderr)
            return 1
        print("backtest check passed")
    return 0


COMMAND = Command("backtest", "play 2022-2025 as history went and hold each figure against its sourced range "
                  "(content/history.toml)", add_arguments, run)
