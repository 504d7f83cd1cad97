"""A small TOML writer for the fuzz tests (the content files' shapes: tables, arrays of tables, inline tables)."""

from __future__ import annotations

import json
import math


def value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def key(k: str) -> str:
    return k if k and all(c.isalnum() or c in "_-" for c in k) else json.dumps(k)


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
