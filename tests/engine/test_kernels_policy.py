"""The policy, events and orders kernels (game/engine/kernels/) give their layers' numpy bits, call by call.

Each layer's calls recorded during real quarters are replayed from copies of their arguments with kernels off and
on; the results and the arguments after the call (the world is changed in place) must be the same to the bit.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

from game.engine import Tables, events, jit, orders, policy
from game.engine.orders import OrderBatch, OrderError
from tests.engine.kernel_worlds import CONTENT, copied, layer_calls, same_bits, snapshots

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


def replay(module: ModuleType, name: str) -> int:
    """Every recorded call of module.name, kernels off v on; how many calls were compared."""
    seen = 0
    for label, fn, args in layer_calls(module, name, quarters=40, every=3):
        by_numpy, by_kernel = copied(args), copied(args)
        with np.errstate(all="ignore"):
            with jit.using(False):
                numpy_result = fn(*by_numpy)
            with jit.using(True):
                kernel_result = fn(*by_kernel)
        same_bits(label, (numpy_result, by_numpy), (kernel_result, by_kernel))
        seen += 1
    return seen


LAYERS = ((events, "draw_events"), (policy, "compute_modifiers"), (policy, "take_actions"), (policy, "tick"),
          (policy, "legal_actions"), (orders, "validate"))


@pytest.mark.parametrize(("module", "name"), LAYERS)
def test_layer_is_the_same_with_its_kernel(module: ModuleType, name: str) -> None:
    assert replay(module, name) >= 4 * 3


def test_events_fire_in_the_replayed_quarters() -> None:
    """The replay above reaches events firing, with and without stock effects (else it would hold little)."""
    fired = set()
    for _label, world, o_us, o_cn in snapshots(quarters=40, every=3):
        from game.engine.resolve import advance

        with jit.using(True):
            advance(world, o_us, o_cn)
        fired |= set(np.flatnonzero(world.event_now.any(axis=0)).tolist())
    assert len(fired) >= 8


FAULTS = ("allocation NaN", "allocation above 1", "allocation below 0", "allocation sum", "split sum", "split NaN",
          "onshore", "other side's action", "illegal action")


@pytest.mark.parametrize("fault", FAULTS)
def test_validate_raises_the_same_error_with_kernels(fault: str) -> None:
    """A fault in one live game's US orders: the same OrderError (message, field, detail) with kernels on."""
    _label, world, o_us, _o_cn = next(snapshots(quarters=8, every=7))
    alloc, split, acts = o_us.allocation.copy(), o_us.split.copy(), o_us.actions.copy()
    onshore = np.full(world.batch, 0.5)
    game = int(np.flatnonzero(~world.done)[world.batch // 2])
    t = world.tables
    with jit.using(False):
        legal = policy.legal_actions(world)
    if fault == "allocation NaN":
        alloc[game, 0] = np.nan
    elif fault == "allocation above 1":
        alloc[game, 3] = 1.5
    elif fault == "allocation below 0":
        alloc[game, 1] = -0.1
    elif fault == "allocation sum":
        alloc[game] = 0.2
    elif fault == "split sum":
        split[game, 1] += 1e-5
    elif fault == "split NaN":
        split[game, 2] = np.nan
    elif fault == "onshore":
        onshore[game] = 1.2
    elif fault == "other side's action":
        acts[game, int(np.flatnonzero(t.action_side == 1)[0])] = True
    else:
        acts[game, int(np.flatnonzero(~legal[game] & (t.action_side == 0))[0])] = True
    bad = OrderBatch(alloc, split, acts, onshore)
    messages = []
    for on in (False, True):
        with jit.using(on), pytest.raises(OrderError) as err:
            orders.validate(world, bad, 0)
        messages.append((str(err.value), err.value.field, err.value.detail))
    assert messages[0] == messages[1], fault
    # the same fault in a game already over is not an error, with kernels or without
    world.done[game] = True
    for on in (False, True):
        with jit.using(on):
            orders.validate(world, bad, 0)


def test_modifiers_with_everything_in_force_at_once() -> None:
    """Policies, tiers and events in force in random mixes, many at once, and effects of random values (the
    content's round ones give the same bits in any order), so the order in which the kernel applies them shows."""
    rng = np.random.default_rng(24)
    for label, world, _o_us, _o_cn in snapshots(quarters=2, every=1):
        t = Tables(CONTENT, world.tables.scenario)
        t.eff_value[:] = rng.uniform(0.3, 3.0, t.eff_value.shape)
        world.tables = t
        world.policy_left[:] = rng.integers(-1, 3, world.policy_left.shape)
        world.event_left[:] = rng.integers(-1, 3, world.event_left.shape)
        world.export_tier[:] = rng.integers(0, t.n_tiers + 2, world.batch)
        by_numpy, by_kernel = world.copy(), world.copy()
        with jit.using(False):
            policy.compute_modifiers(by_numpy)
        with jit.using(True):
            policy.compute_modifiers(by_kernel)
        same_bits(label, by_numpy, by_kernel)


@pytest.mark.parametrize("memo_slots", [0, 4, 8192])
def test_modifiers_of_games_sharing_what_is_in_force(memo_slots: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Games drawn from a few mixes of policies, tiers and events in force (so most share their set with earlier
    games, whose modifiers the kernel copies), effects of random values: numpy's bits with no memo (0), a memo
    that fills up after two sets (4) and the kernel's own."""
    from game.engine.kernels import policy as kp

    monkeypatch.setattr(kp, "MEMO_SLOTS", memo_slots)
    rng = np.random.default_rng(7)
    for label, world, _o_us, _o_cn in snapshots(quarters=2, every=1):
        t = Tables(CONTENT, world.tables.scenario)
        t.eff_value[:] = rng.uniform(0.3, 3.0, t.eff_value.shape)
        world.tables = t
        # The mix each game has: three of policies and events, each with no tier or the second; a few games then
        # differ from their mix by one policy or by the last event alone.
        mix = rng.integers(0, 6, world.batch)
        world.policy_left[:] = rng.integers(-1, 3, (3, world.policy_left.shape[1]))[mix % 3]
        world.event_left[:] = rng.integers(-1, 3, (3, world.event_left.shape[1]))[mix % 3]
        world.export_tier[:] = 2 * (mix // 3)  # tier 1 changes no modifier today
        world.policy_left[::7, 0] = 5
        world.event_left[3::11, -1] = 2
        by_numpy, by_kernel = world.copy(), world.copy()
        with jit.using(False):
            policy.compute_modifiers(by_numpy)
        with jit.using(True):
            policy.compute_modifiers(by_kernel)
        same_bits(label, by_numpy, by_kernel)


def test_one_off_effects_on_every_stock() -> None:
    """Every stock a one-off effect may name, by every op, with values that reach the floors and clips: the
    kernel's effects (or apply_stock's, for the stocks it leaves to numpy) as apply_stock gives them."""
    from game.content.vocab import STOCKS
    from game.engine.kernels import policy as kp
    from game.engine.tables import CompiledEffect

    rng = np.random.default_rng(5)
    _label, world, _o_us, _o_cn = next(snapshots(quarters=8, every=7))
    effects = [(CompiledEffect("stock", STOCKS.index(name), (0, 1), op, value),
                CompiledEffect("stock", STOCKS.index(name), (1,), "add", 0.2))
               for name in STOCKS for op, value in (("add", 0.37), ("mul", 1.3), ("set", 2.6), ("add", -5.0),
                                                    ("mul", -0.5), ("set", 0.4))]
    mask = rng.random((world.batch, len(effects))) < 0.4
    for name in ("treasury_busd", "efficiency_log10", "mindshare", "import_credit_busd", "power_mw",
                 "packaging_chips_per_q", "intel_level"):  # NaN and -0 where there was a figure: what floors keep
        values = getattr(world, name)
        values[rng.random(values.shape) < 0.1] = np.nan
        values[rng.random(values.shape) < 0.1] = -0.0
    simple = [effs for effs in effects if STOCKS[effs[0].index] not in ("fleet", "fab_wafers_per_q")]
    for owners, kernel in ((simple, True), (effects, False)):
        table = kp.stock_table(owners)
        assert table.kernel == kernel
        some = mask[:, :len(owners)]
        by_numpy, by_kernel = world.copy(), world.copy()
        money_numpy, money_kernel = (np.ones((world.batch, 2)), np.ones((world.batch, 2))), \
            (np.ones((world.batch, 2)), np.ones((world.batch, 2)))
        for owner in np.flatnonzero(some.any(axis=0)):
            for eff in owners[owner]:
                policy.apply_stock(by_numpy, eff, some[:, owner], *money_numpy)
        kp.apply_stocks(by_kernel, table, some, some.any(axis=0), *money_kernel, policy.apply_stock)
        same_bits(f"kernel {kernel}", (by_numpy, money_numpy), (by_kernel, money_kernel))


@pytest.mark.parametrize("over", [-2e-12, -5e-13, 5e-13, 2e-12])
def test_validate_at_the_allocation_limit(over: float) -> None:
    """Shares adding up to a hair under or over the limit (1 + SUM_TOLERANCE): the same verdict with kernels on
    (the kernel's own sum may round otherwise; near the limit numpy's decides)."""
    _label, world, o_us, _o_cn = next(snapshots(quarters=1))
    alloc = np.zeros_like(o_us.allocation)
    alloc[:, 0] = 0.5
    alloc[:, 1] = 0.5 + orders.SUM_TOLERANCE + over
    bad = OrderBatch(alloc, o_us.split, np.zeros_like(o_us.actions), None)
    verdicts = []
    for on in (False, True):
        with jit.using(on):
            try:
                orders.validate(world, bad, 0)
                verdicts.append("valid")
            except OrderError as err:
                verdicts.append(str(err))
    assert verdicts[0] == verdicts[1]
    assert (verdicts[0] == "valid") == (over < 0)


def test_legal_actions_with_requirements_and_exclusions() -> None:
    """Actions that need another in force or forbid one (no policy of today's content does): the kernel's legality
    as numpy's, on random mixes of policies in force."""
    import attrs

    rng = np.random.default_rng(3)
    for label, world, _o_us, _o_cn in snapshots(quarters=2, every=1):
        t = Tables(CONTENT, world.tables.scenario)
        changed = {3: attrs.evolve(t.actions[3], requires=(5,)), 6: attrs.evolve(t.actions[6], forbids=(8, 9)),
                   13: attrs.evolve(t.actions[13], requires=(4,), forbids=(12,))}
        t.actions = tuple(changed.get(a, act) for a, act in enumerate(t.actions))
        t.conditional_actions = tuple(sorted(set(t.conditional_actions) | set(changed)))
        world.tables = t
        world.policy_left[:] = rng.integers(-1, 2, world.policy_left.shape)
        world.cooldown_left[:] = rng.integers(-1, 2, world.cooldown_left.shape) * (rng.random(world.batch) < 0.2)[:, None]
        with jit.using(False):
            by_numpy = policy.legal_actions(world)
        with jit.using(True):
            by_kernel = policy.legal_actions(world)
        same_bits(label, by_numpy, by_kernel)
        assert by_numpy[:, list(changed)].any() and not by_numpy[:, list(changed)].all()
