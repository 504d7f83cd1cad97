"""How the command line writes to its streams: symbols fall back to ASCII where the output encoding lacks them,
and a reader that goes away (a closed pipe) ends the program quietly."""

from __future__ import annotations

import codecs
import io
import os
import sys
import unicodedata
from typing import Any

# The symbols the game prints, each with a fallback that reads the same in plain ASCII.
ASCII_FALLBACK = {
    "\u2013": "-", "\u2014": "--", "\u2192": "->", "\u2190": "<-", "\u25b2": "^", "\u25bc": "v", "\u25a0": "#",
    "\u00b1": "+/-", "\u2713": "ok", "\u2717": "x", "\u2026": "...", "\u00d7": "x", "\u2264": "<=", "\u2265": ">=",
    "\u2248": "~", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00b7": ".", "\u2022": "*",
    "\u00a0": " ",
}
ERRORS = "compute-race-ascii"


def ascii_text(ch: str) -> str:
    """One character as ASCII: the table's fallback, else its letters without accents, else '?'."""
    if ch in ASCII_FALLBACK:
        return ASCII_FALLBACK[ch]
    bare = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
    return bare if bare.isprintable() and bare else "?"


def _replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(ascii_text(ch) for ch in exc.object[exc.start:exc.end]), exc.end


codecs.register_error(ERRORS, _replace)


def can_encode(stream: Any, text: str) -> bool:
    try:
        text.encode(stream.encoding or "ascii")   # strict: stderr's backslashreplace would print \u2013
    except (UnicodeError, LookupError, AttributeError, TypeError):
        return False
    return True


def ascii_fallback() -> None:
    """Let stdout and stderr write what their encoding cannot (LC_ALL=C, PYTHONIOENCODING=ascii) as ASCII,
    instead of failing part-way through a report. A stream that encodes every symbol is left as it is."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or can_encode(stream, "".join(ASCII_FALLBACK)):
            continue
        if not isinstance(stream, io.TextIOWrapper):
            continue  # not a text stream we can change (a test's capture): leave it
        try:
            stream.reconfigure(errors=ERRORS)
        except (ValueError, OSError):
            pass  # not a text stream we can change (a test's capture, a closed stream): leave it


def finish_output() -> None:
    """Flush stdout now, so that a closed pipe shows up here (as BrokenPipeError) and not at exit."""
    if sys.stdout is not None:
        sys.stdout.flush()


def quiet_closed_stdout() -> None:
    """After a BrokenPipeError: point stdout at the null device, so the interpreter's last flush has nowhere
    to fail (the usual recipe; see the `signal` module's notes on SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # no real file behind stdout (a test's capture): nothing will be flushed at exit
