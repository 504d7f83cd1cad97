"""Strategies found by id or path: the one module that knows every kind (the strategies import base, not this)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from game.ai.base import AI_IDS, Strategy, StrategyError, builtin_ids, strategies_dir
from game.ai.halved import HALF
from game.atomic import PATH_CHARS, kind
from game.content import ContentError, default_content_dir, display_name, read_toml
from game.text import path_text, quote

WITHOUT = "-without:"  # `normal-without:release_weights+stockpile`: the planner never taking those policies

if TYPE_CHECKING:
    from game.ai.scripted import Known


def known_of(content_root: Path | None) -> Known:
    """The policies (id, side) and the longest scenario of a content folder, read straight from its files; a
    file that does not read leaves that part unchecked (content check reports the file itself)."""
    from game.ai.scripted import Known

    root = content_root or default_content_dir()
    policies: list[tuple[str, str]] = []
    try:
        for item in read_toml(root / "policies.toml", "policies.toml").get("policy", []):
            if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("side"), str):
                policies.append((item["id"], item["side"]))
    except ContentError:
        policies = []
    turns = 0
    for path in sorted((root / "scenarios").glob("*.toml")):
        try:
            value = read_toml(path, path.name).get("turns")
        except ContentError:
            continue
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_TURNS:
            turns = max(turns, value)
    return Known(tuple(policies), turns)


MAX_TURNS = 400  # model.Scenario.turns' bound


def load_strategy(spec: str, content_root: Path | None = None) -> Strategy:
    """A built-in id (`balanced`, `random`, ...) or a path to a strategy TOML file."""
    from game.ai.random_play import RandomStrategy
    from game.ai.scripted import load_scripted

    if len(spec) > PATH_CHARS:  # no file has a longer path; a save keeps the spec whole, up to this (game/saves.py)
        raise StrategyError(f"strategy {quote(spec)}: {len(spec):,} characters; a strategy id or path has at most "
                            f"{PATH_CHARS:,}")
    if spec == "random":
        return RandomStrategy()
    if HALF in spec:
        return halved_row(spec, content_root)
    if WITHOUT in spec:
        return planner_without(spec, content_root)
    if spec in AI_IDS:
        from game.ai.planner import EASY, NORMAL, Planner

        if spec == "hard":
            from game.ai.search import SearchStrategy

            return SearchStrategy()
        return Planner(EASY if spec == "easy" else NORMAL, spec)
    path = strategy_file(spec)
    if path is not None:
        found = kind(path)
        if found == "missing":
            raise StrategyError(f"strategy file {path_text(spec)} not found; give a built-in id "
                                f"({', '.join(builtin_ids(content_root))}) or a path to a .toml file")
        try:
            return load_scripted(path, str(path), known_of(content_root))
        except ContentError as exc:
            raise StrategyError(str(exc)) from None
    candidate = strategies_dir(content_root) / f"{spec}.toml"
    if kind(candidate) not in ("missing", "unusable"):  # a FIFO or a folder there: read_toml says so
        try:
            return load_scripted(candidate, display_name(candidate, content_root or default_content_dir()),
                                 known_of(content_root))
        except ContentError as exc:
            raise StrategyError(str(exc)) from None
    raise StrategyError(f"unknown strategy {quote(spec)}; use one of {', '.join(builtin_ids(content_root))} "
                        "or a path to a .toml file")


def strategy_file(spec: str) -> Path | None:
    """The file a strategy spec names by path, or None for an id (built in, or a file in the content folder's
    strategies/). The one rule load_strategy follows, so a run sent elsewhere sends exactly the files it reads."""
    if spec == "random" or WITHOUT in spec or HALF in spec or spec in AI_IDS:
        return None
    path = Path(spec)
    return path if spec.endswith(".toml") or kind(path) == "file" else None


def planner_without(spec: str, content_root: Path | None) -> Strategy:
    """`easy-without:A+B` or `normal-without:A`: that planner with policies A and B never taken (ids from
    policies.toml, checked here)."""
    from game.ai.planner import EASY, NORMAL, Planner
    from game.content import load_content

    base, _, listed = spec.partition(WITHOUT)
    if base not in ("easy", "normal"):
        raise StrategyError(f"strategy {quote(spec)}: only easy and normal can leave policies out "
                            f"(found {quote(base)} before {WITHOUT!r})")
    ids = tuple(listed.split("+"))
    known = [p.id for p in load_content(content_root).policies]
    for pid in ids:
        if pid not in known:
            import difflib

            near = difflib.get_close_matches(pid, known, n=1, cutoff=0.6)
            hint = f"did you mean {quote(near[0])}?" if near else f"expected one of {', '.join(known)}"
            raise StrategyError(f"strategy {quote(spec)}: {quote(pid)} is not a policy id in policies.toml; {hint}")
    return Planner(EASY if base == "easy" else NORMAL, spec, without=frozenset(ids))


def halved_row(spec: str, content_root: Path | None) -> Strategy:
    """`normal-half:fabs`: a built-in AI (or a planner without policies, `normal-without:A-half:fabs`) with one
    budget row halved for the whole game (balance --rows)."""
    from game.ai.halved import HalvedRow
    from game.engine.tables import CATEGORIES

    base, _, row = spec.rpartition(HALF)
    if row not in CATEGORIES:
        raise StrategyError(f"strategy {quote(spec)}: {quote(row)} is not a budget row; expected one of "
                            f"{', '.join(CATEGORIES)}")
    if base not in AI_IDS and WITHOUT not in base:
        raise StrategyError(f"strategy {quote(spec)}: only {', '.join(AI_IDS)} can have a row halved "
                            f"(found {quote(base)} before {HALF!r})")
    return HalvedRow(load_strategy(base, content_root), row, spec)
