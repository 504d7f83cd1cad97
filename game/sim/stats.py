"""Statistics for simulated games: Wilson intervals, percentiles, summaries, SPRT, a text table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

Z95 = 1.959963984540054


def wilson(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion (draws may count as half a success)."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(max(p * (1 - p) / n + z * z / (4 * n * n), 0.0)) / denom
    # At 0 or n successes the bound is exactly 0 or 1; rounding must not nudge it past the rate.
    lo = 0.0 if successes <= 0 else max(0.0, min(centre - half, p))
    hi = 1.0 if successes >= n else min(1.0, max(centre + half, p))
    return lo, hi


def percentile(values: Sequence[float] | np.ndarray, q: float) -> float:
    arr = np.asarray(values, dtype=float)
    return float(np.percentile(arr, q)) if arr.size else 0.0


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(records)
    wins_us = sum(1 for r in records if r["winner"] == "us")
    wins_cn = sum(1 for r in records if r["winner"] == "cn")
    draws = n - wins_us - wins_cn
    points = wins_us + 0.5 * draws
    lo, hi = wilson(points, n)
    reasons: dict[str, int] = {}
    for r in records:
        reasons[r["reason"]] = reasons.get(r["reason"], 0) + 1
    turns = [r["turns"] for r in records]

    def r6(x: float) -> float:
        return round(float(x), 6)

    return {
        "games": n, "wins_us": wins_us, "wins_cn": wins_cn, "draws": draws,
        "us_win_rate": r6(points / n if n else 0.0), "us_win_ci": [r6(lo), r6(hi)],
        "reasons": {k: reasons[k] for k in sorted(reasons)},
        "turns_mean": r6(np.mean(turns) if turns else 0.0),
        "turns_p10": r6(percentile(turns, 10)), "turns_p50": r6(percentile(turns, 50)),
        "turns_p90": r6(percentile(turns, 90)),
        "track_us_mean": r6(np.mean([r["track_us"] for r in records]) if n else 0.0),
        "track_cn_mean": r6(np.mean([r["track_cn"] for r in records]) if n else 0.0),
        "margin_sd": r6(margin_sd(records)),
    }


def margin_sd(records: list[dict[str, Any]]) -> float:
    """Standard deviation of the final track margin (US minus China, points) over the games the track decided:
    how far play moves the result of a game that runs to the end (DESIGN.md "Winning")."""
    margins = [r["track_us"] - r["track_cn"] for r in records if r["reason"] == "track"]
    return float(np.std(margins)) if len(margins) > 1 else 0.0


def format_table(summary: dict[str, Any], title: str = "") -> str:
    n = summary["games"]
    lo, hi = summary["us_win_ci"]
    lines = [title] if title else []
    lines += [
        f"games          {n:,}",
        f"US wins        {summary['wins_us']:,}    China wins  {summary['wins_cn']:,}    draws  {summary['draws']:,}",
        f"US win rate    {summary['us_win_rate']:.1%}  (95% CI {lo:.1%}–{hi:.1%})",
        "end reasons    " + ", ".join(f"{k} {v:,} ({v / n:.0%})" for k, v in summary["reasons"].items()),
        f"game length    mean {summary['turns_mean']:.1f} turns; p10 {summary['turns_p10']:.0f}, "
        f"p50 {summary['turns_p50']:.0f}, p90 {summary['turns_p90']:.0f}",
        f"lead track     US {summary['track_us_mean']:.1f}, China {summary['track_cn_mean']:.1f} (mean); "
        f"final margin σ {summary['margin_sd']:.1f} points",
    ]
    return "\n".join(line[:80] for line in lines)


def sprt(wins: float, losses: float, p0: float, p1: float, alpha: float = 0.05, beta: float = 0.05) -> str:
    """Wald's sequential test between win rates p0 and p1: 'H0', 'H1' or 'continue'."""
    if not 0 < p0 < p1 < 1:
        raise ValueError(f"expected 0 < p0 < p1 < 1, found p0={p0}, p1={p1}")
    llr = wins * math.log(p1 / p0) + losses * math.log((1 - p1) / (1 - p0))
    if llr <= math.log(beta / (1 - alpha)):
        return "H0"
    if llr >= math.log((1 - beta) / alpha):
        return "H1"
    return "continue"
