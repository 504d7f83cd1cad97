"""The rules version: a save names the rules that made it, and the engine's arithmetic cannot change
without a new RULES_VERSION (the digests of a fixed replay are recorded per version).

When test_the_fixed_replay_has_this_rules_versions_digests fails:
- you changed the engine's arithmetic: bump RULES_VERSION in game/engine/rules_version.py, say what
  changed in its HISTORY, then record the new row;
- you changed only the content: record the row again for the same RULES_VERSION.
Record with `PYTHONPATH=. python -m tests.saves.test_rules_version` (it rewrites rules_digests.json).
"""

from __future__ import annotations

import json
import os

from game.content import load_content
from game.engine.orders import Orders
from game.engine.rules_version import HISTORY, RULES_VERSION
from game.saves import FORMAT_VERSION, list_saves, load_game, parse_save, restore, save_data
from game.session import Seat, Session

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
TABLE = os.path.join(GOLDEN, "rules_digests.json")
REPLAY = os.path.join(GOLDEN, f"v{FORMAT_VERSION}_solo.json")  # its seed and orders are the fixed replay


def fixed_replay(content) -> list[str]:
    """The start digest and every turn's digest when the golden save's orders are played from its seed."""
    with open(REPLAY, encoding="utf-8") as f:
        data = json.load(f)
    seats = tuple(Seat(data["seats"][s]["kind"], data["seats"][s]["strategy"]) for s in ("us", "cn"))
    session = Session(seats, scenario=data["scenario"], seed=data["seed"], content=content, mode=data["mode"])
    for turn in data["turns"]:
        session.apply((Orders.from_dict(turn["orders"]["us"]), Orders.from_dict(turn["orders"]["cn"])))
    return [session.start_digest] + [rec.digest for rec in session.turns]


def table() -> dict:
    with open(TABLE, encoding="utf-8") as f:
        return json.load(f)


def test_the_fixed_replay_has_this_rules_versions_digests():
    content = load_content()
    row = table()["rules"].get(str(RULES_VERSION))
    assert row is not None, f"RULES_VERSION {RULES_VERSION} has no recorded digests; record them (see {__name__})"
    assert row["content_digest"] == content.digest, (
        "the content has changed since the digests of RULES_VERSION were recorded: if the engine's arithmetic "
        f"changed too, bump RULES_VERSION; then record the row again (see {__name__})")
    assert fixed_replay(content) == row["digests"], (
        f"the same content and orders give other digests than RULES_VERSION {RULES_VERSION} recorded: the engine's "
        "arithmetic changed, so bump RULES_VERSION in game/engine/rules_version.py and record the new row")


def test_every_rules_version_has_a_history_line_and_a_row():
    assert sorted(HISTORY) == list(range(1, RULES_VERSION + 1))
    assert sorted(int(v) for v in table()["rules"]) == list(range(1, RULES_VERSION + 1))


def test_the_rules_1_row_is_what_the_golden_saves_of_that_time_hold():
    with open(os.path.join(GOLDEN, "v2_solo.json"), encoding="utf-8") as f:
        old = json.load(f)
    assert table()["rules"]["1"]["digests"] == [old["start_digest"]] + [t["digest"] for t in old["turns"]]


def test_an_old_save_says_which_rules_made_it_and_offers_its_last_match():
    content = load_content()
    for name in ("v1_solo", "v2_watch"):
        path = os.path.join(GOLDEN, f"{name}.json")
        restored = load_game(path, content)
        assert restored.matched_turns == 0 and restored.session.turn == 0
        assert f"made by rules version 1 and this game plays rules version {RULES_VERSION}" in restored.mismatch
    infos = {i.name: i for i in list_saves(GOLDEN)}
    assert all(not infos[n].error for n in ("v1_solo", "v2_solo", "v3_solo")), infos


def test_a_save_names_the_rules_that_made_it(tmp_path):
    session = Session((Seat("human"), Seat("ai", "balanced")), seed=3)
    session.submit(0, session.advisor(0).opening())
    session.resolve()
    data = save_data(session)
    assert data["rules_version"] == RULES_VERSION
    assert restore(parse_save(json.dumps(data).encode())).mismatch is None
    newer = dict(data, rules_version=RULES_VERSION + 1, start_digest="c" * 64)
    mismatch = restore(parse_save(json.dumps(newer).encode()), where="new.json").mismatch
    assert (f"new.json: the starting position differs from the save's: it was made by rules version "
            f"{RULES_VERSION + 1} (a newer release than this one) and this game plays rules version {RULES_VERSION}"
            == mismatch)


if __name__ == "__main__":
    current = load_content()
    recorded = table()
    recorded["rules"][str(RULES_VERSION)] = {"content_digest": current.digest, "digests": fixed_replay(current)}
    with open(TABLE, "w", encoding="utf-8") as f:
        f.write(json.dumps(recorded, indent=1) + "\n")
    print(f"recorded the digests of rules version {RULES_VERSION} in {TABLE}")
