"""Change numbers in a content TOML file's text in place: every other byte (comments, layout) stays as written.

`value_spans` finds where each scalar value of a TOML text is written, by the key path tomli's data gives it
(`("chip", 3, "price_kusd")`); `replace_values` writes new numbers there and parses the result to prove that
exactly those values changed. The scanner reads the TOML the content files use (tables, arrays of tables,
dotted and quoted keys, inline tables and arrays over several lines, every kind of string); whatever it might
misread is caught by that proof, never written.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from typing import Any

import tomli

Step = str | int
Spans = dict[tuple[Step, ...], tuple[int, int]]


class EditError(Exception):
    """The value's text cannot be found or replaced safely; the message says which and why."""


_BARE = re.compile(r"[A-Za-z0-9_\-]+")
_COMMENT_GAP = re.compile(r" +#")
_SCALAR = re.compile(r"[A-Za-z0-9_+\-.:]+")  # numbers, true/false, inf/nan, dates without a space


def value_spans(text: str) -> Spans:
    """Key path -> (start, end) character offsets of every scalar value (numbers, booleans, dates, strings)."""
    return _Scanner(text).run()


def number_text(value: float, whole: bool) -> str:
    """A number as TOML writes it: a whole number bare, any other with a point or an exponent (`12.0`, `1e+25`)."""
    if whole:
        return str(int(value))
    if not math.isfinite(value):
        raise EditError(f"{value!r} is not a finite number")
    return repr(float(value))


def replace_values(text: str, changes: Mapping[tuple[Step, ...], str], spans: Spans | None = None) -> str:
    """`text` with the value at each key path written as the given TOML text. Raises EditError when a path's
    value is not written in the text (or not as one scalar) or the edited text does not parse to the old data
    with exactly these values changed."""
    spans = value_spans(text) if spans is None else spans
    data = tomli.loads(text)
    expected = copy.deepcopy(data)
    edits = []
    for steps, new in changes.items():
        if steps not in spans:
            raise EditError(f"{_shown(steps)} is not written as a value of its own")
        node: Any = expected
        for step in steps[:-1]:
            node = node[step]
        node[steps[-1]] = tomli.loads(f"v = {new}")["v"]
        edits.append((spans[steps], new))
    out = text
    for (start, end), new in sorted(edits, reverse=True):  # from the end, so earlier offsets still hold
        gap = _COMMENT_GAP.match(out, end)
        if gap:  # the comment after the value keeps its column (at least one space before it)
            end = gap.end() - 1
            new = new.ljust(len(new) + max(gap.end() - 1 - start - len(new), 1))
        out = out[:start] + new + out[end:]
    try:
        got = tomli.loads(out)
    except tomli.TOMLDecodeError as exc:
        raise EditError(f"the edited text is not TOML ({exc})") from None
    if got != expected:
        raise EditError(f"replacing {', '.join(_shown(s) for s in changes)} changed other values too")
    return out


def _shown(steps: tuple[Step, ...]) -> str:
    return ".".join(str(s) for s in steps)


class _Scanner:
    """One pass over a TOML text, keeping the table each key belongs to (arrays of tables by index)."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.spans: Spans = {}
        self.arrays: dict[tuple[Step, ...], int] = {}  # an array of tables -> how many items it has so far

    def fail(self, what: str) -> EditError:
        line = self.s.count("\n", 0, self.i) + 1
        return EditError(f"cannot read line {line}: {what}")

    def run(self) -> Spans:
        table: tuple[Step, ...] = ()
        while True:
            self.skip(newlines=True)
            if self.i >= len(self.s):
                return self.spans
            if self.s.startswith("[[", self.i):
                self.i += 2
                keys = self.keys()
                self.expect("]]")
                parent = self.resolve(keys[:-1])
                array = (*parent, keys[-1])
                index = self.arrays.get(array, 0)
                self.arrays[array] = index + 1
                table = (*array, index)
            elif self.s.startswith("[", self.i):
                self.i += 1
                table = self.resolve(self.keys())
                self.expect("]")
            else:
                keys = self.keys()
                self.expect("=")
                self.value((*table, *keys))
            self.skip(newlines=False)
            if self.i < len(self.s) and self.s[self.i] != "\n":
                raise self.fail("expected the end of the line")

    def resolve(self, keys: list[str]) -> tuple[Step, ...]:
        """A header's keys as a path, each array of tables in it standing for its last item so far."""
        path: tuple[Step, ...] = ()
        for key in keys:
            path = (*path, key)
            if path in self.arrays:
                path = (*path, self.arrays[path] - 1)
        return path

    def skip(self, newlines: bool) -> None:
        """Past spaces and comments (and line ends when `newlines`)."""
        s = self.s
        while self.i < len(s):
            ch = s[self.i]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.i += 1
            elif ch == "#":
                end = s.find("\n", self.i)
                self.i = len(s) if end < 0 else end
            else:
                return

    def expect(self, token: str) -> None:
        self.skip(newlines=False)
        if not self.s.startswith(token, self.i):
            raise self.fail(f"expected {token!r}")
        self.i += len(token)

    def keys(self) -> list[str]:
        """A dotted key: bare, "basic" or 'literal' parts."""
        out = []
        while True:
            self.skip(newlines=False)
            start = self.i
            ch = self.s[self.i] if self.i < len(self.s) else ""
            if ch in "\"'":
                self.string()
                out.append(tomli.loads(f"k = {self.s[start:self.i]}")["k"])
            else:
                m = _BARE.match(self.s, self.i)
                if not m:
                    raise self.fail("expected a key")
                out.append(m.group())
                self.i = m.end()
            self.skip(newlines=False)
            if not self.s.startswith(".", self.i):
                return out
            self.i += 1

    def string(self) -> None:
        """Past one string of any of TOML's four kinds."""
        s = self.s
        for quote, escapes in (('"""', True), ("'''", False)):
            if s.startswith(quote, self.i):
                j = self.i + 3
                while True:
                    if j >= len(s):
                        raise self.fail("a string is not closed")
                    if escapes and s[j] == "\\":
                        j += 2
                    elif s.startswith(quote, j):
                        j += 3
                        for _ in range(2):  # a closing """ may follow up to two quotes of the string's own
                            if j < len(s) and s[j] == quote[0]:
                                j += 1
                        self.i = j
                        return
                    else:
                        j += 1
        quote = s[self.i]
        j = self.i + 1
        while j < len(s) and s[j] != quote:
            if s[j] == "\n":
                break
            j += 2 if quote == '"' and s[j] == "\\" else 1
        if j >= len(s) or s[j] != quote:
            raise self.fail("a string is not closed")
        self.i = j + 1

    def value(self, path: tuple[Step, ...]) -> None:
        self.skip(newlines=False)
        s = self.s
        start = self.i
        ch = s[self.i] if self.i < len(s) else ""
        if ch in "\"'":
            self.string()
        elif ch == "[":
            self.i += 1
            index = 0
            while True:
                self.skip(newlines=True)
                if s.startswith("]", self.i):
                    self.i += 1
                    return
                self.value((*path, index))
                index += 1
                self.skip(newlines=True)
                if s.startswith(",", self.i):
                    self.i += 1
                elif not s.startswith("]", self.i):
                    raise self.fail("expected ',' or ']' in a list")
        elif ch == "{":
            self.i += 1
            while True:
                self.skip(newlines=True)
                if s.startswith("}", self.i):
                    self.i += 1
                    return
                keys = self.keys()
                self.expect("=")
                self.value((*path, *keys))
                self.skip(newlines=True)
                if s.startswith(",", self.i):
                    self.i += 1
                elif not s.startswith("}", self.i):
                    raise self.fail("expected ',' or '}' in an inline table")
        else:
            m = _SCALAR.match(s, self.i)
            if not m:
                raise self.fail("expected a value")
            self.i = m.end()
        self.spans[path] = (start, self.i)
