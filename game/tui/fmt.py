"""How figures are written on screen: units a player reads at a glance, and side colours and marks."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content

from game.text import escape

SIDE_SHORT = ("US", "CN")
SIDE_NAMES = ("United States", "China")
# Okabe-Ito sky blue and orange: told apart with any colour vision, and each side also has a mark.
SIDE_COLOURS = ("#56B4E9", "#E69F00")
SIDE_MARKS = ("■", "▲")

CATEGORY_HELP = {
    "fabs": "fab capacity (wafers per quarter) and packaging: years to build, $10-20B a fab",
    "lithography": "EUV and DUV tools; China's domestic EUV programme. Leading nodes need EUV",
    "design": "the next accelerator generation on your ladder (FLOP/s per chip and per watt)",
    "compute": "datacenter chips and the power to run them; what a quarter of training and serving runs on",
    "training": "opex of the frontier training run; compute without it idles",
    "research": "algorithmic efficiency: a DeepSeek-style leap multiplies every FLOP",
    "applications": "deployment in sectors: revenue, security from defense, mindshare",
    "intelligence": "a sharper, less noisy estimate of the rival",
}
SPLIT_HELP = {
    "training": "share of compute for the frontier run (capability)",
    "inference": "share of compute serving customers: without it adoption stalls",
    "research": "share of compute for experiments that raise efficiency",
}


def markup(template: str, **values: object) -> Content:
    """Our own markup `template` with each `$name` replaced by a value as plain text: a name, reason, path or error
    from outside is never read as markup (a "[/]" cannot crash a screen, a "[@click=...]" is not a link), and a
    character that does not print is written as an escape."""
    return Content.from_markup(template, **{k: escape(v.plain if isinstance(v, Content) else str(v))
                                            for k, v in values.items()})


def lines(parts: Iterable[Content | str]) -> Content:
    """Lines joined into one Content; a str among them is plain text, never markup."""
    return Content("\n").join(part if isinstance(part, Content) else Content(part) for part in parts)


def side_tag(side: int) -> str:
    return f"[{SIDE_COLOURS[side]}]{SIDE_MARKS[side]} {SIDE_SHORT[side]}[/]"


def busd(value: float) -> str:
    """Billions of dollars: $1.2B, $340B, $1.2T, -$5.4B."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1000:
        return f"{sign}${value / 1000:,.1f}T"
    if value >= 100:
        return f"{sign}${value:,.0f}B"
    return f"{sign}${value:,.1f}B"


def count(value: float) -> str:
    """A count with k/M/B suffix."""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:,.1f}{suffix}"
    return f"{value:,.0f}"


def eflops(value: float) -> str:
    """Compute from EFLOP/s (the observation unit), short: 980 EF/s, 3.4 ZF/s."""
    if value >= 1e6:
        return f"{value / 1e6:,.1f} YF/s"
    if value >= 1000:
        return f"{value / 1000:,.1f} ZF/s"
    return f"{value:,.0f} EF/s"


def pct(value: float, digits: int = 0) -> str:
    return f"{100 * value:.{digits}f}%"


# The figures shown for a side (dashboard, watch, forecast): key of the observation, label, formatter.
FIGURES = (
    ("capability", "capability", lambda v: f"{v:.1f}"),
    ("model_log10_eff", "effective FLOP", lambda v: f"1e{v:.1f}"),
    ("compute_eflops", "compute", eflops),
    ("fleet_chips", "chips installed", count),
    ("power_mw", "power MW", lambda v: f"{v:,.0f}"),
    ("efficiency_log10", "efficiency", lambda v: f"×{10 ** v:,.0f}" if v < 6 else f"×1e{v:.1f}"),
    ("fab_wafers_per_q", "wafers/quarter", count),
    ("euv_tools", "EUV tools", lambda v: f"{v:,.0f}"),
    ("packaging_chips_per_q", "packaging/q", count),
    ("revenue_busd", "AI revenue/q", busd),
    ("adoption", "deployment", pct),
    ("mindshare", "mindshare", pct),
    ("self_sufficiency", "self-sufficiency", pct),
    ("treasury_busd", "treasury", busd),
)
