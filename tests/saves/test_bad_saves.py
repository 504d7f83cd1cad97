"""Every damaged save gets one clear line (SaveError naming the file), never a traceback, and the file is untouched.

The counts of what these tests try are module constants, quoted in the issue's closing note.
"""

from __future__ import annotations

import json
import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.saves import SaveError, parse_save, read_save, restore
from game.text import quote
from tests.budget import examples

MUTATIONS = 400          # random field replacements (hypothesis examples)
# Any JSON: integers of any size (past int64, past float, past Python's 4,300-digit printing limit), floats that
# are whole numbers, any text for keys and values, and lists nested up to 200 deep.
# (Past 4,300 digits is in CASES: Hypothesis could not print such an example if it failed.)
huge_ints = st.sampled_from([63, 64, 400, 4200]).map(lambda bits_or_digits: 2**bits_or_digits if bits_or_digits < 100
                                                     else 10**bits_or_digits) | st.just(-(2**63) - 1)
deep = st.integers(1, 200).map(lambda n: json.loads("[" * n + "]" * n))
leaves = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | huge_ints
          | st.floats(allow_nan=False) | st.integers(-5, 5).map(float) | st.text(max_size=12) | deep)
json_values = st.recursive(
    leaves, lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6)


def one_line(exc: SaveError, where: str) -> None:
    text = str(exc)
    assert "\n" not in text and text.startswith(where) and len(text) < 400, text


def test_truncated_at_every_byte_offset(save6_bytes):
    """Each prefix of a real save: refused with one line, or (only the final newline cut) the same save."""
    whole = parse_save(save6_bytes, "g.json")
    refused = 0
    for cut in range(len(save6_bytes)):
        try:
            data = parse_save(save6_bytes[:cut], "g.json")
        except SaveError as exc:
            one_line(exc, "g.json")
            refused += 1
        else:
            assert data == whole and cut == len(save6_bytes) - 1
    assert refused == len(save6_bytes) - 1
    test_truncated_at_every_byte_offset.count = len(save6_bytes)


@pytest.mark.parametrize("text, fragment", [
    (b"", "empty file"),
    (b"   \n", "empty file"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b"{'version': 2}", "not valid JSON"),
    (b"[1, 2, 3]", "expected a JSON object"),
    (b'"a save"', "expected a JSON object"),
    (b'{"version": "2"}', "version: expected a whole number"),
    (b'{"version": 99}', "newer than this game reads"),
    (b'{"version": 0}', "not a save format version"),
    (b'{"version": 2, "seed": NaN}', "NaN is not a number"),
    (b'{"version": 2, "seed": Infinity}', "Infinity is not a number"),
    (b'{"version": 2, "seed": 1e400}', "1e400 is too large a number"),    # json reads it as infinity
    (b'{"version": 3, "turns": [{"orders": {"us": {"allocation": {"compute": -1E+400}}}}]}', "-1E.400 is too large"),
    (b"[" * 100_000, "JSON"),
])
def test_not_a_save(text, fragment):
    with pytest.raises(SaveError, match=fragment) as info:
        parse_save(text, "x.json")
    one_line(info.value, "x.json")


def edit(save: bytes, path: list, value) -> bytes:
    data = json.loads(save)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # so that a test can write a number no reader takes
    try:
        return json.dumps(data).encode()
    finally:
        sys.set_int_max_str_digits(limit)


class Delete:
    def __repr__(self) -> str:
        return "<deleted>"


DELETE = Delete()
CASES = [
    (["seed"], 10**30, "seed: expected a whole number"),
    (["seed"], -1, "seed"),
    (["seed"], 1.5, "seed"),
    (["seed"], True, "seed"),
    (["turns", 0, "orders", "us", "allocation", "compute"], 1e308, "a share from 0 to 1"),
    (["turns", 0, "orders", "us", "allocation", "compute"], -0.1, "a share from 0 to 1"),
    (["turns", 0, "orders", "us", "allocation", "compute"], "lots", "expected a number"),
    (["turns", 0, "orders", "us", "allocation", "gold"], 0.1, "unknown category"),
    (["turns", 0, "orders", "cn", "actions"], [1, 2], "list of policy ids"),
    (["turns", 0, "orders", "cn"], DELETE, "orders.cn: missing"),
    (["turns", 0, "digest"], "abc", "sha256"),
    (["turns", 0, "colour"], "red", "unknown field"),
    (["surprise"], 1, "surprise: unknown field"),
    (["seats", "us", "kind"], "robot", "human or ai"),
    (["seats", "cn", "strategy"], "", "strategy id"),
    (["mode"], "watch", "mode: expected solo"),
    (["turns"], {"0": 1}, "turns: expected a list"),
    (["turns"], [{}] * 1001, "at most 1000"),
    (["format"], "something-else", "format"),
    (["content_digest"], 7, "sha256"),
    (["scenario"], "", "scenario"),
    (["name"], ["x"], "name"),
    # Found by random examples (issue 17): a key that is not a plain name is quoted, so the line stays one line.
    (["turns", 0, "orders", "cn", "allocation"], {"\n": None}, r"allocation\.'\\n': unknown category"),
    (["turns", 0, "orders", "us"], {"\n": None}, r"orders\.us\.'\\n': unknown field"),
    (["seats", "us"], {"\r\x1b[2J": None}, r"seats\.us\.'\\r\\x1b\[2J': unknown field"),
    (["seats"], {"us\u2028": 1}, r"seats\.'us\\u2028': unknown field"),
    (["seed"], 10**400, "seed: expected a whole number from 0 to 2\\^63-1, found a whole number of 401 digits"),
    (["turns", 0, "orders", "us", "allocation", "compute"], -(10**5000), "a number too long to read"),
    (["turns", 0, "orders", "us", "split"], [[[[[[]]]]]], "expected a table of shares"),
    (["turns", 0, "digest"], "a" * 64 + "\n", "sha256"),  # "$" matched before a final newline
]


@pytest.mark.parametrize("path, value, fragment", CASES, ids=[".".join(map(str, c[0])) + f"={quote(c[1])}"[:30]
                                                              for c in CASES])
def test_wrong_shapes_and_types(save6_bytes, path, value, fragment):
    with pytest.raises(SaveError, match=fragment) as info:
        parse_save(edit(save6_bytes, path, value), "g.json")
    one_line(info.value, "g.json")


def test_unknown_scenario_or_strategy_is_a_clear_line(save6_bytes):
    for path, value, fragment in ((["scenario"], "mars-2099", "unknown scenario"),
                                  (["seats", "cn", "strategy"], "skynet", "unknown strategy")):
        data = parse_save(edit(save6_bytes, path, value), "g.json")
        with pytest.raises(SaveError, match=fragment) as info:
            restore(data, where="g.json")
        one_line(info.value, "g.json")


def paths_of(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths_of(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node[:2]):
            yield from paths_of(v, prefix + (i,))


@settings(max_examples=examples(MUTATIONS), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_field_replaced_by_any_value(save6_bytes, data):
    """Replace one node anywhere in a real save by random JSON: refused with one line, or it loads and replays
    (a replay of changed orders stops at a mismatch; it never raises anything but SaveError)."""
    original = json.loads(save6_bytes)
    paths = [p for p in paths_of(original) if p]
    path = data.draw(st.sampled_from(paths))
    value = data.draw(json_values)
    raw = edit(save6_bytes, list(path), value)
    try:
        checked = parse_save(raw, "g.json")
    except SaveError as exc:
        one_line(exc, "g.json")
        return
    try:
        restored = restore(checked, where="g.json")
    except SaveError as exc:
        one_line(exc, "g.json")
        return
    assert restored.mismatch is None or restored.mismatch.startswith("g.json: ")


def test_files_that_cannot_be_read(tmp_path, save6_bytes):
    with pytest.raises(SaveError, match="is a folder"):
        read_save(tmp_path)
    with pytest.raises(SaveError, match="no such file"):
        read_save(tmp_path / "missing.json")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (5 * 1024 * 1024))
    with pytest.raises(SaveError, match="too big"):
        read_save(big)
    if os.geteuid() != 0:  # root reads anything: the permission case only means something for a user
        locked = tmp_path / "locked.json"
        locked.write_bytes(save6_bytes)
        locked.chmod(0)
        try:
            with pytest.raises(SaveError, match="permission denied"):
                read_save(locked)
        finally:
            locked.chmod(0o600)


def test_a_refused_load_changes_nothing_on_disk(tmp_path, save6_bytes):
    path = tmp_path / "g.json"
    damaged = save6_bytes[: len(save6_bytes) // 2]
    path.write_bytes(damaged)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(SaveError):
        read_save(path)
    assert path.read_bytes() == damaged and sorted(os.listdir(tmp_path)) == before


def test_the_load_list_shows_every_file_however_broken(tmp_path, save6_bytes):
    """A 400-digit number, a 5,000-digit one, deep nesting, a FIFO (never read: it would block), a folder, a
    loop of links and a name with a newline: each is listed with its reason on one line, nothing raises."""
    from game.saves import list_saves

    (tmp_path / "good.json").write_bytes(save6_bytes)
    (tmp_path / "big-int.json").write_bytes(edit(save6_bytes, ["seed"], 10**400))
    (tmp_path / "huge-int.json").write_bytes(edit(save6_bytes, ["seed"], 10**5000))
    (tmp_path / "deep.json").write_bytes(b"[" * 50_000 + b"]" * 50_000)
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "folder.json").mkdir()
    os.symlink("loop.json", tmp_path / "loop.json")
    (tmp_path / "line\nbreak.json").write_bytes(b"{}")
    infos = {info.path.name: info for info in list_saves(tmp_path)}
    assert len(infos) == 8 and infos["good.json"].error == ""
    expected = {"big-int.json": "seed: expected a whole number", "huge-int.json": "a number too long to read",
                "deep.json": "nested too deeply", "pipe.json": "not a regular file", "folder.json": "is a folder",
                "loop.json": "cannot be read", "line\nbreak.json": "version: expected"}
    for name, fragment in expected.items():
        assert fragment in infos[name].error and infos[name].error.isprintable(), (name, infos[name].error)
