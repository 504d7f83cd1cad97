"""`compute-race content`: check a content folder (or one strategy file), or list the names content may use."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game.cli.args import path_arg
from game.cli.base import PROG, Command, Parser, UsageError, content_option
from game.text import path_text

if TYPE_CHECKING:
    from game.ai.scripted import Known


def add_arguments(content: Parser) -> None:
    content_sub = content.add_subparsers(dest="content_command", parser_class=Parser)
    check = content_sub.add_parser("check", help="validate every file in a content folder, or one strategy file")
    check.add_argument("dir", nargs="?", type=path_arg,
                       help="the folder, or a strategy .toml checked against --content (default: the built-in content)")
    vocab = content_sub.add_parser("vocab", help="every name content and strategies may use, with its meaning and unit")
    for parser in (content, check, vocab):
        content_option(parser)


def run(args: argparse.Namespace) -> int:
    from game.ai import StrategyError, builtin_ids
    from game.ai.registry import known_of
    from game.atomic import kind
    from game.content import ContentErrors, content_warnings, display_name, load_content
    from game.content.history import HISTORY_FILE
    from game.sim.backtest import check_history

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
    rows = 0
    if kind(Path(content.root) / HISTORY_FILE) != "missing":  # a mod need not backtest
        try:
            rows = len(check_history(content).row)
        except StrategyError as exc:
            raise UsageError(f"{PROG} content check: {exc}") from None
    print(f"content OK: {path_text(content.root)} - {len(content.chips)} chips, {len(content.nodes)} nodes, "
          f"{len(content.sectors)} sectors, {len(content.policies)} policies, {len(content.events)} events, "
          f"{len(content.scenarios)} scenarios, {len(builtin_ids(content.root))} strategies, "
          + (f"{rows} backtest rows" if rows else "no history.toml (nothing to backtest)"))
    return 0


def report_check(files: list[tuple[Path, str]], known: Known, ok_line: str) -> int:
    """Check strategy files (game/ai/scripted.py): every error and warning on stderr, one a line; 2 if any error,
    else 0 (and `ok_line`, when given, on stdout)."""
    from game.ai.scripted import check_scripted

    checked = check_scripted(files, known)
    for line in checked.lines:
        print(line, file=sys.stderr)
    if checked.errors:
        return 2
    if ok_line:
        print(ok_line)
    return 0


COMMAND = Command("content", "check a content folder", add_arguments, run)
