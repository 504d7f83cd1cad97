"""A small TOML writer for the fuzz tests (the content files' shapes: tables, arrays of tables, inline tables)."""

from __future__ import annotations

import math


def value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        if abs(v) >= 10**4000:  # past Python's printing limit: written by hand, so a file can hold it
            return str(v // 10**2000) + str(abs(v) % 10**2000).zfill(2000)
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return string(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def key(k: str) -> str:
    return k if k and all(c.isascii() and (c.isalnum() or c in "_-") for c in k) else string(k)


def string(s: str) -> str:
    """A TOML basic string: quotes and backslashes escaped, control characters (and DEL) as \\uXXXX."""
    out = []
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def is_table_array(v) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def dumps(doc: dict, prefix: str = "") -> str:
    lines = []
    for k, v in doc.items():
        if not isinstance(v, dict) and not is_table_array(v):
            lines.append(f"{key(k)} = {value(v)}")
    for k, v in doc.items():
        name = f"{prefix}{key(k)}"
        if isinstance(v, dict):
            lines.append(f"\n[{name}]")
            lines.append(dumps(v, name + "."))
        elif is_table_array(v):
            for item in v:
                lines.append(f"\n[[{name}]]")
                lines.append(dumps(item, name + "."))
    return "\n".join(x for x in lines if x != "")
