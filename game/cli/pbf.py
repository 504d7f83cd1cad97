"""`compute-race pbf`: play by file without the interface: a new game file, its status, a strategy's move."""

from __future__ import annotations

import argparse

from game.cli.args import path_arg, seed_int
from game.cli.base import PROG, Command, Parser, UsageError, content_option
from game.cli.common import fresh_seed
from game.text import path_text


def add_arguments(pbf: Parser) -> None:
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
    for parser in (pbf, pbf_new, pbf_status, pbf_move):
        content_option(parser)


def run(args: argparse.Namespace) -> int:
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


COMMAND = Command("pbf", "play by file without the interface: new game, status, a strategy's move", add_arguments, run)
