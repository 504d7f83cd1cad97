"""The words a player reads for the engine's and the content's names: how a game ended, and what an effect
changes. Screens, saves and the play-by-file text use these instead of showing an id ("decisive_lead",
"smuggle_kchips")."""

from __future__ import annotations

from game.text import change_text

SIDE_WORDS = {"us": "the US", "cn": "China"}
SIDE_SHORT_WORDS = {"us": "US", "cn": "China"}
MAKERS = {"us": "US", "cn": "China", "allied": "allied"}  # a chip's maker (content chips.toml)


def outcome_text(winner: str, reason: str) -> str:
    """How a finished game ended, as a sentence's subject and verb: "the US won by a decisive lead"."""
    if winner == "draw":
        return "a draw on the lead track"
    side = SIDE_WORDS.get(winner, winner)
    loser = SIDE_WORDS.get({"us": "cn", "cn": "us"}.get(winner, ""), "the rival")
    return {"decisive_lead": f"{side} won by a decisive lead",
            "bankruptcy": f"{side} won: {loser} went bankrupt",
            "track": f"{side} won on the lead track"}.get(reason, f"{side} won")


def outcome_short(winner: str, reason: str) -> str:
    """The same in a few words, for a narrow panel: "US wins outright", "China bankrupt", "a draw"."""
    if winner == "draw":
        return "a draw"
    side = SIDE_SHORT_WORDS.get(winner, winner)
    loser = SIDE_SHORT_WORDS.get({"us": "cn", "cn": "us"}.get(winner, ""), "the rival")
    return {"decisive_lead": f"{side} wins outright", "bankruptcy": f"{loser} bankrupt",
            "track": f"{side} wins on track"}.get(reason, f"{side} wins")


# Each modifier and stock an effect may name (game/content/vocab.py): the words for it and how its value reads.
# "flag": on when above 0.5 (a flag added or set to 1 turns on, to 0 or below turns off); "busd": billions of
# dollars; "share": a fraction shown in percent; "log10": a log10 multiplier shown as the factor; "kchips": thousands
# of chips a quarter; "" a plain number.
EFFECT_WORDS: dict[str, tuple[str, str]] = {
    # multiplicative modifiers (op mul)
    "budget": ("base budget", ""),
    "revenue": ("AI revenue", ""),
    "fab_cost": ("fab prices", ""),
    "fab_output": ("fab output", ""),
    "yield_learning": ("fab yield learning", ""),
    "tool_price": ("scanner prices", ""),
    "tool_supply": ("scanners for sale", ""),
    "packaging": ("packaging capacity", ""),
    "import_cap": ("chip imports allowed", ""),
    "power_cost": ("electricity prices", ""),
    "power_build_cost": ("grid build prices", ""),
    "power_capacity": ("usable power", ""),
    "research": ("research gains", ""),
    "training": ("training compute", ""),
    "adoption": ("adoption speed", ""),
    "mindshare": ("mindshare", "share"),
    "follow": ("fast-follow speed", ""),
    "intel": ("intelligence sharpness", ""),
    "chip_price": ("chip prices", ""),
    "design_cost": ("chip design prices", ""),
    "opex": ("training running costs", ""),
    "packaging_growth": ("packaging growth", ""),
    "onshore_premium": ("onshore fab cost premium", ""),
    # additive modifiers
    "smuggle_kchips": ("chips smuggled in a quarter", "kchips"),
    "duv_blocked": ("allied DUV scanners denied", "flag"),
    "open_ban": ("open weights banned", "flag"),
    "auto_open": ("new models released open", "flag"),
    "import_fee": ("fee on imported chips", "share"),
    # stocks (changed once)
    "treasury_busd": ("treasury", "busd"),
    "efficiency_log10": ("algorithmic efficiency", "log10"),
    "export_tier": ("export-control tier", ""),
    "model_open": ("best model's weights open", "flag"),
    "import_credit_busd": ("credit for chips bought abroad", "busd"),
    "power_mw": ("grid power (MW)", ""),
    "packaging_chips_per_q": ("packaging capacity (chips a quarter)", ""),
    "fab_wafers_per_q": ("fab capacity (wafers a quarter)", ""),
    "fleet": ("installed chips", ""),
    "intel_level": ("intelligence level", ""),
}


def effect_words(target: str, op: str, value: float) -> str:
    """One effect's change in words: "fab prices ×0.75", "chips smuggled in a quarter −25k", "open weights banned",
    "treasury +$0.5B", "algorithmic efficiency ×2.0"."""
    label, unit = EFFECT_WORDS.get(target, (target.replace("_", " "), ""))
    if unit == "flag" and op in ("add", "set"):
        return label if value > 0.5 else f"{label}: lifted" if op == "add" else f"{label}: no"
    if op == "mul":
        return f"{label} {change_text(op, value)}"
    sign = "= " if op == "set" else "−" if value < 0 else "+"
    size = abs(value) if op == "add" else value
    if unit == "busd":
        return f"{label} {sign}${size:g}B"
    if unit == "share":
        return f"{label} {sign}{100 * size:g}%"
    if unit == "log10" and op == "add":
        return f"{label} ×{10 ** value:.2g}"
    if unit == "kchips":
        return f"{label} {sign}{size:g}k"
    return f"{label} {change_text(op, value)}"


GLOBAL_TARGETS = ("export_tier",)  # one figure for the world: an effect's side only says who moves it


def effect_phrase(whose: str, target: str, op: str, value: float) -> str:
    """An effect with whose figure it changes: "China's fab prices ×0.8"; a global one without: "export-control
    tier +1"."""
    words = effect_words(target, op, value)
    return words if target in GLOBAL_TARGETS else f"{whose} {words}"


def effect_side(side: str) -> str:
    """Whose figure an effect changes, as the codex writes it (an effect's side: self, rival, us, cn, both)."""
    return {"self": "its own", "rival": "the rival's", "us": "the US's", "cn": "China's", "both": "both sides'"}.get(
        side, side)
