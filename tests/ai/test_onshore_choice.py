"""The planners choose the onshore share of their fab money (rules 3, issue 25 item 2): `normal` and `hard` aim a step
above the onshore share of the rival's new chips as they estimate it, never below the scenario's default; `easy`
keeps the default; a side whose fabs are all at home has nothing to choose."""

from __future__ import annotations

import numpy as np

from game.ai import load_strategy
from game.ai.planner import ONSHORE_STEP
from game.content import load_content
from game.engine import Tables, new_world
from game.engine.observe import View

CONTENT = load_content()
TABLES = Tables(CONTENT, CONTENT.scenario("2025"))
DEFAULT = float(TABLES.new_fabs_onshore[0])


def test_normal_aims_above_the_rivals_onshore_share() -> None:
    world = new_world(TABLES, [1, 2, 3])
    rival = View(world, 0)["rival.self_sufficiency"]
    assert (rival > DEFAULT - ONSHORE_STEP).all()  # 2025: China's new chips are far more its own than the US's
    for sid in ("normal", "hard"):
        orders = load_strategy(sid).decide(world, 0)
        assert np.allclose(orders.onshore, np.clip(rival + ONSHORE_STEP, DEFAULT, 1.0)), sid
    assert (load_strategy("easy").decide(world, 0).onshore == DEFAULT).all()


def test_normal_never_goes_below_the_default() -> None:
    world = new_world(TABLES, [1])
    world.obs_lag[:, 1] = 0.0  # the rival's figures as its intelligence feed shows them: nothing of its own
    assert (load_strategy("normal").decide(world, 0).onshore >= DEFAULT).all()


def test_china_builds_at_home_whatever() -> None:
    world = new_world(TABLES, [1])
    assert not TABLES.builds_abroad[1]
    assert (load_strategy("normal").decide(world, 1).onshore == 1.0).all()
