"""The small defects a new player found (issue 13, part 7): each test fails on the code before its fix."""

from __future__ import annotations

import re

from game.content import load_content
from game.content.model import Effect
from game.tui.codex import commented_values, effect_text, topics


def codex_text() -> str:
    return "\n".join(t.body for t in topics(load_content()))


def test_codex_writes_a_negative_change_with_one_sign():
    text = codex_text()
    assert "+-" not in text and "×-" not in text
    assert "export_tier (us) −1" in text                      # license sales, rule rescinded
    effects = [Effect(kind="stock", target="export_tier", side="us", op="add", value=-1.0),
               Effect(kind="modifier", target="fab_cost", side="self", op="mul", value=0.75)]
    assert effect_text(effects) == "export_tier (us) −1, fab_cost (self) ×0.75"


def test_codex_never_says_a_thing_twice_or_counts_quarters_from_zero():
    text = codex_text()
    assert not re.search(r"\((\w+)\) \(`?\1`?\)", text)       # "Before the controls (2022) (2022)"
    assert "quarter(s)" not in text and not re.search(r"\b1 quarters\b|\b0 quarters\b", text)
    assert not re.search(r"\bquarters? 0\b", text)            # the player's first quarter is quarter 1
    assert "$0B" not in text and "\n\n\n" not in text


def test_codex_comment_carries_on_over_indented_lines(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[money]\nshare = 0.5   # the rest leaves (dividends,\n              # taxes) -> gone, +-5%\n"
                    "other = 1 # next\n", encoding="utf-8")
    notes = commented_values(path)
    assert notes["money.share"] == ("0.5", "the rest leaves (dividends, taxes) → gone, ±5%")
    assert notes["money.other"] == ("1", "next")
