"""The names content may use: modifiers and stocks the engine understands (the figures a condition may
name are in game/schema.py)."""

# Multiplicative modifiers: 1.0 unless an effect multiplies them.
MUL_MODIFIERS = (
    "budget", "revenue", "fab_cost", "fab_output", "yield_learning", "tool_price", "tool_supply",
    "packaging", "import_cap", "power_cost", "power_build_cost", "power_capacity", "research",
    "training", "adoption", "mindshare", "follow", "intel", "chip_price", "design_cost", "opex",
    "packaging_growth", "onshore",
)
# Additive modifiers: 0.0 unless an effect adds to them; flags are "on" when above 0.5.
ADD_MODIFIERS = ("smuggle_kchips", "duv_blocked", "open_ban", "auto_open", "import_fee")
MODIFIERS = MUL_MODIFIERS + ADD_MODIFIERS

# Stocks an effect may change once, when it fires (op: add, mul or set).
STOCKS = (
    "treasury_busd", "efficiency_log10", "mindshare", "export_tier",
    "model_open", "import_credit_busd", "power_mw", "packaging_chips_per_q", "fab_wafers_per_q",
    "fleet", "intel_level",
)
