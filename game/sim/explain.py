"""Why games were won: each side's most frequent reasons and the end reasons, split by who won (sim --explain)."""

from __future__ import annotations

from typing import Any

SIDES = (("us", "US"), ("cn", "China"))
TOP = 8  # reasons shown a side


def summarise_explain(records: list[dict[str, Any]], top: int = TOP) -> dict[str, Any]:
    """From records played with explain: end reasons by winner, and per side its `top` most frequent reasons,
    each as the share of the quarters it played in the games it won and in the games it did not win."""
    by_winner: dict[str, dict[str, int]] = {}
    for r in records:
        row = by_winner.setdefault(r["winner"], {})
        row[r["reason"]] = row.get(r["reason"], 0) + 1
    sides: dict[str, Any] = {}
    for side, _ in SIDES:
        quarters = {"won": 0, "not_won": 0}
        counts: dict[str, dict[str, int]] = {}
        for r in records:
            group = "won" if r["winner"] == side else "not_won"
            quarters[group] += r["turns"]
            for clause, n in r.get("reason_counts", {}).get(side, {}).items():
                c = counts.setdefault(clause, {"won": 0, "not_won": 0})
                c[group] += n
        ranked = sorted(counts, key=lambda k: (-(counts[k]["won"] + counts[k]["not_won"]), k))[:top]
        sides[side] = {
            "games_won": sum(1 for r in records if r["winner"] == side),
            "quarters": quarters,
            "reasons": [{"reason": k, "won": round(counts[k]["won"] / max(quarters["won"], 1), 6),
                         "not_won": round(counts[k]["not_won"] / max(quarters["not_won"], 1), 6)}
                        for k in ranked],
        }
    return {"end_reasons_by_winner": {w: dict(sorted(v.items())) for w, v in sorted(by_winner.items())},
            "sides": sides}


def format_explain(summary: dict[str, Any], names: dict[str, str]) -> str:
    """The summary as text: `names` maps "us"/"cn" to the strategies' names."""
    from game.text import cut, escape

    lines = ["End reasons by winner"]
    reasons = sorted({k for row in summary["end_reasons_by_winner"].values() for k in row})
    lines.append(f"  {'winner':<8}" + "".join(f"{k:>15}" for k in reasons))
    label = {"us": "US", "cn": "China", "draw": "draw"}
    for w, row in summary["end_reasons_by_winner"].items():
        lines.append(f"  {label.get(w, w):<8}" + "".join(f"{row.get(k, 0):>15,}" for k in reasons))
    for side, seat in SIDES:
        s = summary["sides"][side]
        lines.append("")
        lines.append(f"{seat} ({escape(cut(names[side]))}): most frequent reasons, share of quarters played "
                     f"(won {s['games_won']:,} games)")
        lines.append(f"  {'when won':>9} {'otherwise':>9}  reason")
        for r in s["reasons"]:
            lines.append(f"  {r['won']:>9.0%} {r['not_won']:>9.0%}  {escape(cut(r['reason'], 90))}")
        if not s["reasons"]:
            lines.append("  (no reasons given)")
    return "\n".join(lines)
