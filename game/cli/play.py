"""`compute-race play` (and `compute-race` with no command, the title screen): everything a game needs is
checked here, then the Textual app starts. Textual is imported only here (and by bench --ui)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from game.cli.args import path_arg, seed_int
from game.cli.base import PROG, Command, Parser, UsageError, content_option
from game.cli.common import fresh_seed
from game.text import path_text, quote

if TYPE_CHECKING:
    from game.content import Content


def add_arguments(play: Parser) -> None:
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
    content_option(play)


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


def run(args: argparse.Namespace) -> int:
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


def pbf_turn(args: argparse.Namespace, content: Content) -> str | None:
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


COMMAND = Command("play", "play in the terminal (no command: the title screen)", add_arguments, run)
