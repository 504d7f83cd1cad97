"""Several roads to a win (sim --explain, --json, balance and its target) and balance --rows (each budget row's
worth to normal, the row halved in the AI wrapper)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from game.ai import StrategyError, load_strategy
from game.ai.halved import halve_row
from game.cli import main
from game.content import load_content
from game.engine import Tables, new_world
from game.engine.resolve import advance
from game.engine.state import REASONS, WINNERS
from game.engine.tables import CATEGORIES
from game.schema import VERDICT_PARTS
from game.sim.balance import ROWS_UNTARGETED, check_targets, row_targets
from game.sim.explain import road_table, roads_of, roads_targets

ROADS = {"decisive_lead", "bankruptcy", *VERDICT_PARTS}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def wins(side: str, road: str, n: int) -> list[dict]:
    reason = road if road in ("decisive_lead", "bankruptcy") else "track"
    return [{"winner": side, "reason": reason, "road": road, "track_us": 50.0, "track_cn": 50.0,
             "leader_turn12": side}] * n


def roads_ok(records: list[dict]) -> dict[str, bool]:
    targets = [t for t in check_targets({("normal", "normal"): records}) if t["target"].startswith("several roads")]
    return {("US" if " US " in t["target"] else "China"): t["ok"] for t in targets}


def test_a_side_that_wins_only_by_supply_fails_the_roads_target() -> None:
    parts = [p for p in VERDICT_PARTS if p != "supply"]
    records = wins("us", "decisive_lead", 5) + wins("us", parts[0], 3) + wins("us", parts[1], 2) \
        + wins("cn", "supply", 10)
    assert roads_ok(records) == {"US": True, "China": False}


def test_three_roads_each_a_tenth_pass_and_a_road_under_a_tenth_does_not_count() -> None:
    records = wins("us", "decisive_lead", 4) + wins("us", "bankruptcy", 3) + wins("us", VERDICT_PARTS[0], 3) \
        + wins("cn", "supply", 5) + wins("cn", VERDICT_PARTS[0], 3) + wins("cn", "decisive_lead", 2)
    assert roads_ok(records) == {"US": True, "China": True}
    thin = wins("us", "decisive_lead", 10) + wins("us", "supply", 9) + wins("us", VERDICT_PARTS[0], 1)
    target = roads_targets(thin, "x v x")[0]
    assert not target["ok"] and target["value"] == 2.0  # 1 of 20 is 5%: not a road that counts
    assert road_table(thin, "us")[0] == {"road": "decisive_lead", "wins": 10, "share": 0.5}


def test_the_road_of_a_track_win_is_the_part_that_favours_the_winner_most() -> None:
    parts = np.zeros((4, 2, len(VERDICT_PARTS)))
    parts[:, 0, 0] = 30.0  # the US far ahead on the first part ...
    parts[:, 1, -1] = 40.0  # ... China further ahead on the last
    winner = np.array([WINNERS.index(w) for w in ("cn", "us", "us", "draw")])
    reason = np.array([REASONS.index(r) for r in ("track", "track", "bankruptcy", "track")])
    assert roads_of(winner, reason, parts) == [VERDICT_PARTS[-1], VERDICT_PARTS[0], "bankruptcy", ""]


def test_sim_explain_prints_each_sides_roads_and_json_holds_them(capsys, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    code, out, _ = run(capsys, "sim", "--games", "6", "--us", "normal", "--cn", "normal", "--explain",
                       "--json", str(path))
    assert code == 0
    assert "Roads to a win" in out and "US (Normal): roads to its" in out and "China (Normal): roads to its" in out
    data = json.loads(path.read_text())
    roads = data["summary"]["roads"]
    for side in ("us", "cn"):
        won = [g for g in data["games"] if g["winner"] == side]
        assert sum(r["wins"] for r in roads[side]) == len(won)
        assert {g["road"] for g in won} <= ROADS
    assert all(set(g["us"]["spent_busd"]) == set(CATEGORIES) for g in data["games"])


def test_balance_reports_roads_for_same_strategy_pairings_and_checks_them(capsys, tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    code, out, _ = run(capsys, "balance", "--games", "2", "--strategies", "normal,easy", "--json", str(path))
    assert code == 0
    data = json.loads(path.read_text())
    assert set(data["roads"]) == {"normal", "easy"} and set(data["roads"]["normal"]) == {"us", "cn"}
    assert "Roads to a win, normal v normal" in out
    assert sum(t["target"].startswith("several roads: normal v normal") for t in data["targets"]) == 2


def test_halving_a_row_keeps_the_total_and_the_mix_of_the_others() -> None:
    alloc = np.array([[0.2, 0.1, 0.1, 0.0, 0.1, 0.0, 0.0, 0.0], [0.4, 0, 0, 0, 0, 0, 0, 0]])
    out = halve_row(alloc, 0)
    assert out[0, 0] == pytest.approx(0.1) and out[0].sum() == pytest.approx(alloc[0].sum())
    assert out[0, 1:] == pytest.approx(alloc[0, 1:] * 0.4 / 0.3)
    assert out[1, 0] == pytest.approx(0.2) and out[1].sum() == pytest.approx(0.2)  # nowhere to spread: unspent


def test_normal_with_a_row_halved_changes_only_that_allocation_mix() -> None:
    content = load_content()
    tables = Tables(content, content.scenario("2025"))
    plain, halved = load_strategy("normal"), load_strategy("normal-half:research")
    world = new_world(tables, list(range(1, 9)))
    row = CATEGORIES.index("research")
    for _ in range(3):
        a, b = plain.decide(world, 0), halved.decide(world, 0)
        assert b.allocation[:, row] == pytest.approx(a.allocation[:, row] / 2)
        assert b.allocation.sum(axis=1) == pytest.approx(a.allocation.sum(axis=1))
        assert (a.actions == b.actions).all() and (a.split == b.split).all()
        # The onshore order (rules 3) passes through: a halved fab row must not also move where fabs are built.
        assert a.onshore is not None and b.onshore is not None and (a.onshore == b.onshore).all()
        advance(world, plain.decide(world, 0), plain.decide(world, 1))
    assert halved.think(world, 0).orders.allocation[:, row] == pytest.approx(plain.decide(world, 0).allocation[:, row] / 2)


@pytest.mark.parametrize("spec,fragment", [("normal-half:farms", "not a budget row"),
                                           ("balanced-half:fabs", "only easy, normal, hard")])
def test_bad_half_spec_is_one_line(spec: str, fragment: str) -> None:
    with pytest.raises(StrategyError) as exc:
        load_strategy(spec)
    assert fragment in str(exc.value) and "\n" not in str(exc.value)


def test_balance_rows_prints_every_row_for_both_seats(capsys, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    code, out, err = run(capsys, "balance", "--rows", "--games", "4", "--check", "--json", str(path))
    data = json.loads(path.read_text())
    assert [r["row"] for r in data["rows"]] == list(CATEGORIES)
    for r in data["rows"]:
        for seat in ("us", "cn"):
            assert {"worth", "ci", "budget_share", "funded", "win_rate_halved"} <= set(r[seat])
            assert f"  {r['row']:<14}{seat.upper():<7}" in out
    failed = [t for t in data["targets"] if not t["ok"]]
    assert code == (1 if failed else 0)
    assert all(t["target"] in err for t in failed)
    assert not any(t["target"].startswith(ROWS_UNTARGETED) for t in data["targets"])


def test_row_targets_fail_a_funded_row_worth_nothing_and_skip_an_unfunded_one() -> None:
    def seat(worth: float, funded: bool = True) -> dict:
        return {"worth": worth, "ci": [worth - 0.01, worth + 0.01], "funded": funded}

    rows = [{"row": "fabs", "us": seat(0.0), "cn": seat(0.2)},
            {"row": "design", "us": seat(0.0, funded=False), "cn": seat(0.5)},
            {"row": "intelligence", "us": seat(0.0), "cn": seat(0.0)}]
    got = {t["target"]: t["ok"] for t in row_targets(rows)}
    assert got == {"fabs worth 5%-45% to US": False, "fabs worth 5%-45% to CN": True,
                   "design worth 5%-45% to CN": False}


def test_rows_and_policies_together_are_refused(capsys) -> None:
    code, out, err = run(capsys, "balance", "--rows", "--policies", "--games", "2")
    assert code == 2 and out == "" and err.count("\n") == 1 and "--rows" in err
