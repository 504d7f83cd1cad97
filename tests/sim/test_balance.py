"""`compute-race balance` and `sim --sprt` on a handful of games, the rating fit, and cycle finding."""

from __future__ import annotations

import contextlib
import io
import itertools
import json

import numpy as np
import pytest

from game.cli import main
from game.sim.balance import bradley_terry, cycles

SMOKE = ("easy", "normal", "random")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, out: str, err: str) -> None:
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.strip(), err
    assert "Traceback" not in err


# --------------------------------------------------------------------------------------------------
# The command


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    """One small run shared by the checks below (every pairing, two games each); captured by hand,
    as capsys is per test."""
    path = tmp_path_factory.mktemp("balance") / "b.json"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["balance", "--games", "2", "--strategies", ",".join(SMOKE), "--json", str(path)])
    return code, out.getvalue(), json.loads(path.read_text(encoding="utf-8"))


def test_balance_smoke_exits_0_and_prints_matrix_ratings_targets(smoke):
    code, out, _ = smoke
    assert code == 0
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("US win rate, rows = US strategy"))
    assert "(2 games each)" in lines[header]
    assert lines[header + 1].split() == list(SMOKE)
    for k, name in enumerate(SMOKE):
        row = lines[header + 2 + k].split()
        assert row[0] == name and len(row) == 1 + len(SMOKE) and all(cell.endswith("%") for cell in row[1:])
    ratings = lines.index("Rating (Bradley-Terry, Elo scale, 95% CI)")
    assert sorted(lines[ratings + 1 + k].split()[0] for k in range(len(SMOKE))) == sorted(SMOKE)
    assert "Balance targets" in lines
    targets = [line for line in lines if line.startswith(("  [ok] ", "  [FAIL] "))]
    assert targets and any("ladder: normal beats easy" in line for line in targets)


def test_balance_json_has_every_ordered_pairing_and_rating(smoke):
    _, _, data = smoke
    assert data["strategies"] == list(SMOKE)
    pairs = [(p["us"], p["cn"]) for p in data["pairings"]]
    assert sorted(pairs) == sorted(itertools.product(SMOKE, SMOKE)) and len(pairs) == 9
    assert all(p["games"] == 2 and 0.0 <= p["us_win_rate"] <= 1.0 for p in data["pairings"])
    assert sorted(r["strategy"] for r in data["ratings"]) == sorted(SMOKE)
    assert abs(sum(r["elo"] for r in data["ratings"])) < 1.0  # ratings are centred (rounding aside)
    assert data["targets"] and all({"target", "figure", "ok"} <= set(t) for t in data["targets"])


def test_balance_check_exits_1_and_names_failing_targets(capsys, tmp_path):
    path = tmp_path / "c.json"
    # One game a pairing cannot show both early and score victories in normal v normal: a target fails.
    code, out, err = run(capsys, "balance", "--games", "1", "--strategies", "easy,normal", "--check",
                         "--json", str(path))
    assert code == 1
    assert "Balance targets" in out
    targets = json.loads(path.read_text(encoding="utf-8"))["targets"]
    failed = [t for t in targets if not t["ok"]]
    assert failed
    assert err.startswith("balance check failed: ") and err.count("\n") == 1
    for t in targets:
        assert (f"{t['target']} ({t['figure']})" in err) == (not t["ok"]), t
    assert "Traceback" not in err


@pytest.mark.parametrize("argv, names", [
    (["balance", "--strategies", "normal,nope"], "nope"),
    (["balance", "--strategies", "normal,normal"], "normal,normal"),
    (["balance", "--games", "0"], "--games"),
])
def test_balance_bad_input_is_one_line(capsys, argv, names):
    code, out, err = run(capsys, *argv)
    assert_one_line_error(code, out, err)
    assert names in err


# --------------------------------------------------------------------------------------------------
# sim --sprt


def test_sprt_stops_early(capsys):
    code, out, _ = run(capsys, "sim", "--games", "40", "--us", "normal", "--cn", "random", "--sprt", "0.3,0.7")
    assert code == 0
    verdicts = [line for line in out.splitlines() if line.startswith("SPRT:")]
    assert len(verdicts) == 1
    assert "0.7, not 0.3" in verdicts[0]
    games = int(verdicts[0].split("after ")[1].split(" games")[0])
    assert games < 40
    assert f"seeds 1-{games}" in out  # the table covers the games the test looked at, no more


@pytest.mark.parametrize("value", ["0.7,0.3", "x"])
def test_sprt_bad_rates_are_one_line(capsys, value):
    code, out, err = run(capsys, "sim", "--sprt", value)
    assert_one_line_error(code, out, err)
    assert "--sprt" in err


# --------------------------------------------------------------------------------------------------
# Bradley-Terry and cycles


def full_schedule(n: int, games: int = 100) -> np.ndarray:
    return np.full((n, n), float(games)) - np.diag(np.full(n, float(games)))


def test_bradley_terry_stronger_strategy_rates_higher():
    names = ["strong", "middle", "weak"]
    played = full_schedule(3)
    wins = np.array([[0, 70, 85], [30, 0, 65], [15, 35, 0]], dtype=float)
    theta, se = bradley_terry(names, wins, played)
    assert theta[0] > theta[1] > theta[2]
    assert np.all(np.isfinite(se)) and np.all(se > 0)


def test_bradley_terry_symmetric_results_rate_equal():
    played = full_schedule(4)
    theta, _ = bradley_terry(list("abcd"), played / 2, played)
    assert np.allclose(theta, 0.0, atol=1e-8)
    # A perfect rock-paper-scissors: each beats the next 70 times in 100; no one is stronger.
    rps = np.array([[0, 70, 30], [30, 0, 70], [70, 30, 0]], dtype=float)
    theta, _ = bradley_terry(["rock", "paper", "scissors"], rps, full_schedule(3))
    assert np.allclose(theta, theta[0], atol=1e-8)


@pytest.mark.parametrize("seed", range(5))
def test_bradley_terry_ratings_have_mean_zero(seed):
    rng = np.random.default_rng(seed)
    n = 5
    played = full_schedule(n, 50)
    upper = np.triu(rng.integers(0, 51, size=(n, n)).astype(float), 1)
    wins = upper + (np.triu(played, 1) - upper).T
    theta, _ = bradley_terry([str(i) for i in range(n)], wins, played)
    assert abs(theta.mean()) < 1e-9


def test_bradley_terry_sweep_stays_finite():
    # The half-win prior: a strategy that won every game still gets a finite rating.
    sweep, _ = bradley_terry(["a", "b"], np.array([[0.0, 10.0], [0.0, 0.0]]), full_schedule(2, 10))
    assert np.all(np.isfinite(sweep)) and sweep[0] > sweep[1] and abs(sweep.sum()) < 1e-9


def test_cycles_finds_a_planted_cycle_once():
    beats = np.zeros((4, 4), dtype=bool)
    beats[0, 1] = beats[1, 2] = beats[2, 0] = True   # A > B > C > A
    beats[3, :3] = True                               # D beats all three: in no cycle
    assert cycles(["A", "B", "C", "D"], beats) == [["A", "B", "C"]]


def test_cycles_lists_each_cycle_once_and_none_in_a_ladder():
    names = ["A", "B", "C", "D"]
    ladder = np.triu(np.ones((4, 4), dtype=bool), 1)  # A > B > C > D, transitive
    assert cycles(names, ladder) == []
    beats = ladder.copy()
    beats[0, 2], beats[2, 0] = False, True            # C > A: A > B > C > A
    beats[1, 3], beats[3, 1] = False, True            # D > B: B > C > D > B
    found = cycles(names, beats)
    assert sorted(map(frozenset, found)) == sorted([frozenset("ABC"), frozenset("BCD")])
    assert len({frozenset(c) for c in found}) == len(found)
