"""Why games were won: each side's most frequent reasons and the end reasons, split by who won (sim --explain)."""

from __future__ import annotations

from typing import Any

import numpy as np

SIDES = (("us", "US"), ("cn", "China"))
TOP = 8  # reasons shown a side
# Roads to a win (DESIGN "Rules 3", item 8): the decisive lead, the rival's bankruptcy, or for a track win the
# verdict part whose points over the game favour the winner most. Every end reason but "track" is a road itself.
TRACK = "track"
ROADS_MIN = 3            # several roads: each side wins by at least this many ...
ROAD_SHARE_MIN = 0.10    # ... each at least this share of that side's wins


def roads_of(winner: np.ndarray, reason: np.ndarray, track_parts: np.ndarray) -> list[str]:
    """Each game's road to its win: the end reason (engine.state.REASONS), or for a track win the part of
    `track_parts` (batch, side, part; points by engine VERDICT_PARTS) with the largest margin for the winner
    (the first such part on a tie); "" for a draw or a game not over."""
    from game.engine.state import REASONS, WINNERS
    from game.schema import VERDICT_PARTS

    margin = track_parts[:, 0, :] - track_parts[:, 1, :]
    for_winner = np.where((winner == WINNERS.index("cn"))[:, None], -margin, margin)
    part = np.argmax(for_winner, axis=1)
    won = winner != WINNERS.index("draw")
    return [("" if not won[i] or not reason[i] else VERDICT_PARTS[part[i]] if REASONS[reason[i]] == TRACK
             else REASONS[reason[i]]) for i in range(len(winner))]


def road_table(records: list[dict[str, Any]], side: str) -> list[dict[str, Any]]:
    """`side`'s roads to its wins: each road with its wins and share of the side's wins, most wins first (a record
    from before roads were kept counts under "")."""
    counts: dict[str, int] = {}
    for r in records:
        if r["winner"] == side:
            road = r.get("road", "")
            counts[road] = counts.get(road, 0) + 1
    won = sum(counts.values())
    return [{"road": k, "wins": counts[k], "share": round(counts[k] / won, 6)}
            for k in sorted(counts, key=lambda k: (-counts[k], k))]


def roads_by_side(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {side: road_table(records, side) for side, _ in SIDES}


def road_label(road: str) -> str:
    """A road as a report says it."""
    return {"decisive_lead": "decisive lead", "bankruptcy": "bankruptcy (the rival's)",
            "": "(unknown)"}.get(road, f"track: {road}")


def format_roads(roads: dict[str, list[dict[str, Any]]], names: dict[str, str]) -> list[str]:
    """Each side's roads as a table: road, wins, share of that side's wins. `names` maps "us"/"cn" to labels."""
    from game.text import cut, escape

    lines = []
    for side, seat in SIDES:
        table = roads[side]
        lines.append(f"{seat} ({escape(cut(names[side]))}): roads to its {sum(r['wins'] for r in table):,} wins")
        lines.append(f"  {'road':<28}{'wins':>7}{'share':>8}")
        for r in table:
            lines.append(f"  {escape(cut(road_label(r['road']), 28)):<28}{r['wins']:>7,}{r['share']:>8.0%}")
        if not table:
            lines.append("  (no wins)")
    return lines


def roads_targets(records: list[dict[str, Any]], pairing: str) -> list[dict[str, Any]]:
    """The several-roads target for one pairing, a target per side: at least ROADS_MIN roads each at least
    ROAD_SHARE_MIN of that side's wins (the decisive lead one road, each deciding part one, and the rival's
    bankruptcy one too). Each with its figure, `value` (roads that count) and `band` as balance targets have."""
    out = []
    for side, seat in SIDES:
        table = road_table(records, side)
        counted = sum(1 for r in table if r["share"] >= ROAD_SHARE_MIN)
        figure = ", ".join(f"{road_label(r['road'])} {r['share']:.0%}" for r in table) or "no wins"
        out.append({"target": f"several roads: {pairing}, {seat} wins by >= {ROADS_MIN} roads each >= "
                              f"{ROAD_SHARE_MIN:.0%} of its wins (the rival's bankruptcy is a road too)",
                    "figure": f"{counted} road{'' if counted == 1 else 's'} count: {figure}",
                    "ok": counted >= ROADS_MIN, "value": float(counted),
                    "band": [float(ROADS_MIN), None]})
    return out


def summarise_explain(records: list[dict[str, Any]], top: int = TOP) -> dict[str, Any]:
    """From records played with explain: end reasons by winner, each side's roads to its wins, and per side its
    `top` most frequent reasons, each as the share of the quarters it played in the games it won and in the games
    it did not win."""
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
            "sides": sides, "roads": roads_by_side(records)}


def format_explain(summary: dict[str, Any], names: dict[str, str]) -> str:
    """The summary as text: `names` maps "us"/"cn" to the strategies' names."""
    from game.text import cut, escape

    lines = ["End reasons by winner"]
    reasons = sorted({k for row in summary["end_reasons_by_winner"].values() for k in row})
    lines.append(f"  {'winner':<8}" + "".join(f"{k:>15}" for k in reasons))
    label = {"us": "US", "cn": "China", "draw": "draw"}
    for w, row in summary["end_reasons_by_winner"].items():
        lines.append(f"  {label.get(w, w):<8}" + "".join(f"{row.get(k, 0):>15,}" for k in reasons))
    lines.append("")
    lines.append("Roads to a win: the decisive lead, the rival's bankruptcy, or for a track win the part whose points "
                 "favour the winner most")
    lines += format_roads(summary["roads"], names)
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
