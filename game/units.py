"""How every figure is written, once: dollars, counts, power, compute, shares, points and leads, with their units.

The engine gives the numbers; this module gives the words and units, for every screen (game.tui.fmt re-exports it)
and for the text the advisor writes (game.buys), so one figure is written one way wherever it appears. Interface
free: no Textual here. A figure compared with a bar (a tier, the decisive deployment, the decisive margin) is
rounded toward "not yet" (`toward`); no share shows above 100% and no figure shows as a negative zero.
"""

from __future__ import annotations

import math


def toward(value: float, digits: int = 1, bar: float | None = None, rising: bool = True) -> float:
    """`value` rounded to `digits` decimals toward "not yet", for any figure compared with a bar (a tier, the
    decisive deployment, the decisive margin): one that must rise to its bar is rounded down, one that must fall
    to it (a gap) up, so 97.79 shows as 97.7, never as a reached 97.8. With `bar`, a value short of it is also
    kept a step short of the bar as written at `digits`: what shows at the bar has reached it."""
    step = 10.0 ** digits
    if rising:
        shown = math.floor(value * step + 1e-9) / step
        if bar is not None and value < bar and shown >= round(bar * step) / step:
            shown = round(bar * step) / step - 1.0 / step
    else:
        shown = math.ceil(value * step - 1e-9) / step
        if bar is not None and value > bar and shown <= round(bar * step) / step:
            shown = round(bar * step) / step + 1.0 / step
    return shown + 0.0  # never "-0.0"


def _sign(text: str, value: float) -> str:
    """`text` (a magnitude as written) with a minus when `value` is negative and the written figure is not zero:
    never "-$0.0B"."""
    zero = not any(c in "123456789" for c in text)
    return f"-{text}" if value < 0 and not zero else text


def busd(value: float) -> str:
    """Billions of dollars, with the digits a small sum needs: $4M, $0.35B, $12.0B, $340B, $1.2T, -$5.4B."""
    size = abs(value)
    if size >= 1000:
        text = f"${size / 1000:,.1f}T"
    elif size >= 99.95:
        text = f"${size:,.0f}B"
    elif size >= 0.995:
        text = f"${size:,.1f}B"
    elif size >= 0.00995:
        text = f"${size:.2f}B"
    else:
        text = f"${size * 1000:.0f}M"
    return _sign(text, value)


def signed_busd(value: float) -> str:
    """A change in dollars, always signed: +$0.35B, -$1.2B; a change that writes as zero is "+$0M"."""
    text = busd(value)
    return text if text.startswith("-") else f"+{text}"


def count(value: float) -> str:
    """A count with a k/M/B suffix and no more digits than a row has room for: 850, 1.2k, 12k, 1.2M."""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit * 0.9995:
            v = value / limit
            return _sign(f"{abs(v):.1f}{suffix}" if abs(v) < 9.95 else f"{abs(v):,.0f}{suffix}", v)
    return _sign(f"{abs(value):,.0f}", value)


def sci(value: float) -> str:
    """A large number in short scientific notation: 3.1e26."""
    if value <= 0:
        return "0"
    exp = math.floor(math.log10(value))
    mant = value / 10.0 ** exp
    if mant >= 9.95:
        mant, exp = 1.0, exp + 1
    return f"{mant:.1f}e{exp}"


def mw(value: float) -> str:
    """Power from megawatts, short: 750MW, 1.5GW, 12GW."""
    if abs(value) >= 9950:
        return _sign(f"{abs(value) / 1000:.0f}GW", value)
    if abs(value) >= 999.5:
        return _sign(f"{abs(value) / 1000:.1f}GW", value)
    return _sign(f"{abs(value):.0f}MW", value)


def compute(value: float) -> str:
    """Compute (a rate) from EFLOP/s, in at most 6 cells: 510EF, 4.3ZF, 17ZF, 1.2YF (each per second; the one
    unit every screen writes compute in)."""
    for limit, unit in ((1e6, "YF"), (1e3, "ZF"), (1.0, "EF")):
        if abs(value) >= limit * 0.9995 or unit == "EF":
            v = abs(value) / limit
            text = f"{v:.0f}{unit}" if v >= 9.95 or unit == "EF" else f"{v:.1f}{unit}"
            return _sign(text, value)
    return ""


def pct(value: float, digits: int = 0, bar: float | None = None) -> str:
    """A ratio (0-1, may pass 1: a sum of shares, a funded design) in percent, rounded toward zero (with `bar`,
    kept short of it until reached: a design 99.6% funded is not "100%")."""
    size = toward(abs(100 * value), digits, None if bar is None else 100 * bar)
    return _sign(f"{size:.{digits}f}%", value)


def share(value: float, bar: float | None = None, digits: int = 0) -> str:
    """A share (0-1) in percent rounded down, never above 100% (a share is a part of a whole): with `bar`
    (deployment against the decisive win's) 59.6% shows 59%, never the 60% it has not reached."""
    whole = min(max(value, 0.0), 1.0)
    return f"{toward(100 * whole, digits, None if bar is None else 100 * bar):.{digits}f}%"


def capability(value: float) -> str:
    """The capability index (0-100) to one decimal, rounded down: tiers and sector bars are reached or not."""
    return f"{toward(value):.1f}"


def log10_flop(value: float) -> str:
    """Effective FLOP as a power of ten, rounded down (the tiers are bars in log10)."""
    return f"1e{toward(value):.1f}"


def track(value: float) -> str:
    """A lead-track total (or what is left of it) to one decimal, rounded down: the totals race to a bar, so the
    strip, the report and the panels never show one a tenth past where it is."""
    return f"{toward(value):.1f}"


def points(value: float) -> str:
    """Lead-track points (the only figure written in "pts"), rounded down: the track's totals race to a bar."""
    return f"{track(value)} pts"


def points_change(value: float) -> str:
    """A change in lead-track points, signed, to the nearest tenth (never "-0.0 pts")."""
    shown = round(value, 1) + 0.0
    return f"{shown:+.1f} pts"


def adoption_gain(value: float) -> str:
    """A change in deployment (market-weighted adoption) in percentage points: "+0.12pp" (never "pts", which
    are the lead track's)."""
    shown = round(value, 2) + 0.0
    return f"{shown:+.2f}pp"


def months(value: float) -> str:
    """A lead in months, signed, rounded toward zero (a lead is compared with the decisive margin)."""
    size = toward(abs(value), 1 if abs(value) < 10 else 0)
    sign = "-" if value < 0 and size > 0 else "+"
    return f"{sign}{size:.1f}mo" if abs(value) < 10 else f"{sign}{size:.0f}mo"


def margin(value: float) -> str:
    """Points ahead (+) or behind (-) on the lead track, to the nearest tenth (a margin has no side to round
    toward: a crumb behind is level, "+0.0pt", never "-0.0pt")."""
    shown = round(value, 1) + 0.0
    return f"{shown:+.1f}pt" if abs(value) < 99.95 else f"{value:+.0f}pt"
