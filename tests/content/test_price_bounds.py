"""Content that passes `content check` cannot crash the engine (issue 27 item 7): every figure the rules divide by,
and every factor on a price, has a bound the check enforces; a NaN or infinity that still reaches the state ends
sim, trace, backtest and balance with one line naming the field and the quarter (exit 2), never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import game.content
from game.cli import main
from game.content import default_content_dir, load_content
from game.content.vocab import MIN_PRICE_FACTOR, PRICE_MODIFIERS
from game.engine import Tables, new_world
from game.engine.state import NonFiniteState, check_finite

SHIPPED = default_content_dir()

# The four reproductions of the issue: a shipped effect on a price, its factor set to 0.
ZEROED = {
    "fab_cost": ("policies.toml", 'target = "fab_cost", side = "self", op = "mul", value = 0.75',
                 "policy 'chips_act'.effects[0].value"),
    "power_build_cost": ("policies.toml", 'target = "power_build_cost", side = "self", op = "mul", value = 0.7',
                         "policy 'stargate'.effects[0].value"),
    "chip_price": ("events.toml", 'target = "chip_price", side = "both", op = "mul", value = 1.3',
                   "event 'taiwan_strait_crisis'.effects[1].value"),
    "tool_price": ("policies.toml", 'target = "tool_price", side = "self", op = "mul", value = 0.9',
                   "policy 'big_fund'.effects[2].value"),
}


def copy_with(tmp_path: Path, rel: str, old: str, new: str) -> Path:
    root = tmp_path / "content"
    if not root.exists():
        shutil.copytree(SHIPPED, root)
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def always_on(target: str, value: float, side: str = "us", n: int = 1) -> str:
    """`n` events that fire in the first quarter and last the game, each multiplying `target` by `value`."""
    return "".join(f'\n[[event]]\nid = "probe_{k}"\nname = "Probe"\nheadline = "Probe"\nprobability = 1.0\n'
                   f'duration = 200\neffects = [{{ kind = "modifier", target = "{target}", side = "{side}", '
                   f'op = "mul", value = {value!r} }}]\n' for k in range(n))


def with_events(tmp_path: Path, extra: str) -> Path:
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    with (root / "events.toml").open("a", encoding="utf-8") as f:
        f.write(extra)
    return root


def one_line_refusal(capsys, root: Path) -> str:
    code = main(["content", "check", str(root)])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("price", sorted(ZEROED))
def test_a_zero_factor_on_a_price_is_refused_in_one_line(capsys, tmp_path, price):
    rel, old, where = ZEROED[price]
    root = copy_with(tmp_path, rel, old, old.rsplit("value = ", 1)[0] + "value = 0.0")
    line = one_line_refusal(capsys, root)
    assert line.startswith(f"content/{rel}: {where}: expected a factor >= {MIN_PRICE_FACTOR:g} on a price"), line


@pytest.mark.parametrize("price", PRICE_MODIFIERS)
@pytest.mark.parametrize("value", [0.0, 5e-324, MIN_PRICE_FACTOR * (1 - 1e-9)])
def test_every_price_factor_has_a_floor(tmp_path, price, value):
    root = with_events(tmp_path, always_on(price, value))
    with pytest.raises(game.content.ContentError, match=r"event 'probe_0'\.effects\[0\]\.value: expected a factor >= "):
        load_content(root)


@pytest.mark.parametrize("price", PRICE_MODIFIERS)
def test_a_price_factor_at_its_floor_plays(tmp_path, price):
    root = with_events(tmp_path, always_on(price, MIN_PRICE_FACTOR, side="both"))
    play_to_the_end(load_content(root))


def test_factors_that_stack_below_the_floor_are_refused(tmp_path):
    """Each factor passes alone; four in force at once (with the shipped CHIPS Act's 0.75) take the price below a
    hundred-millionth."""
    root = with_events(tmp_path, always_on("fab_cost", MIN_PRICE_FACTOR, n=4))
    with pytest.raises(game.content.ContentError) as info:
        load_content(root)
    assert "the factors on us's price 'fab_cost' that may be in force at once" in str(info.value)
    assert "multiply to 7.5e-09; expected at least 1e-06" in str(info.value)


def test_rest_of_world_appeal_is_above_zero(tmp_path):
    """Each side's mindshare target is its appeal over everyone's: with no appeal anywhere it is 0 / 0."""
    root = copy_with(tmp_path, "rules.toml", "rest_of_world_appeal = 25.0", "rest_of_world_appeal = 0.0")
    with pytest.raises(game.content.ContentError, match=r"apps\.rest_of_world_appeal: expected a number > 0"):
        load_content(root)


def test_the_markets_add_up_to_more_than_nothing(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    path = root / "sectors.toml"
    lines = [("market_busd_per_q = 0.0" if line.startswith("market_busd_per_q =") else line)
             for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(game.content.ContentError, match=r"sector 'consumer'\.market_busd_per_q: the sectors' markets "
                                                        r"add up to 0"):
        load_content(root)


def play_to_the_end(content, seeds=(1, 2)) -> None:
    from game.ai import load_strategy
    from game.engine.resolve import advance

    for scenario in content.scenarios.values():
        world = new_world(Tables(content, scenario), list(seeds))
        strategy = load_strategy("easy", content.root)
        while not world.done.all():
            advance(world, strategy.decide(world, 0), strategy.decide(world, 1))


# --------------------------------------------------------------------------------------------------
# The guard: what still gets through is one line


def test_the_guard_names_the_field_the_quarter_and_the_seed():
    content = load_content()
    world = new_world(Tables(content, content.scenarios["2025"]), [7, 8])
    world.turn[:] = 3
    world.mindshare[1, 0] = np.nan
    with pytest.raises(NonFiniteState, match=r"^state field mindshare holds nan \(element 0\) after quarter 3 "
                                             r"\(2025 Q3\) of the game with seed 8$"):
        check_finite(world)


@pytest.mark.parametrize("command", [["sim", "--games", "3"], ["trace"], ["backtest", "--games", "1"],
                                     ["balance", "--games", "2"]])
def test_a_non_finite_state_is_one_line_and_exit_2(capsys, tmp_path, monkeypatch, command):
    """The issue's reproduction with the check taken away (as if it missed a case): fab_cost x 0 divides by zero
    in the first quarter. Each command ends with one line naming the field and the quarter and pointing at the
    content, never with a traceback (before: NonFiniteState's traceback, or an order "found nan")."""
    rel, old, _ = ZEROED["fab_cost"]
    root = copy_with(tmp_path, rel, old, old.replace("value = 0.75", "value = 0.0"))
    monkeypatch.setattr(game.content, "check_effects", lambda *args, **kwargs: None)
    monkeypatch.setattr(game.content, "check_price_stacks", lambda *args, **kwargs: None, raising=False)
    code = main(["--content", str(root), *command])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("compute-race: state field "), lines[0]
    assert re.search(r" after quarter \d+ \(20\d\d Q[1-4]\) of the game with seed \d+: ", lines[0]), lines[0]
    assert "content value may be at fault" in lines[0]
