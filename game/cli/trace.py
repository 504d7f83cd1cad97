"""`compute-race trace`: one game's state quarter by quarter, for the fields named."""

from __future__ import annotations

import argparse

from game.cli.args import path_arg, seed_int
from game.cli.base import PROG, Command, Parser, UsageError, content_option
from game.cli.common import check_json_path, checked_inputs
from game.text import path_text, quote


def add_arguments(trace: Parser) -> None:
    trace.add_argument("--us", default="normal", help="US strategy: a built-in id or a .toml path (default normal)")
    trace.add_argument("--cn", default="normal", help="China strategy: a built-in id or a .toml path (default normal)")
    trace.add_argument("--seed", type=seed_int, default=1, help="the game's seed (default 1)")
    trace.add_argument("--scenario", default="2025", help="scenario id or path (default 2025)")
    trace.add_argument("--fields", metavar="F1,F2,...",
                       help="names from game/schema.py (default: track, capability, compute, fleet, treasury, "
                            "revenue, self-sufficiency); --list shows them all")
    trace.add_argument("--csv", metavar="PATH", type=path_arg, help="write the table as CSV instead of printing it")
    trace.add_argument("--list", action="store_true", help="list every field a trace may name, with its unit")
    content_option(trace)


def run(args: argparse.Namespace) -> int:
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


COMMAND = Command("trace", "one game's state quarter by quarter, for the fields you name", add_arguments, run)
