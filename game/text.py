"""How text from outside the program is shown: one line, non-printing characters escaped, long values cut.

Every key, id, value, file name and path that comes from a file, the command line or a player goes through
these before it reaches a message, and every error the program shows a user (`OneLine`) is made one line as a
last guard, so a key such as "\\n" or a 400-digit number can never break a message over two lines.
Kept free of the rest of the game so that anything may use it.
"""

from __future__ import annotations

import re
from typing import Any

SHOWN_CHARS = 60        # a value longer than this is cut (the start says enough to find it)
MESSAGE_CHARS = 600     # a whole message is cut at this length
BIG_DIGITS = 15         # a whole number longer than this is described by its length, not printed
_BARE_KEY = re.compile(r"[A-Za-z0-9_\-]{1,40}")  # used with fullmatch: "$" would let "a\n" through
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What a terminal acts on instead of showing: the C0 controls (ESC starts the sequences that retitle a window or
# paint the screen), DEL, the C1 controls (0x9b is a one-byte CSI) and the bidirectional embeddings, overrides and
# isolates that reorder what is shown around them.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL_OR_BREAK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # but tab, newline
CONTROL_CODES = frozenset(code for code in range(0x2070) if CONTROL.match(chr(code)))


def escape(text: str) -> str:
    """`text` with every character that is not printable on one line written as an escape (\\n, \\x1b, \\u2028)."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        elif ch in _NAMED:
            out.append(_NAMED[ch])
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


def shown(text: str) -> str:
    """Text of several lines from outside (a description, a report) as the screen or a stream shows it: lines and
    tabs kept, every other character that is not printable written as an escape (a terminal never acts on it)."""
    if text.isprintable():
        return text
    return "\n".join("\t".join(escape(part) for part in line.split("\t")) for line in text.split("\n"))


def first_control(text: str, lines: bool = False) -> int | None:
    """Where the first character a terminal would act on is in `text` (newlines and tabs are allowed with
    `lines`), or None: what a file's text may not hold."""
    found = (CONTROL_OR_BREAK if lines else CONTROL).search(text)
    return found.start() if found else None


def cut(text: str, limit: int = SHOWN_CHARS) -> str:
    """At most `limit` characters, the cut marked with '...'."""
    return text if len(text) <= limit else text[:max(limit - 3, 1)] + "..."


def digits_of(value: int) -> int:
    """How many decimal digits a whole number has, without printing it (a 5,000-digit int cannot be printed)."""
    n = abs(value)
    estimate = max(int(n.bit_length() * 0.30102999566398120), 1)   # log10(2): exact or one short
    power: int = 10 ** estimate   # an int: estimate >= 1
    return estimate + (n >= power)


def quote(value: Any, limit: int = SHOWN_CHARS) -> str:
    """A value from input as a message shows it: text quoted and escaped, numbers as written, cut when long."""
    if isinstance(value, str):
        body = escape(value.replace("\\", "\\\\").replace("'", "\\'"))
        return "'" + cut(body, limit) + "'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        digits = digits_of(value)
        if digits > BIG_DIGITS:
            return f"a whole number of {digits:,} digits"
        return str(value)
    if value is None:
        return "null"
    return cut(escape(repr(value)), limit)


def key_text(name: Any) -> str:
    """A key in a key path: bare when it is a plain name (letters, digits, '_' and '-'), else quoted."""
    if isinstance(name, str) and _BARE_KEY.fullmatch(name):
        return name
    if isinstance(name, int) and not isinstance(name, bool):
        return quote(name)
    return quote(str(name), 30)


def join(path: str, name: Any) -> str:
    """`path.name`, the name shown as `key_text` shows it."""
    return f"{path}.{key_text(name)}" if path else key_text(name)


def path_text(path: Any) -> str:
    """A file or folder path: as it is when printable, quoted and escaped otherwise; long ones cut."""
    text = str(path)
    if text.isprintable() and len(text) <= 200:
        return text
    return quote(text, 80)


def one_line(message: str, limit: int = MESSAGE_CHARS) -> str:
    """A message made safe to print on one line: non-printing characters escaped, cut at `limit`."""
    return cut(escape(message), limit)


class OneLine:
    """Mixin for an error shown to a user: whatever went into it, its text is one line."""

    def __str__(self) -> str:
        return one_line(super().__str__())


def change_text(op: str, value: float) -> str:
    """An effect's change as a player reads it: `+1`, `−25` (a minus sign, never `+-25`), `×0.5`, `= 1`."""
    if op == "add":
        return f"{'−' if value < 0 else '+'}{abs(value):g}"
    return f"{'×' if op == 'mul' else '= '}{value:g}"
