"""balance --policies, the planner built without given policies, and user scripts in balance's targets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from game.ai import StrategyError, load_strategy
from game.cli import main
from game.content import load_content
from game.engine import Tables, new_world
from game.engine.resolve import advance
from game.sim.balance import check_targets, paired_worth, policy_ceiling, policy_targets

STRATS = Path(__file__).resolve().parents[1] / "data" / "strategies"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_normal_without_a_policy_never_takes_it() -> None:
    content = load_content()
    tables = Tables(content, content.scenario("2025"))
    plain = load_strategy("normal")
    without = load_strategy("normal-without:energy_buildout+big_fund")
    world = new_world(tables, list(range(1, 33)))
    cn_ids = [a.policy_id for a in tables.actions if a.side == 1]
    took_plain = np.zeros(len(tables.actions), dtype=bool)
    for _ in range(12):
        a = plain.decide(world, 1).actions
        b = without.decide(world, 1).actions
        took_plain |= a.any(axis=0)
        idx = [i for i, act in enumerate(tables.actions) if act.policy_id in ("energy_buildout", "big_fund")]
        assert not b[:, idx].any()
        others = [i for i in range(len(tables.actions)) if i not in idx]
        assert (a[:, others] == b[:, others]).all()  # nothing else changes
        advance(world, plain.decide(world, 0), plain.decide(world, 1))
    assert "energy_buildout" in cn_ids and took_plain.any()


@pytest.mark.parametrize("spec,fragment", [
    ("normal-without:relase_weights", "did you mean 'release_weights'"),
    ("hard-without:stockpile", "only easy and normal"),
])
def test_bad_without_spec_is_one_line(spec: str, fragment: str) -> None:
    with pytest.raises(StrategyError) as exc:
        load_strategy(spec)
    assert fragment in str(exc.value) and "\n" not in str(exc.value)


def test_paired_worth_is_the_mean_drop_with_an_interval() -> None:
    base = [{"winner": "us"}] * 6 + [{"winner": "cn"}] * 4
    without = [{"winner": "cn"}] * 4 + [{"winner": "us"}] * 2 + [{"winner": "cn"}] * 4
    mean, lo, hi = paired_worth(base, without, "us")
    assert mean == pytest.approx(0.4) and lo < 0.4 < hi
    assert paired_worth(base, base, "us") == (0.0, 0.0, 0.0)


def test_policy_targets_flag_too_strong_and_worthless_policies() -> None:
    rows = [{"policy": "a", "us": {"worth": 0.3}}, {"policy": "b", "cn": {"worth": 0.0}},
            {"policy": "c", "us": {"worth": 0.01}, "cn": {"worth": 0.05}}]
    got = {t["target"]: t["ok"] for t in policy_targets(rows)}
    assert got["a worth <= 20% to each seat that can take it"] is False
    assert got["b worth >= 2% in some seat (this scenario)"] is False
    assert got["c worth >= 2% in some seat (this scenario)"] is True
    assert got["c worth <= 20% to each seat that can take it"] is True


def test_policy_ceiling_is_35_points_in_2022_and_20_elsewhere() -> None:
    content = load_content()
    assert policy_ceiling(content, "2022") == pytest.approx(0.35)
    assert policy_ceiling(content, "2025") == pytest.approx(0.20)
    rows = [{"policy": "controls", "us": {"worth": 0.3}}]
    got = {t["target"]: t["ok"] for t in policy_targets(rows, policy_ceiling(content, "2022"))}
    assert got["controls worth <= 35% to each seat that can take it"] is True


def test_user_script_held_to_the_no_dominant_script_target() -> None:
    results = {("mine.toml", "normal"): [{"winner": "us"}] * 7 + [{"winner": "cn"}] * 3,
               ("normal", "mine.toml"): [{"winner": "us"}] * 10}
    targets = check_targets(results, ("mine.toml",), {"mine.toml": "mine"})
    mine = [t for t in targets if "mine v normal" in t["target"]]
    assert len(mine) == 2 and [t["ok"] for t in mine] == [False, True]


def test_balance_policies_smoke(capsys, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    code, out, _ = run(capsys, "balance", "--policies", "--games", "2", "--json", str(path))
    assert code == 0
    data = json.loads(path.read_text())
    content = load_content()
    assert [r["policy"] for r in data["policies"]] == [p.id for p in content.policies]
    both = next(r for r in data["policies"] if r["side"] == "both")
    assert "us" in both and "cn" in both
    assert "Policy worth" in out and "Policy targets" in out


def test_balance_with_a_user_script_labels_it_by_id_and_checks_it(capsys, tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    script = str(STRATS / "steady_stack.toml")
    code, out, _ = run(capsys, "balance", "--games", "1", "--strategies", f"normal,{script}", "--json", str(path))
    assert code == 0
    assert "no dominant script: steady_stack v normal as US" in out
    assert "Rating by seat" in out and "End reasons by winner" in out
    data = json.loads(path.read_text())
    assert data["labels"][script] == "steady_stack"
    assert set(data["seat_advantage"]["by_strategy_ci"]) == {"normal", script}
