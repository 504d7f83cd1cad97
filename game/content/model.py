"""The content classes: every number a designer tunes, as frozen attrs classes with bounds."""

from __future__ import annotations

import attrs

from game.content.schema import spec

SIDES = ("us", "cn")
EFFECT_SIDES = ("self", "rival", "us", "cn", "both")
OPS = ("<", "<=", ">", ">=", "==", "!=")


def concrete_sides(side: str, owner: int) -> tuple[int, ...]:
    """The sides (0 us, 1 cn) an effect's `side` reaches when side `owner` holds it."""
    if side == "self":
        return (owner,)
    if side == "rival":
        return (1 - owner,)
    if side == "both":
        return (0, 1)
    return (SIDES.index(side),)


@attrs.frozen(kw_only=True)
class Chip:
    id: str
    name: str
    maker: str = spec(choices=("us", "cn", "allied"))
    bf16_tflops: float = spec(min=1.0)
    usable: float = spec(1.0, min=0.05, max=1.0,
                         doc="achieved share of peak that counts as compute, against NVIDIA's (1.0): software, memory "
                             "bandwidth and interconnect (REFERENCE s1: achieved, not peak)")
    server_kw: float = spec(min=0.05, doc="power per chip at the server, host share included")
    price_kusd: float = spec(min=0.1)
    die_mm2: float = spec(min=50.0, max=900.0)
    dies_per_chip: int = spec(1, min=1, max=8)
    node: str = spec()
    hbm_gb: float = spec(0.0, min=0.0)
    design_cost_busd: float = spec(0.0, min=0.0)
    year: int = spec(min=2015, max=2060)
    export_max_tier: int = spec(-1, min=-1, max=9,
                                doc="highest export tier at which a side that imports chips may buy it; -1 never")
    source: str = ""


@attrs.frozen(kw_only=True)
class Node:
    id: str
    name: str
    rank: int = spec(min=0)
    year: int = spec(min=2000, max=2060)
    needs_euv: bool = False
    duv_yield_mult: float = spec(0.0, min=0.0, max=1.0, doc="yield factor when made by DUV multipatterning; 0 = impossible")
    duv_tool_mult: float = spec(1.0, min=1.0, max=10.0)
    perf_factor: float = spec(min=0.1, max=10.0)
    fab_cost_busd_per_kwpq: float = spec(min=0.001)
    start_yield: float = spec(min=0.01, max=1.0)
    max_yield: float = spec(min=0.01, max=1.0)
    learn_rate: float = spec(min=0.0, max=1.0)
    source: str = ""


@attrs.frozen(kw_only=True)
class Sector:
    id: str
    name: str
    min_capability: float = spec(min=0.0, max=100.0)
    market_busd_per_q: float = spec(min=0.0)
    growth_per_year: float = spec(min=-0.5, max=5.0)
    adoption_speed: float = spec(min=0.0, max=1.0)
    inference_eflop_per_busd: float = spec(min=0.0)
    churn: float = spec(min=0.0, max=1.0)
    national: bool = spec(False, doc="each side has a market of its own (no rest of world, no switching); "
                                     "otherwise the sides' adoption are shares of one world market")
    source: str = ""


@attrs.frozen(kw_only=True)
class Condition:
    field: str
    op: str = spec(choices=OPS)
    value: float = spec()


@attrs.frozen(kw_only=True)
class Effect:
    kind: str = spec(choices=("modifier", "stock"))
    target: str = spec()
    side: str = spec("self", choices=EFFECT_SIDES)
    op: str = spec("mul", choices=("mul", "add", "set"))
    value: float = spec()


@attrs.frozen(kw_only=True)
class Policy:
    id: str
    name: str
    side: str = spec(choices=("us", "cn", "both"))
    cost_busd: float = spec(0.0, min=0.0)
    cooldown: int = spec(0, min=0, max=200)
    duration: int = spec(0, min=-1, max=200, doc="turns its modifiers last; -1 for as long as the game; 0 one-off")
    description: str = spec("", lines=True)
    source: str = ""
    requires_active: tuple[str, ...] = ()
    forbids_active: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    effects: tuple[Effect, ...] = ()


@attrs.frozen(kw_only=True)
class Event:
    id: str
    name: str
    headline: str
    description: str = spec("", lines=True)
    source: str = ""
    turn_min: int = spec(0, min=0)
    turn_max: int = spec(1000, min=0)
    year_min: float = spec(0.0, min=0.0, max=2200.0,
                           doc="calendar year (quarters as .25: 2024.75 = 2024 Q4) from which it may fire, whatever "
                               "the scenario; 0: any year")
    probability: float = spec(min=0.0, max=1.0)
    once: bool = True
    duration: int = spec(1, min=1, max=200)
    conditions: tuple[Condition, ...] = ()
    effects: tuple[Effect, ...] = ()


@attrs.frozen(kw_only=True)
class Tier:
    name: str
    log10_eff: float = spec(min=15.0, max=45.0)
    description: str = spec("", lines=True)


@attrs.frozen(kw_only=True)
class ExportTier:
    name: str
    description: str = spec("", lines=True)
    effects: tuple[Effect, ...] = ()


@attrs.frozen(kw_only=True)
class Capability:
    mid_log10: float = spec(min=15.0, max=45.0)
    width_log10: float = spec(min=0.1, max=10.0)
    tiers: tuple[Tier, ...] = ()


@attrs.frozen(kw_only=True)
class Training:
    mfu: float = spec(min=0.01, max=1.0)
    goodput: float = spec(min=0.1, max=1.0)
    run_quarters: int = spec(min=1, max=12)
    opex_usd_per_eflop: float = spec(min=0.0)
    opex_decline_per_q: float = spec(min=0.0, max=0.5)
    follow_closed_mult: float = spec(min=1.0, max=1000.0)
    follow_open_mult: float = spec(min=1.0, max=1000.0)
    usd_per_gpu_hour: float = spec(2.0, min=0.0)
    pue: float = spec(1.3, min=1.0, max=3.0)   # the datacenter `calc training` assumes
    outcome_sigma_log10: float = spec(0.0, min=0.0, max=1.0)


@attrs.frozen(kw_only=True)
class Research:
    max_gain_log10_per_q: float = spec(min=0.0, max=2.0)
    ref_busd: float = spec(min=0.001)
    ref_eflop: float = spec(min=1e-6)
    diffusion_per_q: float = spec(min=0.0, max=1.0)
    open_diffusion_mult: float = spec(min=1.0, max=20.0)
    inference_ref_log10: float = spec(0.0, min=-5.0, max=10.0)
    breakthrough_chance: float = spec(0.0, min=0.0, max=1.0)
    breakthrough_log10: float = spec(0.0, min=0.0, max=2.0)
    breakthrough_rivalry: float = spec(
        0.0, min=0.0, max=8.0,
        doc="how strongly research effort against the rival's moves the breakthrough chance (0: not at all)")
    ref_year: float = spec(2025.0, min=2000.0, max=2100.0,
                           doc="the calendar year ref_busd and ref_eflop are stated for")
    early_ref_busd_growth_per_year: float = spec(
        0.0, min=0.0, max=20.0, doc="how fast ref_busd grows a year before ref_year: the field was smaller (0: not)")
    early_ref_eflop_growth_per_year: float = spec(
        0.0, min=0.0, max=20.0, doc="how fast ref_eflop grows a year before ref_year (0: not)")


@attrs.frozen(kw_only=True)
class Supply:
    seconds_per_quarter: float = spec(min=1.0)
    design_years_early: float = spec(0.0, min=0.0, max=5.0,
                                     doc="years before its chips.toml year that a paid-for design may come in")
    fleet_life_quarters: int = spec(min=4, max=40)
    wafer_diameter_mm: float = spec(300.0, min=100.0, max=450.0)
    packaging_share_of_fabs: float = spec(min=0.0, max=1.0)
    packaging_busd_per_kchips_q: float = spec(min=0.0001)
    packaging_max_growth_per_year: float = spec(1e9, min=0.0,
                                                doc="packaging/HBM capacity grows at most this share a year")
    packaging_min_add_chips_per_q: float = spec(0.0, min=0.0,
                                                doc="capacity a side may add a quarter whatever it has (one new line)")
    euv_price_busd: float = spec(min=0.001)
    duv_price_busd: float = spec(min=0.001)
    euv_wafers_per_tool_q: float = spec(min=1.0)
    duv_wafers_per_tool_q: float = spec(min=1.0)
    euv_supply_per_q: float = spec(min=0.0)
    duv_supply_per_q: float = spec(min=0.0)
    euv_program_busd: float = spec(min=0.0)
    euv_program_share: float = spec(min=0.0, max=1.0)
    euv_domestic_earliest_year: float = spec(0.0, min=0.0, max=2100.0,
                                             doc="no domestic EUV programme delivers before this calendar year")
    euv_domestic_chance_per_q: float = spec(1.0, min=0.0, max=1.0,
                                            doc="chance a quarter that a funded programme delivers, from the earliest year")
    domestic_tool_price_mult: float = spec(min=1.0, max=20.0)
    domestic_tool_output_mult: float = spec(min=0.01, max=1.0)
    import_cap_busd_per_q: float = spec(min=0.0, doc="the value of chips the exporter sells a side that imports, a "
                                                    "quarter, at list price (a cut-down chip costs less, so more come)")
    smuggle_price_mult: float = spec(min=1.0, max=20.0)
    smuggle_seizure_max: float = spec(min=0.0, max=1.0)
    smuggle_generations_back: int = spec(min=0, max=10, doc="how far behind the rival's current design the smuggled chip is")
    domestic_euv_supply_mult: float = spec(min=0.0, max=10.0,
                                           doc="domestic EUV scanners a quarter, as a share of the allied supplier's")
    blocked_duv_supply_mult: float = spec(min=0.0, max=10.0,
                                          doc="DUV scanners a quarter from domestic makers when allied DUV is blocked")
    idle_euv_money_share: float = spec(min=0.0, max=1.0,
                                       doc="share of tool money spent on EUV by a side with EUV but no wafer capacity yet")
    tool_life_quarters: int = spec(40, min=4, max=200)
    power_over_grid_cost_mult: float = spec(1e9, min=1.0)
    offgrid_share_of_grid: float = spec(0.0, min=0.0, max=100.0,
                                        doc="off-grid MW a side may build a quarter, as a share of what its grid connects")


@attrs.frozen(kw_only=True)
class Money:
    interest_per_q: float = spec(min=0.0, max=0.5)
    crisis_budget_mult: float = spec(min=0.0, max=1.0)
    credit_share: float = spec(min=0.0, max=3.0)
    bankrupt_quarters: int = spec(min=1, max=40)
    reinvest_share: float = spec(min=0.0, max=1.0, doc="share of AI revenue that enters the treasury")
    idle_cap_quarters: float = spec(4.0, min=0.0, max=100.0,
                                    doc="quarters of base budget a treasury may hold before the excess flows back")
    idle_return_share: float = spec(0.0, min=0.0, max=1.0,
                                    doc="share of the treasury above that cap returned to investors a quarter (0: none)")


@attrs.frozen(kw_only=True)
class Apps:
    ref_busd: float = spec(min=0.001)
    readiness_span: float = spec(min=0.1, max=100.0)
    mindshare_rate: float = spec(min=0.0, max=1.0)
    rest_of_world_appeal: float = spec(above=0.0, doc="appeal of everyone else's models; above 0, so that each "
                                       "side's share of appeal is defined when neither side's models appeal")
    open_appeal_bonus: float = spec(min=0.0, max=20.0)
    rest_of_world_share: float = spec(0.0, min=0.0, max=0.95,
                                      doc="share of every sector's market served by neither side's models")
    switching_per_q: float = spec(0.0, min=0.0, max=1.0,
                                  doc="share of each side's customers who reconsider each quarter")
    market_year: float = spec(2025.0, min=2000.0, max=2100.0,
                              doc="the calendar year sectors.toml's market sizes are stated for")
    early_growth_per_year: float = spec(0.0, min=0.0, max=20.0,
                                        doc="how fast every market grows a year before market_year (0: at its own rate)")


@attrs.frozen(kw_only=True)
class Intel:
    base_sigma: float = spec(min=0.0, max=2.0)
    ref_busd: float = spec(min=0.001)
    decay: float = spec(min=0.0, max=1.0)


@attrs.frozen(kw_only=True)
class Lead:
    growth_log10_per_year: float = spec(0.9, min=0.05, max=5.0,
                                        doc="the frontier's growth in log10 effective compute a year: months of lead")


@attrs.frozen(kw_only=True)
class Rules:
    capability: Capability
    training: Training
    research: Research
    supply: Supply
    money: Money
    apps: Apps
    intel: Intel
    lead: Lead = attrs.field(factory=Lead)
    export_tiers: tuple[ExportTier, ...] = ()


@attrs.frozen(kw_only=True)
class Scoring:
    """The lead track (DESIGN.md "Winning", rules 2): the parts of a quarter's verdict and how a game ends."""

    frontier: float = spec(min=0.0, max=1.0, doc="weight of the frontier-lead part of a quarter's verdict")
    compute: float = spec(min=0.0, max=1.0, doc="weight of the usable-compute share")
    applications: float = spec(min=0.0, max=1.0, doc="weight of the share of market-weighted adoption x capability "
                                                      "across the sectors, defence included")
    mindshare: float = spec(min=0.0, max=1.0, doc="weight of the mindshare share")
    supply: float = spec(min=0.0, max=1.0, doc="weight of the share of onshore-made new accelerators (last four quarters)")
    supply_quarters: int = spec(4, min=1, max=40, doc="the supply part counts the new accelerators of this many "
                                                    "last quarters (at most the fleet's life)")
    frontier_scale_months: float = spec(6.0, min=0.1, max=120.0,
                                        doc="months of lead for which the frontier part is logistic(1), ~73%")
    quarter_growth_per_year: float = spec(0.3, min=0.0, max=5.0, doc="how much a quarter's weight grows a year")
    decisive_tier: str = spec("Transformative", doc="the capability tier a decisive win needs (rules.toml)")
    decisive_deployment: float = spec(0.6, min=0.0, max=1.0, doc="deployment a decisive win needs, 0-1")
    decisive_margin_months: float = spec(3.0, min=0.0, max=120.0, doc="lead a decisive win needs, months")
    tie_margin: float = spec(0.05, min=0.0, max=10.0, doc="final totals this close (points) count as level")


@attrs.frozen(kw_only=True)
class Cohort:
    chip: str
    count: float = spec(min=0.0)
    age_quarters: int = spec(0, min=0)
    onshore: bool = spec(False, doc="made in the side's own onshore fabs (counts toward self-sufficiency)")


@attrs.frozen(kw_only=True)
class SideStart:
    treasury_busd: float = spec()
    base_budget_busd: float = spec(min=0.0)
    budget_growth_per_year: float = spec(min=-0.5, max=2.0)
    debt_limit_busd: float = spec(min=0.0)
    revenue_mult: float = spec(min=0.0, max=10.0)
    pue: float = spec(min=1.0, max=3.0)
    power_usd_per_kwh: float = spec(min=0.0, max=1.0)
    power_capex_musd_per_mw: float = spec(min=0.01)
    power_build_quarters: int = spec(min=0, max=20)
    power_max_mw_per_q: float = spec(1e9, min=0.0)
    power_max_growth_per_year: float = spec(0.0, min=-0.5, max=2.0)
    fab_build_quarters: int = spec(min=0, max=20)
    new_fabs_onshore_share: float = spec(1.0, min=0.0, max=1.0,
                                         doc="share of its new fab money the side puts onshore unless its orders say "
                                             "(the order's default)")
    builds_abroad: bool = spec(False, doc="may put fab money into allied foundries abroad (a dependency: chips "
                                          "made there are not the side's own); without it every new fab is onshore")
    onshore_cost_premium: float = spec(0.0, min=0.0, max=2.0,
                                       doc="how much more capacity costs onshore than abroad, a share (0.4: 40% more)")
    abroad_fab_build_quarters: int | None = spec(
        None, min=0, max=20, doc="quarters capacity abroad takes to build; absent: fab_build_quarters")
    frontier_share: float = spec(min=0.0, max=1.0, doc="share of the side's training compute in its largest run, at "
                                                       "the start")
    frontier_share_growth_per_year: float = spec(
        0.0, min=0.0, max=5.0, doc="how fast that share grows a year as the side's labs build single clusters")
    frontier_share_max: float = spec(1.0, min=0.0, max=1.0, doc="the share it grows to at most")
    design_ladder: tuple[str, ...] = ()
    design_index: int = spec(0, min=0)
    fleet: tuple[Cohort, ...] = ()
    power_mw: float = spec(min=0.0)
    power_building_mw: tuple[float, ...] = spec(
        (), min=0.0, doc="MW already being built at the start, arriving in quarters 1, 2, ... (at most "
                         "power_build_quarters of them)")
    fab_wafers_per_q: dict[str, float] = spec(dict(), min=0.0)
    onshore_wafers_per_q: dict[str, float] | None = spec(
        None, min=0.0, doc="the part of fab_wafers_per_q in onshore fabs, by node; absent: all of it")
    yields: dict[str, float] = spec(dict(), min=0.0, max=1.0)
    euv_tools: float = spec(0.0, min=0.0)
    duv_tools: float = spec(0.0, min=0.0)
    euv_domestic: bool = False
    allied_euv: bool = spec(doc="buys EUV scanners from the allied supplier; without it only a domestic programme brings EUV")
    imports_chips: bool = spec(doc="buys the chips the export tier allows (chips.toml export_max_tier), beside its own")
    smuggles_chips: bool = spec(
        doc="buys the rival's chips a generation back through smugglers, as far as policies open the route")
    packaging_chips_per_q: float = spec(min=0.0)
    efficiency_log10: float = spec(min=-3.0, max=10.0)
    model_log10_eff: float = spec(min=15.0, max=45.0)
    last_run_flop: float = spec(0.0, min=0.0, max=1e40, doc="physical FLOP of the largest run finished by the start")
    run_flop: float = spec(0.0, min=0.0, max=1e40, doc="FLOP of the frontier run already under way at the start")
    run_quarters_done: int = spec(0, min=0, max=20, doc="quarters that run has trained (below rules run_quarters)")
    adoption: dict[str, float] = spec(dict(), min=0.0, max=1.0)
    mindshare: float = spec(min=0.0, max=1.0)
    intel_level: float = spec(0.0, min=0.0)


@attrs.frozen(kw_only=True)
class Sides:
    us: SideStart
    cn: SideStart


@attrs.frozen(kw_only=True)
class Scenario:
    id: str
    name: str
    description: str = spec("", lines=True)
    start_year: int = spec(min=2000, max=2100)
    start_quarter: int = spec(1, min=1, max=4)
    turns: int = spec(min=1, max=400)
    export_tier: int = spec(0, min=0)
    active_policies: tuple[str, ...] = ()
    sides: Sides = spec()
