"""`compute-race bench`: engine speed figures (a benchmark, never a test assertion)."""

from __future__ import annotations

import platform
import statistics
import time
from typing import Any

import numpy as np

from game.ai import load_strategy
from game.content import load_content
from game.engine import Tables, jit, new_world, resolve
from game.engine.resolve import advance
from game.sim.runner import run_games


def turn_latency(tables: Tables, turns: int) -> dict[str, float]:
    """Single game: time of one pure resolve() call, orders decided beforehand (median over turns)."""
    strat = load_strategy("balanced")
    samples, decide_samples = [], []
    world = new_world(tables, [1])
    for _ in range(turns):
        if world.done.all():
            world = new_world(tables, [int(world.seed[0]) + 1])
        t0 = time.perf_counter()
        o_us, o_cn = strat.decide(world, 0), strat.decide(world, 1)
        t1 = time.perf_counter()
        world = resolve(world, o_us, o_cn)
        t2 = time.perf_counter()
        decide_samples.append(t1 - t0)
        samples.append(t2 - t1)
    return {"resolve_ms_median": statistics.median(samples) * 1e3,
            "resolve_ms_p90": float(np.percentile(samples, 90)) * 1e3,
            "decide_both_ms_median": statistics.median(decide_samples) * 1e3}


def ai_decision(tables: Tables, turns: int) -> dict[str, float]:
    """One game, normal v normal: time of the `hard` and `normal` opponents deciding each turn
    (either side), over the first `turns` quarters. The strategies are kept across turns, as in play,
    so the first call also pays for their one-off caches."""
    normal, hard = load_strategy("normal"), load_strategy("hard")
    world = new_world(tables, [1])
    samples: dict[str, list[float]] = {"hard": [], "normal": []}
    for _ in range(turns):
        if world.done.all():
            break
        for side in (0, 1):
            for name, strat in (("hard", hard), ("normal", normal)):
                t0 = time.perf_counter()
                strat.decide(world, side)
                samples[name].append(time.perf_counter() - t0)
        advance(world, normal.decide(world, 0), normal.decide(world, 1))
    out = {}
    for name, xs in samples.items():
        out[f"{name}_decide_ms_median"] = statistics.median(xs) * 1e3
        out[f"{name}_decide_ms_p90"] = float(np.percentile(xs, 90)) * 1e3
    return out


def hard_decisions(tables: Tables, games: int, at_turns: tuple[int, ...]) -> dict[str, float]:
    """The `hard` opponent deciding for a batch of `games` games at once, as sim and balance run it (every
    candidate of every game looked ahead in one batch): its decisions a second, and the time of one batch's
    decision (median), over the positions `at_turns` quarters into games played normal v normal."""
    normal, hard = load_strategy("normal"), load_strategy("hard")
    world = new_world(tables, list(range(games)))
    hard.decide(new_world(tables, [0]), 0)  # one-off caches (the candidates, the scenario's start) warmed
    samples, decided = [], 0
    for quarter in range(max(at_turns) + 1):
        if world.done.all():
            break
        if quarter in at_turns:
            t0 = time.perf_counter()
            hard.decide(world, 0)
            samples.append(time.perf_counter() - t0)
            decided += int((~world.done).sum())
        advance(world, normal.decide(world, 0), normal.decide(world, 1))
    return {"hard_batch_games": games, "hard_batch_decide_s_median": statistics.median(samples),
            "hard_decisions_per_s": decided / sum(samples)}


# `bench --balance`: the time of `balance --games BALANCE_GAMES --jobs BALANCE_JOBS` (every built-in pairing).
BALANCE_GAMES = 400
BALANCE_JOBS = 2


def balance_time(content, games: int = BALANCE_GAMES, jobs: int = BALANCE_JOBS) -> dict[str, float]:
    """Wall time of the balance run a designer waits for: every pairing of the built-in strategies, both
    seatings, `games` seeds, `jobs` worker processes (the figures are not printed)."""
    from game.sim.balance import STRATEGIES, run_balance

    t0 = time.perf_counter()
    run_balance(content, "2025", STRATEGIES, games, 1, jobs)
    return {"balance_games": games, "balance_jobs": jobs, "balance_seconds": time.perf_counter() - t0}


def throughput(tables: Tables, batch: int, turns: int, repeats: int = 3) -> float:
    """Game-turns per second resolving a batch in place over the opening `turns` quarters, orders
    prepared outside the timing; the fastest of `repeats` runs (as timeit does: the others measure
    the machine's other work, not the engine)."""
    strat = load_strategy("balanced")
    start = new_world(tables, list(range(batch)))
    world = start.copy()
    plan = []
    for _ in range(turns):
        if world.done.all():
            break
        plan.append((strat.decide(world, 0), strat.decide(world, 1)))
        advance(world, *plan[-1])
    best = float("inf")
    for _ in range(repeats):
        world = start.copy()
        t0 = time.perf_counter()
        for o_us, o_cn in plan:
            advance(world, o_us, o_cn)
        best = min(best, time.perf_counter() - t0)
    return batch * len(plan) / best


def save_figures(content, folder: str | None = None, runs: int = 5) -> dict[str, float]:
    """The save of a whole 40-turn game (normal v hard, the first seed that lasts): its size, and the time
    to load and verify it (read, check, load the content, replay every turn, compare every digest)."""
    import tempfile
    from pathlib import Path

    from game.saves import load_game, write_save
    from game.session import Seat, Session

    for seed in range(1, 100):
        session = Session((Seat("ai", "normal"), Seat("ai", "hard")), seed=seed, content=content)
        while not session.over:
            session.resolve()
        if session.turn == session.tables.scenario.turns:
            break
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        path = write_save(Path(tmp) / "bench.json", session, "bench")
        size = path.stat().st_size
        load_game(path, content_dir=content.root)  # imports warmed
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            restored = load_game(path, content_dir=content.root)
            samples.append(time.perf_counter() - t0)
        assert restored.mismatch is None, restored.mismatch
    return {"save_turns": session.turn, "save_kb": size / 1024, "save_load_verify_ms_median": statistics.median(samples) * 1e3}


def run_bench(content_root: str | None = None, quick: bool = False, balance: bool = False) -> dict[str, Any]:
    """Every figure of `compute-race bench`; `balance` adds the (slow) balance run's time."""
    content = load_content(content_root)
    tables = Tables(content, content.scenario("2025"))
    games = 500 if quick else 10_000
    results: dict[str, Any] = {"machine": f"{platform.machine()} {platform.python_implementation()} "
                                          f"{platform.python_version()}, numpy {np.__version__}",
                               "kernels": kernels_text()}
    results.update(turn_latency(tables, 40 if quick else 400))
    results.update(ai_decision(tables, 4 if quick else 20))
    results.update(hard_decisions(tables, 20, (0,)) if quick else hard_decisions(tables, 400, (0, 8, 16, 24)))
    for batch in (1, 256, 4096):
        turns = (20 if batch == 1 else 4) if quick else (400 if batch == 1 else 40 if batch == 256 else 20)
        results[f"game_turns_per_s_batch_{batch}"] = throughput(tables, batch, turns)
    results.update(save_figures(content, runs=2 if quick else 7))
    t0 = time.perf_counter()
    records = run_games(content, "2025", "balanced", "balanced", list(range(games)))
    elapsed = time.perf_counter() - t0
    results["full_games"] = games
    results["full_games_seconds"] = elapsed
    results["full_games_per_s"] = games / elapsed
    results["mean_game_turns"] = sum(r["turns"] for r in records) / len(records)
    if balance:
        results.update(balance_time(content, 2 if quick else BALANCE_GAMES))
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in results.items()}


def kernels_text() -> str:
    """Whether the big batches below ran the compiled kernels (game/engine/jit.py)."""
    if jit.enabled():
        from importlib.metadata import version

        return f"on for batches of {jit.MIN_BATCH} or more (numba {version('numba')})"
    return f"off (numpy only; {jit.INSTALL} turns them on)"


def format_bench(r: dict[str, Any]) -> str:
    lines = [
        f"Compute Race engine benchmark ({r['machine']})",
        f"  compiled kernels: {r.get('kernels', 'not recorded')}",
        f"  one turn, one game (resolve)     {r['resolve_ms_median']:8.3f} ms median, "
        f"{r['resolve_ms_p90']:.3f} ms p90   target < 1 ms",
        f"  both sides deciding (balanced)   {r['decide_both_ms_median']:8.3f} ms median",
        f"  hard opponent deciding, one game {r['hard_decide_ms_median']:8.1f} ms median, "
        f"{r['hard_decide_ms_p90']:.1f} ms p90   target < 300 ms",
        f"  hard deciding, {r['hard_batch_games']} games at once {r['hard_batch_decide_s_median']:8.2f} s median, "
        f"{r['hard_decisions_per_s']:,.0f} decisions/s",
        f"  normal opponent deciding         {r['normal_decide_ms_median']:8.2f} ms median, "
        f"{r['normal_decide_ms_p90']:.2f} ms p90",
        f"  save of a {r['save_turns']}-turn game          {r['save_kb']:8.1f} KB   target < 64 KB",
        f"  load and verify that save        {r['save_load_verify_ms_median']:8.1f} ms median   target < 200 ms",
        f"  game-turns/s, batch 1            {r['game_turns_per_s_batch_1']:12,.0f}",
        f"  game-turns/s, batch 256          {r['game_turns_per_s_batch_256']:12,.0f}",
        f"  game-turns/s, batch 4096         {r['game_turns_per_s_batch_4096']:12,.0f}   target >= 780,000",
        f"  {r['full_games']:,} full games balanced v balanced   {r['full_games_seconds']:8.2f} s "
        f"({r['full_games_per_s']:,.0f} games/s, {r['mean_game_turns']:.1f} turns each)   target 10,000 in < 4 s",
    ]
    if "balance_seconds" in r:
        lines.append(f"  balance --games {r['balance_games']} --jobs {r['balance_jobs']}        "
                     f"{r['balance_seconds']:8.1f} s")
    return "\n".join(lines)
