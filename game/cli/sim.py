"""`compute-race sim`: many headless games between two strategies, and the balance they show."""

from __future__ import annotations

import argparse
from functools import partial
from typing import Any

from game.cli.args import CLUSTER_HELP, MAX_GAMES, cluster_address, games_int, path_arg, positive_int, seed_int, win_rates
from game.cli.base import PROG, Command, Parser, UsageError, content_option
from game.cli.common import check_seed_range, checked_inputs, clamp_jobs, cluster_pool, write_json
from game.text import path_text


def add_arguments(sim: Parser) -> None:
    sim.add_argument("--games", type=games_int, default=100,
                     help=f"how many games (default 100, at most {MAX_GAMES:,})")
    sim.add_argument("--us", default="balanced", help="US strategy: a built-in id or a .toml path")
    sim.add_argument("--cn", default="balanced", help="China strategy: a built-in id or a .toml path")
    sim.add_argument("--seed", type=seed_int, default=1, help="first seed; games use seed, seed+1, ...")
    sim.add_argument("--scenario", default="2025", help="scenario id or path (default 2025)")
    sim.add_argument("--jobs", type=positive_int, default=1, help="worker processes (default 1; at most the cores)")
    sim.add_argument("--cluster", metavar="ADDRESS", type=cluster_address, help=CLUSTER_HELP)
    sim.add_argument("--json", metavar="PATH", type=path_arg, help="also write the summary and one record per game as JSON")
    sim.add_argument("--explain", action="store_true",
                     help="print each side's roads to its wins, its most frequent reasons and the end reasons by "
                          "winner; --json keeps every line")
    sim.add_argument("--saves", metavar="DIR", dest="sim_saves", type=path_arg, help="also write every game as a save in DIR")
    sim.add_argument("--sprt", metavar="P0,P1", type=win_rates,
                     help="stop as soon as a sequential test (alpha = beta = 0.05) decides between US win rate P0 and P1")
    content_option(sim)


def run(args: argparse.Namespace) -> int:
    from game.engine import jit

    jit.enable()  # compiled kernels for big batches, where numba is installed: the same bits, faster
    from game.sim.explain import roads_by_side
    from game.sim.progress import Progress
    from game.sim.runner import run_games
    from game.sim.sprt import round_games, run_sprt
    from game.sim.stats import format_table, summarise

    check_seed_range("sim", args.seed, args.games)
    content = checked_inputs(args, "sim", (args.us, args.cn))
    if not args.cluster:  # with --cluster, --jobs plays no part
        clamp_jobs(args, "sim")
    saves_folder = None
    if args.sim_saves:
        from game.saves import saves_dir

        if args.sprt:
            raise UsageError(f"{PROG} sim: --saves and --sprt: write saves from a plain run (without --sprt)")
        if args.cluster:
            raise UsageError(f"{PROG} sim: --saves and --cluster: saves are written where the games are played; "
                             "write them from a run without --cluster")
        saves_folder = str(saves_dir(args.sim_saves))
    seeds = list(range(args.seed, args.seed + args.games))
    with cluster_pool(args, "sim") as pool, Progress(args.games, "sim") as bar:
        # One runner for both (here, or on the cluster): --sprt plays the same games in rounds, and stops when its
        # test decides.
        play = partial(run_games, content, args.scenario, args.us, args.cn, jobs=args.jobs, explain=args.explain,
                       detail=bool(args.json), pool=pool)
        if args.sprt:
            p0, p1 = args.sprt
            records, verdict = run_sprt(play, seeds, p0, p1, round_games(pool.threads if pool else args.jobs),
                                        bar.update)
        else:
            records = play(seeds, on_progress=bar.update, saves_dir=saves_folder)
    summary = summarise(records)
    summary["roads"] = roads_by_side(records)  # each side's roads to its wins (the tables --explain prints)
    last = args.seed + len(records) - 1
    title = (f"{path_text(args.us)} (US) vs {path_text(args.cn)} (China), scenario {path_text(args.scenario)}, "
             f"seeds {args.seed}-{last}")
    if args.sprt:
        summary["sprt"] = verdict
    # The file first: what was computed is kept even if printing fails (a closed pipe, a full device).
    if args.json:
        write_json(args.json, {"us": args.us, "cn": args.cn, "scenario": args.scenario, "seed": args.seed,
                               "content_digest": content.digest, "summary": summary, "games": records})
    print(format_table(summary, title))
    if args.explain:
        print_explain(records, args, content)
    if args.sprt:
        print(verdict["text"])
    if saves_folder:
        print(f"{len(records)} saves written to {path_text(saves_folder)}")
    return 0


def print_explain(records: list[dict[str, Any]], args: argparse.Namespace, content: Any) -> None:
    """sim --explain on the terminal: each side's most frequent reasons and the end reasons by winner."""
    from game.ai import load_strategy
    from game.sim.explain import format_explain, summarise_explain

    names = {"us": load_strategy(args.us, content.root).name, "cn": load_strategy(args.cn, content.root).name}
    print()
    print(format_explain(summarise_explain(records), names))


COMMAND = Command("sim", "play many headless games and report the balance", add_arguments, run)
