"""Turn parsed TOML into frozen attrs classes, naming file and key path on every error."""

from __future__ import annotations

import math
import types
import typing
from typing import Any

import attrs

from game.text import BIG_DIGITS, digits_of, join, one_line, path_text, quote


class ContentError(Exception):
    """A content file that does not match the schema: says file, key path, expected and found."""

    def __init__(self, file: str, path: str, message: str) -> None:
        self.file = file
        self.path = path
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{path_text(self.file)}: {self.path}" if self.path else path_text(self.file)
        return one_line(f"{where}: {self.message}")


def spec(default: Any = attrs.NOTHING, *, min: float | None = None, max: float | None = None,
         choices: tuple[str, ...] | None = None, doc: str = "") -> Any:
    """An attrs field with the bounds the loader checks."""
    meta = {"min": min, "max": max, "choices": choices, "doc": doc}
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

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, message: str) -> ContentError:
        return ContentError(self.file, path, message)

    def build(self, cls: type, data: Any, path: str = "") -> Any:
        if not isinstance(data, dict):
            raise self.fail(path, f"expected a table, found {describe(data)}")
        hints = typing.get_type_hints(cls)
        fields = attrs.fields(cls)
        known = {f.name for f in fields}
        for key in data:
            if key not in known:
                allowed = ", ".join(sorted(known))
                raise self.fail(join(path, key), f"unknown key (allowed here: {allowed})")
        values = {}
        for f in fields:
            sub = join(path, f.name)
            if f.name not in data:
                if f.default is attrs.NOTHING:
                    raise self.fail(sub, f"missing key, expected {type_name(hints[f.name])}")
                continue
            values[f.name] = self.convert(hints[f.name], data[f.name], sub, f.metadata)
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
            items = [self.convert(item_type, v, f"{path}[{i}]", meta) for i, v in enumerate(value)]
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
            choices = meta.get("choices")
            if choices and value not in choices:
                raise self.fail(path, f"expected one of {', '.join(choices)}, found {quote(value)}")
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
            lo, hi = meta.get("min"), meta.get("max")
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
