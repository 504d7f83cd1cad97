"""Saves: what they hold, replay with digests checked, names, autosave rotation, migrations, the folder."""

from __future__ import annotations

import copy
import json
import os

import pytest

from game.saves import (
    FORMAT_VERSION,
    MIGRATIONS,
    SaveError,
    autosave,
    game_id,
    list_saves,
    load_game,
    parse_save,
    read_save,
    restore,
    safe_name,
    save_data,
    save_path,
    saves_dir,
    write_save,
)
from game.session import Seat
from tests.saves.conftest import played

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")


def test_a_save_replays_to_the_same_game(tmp_path, game6):
    path = write_save(tmp_path / "g.json", game6, "mine")
    restored = load_game(path)
    assert restored.mismatch is None and restored.matched_turns == 6
    s = restored.session
    assert s.turn == game6.turn and s.world.digest() == game6.world.digest()
    assert [r.orders for r in s.turns] == [r.orders for r in game6.turns]
    assert s.seats == game6.seats and s.mode == "solo"
    assert s.turns[2].report.reasons[1] == game6.turns[2].report.reasons[1]  # the AI's reasons come back too
    # and the game goes on from there: the AI seat still decides
    s.submit(0, s.advisor(0).opening())
    s.resolve()
    assert s.turn == 7


def test_the_save_holds_orders_and_digests_not_state(game6):
    data = save_data(game6, "x")
    assert data["version"] == FORMAT_VERSION and data["content_digest"] == game6.content.digest
    assert len(data["turns"]) == 6 and all(len(t["digest"]) == 64 for t in data["turns"])
    assert set(data["turns"][0]["orders"]["us"]) == {"allocation", "split", "actions", "onshore"}


def test_a_changed_order_is_caught_at_its_turn_and_play_can_continue_from_the_last_match(game6):
    data = save_data(game6)
    data["turns"][3]["orders"]["us"]["allocation"]["research"] *= 0.5  # research money is always spent
    restored = restore(parse_save(json.dumps(data).encode(), "g.json"), where="g.json")
    assert restored.matched_turns == 3 and restored.session.turn == 3
    assert "turn 4" in restored.mismatch and "same content and rules version" in restored.mismatch


def test_a_save_from_other_content_says_so(game6):
    data = save_data(game6)
    data["content_digest"] = "a" * 64
    data["turns"][1]["digest"] = "b" * 64
    restored = restore(data, where="g.json")
    assert restored.matched_turns == 1 and "content has changed" in restored.mismatch


def test_to_turn_stops_early(game6):
    restored = restore(save_data(game6), to_turn=2)
    assert restored.mismatch is None and restored.session.turn == 2


def test_a_newer_version_is_refused_naming_both(save6_bytes):
    data = json.loads(save6_bytes)
    data["version"] = FORMAT_VERSION + 1
    with pytest.raises(SaveError, match=f"format version {FORMAT_VERSION + 1}.*reads \\({FORMAT_VERSION}\\)"):
        parse_save(json.dumps(data).encode(), "new.json")


def to_v1(data: dict) -> dict:
    """What the first draft of the format held (the inverse of v1_to_v2, for a test)."""
    seats = data["seats"]
    return {"version": 1, "content_digest": data["content_digest"], "scenario": data["scenario"], "seed": data["seed"],
            "players": {s: "human" if seats[s]["kind"] == "human" else seats[s]["strategy"] for s in ("us", "cn")},
            "start_digest": data["start_digest"],
            "turns": [{"us": t["orders"]["us"], "cn": t["orders"]["cn"], "digest": t["digest"]} for t in data["turns"]]}


def golden(version: int, name: str) -> dict:
    with open(os.path.join(GOLDEN, f"v{version}_{name}.json"), encoding="utf-8") as f:
        return json.load(f)


@pytest.mark.parametrize("name", ["solo", "watch"])
@pytest.mark.parametrize("version", range(1, FORMAT_VERSION))
def test_each_migration_step_matches_its_golden_files(version, name):
    older = golden(version, name)
    assert MIGRATIONS[version](copy.deepcopy(older), "golden") == golden(version + 1, name)
    assert parse_save(json.dumps(older).encode(), "golden") == golden(FORMAT_VERSION, name)  # the chain, checked


def test_every_version_step_has_a_migration():
    assert sorted(MIGRATIONS) == list(range(1, FORMAT_VERSION))


def test_a_migrated_save_of_a_real_game_replays(game6):
    v1 = to_v1(save_data(game6))
    restored = restore(parse_save(json.dumps(v1).encode(), "old.json"))
    assert restored.mismatch is None and restored.session.world.digest() == game6.world.digest()


@pytest.mark.parametrize("name, stem", [("my game", "my-game"), ("Q3 2026.json", "Q3-2026"), ("a_b-c.1", "a_b-c.1")])
def test_safe_names(name, stem):
    assert safe_name(name) == stem


@pytest.mark.parametrize("name", ["", "   ", "../x", "a/b", "a\\b", "/etc/passwd", "..", ".hidden", "a\x00b", "tab\tname",
                                  "x" * 65, "naïve?", "C:evil", "~root"])
def test_unsafe_names_are_refused(name):
    with pytest.raises(SaveError):
        safe_name(name)


def test_save_path_stays_in_the_folder(tmp_path):
    assert save_path(tmp_path, "ok name").parent == tmp_path


def test_autosave_keeps_the_last_five(tmp_path):
    s = played(0, (Seat("ai", "balanced"), Seat("ai", "normal")))
    for _ in range(8):
        s.resolve()
        autosave(s, tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    own = game_id(s)
    assert names == [f"autosave-{own}-q{t:02d}.json" for t in range(5, 10)]  # the quarter each resumes in
    assert [len(read_save(tmp_path / n)["turns"]) for n in names] == [4, 5, 6, 7, 8]


def test_saves_dir_choice(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPUTE_RACE_SAVES", str(tmp_path / "env"))
    assert saves_dir(tmp_path / "flag") == tmp_path / "flag" and (tmp_path / "flag").is_dir()
    assert saves_dir() == tmp_path / "env"
    monkeypatch.delenv("COMPUTE_RACE_SAVES")
    assert saves_dir().name == "saves"  # the checkout's folder when run from source
    (tmp_path / "file").write_text("x")
    with pytest.raises(SaveError, match="is a file"):
        saves_dir(tmp_path / "file")


def test_list_saves_shows_broken_files_without_failing(tmp_path, game6):
    write_save(tmp_path / "good.json", game6, "good")
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / ".g.json.123.tmp").write_text("half")
    infos = {i.name: i for i in list_saves(tmp_path)}
    assert set(infos) == {"good", "bad"}
    assert infos["good"].turn == 6 and not infos["good"].error and infos["good"].mode == "solo"
    assert "not valid JSON" in infos["bad"].error


def test_writing_over_a_folder_is_refused(tmp_path, game6):
    (tmp_path / "d.json").mkdir()
    with pytest.raises(SaveError, match="is a folder"):
        write_save(tmp_path / "d.json", game6)


def test_a_40_turn_save_is_small(tmp_path):
    s = played(40, (Seat("ai", "normal"), Seat("ai", "normal")), seed=2)
    size = write_save(tmp_path / "long.json", s).stat().st_size
    assert size < 64 * 1024, size
