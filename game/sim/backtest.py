"""The backtest: play history (content/history.toml runs) over many seeds and hold each row of REFERENCE.md
s9 against its accepted range.

Each run is one batch of games (one game per seed) played to the end of its scenario; after every quarter
the metrics below are read from the state, per game and side. A row reduces one metric (or a sum of
several) over a window of turns, optionally divides by a second reduction, and its median over seeds must
fall in the accepted range.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from game.ai import StrategyError, load_strategy
from game.content import Content, find_scenario
from game.content.history import HISTORY_FILE, History, Measure, Row, load_history
from game.engine import Tables, observe
from game.engine.start import new_world
from game.engine.state import CHIPS, FLOPS, FLOWS, FLOWS_OUT, World
from game.sim.cluster import Pool, Site
from game.sim.runner import named_files, play_batch
from game.text import quote

Metric = Callable[[World], np.ndarray]  # (batch, 2)


# Spending in the race: idle money returned to investors leaves it unspent.
OUT = np.array([FLOWS.index(name) for name in FLOWS_OUT if name != "returned"])
# What a company reports as AI capex: the physical build (fabs, tools, chips and the power for them), not the
# training runs, research, applications or intelligence its budget also pays for.
CAPEX = np.array([FLOWS.index(name) for name in ("fabs", "lithography", "compute")])


def ratio_to_rival(values: np.ndarray) -> np.ndarray:
    """A side's figure over its rival's (0 where the rival has none)."""
    rival = values[:, ::-1]
    out: np.ndarray = np.where(rival > 0, values / np.where(rival > 0, rival, 1.0), 0.0)
    return out


def fleet_flops_per_chip(w: World) -> np.ndarray:
    chips = w.fleet_total[:, :, CHIPS]
    out: np.ndarray = np.where(chips > 0, w.fleet_total[:, :, FLOPS] / np.where(chips > 0, chips, 1.0), 0.0)
    return out

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
    "capex_busd": lambda w: w.flows_busd[:, :, CAPEX].sum(axis=-1),
    "power_vs_rival": lambda w: ratio_to_rival(w.power_mw),
    "compute_flops": lambda w: w.compute_flops,
    "fleet_chips": lambda w: w.fleet_total[:, :, CHIPS],
    "fleet_flops_per_chip": fleet_flops_per_chip,
    "base_budget_busd": lambda w: w.base_budget_busd,
    "treasury_busd": lambda w: w.treasury_busd,
    "capability": lambda w: w.capability,
    "model_log10_eff": lambda w: w.model_log10_eff,
    "model_eff_flop": lambda w: 10.0 ** w.model_log10_eff,
    "mindshare": lambda w: w.mindshare,
}
JSON_METRICS = ("frontier_run_flop", "lead_months", "chips_domestic", "chips_imported", "chips_smuggled",
                "accelerators_made", "fab_wafers_per_q", "euv_tools", "power_mw", "revenue_busd", "spend_busd",
                "capex_busd", "base_budget_busd", "capability", "compute_flops")
# The continuity check: a later scenario's opening against the history run's median then (REFERENCE s9, "one
# world, two starting points"). The engine keeps the fleet by cohort, not by chip: its chips and its FLOP/s per
# chip (the mix of generations) stand for the fleet by chip.
CONTINUITY = (("compute_flops", "installed compute, FLOP/s"), ("power_mw", "power, MW"),
              ("model_eff_flop", "best model, effective FLOP"), ("revenue_busd", "revenue, $B a quarter"),
              ("base_budget_busd", "base budget, $B a quarter"), ("fleet_chips", "fleet, chips"),
              ("fleet_flops_per_chip", "fleet mix, FLOP/s a chip"))


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


def check_history(content: Content) -> History:
    """history.toml checked before any game is played: its rows (as `load` reads them), each run's scenario and
    both of its strategies. A strategy that does not load is a StrategyError naming the run."""
    hist = load(content)
    for run in hist.run:
        find_scenario(content, run.scenario)
        for spec in (run.us, run.cn):
            try:
                load_strategy(spec, content.root)
            except StrategyError as exc:
                raise StrategyError(f"{HISTORY_FILE}: run {quote(run.id)}: {exc}") from None
    return hist


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
    if m.reduce == "min":
        return window.min(axis=1)
    if m.reduce == "min_year_on_year":  # the smallest rise from one year to the next: turns first, first+4, ...
        yearly = window[:, ::4]
        if yearly.shape[1] < 2:
            return np.full(window.shape[0], np.nan)
        before = yearly[:, :-1]
        rises = np.where(before > 0, yearly[:, 1:] / np.where(before > 0, before, 1.0), np.nan)
        return rises.min(axis=1)
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


def play_chunk(site: Site, job: tuple[str, str, str, list[int]]) -> dict[str, np.ndarray]:
    """One chunk of one run's seeds, wherever it runs (game/sim/cluster.py): play_run's figures."""
    scenario, us_spec, cn_spec, seeds = job
    return play_run(site.content, site.spec(scenario), site.spec(us_spec), site.spec(cn_spec), seeds)


def play_runs(content: Content, runs: Sequence[tuple[str, str, str, str]], seeds: list[int], pool: Pool
              ) -> dict[str, dict[str, np.ndarray]]:
    """play_run for every run (id, scenario, US, China) on `pool`: here each run is one batch, as it always was;
    on a cluster, chunks of seeds joined again in seed order (games are batch-invariant, so the figures are the
    same)."""
    jobs: list[tuple[str, str, str, list[int]]] = []
    owner: list[str] = []
    for run_id, scenario, us_spec, cn_spec in runs:
        for part in pool.split(seeds, max(len(seeds), 1), total=len(seeds) * len(runs)):
            jobs.append((scenario, us_spec, cn_spec, part))
            owner.append(run_id)
    files = named_files(content, [run[1] for run in runs], [spec for run in runs for spec in run[2:]])
    parts = pool.map(play_chunk, jobs, content, files)
    return {run_id: {name: np.concatenate([p[name] for k, p in zip(owner, parts) if k == run_id])
                     for name in parts[owner.index(run_id)]}
            for run_id, *_ in runs}


def run_backtest(content: Content, games: int, seed: int, on_run: Callable[[str], None] | None = None,
                 pool: Pool | None = None) -> dict[str, Any]:
    """Play every run the rows need (on `pool`, default here) and judge every row; returns rows and per-quarter
    medians per run. `on_run` hears each run's id as its games are sent."""
    hist = load(content)
    seeds = list(range(seed, seed + games))
    for run in hist.run:
        if on_run:
            on_run(run.id)
    with Pool() if pool is None else nullcontext(pool) as runner:
        data = play_runs(content, [(run.id, run.scenario, run.us, run.cn) for run in hist.run], seeds, runner)
    rows = [judge(row, row_values(data[row.run], row)) for row in hist.row]
    continuity = [] if hist.continuity is None else check_continuity(content, hist, data[hist.continuity.run], seed)
    runs = {}
    for run in hist.run:
        per_side = {}
        for s, side in enumerate(("us", "cn")):
            per_side[side] = {name: [float(x) for x in np.median(data[run.id][name][:, :, s], axis=0)]
                              for name in JSON_METRICS}
        runs[run.id] = {"scenario": run.scenario, "us": run.us, "cn": run.cn, "median_by_quarter": per_side}
    return {"games": games, "seed": seed, "rows": rows, "continuity": continuity, "runs": runs}


def check_continuity(content: Content, hist: History, data: dict[str, np.ndarray], seed: int) -> list[dict[str, Any]]:
    """Each CONTINUITY figure of each side: the scenario's opening against the run's median after `turn`."""
    c = hist.continuity
    assert c is not None
    metrics = metrics_for(content)
    opening = new_world(Tables(content, find_scenario(content, c.scenario)), [seed])
    out = []
    for s, side in enumerate(("us", "cn")):
        for name, label in CONTINUITY:
            start = float(np.asarray(metrics[name](opening))[0, s])
            history = float(np.median(data[name][:, c.turn - 1, s]))
            factor = max(start, history) / min(start, history) if min(start, history) > 0 else float("inf")
            out.append({"side": side, "metric": name, "figure": label, "opening": start, "history": history,
                        "factor": factor, "within": c.within, "ok": bool(factor <= c.within)})
    return out


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
    if result["continuity"]:
        cont = result["continuity"]
        lines += ["", f"One world: the {cont[0]['within']:g}x continuity check (a scenario's opening against the history "
                  "run's median then)"]
        for c in cont:
            lines.append(f"{'ok ' if c['ok'] else 'OFF'} {c['side']} {c['figure']}: opening {number(c['opening'])}, "
                         f"history {number(c['history'])} ({c['factor']:.2f}x)")
        bad = sum(not c["ok"] for c in cont)
        lines.append(f"{len(cont) - bad} of {len(cont)} opening figures within {cont[0]['within']:g}x")
    return "\n".join(lines)
