"""Argument types the commands share (each refuses bad text with argparse's one-line error) and the limits
they hold options to."""

from __future__ import annotations

import argparse

from game.text import quote

# At most this many games in one call (for balance: over all pairings and seatings). A game's record takes
# about a kilobyte in memory and a million games take hours at ~100 games a second a core, so more is a typing
# mistake, not a plan; `balance --games 10000` over all seven strategies (490,000 games) fits.
MAX_GAMES = 1_000_000
MAX_SEED = 2**63 - 1
MAX_TRIALS = 10_000  # each trial plays a balance or backtest run: more is a typing mistake, not a plan
MAX_BACKTEST_GAMES = 20_000  # ~0.3 GB of figures (40 quarters x 2 sides x ~25 metrics a seed)


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


def games_int(text: str) -> int:
    return whole_number(text, 1, MAX_GAMES, f"a number of games from 1 to {MAX_GAMES:,}")


def trials_int(text: str) -> int:
    return whole_number(text, 1, MAX_TRIALS, f"a number of trials from 1 to {MAX_TRIALS:,}")


def seed_int(text: str) -> int:
    return whole_number(text, 0, MAX_SEED, "a seed from 0 to 2^63-1")


def port_int(text: str) -> int:
    return whole_number(text, 1, 65535, "a port from 1 to 65535")


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
