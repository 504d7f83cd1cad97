"""Turn parsed TOML into frozen attrs classes, naming file and key path on every error."""

from __future__ import annotations

import difflib
import math
import re
import types
import typing
from typing import Any

import attrs

from game.text import BIG_DIGITS, digits_of, first_control, join, one_line, path_text, quote


class ContentError(Exception):
    """A content file that does not match the schema: says file, key path, expected and found."""

    def __init__(self, file: str, path: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.path = path
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{path_text(self.file)}: {self.path}" if self.path else path_text(self.file)
        line = f" (line {self.line})" if self.line is not None else ""
        return one_line(f"{where}: {self.message}{line}")


class ContentErrors(ContentError):
    """Several content errors found in one pass; shown as the first, with a count (`lines()` gives them all)."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.file, first.path, first.message, first.line)

    def __str__(self) -> str:
        more = len(self.errors) - 1
        text = ContentError.__str__(self)
        if more:
            text += f" (and {more} more error{'s' * (more != 1)}: `compute-race content check` lists them all)"
        return text

    def lines(self) -> list[str]:
        return [ContentError.__str__(e) for e in self.errors]


class Broken(Exception):
    """A table that failed to build; its errors are already in the loader's list."""


def did_you_mean(found: Any, known: Any) -> str:
    """' (did you mean 'x'?)' for a near miss among `known`, else ''."""
    if not isinstance(found, str):
        return ""
    close = difflib.get_close_matches(found, [k for k in known if isinstance(k, str)], n=1, cutoff=0.75)
    return f" (did you mean {quote(close[0])}?)" if close else ""


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_STEP = re.compile(r"([^.\[]+)|\[(\d+)\]")


def path_steps(path: str) -> list[str | int]:
    """`chip[15].node` as ['chip', 15, 'node'] (quoted keys are not looked for)."""
    return [int(m.group(2)) if m.group(2) is not None else m.group(1) for m in _STEP.finditer(path)]


class LineIndex:
    """Where a file's tables and keys are written, found in one pass over its text, and each table's keys in one
    pass over that table the first time a key in it is asked for: the lines of thousands of errors and warnings
    (a strategy of 5,000 phases warns about each) cost no rescan of the file for each."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.starts: list[int] = []                          # each [table] or [[array]] header's line, in order
        self.first: dict[tuple[str | int, ...], int] = {}    # a header's key path -> its first place in starts
        self.keys: dict[int, dict[str, int]] = {}            # table (-1: before the first header) -> key -> line
        counts: dict[str, int] = {}
        for no, line in enumerate(self.lines):
            m = _HEADER.match(line)
            if not m:
                continue
            names: list[str | int] = list(m.group(2).split("."))
            if m.group(1) == "[[":
                key = m.group(2)
                names.append(counts.get(key, 0))
                counts[key] = counts.get(key, 0) + 1
            self.first.setdefault(tuple(names), len(self.starts))
            self.starts.append(no)

    def span(self, table: int) -> range:
        """The lines of a table's own keys: after its header, up to the next header (table -1: the file's top)."""
        end = self.starts[table + 1] if table + 1 < len(self.starts) else len(self.lines)
        return range(self.starts[table] + 1 if table >= 0 else 0, end)

    def key_line(self, table: int, key: str) -> int | None:
        if not _BARE.fullmatch(key):  # a key that cannot be written bare: looked for the slow way, in one table
            pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
            return next((no for no in self.span(table) if pattern.match(self.lines[no])), None)
        if table not in self.keys:
            found: dict[str, int] = {}
            for no in self.span(table):
                m = _KEY.match(self.lines[no])
                if m:
                    found.setdefault(m.group(1), no)
            self.keys[table] = found
        return self.keys[table].get(key)

    def line(self, path: str) -> int | None:
        """The line a key path is written on, when the file's tables say so: the key's own line inside the
        longest matching [table] or [[array]] header, else that header's line; None if nothing matches."""
        steps = path_steps(path)
        if not self.text or not steps:
            return None
        table, depth = -1, 0
        for k in range(len(steps), 0, -1):  # the longest header the path starts with, its first if written twice
            found = self.first.get(tuple(steps[:k]))
            if found is not None:
                table, depth = found, k
                break
        rest = steps[depth:]
        if rest and isinstance(rest[0], str):
            at = self.key_line(table, rest[0])
            if at is not None:
                return at + 1
        return self.starts[table] + 1 if table >= 0 else None


_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")
_BARE = re.compile(r"[A-Za-z0-9_\-]+")


def spec(default: Any = attrs.NOTHING, *, min: float | None = None, max: float | None = None,
         above: float | None = None, choices: tuple[str, ...] | None = None, lines: bool = False,
         doc: str = "") -> Any:
    """An attrs field with the bounds the loader checks (`above`: a bound the value may not equal, for a figure
    the rules divide by; `lines`: text that may hold newlines and tabs)."""
    meta = {"min": min, "max": max, "above": above, "choices": choices, "lines": lines, "doc": doc}
    if isinstance(default, (list, dict)):
        value = default
        return attrs.field(factory=lambda: type(value)(value), metadata=meta)
    return attrs.field(default=default, metadata=meta)


def describe(value: Any) -> str:
    """How a found value is named in an error message."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int) and digits_of(value) > BIG_DIGITS:
        return quote(value)
    if isinstance(value, (int, float)):
        return f"number {quote(value)}"
    if isinstance(value, str):
        return f"string {quote(value)}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class Loader:
    """Builds one file's classes; remembers the file name for messages."""

    def __init__(self, file: str, text: str = "", data: Any = None, sink: list[ContentError] | None = None) -> None:
        self.file = file
        self.text = text
        self.data = data
        self.sink = sink  # when given, errors are collected there and building goes on
        self.index: LineIndex | None = None  # built at the first error: a file without one is never indexed

    def fail(self, path: str, message: str) -> ContentError:
        """An error at `path`: a list item named by its id where it has one (chip 'h20', not chip[15]),
        with the line it is written on where the file says."""
        if self.index is None:
            self.index = LineIndex(self.text)
        return ContentError(self.file, self.named(path), message, self.index.line(path))

    def named(self, path: str) -> str:
        """`chip[15].node` as `chip 'h20'.node` when item 15 of the file's `chip` list has the id 'h20'."""
        m = re.match(r"([A-Za-z_]+)\[(\d+)\]", path)
        if not m or not isinstance(self.data, dict):
            return path
        items = self.data.get(m.group(1))
        i = int(m.group(2))
        if isinstance(items, list) and i < len(items) and isinstance(items[i], dict) \
                and isinstance(items[i].get("id"), str):
            return f"{m.group(1)} {quote(items[i]['id'])}{path[m.end():]}"
        return path

    def note(self, error: ContentError) -> None:
        """Record an error (collecting) or raise it."""
        if self.sink is None:
            raise error
        self.sink.append(error)

    def error(self, path: str, message: str) -> None:
        self.note(self.fail(path, message))

    def build(self, cls: type, data: Any, path: str = "") -> Any:
        if not isinstance(data, dict):
            raise self.fail(path, f"expected a table, found {describe(data)}")
        hints = typing.get_type_hints(cls)
        fields = attrs.fields(cls)
        known = {f.name for f in fields}
        bad = False
        for key in data:
            if key not in known:
                allowed = ", ".join(sorted(known))
                self.error(join(path, key), f"unknown key{did_you_mean(key, known)} (allowed here: {allowed})")
                bad = True
        values = {}
        for f in fields:
            sub = join(path, f.name)
            if f.name not in data:
                if f.default is attrs.NOTHING:
                    self.error(sub, f"missing key, expected {type_name(hints[f.name])}")
                    bad = True
                continue
            try:
                values[f.name] = self.convert(hints[f.name], data[f.name], sub, f.metadata)
            except Broken:
                bad = True
            except ContentError as exc:
                self.note(exc)
                bad = True
        if bad:
            raise Broken
        return cls(**values)

    def convert(self, tp: Any, value: Any, path: str, meta: Any = None) -> Any:
        meta = meta or {}
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            if value is None and type(None) in args:
                return None
            inner = [a for a in args if a is not type(None)]
            return self.convert(inner[0], value, path, meta)
        if attrs.has(tp):
            return self.build(tp, value, path)
        if origin in (tuple, list):
            if not isinstance(value, list):
                raise self.fail(path, f"expected a list, found {describe(value)}")
            item_type = args[0]
            items, bad = [], False
            for i, v in enumerate(value):
                try:
                    items.append(self.convert(item_type, v, f"{path}[{i}]", meta))
                except Broken:
                    bad = True
                except ContentError as exc:
                    self.note(exc)
                    bad = True
            if bad:
                raise Broken
            return tuple(items)
        if origin is dict:
            if not isinstance(value, dict):
                raise self.fail(path, f"expected a table, found {describe(value)}")
            return {k: self.convert(args[1], v, join(path, k), meta) for k, v in value.items()}
        if tp is bool:
            if not isinstance(value, bool):
                raise self.fail(path, f"expected true or false, found {describe(value)}")
            return value
        if tp is str:
            if not isinstance(value, str):
                raise self.fail(path, f"expected a string, found {describe(value)}")
            at = first_control(value, lines=bool(meta.get("lines")))
            if at is not None:
                # Shown as it is, ESC [ or ESC ] would paint the player's screen or retitle the window.
                raise self.fail(path, f"expected text without control characters, found {quote(value[at])} at "
                                      f"character {at + 1} of {quote(value)}; remove it")
            choices = meta.get("choices")
            if choices and value not in choices:
                raise self.fail(path, f"expected one of {', '.join(choices)}, found {quote(value)}"
                                      f"{did_you_mean(value, choices)}")
            return value
        if tp in (int, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.fail(path, f"expected a number, found {describe(value)}")
            if isinstance(value, int) and abs(value) >= WHOLE_LIMIT:
                # Checked before any float arithmetic: a 400-digit int overflows float().
                raise self.fail(path, f"expected a number of at most {MAGNITUDE:g} in size, found {describe(value)}")
            if tp is int and not (isinstance(value, int) or float(value).is_integer()):
                raise self.fail(path, f"expected a whole number, found {describe(value)}")
            if not math.isfinite(value):
                raise self.fail(path, f"expected a finite number, found {describe(value)}")
            if abs(value) > MAGNITUDE and meta.get("max") is None:
                # No figure of the race comes near this; past it the engine's arithmetic overflows.
                raise self.fail(path, f"expected a number of at most {MAGNITUDE:g} in size, found {describe(value)}")
            lo, hi, above = meta.get("min"), meta.get("max"), meta.get("above")
            if above is not None and not value > above:
                raise self.fail(path, f"expected a number > {above:g}, found {describe(value)}")
            if lo is not None and value < lo:
                raise self.fail(path, f"expected a number >= {lo}, found {describe(value)}")
            if hi is not None and value > hi:
                raise self.fail(path, f"expected a number <= {hi}, found {describe(value)}")
            return tp(value)
        raise TypeError(f"schema type {tp!r} is not supported")  # a bug in the schema, not in content


MAGNITUDE = 1e12  # the largest content figure is ~5e9 (research compute, EFLOP per quarter)
WHOLE_LIMIT = 2**63  # no whole number in content comes near; beyond it nothing is read as a number


def type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if attrs.has(tp):
        return "a table"
    if origin in (list, tuple):
        return "a list"
    if origin is dict:
        return "a table"
    if origin in (typing.Union, types.UnionType):
        return type_name([a for a in typing.get_args(tp) if a is not type(None)][0])
    return {bool: "true or false", str: "a string", int: "a whole number", float: "a number"}.get(tp, str(tp))
