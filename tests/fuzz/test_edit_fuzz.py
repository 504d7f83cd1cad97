"""Fuzz the in-place editor `tune` writes content with (game/content/edit.py): for random TOML documents in every
style a designer may write (strings of all four kinds holding quotes, '#' and '=', comments after values, inline
tables and lists over several lines, dotted and quoted keys, arrays of tables), every value is found where it is
written, and replacing a number changes that number and nothing else."""

from __future__ import annotations

import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from game.content.edit import number_text, replace_values, value_spans
from tests.budget import examples
from tests.fuzz.tomlw import key, string

DOCUMENTS = 150

TRICKY = st.lists(st.sampled_from(list("ab #=[]{},.'\"\\\n") + ["'''", '"""']), max_size=12).map("".join)
KEYS = st.one_of(st.sampled_from(["a", "b", "n7", "x-1", "2025"]), st.text(alphabet="ab .#'\"=", min_size=1, max_size=5))
NUMBERS = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False, width=64))


def scalar_text(draw, value) -> str:
    if isinstance(value, str):
        style = draw(st.sampled_from(["basic", "literal", "multi", "multi-literal"]))
        if style == "literal" and "'" not in value and "\n" not in value:
            return f"'{value}'"
        if style == "multi-literal" and "'''" not in value and not value.endswith("'"):
            return f"'''{value}'''"
        if style == "multi":
            return '"""' + value.replace("\\", "\\\\").replace('"', '\\"') + '"""'
        return string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return number_text(value, isinstance(value, int))


@st.composite
def inline(draw, depth: int = 0):
    """A value and its text: a scalar, a list, or an inline table, maybe over several lines with comments."""
    kind = draw(st.sampled_from(["number", "number", "text", "bool"] + (["list", "table"] if depth < 2 else [])))
    if kind == "number":
        value = draw(NUMBERS)
        return value, scalar_text(draw, value)
    if kind == "text":
        value = draw(TRICKY)
        return value, scalar_text(draw, value)
    if kind == "bool":
        value = draw(st.booleans())
        return value, scalar_text(draw, value)
    items = draw(st.lists(inline(depth + 1), max_size=3))
    if kind == "list":
        gap = draw(st.sampled_from([", ", ",\n  ", ",  # a comment, with ] and \"\n  "]))
        return [v for v, _ in items], "[" + gap.join(t for _, t in items) + "]"
    keys = draw(st.lists(KEYS, min_size=len(items), max_size=len(items), unique=True))
    return dict(zip(keys, (v for v, _ in items))), "{ " + ", ".join(f"{key(k)} = {t}" for k, (_, t) in zip(keys, items)) + " }"


@st.composite
def document(draw):
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        header = draw(st.sampled_from(["", "[t]", "[t.u]", "[[items]]", "[[items.sub]]", '["q.d"]']))
        if header and (header.startswith("[[") or header not in lines):
            if header == "[[items.sub]]" and "[[items]]" not in lines:
                lines.append("[[items]]")
            lines.append(header)
        used: set[str] = set()
        for _ in range(draw(st.integers(0, 4))):
            k = draw(KEYS)
            if k in used:
                continue
            used.add(k)
            _, text = draw(inline())
            comment = draw(st.sampled_from(["", "  # why: \"quoted\" = 'x'", " #"]))
            lines.append(f"{key(k)} = {text}{comment}")
    return "\n".join(lines) + "\n"


def leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, (*path, i))
    else:
        yield path, node


@settings(max_examples=examples(DOCUMENTS), deadline=None)
@given(text=document(), new=NUMBERS, pick=st.integers(0, 1000))
def test_every_value_is_found_and_a_number_changes_alone(text, new, pick) -> None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # the generator wrote something TOML refuses (a key defined twice across tables): not an input
    spans = value_spans(text)
    written = dict(leaves(data))
    assert set(spans) == set(written)
    for steps, (start, end) in spans.items():
        assert tomllib.loads(f"v = {text[start:end]}")["v"] == written[steps]
    numbers = [s for s, v in written.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not numbers:
        return
    steps = numbers[pick % len(numbers)]
    out = replace_values(text, {steps: number_text(new, False)}, spans)
    node = data
    for step in steps[:-1]:
        node = node[step]
    node[steps[-1]] = float(new)
    assert tomllib.loads(out) == data
