"""The schema (game/schema.py): the world, the view and the names content and strategies use all follow
from it, and what it says each side may see is what a side's view shows."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from game.ai import load_strategy
from game.content import load_content
from game.content.vocab import STOCKS
from game.engine import Tables, World, new_world, observe
from game.engine.resolve import advance
from game.engine.state import shapes
from game.schema import (
    CONDITION_GLOBALS,
    CONDITION_SIDES,
    ESTIMATE,
    FEED,
    FIELD_NAMES,
    FIELDS,
    FIGURE,
    FIGURES,
    HIDDEN_SIDE_FIELDS,
    LOG_OBS,
    OBS,
    OWN,
    PUBLIC,
    PUBLIC_SIDE_FIELDS,
    SEEN,
    SIDE_FIELD_NAMES,
    STRATEGY_FIELDS,
    Fields,
)

SIDES = (0, 1)


@pytest.fixture(scope="module")
def tables() -> Tables:
    content = load_content(None)
    return Tables(content, content.scenarios["2025"])


@pytest.fixture(scope="module")
def world(tables) -> World:
    """Three games four quarters in, normal against normal."""
    w = new_world(tables, [3, 4, 5])
    a = load_strategy("normal")
    for _ in range(4):
        advance(w, a.decide(w, 0), a.decide(w, 1))
    return w


def views_equal(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def change(world: World, side: int, name: str) -> World:
    """A copy with one side's value of a field changed (every element, whatever its dtype)."""
    out = world.copy()
    arr = getattr(out, name)
    if arr.dtype == np.bool_:
        arr[:, side] = ~arr[:, side]
    else:
        arr[:, side] = arr[:, side] * 3 + 7
    return out


# --------------------------------------------------------------------------------------------------
# What is derived from the schema


def test_the_observation_vector_keeps_its_saved_order():
    """obs_lag and every save hold the figures in this order: a new figure is appended, never inserted."""
    assert OBS == ("capability", "compute_eflops", "fleet_chips", "efficiency_log10", "revenue_busd", "treasury_busd",
                   "mindshare", "power_mw", "fab_wafers_per_q", "euv_tools", "duv_tools", "packaging_chips_per_q",
                   "adoption", "model_log10_eff", "self_sufficiency", "cum_revenue_busd")
    assert LOG_OBS == ("efficiency_log10", "model_log10_eff")


def test_the_digest_covers_every_field(world):
    """The digest hashes the schema's fields (in sorted name order): a change to any of them shows."""
    assert World.names == FIELD_NAMES and len(set(FIELD_NAMES)) == len(FIELD_NAMES)
    before = world.digest(0)
    for name in FIELD_NAMES:
        changed = world.copy()
        arr = getattr(changed, name)
        arr[0] = ~arr[0] if arr.dtype == np.bool_ else arr[0] * 3 + 7
        assert changed.digest(0) != before, f"{name} is not in the digest"


def test_world_has_a_typed_attribute_for_each_field_and_arrays_as_declared(tables, world):
    assert tuple(Fields.__annotations__) == FIELD_NAMES
    specs = shapes(tables)
    for w in (new_world(tables, [1, 2]), world):
        assert tuple(w.arrays()) == FIELD_NAMES
        for name, (dtype, shape) in specs.items():
            arr = getattr(w, name)
            assert arr.dtype == dtype and arr.shape == (w.batch,) + shape, name
    assert not hasattr(Fields, "treasury_busd")  # only the annotation is left on the class


def test_every_field_and_figure_says_who_may_see_it():
    for f in FIELDS.values():
        assert f.seen in SEEN and f.unit is not None, f.name
        assert f.seen != FEED or f.name == "obs_lag", f.name
        assert f.per_side or f.seen in (PUBLIC, "secret"), f"{f.name}: a global field is public or secret"
    for fig in FIGURES:
        assert fig.seen in (OWN, ESTIMATE, PUBLIC) and fig.unit, fig.name
        assert fig.per_side or fig.seen == PUBLIC, fig.name
        if not fig.of:
            f = FIELDS[fig.name]
            assert f.dims in ((), ("side",)), f"{fig.name}: a stored figure is a scalar per game or per side"


def test_the_content_loader_reads_the_schema_without_the_engine():
    """Content checks condition names against the schema, so the schema sits below the engine."""
    code = "import sys, game.content, game.schema; print(sorted(m for m in ('numpy', 'game.engine') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_stock_an_effect_may_change_is_a_field():
    assert set(STOCKS) <= set(FIELD_NAMES)


def test_every_figure_reads_off_the_state(world):
    for fig in FIGURES:
        value = observe.figure(world, fig.name)
        assert value.dtype == np.float64, fig.name
        assert value.shape == ((world.batch, 2) if fig.per_side else (world.batch,)), fig.name


def test_lists_the_rules_and_strategies_use(world):
    assert PUBLIC_SIDE_FIELDS == ("model_open", "track")
    assert set(HIDDEN_SIDE_FIELDS) == set(SIDE_FIELD_NAMES) - {"model_open", "track", "obs_lag"}
    assert CONDITION_GLOBALS == ("turn", "year", "export_tier")
    assert set(CONDITION_SIDES) == {fig.name for fig in FIGURES if fig.per_side}
    for side in SIDES:
        assert set(observe.view(world, side)) == set(STRATEGY_FIELDS) | {"sigma"}


# --------------------------------------------------------------------------------------------------
# The view shows what the schema says and nothing else


@pytest.mark.parametrize("side", SIDES)
def test_the_rivals_hidden_fields_never_reach_the_view(world, side):
    """OWN fields, and ESTIMATE ones as they stand now (the rival gets those a quarter late, via the feed)."""
    rival = 1 - side
    before = observe.view(world, side)
    for name in HIDDEN_SIDE_FIELDS:
        assert views_equal(before, observe.view(change(world, rival, name), side)), \
            f"the view of side {side} shows the rival's {name}"


@pytest.mark.parametrize("side", SIDES)
def test_the_feed_and_public_fields_do_reach_the_view(world, side):
    """The control for the test above: a change the rival may see shows."""
    rival = 1 - side
    before = observe.view(world, side)
    for name in ("obs_lag",) + PUBLIC_SIDE_FIELDS:
        assert not views_equal(before, observe.view(change(world, rival, name), side)), name
    for fig in FIGURES:
        if fig.per_side and not fig.of:  # a stored figure: a side sees its own now
            assert not views_equal(before, observe.view(change(world, side, fig.name), side)), \
                f"side {side}'s own {fig.name} does not show"


@pytest.mark.parametrize("side", SIDES)
def test_own_figures_exact_rival_estimates_noisy_public_exact(world, side):
    rival = 1 - side
    seen = observe.view(world, side)
    guess = observe.estimate(world, side)
    for fig in FIGURES:
        true = observe.figure(world, fig.name)
        if not fig.per_side:
            assert np.array_equal(seen[fig.name], true), fig.name
            continue
        assert np.array_equal(seen[f"self.{fig.name}"], true[:, side]), fig.name
        if fig.seen == OWN:
            assert f"rival.{fig.name}" not in seen
        elif fig.seen == PUBLIC:
            assert np.array_equal(seen[f"rival.{fig.name}"], true[:, rival]), fig.name
        else:
            i = OBS.index(fig.name)
            lagged = world.obs_lag[:, rival, i]
            assert np.array_equal(seen[f"rival.{fig.name}"], guess[:, i]), fig.name
            moved = lagged != 0
            assert (seen[f"rival.{fig.name}"][moved] != lagged[moved]).all(), f"{fig.name}: the estimate has no noise"


def test_estimates_are_of_last_quarters_figures(world):
    """The feed a side's estimates are drawn from holds the figures as they stood before the last turn."""
    before = world.copy()
    after = world.copy()
    a = load_strategy("normal")
    advance(after, a.decide(after, 0), a.decide(after, 1))
    assert np.array_equal(after.obs_lag, observe.observe(before))
    assert not np.array_equal(after.obs_lag, observe.observe(after))


def test_stored_figures_are_read_as_stored(world):
    for fig in FIGURES:
        if not fig.of:
            assert np.array_equal(observe.figure(world, fig.name), getattr(world, fig.name)), fig.name
    assert FIGURE["fab_wafers_per_q"].of and FIGURE["adoption"].of  # same names as fields, different figures


def test_a_script_may_name_every_strategy_field(tables, world, tmp_path):
    """Each name the schema gives strategies loads in a script and is there when it plays."""
    path = tmp_path / "every_field.toml"
    lines = ['id = "every_field"', 'name = "Every field"', "[[phase]]", "turns = [1, 40]",
             "allocation = { compute = 0.2 }", "split = { training = 0.3, inference = 0.5, research = 0.2 }"]
    for name in STRATEGY_FIELDS:
        lines += ["[[adjust]]", f'when = [{{ field = "{name}", op = ">", value = -1e9 }}]',
                  "allocation = { compute = 0.1 }"]
    path.write_text("\n".join(lines) + "\n")
    strategy = load_strategy(str(path))
    for side in SIDES:
        assert strategy.decide(world, side).allocation.shape[0] == world.batch


def test_a_content_condition_may_name_every_condition_field(tables, world):
    """Each name the schema gives content passes the loader's check and reads on the true state."""
    from game.content import valid_field
    from game.content.model import Condition
    from game.engine import conditions
    from game.engine.tables import compile_condition

    prefixes = ("self", "rival", "us", "cn")
    names = CONDITION_GLOBALS + tuple(f"{who}.{n}" for who in prefixes for n in CONDITION_SIDES)
    assert not valid_field("self.fleet", prefixes) and not valid_field("seed", prefixes)
    for name in names:
        assert valid_field(name, prefixes), name
        cond = compile_condition(Condition(field=name, op=">", value=-1e9), 0)
        assert conditions.evaluate(world, (cond,)).all(), name
