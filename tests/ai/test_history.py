"""The historical strategies: loadable by id, outside the balance matrix, and they replay 2022-2025 on the dates."""

from __future__ import annotations

import numpy as np
import pytest

from game.ai import load_strategy
from game.content import load_content
from game.engine import Tables, new_world
from game.engine.resolve import advance
from game.engine.state import FLOWS, FLOWS_IN, REASONS
from game.sim.balance import STRATEGIES

CONTENT = load_content()
TABLES = Tables(CONTENT, CONTENT.scenario("2022"))
SEEDS = list(range(1, 9))
# Turn numbers of the 2022 scenario (2022 Q3 = turn 1): what each side did, and when (the strategy files
# give the dates and sources).
DATED = {
    ("chips_act", 0): 1,                  # Aug 2022
    ("tighten_export_controls", 0): (2, 6, 10),   # Oct 2022, Oct 2023, Dec 2024
    ("allied_coordination", 0): 5,        # Dutch and Japanese tool rules, 2023
    ("stargate", 0): 11,                  # Jan 2025
    ("stockpile", 1): (5, 10),            # ahead of the Oct 2023 and Dec 2024 rules
    ("smuggling_network", 1): 6,          # once the H800 route closed, 2023 Q4
    ("open_source_strategy", 1): 5,       # Qwen-7B, Aug 2023
    ("big_fund", 1): 8,                   # Big Fund III, May 2024
}


@pytest.fixture(scope="module")
def history():
    """40 quarters of the 2022 scenario, history against history: the taken actions, flows, tiers per turn."""
    us, cn = load_strategy("history_us"), load_strategy("history_cn")
    world = new_world(TABLES, SEEDS)
    taken, flows, tiers = [], [], []
    while not world.done.all():
        advance(world, us.decide(world, 0), cn.decide(world, 1))
        taken.append(world.taken.copy())
        flows.append(world.flows_busd.copy())
        tiers.append(world.export_tier.copy())
    return world, np.array(taken), np.array(flows), np.array(tiers)


def test_loadable_by_id_and_not_in_the_balance_matrix() -> None:
    for sid in ("history_us", "history_cn"):
        assert load_strategy(sid).id == sid
        assert sid not in STRATEGIES


def test_no_bankruptcy_and_no_early_end(history) -> None:
    """History's spending never bankrupts either side, and the race stays open to 2030: a game ends by the track
    after forty quarters or by a decisive lead no sooner than 2030 (turn 30; the US leads as it did)."""
    world, taken, _, _ = history
    assert TABLES.scenario.turns == 40 and len(taken) == int(world.turn.max())
    assert not (world.reason == REASONS.index("bankruptcy")).any()
    decisive = world.reason == REASONS.index("decisive_lead")
    assert ((world.turn == 40) | (decisive & (world.turn >= 30))).all()


def test_the_dated_actions_come_on_their_turns(history) -> None:
    _, taken, _, tiers = history
    for (pid, side), turns in DATED.items():
        a = TABLES.action_index[(pid, side)]
        when = (turns,) if isinstance(turns, int) else turns
        for turn in when:
            assert taken[turn - 1, :, a].all(), f"{pid} not taken in turn {turn}"
        first = min(when)
        assert not taken[: first - 1, :, a].any(), f"{pid} taken before turn {first}"
    # The tiers of REFERENCE s5: 1 from Oct 2022, 2 from Oct 2023, 3 from Dec 2024, and 3 through 2025.
    assert [int(tiers[t - 1, 0]) for t in (1, 2, 5, 6, 9, 10, 14)] == [0, 1, 1, 2, 2, 3, 3]


def test_spending_follows_the_sourced_path(history) -> None:
    """Spending per calendar year (REFERENCE s5): US ~$246B in 2024 and ~$380B in 2025 (hyperscaler capex);
    China ~$60-120B a year by 2025. Wide bands: the shape of the path, not a calibration."""
    _, _, flows, _ = history
    spent = flows[:, :, :, len(FLOWS_IN):].sum(axis=-1)  # (turn, game, side)
    assert len(FLOWS) > len(FLOWS_IN)

    def year(first_turn: int, side: int) -> float:
        return float(np.median(spent[first_turn - 1:first_turn + 3, :, side].sum(axis=0)))

    us_2024, us_2025, cn_2025 = year(7, 0), year(11, 0), year(11, 1)
    assert 180 <= us_2024 <= 330, us_2024
    assert 270 <= us_2025 <= 480, us_2025
    assert 60 <= cn_2025 <= 130, cn_2025
    assert year(3, 0) < us_2024 < us_2025 and year(3, 1) < year(7, 1)
