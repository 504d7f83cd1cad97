"""Key paths: one name for every number in a content folder, as a designer writes it in a sweep file.

A key path starts with the file (`rules`, `scoring`, `chips`, `nodes`, `sectors`, `policies`, `events`, or
`scenarios.FILE` for scenarios/FILE.toml) and goes on by the keys of its tables (`rules.research.breakthrough_chance`).
An item of a file of [[items]] is named by its id (`chips.h100.price_kusd`); an item of a list inside is named by
its id where its items have one, else by its place from 0 (`policies.chips_act.effects.0.value`); a table of
values by id is named by its key (`scenarios.2025.sides.cn.yields.n7`). The schema (game/content/model.py) and the
file's TOML are walked together, so the path gives the value's place in the text, its type and its bounds.
"""

from __future__ import annotations

import math
import re
import types
import typing
from pathlib import Path
from typing import Any

import attrs
import tomli

from game.content.model import Chip, Event, Node, Policy, Rules, Scenario, Scoring, Sector
from game.content.schema import MAGNITUDE, describe, did_you_mean
from game.text import OneLine, join, quote

# A key path's first part: the file, its class, and for a file of [[items]] the list's key.
FILES: dict[str, tuple[str, type, str | None]] = {
    "rules": ("rules.toml", Rules, None), "scoring": ("scoring.toml", Scoring, None),
    "chips": ("chips.toml", Chip, "chip"), "nodes": ("nodes.toml", Node, "node"),
    "sectors": ("sectors.toml", Sector, "sector"), "policies": ("policies.toml", Policy, "policy"),
    "events": ("events.toml", Event, "event"),
}
SCENARIOS = "scenarios"
_PLACE = re.compile(r"[0-9]{1,9}")


class KeyPathError(OneLine, ValueError):
    """A key path that names no number written in the content, or a range content check would refuse there."""


@attrs.frozen
class Place:
    """Where a number is written, and what content check accepts there."""

    file: str                          # relative to the content folder: "scenarios/2025.toml"
    steps: tuple[str | int, ...]       # its place in the file's TOML, as tomli's data nests it
    whole: bool                        # a whole number in the schema
    value: float                       # what the file holds now
    bounds: dict[str, float | None]    # the schema's min, max and above (a bound it may not equal)


def shown(keys: tuple[str, ...]) -> str:
    """A key path as messages write it (odd keys quoted)."""
    out = ""
    for key in keys:
        out = join(out, key)
    return out


def locate(keys: tuple[str, ...], texts: dict[str, str], parsed: dict[str, Any] | None = None) -> Place:
    """The number a key path names in a content folder's `texts` (relative path -> TOML text; `parsed` caches
    their data). KeyPathError says which step does not lead on, and what would."""
    parsed = {} if parsed is None else parsed
    head, rest = keys[0], list(keys[1:])
    cls: type
    items: str | None
    if head == SCENARIOS:
        stems = sorted(Path(rel).stem for rel in texts if rel.startswith(f"{SCENARIOS}/"))
        if not rest or rest[0] not in stems:
            found = f"{quote(rest[0])}{did_you_mean(rest[0], stems)}" if rest else "nothing"
            raise KeyPathError(f"after {SCENARIOS}, expected a scenario file ({', '.join(stems)}), found {found}")
        file, cls, items = f"{SCENARIOS}/{rest.pop(0)}.toml", Scenario, None
    elif head in FILES:
        file, cls, items = FILES[head]
    else:
        starts = sorted([*FILES, SCENARIOS])
        raise KeyPathError(f"{quote(head)} is not a content file{did_you_mean(head, starts)}; a key path starts with "
                           f"{', '.join(starts)} (scenarios.FILE)")
    if file not in texts:
        raise KeyPathError(f"the content folder has no {file}")
    if file not in parsed:
        parsed[file] = tomli.loads(texts[file])
    node: Any = parsed[file]
    steps: list[str | int] = []
    if items is not None:
        ids = [item.get("id") for item in node.get(items, [])]
        if not rest or rest[0] not in ids:
            found = f"{quote(rest[0])}{did_you_mean(rest[0], ids)}" if rest else "nothing"
            raise KeyPathError(f"after {head}, expected an id from {file} ({', '.join(map(str, ids))}), found {found}")
        steps += [items, ids.index(rest.pop(0))]
        node = node[items][steps[-1]]
    tp: Any = cls
    meta: dict[str, Any] = {}
    for key in rest:
        tp = unwrap(tp)
        origin = typing.get_origin(tp)
        if attrs.has(tp):
            fields = {f.name: f for f in attrs.fields(tp)}
            if key not in fields:
                raise KeyPathError(f"{quote(key)} is not a key here{did_you_mean(key, fields)}; the keys here are "
                                   f"{', '.join(sorted(fields))}")
            if key not in node:
                default = fields[key].default
                plain = default is not attrs.NOTHING and isinstance(default, (int, float, str))
                said = f" ({quote(default)})" if plain else ""
                raise KeyPathError(f"{quote(key)} is not written in {file}, so it takes its default{said}; write it "
                                   "there first")
            meta = dict(fields[key].metadata)  # a list's or table's bounds hold for its items (as the loader reads)
            tp = typing.get_type_hints(tp)[key]
            node = node[key]
            steps.append(key)
        elif origin in (tuple, list):
            item: Any = unwrap(typing.get_args(tp)[0])
            if attrs.has(item) and "id" in {f.name for f in attrs.fields(item)}:
                ids = [v.get("id") for v in node]
                if key not in ids:
                    raise KeyPathError(f"{quote(key)}: expected an id ({', '.join(map(str, ids))}){did_you_mean(key, ids)}")
                index = ids.index(key)
            elif _PLACE.fullmatch(key) and int(key) < len(node):
                index = int(key)
            else:
                raise KeyPathError(f"{quote(key)}: expected a place in a list of {len(node)}"
                                   + (f", from 0 to {len(node) - 1}" if node else ""))
            steps.append(index)
            node = node[index]
            tp = item
        elif origin is dict:
            if key not in node:
                raise KeyPathError(f"{quote(key)} is not written in {file} (written here: "
                                   f"{', '.join(map(str, node)) or 'nothing'})")
            steps.append(key)
            node = node[key]
            tp = typing.get_args(tp)[1]
        else:
            raise KeyPathError(f"{quote(key)}: the value before it ({describe(node)}) has no keys")
    tp = unwrap(tp)
    if tp not in (int, float) or isinstance(node, bool) or not isinstance(node, (int, float)):
        raise KeyPathError(f"not a number: {describe(node) if rest else 'a table'} in {file}; only numbers can be tuned")
    bounds = {name: meta.get(name) for name in ("min", "max", "above")}
    return Place(file=file, steps=tuple(steps), whole=tp is int, value=float(node), bounds=bounds)


def unwrap(tp: Any) -> Any:
    """`X | None` as X."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(tp) if a is not type(None))
    return tp


def check_range(place: Place, low: float, high: float) -> None:
    """KeyPathError unless every value in [low, high] passes the schema's bounds at `place` (content check's
    checks across values and files are the loader's, asked of a written point)."""
    span = f"the range [{low:g}, {high:g}]"
    if not (math.isfinite(low) and math.isfinite(high)):
        raise KeyPathError(f"{span}: expected finite numbers")
    if not low < high:
        raise KeyPathError(f"{span}: expected LOW < HIGH")
    if place.whole and not (low.is_integer() and high.is_integer()):
        raise KeyPathError(f"{span}: the value is a whole number in content; give whole numbers")
    lo, hi, above = place.bounds["min"], place.bounds["max"], place.bounds["above"]
    if lo is not None and low < lo:
        raise KeyPathError(f"{span} goes below {lo:g}, the least content check accepts here; raise LOW")
    if hi is not None and high > hi:
        raise KeyPathError(f"{span} goes above {hi:g}, the most content check accepts here; lower HIGH")
    if above is not None and not low > above:
        raise KeyPathError(f"{span} must stay above {above:g}: content check refuses {above:g} here; raise LOW")
    if hi is None and max(abs(low), abs(high)) > MAGNITUDE:
        raise KeyPathError(f"{span} goes past {MAGNITUDE:g} in size, which content check refuses")
