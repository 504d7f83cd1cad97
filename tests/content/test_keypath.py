"""Key paths name every number in the content, and a number's text is replaced in place with every other byte kept."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest
import tomli

from game.content import default_content_dir
from game.content.edit import EditError, number_text, replace_values, value_spans
from game.content.keypath import FILES, KeyPathError, check_range, locate
from game.sim.tune import read_texts

TEXTS = read_texts(default_content_dir())
PREFIX = {file: (name,) for name, (file, _, _) in FILES.items()}
PREFIX.update({rel: ("scenarios", Path(rel).stem) for rel in TEXTS if rel.startswith("scenarios/")})


def leaves(node: Any, path: tuple[Any, ...] = ()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, (*path, i))
    else:
        yield path, node


def key_path(rel: str, data: dict[str, Any], steps: tuple[Any, ...]) -> tuple[str, ...]:
    """The key path a designer writes for the value at `steps`: items of a list named by id where they have one."""
    keys, node = list(PREFIX[rel]), data
    item_files = [file for file, _, items in FILES.values() if items]
    for k, step in enumerate(steps):
        node = node[step]
        if isinstance(step, int) and isinstance(node, dict) and "id" in node:
            keys.append(node["id"])
        elif not (k == 0 and rel in item_files):  # a file of [[items]]: its list's key is not written, the id says it
            keys.append(str(step))
    return tuple(keys)


def numbers():
    for rel in sorted(PREFIX):
        data = tomli.loads(TEXTS[rel])
        for steps, value in leaves(data):
            yield rel, data, steps, value


def test_every_number_in_the_content_has_a_key_path_that_finds_it() -> None:
    found = 0
    for rel, data, steps, value in numbers():
        keys = key_path(rel, data, steps)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            with pytest.raises(KeyPathError, match="not a number"):
                locate(keys, TEXTS)
            continue
        place = locate(keys, TEXTS)
        assert (place.file, place.steps, place.value) == (rel, steps, float(value)), keys
        found += 1
    assert found > 600  # every file's numbers (613 today), not a handful


def test_bounds_come_from_the_schema() -> None:
    place = locate(("scoring", "decisive_margin_months"), TEXTS)
    assert place.bounds == {"min": 0.0, "max": 120.0, "above": None} and not place.whole
    check_range(place, 12.0, 24.0)
    with pytest.raises(KeyPathError, match="goes above 120"):
        check_range(place, 12.0, 121.0)
    # A list's bounds hold for its items, as the loader reads them.
    assert locate(("scenarios", "2022", "sides", "us", "power_building_mw", "0"), TEXTS).bounds["min"] == 0.0
    assert locate(("rules", "training", "run_quarters"), TEXTS).whole


def test_replacing_a_value_keeps_every_other_byte() -> None:
    text = TEXTS["scenarios/2022.toml"]
    spans = value_spans(text)
    out = replace_values(text, {("sides", "us", "frontier_share"): number_text(0.0123, False),
                                ("sides", "us", "fleet", 1, "count"): number_text(60000.0, False),
                                ("sides", "cn", "design_index"): number_text(1, True)}, spans)
    changed = [(a, b) for a, b in zip(text.splitlines(), out.splitlines(), strict=True) if a != b]
    assert len(changed) == 3
    for a, b in changed:
        if "#" in a:  # the comment stays where it was written
            assert a.index("#") == b.index("#") and a.split("#", 1)[1] == b.split("#", 1)[1]
    diff = [line for line in difflib.ndiff(text.splitlines(), out.splitlines()) if line[:1] in "+-"]
    assert any("frontier_share = 0.0123 " in line for line in diff)
    assert any('{ chip = "h100", count = 60000.0, age_quarters = 0 }' in line for line in diff)
    assert any(line.startswith("+ design_index = 1") for line in diff)


def test_every_value_in_every_content_file_is_found_where_it_is_written() -> None:
    for rel, text in TEXTS.items():
        spans = value_spans(text)
        written = dict(leaves(tomli.loads(text)))
        assert set(spans) == set(written), rel
        for steps, (start, end) in spans.items():
            assert tomli.loads(f"v = {text[start:end]}")["v"] == written[steps], (rel, steps)


def test_an_edit_that_would_change_another_value_is_refused() -> None:
    text = "a = 1\nb = 2\n"
    with pytest.raises(EditError, match="changed other values"):
        replace_values(text, {("a",): "3\nc = 4"})
    with pytest.raises(EditError, match="not TOML"):
        replace_values(text, {("a",): "3\nb = 4"})
    with pytest.raises(EditError, match="not written"):
        replace_values(text, {("c",): "3"})
