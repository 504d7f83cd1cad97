"""The names content may use: modifiers and stocks the engine understands (the figures a condition may
name are in game/schema.py)."""

# Multiplicative modifiers: 1.0 unless an effect multiplies them.
MUL_MODIFIERS = (
    "budget", "revenue", "fab_cost", "fab_output", "yield_learning", "tool_price", "tool_supply",
    "packaging", "import_cap", "power_cost", "power_build_cost", "power_capacity", "research",
    "training", "adoption", "mindshare", "follow", "intel", "chip_price", "design_cost", "opex",
    "packaging_growth", "onshore_premium",
)
# Additive modifiers: 0.0 unless an effect adds to them; flags are "on" when above 0.5.
ADD_MODIFIERS = ("smuggle_kchips", "duv_blocked", "open_ban", "auto_open", "import_fee")
MODIFIERS = MUL_MODIFIERS + ADD_MODIFIERS

# Multiplicative modifiers that scale a price or a cost. The rules divide money by these prices (wafers = money /
# fab cost), so a factor may make one cheap but never free: a zero would divide by zero, and a factor so small
# that money / price overflows is as bad. Bounds checked by `content check`.
PRICE_MODIFIERS = ("fab_cost", "tool_price", "power_cost", "power_build_cost", "chip_price", "design_cost", "opex")
MIN_PRICE_FACTOR = 0.01    # one effect's factor on a price: a hundredth of list at most off
MIN_PRICE_STACK = 1e-6     # every factor that may be in force at once on one side's price, multiplied together

# Stocks an effect may change once, when it fires (op: add, mul or set).
STOCKS = (
    "treasury_busd", "efficiency_log10", "mindshare", "export_tier",
    "model_open", "import_credit_busd", "power_mw", "packaging_chips_per_q", "fab_wafers_per_q",
    "fleet", "intel_level",
)

# What each name means, for `compute-race content vocab` (tests/content/test_vocab.py checks every name has one).
MODIFIER_MEANINGS = {
    "budget": "the base budget a quarter",
    "revenue": "AI revenue from applications",
    "fab_cost": "the price of new fab capacity (and of packaging capacity)",
    "fab_output": "wafers the side's fabs turn out",
    "yield_learning": "how fast fab yields improve",
    "tool_price": "the price of lithography scanners",
    "tool_supply": "scanners the side may buy a quarter",
    "packaging": "chips packaging/HBM capacity can finish a quarter",
    "import_cap": "chips the side may import a quarter",
    "power_cost": "the price of electricity",
    "power_build_cost": "the price of new grid power capacity",
    "power_capacity": "usable power (MW) for the fleet",
    "research": "algorithmic-efficiency gains from research",
    "training": "effective compute of training runs",
    "adoption": "how fast sectors adopt the side's models",
    "mindshare": "the appeal of the side's models to the world",
    "follow": "how fast the side catches up by fast-following a better model",
    "intel": "how sharp the side's intelligence estimates are",
    "chip_price": "the price of chips bought for the fleet",
    "design_cost": "the price of designing the next chip on the ladder",
    "opex": "the running cost of training compute",
    "packaging_growth": "how fast packaging capacity may grow",
    "onshore_premium": "the onshore cost premium on new fab capacity (a subsidy lowers it)",
    "smuggle_kchips": "thousands of the rival's chips a quarter the side can smuggle in",
    "duv_blocked": "flag: allied DUV scanners are denied (above 0.5)",
    "open_ban": "flag: the side may not release open weights (above 0.5)",
    "auto_open": "flag: the side's new models are released open (above 0.5)",
    "import_fee": "share of an imported chip's price paid as a fee to the exporter's treasury (revenue share)",
}
STOCK_MEANINGS = {
    "treasury_busd": "the side's treasury",
    "efficiency_log10": "algorithmic efficiency, log10 multiplier on physical compute",
    "mindshare": "the side's share of global mindshare",
    "export_tier": "the export-control tier (global; add or set steps it)",
    "model_open": "whether the best model's weights are open (1 or 0)",
    "import_credit_busd": "credit toward chips bought abroad",
    "power_mw": "grid power capacity",
    "packaging_chips_per_q": "packaging/HBM capacity",
    "fab_wafers_per_q": "fab capacity on every node",
    "fleet": "every cohort of the installed fleet (mul: a share survives)",
    "intel_level": "the side's intelligence level (sharper estimates)",
}
FIGURE_MEANINGS = {
    "capability": "the best model's capability index",
    "compute_eflops": "usable installed compute",
    "fleet_chips": "chips in the installed fleet",
    "efficiency_log10": "algorithmic efficiency (log10 multiplier)",
    "revenue_busd": "AI revenue this quarter",
    "treasury_busd": "treasury (negative: in debt)",
    "mindshare": "share of global mindshare",
    "power_mw": "grid power capacity",
    "fab_wafers_per_q": "fab capacity, all nodes",
    "euv_tools": "EUV scanners installed",
    "duv_tools": "DUV scanners installed",
    "packaging_chips_per_q": "packaging/HBM capacity",
    "adoption": "deployment: market-weighted adoption of the side's models",
    "model_log10_eff": "effective training compute of the best model",
    "self_sufficiency": "share of the last four quarters' new accelerators (FLOP/s) made in the side's onshore fabs",
    "cum_revenue_busd": "AI revenue so far",
    "model_open": "1 when the best model's weights are open",
    "debt_quarters": "quarters in a row past the debt limit",
    "euv_domestic": "1 when a domestic EUV programme has delivered",
    "power_use": "share of power capacity the fleet uses",
    "open_ban": "1 when the side may not release open weights",
    "turn": "quarters played",
    "year": "the calendar year",
    "export_tier": "the export-control tier in force",
    "track": "the side's total on the lead track",
}
