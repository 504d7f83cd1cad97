"""sim --explain on the terminal, the per-game detail in sim --json, and compute-race trace."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from game.cli import main
from game.sim.explain import summarise_explain
from game.sim.runner import reason_clauses

STRATS = Path(__file__).resolve().parents[1] / "data" / "strategies"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_reason_clauses_split_name_reasons_and_each_policy() -> None:
    line = "Normal: most money to compute; behind, so it researches; takes CHIPS Act subsidies, Stargate power build-out"
    assert reason_clauses(line) == ["most money to compute", "behind, so it researches",
                                    "takes CHIPS Act subsidies", "takes Stargate power build-out"]


def test_summarise_explain_splits_reasons_by_who_won() -> None:
    recs = [{"winner": "us", "reason": "track", "turns": 10, "reason_counts": {"us": {"a": 10}, "cn": {"b": 5}}},
            {"winner": "cn", "reason": "decisive_lead", "turns": 20, "reason_counts": {"us": {"a": 5}, "cn": {"b": 20}}}]
    s = summarise_explain(recs)
    assert s["end_reasons_by_winner"] == {"cn": {"decisive_lead": 1}, "us": {"track": 1}}
    us = s["sides"]["us"]["reasons"][0]
    assert us == {"reason": "a", "won": 1.0, "not_won": 0.25}
    cn = s["sides"]["cn"]["reasons"][0]
    assert cn == {"reason": "b", "won": 1.0, "not_won": 0.5}


def test_sim_explain_prints_reasons_and_end_reasons_by_winner(capsys) -> None:
    code, out, _ = run(capsys, "sim", "--games", "3", "--us", "normal", "--cn", "all_in_scale", "--explain")
    assert code == 0
    assert "End reasons by winner" in out
    assert "US (Normal): most frequent reasons" in out and "China (All-in scale): most frequent reasons" in out
    assert "most money to compute" in out


def test_sim_json_records_final_parts_treasury_and_chips_by_source(capsys, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    code, _, _ = run(capsys, "sim", "--games", "2", "--us", "normal", "--cn", "normal", "--json", str(path))
    assert code == 0
    game = json.loads(path.read_text())["games"][0]
    for side in ("us", "cn"):
        rec = game[side]
        assert set(rec["verdict"]) == {"frontier", "compute", "applications", "mindshare", "supply"}
        # The track by part adds up to the side's total.
        assert abs(sum(rec["track_parts"].values()) - game[f"track_{side}"]) < 1e-3
        assert isinstance(rec["treasury_busd"], float) and rec["fleet_chips"] > 0
        assert set(rec["chips_bought"]) == {"domestic", "imported", "smuggled"}
        assert rec["chips_bought"]["domestic"], "every side builds chips at home in the 2025 scenario"
    # China imports the chips the export tier allows; the US imports none.
    assert not game["us"]["chips_bought"]["imported"]


def test_trace_prints_one_row_a_quarter(capsys) -> None:
    code, out, _ = run(capsys, "trace", "--us", "normal", "--cn", "normal", "--seed", "3", "--fields", "track,verdict")
    assert code == 0
    lines = out.splitlines()
    header = lines[0].split()
    assert header[:3] == ["turn", "us.track", "cn.track"] and "cn.verdict.supply" in header
    turns = int(lines[-1].split("after ")[1].split()[0])
    assert len(lines) == 1 + (turns + 1) + 1  # header, the start and each quarter, the outcome


def test_trace_csv_matches_the_game_sim_plays(capsys, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    code, out, _ = run(capsys, "trace", "--seed", "5", "--fields", "track", "--csv", str(path))
    assert code == 0 and "written to" in out
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["turn", "us.track", "cn.track"]
    sim = tmp_path / "s.json"
    run(capsys, "sim", "--games", "1", "--seed", "5", "--us", "normal", "--cn", "normal", "--json", str(sim))
    game = json.loads(sim.read_text())["games"][0]
    assert int(rows[-1][0]) == game["turns"]
    assert abs(float(rows[-1][1]) - game["track_us"]) < 1e-4


def test_trace_unknown_field_is_one_line_with_did_you_mean(capsys) -> None:
    code, out, err = run(capsys, "trace", "--fields", "track,capabilty")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "'capabilty'" in err and "did you mean 'capability'" in err


def test_trace_csv_refuses_a_link_before_playing(capsys, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.csv"
    target.write_text("keep")
    link = tmp_path / "t.csv"
    link.symlink_to(target)
    code, out, err = run(capsys, "trace", "--csv", str(link))
    assert code == 2 and out == "" and err.count("\n") == 1 and "--csv" in err
    assert target.read_text() == "keep"


def test_trace_list_names_every_figure(capsys) -> None:
    code, out, _ = run(capsys, "trace", "--list")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert "capability" in names and "verdict" in names and "seed" not in names
