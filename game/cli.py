"""The `compute-race` command: play, pbf, serve, sim, tune, calc, content check, bench. Textual loads only to play."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import math
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from game.console import ascii_fallback, finish_output, quiet_closed_stdout
from game.text import OneLine, escape, path_text, quote

PROG = "compute-race"


class UsageError(OneLine, Exception):
    """Bad command-line input: one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and never prints a traceback."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def whole_number(text: str, lo: int, hi: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found {quote(text)}") from None
    if not lo <= value <= hi:
        raise argparse.ArgumentTypeError(f"expected {what}, found {quote(value)}")
    return value


def positive_int(text: str) -> int:
    return whole_number(text, 1, 2**31, "a number of at least 1")


# At most this many games in one call (for balance: over all pairings and seatings). A game's record takes
# about a kilobyte in memory and a million games take hours at ~100 games a second a core, so more is a typing
# mistake, not a plan; `balance --games 10000` over all seven strategies (490,000 games) fits.
MAX_GAMES = 1_000_000
MAX_SEED = 2**63 - 1


def games_int(text: str) -> int:
    return whole_number(text, 1, MAX_GAMES, f"a number of games from 1 to {MAX_GAMES:,}")


def usable_cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU mask or a container)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)


def clamp_jobs(args: argparse.Namespace, command: str) -> None:
    """More workers than cores only costs memory (a worker holds the content and the engine), and results are
    the same for any --jobs, so a larger number is lowered to the cores with a note rather than refused:
    a script written on a big machine still runs on a small one."""
    cores = usable_cores()
    if args.jobs > cores:
        print(f"{PROG} {command}: --jobs {args.jobs}: only {cores} core{'s' * (cores != 1)} available; "
              f"using {cores} worker{'s' * (cores != 1)}", file=sys.stderr)
        args.jobs = cores


def check_seed_range(command: str, seed: int, games: int) -> None:
    """Seeds seed..seed+games-1 must all be seeds (a save named with seed 2^63 could never be replayed)."""
    if seed + games - 1 > MAX_SEED:
        raise UsageError(f"{PROG} {command}: --seed {seed} with --games {games:,} runs past the last seed "
                         f"(2^63-1); use a --seed of at most {MAX_SEED - games + 1}")


MAX_TRIALS = 10_000  # each trial plays a balance or backtest run: more is a typing mistake, not a plan


def trials_int(text: str) -> int:
    return whole_number(text, 1, MAX_TRIALS, f"a number of trials from 1 to {MAX_TRIALS:,}")


def seed_int(text: str) -> int:
    return whole_number(text, 0, 2**63 - 1, "a seed from 0 to 2^63-1")


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, found {quote(text)}") from None
    if not (value > 0 and value < float("inf")):
        raise argparse.ArgumentTypeError(f"expected a positive finite number, found {quote(text)}")
    return value


def win_rates(text: str) -> tuple[float, float]:
    parts = text.split(",")
    try:
        p0, p1 = (float(x) for x in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected two win rates such as 0.45,0.55, found {quote(text)}") from None
    if not 0 < p0 < p1 < 1:
        raise argparse.ArgumentTypeError(f"expected 0 < P0 < P1 < 1, found {quote(text)}")
    return p0, p1


def cluster_address(text: str) -> str:
    from game.sim.cluster import parse_address

    try:
        return parse_address(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


CLUSTER_HELP = "play the games on the Dask scheduler at ADDRESS (tcp://HOST:PORT) instead of here; needs the designer extra"


def path_arg(text: str) -> str:
    """A file or folder path as typed. An empty one names nothing (and a command testing `if args.json` would
    take it for the option left out, silently writing nothing); a NUL character can name no file."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path names no file or folder; give a path")
    if "\0" in text:
        raise argparse.ArgumentTypeError(f"{quote(text)} is not a usable path (it holds a NUL character)")
    return text


def build_parser() -> Parser:
    p = Parser(prog=PROG, description="Compute Race: the US-China race for AI, in a terminal.")
    p.add_argument("--version", action="version", version=version_text())
    p.add_argument("--content", metavar="DIR", type=path_arg, help="content folder to use instead of the built-in one")
    p.add_argument("--saves", metavar="DIR", dest="saves_dir", type=path_arg,
                   help="saves folder (default: $COMPUTE_RACE_SAVES, saves/ in a checkout, else your data folder)")
    sub = p.add_subparsers(dest="command", parser_class=Parser)

    sim = sub.add_parser("sim", help="play many headless games and report the balance")
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
                     help="print each side's most frequent reasons and the end reasons by winner; --json keeps every line")
    sim.add_argument("--saves", metavar="DIR", dest="sim_saves", type=path_arg, help="also write every game as a save in DIR")
    sim.add_argument("--sprt", metavar="P0,P1", type=win_rates,
                     help="stop as soon as a sequential test (alpha = beta = 0.05) decides between US win rate P0 and P1")

    bal = sub.add_parser("balance", help="every pairing of the built-in strategies, both seatings, paired seeds")
    bal.add_argument("--games", type=games_int, default=100,
                     help=f"games per pairing and seating (default 100; at most {MAX_GAMES:,} in all)")
    bal.add_argument("--jobs", type=positive_int, default=1, help="worker processes (default 1; at most the cores)")
    bal.add_argument("--cluster", metavar="ADDRESS", type=cluster_address, help=CLUSTER_HELP)
    bal.add_argument("--json", metavar="PATH", type=path_arg, help="also write the full results as JSON")
    bal.add_argument("--seed", type=seed_int, default=1, help="first seed (default 1)")
    bal.add_argument("--scenario", default="2025", help="scenario id or path (default 2025)")
    bal.add_argument("--strategies", metavar="A,B,...", help="a subset of the matrix (default: all seven)")
    bal.add_argument("--check", action="store_true",
                     help="exit 1 and name the targets that fail (seat balance, ladder, scripts, variety, early lead)")
    bal.add_argument("--policies", action="store_true",
                     help="instead: what each policy is worth to normal (left out of one seat's normal at a time)")

    back = sub.add_parser("backtest", help="play 2022-2025 as history went and hold each figure against its "
                          "sourced range (content/history.toml)")
    back.add_argument("--games", type=games_int, default=200, help="seeds per run (default 200)")
    back.add_argument("--seed", type=seed_int, default=1, help="first seed (default 1)")
    back.add_argument("--json", metavar="PATH", type=path_arg,
                      help="also write the rows and each side's median per quarter as JSON")
    back.add_argument("--check", action="store_true", help="exit 1 and name every row outside its range")
    back.add_argument("--cluster", metavar="ADDRESS", type=cluster_address, help=CLUSTER_HELP)
    back.add_argument("--content", metavar="DIR", dest="sub_content", type=path_arg,
                      help="content folder to backtest (as --content before the command)")
    tune = sub.add_parser("tune", help="search content values named in a sweep file for the point that best meets "
                          "balance --check and backtest --check; write it as a content folder")
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

    trace = sub.add_parser("trace", help="one game's state quarter by quarter, for the fields you name")
    trace.add_argument("--us", default="normal", help="US strategy: a built-in id or a .toml path (default normal)")
    trace.add_argument("--cn", default="normal", help="China strategy: a built-in id or a .toml path (default normal)")
    trace.add_argument("--seed", type=seed_int, default=1, help="the game's seed (default 1)")
    trace.add_argument("--scenario", default="2025", help="scenario id or path (default 2025)")
    trace.add_argument("--fields", metavar="F1,F2,...",
                       help="names from game/schema.py (default: track, capability, compute, fleet, treasury, "
                            "revenue, self-sufficiency); --list shows them all")
    trace.add_argument("--csv", metavar="PATH", type=path_arg, help="write the table as CSV instead of printing it")
    trace.add_argument("--list", action="store_true", help="list every field a trace may name, with its unit")

    calc = sub.add_parser("calc", help="real-world arithmetic with the engine's own functions")
    calc_sub = calc.add_subparsers(dest="calc_command", parser_class=Parser)
    tr = calc_sub.add_parser("training", help="days, GPU-hours, energy and cost of a training run")
    tr.add_argument("--flop", type=positive_float, required=True, help="training compute in FLOP, e.g. 3.8e25")
    tr.add_argument("--chip", required=True, help="chip id from chips.toml, e.g. h100")
    tr.add_argument("--count", type=positive_int, required=True, help="number of chips")
    tr.add_argument("--mfu", type=positive_float, help="model FLOP utilisation (default from rules.toml)")
    tr.add_argument("--usd-per-hour", type=positive_float, help="rental price per chip-hour (default from rules.toml)")
    tr.add_argument("--pue", type=positive_float, help="datacenter power usage effectiveness (default from rules.toml)")

    content = sub.add_parser("content", help="check a content folder")
    content_sub = content.add_subparsers(dest="content_command", parser_class=Parser)
    check = content_sub.add_parser("check", help="validate every file in a content folder, or one strategy file")
    check.add_argument("dir", nargs="?", type=path_arg,
                       help="the folder, or a strategy .toml checked against --content (default: the built-in content)")
    content_sub.add_parser("vocab", help="every name content and strategies may use, with its meaning and unit")

    replay = sub.add_parser("replay", help="replay a save headless, turn by turn")
    replay.add_argument("path", metavar="PATH", type=path_arg, help="the save (.json)")
    replay.add_argument("--verify", action="store_true", help="exit 1 if any turn's digest differs from the save's")
    replay.add_argument("--to", type=positive_int, metavar="TURN", help="stop after this many turns")

    bench = sub.add_parser("bench", help="measure engine speed")
    bench.add_argument("--json", metavar="PATH", type=path_arg, help="also write the figures as JSON")
    bench.add_argument("--quick", action="store_true", help="smaller runs (for a smoke test)")
    bench.add_argument("--balance", action="store_true",
                       help="also time `balance --games 400 --jobs 2` (slow: minutes; with --quick, 2 games)")
    bench.add_argument("--ui", action="store_true", help="time the interface instead: e pressed to the new turn on screen")
    bench.add_argument("--opponent", default="normal", help="with --ui: the AI opponent (default normal)")

    pbf = sub.add_parser("pbf", help="play by file without the interface: new game, status, a strategy's move")
    pbf_sub = pbf.add_subparsers(dest="pbf_command", parser_class=Parser)
    pbf_new = pbf_sub.add_parser("new", help="create a game file for two players to pass between them")
    pbf_new.add_argument("path", metavar="PATH", type=path_arg, help="the new game file (.json)")
    pbf_new.add_argument("--scenario", default="2025", help="scenario id or path (default 2025)")
    pbf_new.add_argument("--seed", type=seed_int, default=None, help="the game's seed (default: a new one each game)")
    pbf_status = pbf_sub.add_parser("status", help="check a game file and say whose move it is")
    pbf_status.add_argument("path", metavar="PATH", type=path_arg, help="the game file")
    pbf_move = pbf_sub.add_parser("move", help="a side's next step: commit a strategy's orders, or reveal them")
    pbf_move.add_argument("path", metavar="PATH", type=path_arg, help="the game file")
    pbf_move.add_argument("--side", choices=("us", "cn"), required=True, help="the side you play")
    pbf_move.add_argument("--strategy", help="when committing: a strategy id or .toml path whose orders to seal")

    serve = sub.add_parser("serve", help="serve the game to a web browser (textual-serve)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only; any other address opens it "
                            "to whoever can reach that address and has the printed key)")
    serve.add_argument("--port", type=port_int, default=8000, help="port (default 8000)")
    serve.add_argument("--public", action="store_true",
                       help="allow a --host of every address (0.0.0.0, ::, '' or *): the whole network can reach it")

    play = sub.add_parser("play", help="play in the terminal (no command: the title screen)")
    mode = play.add_mutually_exclusive_group()
    mode.add_argument("--pbf", metavar="PATH", type=path_arg,
                      help="play by file: open (or, with --side, create) a game file two players pass between them")
    mode.add_argument("--hotseat", action="store_true", help="two players on one keyboard, orders kept secret")
    mode.add_argument("--watch", action="store_true", help="watch two strategies play (--us, --cn)")
    mode.add_argument("--load", metavar="PATH", type=path_arg, help="continue a saved game")
    play.add_argument("--side", choices=("us", "cn"), help="your side against the AI, or in a --pbf game (default us)")
    play.add_argument("--difficulty", "--opponent", dest="difficulty", default="normal",
                      help="the AI: easy, normal, hard, or any strategy id or .toml path (default normal)")
    play.add_argument("--us", default="normal", help="with --watch: the US strategy (default normal)")
    play.add_argument("--cn", default="hard", help="with --watch: China's strategy (default hard)")
    play.add_argument("--scenario", default="2025", help="scenario id or path (default 2025)")
    play.add_argument("--seed", type=seed_int, default=None,
                      help="the game's seed (default: a new one each game, shown in the turn report)")
    play.add_argument("--theme", default="compute-race", help="a Textual theme (default compute-race)")
    content_anywhere(sub)
    return p


def content_anywhere(sub: Any) -> None:
    """`--content DIR` after the subcommand too (`compute-race sim --content DIR`), as before it. SUPPRESS keeps
    a subcommand from resetting a --content given before it; given in both places, the later one wins."""
    for name, command in sub.choices.items():
        if name == "backtest":  # has its own --content (dest sub_content)
            continue
        command.add_argument("--content", metavar="DIR", type=path_arg, default=argparse.SUPPRESS,
                             help="content folder to use instead of the built-in one (also accepted before the command)")
        for action in command._subparsers._group_actions if command._subparsers else ():
            if isinstance(action, argparse._SubParsersAction):
                content_anywhere(action)


def fresh_seed(seed: int | None) -> int:
    """The seed asked for, or a new one for a new game (chosen here, outside the engine)."""
    from game.settings import new_seed

    return new_seed() if seed is None else seed


def version_text() -> str:
    from game import __version__
    from game.engine.rules_version import RULES_VERSION

    return f"{PROG} {__version__} (rules version {RULES_VERSION})"


def port_int(text: str) -> int:
    return whole_number(text, 1, 65535, "a port from 1 to 65535")


def check_json_path(path: str, option: str = "--json") -> Path:
    """Refuse a --json path that cannot be written, before any game is played: only a new file or a regular
    file is ever replaced (a link, a device such as /dev/null or a FIFO is refused, never followed)."""
    from game.atomic import kind, not_replaceable

    target = Path(path)
    if path.endswith(("/", os.sep)) or (os.altsep and path.endswith(os.altsep)):  # Path() would drop the '/'
        raise UsageError(f"{PROG}: {option} {path_text(path)}: names a folder (it ends in a separator); give a file name")
    found = kind(target)
    why = not_replaceable(target)
    if why is not None:
        raise UsageError(f"{PROG}: {option} {path_text(path)}: {why}")
    if found == "unusable":
        raise UsageError(f"{PROG}: {option} {path_text(path)}: not a usable path (too long, or it cannot be looked at)")
    folder = target.parent if str(target.parent) else Path(".")
    if kind(folder) != "folder":
        raise UsageError(f"{PROG}: {option} {path_text(path)}: folder {path_text(folder)} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{PROG}: {option} {path_text(path)}: folder {path_text(folder)} cannot be written "
                         "(read-only or no permission)")
    return target


def write_json(path: str, data: Any) -> None:
    """Write JSON atomically (game/atomic.py). When the path cannot be written after the games were played, the
    results are kept in a new file in the temp folder and the one-line error says where."""
    from game.atomic import AtomicWriteError, atomic_write

    payload = (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")
    try:
        atomic_write(path, payload)
        return
    except AtomicWriteError as exc:
        failure = str(exc).removeprefix(f"{path_text(path)}: ")
    kept = keep_elsewhere(payload)
    where = f"the results were written to {path_text(kept)} instead" if kept else "the results could not be kept"
    raise UsageError(f"{PROG}: --json {path_text(path)}: {failure}; {where}")


def keep_elsewhere(payload: bytes) -> str | None:
    """A new file in the temp folder holding `payload`, or None when even that fails."""
    import tempfile

    from game.atomic import write_all

    try:
        fd, name = tempfile.mkstemp(prefix=f"{PROG}-", suffix=".json")
    except OSError:
        return None
    try:
        write_all(fd, payload)
    except OSError:
        os.close(fd)
        os.unlink(name)
        return None
    os.close(fd)
    return name


def checked_inputs(args: argparse.Namespace, command: str, strategies: Sequence[str]):
    """Load the content and check the scenario, every strategy and the --json path before any game
    is played; returns the content."""
    from game.ai import StrategyError, load_strategy
    from game.content import find_scenario, load_content

    content = load_content(args.content)
    find_scenario(content, args.scenario)
    for spec in strategies:
        try:
            load_strategy(spec, content.root)
        except StrategyError as exc:
            raise UsageError(f"{PROG} {command}: {exc}") from None
    if args.json:
        check_json_path(args.json)
    return content


@contextlib.contextmanager
def cluster_pool(args: argparse.Namespace, command: str) -> Iterator[Any]:
    """The Dask cluster of --cluster, connected before any game is played (None without --cluster, when
    --jobs runs the games here); whatever goes wrong with it is one line, exit 2."""
    if not args.cluster:
        yield None
        return
    from game.sim.cluster import ClusterError, Pool

    try:
        with Pool(cluster=args.cluster) as pool:
            yield pool
    except ClusterError as exc:
        raise UsageError(f"{PROG} {command}: --cluster {args.cluster}: {exc}") from None


def cmd_sim(args: argparse.Namespace) -> int:
    from game.sim.progress import Progress
    from game.sim.runner import run_games
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
        if args.sprt:
            records, verdict = run_sprt(content, args, seeds, bar.update, pool)
        else:
            records = run_games(content, args.scenario, args.us, args.cn, seeds, jobs=args.jobs,
                                on_progress=bar.update, explain=args.explain, saves_dir=saves_folder,
                                detail=bool(args.json), pool=pool)
    summary = summarise(records)
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


def cmd_replay(args: argparse.Namespace) -> int:
    from game.content import load_content
    from game.saves import format_replay, read_save, restore

    data = read_save(args.path)
    restored = restore(data, load_content(args.content), to_turn=args.to, where=args.path)
    print(format_replay(restored.session))
    if restored.mismatch:
        print(f"{PROG} replay: {restored.mismatch}", file=sys.stderr)
        # Other content is not a replay of this save at all: a failure even without --verify.
        return 1 if args.verify or data["content_digest"] != restored.session.content.digest else 0
    wanted = len(data["turns"]) if args.to is None else min(args.to, len(data["turns"]))
    print(f"verified: {restored.matched_turns} of {wanted} turns match the save's digests")
    return 0


def run_sprt(content, args: argparse.Namespace, seeds: list[int], progress, pool=None) -> tuple[list, dict[str, Any]]:
    """Play games in small rounds (here, or on the cluster `pool`) until the sequential test decides (or the games
    run out)."""
    from game.sim.balance import points
    from game.sim.runner import run_games
    from game.sim.stats import sprt

    p0, p1 = args.sprt
    step = max((pool.threads if pool else args.jobs) * 16, 32)
    records: list[dict[str, Any]] = []
    decision = "continue"
    while decision == "continue" and len(records) < len(seeds):
        part = seeds[len(records):len(records) + step]
        records += run_games(content, args.scenario, args.us, args.cn, part, jobs=args.jobs, explain=args.explain,
                             detail=bool(args.json), pool=pool)
        progress(len(records))
        # Checked game by game, so the stopping point does not depend on the round size.
        decision, n, w = "continue", 0, 0.0
        for r in records:
            n += 1
            w += points([r], "us")
            decision = sprt(w, n - w, p0, p1)
            if decision != "continue":
                records = records[:n]
                break
    if decision == "H0":
        text = f"SPRT: US win rate is {p0:g}, not {p1:g} (decided after {len(records)} games)"
    elif decision == "H1":
        text = f"SPRT: US win rate is {p1:g}, not {p0:g} (decided after {len(records)} games)"
    else:
        text = f"SPRT: undecided between {p0:g} and {p1:g} after {len(records)} games; raise --games"
    return records, {"p0": p0, "p1": p1, "decision": decision, "games": len(records), "text": text}


def cmd_balance(args: argparse.Namespace) -> int:
    from game.sim.balance import STRATEGIES, format_balance, run_balance
    from game.sim.progress import Progress

    if args.policies:
        return cmd_policy_worth(args)
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


def cmd_trace(args: argparse.Namespace) -> int:
    from game.atomic import AtomicWriteError, atomic_write
    from game.engine import Tables
    from game.sim.trace import DEFAULT_FIELDS, csv_text, describe, field_names, run_trace, table_text, unknown_field

    if args.list:
        for name in field_names():
            print(f"{name:<28} {describe(name)}")
        return 0
    fields = tuple(args.fields.split(",")) if args.fields else DEFAULT_FIELDS
    known = set(field_names())
    for name in fields:
        if name not in known:
            raise UsageError(f"{PROG} trace: --fields: {unknown_field(name)}")
    if len(set(fields)) != len(fields):
        raise UsageError(f"{PROG} trace: --fields {quote(args.fields)}: a field is named twice")
    args.json = None
    content = checked_inputs(args, "trace", (args.us, args.cn))
    if args.csv:
        check_json_path(args.csv, "--csv")
    from game.content import find_scenario

    trace = run_trace(Tables(content, find_scenario(content, args.scenario)), args.us, args.cn, args.seed, fields,
                      content.root)
    winner = {"us": "the US wins", "cn": "China wins", "draw": "a draw"}[trace["winner"]]
    outcome = f"{winner} ({trace['reason']}) after {trace['turns']} quarters"
    if args.csv:
        try:
            atomic_write(args.csv, csv_text(trace).encode("utf-8"))
        except AtomicWriteError as exc:
            raise UsageError(f"{PROG} trace: --csv {exc}") from None
        print(f"trace: {len(trace['rows'])} rows x {len(trace['columns'])} columns written to "
              f"{path_text(args.csv)}; {outcome}")
    else:
        print(table_text(trace))
        print(outcome)
    return 0


def cmd_policy_worth(args: argparse.Namespace) -> int:
    """balance --policies: each policy's worth to normal, with the two policy targets."""
    from game.sim.balance import format_policy_worth, run_policy_worth
    from game.sim.progress import Progress

    if args.strategies:
        raise UsageError(f"{PROG} balance: --policies plays normal against normal; leave out --strategies")
    check_seed_range("balance", args.seed, args.games)
    content = checked_inputs(args, "balance", ("normal",))
    runs = 1 + sum(2 if p.side == "both" else 1 for p in content.policies)
    if runs * args.games > MAX_GAMES:
        raise UsageError(f"{PROG} balance: --policies --games {args.games:,} is {runs * args.games:,} games; at most "
                         f"{MAX_GAMES:,} a call")
    if not args.cluster:
        clamp_jobs(args, "balance")
    with cluster_pool(args, "balance") as pool, Progress(runs * args.games, "balance") as bar:
        result = run_policy_worth(content, args.scenario, args.games, args.seed, args.jobs, bar.update, pool)
    if args.json:
        write_json(args.json, {"content_digest": content.digest, **result})
    seeds = f"seeds {args.seed}-{args.seed + args.games - 1}"
    print(format_policy_worth(result, f"Balance: scenario {path_text(args.scenario)}, {seeds}"))
    return targets_verdict(result["targets"], "policy", args.check)


def targets_verdict(targets: list[dict[str, Any]], label: str, check: bool, none_apply: str = "") -> int:
    """With --check: every failed target on one stderr line and exit 1, or "passed" (`none_apply` when no target
    applies, if given) and 0. Without it: 0 (the report already shows each target)."""
    if not check:
        return 0
    failed = [t for t in targets if not t["ok"]]
    if failed:
        print(f"{label} check failed: {'; '.join(t['target'] + ' (' + t['figure'] + ')' for t in failed)}",
              file=sys.stderr)
        return 1
    print(none_apply if none_apply and not targets else f"{label} check passed")
    return 0


CALC_LARGEST = 1e30  # far past any run (a year of every chip ever made is ~1e10 GPU-hours); beyond it, a typo


MAX_BACKTEST_GAMES = 20_000  # ~0.3 GB of figures (40 quarters x 2 sides x ~25 metrics a seed)


def cmd_backtest(args: argparse.Namespace) -> int:
    from game.content import load_content
    from game.sim.backtest import format_rows, run_backtest

    if args.sub_content:
        args.content = args.sub_content
    check_seed_range("backtest", args.seed, args.games)
    if args.games > MAX_BACKTEST_GAMES:
        raise UsageError(f"{PROG} backtest: --games {args.games:,}: at most {MAX_BACKTEST_GAMES:,} (every quarter of "
                         "every figure of every seed is held in memory)")
    content = load_content(args.content)
    check_history(content, "backtest")
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


def cmd_tune(args: argparse.Namespace) -> int:
    """tune: the options checked here, the sweep and the search in game/sim/tune.py."""
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


def cmd_calc(args: argparse.Namespace) -> int:
    from game.content import load_content
    from game.engine import physics

    if args.calc_command != "training":
        raise UsageError(f"{PROG} calc: name a calculation: training (see {PROG} calc --help)")
    content = load_content(args.content)
    chips = {c.id: c for c in content.chips}
    if args.chip not in chips:
        raise UsageError(f"{PROG} calc training: --chip {quote(args.chip)} is not in chips.toml; use one of "
                         f"{', '.join(sorted(chips))}")
    chip = chips[args.chip]
    tr = content.rules.training
    mfu = args.mfu if args.mfu is not None else tr.mfu
    if mfu > 1:
        raise UsageError(f"{PROG} calc training: --mfu {mfu:g} is above 1; give a fraction such as 0.4")
    price = args.usd_per_hour if args.usd_per_hour is not None else tr.usd_per_gpu_hour
    pue = args.pue if args.pue is not None else tr.pue
    if pue < 1:
        raise UsageError(f"{PROG} calc training: --pue {pue:g} is below 1; a datacenter uses at least its IT power")
    flops = chip.bf16_tflops * 1e12
    seconds = physics.run_seconds(args.flop, args.count, flops, mfu, tr.goodput)
    hours = physics.gpu_hours(seconds, args.count)
    mwh = physics.energy_mwh(seconds, args.count, chip.server_kw, pue)
    cost = hours * price
    figures = {"wall-clock days": seconds / physics.SECONDS_PER_DAY, "GPU-hours": hours, "energy (MWh)": mwh,
               "cost ($)": cost}
    for label, value in figures.items():
        # A subnormal --mfu (1e-320) divides to infinity; past CALC_LARGEST a figure means nothing either.
        if not math.isfinite(value) or value > CALC_LARGEST:
            raise UsageError(f"{PROG} calc training: the {label} come{'s' * (label == 'cost ($)')} out "
                             f"{'infinite' if not math.isfinite(value) else f'above {CALC_LARGEST:.0e}'}: no "
                             f"real run is that large; check --flop, --count, --mfu, --usd-per-hour and --pue")
    print(f"Training run: {args.flop:.3g} FLOP on {args.count:,} x {escape(chip.name)} "
          f"({chip.bf16_tflops:,.0f} TFLOP/s BF16), MFU {mfu:.0%}, goodput {tr.goodput:.0%}")
    print(f"  wall-clock   {seconds / physics.SECONDS_PER_DAY:,.1f} days")
    print(f"  GPU-hours    {hours / 1e6:,.3f} M")
    print(f"  energy       {mwh:,.0f} MWh (at {chip.server_kw:g} kW a chip, PUE {pue:g}; "
          f"{args.count * chip.server_kw * pue / 1000:,.1f} MW)")
    print(f"  cost         ${cost / 1e6:,.2f} M at ${price:g} per chip-hour")
    return 0


def cmd_content_check(args: argparse.Namespace) -> int:
    from game.ai import StrategyError, builtin_ids
    from game.ai.registry import known_of
    from game.atomic import kind
    from game.content import ContentErrors, content_warnings, display_name, load_content

    if args.content_command == "vocab":
        from game.vocabulary import vocabulary_text

        print(vocabulary_text(), end="")
        return 0
    if args.content_command != "check":
        raise UsageError(f"{PROG} content: name a command: check or vocab (see {PROG} content --help)")
    target = args.dir
    if target is not None and (target.endswith(".toml") or kind(Path(target)) == "file"):
        content = load_content(args.content)
        return report_check([(Path(target), path_text(target))], known_of(content.root), f"strategy OK: {path_text(target)}")
    try:
        content = load_content(args.dir or args.content)
    except ContentErrors as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return 2
    for warning in content_warnings(content):
        print(f"warning: {warning}", file=sys.stderr)
    folder = Path(content.root) / "strategies"
    files = [(path, display_name(path, Path(content.root))) for path in sorted(folder.glob("*.toml"))]
    if report_check(files, known_of(content.root), "") != 0:
        return 2
    try:
        rows = check_history(content)
    except StrategyError as exc:
        raise UsageError(str(exc)) from None
    print(f"content OK: {path_text(content.root)} - {len(content.chips)} chips, {len(content.nodes)} nodes, "
          f"{len(content.sectors)} sectors, {len(content.policies)} policies, {len(content.events)} events, "
          f"{len(content.scenarios)} scenarios, {len(builtin_ids(content.root))} strategies, "
          + (f"{rows} backtest rows" if rows else "no history.toml (nothing to backtest)"))
    return 0


def report_check(files: list[tuple[Path, str]], known: Any, ok_line: str) -> int:
    """Check strategy files: every error and warning on stderr, one a line; 2 if any error, else 0 (and
    `ok_line`, when given, on stdout)."""
    from game.ai.scripted import load_scripted
    from game.content import ContentError, ContentErrors

    errors = 0
    for path, name in files:
        try:
            strategy = load_scripted(path, name, known)
        except ContentErrors as exc:
            for line in exc.lines():
                print(line, file=sys.stderr)
            errors += len(exc.errors)
            continue
        except ContentError as exc:
            print(exc, file=sys.stderr)
            errors += 1
            continue
        for warning in strategy.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    if errors:
        return 2
    if ok_line:
        print(ok_line)
    return 0


def check_history(content: Any, command: str = "content check") -> int:
    """Check history.toml (when the folder has one): its rows, its scenarios and its runs' strategies.
    Returns the number of rows (0 without the file)."""
    from game.ai import StrategyError, load_strategy
    from game.atomic import kind
    from game.content import find_scenario
    from game.content.history import HISTORY_FILE
    from game.sim.backtest import load

    if command == "content check" and kind(Path(content.root) / HISTORY_FILE) == "missing":
        return 0
    hist = load(content)
    for run in hist.run:
        find_scenario(content, run.scenario)
        for spec in (run.us, run.cn):
            try:
                load_strategy(spec, content.root)
            except StrategyError as exc:
                raise UsageError(f"{PROG} {command}: history.toml: run {quote(run.id)}: {exc}") from None
    return len(hist.row)


def cmd_bench(args: argparse.Namespace) -> int:
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


def cmd_pbf(args: argparse.Namespace) -> int:
    from game import pbf
    from game.content import find_scenario, load_content

    content = load_content(args.content)
    if args.pbf_command == "new":
        find_scenario(content, args.scenario)
        game = pbf.new_game(args.path, scenario=args.scenario, seed=fresh_seed(args.seed), content=content)
        print(f"new game {game.game_id} (seed {game.session.seed}) in {path_text(game.path)}: both sides commit their orders for "
              f"{game.session.date()} ({PROG} pbf move PATH --side us|cn, or {PROG} play --pbf PATH --side us|cn)")
        return 0
    if args.pbf_command == "status":
        print(pbf.status(pbf.read_game(args.path, content)))
        return 0
    if args.pbf_command == "move":
        game = pbf.read_game(args.path, content)
        print(pbf.move(game, args.side, args.strategy))
        return 0
    raise UsageError(f"{PROG} pbf: name a command: new, status or move (see {PROG} pbf --help)")


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the title screen to browsers: one game process per page, on this machine unless --host says otherwise,
    every page under a key made for this launch (game/serve.py says what else it refuses)."""
    from game.content import load_content
    from game.serve import GameServer, ServeRefused, plan

    load_content(Path(args.content) if args.content else None)  # a content mistake is one line here, not per page
    try:
        listen = plan(args.host, args.port, args.public)
    except ServeRefused as exc:
        raise UsageError(f"{PROG} serve: {exc}") from None
    command = [sys.executable, "-m", "game"]
    if args.content:
        command += ["--content", str(Path(args.content).resolve())]
    if args.saves_dir:
        command += ["--saves", str(Path(args.saves_dir).resolve())]
    print(f"Serving Compute Race at {listen.url} - open it in a web browser; Ctrl+C stops the server.", flush=True)
    if not listen.local:
        where = (f"every address of this machine; from elsewhere open {listen.network_url} (or this machine's name "
                 "in place of its address)" if listen.network_url else "this address")
        print(f"{PROG} serve: --host {quote(args.host)}: listening on {where}; anyone who can reach it with the key "
              "can play (and save) here", file=sys.stderr, flush=True)
    GameServer(command, listen).serve()
    return 0


def needs_terminal(mode: str) -> None:
    """The interface reads keys from stdin and draws on stdout: refuse, in one line, when either is closed
    (`play <&-`) or stdin is no terminal (it would wait for keys that never come)."""
    where = "" if mode == "title" else " play"
    if os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver"):
        return  # served to a browser (compute-race serve): keys and screen travel over stdin/stdout as a protocol
    for name, stream in (("input", sys.stdin), ("output", sys.stdout)):
        try:
            stream.fileno()
        except (AttributeError, OSError, ValueError):
            raise UsageError(f"{PROG}{where}: the interface needs a terminal, and standard {name} is closed") from None
    if not sys.stdin.isatty():
        raise UsageError(f"{PROG}{where}: the interface needs a terminal, and standard input is not one "
                         f"(for games without one, see {PROG} sim)")


def cmd_play(args: argparse.Namespace) -> int:
    """Check everything a game needs before the interface starts, so a mistake is one line, not a screen."""
    from game.ai import load_strategy
    from game.content import find_scenario, load_content

    content = load_content(args.content)
    if args.saves_dir:
        from game.saves import saves_dir

        saves_dir(args.saves_dir)  # an unusable saves folder is one line here, not a failed autosave in the game
    pbf_side = None
    if args.command is None:
        mode = "title"
    elif args.pbf:
        mode = "pbf"
        pbf_side = pbf_turn(args, content)
        if pbf_side is None:
            return 0
    else:
        mode = "hotseat" if args.hotseat else "watch" if args.watch else "load" if args.load else "solo"
        find_scenario(content, args.scenario)
    if mode not in ("title", "pbf"):
        for spec in ((args.us, args.cn) if mode == "watch" else (args.difficulty,) if mode == "solo" else ()):
            load_strategy(spec, content.root)
        if mode == "load":
            from game.saves import read_save

            read_save(args.load)  # a bad save is one line here, not an error inside the game
    from textual.theme import BUILTIN_THEMES

    from game.tui.app import ComputeRaceApp, Launch
    from game.tui.theme import THEMES

    themes = sorted(set(BUILTIN_THEMES) | {t.name for t in THEMES})
    theme = getattr(args, "theme", "compute-race")
    if theme not in themes:
        raise UsageError(f"{PROG} play: --theme: unknown theme {quote(theme)}; use one of {', '.join(themes)}")
    needs_terminal(mode)
    launch = Launch(mode=mode, side=pbf_side or getattr(args, "side", None) or "us",
                    difficulty=getattr(args, "difficulty", "normal"),
                    scenario=getattr(args, "scenario", "2025"), seed=getattr(args, "seed", None),
                    us=getattr(args, "us", "normal"), cn=getattr(args, "cn", "hard"), load=getattr(args, "load", "") or "",
                    content_dir=args.content, saves_dir=args.saves_dir, theme=theme, pbf=getattr(args, "pbf", None) or "")
    said = ComputeRaceApp(launch).run()
    if said:
        print(said)
    return 0


def pbf_turn(args: argparse.Namespace, content) -> str | None:
    """`play --pbf`: create the file (with --side), reveal when that is this side's step, and return the side
    whose orders the planning screen takes next; None when there is nothing to plan (said in one line)."""
    from game import pbf
    from game.atomic import kind

    if kind(args.pbf) == "missing" and not pbf.is_link(args.pbf):
        if not args.side:
            raise UsageError(f"{PROG} play: --pbf {path_text(args.pbf)}: no such file; to start a game there, "
                             "say which side you play with --side us or --side cn")
        from game.content import find_scenario

        find_scenario(content, args.scenario)
        game = pbf.new_game(args.pbf, scenario=args.scenario, seed=fresh_seed(args.seed), content=content)
        print(f"new game {game.game_id} (seed {game.session.seed}) in {path_text(game.path)}")
    else:
        game = pbf.read_game(args.pbf, content)
    side = args.side or pbf.side_of(game)
    if side is None:
        raise UsageError(f"{PROG} play: --pbf {path_text(args.pbf)}: say which side you play (--side us or --side cn)")
    resumed = pbf.resume(game, side)  # checks the file against this player's record, before any planning
    if resumed:
        print(resumed)
    if game.step(side) == "reveal":
        print(pbf.reveal(game, side))
    step = game.step(side)
    if step == "commit":
        return side
    if step == "over":
        print(pbf.status(game))
        return None
    pbf.refuse_wrong_step(game, side, "commit")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    from game.ai import StrategyError
    from game.content import ContentError
    from game.engine import OrderError
    from game.engine.state import NonFiniteState
    from game.saves import SaveError

    ascii_fallback()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler = {None: cmd_play, "replay": cmd_replay, "sim": cmd_sim, "balance": cmd_balance, "calc": cmd_calc,
                   "backtest": cmd_backtest, "trace": cmd_trace, "tune": cmd_tune,
                   "content": cmd_content_check, "bench": cmd_bench, "pbf": cmd_pbf, "serve": cmd_serve,
                   "play": cmd_play}[args.command]
        code = handler(args)
        finish_output()
        return code
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (StrategyError, OrderError, SaveError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    except NonFiniteState as exc:  # the engine's guard after every quarter (sim, trace, backtest, balance, ...)
        print(f"{PROG}: {exc}: NaN and infinity never belong in the state, so a content value may be "
              "at fault (a price, cost or factor near its bound); run `compute-race content check`, and if it "
              "passes, report this as an engine bug", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): end quietly; anything to keep was written before printing.
        quiet_closed_stdout()
        return 1
    except OSError as exc:  # stdout cannot be written (a full device); what did not fit is dropped
        if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
            raise
        quiet_closed_stdout()
        print(f"{PROG}: cannot write the output ({exc.strerror})", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
