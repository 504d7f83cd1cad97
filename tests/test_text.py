"""Text from outside is shown on one line: escaped, quoted, cut; every error a user sees is one line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai import StrategyError
from game.atomic import AtomicWriteError
from game.cli.base import UsageError
from game.content import ContentError
from game.engine import OrderError
from game.saves import SaveError
from game.text import cut, digits_of, escape, join, key_text, one_line, path_text, quote
from tests.budget import examples


def printable_line(text: str) -> bool:
    return text.isprintable()


@settings(max_examples=examples(300))
@given(st.text())
def test_any_text_escapes_to_one_printable_line(text):
    shown = escape(text)
    assert printable_line(shown)
    assert shown == text or not text.isprintable()
    assert printable_line(quote(text)) and len(quote(text)) <= 62
    assert printable_line(key_text(text)) and printable_line(path_text(text)) and printable_line(one_line(text))


@pytest.mark.parametrize("text, shown", [
    ("\n", "'\\n'"),
    ("a\tb", "'a\\tb'"),
    ("\x1b[31m", "'\\x1b[31m'"),
    ("\u2028", "'\\u2028'"),
    ("\U000e0001", "'\\U000e0001'"),
    ("it's", "'it\\'s'"),
    ("back\\slash", "'back\\\\slash'"),
    ("x" * 100, "'" + "x" * 57 + "...'"),
])
def test_quote_examples(text, shown):
    assert quote(text) == shown


NUMBERS = [
    (7, "7"), (-3, "-3"), (10**15 - 1, "999999999999999"), (10**15, "a whole number of 16 digits"),
    (10**400, "a whole number of 401 digits"), (-(10**5000), "a whole number of 5,001 digits"),
    (True, "true"), (None, "null"), (2.5, "2.5"), (float("inf"), "inf"),
]


@pytest.mark.parametrize("value, shown", NUMBERS, ids=[shown for _, shown in NUMBERS])
def test_quote_numbers_never_print_a_huge_one(value, shown):
    assert quote(value) == shown


@given(st.integers(min_value=-(10**200), max_value=10**200))
def test_digits_of_counts_decimal_digits(n):
    assert digits_of(n) == len(str(abs(n)))


def test_keys_paths_and_cuts():
    assert key_text("allocation") == "allocation" and key_text("a-b_1") == "a-b_1"
    assert key_text("\n") == "'\\n'" and key_text("a.b") == "'a.b'" and key_text("") == "''"
    assert key_text("0\n") == "'0\\n'"  # found by make fuzz: a "$" anchor let a final newline through
    assert join("orders.us", "compute") == "orders.us.compute" and join("", "x y") == "'x y'"
    assert path_text("saves/my game.json") == "saves/my game.json"
    assert path_text("bad\nname.json") == "'bad\\nname.json'"
    assert cut("abcdef", 5) == "ab..." and cut("abc", 5) == "abc"


@pytest.mark.parametrize("make", [
    lambda m: SaveError(m), lambda m: OrderError(m), lambda m: StrategyError(m), lambda m: UsageError(m),
    lambda m: AtomicWriteError(m), lambda m: ContentError("a\nb.toml", "key.\n", m),
], ids=["save", "order", "strategy", "usage", "write", "content"])
def test_every_error_a_user_sees_is_one_line(make):
    text = str(make("first line\nsecond line\r\x1b[2J" + "z" * 2000))
    assert printable_line(text) and "second line" in text and len(text) <= 600


def test_an_effects_change_reads_with_a_minus_sign_never_plus_minus():
    from game.text import change_text

    assert [change_text("add", 1), change_text("add", -25), change_text("mul", 0.5), change_text("set", 1)] == \
        ["+1", "−25", "×0.5", "= 1"]
