"""What several commands do around their games: inputs checked before the first game (seeds, strategies, the
--json path), workers held to the cores, the results written as JSON, a --check verdict, a new game's seed."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.cli.args import MAX_SEED
from game.cli.base import PROG, UsageError
from game.text import path_text

if TYPE_CHECKING:
    from game.content import Content


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


def fresh_seed(seed: int | None) -> int:
    """The seed asked for, or a new one for a new game (chosen here, outside the engine)."""
    from game.settings import new_seed

    return new_seed() if seed is None else seed


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
    """Write JSON atomically. When the path cannot be written after the games were played, the results are kept
    in a new file in the temp folder (game/atomic.py write_or_keep) and the one-line error says where."""
    from game.atomic import KeptElsewhere, write_or_keep

    payload = (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")
    try:
        write_or_keep(path, payload, prefix=f"{PROG}-", suffix=".json")
    except KeptElsewhere as exc:
        where = f"the results were written to {path_text(exc.kept)} instead" if exc.kept else "the results could not be kept"
        raise UsageError(f"{PROG}: --json {path_text(path)}: {exc.reason}; {where}") from None


def checked_inputs(args: argparse.Namespace, command: str, strategies: Sequence[str]) -> Content:
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

