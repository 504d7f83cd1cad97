"""`compute-race bench`: the hard opponent's figure on a batch of games and the opt-in balance timing.

Timing figures are never asserted (the machine may be busy); what is checked is that each figure is measured,
reported and written, and that the slow balance run happens only when asked for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import game.sim.balance
from game.cli import main
from game.content import load_content
from game.engine import Tables
from game.sim import bench

CONTENT = load_content()
TABLES = Tables(CONTENT, CONTENT.scenario("2025"))


def figures(**extra: float) -> dict:
    """A complete set of bench figures (made up) for the formatter."""
    out = {"machine": "test machine", "kernels": "off (numpy only)", "resolve_ms_median": 0.9, "resolve_ms_p90": 1.0,
           "decide_both_ms_median": 0.1,
           "hard_decide_ms_median": 30.0, "hard_decide_ms_p90": 35.0, "normal_decide_ms_median": 0.3,
           "normal_decide_ms_p90": 0.4, "hard_batch_games": 400, "hard_batch_decide_s_median": 1.25,
           "hard_decisions_per_s": 320.0, "save_turns": 40, "save_kb": 45.0, "save_load_verify_ms_median": 70.0,
           "game_turns_per_s_batch_1": 1000.0, "game_turns_per_s_batch_256": 120000.0,
           "game_turns_per_s_batch_4096": 300000.0, "full_games": 10000, "full_games_seconds": 2.0,
           "full_games_per_s": 5000.0, "mean_game_turns": 34.0}
    out.update(extra)
    return out


def test_hard_decisions_are_timed_on_a_batch_of_games() -> None:
    r = bench.hard_decisions(TABLES, 3, (0, 2))
    assert r["hard_batch_games"] == 3
    assert r["hard_batch_decide_s_median"] > 0 and r["hard_decisions_per_s"] > 0
    # Two positions of three games each were decided: the rate is their number over the time they took.
    assert r["hard_decisions_per_s"] * r["hard_batch_decide_s_median"] == pytest.approx(3, rel=1e-6)


def test_the_report_gives_the_hard_batch_and_only_an_asked_for_balance_time() -> None:
    text = bench.format_bench(figures())
    assert "hard deciding, 400 games at once" in text and "1.25 s median" in text and "320 decisions/s" in text
    assert "balance --games" not in text
    text = bench.format_bench(figures(balance_games=400, balance_jobs=2, balance_seconds=612.5))
    assert "balance --games 400 --jobs 2" in text and "612.5 s" in text


def test_the_balance_time_is_a_real_balance_run(monkeypatch) -> None:
    """The hook: two strategies and one game keep it to a fraction of a second."""
    played: list[tuple] = []
    real = game.sim.balance.run_balance

    def counted(content, scenario, strategies, games, seed, jobs, on_progress=None):
        played.append((strategies, games, jobs))
        return real(content, scenario, strategies, games, seed, jobs, on_progress)

    monkeypatch.setattr(game.sim.balance, "STRATEGIES", ("balanced", "random"))
    monkeypatch.setattr(game.sim.balance, "run_balance", counted)
    r = bench.balance_time(CONTENT, games=1, jobs=1)
    assert played == [(("balanced", "random"), 1, 1)]
    assert r["balance_games"] == 1 and r["balance_jobs"] == 1 and r["balance_seconds"] > 0


@pytest.mark.parametrize("asked", [False, True])
def test_bench_runs_balance_only_with_the_flag_and_writes_every_figure(monkeypatch, capsys, tmp_path: Path,
                                                                      asked: bool) -> None:
    calls: list[dict] = []

    def fake_bench(content_root=None, quick=False, balance=False):
        calls.append({"quick": quick, "balance": balance})
        return figures(**({"balance_games": 400, "balance_jobs": 2, "balance_seconds": 600.0} if balance else {}))

    monkeypatch.setattr(bench, "run_bench", fake_bench)
    path = tmp_path / "bench.json"
    code = main(["bench", "--json", str(path)] + (["--balance"] if asked else []))
    out, err = capsys.readouterr()
    assert code == 0, err
    assert calls == [{"quick": False, "balance": asked}]
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["hard_decisions_per_s"] == 320.0 and data["hard_batch_games"] == 400
    assert ("balance_seconds" in data) == asked and ("balance --games 400 --jobs 2" in out) == asked


def test_bench_quick_measures_the_hard_batch(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bench.json"
    assert main(["bench", "--quick", "--json", str(path)]) == 0
    out, _ = capsys.readouterr()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["hard_batch_games"] > 1 and data["hard_decisions_per_s"] > 0 and data["hard_batch_decide_s_median"] > 0
    assert "balance_seconds" not in data and f"hard deciding, {data['hard_batch_games']} games at once" in out


def test_balance_with_the_interface_bench_is_one_line_and_exit_2(capsys) -> None:
    code = main(["bench", "--ui", "--balance"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "--balance" in err
