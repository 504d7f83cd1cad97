"""The world's schema: every stored field of the game state and every figure derived from it, declared once.

Two lists, both here:

* `Fields` - what is stored. One line a field: its dtype, its shape after the batch axis (in named
  dimensions whose sizes come from the content: `SIDE`, `NODES`, `SECTORS`, ...), its unit, and who
  may see it. `engine.state.World` is this class with behaviour added, so each field is a typed
  attribute. Dimensions are sized by `engine.state.shapes(tables)`.
* `FIGURES` - the figures a player, a strategy or a content condition can name: a stored per-side or
  global field read as it is, or a figure computed from the state (`of` names the function in
  `game/engine/observe.py` that computes it, e.g. `deployment`).

Who may see a value (`seen`):

* OWN       its own side only; the rival never sees it.
* ESTIMATE  its own side exactly; the rival through intelligence: last quarter's value, with noise.
* PUBLIC    both sides, exactly.
* FEED      the intelligence feed: last quarter's ESTIMATE figures, which the rival reads with noise.
* SECRET    no player (the seed: look-ahead must not see the real game's future draws).

Everything else follows from these lists: the digest (every field, in sorted name order), the observation
vector (`OBS`, the ESTIMATE figures in order; its order is part of every save's digest, so only ever
append), each side's view (`engine.observe.view`), the names a strategy condition (`STRATEGY_FIELDS`)
and a content condition (`CONDITION_GLOBALS`, `CONDITION_SIDES`) may use, the per-side fields the AI's
believed world keeps (`PUBLIC_SIDE_FIELDS`) and the hidden-state tests (tests/engine/test_schema.py).

How to add a field: add one line to `Fields` (the end of the class is fine; the digest sorts names),
give it a start value in `engine/start.py` if zero is wrong, and write the rule that moves it. To let
players see it or content name it, add `Figure("name")` to the end of `FIGURES` (a per-side scalar) or
a derived `Figure(..., of="function")` with that function in `engine/observe.py`. Adding a field
changes every digest, so it is a rules change for saves.

This module imports nothing from the game (the content loader checks condition names against it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Array = NDArray[Any]

OWN, ESTIMATE, PUBLIC, FEED, SECRET = "own", "estimate", "public", "feed", "secret"
SEEN = (OWN, ESTIMATE, PUBLIC, FEED, SECRET)

# Money flows recorded each turn (income first, then spending): treasury(t+1) = treasury(t) + in - out.
# "revenue" is the reinvested part of AI revenue (rules money.reinvest_share); revenue_busd is all of it.
# "returned" is idle money flowing back to investors (rules money.idle_*): it leaves the race, not spent in it.
FLOWS_IN = ("base_budget", "revenue", "grants")
FLOWS_OUT = ("fabs", "lithography", "design", "compute", "training", "research", "applications",
             "intelligence", "energy", "actions", "interest", "losses", "returned")
FLOWS = FLOWS_IN + FLOWS_OUT
# The fleet: per side, per quantity, per cohort (a ring indexed by turn; see infra).
FLEET = ("chips", "flops", "mw", "domestic_flops")
CHIPS, FLOPS, MW, DOMESTIC = range(4)
CHIP_SOURCES = ("domestic", "imported", "smuggled")
COMPUTE_SPEND = ("chips", "grid_power", "offgrid_power")  # where compute money went (infra.install)
# The parts of a quarter's verdict on the lead track (DESIGN.md "Winning"; weights in scoring.toml).
VERDICT_PARTS = ("frontier", "compute", "applications", "mindshare", "supply")

# Dimensions of a field after the batch axis. Fixed ones are sized here (FIXED_DIMS, at the end), the
# rest by the content (engine.state.shapes).
SIDE, NODES, SECTORS, FLEET_LIFE = "side", "nodes", "sectors", "fleet_life"
ACTIONS, EVENTS, FAB_SLOTS, POWER_SLOTS = "actions", "events", "fab_slots", "power_slots"
MODIFIER_DIM = "modifiers"  # content/vocab.py MODIFIERS


@attrs.frozen
class Field:
    """One stored field: an array of `dtype` (a numpy type code) shaped (batch, *dims)."""

    dtype: str
    dims: tuple[str, ...]
    unit: str
    seen: str
    doc: str = ""
    name: str = ""

    @property
    def per_side(self) -> bool:
        return self.dims[:1] == (SIDE,)


def field(dtype: str, dims: tuple[str, ...], unit: str, seen: str, doc: str = "") -> Any:
    """Declare a field in `Fields` (typed Any so the annotation, an array, is what a checker sees)."""
    return Field(dtype, dims, unit, seen, doc)


S = (SIDE,)


class Fields:
    """The stored state of a batch of games: each attribute an array with a leading batch axis."""

    seed: Array = field("u8", (), "", SECRET, "every random draw derives from it")
    turn: Array = field("i8", (), "quarters", PUBLIC, "quarters played")
    done: Array = field("?", (), "flag", PUBLIC)
    winner: Array = field("i8", (), "index", PUBLIC, "into engine.state.WINNERS")
    reason: Array = field("i8", (), "index", PUBLIC, "into engine.state.REASONS")
    export_tier: Array = field("i8", (), "tier", PUBLIC)
    treasury_busd: Array = field("f8", S, "B$", ESTIMATE)
    base_budget_busd: Array = field("f8", S, "B$/quarter", OWN)
    flows_busd: Array = field("f8", (SIDE, "flows"), "B$/quarter", OWN, "last quarter's books, by FLOWS")
    debt_quarters: Array = field("i8", S, "quarters", OWN, "quarters in a row past the debt limit")
    revenue_busd: Array = field("f8", S, "B$/quarter", ESTIMATE)
    cum_revenue_busd: Array = field("f8", S, "B$", ESTIMATE)
    design_index: Array = field("i8", S, "ladder step", OWN)
    design_progress_busd: Array = field("f8", S, "B$", OWN)
    fab_wafers_per_q: Array = field("f8", (SIDE, NODES), "wafers/quarter", OWN, "the rival sees the total")
    fab_onshore_wafers_per_q: Array = field("f8", (SIDE, NODES), "wafers/quarter", OWN,
                                            "the part of fab_wafers_per_q in onshore fabs (self-sufficiency)")
    fab_pipeline: Array = field("f8", (SIDE, FAB_SLOTS), "wafers/quarter", OWN,
                                "capacity being built abroad (allied foundries), a ring")
    fab_pipeline_onshore: Array = field("f8", (SIDE, FAB_SLOTS), "wafers/quarter", OWN,
                                        "capacity being built onshore, a ring (its build time is the side's own)")
    fab_pipeline_node: Array = field("i8", (SIDE, FAB_SLOTS), "node index", OWN, "the node of fab_pipeline's slot")
    fab_pipeline_onshore_node: Array = field("i8", (SIDE, FAB_SLOTS), "node index", OWN,
                                             "the node of fab_pipeline_onshore's slot")
    yields: Array = field("f8", (SIDE, NODES), "share", OWN)
    euv_tools: Array = field("f8", S, "tools", ESTIMATE)
    duv_tools: Array = field("f8", S, "tools", ESTIMATE)
    euv_program_busd: Array = field("f8", S, "B$", OWN)
    euv_domestic: Array = field("?", S, "flag", OWN)
    packaging_chips_per_q: Array = field("f8", S, "chips/quarter", ESTIMATE)
    chips_made: Array = field("f8", S, "chips/quarter", OWN)
    chips_bought: Array = field("f8", (SIDE, "chip_sources"), "chips/quarter", OWN)
    fleet: Array = field("f8", (SIDE, "fleet_parts", FLEET_LIFE), "by FLEET", OWN, "cohorts, a ring by turn")
    fleet_total: Array = field("f8", (SIDE, "fleet_parts"), "by FLEET", OWN)
    power_mw: Array = field("f8", S, "MW", ESTIMATE)
    power_pipeline: Array = field("f8", (SIDE, POWER_SLOTS), "MW", OWN, "capacity being built, a ring")
    compute_spend_busd: Array = field("f8", (SIDE, "compute_spend"), "B$/quarter", OWN,
                                      "last quarter's compute flow by COMPUTE_SPEND")
    utilisation: Array = field("f8", S, "share", OWN)
    compute_flops: Array = field("f8", S, "FLOP/s", OWN, "the rival sees compute_eflops")
    import_credit_busd: Array = field("f8", S, "B$", OWN)
    efficiency_log10: Array = field("f8", S, "log10", ESTIMATE)
    train_opex_usd_per_eflop: Array = field("f8", S, "$/EFLOP", OWN)
    run_flop: Array = field("f8", S, "FLOP", OWN, "the training run in progress")
    run_quarters: Array = field("i8", S, "quarters", OWN)
    last_run_flop: Array = field("f8", S, "FLOP", OWN, "physical FLOP of the latest finished frontier run")
    model_log10_eff: Array = field("f8", S, "log10 FLOP", ESTIMATE, "effective compute of the best model")
    capability: Array = field("f8", S, "index 0-100", ESTIMATE)
    model_open: Array = field("?", S, "flag", PUBLIC, "whether the best model's weights are open")
    models_trained: Array = field("i8", S, "models", OWN)
    model_new: Array = field("?", S, "flag", OWN)
    breakthrough: Array = field("?", S, "flag", OWN)
    market_busd: Array = field("f8", (SECTORS,), "B$/quarter", PUBLIC)
    adoption: Array = field("f8", (SIDE, SECTORS), "share", OWN, "the rival sees the market-weighted figure")
    served: Array = field("f8", S, "share", OWN)
    mindshare: Array = field("f8", S, "share", ESTIMATE)
    intel_level: Array = field("f8", S, "level", OWN)
    policy_left: Array = field("i8", (ACTIONS,), "quarters", PUBLIC)
    cooldown_left: Array = field("i8", (ACTIONS,), "quarters", PUBLIC)
    taken: Array = field("?", (ACTIONS,), "flag", PUBLIC, "actions taken this quarter")
    event_left: Array = field("i8", (EVENTS,), "quarters", PUBLIC)
    event_fired: Array = field("?", (EVENTS,), "flag", PUBLIC)
    event_now: Array = field("?", (EVENTS,), "flag", PUBLIC)
    modifiers: Array = field("f8", (SIDE, MODIFIER_DIM), "by MODIFIERS", OWN)
    track: Array = field("f8", S, "points", PUBLIC, "the running total on the lead track (both add up to 100 at the end)")
    verdict: Array = field("f8", (SIDE, "verdict_parts"), "share by VERDICT_PARTS", OWN,
                           "this quarter's verdict: the side's share of each part (the rival's through intelligence)")
    track_parts: Array = field("f8", (SIDE, "verdict_parts"), "points by VERDICT_PARTS", OWN,
                               "the track total by the part that earned it")
    obs_lag: Array = field("f8", (SIDE, "figures"), "by OBS", FEED, "last quarter's ESTIMATE figures")


def _collect(cls: type) -> dict[str, Field]:
    """The declarations in class order, named; removed from the class so only the annotations remain."""
    out = {}
    for name, decl in list(vars(cls).items()):
        if isinstance(decl, Field):
            out[name] = attrs.evolve(decl, name=name)
            delattr(cls, name)
    return out


FIELDS: dict[str, Field] = _collect(Fields)
FIELD_NAMES = tuple(FIELDS)
SIDE_FIELD_NAMES = tuple(name for name, f in FIELDS.items() if f.per_side)
# Per-side fields a side may read of its rival as they are (the AI's believed world keeps them).
PUBLIC_SIDE_FIELDS = tuple(name for name in SIDE_FIELD_NAMES if FIELDS[name].seen == PUBLIC)
# Per-side fields a side never reads of its rival now (ESTIMATE ones reach it only lagged, via the feed).
HIDDEN_SIDE_FIELDS = tuple(name for name in SIDE_FIELD_NAMES if FIELDS[name].seen in (OWN, ESTIMATE))


@attrs.frozen
class Figure:
    """A figure by name: a stored per-side scalar or global field as it is (`of` empty), or derived by
    the function `of` in engine/observe.py. `log`: the estimate's noise adds in log10 units."""

    name: str
    seen: str = ""
    unit: str = ""
    of: str = ""
    log: bool = False
    per_side: bool = True


def _stored(fig: Figure) -> Figure:
    """A stored field's figure takes its visibility and unit from the field."""
    if fig.of:
        return fig
    f = FIELDS[fig.name]
    return attrs.evolve(fig, seen=fig.seen or f.seen, unit=fig.unit or f.unit, per_side=f.per_side)


FIGURES: tuple[Figure, ...] = tuple(_stored(fig) for fig in (
    Figure("capability"),
    Figure("compute_eflops", ESTIMATE, "EFLOP/s", of="compute_eflops"),
    Figure("fleet_chips", ESTIMATE, "chips", of="fleet_chips"),
    Figure("efficiency_log10", log=True),
    Figure("revenue_busd"),
    Figure("treasury_busd"),
    Figure("mindshare"),
    Figure("power_mw"),
    Figure("fab_wafers_per_q", ESTIMATE, "wafers/quarter", of="total_wafers"),
    Figure("euv_tools"),
    Figure("duv_tools"),
    Figure("packaging_chips_per_q"),
    Figure("adoption", ESTIMATE, "share", of="deployment"),
    Figure("model_log10_eff", log=True),
    Figure("self_sufficiency", ESTIMATE, "share", of="self_sufficiency"),
    Figure("cum_revenue_busd"),
    Figure("model_open"),
    Figure("debt_quarters"),
    Figure("euv_domestic"),
    Figure("power_use", OWN, "share", of="power_use"),
    Figure("open_ban", OWN, "flag", of="open_ban"),
    Figure("turn"),
    Figure("year", PUBLIC, "year", of="year", per_side=False),
    Figure("export_tier"),
    Figure("track"),
))
FIGURE = {fig.name: fig for fig in FIGURES}
# The observation vector: what intelligence estimates, in this order (stored in obs_lag and saves).
OBS = tuple(fig.name for fig in FIGURES if fig.seen == ESTIMATE)
LOG_OBS = tuple(fig.name for fig in FIGURES if fig.seen == ESTIMATE and fig.log)
OBS_INDEX = {name: i for i, name in enumerate(OBS)}  # a figure's column in an observation row
# What a content condition (events, policies) may name: global figures bare, per-side ones after
# self./rival./us./cn. Content conditions are read on the true state.
CONDITION_GLOBALS = tuple(fig.name for fig in FIGURES if not fig.per_side)
CONDITION_SIDES = tuple(fig.name for fig in FIGURES if fig.per_side)
# What a strategy condition may name: the keys of a side's view (engine.observe.view).
SELF_FIGURES = tuple(fig.name for fig in FIGURES if fig.per_side and fig.seen in (OWN, ESTIMATE, PUBLIC))
RIVAL_FIGURES = tuple(fig.name for fig in FIGURES if fig.per_side and fig.seen in (ESTIMATE, PUBLIC))
PUBLIC_GLOBALS = tuple(fig.name for fig in FIGURES if not fig.per_side and fig.seen == PUBLIC)
# Figures of a side's view that weigh both sides (engine.observe.view), by name and meaning.
VIEW_FIGURES = {
    "lead_months": "months: the side's lead, from its own frontier and its estimate of the rival's (negative behind)",
    "track_margin": "points: the side's total on the lead track minus the rival's (both public)",
    "points_left": "points: what the quarters still to play will add to the two totals together",
}
STRATEGY_FIELDS = PUBLIC_GLOBALS + tuple(VIEW_FIGURES) + tuple(f"self.{n}" for n in SELF_FIGURES) \
    + tuple(f"rival.{n}" for n in RIVAL_FIGURES)

FIXED_DIMS = {SIDE: 2, "flows": len(FLOWS), "fleet_parts": len(FLEET), "chip_sources": len(CHIP_SOURCES),
              "compute_spend": len(COMPUTE_SPEND),
              "verdict_parts": len(VERDICT_PARTS), "figures": len(OBS)}
