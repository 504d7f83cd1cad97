"""Play many games headless: batched, chunked, here, across processes or on a cluster; one record per game."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from game.ai import load_strategy
from game.ai.registry import strategy_file
from game.content import Content, find_scenario, scenario_file
from game.engine import Tables, World, new_world
from game.engine.resolve import advance
from game.engine.state import REASONS, WINNERS, digests
from game.engine.tables import CATEGORIES
from game.schema import CHIP_SOURCES, CHIPS, FLOWS, VERDICT_PARTS
from game.sim.cluster import Pool, Site
from game.sim.explain import roads_of

CHUNK = 4096
SPENT_ROWS = [FLOWS.index(row) for row in CATEGORIES]  # the books' column of each budget row
LEAD_TURN = 12  # records say who led on the track after this many quarters (is a game decided early?)


def play_batch(tables: Tables, us_spec: str, cn_spec: str, seeds: list[int], content_root: Path | None = None,
               explain: bool = False, saves_dir: str | None = None, scenario_spec: str = "2025",
               on_turn: Callable[[World], None] | None = None, detail: bool = False) -> list[dict[str, Any]]:
    """Play the games to their end; one record per game. `on_turn` sees the batch after every quarter.
    `detail` adds each game's final verdict and track by part, treasury, chips by chip and source, and money spent
    by budget row. Every record names the winner's road to its win (game/sim/explain.py)."""
    us = load_strategy(us_spec, content_root)
    cn = load_strategy(cn_spec, content_root)
    world = new_world(tables, seeds)
    notes: list[list[str]] = [[] for _ in seeds]
    # Per game and side, how often each clause of the one-line reasons was given (sim --explain's summary).
    clauses: list[tuple[dict[str, int], dict[str, int]]] = [({}, {}) for _ in seeds]
    bought = np.zeros((len(seeds), 2, len(CHIP_SOURCES), len(tables.chip_ids))) if detail else None
    spent = np.zeros((len(seeds), 2, len(CATEGORIES))) if detail else None
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
                for side, line in enumerate((seen_us.reasons[i], seen_cn.reasons[i])):
                    for clause in reason_clauses(line):
                        clauses[i][side][clause] = clauses[i][side].get(clause, 0) + 1
        else:
            orders_us = us.decide(world, 0)
            orders_cn = cn.decide(world, 1)
        playing = ~world.done
        advance(world, orders_us, orders_cn)
        if bought is not None and spent is not None:
            tally_chips(world, playing, bought)
            # This quarter's books by budget row (what was spent, not what was ordered).
            spent += np.where(playing[:, None, None], world.flows_busd[:, :, SPENT_ROWS], 0.0)
        if on_turn:
            on_turn(world)
        if saves_dir:
            steps.append((orders_us, orders_cn, digests(world)))
        at = (world.turn == LEAD_TURN) & (leader < 0)
        leader = np.where(at, np.where(world.track[:, 0] >= world.track[:, 1], 0, 1), leader)
    roads = roads_of(world.winner, world.reason, world.track_parts)
    out = []
    for i, (seed, dig) in enumerate(zip(seeds, digests(world))):
        rec = {
            "seed": int(seed), "winner": WINNERS[int(world.winner[i])], "reason": REASONS[int(world.reason[i])],
            "turns": int(world.turn[i]), "track_us": round(float(world.track[i, 0]), 6),
            "track_cn": round(float(world.track[i, 1]), 6), "digest": dig,
            f"leader_turn{LEAD_TURN}": ("us", "cn")[leader[i]] if leader[i] >= 0 else "", "road": roads[i],
        }
        if explain:
            rec["explain"] = notes[i]
            rec["reason_counts"] = {"us": dict(sorted(clauses[i][0].items())),
                                    "cn": dict(sorted(clauses[i][1].items()))}
        if bought is not None and spent is not None:
            rec.update(final_detail(world, i, bought[i], spent[i]))
        out.append(rec)
    if saves_dir:
        from game.saves import write_sim_saves

        write_sim_saves(saves_dir, tables, scenario_spec, us_spec, cn_spec, seeds, start, steps,
                        [r["turns"] for r in out])
    return out


def reason_clauses(line: str) -> list[str]:
    """The clauses of a strategy's one-line reasons ("Name: most money to compute; a reason; takes A, B"):
    the name dropped, each policy taken a clause of its own ("takes A")."""
    _, _, body = line.partition(": ")
    out = []
    for clause in (body or line).split("; "):
        if clause.startswith("takes "):
            out += [f"takes {name}" for name in clause.removeprefix("takes ").split(", ")]
        elif clause:
            out.append(clause)
    return out


def tally_chips(world: World, playing: np.ndarray, bought: np.ndarray) -> None:
    """Add this quarter's chips bought (world.chips_bought) to bought[game, side, source, chip], each source
    under the chip it brought: domestic the side's current design, imported the best the export tier
    allows, smuggled the rival's design some generations back (as engine/infra.py buys them)."""
    from game.engine import design

    t = world.tables
    chip = np.empty((world.batch, 2, len(CHIP_SOURCES)), dtype=np.int64)
    chip[:, :, 0] = design.current_chip(world)
    imp = t.import_chip(np.maximum(world.turn - 1, 0), world.export_tier)  # the quarter just resolved
    chip[:, :, 1] = np.where(imp >= 0, imp, 0)[:, None]
    behind = np.maximum(world.design_index[:, ::-1] - t.rules.supply.smuggle_generations_back, 0)
    chip[:, :, 2] = t.ladder[np.array([1, 0])[None, :], behind]
    n = np.where(playing[:, None, None], world.chips_bought, 0.0)
    g, s, k = np.indices(chip.shape)
    np.add.at(bought, (g, s, k, chip), n)


def final_detail(world: World, i: int, bought: np.ndarray, spent: np.ndarray) -> dict[str, Any]:
    """Game i's final figures per side: the last verdict (shares) and the track by part (points), the
    treasury, the installed fleet, every chip bought over the game by source and chip id, and the money spent
    over the game by budget row."""
    t = world.tables
    out: dict[str, Any] = {}
    for side, name in enumerate(("us", "cn")):
        out[name] = {
            "verdict": {p: round(float(world.verdict[i, side, k]), 6) for k, p in enumerate(VERDICT_PARTS)},
            "track_parts": {p: round(float(world.track_parts[i, side, k]), 6) for k, p in enumerate(VERDICT_PARTS)},
            "treasury_busd": round(float(world.treasury_busd[i, side]), 6),
            "fleet_chips": round(float(world.fleet_total[i, side, CHIPS]), 3),
            "chips_bought": {src: {t.chip_ids[c]: round(float(bought[side, k, c]), 3)
                                   for c in np.flatnonzero(bought[side, k] > 0)}
                             for k, src in enumerate(CHIP_SOURCES)},
            "spent_busd": {row: round(float(spent[side, k]), 3) for k, row in enumerate(CATEGORIES)},
        }
    return out


class Pairing(NamedTuple):
    """One run of a sweep: the US and China strategies, whether the records keep the reasons (--explain), and
    whether they hold the final detail (play_batch's `detail`) whatever the sweep's own `detail`."""

    us: str
    cn: str
    explain: bool = False
    detail: bool = False


def named_files(content: Content, scenarios: Iterable[str], strategies: Iterable[str]) -> dict[str, Path]:
    """Each file a run names by path (a scenario or strategy given as a path, not an id): what a cluster's workers
    need besides the content folder."""
    out = {spec: path for spec in scenarios if (path := scenario_file(content, spec)) is not None}
    out.update({spec: path for spec in strategies if (path := strategy_file(spec)) is not None})
    return out


def play_chunk(site: Site, job: tuple[str, str, str, list[int], bool, str | None, bool]) -> list[dict[str, Any]]:
    """One chunk of one pairing's games, wherever it runs (game/sim/cluster.py): its records."""
    scenario_spec, us_spec, cn_spec, seeds, explain, saves_dir, detail = job
    tables = Tables(site.content, find_scenario(site.content, site.spec(scenario_spec)))
    return play_batch(tables, site.spec(us_spec), site.spec(cn_spec), seeds, site.content.root, explain, saves_dir,
                      scenario_spec, detail=detail)


def run_pairings(content: Content, scenario_spec: str, pairings: Sequence[Pairing], seeds: list[int], pool: Pool,
                 on_progress: Callable[[int], None] | None = None, chunk: int = CHUNK, saves_dir: str | None = None,
                 detail: bool = False) -> list[list[dict[str, Any]]]:
    """Every pairing over the same seeds, all chunks at once on `pool`; each pairing's records in seed order.
    `on_progress` gets the games played so far over all pairings."""
    if saves_dir and pool.client is not None:
        raise ValueError("saves are written where the games are played: not on a cluster")
    jobs: list[tuple[str, str, str, list[int], bool, str | None, bool]] = []
    owner: list[int] = []
    for k, pair in enumerate(pairings):
        for part in pool.split(seeds, chunk, total=len(seeds) * len(pairings)):
            jobs.append((scenario_spec, pair.us, pair.cn, part, pair.explain, saves_dir, detail or pair.detail))
            owner.append(k)
    done = 0

    def step(_: int, records: list[dict[str, Any]]) -> None:
        nonlocal done
        done += len(records)
        if on_progress:
            on_progress(done)

    files = named_files(content, [scenario_spec], [spec for pair in pairings for spec in (pair.us, pair.cn)])
    out: list[list[dict[str, Any]]] = [[] for _ in pairings]
    for k, records in zip(owner, pool.map(play_chunk, jobs, content, files, step)):
        out[k].extend(records)
    return out


def run_games(content: Content, scenario_spec: str, us_spec: str, cn_spec: str, seeds: list[int], jobs: int = 1,
              on_progress: Callable[[int], None] | None = None, explain: bool = False,
              chunk: int = CHUNK, saves_dir: str | None = None, detail: bool = False,
              pool: Pool | None = None) -> list[dict[str, Any]]:
    """Records in seed order; identical whatever `jobs`, `chunk` and `pool` are (games are batch-invariant).
    Without `pool`, a local one of `jobs` processes for this call."""
    with Pool(jobs) if pool is None else nullcontext(pool) as runner:
        return run_pairings(content, scenario_spec, [Pairing(us_spec, cn_spec, explain)], seeds, runner, on_progress,
                            chunk, saves_dir, detail)[0]
