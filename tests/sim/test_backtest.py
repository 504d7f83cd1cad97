"""`compute-race backtest`: the history rows (content/history.toml), their reducers, the metrics read from the
engine, and the command's output, exit codes and JSON."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from game.cli import main
from game.content import default_content_dir, load_content
from game.content.history import Measure, Row, ShareAbove
from game.sim.backtest import JSON_METRICS, judge, load, play_run, reduce, row_values

SHIPPED = default_content_dir()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def make_row(**kw) -> Row:
    base = dict(id="r", figure="a figure", run="history", metric=("x",), side="us", turns=(1, 3), reduce="last",
                accept=(0.0, 10.0))
    base.update(kw)
    return Row(**base)


# Games x turns x sides: game g, turn t holds us = 10g + t, cn = -(10g + t).
DATA = {"x": np.array([[[10.0 * g + t, -(10.0 * g + t)] for t in (1, 2, 3)] for g in range(3)]),
        "y": np.ones((3, 3, 2))}


@pytest.mark.parametrize("how,expected", [("last", [3, 13, 23]), ("max", [3, 13, 23]), ("min", [1, 11, 21]),
                                          ("sum", [6, 36, 66])])
def test_reducers_over_a_window(how, expected):
    m = Measure(metric=("x",), side="us", turns=(1, 3), reduce=how)
    assert reduce(DATA, m).tolist() == expected


def test_a_window_and_a_side_and_a_sum_of_metrics():
    m = Measure(metric=("x", "y"), side="cn", turns=(2, 2), reduce="last")
    assert reduce(DATA, m).tolist() == [-1.0, -11.0, -21.0]
    m = Measure(metric=("x",), side="cn", turns=(1, 3), reduce="max")
    assert reduce(DATA, m).tolist() == [-1.0, -11.0, -21.0]


def test_min_year_on_year_is_the_smallest_rise_between_year_ends():
    # One game over nine turns: year ends at turns 1, 5, 9 hold 10, 20, 25: rises 2.0 then 1.25.
    series = np.array([[[10.0, 0], [1, 0], [1, 0], [1, 0], [20, 0], [99, 0], [1, 0], [1, 0], [25, 0]]])
    m = Measure(metric=("x",), side="us", turns=(1, 9), reduce="min_year_on_year")
    assert reduce({"x": series}, m).tolist() == [1.25]
    flat = Measure(metric=("x",), side="us", turns=(1, 4), reduce="min_year_on_year")  # no second year end
    assert np.isnan(reduce({"x": series}, flat)).all()


def test_power_against_the_rival_is_each_sides_share_of_the_others():
    from game.sim.backtest import ratio_to_rival

    assert ratio_to_rival(np.array([[10.0, 5.0], [3.0, 0.0]])).tolist() == [[2.0, 0.5], [0.0, 0.0]]


def test_per_divides_and_scale_multiplies():
    per = Measure(metric=("y",), side="us", turns=(1, 3), reduce="sum")
    row = make_row(reduce="sum", per=per, scale=-2.0)
    assert row_values(DATA, row).tolist() == [-4.0, -24.0, -44.0]


def test_a_zero_denominator_is_not_a_number_and_the_row_is_off():
    zero = {"x": DATA["x"], "y": np.zeros((3, 3, 2))}
    row = make_row(per=Measure(metric=("y",), side="us", turns=(1, 1), reduce="last"), accept=(-1e9, 1e9))
    values = row_values(zero, row)
    assert np.isnan(values).all()
    assert judge(row, values)["ok"] is False


def test_judge_median_range_and_share_above():
    values = np.array([1.0, 2.0, 3.0, 4.0, 50.0])
    verdict = judge(make_row(accept=(2.0, 4.0)), values)
    assert verdict["median"] == 3.0 and verdict["ok"] and verdict["in_range"] == pytest.approx(0.6)
    capped = make_row(accept=(2.0, 4.0), at_most_share_above=ShareAbove(value=3.5, share=0.3))
    verdict = judge(capped, values)
    assert verdict["share_above"]["share"] == pytest.approx(0.4) and not verdict["ok"]
    assert not judge(make_row(accept=(3.5, 9.0)), values)["ok"]


def test_metrics_follow_the_engine_state():
    content = load_content()
    data = play_run(content, "2022", "history_us", "history_cn", [1, 2])
    turns = content.scenario("2022").turns
    for name in JSON_METRICS:
        assert data[name].shape == (2, turns, 2)
    # The 2022 scenario starts with each side's run a quarter in: it finishes in the first quarter, the next
    # rules.training.run_quarters later.
    first = content.rules.training.run_quarters - content.scenario("2022").sides.us.run_quarters_done
    assert (data["frontier_run_flop"][:, first - 1] > 0).all()
    after = first - 1 + content.rules.training.run_quarters
    assert (data["frontier_run_flop"][:, after] != data["frontier_run_flop"][:, first - 1]).all()
    assert np.allclose(data["lead_months"][:, :, 0], -data["lead_months"][:, :, 1])
    total = data["chips_domestic"] + data["chips_imported"] + data["chips_smuggled"]
    assert (total >= 0).all() and (data["chips_imported"][:, :, 0] == 0).all()


def test_every_shipped_row_loads_and_names_known_runs():
    hist = load(load_content())
    assert {r.run for r in hist.row} <= {r.id for r in hist.run}
    assert len(hist.row) >= 10


def content_with_history(tmp_path, text: str):
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    (root / "history.toml").write_text(text)
    return root


SMALL = """
[[run]]
id = "h"
scenario = "2022"
us = "balanced"
cn = "balanced"

[[row]]
id = "cap"
figure = "US capability after a year"
run = "h"
metric = "capability"
side = "us"
turns = [4, 4]
accept = [%s, %s]
"""


@pytest.mark.parametrize("bad,message", [
    ('metric = "capabilty"', "history.toml: row[0].metric[0]: expected a metric"),
    ('run = "nope"', "history.toml: row[0].run: expected a run id (h)"),
    ("turns = [4, 2]", "history.toml: row[0].turns: expected [first, last]"),
    ('reduce = "median"', "history.toml: row[0].reduce: expected one of last, max, min, sum, min_year_on_year"),
])
def test_a_bad_row_is_one_line_naming_the_key(tmp_path, capsys, bad, message):
    text = SMALL % (0, 100)
    key = bad.split(" = ")[0]
    lines = [bad if line.startswith(key + " = ") and "[[" not in line else line for line in text.splitlines()]
    if not any(line == bad for line in lines):
        lines.append(bad)
    root = content_with_history(tmp_path, "\n".join(lines))
    code, out, err = run(capsys, "backtest", "--games", "2", "--content", str(root))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert message in err


def test_content_without_history_is_one_line(tmp_path, capsys):
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    (root / "history.toml").unlink()
    code, out, err = run(capsys, "--content", str(root), "backtest", "--games", "2")
    assert code == 2 and "history.toml" in err and "file not found" in err and err.count("\n") == 1


def test_an_unknown_strategy_in_a_run_is_one_line(tmp_path, capsys):
    root = content_with_history(tmp_path, (SMALL % (0, 100)).replace('us = "balanced"', 'us = "historic_us"'))
    code, out, err = run(capsys, "backtest", "--games", "2", "--content", str(root))
    assert code == 2 and "run 'h'" in err and err.count("\n") == 1


def test_check_passes_and_fails_and_names_the_rows_off(tmp_path, capsys):
    good = content_with_history(tmp_path / "a", SMALL % (0, 100))
    code, out, err = run(capsys, "backtest", "--games", "3", "--check", "--content", str(good))
    assert code == 0 and "backtest check passed" in out and "ok  US capability after a year" in out
    bad = content_with_history(tmp_path / "b", SMALL % (99.5, 100))
    code, out, err = run(capsys, "backtest", "--games", "3", "--check", "--content", str(bad))
    assert code == 1 and "OFF US capability after a year" in out
    assert "1 row off: US capability after a year" in err and err.count("\n") == 1
    code, out, err = run(capsys, "backtest", "--games", "3", "--content", str(bad))
    assert code == 0  # without --check the report is the answer


def test_json_has_rows_and_each_sides_median_per_quarter(tmp_path, capsys):
    root = content_with_history(tmp_path, SMALL % (0, 100))
    path = tmp_path / "b.json"
    code, out, err = run(capsys, "--content", str(root), "backtest", "--games", "3", "--json", str(path))
    assert code == 0, err
    data = json.loads(path.read_text())
    assert data["rows"][0]["id"] == "cap" and data["games"] == 3
    quarters = data["runs"]["h"]["median_by_quarter"]
    assert set(quarters) == {"us", "cn"}
    for side in ("us", "cn"):
        assert set(quarters[side]) == set(JSON_METRICS)
        assert len(quarters[side]["capability"]) == load_content(root).scenario("2022").turns


CONTINUITY = """
[continuity]
run = "h"
turn = 10
scenario = "2025"
within = %s
"""


def test_continuity_compares_the_later_opening_with_the_run_and_check_fails_on_it(tmp_path, capsys):
    loose = content_with_history(tmp_path / "a", CONTINUITY % 100 + SMALL % (0, 100))
    code, out, err = run(capsys, "backtest", "--games", "3", "--check", "--json", str(tmp_path / "a.json"),
                         "--content", str(loose))
    assert code == 0, err
    assert "of 14 opening figures within 100x" in out and "ok  us power, MW: opening 10,000" in out
    figures = json.loads((tmp_path / "a.json").read_text())["continuity"]
    assert {(c["side"], c["metric"]) for c in figures} >= {("us", "power_mw"), ("cn", "compute_flops")}
    for c in figures:
        assert c["factor"] == pytest.approx(max(c["opening"], c["history"]) / min(c["opening"], c["history"]))
    tight = content_with_history(tmp_path / "b", CONTINUITY % 1 + SMALL % (0, 100))
    code, out, err = run(capsys, "backtest", "--games", "3", "--check", "--content", str(tight))
    assert code == 1 and "OFF us power, MW" in out
    assert "opening figures apart from history: " in err and "us power, MW" in err and err.count("\n") == 1


def test_a_continuity_naming_no_run_is_one_line(tmp_path, capsys):
    root = content_with_history(tmp_path, (CONTINUITY % 1.5).replace('run = "h"', 'run = "hist"') + SMALL % (0, 100))
    code, out, err = run(capsys, "backtest", "--games", "2", "--content", str(root))
    assert code == 2 and "history.toml: continuity.run: expected a run id (h)" in err and err.count("\n") == 1


def test_history_holds_at_32_seeds(capsys):
    """The shipped content reproduces 2022-2025: every row's median in its accepted range."""
    code, out, err = run(capsys, "backtest", "--games", "32", "--check")
    assert code == 0, out + err


def test_history_is_checked_without_the_command_line(tmp_path):
    """game/sim/backtest.py check_history, as backtest and content check use it: the history read, each run's
    strategies loaded; one that does not load names its run."""
    from game.ai import StrategyError
    from game.sim.backtest import check_history

    hist = check_history(load_content(content_with_history(tmp_path / "a", SMALL % (0, 100))))
    assert [run.id for run in hist.run] == ["h"] and [row.id for row in hist.row] == ["cap"]
    bad = content_with_history(tmp_path / "b", (SMALL % (0, 100)).replace('us = "balanced"', 'us = "nobody"'))
    with pytest.raises(StrategyError) as info:
        check_history(load_content(bad))
    assert str(info.value).startswith("history.toml: run 'h': ") and "nobody" in str(info.value)


def test_content_check_checks_history_and_allows_a_folder_without_it(tmp_path, capsys):
    code, out, err = run(capsys, "content", "check")
    assert code == 0 and "backtest rows" in out
    bad = content_with_history(tmp_path / "a", (SMALL % (0, 100)).replace('cn = "balanced"', 'cn = "histroy_cn"'))
    code, out, err = run(capsys, "content", "check", str(bad))
    assert code == 2 and "history.toml: run 'h'" in err and err.count("\n") == 1
    root = tmp_path / "b"
    shutil.copytree(SHIPPED, root)
    (root / "history.toml").unlink()
    code, out, err = run(capsys, "content", "check", str(root))
    assert code == 0 and "no history.toml (nothing to backtest)" in out and "chips" in out


def test_too_many_games_is_one_line(capsys):
    code, out, err = run(capsys, "backtest", "--games", "20001")
    assert code == 2 and "at most 20,000" in err and err.count("\n") == 1
