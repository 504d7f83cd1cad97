"""`compute-race calc`: real-world arithmetic with the engine's own functions."""

from __future__ import annotations

import argparse
import math

from game.cli.args import positive_float, positive_int
from game.cli.base import PROG, Command, Parser, UsageError, content_option
from game.text import escape, quote

CALC_LARGEST = 1e30  # far past any run (a year of every chip ever made is ~1e10 GPU-hours); beyond it, a typo


def add_arguments(calc: Parser) -> None:
    calc_sub = calc.add_subparsers(dest="calc_command", parser_class=Parser)
    tr = calc_sub.add_parser("training", help="days, GPU-hours, energy and cost of a training run")
    tr.add_argument("--flop", type=positive_float, required=True, help="training compute in FLOP, e.g. 3.8e25")
    tr.add_argument("--chip", required=True, help="chip id from chips.toml, e.g. h100")
    tr.add_argument("--count", type=positive_int, required=True, help="number of chips")
    tr.add_argument("--mfu", type=positive_float, help="model FLOP utilisation (default from rules.toml)")
    tr.add_argument("--usd-per-hour", type=positive_float, help="rental price per chip-hour (default from rules.toml)")
    tr.add_argument("--pue", type=positive_float, help="datacenter power usage effectiveness (default from rules.toml)")
    content_option(calc)
    content_option(tr)


def run(args: argparse.Namespace) -> int:
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


COMMAND = Command("calc", "real-world arithmetic with the engine's own functions", add_arguments, run)
