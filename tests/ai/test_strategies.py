"""Strategies: built-ins load and play legal orders, see only their own view, explain themselves."""

from __future__ import annotations

import numpy as np
import pytest

from game.ai import StrategyError, builtin_ids, load_strategy
from game.content import load_content
from game.engine import Tables, new_world, resolve
from game.engine.orders import validate

CONTENT = load_content()
TABLES = Tables(CONTENT, CONTENT.scenario("2025"))


def test_builtins_are_listed() -> None:
    assert {"balanced", "all_in_scale", "efficiency_first", "random"} <= set(builtin_ids())


@pytest.mark.parametrize("sid", ["balanced", "all_in_scale", "efficiency_first", "random"])
def test_builtin_plays_legal_orders_to_the_end(sid: str) -> None:
    strat = load_strategy(sid)
    rival = load_strategy("balanced")
    world = new_world(TABLES, [11, 12, 13])
    for _ in range(TABLES.scenario.turns):
        if world.done.all():
            break
        for side in (0, 1):
            orders = strat.decide(world, side)
            validate(world, orders, side)  # raises on anything illegal
        world = resolve(world, strat.decide(world, 0), rival.decide(world, 1))
    assert world.done.all()


@pytest.mark.parametrize("sid", ["balanced", "all_in_scale", "efficiency_first", "random"])
def test_orders_ignore_the_rivals_hidden_state(sid: str) -> None:
    strat = load_strategy(sid)
    world = new_world(TABLES, [3, 4])
    world = resolve(world, load_strategy("balanced").decide(world, 0), load_strategy("balanced").decide(world, 1))
    before = strat.decide(world, 0)
    hidden = world.copy()
    # The rival's current (not yet observed) state: money, fleet, models, efficiency.
    hidden.treasury_busd[:, 1] = -500.0
    hidden.fleet[:, 1] *= 3.0
    hidden.fleet_total[:, 1] *= 3.0
    hidden.model_log10_eff[:, 1] += 2.0
    hidden.capability[:, 1] = 99.0
    hidden.efficiency_log10[:, 1] += 1.0
    hidden.run_flop[:, 1] = 1e30
    after = strat.decide(hidden, 0)
    assert np.array_equal(before.allocation, after.allocation)
    assert np.array_equal(before.split, after.split)
    assert np.array_equal(before.actions, after.actions)


def test_random_is_seeded_and_varies() -> None:
    strat = load_strategy("random")
    world = new_world(TABLES, [1, 2])
    a, b = strat.decide(world, 0), strat.decide(world, 0)
    assert np.array_equal(a.allocation, b.allocation)
    assert not np.array_equal(a.allocation[0], a.allocation[1])


def test_think_gives_a_line_per_game() -> None:
    world = new_world(TABLES, [1, 2, 3])
    for sid in ("balanced", "efficiency_first", "random"):
        lines = load_strategy(sid).think(world, 1).reasons
        assert len(lines) == 3 and all(isinstance(x, str) and x for x in lines)


def test_adjustment_applies_when_its_condition_holds() -> None:
    strat = load_strategy("balanced")
    world = new_world(TABLES, [1, 2])
    world.treasury_busd[1, 0] = -100.0  # own treasury is exact in the view
    orders = strat.decide(world, 0)
    assert orders.allocation[1].sum() < orders.allocation[0].sum()
    assert "debt" in strat.think(world, 0).reasons[1]


def test_a_script_sets_the_onshore_share_by_phase_and_adjustment(tmp_path) -> None:
    """Rules 3: a phase or an adjustment may set the share of new fab money built onshore; without one, the
    scenario's default."""
    path = tmp_path / "home.toml"
    path.write_text('id = "home"\nname = "Home"\n[[phase]]\nturns = [1, 2]\nallocation = { fabs = 0.5 }\n'
                    'split = { training = 1.0 }\nonshore = 0.8\n[[phase]]\nturns = [3, 40]\n'
                    'allocation = { fabs = 0.5 }\nsplit = { training = 1.0 }\n[[adjust]]\n'
                    'when = [{ field = "self.treasury_busd", op = "<", value = 0 }]\nonshore = 1.0\n')
    strat = load_strategy(str(path))
    world = new_world(TABLES, [1, 2])
    world.treasury_busd[1, 0] = -100.0
    assert strat.decide(world, 0).onshore.tolist() == [0.8, 1.0]
    world.turn[:] = 5
    default = TABLES.new_fabs_onshore[0]
    assert strat.decide(world, 0).onshore.tolist() == [default, 1.0]
    path.write_text(path.read_text().replace("onshore = 0.8", "onshore = 1.8"))
    with pytest.raises(StrategyError) as err:
        load_strategy(str(path))
    assert "phase[0].onshore" in str(err.value) and "\n" not in str(err.value)


def test_unknown_strategy_is_refused() -> None:
    with pytest.raises(StrategyError, match="unknown strategy 'nope'"):
        load_strategy("nope")


def test_missing_strategy_file_is_refused(tmp_path) -> None:
    with pytest.raises(StrategyError, match="not found"):
        load_strategy(str(tmp_path / "missing.toml"))


@pytest.mark.parametrize("text, key", [
    ('id = "x"\nname = "X"\n', "phase"),
    ('id = "x"\nname = "X"\n[[phase]]\nturns = [1, 4]\nallocation = { compute = 0.9, fabs = 0.2 }\n'
     'split = { training = 1.0 }\n', "phase[0].allocation"),
    ('id = "x"\nname = "X"\n[[phase]]\nturns = [1, 4]\nallocation = { compute = 0.5 }\n'
     'split = { training = 0.5 }\n', "phase[0].split"),
    ('id = "x"\nname = "X"\n[[phase]]\nturns = [4, 1]\nallocation = { compute = 0.5 }\n'
     'split = { training = 1.0 }\n', "phase[0].turns"),
    ('id = "x"\nname = "X"\n[[phase]]\nturns = [1, 4]\nallocation = { computer = 0.5 }\n'
     'split = { training = 1.0 }\n', "phase[0].allocation.computer"),
    ('id = "x"\nname = "X"\n[[phase]]\nturns = [1, 4]\nallocation = { compute = 0.5 }\n'
     'split = { training = 1.0 }\n[[action]]\nid = "stockpile"\nwhen = [{ field = "self.gold", op = "<", value = 1 }]\n',
     "action 'stockpile'.when[0].field"),
    ('id = "x"\nname = "X"\n[[phase]\n', ""),
])
def test_bad_strategy_file_names_file_and_key(tmp_path, text: str, key: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(StrategyError) as err:
        load_strategy(str(path))
    message = str(err.value)
    assert message.startswith(str(path))
    assert key in message
    assert "\n" not in message
