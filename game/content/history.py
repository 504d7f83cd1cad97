"""content/history.toml: the backtest's runs and rows (REFERENCE.md s9), loaded and checked like all content.

A run plays one scenario with one strategy a side; a row reduces one metric (or a sum of metrics) of one
side over a window of turns, optionally divided by a second such reduction, and says which range of the
median over seeds is accepted. Metric names come from game/sim/backtest.py METRICS (passed in, so this
module does not import the simulator).
"""

from __future__ import annotations

from pathlib import Path

import attrs

from game.content.model import SIDES
from game.content.schema import ContentError, Loader, spec
from game.text import quote

HISTORY_FILE = "history.toml"
REDUCERS = ("last", "max", "min", "sum", "min_year_on_year")
BIG = 1e40  # rows hold FLOP counts (1e26); the loader's usual size cap is for engine figures


@attrs.frozen(kw_only=True)
class Run:
    id: str
    scenario: str
    us: str = spec(doc="the US strategy: a built-in id or a path")
    cn: str = spec(doc="China's strategy")


@attrs.frozen(kw_only=True)
class Measure:
    metric: tuple[str, ...] = spec(doc="one metric, or several summed")
    side: str = spec(choices=SIDES)
    turns: tuple[int, ...] = spec(min=1, max=400, doc="[first, last], turns of the run's scenario")
    reduce: str = spec("last", choices=REDUCERS)


@attrs.frozen(kw_only=True)
class ShareAbove:
    value: float = spec(min=-BIG, max=BIG)
    share: float = spec(min=0.0, max=1.0)


@attrs.frozen(kw_only=True)
class Row:
    id: str
    figure: str
    run: str
    metric: tuple[str, ...] = spec(doc="one metric, or several summed")
    side: str = spec(choices=SIDES)
    turns: tuple[int, ...] = spec(min=1, max=400)
    reduce: str = spec("last", choices=REDUCERS)
    per: Measure | None = None
    scale: float = spec(1.0, min=-BIG, max=BIG)
    accept: tuple[float, ...] = spec(min=-BIG, max=BIG, doc="[low, high] for the median over seeds")
    at_most_share_above: ShareAbove | None = None
    actual: str = ""
    source: str = ""

    @property
    def measure(self) -> Measure:
        return Measure(metric=self.metric, side=self.side, turns=self.turns, reduce=self.reduce)


@attrs.frozen(kw_only=True)
class Continuity:
    """One world, two starting points: a later scenario's opening against where a history run stands then."""
    run: str = spec(doc="the history run")
    turn: int = spec(min=1, max=400, doc="the run's turn whose state the opening is compared with")
    scenario: str = spec(doc="the scenario whose opening is compared")
    within: float = spec(1.5, min=1.0, max=100.0, doc="each figure within this factor of the run's median")


@attrs.frozen(kw_only=True)
class History:
    run: tuple[Run, ...]
    row: tuple[Row, ...]
    continuity: Continuity | None = None

    def run_by_id(self, run_id: str) -> Run:
        return {r.id: r for r in self.run}[run_id]


def load_history(root: Path, metrics: tuple[str, ...], scenario_ids: tuple[str, ...]) -> History:
    """Read and check root/history.toml; a ContentError names the file, key and what was expected."""
    from game.content import display_name, read_toml

    path = root / HISTORY_FILE
    name = display_name(path, root)
    data = read_toml(path, name)
    loader = Loader(name)
    for row in data.get("row", []) if isinstance(data.get("row"), list) else []:
        # `metric = "name"` is read as a list of one, in a row and in its `per`
        for table in (row, row.get("per")) if isinstance(row, dict) else ():
            if isinstance(table, dict) and isinstance(table.get("metric"), str):
                table["metric"] = [table["metric"]]
    hist: History = loader.build(History, data)
    if not hist.run:
        raise loader.fail("run", "expected at least one [[run]]")
    if not hist.row:
        raise loader.fail("row", "expected at least one [[row]]")
    run_ids: list[str] = []
    for i, run in enumerate(hist.run):
        if run.id in run_ids:
            raise loader.fail(f"run[{i}].id", f"duplicate id {quote(run.id)}; ids must be unique")
        run_ids.append(run.id)
        if run.scenario not in scenario_ids and not run.scenario.endswith(".toml"):
            raise loader.fail(f"run[{i}].scenario", f"expected a scenario id ({', '.join(scenario_ids)}) or a path, "
                              f"found {quote(run.scenario)}")
    row_ids: list[str] = []
    for i, row in enumerate(hist.row):
        where = f"row[{i}]"
        if row.id in row_ids:
            raise loader.fail(f"{where}.id", f"duplicate id {quote(row.id)}; ids must be unique")
        row_ids.append(row.id)
        if row.run not in run_ids:
            raise loader.fail(f"{where}.run", f"expected a run id ({', '.join(run_ids)}), found {quote(row.run)}")
        check_measure(loader, row.measure, where, metrics)
        if row.per is not None:
            check_measure(loader, row.per, f"{where}.per", metrics)
        if len(row.accept) != 2 or row.accept[0] > row.accept[1]:
            raise loader.fail(f"{where}.accept", "expected [low, high] with low <= high")
    if hist.continuity is not None:
        c = hist.continuity
        if c.run not in run_ids:
            raise loader.fail("continuity.run", f"expected a run id ({', '.join(run_ids)}), found {quote(c.run)}")
        if c.scenario not in scenario_ids and not c.scenario.endswith(".toml"):
            raise loader.fail("continuity.scenario", f"expected a scenario id ({', '.join(scenario_ids)}) or a path, "
                              f"found {quote(c.scenario)}")
    return hist


def check_measure(loader: Loader, m: Measure, where: str, metrics: tuple[str, ...]) -> None:
    if not m.metric:
        raise loader.fail(f"{where}.metric", f"expected at least one metric ({', '.join(metrics)})")
    for j, name in enumerate(m.metric):
        if name not in metrics:
            raise loader.fail(f"{where}.metric[{j}]", f"expected a metric ({', '.join(metrics)}), found {quote(name)}")
    if len(m.turns) != 2 or m.turns[0] > m.turns[1]:
        raise loader.fail(f"{where}.turns", "expected [first, last] with first <= last")


__all__ = ["HISTORY_FILE", "ContentError", "Continuity", "History", "Measure", "Row", "Run", "load_history"]
