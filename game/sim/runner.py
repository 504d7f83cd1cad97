"""Play many games headless: batched, chunked, optionally across processes; one record per game."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from game.ai import load_strategy
from game.content import Content, find_scenario, load_content
from game.engine import Tables, World, new_world
from game.engine.resolve import advance
from game.engine.state import REASONS, WINNERS, digests

CHUNK = 4096
LEAD_TURN = 12  # records say who led on the track after this many quarters (is a game decided early?)


def play_batch(tables: Tables, us_spec: str, cn_spec: str, seeds: list[int], content_root: Path | None = None,
               explain: bool = False, saves_dir: str | None = None, scenario_spec: str = "2025",
               on_turn: Callable[[World], None] | None = None) -> list[dict[str, Any]]:
    """Play the games to their end; one record per game. `on_turn` sees the batch after every quarter."""
    us = load_strategy(us_spec, content_root)
    cn = load_strategy(cn_spec, content_root)
    world = new_world(tables, seeds)
    notes: list[list[str]] = [[] for _ in seeds]
    leader = np.full(len(seeds), -1)
    # With saves_dir, every turn's orders and digests are kept to write each game as a save.
    steps: list[tuple] = []
    start = digests(world) if saves_dir else []
    while not world.done.all():
        if explain:  # orders and reasons from one pass; the lines of finished games are not kept
            seen_us, seen_cn = us.think(world, 0), cn.think(world, 1)
            orders_us, orders_cn = seen_us.orders, seen_cn.orders
            for i in np.flatnonzero(~world.done):
                notes[i].append(f"Q{int(world.turn[i]) + 1} US {seen_us.reasons[i]} | CN {seen_cn.reasons[i]}")
        else:
            orders_us = us.decide(world, 0)
            orders_cn = cn.decide(world, 1)
        advance(world, orders_us, orders_cn)
        if on_turn:
            on_turn(world)
        if saves_dir:
            steps.append((orders_us, orders_cn, digests(world)))
        at = (world.turn == LEAD_TURN) & (leader < 0)
        leader = np.where(at, np.where(world.track[:, 0] >= world.track[:, 1], 0, 1), leader)
    out = []
    for i, (seed, dig) in enumerate(zip(seeds, digests(world))):
        rec = {
            "seed": int(seed), "winner": WINNERS[int(world.winner[i])], "reason": REASONS[int(world.reason[i])],
            "turns": int(world.turn[i]), "track_us": round(float(world.track[i, 0]), 6),
            "track_cn": round(float(world.track[i, 1]), 6), "digest": dig,
            f"leader_turn{LEAD_TURN}": ("us", "cn")[leader[i]] if leader[i] >= 0 else "",
        }
        if explain:
            rec["explain"] = notes[i]
        out.append(rec)
    if saves_dir:
        from game.saves import write_sim_saves

        write_sim_saves(saves_dir, tables, scenario_spec, us_spec, cn_spec, seeds, start, steps,
                        [r["turns"] for r in out])
    return out


def _chunk_job(args: tuple) -> list[dict[str, Any]]:
    content_root, scenario_spec, us_spec, cn_spec, seeds, explain, saves_dir = args
    content = load_content(content_root)
    tables = Tables(content, find_scenario(content, scenario_spec))
    return play_batch(tables, us_spec, cn_spec, seeds, content.root, explain, saves_dir, scenario_spec)


def run_games(content: Content, scenario_spec: str, us_spec: str, cn_spec: str, seeds: list[int], jobs: int = 1,
              on_progress: Callable[[int], None] | None = None, explain: bool = False,
              chunk: int = CHUNK, saves_dir: str | None = None) -> list[dict[str, Any]]:
    """Records in seed order; identical whatever `jobs` and `chunk` are (games are batch-invariant)."""
    chunks = [seeds[i:i + chunk] for i in range(0, len(seeds), chunk)]
    if jobs > 1 and len(chunks) < jobs and len(seeds) >= 2 * jobs:
        size = -(-len(seeds) // jobs)
        chunks = [seeds[i:i + size] for i in range(0, len(seeds), size)]
    results: list[dict[str, Any]] = []
    if jobs <= 1 or len(chunks) == 1:
        tables = Tables(content, find_scenario(content, scenario_spec))
        for part in chunks:
            results.extend(play_batch(tables, us_spec, cn_spec, part, content.root, explain, saves_dir,
                                      scenario_spec))
            if on_progress:
                on_progress(len(results))
        return results
    args = [(str(content.root), scenario_spec, us_spec, cn_spec, part, explain, saves_dir) for part in chunks]
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks))) as pool:
        for part in pool.map(_chunk_job, args):
            results.extend(part)
            if on_progress:
                on_progress(len(results))
    return results
