"""World state: named numpy arrays with a leading batch axis; creation, copying, slicing, digest."""

from __future__ import annotations

import hashlib

import numpy as np

from game.content.vocab import MODIFIERS
from game.engine.tables import PERMANENT, Tables

# Money flows recorded each turn (income first, then spending): treasury(t+1) = treasury(t) + in - out.
FLOWS_IN = ("base_budget", "revenue", "grants")
FLOWS_OUT = ("fabs", "lithography", "design", "compute", "training", "research", "applications",
             "intelligence", "energy", "actions", "interest", "losses")
FLOWS = FLOWS_IN + FLOWS_OUT
# What intelligence can estimate about a side.
OBS = ("capability", "compute_eflops", "fleet_chips", "efficiency_log10", "revenue_busd", "treasury_busd",
       "mindshare", "power_mw", "fab_wafers_per_q", "euv_tools", "duv_tools", "packaging_chips_per_q",
       "adoption", "score", "model_log10_eff", "self_sufficiency", "cum_revenue_busd")
LOG_OBS = ("efficiency_log10", "model_log10_eff")
# The fleet: per side, per quantity, per cohort (a ring indexed by turn; see infra).
FLEET = ("chips", "flops", "mw", "domestic_flops")
CHIPS, FLOPS, MW, DOMESTIC = range(4)
SCORE_PARTS = ("capability", "compute_share", "revenue_share", "security", "mindshare", "self_sufficiency")
WINNERS = ("us", "cn", "draw")
REASONS = ("", "transformative_ai", "bankruptcy", "score")


def field_specs(t: Tables) -> dict[str, tuple[type, tuple[int, ...]]]:
    """Every field: dtype and shape after the batch axis. The one list the rest derives from."""
    n_nodes, n_sectors = len(t.nodes), len(t.sectors)
    life = t.rules.supply.fleet_life_quarters
    f, i, b = np.float64, np.int64, np.bool_
    return {
        "seed": (np.uint64, ()), "turn": (i, ()), "done": (b, ()), "winner": (i, ()), "reason": (i, ()),
        "export_tier": (i, ()),
        "treasury_busd": (f, (2,)), "base_budget_busd": (f, (2,)), "flows_busd": (f, (2, len(FLOWS))),
        "debt_quarters": (i, (2,)), "revenue_busd": (f, (2,)), "cum_revenue_busd": (f, (2,)),
        "design_index": (i, (2,)), "design_progress_busd": (f, (2,)),
        "fab_wafers_per_q": (f, (2, n_nodes)), "fab_pipeline": (f, (2, t.fab_slots)),
        "fab_pipeline_node": (i, (2, t.fab_slots)),
        "yields": (f, (2, n_nodes)), "euv_tools": (f, (2,)), "duv_tools": (f, (2,)),
        "euv_program_busd": (f, (2,)), "euv_domestic": (b, (2,)), "packaging_chips_per_q": (f, (2,)),
        "chips_made": (f, (2,)), "chips_bought": (f, (2, 3)),
        "fleet": (f, (2, len(FLEET), life)), "fleet_total": (f, (2, len(FLEET))),
        "power_mw": (f, (2,)), "power_pipeline": (f, (2, t.power_slots)), "utilisation": (f, (2,)),
        "compute_flops": (f, (2,)), "import_credit_busd": (f, (2,)),
        "efficiency_log10": (f, (2,)), "train_opex_usd_per_eflop": (f, (2,)),
        "run_flop": (f, (2,)), "run_quarters": (i, (2,)), "model_log10_eff": (f, (2,)),
        "capability": (f, (2,)), "model_open": (b, (2,)), "models_trained": (i, (2,)), "model_new": (b, (2,)),
        "breakthrough": (b, (2,)),
        "market_busd": (f, (n_sectors,)), "adoption": (f, (2, n_sectors)), "served": (f, (2,)),
        "mindshare": (f, (2,)), "intel_level": (f, (2,)),
        "policy_left": (i, (len(t.actions),)), "cooldown_left": (i, (len(t.actions),)),
        "taken": (b, (len(t.actions),)),
        "event_left": (i, (len(t.events),)), "event_fired": (b, (len(t.events),)),
        "event_now": (b, (len(t.events),)),
        "modifiers": (f, (2, len(MODIFIERS))),
        "score": (f, (2,)), "score_parts": (f, (2, len(SCORE_PARTS))),
        "obs_lag": (f, (2, len(OBS))),
    }


class World:
    """A batch of games. Attributes are arrays named in field_specs; `tables` is shared, not copied."""

    def __init__(self, tables: Tables, arrays: dict[str, np.ndarray]) -> None:
        self.tables = tables
        self.names = tuple(field_specs(tables))
        for name in self.names:
            setattr(self, name, arrays[name])

    @property
    def batch(self) -> int:
        return int(self.seed.shape[0])

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self.names}

    def copy(self) -> World:
        return World(self.tables, {k: v.copy() for k, v in self.arrays().items()})

    def take(self, index: np.ndarray | list[int] | slice) -> World:
        """A sub-batch (copied)."""
        if isinstance(index, slice):
            return World(self.tables, {k: v[index].copy() for k, v in self.arrays().items()})
        idx = np.asarray(index, dtype=np.int64)
        return World(self.tables, {k: v[idx].copy() for k, v in self.arrays().items()})

    def repeat(self, n: int) -> World:
        """A batch of n copies of game 0 (for look-ahead from one position)."""
        return World(self.tables, {k: np.repeat(v[:1], n, axis=0) for k, v in self.arrays().items()})

    @staticmethod
    def concat(worlds: list[World]) -> World:
        names = worlds[0].names
        return World(worlds[0].tables, {k: np.concatenate([getattr(w, k) for w in worlds]) for k in names})

    def digest(self, index: int = 0) -> str:
        return digests(self)[index]


class NonFiniteState(ArithmeticError):
    """NaN or infinity in the state: always an engine bug (the rules keep every number finite)."""


def canonical_bits(values: np.ndarray, names: list[str] | None = None, widths: list[int] | None = None) -> np.ndarray:
    """The exact bits of float64 values as int64 (-0.0 as 0.0), refusing NaN and infinity by field name."""
    if not np.isfinite(values).all():
        raise NonFiniteState(_where_not_finite(values, names, widths))
    return (values + 0.0).view(np.int64)  # x + 0.0 is x, except -0.0 + 0.0 = +0.0


def _where_not_finite(values: np.ndarray, names: list[str] | None, widths: list[int] | None) -> str:
    game, col = (int(k) for k in np.argwhere(~np.isfinite(values.reshape(values.shape[0], -1)))[0])
    value = values.reshape(values.shape[0], -1)[game, col]
    name, at = "a float field", col
    for field, width in zip(names or [], widths or []):
        if at < width:
            name = field
            break
        at -= width
    return (f"state field {name} holds {value} (game {game}, element {at}): NaN and infinity never belong in the "
            "state; this is an engine bug")


def digests(world: World) -> list[str]:
    """Canonical sha256 per game over every field in sorted name order: the exact bits of each value
    (ints and bools as little-endian int64, floats as their IEEE bits with -0.0 as 0.0). NaN or
    infinity raises NonFiniteState naming the field."""
    names = sorted(world.names)
    flat = {name: getattr(world, name).reshape(world.batch, -1) for name in names}
    floats = [name for name in names if flat[name].dtype == np.float64]
    # All float fields checked and converted in one call, then laid back in name order.
    spans, at = {}, 0
    if floats:
        widths = [flat[name].shape[1] for name in floats]
        bits = canonical_bits(np.concatenate([flat[name] for name in floats], axis=1), floats, widths)
        for name, width in zip(floats, widths):
            spans[name] = bits[:, at:at + width]
            at += width
    parts = [spans[name] if name in spans else flat[name].astype(np.int64) for name in names]
    rows = np.ascontiguousarray(np.concatenate(parts, axis=1), dtype="<i8")
    return [hashlib.sha256(row.tobytes()).hexdigest() for row in rows]


def new_world(tables: Tables, seeds: list[int] | np.ndarray) -> World:
    """Games at the scenario's start, one per seed."""
    from game.engine import observe  # the start state is scored and observed like any other

    seeds = np.asarray(seeds, dtype=np.uint64).reshape(-1)
    batch = seeds.shape[0]
    specs = field_specs(tables)
    a = {name: np.zeros((batch,) + shape, dtype=dtype) for name, (dtype, shape) in specs.items()}
    a["seed"][:] = seeds
    a["export_tier"][:] = tables.scenario.export_tier
    a["market_busd"][:] = tables.sector_market
    node_ids = [n.id for n in tables.nodes]
    sector_ids = [s.id for s in tables.sectors]
    for s, start in enumerate(tables.starts):
        a["treasury_busd"][:, s] = start.treasury_busd
        a["base_budget_busd"][:, s] = start.base_budget_busd
        a["design_index"][:, s] = start.design_index
        for node, wafers in start.fab_wafers_per_q.items():
            a["fab_wafers_per_q"][:, s, node_ids.index(node)] = wafers
        a["yields"][:, s] = tables.node_start_yield
        for node, y in start.yields.items():
            a["yields"][:, s, node_ids.index(node)] = y
        a["euv_tools"][:, s] = start.euv_tools
        a["duv_tools"][:, s] = start.duv_tools
        a["euv_domestic"][:, s] = start.euv_domestic
        a["packaging_chips_per_q"][:, s] = start.packaging_chips_per_q
        domestic_maker = ("us", "cn")[s]
        for cohort in start.fleet:
            c = tables.chip_ids.index(cohort.chip)
            age = (-cohort.age_quarters) % tables.rules.supply.fleet_life_quarters  # ring slot, see infra
            fleet = a["fleet"]
            fleet[:, s, CHIPS, age] += cohort.count
            fleet[:, s, FLOPS, age] += cohort.count * tables.chip_flops[c]
            fleet[:, s, MW, age] += cohort.count * tables.chip_kw[c] * tables.pue[s] / 1000.0
            if tables.chips[c].maker == domestic_maker:
                fleet[:, s, DOMESTIC, age] += cohort.count * tables.chip_flops[c]
        a["power_mw"][:, s] = start.power_mw
        a["efficiency_log10"][:, s] = start.efficiency_log10
        a["train_opex_usd_per_eflop"][:, s] = tables.rules.training.opex_usd_per_eflop
        a["model_log10_eff"][:, s] = start.model_log10_eff
        for sector, share in start.adoption.items():
            a["adoption"][:, s, sector_ids.index(sector)] = share
        a["mindshare"][:, s] = start.mindshare
        a["intel_level"][:, s] = start.intel_level
    a["fleet_total"][:] = np.add.reduce(a["fleet"], axis=-1)
    a["modifiers"][:] = np.where(tables.mod_is_add, 0.0, 1.0)
    for ref in tables.scenario.active_policies:
        side_name, _, pid = ref.rpartition(":")
        for (policy_id, side), idx in tables.action_index.items():
            if policy_id == pid and (not side_name or ("us", "cn")[side] == side_name):
                dur = tables.actions[idx].duration
                a["policy_left"][:, idx] = PERMANENT if dur < 0 else max(dur, 1)
    world = World(tables, a)
    from game.engine import infra, policy

    policy.compute_modifiers(world)
    infra.usable_compute(world)
    # Revenue before the first quarter: adoption at full service, so estimates have a baseline.
    market = world.market_busd[:, None, :] * tables.revenue_mult[None, :, None]
    world.revenue_busd[:] = (world.adoption * market).sum(axis=-1)
    observe.refresh(world)
    world.obs_lag[:] = observe.observe(world)
    return world
