"""One game's state quarter by quarter, for the fields a designer names (`compute-race trace`).

A field is any name of game/schema.py: a figure of `FIGURES` (read as engine/observe.py reads it, on
the true state) or a stored field of `Fields` (the seed excepted: it is no one's to see). A per-side
value gives a column per side (`us.NAME`, `cn.NAME`); a field with more dimensions gives a column per
entry, labelled with the content's ids where the dimension has them (`us.verdict.frontier`).
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np

from game.schema import CHIP_SOURCES, COMPUTE_SPEND, FIELDS, FIGURE, FLEET, FLOWS, OBS, SECRET, SIDE, VERDICT_PARTS

DEFAULT_FIELDS = ("track", "capability", "compute_eflops", "fleet_chips", "treasury_busd", "revenue_busd",
                  "self_sufficiency")
SIDES = ("us", "cn")


def field_names() -> tuple[str, ...]:
    """Every name a trace may ask for: the figures, then the stored fields not already figures."""
    stored = tuple(n for n, f in FIELDS.items() if f.seen != SECRET and n not in FIGURE)
    return tuple(FIGURE) + stored


def describe(name: str) -> str:
    """A field's unit and meaning, for `trace --list`."""
    if name in FIELDS:
        f = FIELDS[name]
        dims = " ".join("per side" if d == SIDE else f"by {d}" for d in f.dims) or "global"
        return f"{f.unit or '-'}; {dims}; {f.doc}".rstrip("; ")
    fig = FIGURE[name]
    return f"{fig.unit or '-'}; {'per side' if fig.per_side else 'global'}; derived ({fig.of})"


def unknown_field(name: str) -> str:
    """The one-line complaint about a field not in the schema, with the nearest names."""
    from game.text import quote

    near = difflib.get_close_matches(name, field_names(), n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(quote(n) for n in near)}?" if near else "see compute-race trace --list"
    return f"unknown field {quote(name)} (not in game/schema.py); {hint}"


def labels(tables: Any, dim: str, size: int) -> list[str]:
    named: dict[str, list[str]] = {
        "flows": list(FLOWS), "fleet_parts": list(FLEET), "chip_sources": list(CHIP_SOURCES),
        "compute_spend": list(COMPUTE_SPEND), "verdict_parts": list(VERDICT_PARTS), "figures": list(OBS),
        "nodes": [n.id for n in tables.nodes], "sectors": [s.id for s in tables.sectors],
        "actions": [f"{a.policy_id}.{SIDES[a.side]}" for a in tables.actions],
        "events": [e.id for e in tables.events],
        "modifiers": sorted(tables.mod_index, key=tables.mod_index.get),
    }
    got = named.get(dim)
    return got if got is not None and len(got) == size else [str(k) for k in range(size)]


def read(world: Any, name: str) -> np.ndarray:
    """Game 0's value of `name`, as float64: per side first when the field is per side."""
    from game.engine import observe

    if name in FIGURE:
        value = observe.figure(world, name)
    else:
        value = getattr(world, name)
    return np.asarray(value[0], dtype=np.float64)


def columns(world: Any, name: str) -> list[tuple[str, tuple[int, ...]]]:
    """Column titles and the index into read(world, name) each takes."""
    value = read(world, name)
    per_side = FIELDS[name].per_side if name in FIELDS else FIGURE[name].per_side
    dims = list(FIELDS[name].dims) if name in FIELDS else ([SIDE] if per_side else [])
    out = []
    for idx in np.ndindex(*value.shape):
        parts: list[str] = []
        for d, k in zip(dims, idx):
            parts.append(SIDES[k] if d == SIDE else labels(world.tables, d, value.shape[len(parts)])[k])
        title = ".".join(parts[:1] + [name] + parts[1:]) if per_side else ".".join([name] + parts)
        out.append((title, idx))
    return out


def run_trace(tables: Any, us_spec: str, cn_spec: str, seed: int, fields: tuple[str, ...],
              content_root: Any = None) -> dict[str, Any]:
    """Play one game (seed `seed`) and keep the named fields at the start and after every quarter."""
    from game.ai import load_strategy
    from game.engine import new_world
    from game.engine.resolve import advance
    from game.engine.state import REASONS, WINNERS

    us = load_strategy(us_spec, content_root)
    cn = load_strategy(cn_spec, content_root)
    world = new_world(tables, [seed])
    fields = tuple(name for name in fields if name != "turn")  # the first column already
    cols = [("turn", "turn", ())] + [(title, name, idx) for name in fields for title, idx in columns(world, name)]
    rows: list[list[float]] = []

    def snap() -> None:
        row = [float(world.turn[0])]
        cache = {name: read(world, name) for name in fields}
        row += [float(cache[name][idx]) for _, name, idx in cols[1:]]
        rows.append(row)

    snap()
    while not world.done.all():
        orders_us, orders_cn = us.decide(world, 0), cn.decide(world, 1)
        advance(world, orders_us, orders_cn)
        snap()
    return {"columns": [c[0] for c in cols], "rows": rows, "winner": WINNERS[int(world.winner[0])],
            "reason": REASONS[int(world.reason[0])], "turns": int(world.turn[0]),
            "us_name": us.name, "cn_name": cn.name}


def number(x: float) -> str:
    return f"{x:.6g}"


def csv_text(trace: dict[str, Any]) -> str:
    """The trace as CSV: a header of column titles, then one row a quarter (the csv module quotes a
    content id that holds a comma or a quote)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(trace["columns"])
    writer.writerows([number(x) for x in row] for row in trace["rows"])
    return out.getvalue()


def table_text(trace: dict[str, Any]) -> str:
    """The trace as aligned columns for the terminal."""
    cells = [trace["columns"]] + [[number(x) for x in row] for row in trace["rows"]]
    widths = [max(len(r[k]) for r in cells) for k in range(len(cells[0]))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells)
