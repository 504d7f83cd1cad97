"""Fuzz the shipped content and strategy files: each mutation is accepted (and then plays) or refused with a
ContentError naming the file and the key. Counts are module constants quoted in the closing note."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.ai import StrategyError, load_strategy
from game.content import ContentError, default_content_dir, load_content
from game.content.vocab import MIN_PRICE_FACTOR, MIN_PRICE_STACK, MUL_MODIFIERS, PRICE_MODIFIERS
from game.engine import Tables, new_world, resolve
from game.engine.resolve import advance
from game.engine.state import digests
from game.text import key_text
from tests.budget import examples
from tests.fuzz.tomlw import dumps

CONTENT_MUTATIONS = 300
STRATEGY_MUTATIONS = 100
FACTOR_STACKS = 40
FILES = ["rules.toml", "scoring.toml", "chips.toml", "nodes.toml", "sectors.toml", "policies.toml", "events.toml",
         "scenarios/2025.toml", "scenarios/2022.toml"]
STRATEGIES = ["strategies/balanced.toml", "strategies/all_in_scale.toml", "strategies/efficiency_first.toml"]
ORIGINAL = {rel: tomllib.loads((default_content_dir() / rel).read_text(encoding="utf-8")) for rel in FILES + STRATEGIES}


def paths(node, prefix=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node[:3]):
            yield prefix + (i,)
            yield from paths(v, prefix + (i,))


def get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


@st.composite
def mutation(draw, files):
    rel = draw(st.sampled_from(files))
    doc = tomllib.loads(dumps(ORIGINAL[rel]))  # a deep copy
    path = draw(st.sampled_from(sorted(paths(doc), key=str)))
    parent, last = get(doc, path[:-1]), path[-1]
    kind = draw(st.sampled_from(["delete", "type", "range", "unknown_id", "duplicate", "huge", "whole", "nested",
                                 "key", "edge"]))
    if kind == "delete":
        del parent[last]
    elif kind == "type":
        old = parent[last]
        parent[last] = draw(st.sampled_from([v for v in ("text", 3, 2.5, True, [1, "a"], {"x": 1})
                                             if type(v) is not type(old)]))
    elif kind == "range":
        parent[last] = draw(st.sampled_from([-1, -1e9, 0, 1e9, 1e308, -0.5, 10**12]))
    elif kind == "edge":  # at and beside the bounds the check puts on divisors and factors (issue 27 item 7)
        parent[last] = draw(st.sampled_from(EDGES))
    elif kind == "unknown_id":
        parent[last] = "no_such_thing"
    elif kind == "huge":  # integers of any size: past float range, past int64, past Python's printing limit
        parent[last] = draw(st.sampled_from([10**400, -(10**400), 2**63, 2**64 + 1, 10**5000]))
    elif kind == "whole":  # a float written as a whole number (TOML reads 3 as an int)
        old = parent[last]
        parent[last] = int(old) if isinstance(old, float) and abs(old) < 1e15 else draw(st.integers(-10**6, 10**6))
    elif kind == "nested":  # a list inside a list, depth 1 to 60
        inner = parent[last]
        for _ in range(draw(st.integers(1, 60))):
            inner = [inner]
        parent[last] = inner
    elif kind == "key" and isinstance(last, str):  # a key renamed to any text at all: newlines, controls, quotes
        new = draw(st.text(min_size=1, max_size=8))
        parent[new] = parent.pop(last)
        path = path + (new,)  # the message may name the old key (now missing) or the new one (unknown)
    else:
        lists = [p for p in paths(doc) if isinstance(get(doc, p), list) and get(doc, p)
                 and isinstance(get(doc, p)[0], dict) and "id" in get(doc, p)[0]]
        if not lists:
            return rel, doc, path, "none"
        target = get(doc, draw(st.sampled_from(sorted(lists, key=str))))
        target.append(dict(target[0]))
        return rel, doc, ("id",), kind
    return rel, doc, path, kind


# Values at and just either side of the lower bounds of figures the rules divide by, and of factors on prices.
EDGES = sorted({0.0, 5e-324, 1e-300, MIN_PRICE_STACK, MIN_PRICE_FACTOR * (1 - 1e-9), MIN_PRICE_FACTOR,
                MIN_PRICE_FACTOR * (1 + 1e-9), 1e-6 * (1 - 1e-9), 1e-6 * (1 + 1e-9), 0.0001, 0.001, 0.05, 0.1, 1.0})


# "FILE.toml: key.path[0].x: what was wrong"; a key that is not a plain name is quoted: key.'\n'.x
NAMED = re.compile(r"^[^:]+\.toml: (?:[\w.\[\] -]|'(?:[^'\\]|\\.)*')+: \S")


def named(exc: Exception, rel: str, path) -> bool:
    """One line: the file, the key path within it, what is wrong. Usually the mutated file and key; a change
    can also make another file wrong (delete the export tiers and a scenario's tier is out of range)."""
    text = str(exc)
    if re.match(r"^[^:]+\.toml: line \d+: a number too long to read", text):
        return True  # the parser stops before any key path exists; the line is named instead
    if not NAMED.match(text):
        return False
    keys = [p for p in path if isinstance(p, str)]
    about_this_file = text.split(": ", 1)[0].endswith(rel)
    return not about_this_file or not keys or any(key_text(k) in text for k in keys) or "id" in text


def plays(content) -> None:
    for scenario in content.scenarios.values():
        tables = Tables(content, scenario)
        world = new_world(tables, [1, 2])
        strat = load_strategy("normal", content.root)
        for _ in range(2):
            world = resolve(world, strat.decide(world, 0), strat.decide(world, 1))


def write(tmp: Path, rel: str, doc) -> Path:
    copy = tmp / "content"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(default_content_dir(), copy)
    (copy / rel).write_text(dumps(doc), encoding="utf-8")
    return copy


@settings(max_examples=examples(CONTENT_MUTATIONS), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(m=mutation(FILES))
def test_content_mutations(tmp_path, m):
    rel, doc, path, kind = m
    copy = write(tmp_path, rel, doc)
    try:
        content = load_content(copy)
    except ContentError as exc:
        assert "\n" not in str(exc)
        assert named(exc, rel, path), f"{kind} at {path}: {exc}"
        return
    plays(content)  # accepted: then it must be a content the engine runs


@settings(max_examples=examples(STRATEGY_MUTATIONS), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(m=mutation(STRATEGIES))
def test_strategy_mutations(tmp_path, m):
    rel, doc, path, kind = m
    copy = write(tmp_path, rel, doc)
    content = load_content(copy)
    try:
        strat = load_strategy(str(copy / rel), content.root)
    except StrategyError as exc:
        assert "\n" not in str(exc)
        assert named(exc, rel, path), f"{kind} at {path}: {exc}"
        return
    tables = Tables(content, content.scenarios["2025"])
    world = new_world(tables, [3])
    for _ in range(3):
        world = resolve(world, strat.decide(world, 0), strat.decide(world, 1))


def test_the_writer_round_trips_the_shipped_files():
    for rel, doc in ORIGINAL.items():
        assert tomllib.loads(dumps(doc)) == doc, rel


def test_a_key_ending_in_a_newline_is_quoted(tmp_path):
    """Found by make fuzz: the key "0\\n" was shown bare (a regex "$" matches before a final newline)."""
    doc = tomllib.loads(dumps(ORIGINAL["rules.toml"]))
    doc["apps"]["0\n"] = 1
    with pytest.raises(ContentError) as info:
        load_content(write(tmp_path, "rules.toml", doc))
    assert str(info.value).startswith("content/rules.toml: apps.'0\\n': unknown key")


@st.composite
def factor_stack(draw):
    """One to six events in force from the first quarter to the last, each multiplying a modifier (prices most
    often) by a factor at, near or far from its bound, for one side or both."""
    events = []
    for k in range(draw(st.integers(1, 6))):
        target = draw(st.sampled_from(PRICE_MODIFIERS) | st.sampled_from(MUL_MODIFIERS))
        value = draw(st.sampled_from(EDGES) | st.floats(MIN_PRICE_FACTOR, 1.0) | st.floats(0.0, 1e3))
        side = draw(st.sampled_from(["us", "cn", "both"]))
        events.append({"id": f"stack_{k}", "name": "Stack", "headline": "Stack", "probability": 1.0, "duration": 200,
                       "effects": [{"kind": "modifier", "target": target, "side": side, "op": "mul", "value": value}]})
    return events


@settings(max_examples=examples(FACTOR_STACKS), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stack=factor_stack())
def test_factors_near_their_bounds_are_refused_or_play_to_the_end(tmp_path, stack):
    """Content the check accepts plays every quarter of every scenario without NaN or infinity (NonFiniteState);
    what it refuses, it refuses in one line that names the file and the key."""
    doc = tomllib.loads(dumps(ORIGINAL["events.toml"]))
    doc["event"] += stack
    copy = write(tmp_path, "events.toml", doc)
    try:
        content = load_content(copy)
    except ContentError as exc:
        assert "\n" not in str(exc)
        assert re.match(r"^content/events\.toml: event 'stack_\d'\.effects\[0\]\.value: ", str(exc)), str(exc)
        return
    for scenario in content.scenarios.values():
        world = new_world(Tables(content, scenario), [1, 2])
        strat = load_strategy("easy", content.root)
        while not world.done.all():
            advance(world, strat.decide(world, 0), strat.decide(world, 1))
            digests(world)  # raises NonFiniteState at NaN or infinity (the engine checks too, since issue 27)
