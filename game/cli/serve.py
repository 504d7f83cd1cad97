"""`compute-race serve`: the game served to web browsers (textual-serve), one game process per page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.args import port_int
from game.cli.base import PROG, Command, Parser, UsageError, content_option
from game.text import quote


def add_arguments(serve: Parser) -> None:
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only; any other address opens it "
                            "to whoever can reach that address and has the printed key)")
    serve.add_argument("--port", type=port_int, default=8000, help="port (default 8000)")
    serve.add_argument("--public", action="store_true",
                       help="allow a --host of every address (0.0.0.0, ::, '' or *): the whole network can reach it")
    content_option(serve)


def run(args: argparse.Namespace) -> int:
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


COMMAND = Command("serve", "serve the game to a web browser (textual-serve)", add_arguments, run)
