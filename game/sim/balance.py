"""The balance suite: every pairing of a fixed set of strategies, both seatings, on paired seeds.

For strategies A and B the games A (US) v B (China) and B (US) v A (China) use the same seeds, so
each seed is played from both chairs (like paired openings in chess engine matches). Every
strategy also plays itself, which measures the seat advantage.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from game.content import Content
from game.sim.runner import LEAD_TURN, run_games
from game.sim.stats import Z95, margin_sd, wilson

STRATEGIES = ("easy", "normal", "hard", "balanced", "all_in_scale", "efficiency_first", "random")
SCRIPTS = ("balanced", "all_in_scale", "efficiency_first")
ELO = 400.0 / math.log(10.0)


def points(records: list[dict[str, Any]], seat: str) -> float:
    """Wins for `seat` ("us" or "cn"), draws counting half."""
    return sum(1.0 if r["winner"] == seat else 0.5 if r["winner"] == "draw" else 0.0 for r in records)


def bradley_terry(names: list[str], wins: np.ndarray, games: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log-strengths (mean zero) and their standard errors from win counts wins[i, j] (i over j).

    Fitted by the minorisation-maximisation iteration (Hunter 2004); errors from the observed
    information matrix with the mean-zero constraint (its pseudo-inverse)."""
    n = len(names)
    wins = wins + 0.5 * (games > 0)  # a half-win prior each way: finite ratings even for sweeps
    games = games + 1.0 * (games > 0)
    p = np.ones(n)
    for _ in range(2000):
        total_wins = wins.sum(axis=1)
        denom = np.array([sum(games[i, j] / (p[i] + p[j]) for j in range(n) if j != i) for i in range(n)])
        new = np.where(denom > 0, total_wins / np.maximum(denom, 1e-300), p)
        new = new / math.exp(np.mean(np.log(np.maximum(new, 1e-300))))
        if np.max(np.abs(np.log(new) - np.log(p))) < 1e-10:
            p = new
            break
        p = new
    theta = np.log(p)
    info = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i == j or games[i, j] <= 0:
                continue
            q = p[i] * p[j] / (p[i] + p[j]) ** 2 * games[i, j]
            info[i, i] += q
            info[i, j] -= q
    cov = np.linalg.pinv(info)
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    return theta, se


def cycles(names: list[str], beats: np.ndarray) -> list[list[str]]:
    """Every three-strategy cycle A beats B beats C beats A (each listed once)."""
    found = []
    for a, b, c in itertools.permutations(range(len(names)), 3):
        if a < b and a < c and beats[a, b] and beats[b, c] and beats[c, a]:
            found.append([names[a], names[b], names[c]])
    return found


def run_balance(content: Content, scenario: str, strategies: tuple[str, ...], games: int, seed: int, jobs: int,
                on_progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    seeds = list(range(seed, seed + games))
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    done = 0
    for us, cn in itertools.product(strategies, strategies):
        def step(k: int, base: int = done) -> None:
            if on_progress:
                on_progress(base + k)
        results[(us, cn)] = run_games(content, scenario, us, cn, seeds, jobs=jobs, on_progress=step)
        done += games
    return summarise_matrix(strategies, results, games)


def summarise_matrix(strategies: tuple[str, ...], results: dict[tuple[str, str], list[dict[str, Any]]],
                     games: int) -> dict[str, Any]:
    names = list(strategies)
    n = len(names)
    pairings = []
    for (us, cn), recs in results.items():
        us_pts = points(recs, "us")
        lo, hi = wilson(us_pts, len(recs))
        pairings.append({"us": us, "cn": cn, "games": len(recs), "us_win_rate": round(us_pts / len(recs), 6),
                         "us_win_ci": [round(lo, 6), round(hi, 6)],
                         "draws": sum(1 for r in recs if r["winner"] == "draw")})
    wins = np.zeros((n, n))
    played = np.zeros((n, n))
    for (us, cn), recs in results.items():
        if us == cn:
            continue
        i, j = names.index(us), names.index(cn)
        wins[i, j] += points(recs, "us")
        wins[j, i] += points(recs, "cn")
        played[i, j] += len(recs)
        played[j, i] += len(recs)
    theta, se = bradley_terry(names, wins, played)
    ratings = [{"strategy": names[i], "elo": round(ELO * theta[i], 1),
                "elo_ci": [round(ELO * (theta[i] - Z95 * se[i]), 1), round(ELO * (theta[i] + Z95 * se[i]), 1)]}
               for i in range(n)]
    ratings.sort(key=lambda r: (-r["elo"], r["strategy"]))
    # A beats B: over both seatings, A's win rate is above one half with 95% confidence.
    beats = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(n):
            if i != j and played[i, j] > 0:
                beats[i, j] = wilson(wins[i, j], int(played[i, j]))[0] > 0.5
    same = [recs for (us, cn), recs in results.items() if us == cn]
    same_pts = sum(points(r, "us") for r in same)
    same_n = sum(len(r) for r in same)
    lo, hi = wilson(same_pts, same_n)
    all_recs = [r for recs in results.values() for r in recs]
    reasons: dict[str, int] = {}
    for r in all_recs:
        reasons[r["reason"]] = reasons.get(r["reason"], 0) + 1
    return {
        "strategies": names, "games_per_pairing": games, "pairings": pairings, "ratings": ratings,
        "seat_advantage": {"us_win_rate": round(same_pts / same_n, 6) if same_n else 0.0,
                           "us_win_ci": [round(lo, 6), round(hi, 6)], "games": same_n,
                           "by_strategy": {us: round(points(recs, "us") / len(recs), 6)
                                           for (us, cn), recs in results.items() if us == cn}},
        "reasons": {k: round(v / len(all_recs), 6) for k, v in sorted(reasons.items())},
        "median_turns": float(np.median([r["turns"] for r in all_recs])),
        "cycles": cycles(names, beats),
        "targets": check_targets(results),
    }


def win_rate(results, us: str, cn: str, seat: str) -> tuple[float, int] | None:
    recs = results.get((us, cn))
    if not recs:
        return None
    return points(recs, seat) / len(recs), len(recs)


def check_targets(results: dict[tuple[str, str], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The design's balance targets, each with its measured figure and whether it holds.
    A target whose strategies were not in the run is left out."""
    out: list[dict[str, Any]] = []

    def add(name: str, figure: str, ok: bool) -> None:
        out.append({"target": name, "figure": figure, "ok": bool(ok)})

    for s in ("normal", "hard"):
        got = win_rate(results, s, s, "us")
        if got:
            add(f"seat balance {s} v {s}: US wins 45-55%", f"{got[0]:.1%} of {got[1]}", 0.45 <= got[0] <= 0.55)
    for strong, weak in (("hard", "normal"), ("normal", "easy")):
        for seat, us, cn in (("us", strong, weak), ("cn", weak, strong)):
            got = win_rate(results, us, cn, seat)
            if got:
                add(f"ladder: {strong} beats {weak} as {seat.upper()} >= 65%", f"{got[0]:.1%} of {got[1]}",
                    got[0] >= 0.65)
    for script in SCRIPTS:
        for seat, us, cn in (("us", script, "normal"), ("cn", "normal", script)):
            got = win_rate(results, us, cn, seat)
            if got:
                add(f"no dominant script: {script} v normal as {seat.upper()} <= 55%", f"{got[0]:.1%} of {got[1]}",
                    got[0] <= 0.55)
    recs = results.get(("normal", "normal"))
    if recs:
        n = len(recs)
        counts: dict[str, int] = {}
        for r in recs:
            counts[r["reason"]] = counts.get(r["reason"], 0) + 1
        top = max(sorted(counts), key=lambda k: counts[k])
        add("variety: no end reason > 70% of normal v normal", f"{top} {counts[top] / n:.1%}",
            counts[top] / n <= 0.70)
        for reason, label in (("decisive_lead", "the decisive lead"), ("track", "the track")):
            add(f"both endings matter: {label} decides >= 20% of normal v normal",
                f"{counts.get(reason, 0) / n:.1%}", counts.get(reason, 0) / n >= 0.20)
        sd = margin_sd(recs)
        add("play moves the result: final track margin sd >= 3 points (normal v normal)", f"{sd:.1f} points",
            sd >= 3.0)
        key = f"leader_turn{LEAD_TURN}"
        led = [r for r in recs if r[key]]
        kept = sum(1 for r in led if r["winner"] == r[key])
        share = kept / len(led) if led else 0.0
        add(f"not decided early: the turn-{LEAD_TURN} leader wins <= 75% (normal v normal)",
            f"{share:.1%} of {len(led)}", bool(led) and share <= 0.75)
    return out


def format_balance(summary: dict[str, Any], title: str = "") -> str:
    names = summary["strategies"]
    rate = {(p["us"], p["cn"]): p for p in summary["pairings"]}
    width = max(len(s) for s in names) + 1
    lines = [title] if title else []
    lines.append(f"US win rate, rows = US strategy, columns = China strategy ({summary['games_per_pairing']} games each)")
    lines.append(" " * width + "".join(f"{s[:7]:>8}" for s in names))
    for us in names:
        lines.append(f"{us:<{width}}" + "".join(f"{rate[(us, cn)]['us_win_rate']:>8.0%}" for cn in names))
    lines.append("")
    lines.append("Rating (Bradley-Terry, Elo scale, 95% CI)")
    for r in summary["ratings"]:
        lo, hi = r["elo_ci"]
        lines.append(f"  {r['strategy']:<{width}} {r['elo']:>7.0f}   ({lo:.0f} to {hi:.0f})")
    seat = summary["seat_advantage"]
    lo, hi = seat["us_win_ci"]
    lines.append(f"Seat advantage: same strategy both sides, US wins {seat['us_win_rate']:.1%} "
                 f"(95% CI {lo:.1%}-{hi:.1%}, {seat['games']} games)")
    lines.append("End reasons: " + ", ".join(f"{k} {v:.0%}" for k, v in summary["reasons"].items()))
    lines.append(f"Median game length: {summary['median_turns']:.0f} turns")
    cyc = summary["cycles"]
    lines.append("Rock-paper-scissors cycles: " + ("; ".join(" > ".join(c + [c[0]]) for c in cyc) if cyc else "none"))
    if summary["targets"]:
        lines.append("")
        lines.append("Balance targets")
        for t in summary["targets"]:
            lines.append(f"  [{'ok' if t['ok'] else 'FAIL'}] {t['target']}: {t['figure']}")
    return "\n".join(lines)
