"""`compute-race tune`: the options checked here; the sweep and the search in game/sim/tune.py."""

from __future__ import annotations

import argparse

from game.cli.args import (
    CLUSTER_HELP,
    MAX_BACKTEST_GAMES,
    MAX_GAMES,
    cluster_address,
    games_int,
    path_arg,
    positive_int,
    seed_int,
    trials_int,
)
from game.cli.base import PROG, Command, Parser, UsageError, content_option
from game.cli.common import check_seed_range, clamp_jobs, cluster_pool


def add_arguments(tune: Parser) -> None:
    tune.add_argument("sweep", metavar="SWEEP.toml", type=path_arg,
                      help="the values to tune and their ranges, by key path: scoring.decisive_margin_months = [12, 24]")
    tune.add_argument("--trials", type=trials_int, default=30, help="points to try (default 30)")
    tune.add_argument("--games", type=games_int, default=32,
                      help="games an evaluation: per pairing and seating for balance, seeds for backtest (default 32)")
    tune.add_argument("--seed", type=seed_int, default=1, help="first seed of the games, and the search's seed (default 1)")
    tune.add_argument("--jobs", type=positive_int, default=1, help="worker processes (default 1; at most the cores)")
    tune.add_argument("--cluster", metavar="ADDRESS", type=cluster_address, help=CLUSTER_HELP)
    tune.add_argument("--out", metavar="DIR", type=path_arg, default="tuned",
                      help="where to write the best content: a new or empty folder, or one tune wrote (default tuned)")
    content_option(tune)


def run(args: argparse.Namespace) -> int:
    from game.engine import jit

    jit.enable()  # compiled kernels for big batches, where numba is installed: the same bits, faster
    from game.sim.tune import TuneError, run_tune

    check_seed_range("tune", args.seed, args.games)
    if args.games > MAX_BACKTEST_GAMES:
        raise UsageError(f"{PROG} tune: --games {args.games:,}: at most {MAX_BACKTEST_GAMES:,} (as backtest)")
    if not args.cluster:  # with --cluster, --jobs plays no part
        clamp_jobs(args, "tune")
    try:
        with cluster_pool(args, "tune") as pool:
            return run_tune(args.sweep, args.content, trials=args.trials, games=args.games, seed=args.seed,
                            jobs=args.jobs, out=args.out, max_games=MAX_GAMES,
                            say=lambda line: print(line, flush=True), pool=pool)
    except TuneError as exc:
        raise UsageError(f"{PROG} tune: {exc}") from None


COMMAND = Command("tune", "search content values named in a sweep file for the point that best meets "
                  "balance --check and backtest --check; write it as a content folder", add_arguments, run)
