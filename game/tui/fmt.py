"""How figures are written on screen: units a player reads at a glance, and side colours and marks."""

from __future__ import annotations

from collections.abc import Iterable

import rich.control
import textual.content
from textual.content import Content

from game.text import CONTROL_CODES, escape, shown
from game.units import (  # the one module that writes figures: re-exported for the screens
    adoption_gain,
    busd,
    capability,
    compute,
    count,
    log10_flop,
    margin,
    months,
    mw,
    pct,
    points,
    points_change,
    sci,
    share,
    signed_busd,
    toward,
    track,
)

__all__ = ["adoption_gain", "busd", "capability", "compute", "count", "log10_flop", "margin", "months", "mw", "pct",
           "points", "points_change", "sci", "share", "signed_busd", "toward", "track"]

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
    "applications": "deployment in sectors (defense too): revenue, mindshare, the applications part",
    "intelligence": "a sharper, less noisy estimate of the rival",
}
SPLIT_HELP = {
    "training": "share of compute for the frontier run (capability)",
    "inference": "share of compute serving customers: without it adoption stalls",
    "research": "share of compute for experiments that raise efficiency",
}


def strip_controls_everywhere() -> None:
    """Textual's Content and Rich's Text drop five control codes (BEL, BS, VT, FF, CR) from any text they are given.
    Extend that one table to every character a terminal acts on (ESC and the rest of C0 but tab and newline, DEL,
    C1, the bidi controls), so that text reaching a widget by a path the helpers here miss can never be an escape
    sequence that paints the screen or retitles the window. Both packages are pinned exactly (pyproject.toml);
    tests/tui/test_escapes.py shows the tables still work."""
    dropped = {code: None for code in CONTROL_CODES if chr(code) not in "\t\n"}
    for table in (textual.content._CONTROL_STRIP_TRANSLATE, rich.control._CONTROL_STRIP_TRANSLATE):
        table.update(dropped)


strip_controls_everywhere()  # before any widget is built: the interface imports this module first


def markup(template: str, **values: object) -> Content:
    """Our own markup `template` with each `$name` replaced by a value as plain text: a name, reason, path or error
    from outside is never read as markup (a "[/]" cannot crash a screen, a "[@click=...]" is not a link), and a
    character that does not print is written as an escape."""
    return Content.from_markup(template, **{k: escape(v.plain if isinstance(v, Content) else str(v))
                                            for k, v in values.items()})


def lines(parts: Iterable[Content | str]) -> Content:
    """Lines joined into one Content; a str among them is plain text, never markup, and a character in it that does
    not print is written as an escape."""
    return Content("\n").join(part if isinstance(part, Content) else Content(shown(part)) for part in parts)


def side_tag(side: int) -> str:
    return f"[{SIDE_COLOURS[side]}]{SIDE_MARKS[side]} {SIDE_SHORT[side]}[/]"


# The figures shown for a side (dashboard, watch, forecast): key of the observation, label, formatter.
FIGURES = (
    ("capability", "capability", capability),
    ("model_log10_eff", "effective FLOP", log10_flop),
    ("compute_eflops", "compute", compute),
    ("fleet_chips", "chips installed", count),
    ("power_mw", "power", mw),
    ("efficiency_log10", "efficiency", lambda v: f"×{10 ** v:,.0f}" if v < 6 else f"×1e{v:.1f}"),
    ("fab_wafers_per_q", "wafers/quarter", count),
    ("euv_tools", "EUV tools", lambda v: f"{v:,.0f}"),
    ("packaging_chips_per_q", "packaging/q", count),
    ("revenue_busd", "AI revenue/q", busd),
    ("adoption", "deployment", share),
    ("mindshare", "mindshare", share),
    ("self_sufficiency", "self-sufficiency", share),
    ("treasury_busd", "treasury", busd),
)


def fit_line(text: str, width: int) -> str:
    """`text` on one line of `width` cells: whole parts (split at " · ") while they fit, then whole words of the
    next part and "…"; a figure is shown whole or not at all."""
    if len(text) <= width:
        return text
    out = ""
    for part in text.split(" · "):
        joined = f"{out} · {part}" if out else part
        if len(joined) + 1 <= width:
            out = joined
            continue
        prefix = f"{out} · " if out else ""
        taken: list[str] = []
        for word in part.split(" "):
            if len(prefix + " ".join(taken + [word])) + 1 > width:
                break
            taken.append(word)
        if taken:
            out = prefix + " ".join(taken)
        break
    return out + "…"
