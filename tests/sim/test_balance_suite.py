"""The balance suite: a small-N smoke run of the command, its statistics, and bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from game.cli import main
from game.sim.balance import bradley_terry, cycles


def test_balance_smoke(tmp_path, capsys):
    out = tmp_path / "b.json"
    assert main(["balance", "--games", "2", "--strategies", "easy,normal,random", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    for part in ("US win rate, rows = US strategy", "Rating (Bradley-Terry", "Seat advantage", "End reasons",
                 "Median game length", "Rock-paper-scissors cycles", "Balance targets"):
        assert part in text
    data = json.loads(out.read_text())
    assert {(p["us"], p["cn"]) for p in data["pairings"]} == {
        (a, b) for a in ("easy", "normal", "random") for b in ("easy", "normal", "random")}
    assert sorted(r["strategy"] for r in data["ratings"]) == ["easy", "normal", "random"]
    assert data["seat_advantage"]["games"] == 6
    assert any(t["target"].startswith("ladder: normal beats easy") for t in data["targets"])


def test_balance_check_names_failures(capsys):
    # Two games cannot put normal v normal inside 45-55% and show both kinds of ending.
    code = main(["balance", "--games", "1", "--strategies", "easy,normal", "--check"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("balance check failed: ") and "seat balance normal v normal" in err


@pytest.mark.parametrize("argv", [
    ["balance", "--strategies", "normal,nope"],
    ["balance", "--strategies", "normal,normal"],
    ["balance", "--games", "0"],
    ["balance", "--json", "/no/such/folder/b.json", "--games", "1", "--strategies", "random"],
    ["sim", "--sprt", "0.7,0.3"],
    ["sim", "--sprt", "x"],
])
def test_bad_input_is_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_sprt_stops_early(capsys):
    assert main(["sim", "--games", "400", "--us", "normal", "--cn", "random", "--sprt", "0.3,0.7"]) == 0
    out = capsys.readouterr().out
    line = [x for x in out.splitlines() if x.startswith("SPRT:")][0]
    assert "0.7, not 0.3" in line
    games = int(line.split("after ")[1].split(" games")[0])
    assert games < 400


def test_bradley_terry_orders_and_centres():
    names = ["a", "b", "c"]
    played = np.array([[0, 100, 100], [100, 0, 100], [100, 100, 0]], dtype=float)
    wins = np.array([[0, 80, 90], [20, 0, 70], [10, 30, 0]], dtype=float)
    theta, se = bradley_terry(names, wins, played)
    assert theta[0] > theta[1] > theta[2]
    assert abs(theta.sum()) < 1e-9
    assert (se > 0).all()
    even, _ = bradley_terry(names, played / 2, played)
    assert np.allclose(even, 0.0)


def test_cycles_found_once():
    beats = np.zeros((4, 4), dtype=bool)
    beats[0, 1] = beats[1, 2] = beats[2, 0] = True
    beats[3, :3] = True
    assert cycles(["rock", "paper", "scissors", "gun"], beats) == [["rock", "paper", "scissors"]]
