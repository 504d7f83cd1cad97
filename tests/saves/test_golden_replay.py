"""The golden saves still replay turn for turn: the same content values reproduce the same game."""

from __future__ import annotations

import os

import pytest

from game.saves import parse_save, restore

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")


@pytest.mark.parametrize("name", ["v1_solo", "v1_watch", "v2_solo", "v2_watch"])
def test_golden_save_replays_every_turn(name):
    with open(os.path.join(GOLDEN, f"{name}.json"), "rb") as f:
        data = parse_save(f.read(), f"{name}.json")
    restored = restore(data, where=f"{name}.json")
    assert restored.mismatch is None
    assert restored.matched_turns == len(data["turns"]) > 0
