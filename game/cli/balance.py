"""`compute-race balance`: every pairing of the built-in strategies, both seatings, paired seeds; or, with
--policies, what each policy is worth to normal; with --rows, what each budget row is worth to it."""

from __future__ import annotations

import argparse

from game.cli.args import CLUSTER_HELP, MAX_GAMES, cluster_address, games_int, path_arg, positive_int, seed_int
from game.cli.base import PROG, Command, Parser, UsageError, content_option
from game.cli.common import check_seed_range, checked_inputs, clamp_jobs, cluster_pool, targets_verdict, write_json
from game.text import path_text, quote


def add_arguments(bal: Parser) -> None:
    bal.add_argument("--games", type=games_int, default=100,
                     help=f"games per pairing and seating (default 100; at most {MAX_GAMES:,} in all)")
    bal.add_argument("--jobs", type=positive_int, default=1, help="worker processes (default 1; at most the cores)")
    bal.add_argument("--cluster", metavar="ADDRESS", type=cluster_address, help=CLUSTER_HELP)
    bal.add_argument("--json", metavar="PATH", type=path_arg, help="also write the full results as JSON")
    bal.add_argument("--seed", type=seed_int, default=1, help="first seed (default 1)")
    bal.add_argument("--scenario", default="2025", help="scenario id or path (default 2025)")
    bal.add_argument("--strategies", metavar="A,B,...", help="a subset of the matrix (default: all seven)")
    bal.add_argument("--check", action="store_true",
                     help="exit 1 and name the targets that fail (seat balance, ladder, scripts, variety, early lead, "
                          "several roads; with --policies or --rows, theirs)")
    bal.add_argument("--policies", action="store_true",
                     help="instead: what each policy is worth to normal (left out of one seat's normal at a time)")
    bal.add_argument("--rows", action="store_true",
                     help="instead: what each budget row is worth to normal (halved in one seat's normal at a time)")
    content_option(bal)


def run(args: argparse.Namespace) -> int:
    from game.engine import jit

    jit.enable()  # compiled kernels for big batches, where numba is installed: the same bits, faster
    from game.sim.balance import STRATEGIES, format_balance, run_balance
    from game.sim.progress import Progress

    if args.policies and args.rows:
        raise UsageError(f"{PROG} balance: --policies and --rows: give one (each is a run of its own)")
    if args.policies or args.rows:
        return worth(args)
    strategies = tuple(args.strategies.split(",")) if args.strategies else STRATEGIES
    if len(set(strategies)) != len(strategies) or not all(strategies):
        raise UsageError(f"{PROG} balance: --strategies {quote(args.strategies)}: expected distinct ids separated by commas")
    total = len(strategies) ** 2 * args.games
    if total > MAX_GAMES:
        raise UsageError(f"{PROG} balance: --games {args.games:,} over {len(strategies)} strategies is {total:,} "
                         f"games; at most {MAX_GAMES:,} a call (--games {MAX_GAMES // len(strategies) ** 2:,} here)")
    check_seed_range("balance", args.seed, args.games)
    content = checked_inputs(args, "balance", strategies)
    if not args.cluster:
        clamp_jobs(args, "balance")
    with cluster_pool(args, "balance") as pool, Progress(total, "balance") as bar:
        summary = run_balance(content, args.scenario, strategies, args.games, args.seed, args.jobs, bar.update, pool)
    title = f"Balance: scenario {path_text(args.scenario)}, seeds {args.seed}-{args.seed + args.games - 1}"
    if args.json:
        write_json(args.json, {"scenario": args.scenario, "seed": args.seed, "content_digest": content.digest,
                               **summary})
    print(format_balance(summary, title))
    return targets_verdict(summary["targets"], "balance", args.check,
                           none_apply="balance check: no target applies to these strategies")


def worth(args: argparse.Namespace) -> int:
    """balance --policies or --rows: what each policy, or each budget row, is worth to normal, with their targets."""
    from game.engine.tables import CATEGORIES
    from game.sim.balance import format_policy_worth, format_row_worth, run_policy_worth, run_row_worth
    from game.sim.progress import Progress

    flag = "--rows" if args.rows else "--policies"
    if args.strategies:
        raise UsageError(f"{PROG} balance: {flag} plays normal against normal; leave out --strategies")
    check_seed_range("balance", args.seed, args.games)
    content = checked_inputs(args, "balance", ("normal",))
    if args.rows:  # every row halved in each seat
        runs = 1 + 2 * len(CATEGORIES)
    else:  # every policy left out of each seat that can take it
        runs = 1 + sum(2 if p.side == "both" else 1 for p in content.policies)
    if runs * args.games > MAX_GAMES:
        raise UsageError(f"{PROG} balance: {flag} --games {args.games:,} is {runs * args.games:,} games; at most "
                         f"{MAX_GAMES:,} a call")
    if not args.cluster:
        clamp_jobs(args, "balance")
    play, show, label = ((run_row_worth, format_row_worth, "row") if args.rows
                         else (run_policy_worth, format_policy_worth, "policy"))
    with cluster_pool(args, "balance") as pool, Progress(runs * args.games, "balance") as bar:
        result = play(content, args.scenario, args.games, args.seed, args.jobs, bar.update, pool)
    if args.json:
        write_json(args.json, {"content_digest": content.digest, **result})
    seeds = f"seeds {args.seed}-{args.seed + args.games - 1}"
    print(show(result, f"Balance: scenario {path_text(args.scenario)}, {seeds}"))
    return targets_verdict(result["targets"], label, args.check)


COMMAND = Command("balance", "every pairing of the built-in strategies, both seatings, paired seeds", add_arguments, run)
