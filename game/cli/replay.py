"""`compute-race replay`: a save replayed headless, turn by turn, each turn's digest held against the save's."""

from __future__ import annotations

import argparse
import sys

from game.cli.args import path_arg, positive_int
from game.cli.base import PROG, Command, Parser, content_option


def add_arguments(replay: Parser) -> None:
    replay.add_argument("path", metavar="PATH", type=path_arg, help="the save (.json)")
    replay.add_argument("--verify", action="store_true", help="exit 1 if any turn's digest differs from the save's")
    replay.add_argument("--to", type=positive_int, metavar="TURN", help="stop after this many turns")
    content_option(replay)


def run(args: argparse.Namespace) -> int:
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


COMMAND = Command("replay", "replay a save headless, turn by turn", add_arguments, run)
