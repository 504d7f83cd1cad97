"""The backtest: play history (content/history.toml runs) over many seeds and hold each row of REFERENCE.md
s9 against its accepted range.

Each run is one batch of games (one game per seed) played to the end of its scenario; after every quarter
the metrics below are read from the state, per game and side. A row reduces one metric (or a sum of
several) over a window of turns, optionally divides by a second reduction, and its median over seeds must
fall in the accepted range.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from game.content import Content, find_scenario
from game.content.history import History, Measure, Row, load_history
from game.engine import Tables, observe
from game.engine.state import FLOWS, FLOWS_OUT, World
from game.sim.runner import play_batch

Metric = Callable[[World], np.ndarray]  # (batch, 2)


OUT = np.array([FLOWS.index(name) for name in FLOWS_OUT])

# Every metric a row or the --json may name: per game and side after a quarter.
BASE_METRICS: dict[str, Metric] = {
    "frontier_run_flop": lambda w: w.last_run_flop,
    "lead_months": observe.lead_months,
    "chips_domestic": lambda w: w.chips_bought[:, :, 0],
    "chips_imported": lambda w: w.chips_bought[:, :, 1],
    "chips_smuggled": lambda w: w.chips_bought[:, :, 2],
    "accelerators_made": lambda w: w.chips_made,
    "fab_wafers_per_q": lambda w: w.fab_wafers_per_q.sum(axis=-1),
    "euv_tools": lambda w: w.euv_tools,
    "euv_domestic": lambda w: w.euv_domestic.astype(np.float64),
    "power_mw": lambda w: w.power_mw,
    "utilisation": lambda w: w.utilisation,
    "revenue_busd": lambda w: w.revenue_busd,
    "spend_busd": lambda w: w.flows_busd[:, :, OUT].sum(axis=-1),
    "base_budget_busd": lambda w: w.base_budget_busd,
    "treasury_busd": lambda w: w.treasury_busd,
    "capability": lambda w: w.capability,
    "model_log10_eff": lambda w: w.model_log10_eff,
    "mindshare": lambda w: w.mindshare,
}
JSON_METRICS = ("frontier_run_flop", "lead_months", "chips_domestic", "chips_imported", "chips_smuggled",
                "accelerators_made", "fab_wafers_per_q", "euv_tools", "power_mw", "revenue_busd", "spend_busd",
                "base_budget_busd", "capability")


def metrics_for(content: Content) -> dict[str, Metric]:
    """The base metrics plus wafer capacity per node (`wafers_<node id>`), so a row can sum the nodes it means."""
    out = dict(BASE_METRICS)
    for i, node in enumerate(content.nodes):
        out[f"wafers_{node.id}"] = node_wafers(i)
    return out


def node_wafers(i: int) -> Metric:
    def read(w: World) -> np.ndarray:
        wafers: np.ndarray = w.fab_wafers_per_q[:, :, i]
        return wafers
    return read


def load(content: Content) -> History:
    return load_history(Path(content.root), tuple(metrics_for(content)), tuple(sorted(content.scenarios)))


def play_run(content: Content, scenario: str, us_spec: str, cn_spec: str, seeds: list[int]
             ) -> dict[str, np.ndarray]:
    """Every metric as (games, turns, 2): the value after each quarter (a finished game keeps its last state)."""
    tables = Tables(content, find_scenario(content, scenario))
    metrics = metrics_for(content)
    series: dict[str, list[np.ndarray]] = {name: [] for name in metrics}

    def record(world: World) -> None:
        for name, read in metrics.items():
            series[name].append(np.array(read(world), dtype=np.float64))

    play_batch(tables, us_spec, cn_spec, seeds, content.root, on_turn=record)
    # Games over before the last quarter keep their last state for the quarters not played.
    return {name: np.stack(values + [values[-1]] * (tables.scenario.turns - len(values)), axis=1)
            for name, values in series.items()}


def reduce(data: dict[str, np.ndarray], m: Measure) -> np.ndarray:
    """One value per game: the metrics summed, for one side, over turns [first, last] (1-based)."""
    side = 0 if m.side == "us" else 1
    first, last = m.turns
    total = sum(data[name][:, :, side] for name in m.metric)
    window = np.asarray(total)[:, first - 1:last]
    if m.reduce == "max":
        return window.max(axis=1)
    if m.reduce == "sum":
        return window.sum(axis=1)
    return window[:, -1]


def row_values(data: dict[str, np.ndarray], row: Row) -> np.ndarray:
    value = reduce(data, row.measure)
    if row.per is not None:
        den = reduce(data, row.per)
        value = np.where(den != 0, value / np.where(den != 0, den, 1.0), np.nan)
    return value * row.scale


def judge(row: Row, values: np.ndarray) -> dict[str, Any]:
    """The row's verdict: median, p10-p90, share of seeds in range, ok."""
    lo, hi = row.accept
    finite = values[np.isfinite(values)]
    median = float(np.median(finite)) if finite.size else float("nan")
    p10, p90 = (float(np.percentile(finite, q)) for q in (10, 90)) if finite.size else (float("nan"),) * 2
    inside = float(np.mean((values >= lo) & (values <= hi)))
    ok = bool(finite.size == values.size and lo <= median <= hi)
    out: dict[str, Any] = {"id": row.id, "figure": row.figure, "run": row.run, "median": median, "p10": p10,
                           "p90": p90, "accept": [lo, hi], "in_range": inside, "actual": row.actual,
                           "source": row.source}
    if row.at_most_share_above is not None:
        cap = row.at_most_share_above
        above = float(np.mean(values > cap.value))
        out["share_above"] = {"value": cap.value, "share": above, "at_most": cap.share}
        ok = ok and above <= cap.share
    out["ok"] = ok
    return out


def run_backtest(content: Content, games: int, seed: int,
                 on_run: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Play every run the rows need and judge every row; returns rows and per-quarter medians per run."""
    hist = load(content)
    seeds = list(range(seed, seed + games))
    data: dict[str, dict[str, np.ndarray]] = {}
    for run in hist.run:
        if on_run:
            on_run(run.id)
        data[run.id] = play_run(content, run.scenario, run.us, run.cn, seeds)
    rows = [judge(row, row_values(data[row.run], row)) for row in hist.row]
    runs = {}
    for run in hist.run:
        per_side = {}
        for s, side in enumerate(("us", "cn")):
            per_side[side] = {name: [float(x) for x in np.median(data[run.id][name][:, :, s], axis=0)]
                              for name in JSON_METRICS}
        runs[run.id] = {"scenario": run.scenario, "us": run.us, "cn": run.cn, "median_by_quarter": per_side}
    return {"games": games, "seed": seed, "rows": rows, "runs": runs}


def number(x: float) -> str:
    if not np.isfinite(x):
        return "n/a"
    if x != 0 and (abs(x) >= 1e5 or abs(x) < 1e-2):
        return f"{x:.3g}".replace("e+", "e")
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def format_rows(result: dict[str, Any]) -> str:
    """One block per row: the figure, then median, p10-p90, accepted range, share in range, verdict."""
    lines = [f"Backtest: {result['games']} seeds from {result['seed']} (REFERENCE.md s9; content/history.toml)", ""]
    for r in result["rows"]:
        lo, hi = r["accept"]
        lines.append(f"{'ok ' if r['ok'] else 'OFF'} {r['figure']}")
        extra = ""
        if "share_above" in r:
            sa = r["share_above"]
            extra = f"; above {number(sa['value'])} in {sa['share']:.0%} (at most {sa['at_most']:.0%})"
        lines.append(f"    median {number(r['median'])}  p10-p90 {number(r['p10'])} to {number(r['p90'])}  "
                     f"accept {number(lo)} to {number(hi)}  in range {r['in_range']:.0%}{extra}")
    off = [r for r in result["rows"] if not r["ok"]]
    lines.append("")
    lines.append(f"{len(result['rows']) - len(off)} of {len(result['rows'])} rows in range")
    return "\n".join(lines)
