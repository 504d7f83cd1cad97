"""A scenario's onshore keys are checked like the rest: each bad value refused in one line with file and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.content import ContentError, default_content_dir, load_content

# (text to find in scenarios/2025.toml, replacement, expected part of the message)
BREAKAGES = {
    "onshore above capacity": ("onshore_wafers_per_q = { n5 = 6000.0 }", "onshore_wafers_per_q = { n5 = 95000.0 }",
                               "sides.us.onshore_wafers_per_q.n5: expected at most fab_wafers_per_q.n5 (90000)"),
    "onshore on a node without capacity": ("onshore_wafers_per_q = { n5 = 6000.0 }", "onshore_wafers_per_q = { n7 = 1.0 }",
                                           "sides.us.onshore_wafers_per_q.n7: expected at most fab_wafers_per_q.n7 (0)"),
    "onshore unknown node": ("onshore_wafers_per_q = { n5 = 6000.0 }", "onshore_wafers_per_q = { n4 = 1.0 }",
                             "sides.us.onshore_wafers_per_q.n4: unknown id"),
    "onshore negative": ("onshore_wafers_per_q = { n5 = 6000.0 }", "onshore_wafers_per_q = { n5 = -1.0 }",
                         "sides.us.onshore_wafers_per_q.n5: expected a number >= 0.0"),
    "onshore rival's chip": ('{ chip = "h20", count = 1020000, age_quarters = 1 }',
                             '{ chip = "h20", count = 1020000, age_quarters = 1, onshore = true }',
                             "sides.cn.fleet[5].onshore: 'h20' is made by us"),
    "onshore not a flag": ('{ chip = "h100", count = 400000, age_quarters = 7 }',
                           '{ chip = "h100", count = 400000, age_quarters = 7, onshore = 1 }',
                           "sides.us.fleet[2].onshore: expected true or false"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_bad_onshore_key_is_reported(tmp_path: Path, name: str) -> None:
    root = tmp_path / "content"
    shutil.copytree(default_content_dir(), root)
    old, new, expected = BREAKAGES[name]
    path = root / "scenarios" / "2025.toml"
    text = path.read_text()
    assert text.count(old) == 1, f"test setup: {old!r} not once in the scenario"
    path.write_text(text.replace(old, new))
    with pytest.raises(ContentError) as err:
        load_content(root)
    message = str(err.value)
    assert message.startswith("content/scenarios/2025.toml: "), message
    assert expected in message, message
    assert "\n" not in message


def test_onshore_defaults() -> None:
    """Absent, a side's whole capacity is onshore (China: SMIC); a fleet cohort is offshore unless it says."""
    scen = load_content().scenario("2025")
    assert scen.sides.cn.onshore_wafers_per_q is None
    assert scen.sides.us.onshore_wafers_per_q == {"n5": 6000.0}
    assert not any(c.onshore for c in scen.sides.us.fleet)
