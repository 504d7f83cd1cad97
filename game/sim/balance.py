"""The balance suite: every pairing of a fixed set of strategies, both seatings, on paired seeds.

For strategies A and B the games A (US) v B (China) and B (US) v A (China) use the same seeds, so
each seed is played from both chairs (like paired openings in chess engine matches). Every
strategy also plays itself, which measures the seat advantage.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import numpy as np

from game.content import Content
from game.sim.cluster import Pool
from game.sim.explain import format_roads, roads_by_side, roads_targets
from game.sim.runner import LEAD_TURN, Pairing, run_pairings
from game.sim.stats import Z95, margin_sd, wilson

STRATEGIES = ("easy", "normal", "hard", "balanced", "all_in_scale", "efficiency_first", "random")
SCRIPTS = ("balanced", "all_in_scale", "efficiency_first")
NOT_SCRIPTS = ("easy", "normal", "hard", "random")  # every other strategy in a run is a script (TOML)
POLICY_WORTH_MAX = 0.20  # no policy worth more than this much win rate to its side (issue 15)
POLICY_WORTH_MIN = 0.02  # every policy worth at least this much in some seat
# DESIGN "Rules 3": the 2022 scenario holds history's decisive act (the export controls of October 2022), which may
# be worth up to this much there.
POLICY_WORTH_MAX_BY_SCENARIO = {"2022": 0.35}
ROW_WORTH_MIN = 0.05     # every budget row a seat funds worth at least this much win rate to it (DESIGN "Rules 3")
ROW_WORTH_MAX = 0.45     # and none more
ROW_FUNDED_MIN = 0.01    # a seat that spends less than this share of its budget on a row in normal does not fund it
ROWS_UNTARGETED = ("intelligence",)  # reported, no target: it buys sight of the rival, not a layer of the stack
ROADS_PAIRINGS = ("normal", "hard")  # the same-strategy pairings held to the several-roads target
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
                on_progress: Callable[[int], None] | None = None, pool: Pool | None = None) -> dict[str, Any]:
    """Every pairing on the same seeds, played on `pool` (default: a local one of `jobs` processes)."""
    pairs = list(itertools.product(strategies, strategies))
    with Pool(jobs) if pool is None else nullcontext(pool) as runner:
        played = run_pairings(content, scenario, [Pairing(us, cn) for us, cn in pairs], list(range(seed, seed + games)),
                              runner, on_progress)
    return summarise_matrix(strategies, dict(zip(pairs, played)), games, labels(content, strategies))


def labels(content: Content, strategies: tuple[str, ...]) -> dict[str, str]:
    """What a report calls each strategy: a built-in by its id, a file by the `id` inside it (a second
    strategy of the same id keeps its path)."""
    from game.ai import load_strategy

    out: dict[str, str] = {}
    for spec in strategies:
        label = spec if spec in STRATEGIES else load_strategy(spec, content.root).id
        out[spec] = label if label not in out.values() else spec
    return out


def seat_ratings(names: list[str], results: dict[tuple[str, str], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Bradley-Terry ratings of each strategy as the US and as China, on one scale (every game, mirror games
    included, is a US seat playing a China seat)."""
    n = len(names)
    wins = np.zeros((2 * n, 2 * n))
    played = np.zeros((2 * n, 2 * n))
    for (us, cn), recs in results.items():
        i, j = names.index(us), n + names.index(cn)
        wins[i, j] += points(recs, "us")
        wins[j, i] += points(recs, "cn")
        played[i, j] += len(recs)
        played[j, i] += len(recs)
    theta, se = bradley_terry([f"{s}/us" for s in names] + [f"{s}/cn" for s in names], wins, played)
    out = []
    for k, s in enumerate(names):
        row: dict[str, Any] = {"strategy": s}
        for seat, m in (("us", k), ("cn", n + k)):
            row[seat] = round(ELO * theta[m], 1)
            row[f"{seat}_ci"] = [round(ELO * (theta[m] - Z95 * se[m]), 1), round(ELO * (theta[m] + Z95 * se[m]), 1)]
        out.append(row)
    return out


def margins(recs: list[dict[str, Any]]) -> dict[str, Any]:
    """Final track margins, US minus China, in points: over all games, and the winner's over the games the
    track decided."""
    all_m = [r["track_us"] - r["track_cn"] for r in recs]
    won = [abs(r["track_us"] - r["track_cn"]) for r in recs if r["reason"] == "track"]
    return {"us_minus_cn_mean": round(float(np.mean(all_m)), 3) if all_m else 0.0,
            "track_games": len(won),
            "winner_by_p10_p50_p90": [round(float(np.percentile(won, q)), 3) for q in (10, 50, 90)] if won else []}


def reasons_by_winner(recs: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for r in recs:
        row = out.setdefault(r["winner"], {})
        row[r["reason"]] = row.get(r["reason"], 0) + 1
    return {w: dict(sorted(v.items())) for w, v in sorted(out.items())}


def summarise_matrix(strategies: tuple[str, ...], results: dict[tuple[str, str], list[dict[str, Any]]],
                     games: int, label: dict[str, str] | None = None) -> dict[str, Any]:
    names = list(strategies)
    n = len(names)
    pairings = []
    for (us, cn), recs in results.items():
        us_pts = points(recs, "us")
        lo, hi = wilson(us_pts, len(recs))
        pairings.append({"us": us, "cn": cn, "games": len(recs), "us_win_rate": round(us_pts / len(recs), 6),
                         "us_win_ci": [round(lo, 6), round(hi, 6)],
                         "draws": sum(1 for r in recs if r["winner"] == "draw"),
                         "reasons_by_winner": reasons_by_winner(recs), "margins": margins(recs)})
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
    scripts = tuple(s for s in names if s not in NOT_SCRIPTS)
    return {
        "strategies": names, "labels": label or {s: s for s in names}, "games_per_pairing": games,
        "pairings": pairings, "ratings": ratings, "seat_ratings": seat_ratings(names, results),
        # Pooled over every mirror pairing (kept for old readers); by_strategy_ci is the figure to read.
        "seat_advantage": {"us_win_rate": round(same_pts / same_n, 6) if same_n else 0.0,
                           "us_win_ci": [round(lo, 6), round(hi, 6)], "games": same_n,
                           "by_strategy": {us: round(points(recs, "us") / len(recs), 6)
                                           for (us, cn), recs in results.items() if us == cn},
                           "by_strategy_ci": {us: [round(x, 6) for x in wilson(points(recs, "us"), len(recs))]
                                              for (us, cn), recs in results.items() if us == cn}},
        "reasons": {k: round(v / len(all_recs), 6) for k, v in sorted(reasons.items())},
        "reasons_by_winner": reasons_by_winner(all_recs),
        "margins": margins(all_recs),
        "median_turns": float(np.median([r["turns"] for r in all_recs])),
        "cycles": cycles(names, beats),
        # Each side's roads to its wins in every same-strategy pairing (the several-roads target reads two).
        "roads": {us: roads_by_side(recs) for (us, cn), recs in results.items() if us == cn},
        "targets": check_targets(results, scripts, label),
    }


def win_rate(results, us: str, cn: str, seat: str) -> tuple[float, int] | None:
    recs = results.get((us, cn))
    if not recs:
        return None
    return points(recs, seat) / len(recs), len(recs)


def check_targets(results: dict[tuple[str, str], list[dict[str, Any]]], scripts: tuple[str, ...] = SCRIPTS,
                  shown: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The design's balance targets, each with its measured figure, whether it holds, and the figure as a
    number (`value`) with the band it must lie in (`band`: [low, high], None for an open side; `tune` scores
    how far outside it is). `scripts`: the strategies held to the no-dominant-script target (every TOML
    strategy of the run, a user's too). A target whose strategies were not in the run is left out."""
    out: list[dict[str, Any]] = []

    def add(name: str, figure: str, ok: bool, value: float, low: float | None, high: float | None) -> None:
        out.append({"target": name, "figure": figure, "ok": bool(ok), "value": float(value), "band": [low, high]})

    for s in ("normal", "hard"):
        got = win_rate(results, s, s, "us")
        if got:
            add(f"seat balance {s} v {s}: US wins 45-55%", f"{got[0]:.1%} of {got[1]}", 0.45 <= got[0] <= 0.55,
                got[0], 0.45, 0.55)
    for strong, weak in (("hard", "normal"), ("normal", "easy")):
        for seat, us, cn in (("us", strong, weak), ("cn", weak, strong)):
            got = win_rate(results, us, cn, seat)
            if got:
                add(f"ladder: {strong} beats {weak} as {seat.upper()} >= 65%", f"{got[0]:.1%} of {got[1]}",
                    got[0] >= 0.65, got[0], 0.65, None)
    for script in scripts:
        for seat, us, cn in (("us", script, "normal"), ("cn", "normal", script)):
            got = win_rate(results, us, cn, seat)
            if got:
                lo, hi = wilson(got[0] * got[1], got[1])
                add(f"no dominant script: {(shown or {}).get(script, script)} v normal as {seat.upper()} <= 55%",
                    f"{got[0]:.1%} of {got[1]} (95% CI {lo:.1%}-{hi:.1%})", got[0] <= 0.55, got[0], None, 0.55)
    recs = results.get(("normal", "normal"))
    if recs:
        n = len(recs)
        counts: dict[str, int] = {}
        for r in recs:
            counts[r["reason"]] = counts.get(r["reason"], 0) + 1
        top = max(sorted(counts), key=lambda k: counts[k])
        add("variety: no end reason > 70% of normal v normal", f"{top} {counts[top] / n:.1%}",
            counts[top] / n <= 0.70, counts[top] / n, None, 0.70)
        for reason, label in (("decisive_lead", "the decisive lead"), ("track", "the track")):
            add(f"both endings matter: {label} decides >= 20% of normal v normal",
                f"{counts.get(reason, 0) / n:.1%}", counts.get(reason, 0) / n >= 0.20, counts.get(reason, 0) / n, 0.20,
                None)
        sd = margin_sd(recs)
        add("play moves the result: final track margin sd >= 3 points (normal v normal)", f"{sd:.1f} points",
            sd >= 3.0, sd, 3.0, None)
        key = f"leader_turn{LEAD_TURN}"
        led = [r for r in recs if r[key]]
        kept = sum(1 for r in led if r["winner"] == r[key])
        share = kept / len(led) if led else 0.0
        add(f"not decided early: the turn-{LEAD_TURN} leader wins <= 75% (normal v normal)",
            f"{share:.1%} of {len(led)}", bool(led) and share <= 0.75, share, None, 0.75)
    for s in ROADS_PAIRINGS:
        if recs := results.get((s, s)):
            out += roads_targets(recs, f"{s} v {s}")
    return out


def format_balance(summary: dict[str, Any], title: str = "") -> str:
    from game.text import cut, escape

    names = summary["strategies"]
    shown = {s: escape(cut(summary.get("labels", {}).get(s, s), 24)) for s in names}
    rate = {(p["us"], p["cn"]): p for p in summary["pairings"]}
    width = max(len(shown[s]) for s in names) + 1
    col = {s: max(8, len(shown[s]) + 1) for s in names}
    lines = [title] if title else []
    lines.append(f"US win rate, rows = US strategy, columns = China strategy ({summary['games_per_pairing']} games each)")
    lines.append(" " * width + "".join(f"{shown[s]:>{col[s]}}" for s in names))
    for us in names:
        lines.append(f"{shown[us]:<{width}}" + "".join(f"{rate[(us, cn)]['us_win_rate']:>{col[cn]}.0%}" for cn in names))
    lines.append("")
    lines.append("Final track margin, US minus China, mean points (same rows and columns)")
    for us in names:
        lines.append(f"{shown[us]:<{width}}" + "".join(
            f"{rate[(us, cn)]['margins']['us_minus_cn_mean']:>{col[cn]}.1f}" for cn in names))
    lines.append("")
    lines.append("Rating (Bradley-Terry, Elo scale, 95% CI)")
    for r in summary["ratings"]:
        lo, hi = r["elo_ci"]
        lines.append(f"  {shown[r['strategy']]:<{width}} {r['elo']:>7.0f}   ({lo:.0f} to {hi:.0f})")
    lines.append("Rating by seat (one scale: a US seat against a China seat; 95% CI)")
    for r in summary["seat_ratings"]:
        us_ci = f"({r['us_ci'][0]:.0f} to {r['us_ci'][1]:.0f})"
        lines.append(f"  {shown[r['strategy']]:<{width}} as US {r['us']:>6.0f} {us_ci:<16} as China {r['cn']:>6.0f} "
                     f"({r['cn_ci'][0]:.0f} to {r['cn_ci'][1]:.0f})")
    seat = summary["seat_advantage"]
    if seat["by_strategy"]:
        lines.append("Seat advantage: the same strategy on both sides, US wins (95% CI)")
        for s, r in seat["by_strategy"].items():
            lo, hi = seat["by_strategy_ci"][s]
            lines.append(f"  {shown[s]:<{width}} {r:>6.1%}   ({lo:.1%}-{hi:.1%})")
    lines.append("End reasons: " + ", ".join(f"{k} {v:.0%}" for k, v in summary["reasons"].items()))
    who = {"us": "US wins", "cn": "China wins", "draw": "draws"}
    lines.append("End reasons by winner: " + "; ".join(
        f"{who.get(w, w)}: " + ", ".join(f"{k} {v:,}" for k, v in row.items())
        for w, row in summary["reasons_by_winner"].items()))
    m = summary["margins"]
    if m["track_games"]:
        p10, p50, p90 = m["winner_by_p10_p50_p90"]
        lines.append(f"Score margins: in the {m['track_games']:,} games the track decided, the winner led by "
                     f"{p50:.1f} points (median; p10 {p10:.1f}, p90 {p90:.1f})")
    lines.append(f"Median game length: {summary['median_turns']:.0f} turns")
    for s, roads in summary.get("roads", {}).items():
        if s not in ROADS_PAIRINGS:  # the --json summary has every same-strategy pairing's; the text, the targets'
            continue
        lines.append(f"Roads to a win, {shown[s]} v {shown[s]} (the decisive lead, the rival's bankruptcy, or the "
                     "part that favours a track winner most)")
        label = summary.get("labels", {}).get(s, s)  # format_roads escapes it
        lines += ["  " + line for line in format_roads(roads, {"us": label, "cn": label})]
    cyc = summary["cycles"]
    lines.append("Rock-paper-scissors cycles: " + ("; ".join(" > ".join(c + [c[0]]) for c in cyc) if cyc else "none"))
    if summary["targets"]:
        lines.append("")
        lines.append("Balance targets")
        for t in summary["targets"]:
            lines.append(f"  [{'ok' if t['ok'] else 'FAIL'}] {t['target']}: {t['figure']}")
    return "\n".join(lines)


def paired_worth(base: list[dict[str, Any]], without: list[dict[str, Any]], seat: str) -> tuple[float, float, float]:
    """The drop in `seat`'s points from `base` to `without` over the same seeds, with its 95% interval (normal
    approximation to the mean of the per-seed differences: each seed is played both ways)."""
    d = np.array([points([a], seat) - points([b], seat) for a, b in zip(base, without, strict=True)])
    mean = float(d.mean()) if d.size else 0.0
    half = Z95 * float(d.std(ddof=1)) / math.sqrt(d.size) if d.size > 1 else 1.0
    return mean, mean - half, mean + half


def run_variants(content: Content, scenario: str, base: Pairing, variants: list[tuple[str, str]], games: int,
                 seed: int, jobs: int, on_progress: Callable[[int], None] | None = None,
                 pool: Pool | None = None) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    """normal v normal (`base`, which says what its records keep), then each variant (seat, strategy spec) in that
    seat against normal, all on the same seeds: the base records and each variant's, in order."""
    runs = [base] + [Pairing(spec, "normal") if seat == "us" else Pairing("normal", spec) for seat, spec in variants]
    with Pool(jobs) if pool is None else nullcontext(pool) as runner:
        base_recs, *played = run_pairings(content, scenario, runs, list(range(seed, seed + games)), runner, on_progress)
    return base_recs, played


def worth_entry(base: list[dict[str, Any]], recs: list[dict[str, Any]], seat: str, rate_key: str) -> dict[str, Any]:
    """What a variant costs `seat`: its worth (win rate lost, draws half) with the 95% interval, and the seat's win
    rate in the variant (under `rate_key`)."""
    mean, lo, hi = paired_worth(base, recs, seat)
    return {"worth": round(mean, 6), "ci": [round(lo, 6), round(hi, 6)],
            rate_key: round(points(recs, seat) / len(recs), 6)}


def target_lines(targets: list[dict[str, Any]], heading: str) -> list[str]:
    return ["", heading] + [f"  [{'ok' if t['ok'] else 'FAIL'}] {t['target']}: {t['figure']}" for t in targets]


def base_win_rate(base: list[dict[str, Any]]) -> dict[str, float]:
    return {seat: round(points(base, seat) / len(base), 6) for seat in ("us", "cn")}


def run_policy_worth(content: Content, scenario: str, games: int, seed: int, jobs: int,
                     on_progress: Callable[[int], None] | None = None, pool: Pool | None = None) -> dict[str, Any]:
    """What each policy is worth to `normal`: normal v normal, then, for every policy and every seat that may
    take it, the same seeds with that seat's normal never taking it (`normal-without:ID`). Worth is the seat's
    win rate lost (draws half), with its interval; how often the unmodified seat took the policy says
    whether a worth of zero means "useless" or "never chosen"."""
    from game.ai.registry import WITHOUT

    variants = [(seat, f"normal{WITHOUT}{pol.id}") for pol in content.policies
                for seat in (("us", "cn") if pol.side == "both" else (pol.side,))]
    # The base keeps the reasons: how often each policy is taken.
    base, played = run_variants(content, scenario, Pairing("normal", "normal", explain=True), variants, games, seed,
                                jobs, on_progress, pool)
    taken: dict[str, dict[str, int]] = {"us": {}, "cn": {}}
    quarters = sum(r["turns"] for r in base)
    for r in base:
        for seat in ("us", "cn"):
            for clause, n in r["reason_counts"][seat].items():
                taken[seat][clause] = taken[seat].get(clause, 0) + n
    rows = []
    without = iter(played)
    for pol in content.policies:
        seats = ("us", "cn") if pol.side == "both" else (pol.side,)
        row: dict[str, Any] = {"policy": pol.id, "name": pol.name, "side": pol.side}
        for seat in seats:
            row[seat] = {**worth_entry(base, next(without), seat, "win_rate_without"),
                         "taken_share": round(taken[seat].get(f"takes {pol.name}", 0) / max(quarters, 1), 6)}
        rows.append(row)
    return {"scenario": scenario, "games": games, "seed": seed, "base_win_rate": base_win_rate(base),
            "policies": rows, "targets": policy_targets(rows, policy_ceiling(content, scenario))}


def policy_ceiling(content: Content, scenario: str) -> float:
    """The most a policy may be worth to a seat in `scenario` (a scenario given by path: by the id inside it)."""
    from game.content import find_scenario

    return POLICY_WORTH_MAX_BY_SCENARIO.get(find_scenario(content, scenario).id, POLICY_WORTH_MAX)


def policy_targets(rows: list[dict[str, Any]], ceiling: float = POLICY_WORTH_MAX) -> list[dict[str, Any]]:
    """Every policy worth at most `ceiling` to each seat that can take it, and at least POLICY_WORTH_MIN in some
    seat."""
    out = []
    for row in rows:
        worths = {seat: row[seat]["worth"] for seat in ("us", "cn") if seat in row}
        top = max(worths.values())
        figure = ", ".join(f"{seat.upper()} {w:+.1%}" for seat, w in worths.items())
        out.append({"target": f"{row['policy']} worth <= {ceiling:.0%} to each seat that can take it",
                    "figure": figure, "ok": top <= ceiling})
        out.append({"target": f"{row['policy']} worth >= {POLICY_WORTH_MIN:.0%} in some seat (this scenario)", "figure": figure,
                    "ok": top >= POLICY_WORTH_MIN})
    return out


def format_policy_worth(result: dict[str, Any], title: str = "") -> str:
    base = result["base_win_rate"]
    lines = [title] if title else []
    lines.append(f"Policy worth: normal v normal ({result['games']} games, US wins {base['us']:.1%}), then each "
                 "policy left out of one seat's normal")
    lines.append("worth = win rate the seat loses without it (95% CI); taken = share of quarters normal takes it")
    lines.append(f"  {'policy':<26}{'seat':<7}{'worth':>8}  {'95% CI':<17}{'taken':>7}")
    for row in result["policies"]:
        for seat in ("us", "cn"):
            if seat not in row:
                continue
            r = row[seat]
            ci = f"{r['ci'][0]:+.1%} to {r['ci'][1]:+.1%}"
            lines.append(f"  {row['policy']:<26}{seat.upper():<7}{r['worth']:>+8.1%}  {ci:<17}{r['taken_share']:>7.0%}")
    lines += target_lines(result["targets"], "Policy targets")
    return "\n".join(lines)


def run_row_worth(content: Content, scenario: str, games: int, seed: int, jobs: int,
                  on_progress: Callable[[int], None] | None = None, pool: Pool | None = None) -> dict[str, Any]:
    """What each budget row is worth to `normal`: normal v normal, then for every row and both seats the same seeds
    with that seat's normal spending half its share on the row (`normal-half:ROW`, the freed share spread over its
    other rows). Worth is the seat's win rate lost (draws half), with its interval; the share of its budget the
    unmodified seat spent on the row says whether it funds the row at all."""
    from game.ai.halved import HALF
    from game.engine.tables import CATEGORIES

    variants = [(seat, f"normal{HALF}{row}") for row in CATEGORIES for seat in ("us", "cn")]
    # The base keeps the final detail: the money each seat spent by row.
    base, played = run_variants(content, scenario, Pairing("normal", "normal", detail=True), variants, games, seed,
                                jobs, on_progress, pool)
    spent = {seat: {row: sum(r[seat]["spent_busd"][row] for r in base) for row in CATEGORIES} for seat in ("us", "cn")}
    rows = []
    halved = iter(played)
    for row in CATEGORIES:
        entry: dict[str, Any] = {"row": row}
        for seat in ("us", "cn"):
            share = spent[seat][row] / max(sum(spent[seat].values()), 1e-12)
            entry[seat] = {**worth_entry(base, next(halved), seat, "win_rate_halved"), "budget_share": round(share, 6),
                           "funded": share >= ROW_FUNDED_MIN}
        rows.append(entry)
    return {"scenario": scenario, "games": games, "seed": seed, "base_win_rate": base_win_rate(base), "rows": rows,
            "targets": row_targets(rows)}


def row_targets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every row worth ROW_WORTH_MIN-ROW_WORTH_MAX to each seat that funds it (intelligence reported, not held)."""
    out = []
    for entry in rows:
        if entry["row"] in ROWS_UNTARGETED:
            continue
        for seat in ("us", "cn"):
            r = entry[seat]
            if not r["funded"]:
                continue
            out.append({"target": f"{entry['row']} worth {ROW_WORTH_MIN:.0%}-{ROW_WORTH_MAX:.0%} to {seat.upper()}",
                        "figure": f"{r['worth']:+.1%} (95% CI {r['ci'][0]:+.1%} to {r['ci'][1]:+.1%})",
                        "ok": ROW_WORTH_MIN <= r["worth"] <= ROW_WORTH_MAX, "value": r["worth"],
                        "band": [ROW_WORTH_MIN, ROW_WORTH_MAX]})
    return out


def format_row_worth(result: dict[str, Any], title: str = "") -> str:
    base = result["base_win_rate"]
    lines = [title] if title else []
    lines.append(f"Row worth: normal v normal ({result['games']} games, US wins {base['us']:.1%}), then each budget "
                 "row's share halved in one seat's normal (the freed share spread over its other rows)")
    lines.append("worth = win rate the seat loses with the row halved (95% CI); budget = share of the seat's spending "
                 f"on the row in normal (under {ROW_FUNDED_MIN:.0%}: not funded, no target)")
    lines.append(f"  {'row':<14}{'seat':<7}{'worth':>8}  {'95% CI':<17}{'budget':>7}")
    for entry in result["rows"]:
        for seat in ("us", "cn"):
            r = entry[seat]
            ci = f"{r['ci'][0]:+.1%} to {r['ci'][1]:+.1%}"
            note = "" if r["funded"] else "  not funded"
            if entry["row"] in ROWS_UNTARGETED:
                note += "  (no target)"
            lines.append(f"  {entry['row']:<14}{seat.upper():<7}{r['worth']:>+8.1%}  {ci:<17}{r['budget_share']:>7.1%}"
                         f"{note}")
    lines += target_lines(result["targets"], "Row targets")
    return "\n".join(lines)
