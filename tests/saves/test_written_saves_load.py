"""What the game writes, it reads: every save made from an accepted strategy, scenario and path loads and verifies
(issue 27 item 6). Display texts are cut to their caps when written; a scenario or strategy path is kept whole."""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import game.saves as saves
from game.ai import StrategyError, load_strategy
from game.atomic import PATH_CHARS
from game.cli import main
from game.content import ContentError, default_content_dir, find_scenario, load_content
from game.saves import (
    NAME_CAP,
    REASONS_CAP,
    SCENARIO_CAP,
    SaveError,
    autosave,
    encode_save,
    load_game,
    read_save,
    save_data,
    write_save,
)
from game.session import Seat, Session
from game.sim.runner import run_games
from game.text import CONTROL_CODES
from tests.budget import examples
from tests.fuzz.tomlw import dumps
from tests.tui.conftest import short_scenario

PROPERTY_RUNS = 12
CONTENT = load_content()
SCRIPT = tomllib.loads((default_content_dir() / "strategies" / "all_in_scale.toml").read_text(encoding="utf-8"))


def strategy_file(path: Path, name: str, note: str = "deep in debt") -> str:
    """all_in_scale under another name, its note given every quarter (so it is in every line of reasons)."""
    script = {**SCRIPT, "name": name, "adjust": [{**SCRIPT["adjust"][0], "note": note, "when": []}]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(script), encoding="utf-8")
    return str(path)


def scenario_file(path: Path, turns: int = 3) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(short_scenario(path.parent, turns), path)
    return str(path)


def play_out(session: Session) -> Session:
    while not session.over:
        for side in session.humans:
            session.submit(side, session.advisor(side).opening())
        session.resolve()
    return session


def loads_and_verifies(path: str | Path, turns: int) -> dict:
    data = read_save(path)
    restored = load_game(path, CONTENT)
    assert restored.mismatch is None and restored.matched_turns == turns == len(data["turns"]), restored.mismatch
    return data


def deep(root: Path, total_chars: int, leaf: str) -> Path:
    """A path under `root` `total_chars` long (or the shortest there is): folders of up to 100 characters, then
    `leaf`."""
    path = root
    while (room := total_chars - len(str(path)) - len(leaf) - 2) > 0:
        path = path / ("d" * min(room, 100))
    return path / leaf


# -- the reproductions ----------------------------------------------------------------------------------------
def test_a_strategy_name_over_2000_characters_passes_the_check_and_its_autosaves_load(capsys, tmp_path):
    """It used to pass `content check`, then every autosave was refused ("turns[0].reasons: expected an object of
    one-line reasons"): the reasons line starts with the name."""
    spec = strategy_file(tmp_path / "long.toml", "N" * 2100)
    assert main(["content", "check", spec]) == 0, capsys.readouterr().err
    session = Session((Seat("human"), Seat("ai", spec)), scenario=short_scenario(tmp_path, 3), seed=3,
                      content=CONTENT)
    play_out(session)
    path = autosave(session, tmp_path)
    data = loads_and_verifies(path, 3)
    reasons = data["turns"][0]["reasons"]["cn"]
    assert len(reasons) == REASONS_CAP.chars and reasons.endswith("...") and reasons.startswith("N" * 100)
    assert data["seats"]["cn"]["strategy"] == spec  # the strategy itself is kept whole


@pytest.mark.parametrize("leaf", ["balanced.toml", "b" * 200 + ".toml"], ids=["short names", "names of 200"])
def test_sim_saves_with_two_long_strategy_paths_load_and_verify(capsys, tmp_path, leaf):
    """Two ~105-character strategy paths made a name of over 200 characters ("name: expected text"); two long
    file names made a save's file name over 255 bytes."""
    us = strategy_file(deep(tmp_path / "u", 105, leaf), "Us")
    cn = strategy_file(deep(tmp_path / "c", 105, leaf), "Cn")
    out = tmp_path / "out"
    assert main(["sim", "--games", "2", "--scenario", short_scenario(tmp_path, 3), "--us", us, "--cn", cn,
                 "--saves", str(out)]) == 0, capsys.readouterr().err
    written = sorted(out.iterdir())
    assert len(written) == 2
    for path in written:
        data = loads_and_verifies(path, 3)
        assert (data["seats"]["us"]["strategy"], data["seats"]["cn"]["strategy"]) == (us, cn)
        assert len(data["name"]) <= NAME_CAP.chars
        capsys.readouterr()
        assert main(["replay", "--verify", str(path)]) == 0, capsys.readouterr().err


def test_a_600_character_scenario_path_save_loads(capsys, tmp_path):
    """A --scenario path over 500 characters made saves refused as "scenario: expected a scenario id or path"."""
    scenario = scenario_file(deep(tmp_path, 600, "s.toml"))
    assert len(scenario) == 600
    session = play_out(Session((Seat("human"), Seat("ai", "balanced")), scenario=scenario, seed=2, content=CONTENT))
    assert loads_and_verifies(write_save(tmp_path / "g.json", session), 3)["scenario"] == scenario
    out = tmp_path / "sim"
    assert main(["sim", "--games", "1", "--scenario", scenario, "--saves", str(out)]) == 0, capsys.readouterr().err
    (path,) = out.iterdir()
    assert loads_and_verifies(path, 3)["scenario"] == scenario


# -- the caps, where they are applied --------------------------------------------------------------------------
def test_a_spec_longer_than_any_path_is_refused_where_it_is_given(capsys):
    """A save keeps a scenario or strategy whole, up to PATH_CHARS: one longer is refused at the command line
    (a `-without:` list of repeated ids was the only way to give one), in one line, before any game."""
    listed = "normal-without:" + "+".join(["stockpile"] * (PATH_CHARS // 9))
    with pytest.raises(StrategyError, match="characters"):
        load_strategy(listed)
    with pytest.raises(ContentError, match="characters"):
        find_scenario(CONTENT, "s" * (PATH_CHARS + 1) + ".toml")
    code = main(["sim", "--games", "1", "--us", listed])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "characters" in err
    with pytest.raises(SaveError, match="nothing was written"):
        SCENARIO_CAP.fit("s" * (PATH_CHARS + 1))


def test_a_save_too_big_for_the_reader_has_its_reasons_cut_until_it_fits(tmp_path, monkeypatch):
    """JSON writes a character outside ASCII as up to 12 bytes: long reasons over a long game could pass MAX_BYTES.
    The writer cuts them (display text) until the save fits, and refuses one too big without them."""
    spec = strategy_file(tmp_path / "wide.toml", "\U0001f600" * 1990)
    session = play_out(Session((Seat("ai", spec), Seat("ai", spec)), scenario=short_scenario(tmp_path, 3), seed=1,
                               content=CONTENT))
    full = len(encode_save(save_data(session)))
    monkeypatch.setattr(saves, "MAX_BYTES", full // 3)
    data = loads_and_verifies(write_save(tmp_path / "g.json", session), 3)
    assert 0 < len(data["turns"][0]["reasons"]["us"]) < REASONS_CAP.chars
    monkeypatch.setattr(saves, "MAX_BYTES", 1000)
    with pytest.raises(SaveError, match="nothing was written"):
        write_save(tmp_path / "g.json", session)
    monkeypatch.undo()
    assert read_save(tmp_path / "g.json") == data  # the earlier save is untouched


# -- the property: any accepted strategy, scenario and path ---------------------------------------------------
# Any character a TOML file (UTF-8) can hold that content accepts in text (no control characters: game/text.py)
NAME_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="".join(map(chr, sorted(CONTROL_CODES))))
SAVE_CHARS = st.characters(exclude_categories=("Cs",))  # a save's own name is the player's: any text at all
SAVE_TEXTS = st.one_of(st.text(SAVE_CHARS, max_size=40), st.builds(lambda c, n: c * n, SAVE_CHARS, st.integers(150, 3000)))
TEXTS = st.one_of(st.text(NAME_CHARS, max_size=40),
                  st.builds(lambda c, n: c * n, NAME_CHARS, st.integers(150, 3000)),
                  st.builds(lambda a, b, n: (a + b) * n, st.text(NAME_CHARS, min_size=1, max_size=3),
                            st.text(NAME_CHARS, max_size=3), st.integers(50, 800)))
# One part of a path: no '/', no NUL, not '.' or '..', within a file name's 255 bytes (with '.toml' added).
PATH_CHARS_OK = st.characters(exclude_categories=("Cs",), exclude_characters="/\0")
PART = (st.text(PATH_CHARS_OK, min_size=1, max_size=60) | st.builds(lambda c, n: c * n, PATH_CHARS_OK,
                                                                   st.integers(100, 240))).map(
    lambda s: s.encode("utf-8")[:240].decode("utf-8", "ignore") or "x").filter(lambda s: s not in (".", ".."))
# Up to 14 parts of 241 bytes: with the temp folder and the leaf, within the 4,096 bytes a path may have.
FOLDERS = st.lists(PART, max_size=4) | st.builds(lambda p, n: [p] * n, PART, st.integers(1, 14))


@st.composite
def game_paths(draw) -> tuple[list[str], list[str], list[str]]:
    return draw(FOLDERS), draw(FOLDERS), draw(FOLDERS)


@settings(max_examples=examples(PROPERTY_RUNS), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(name=TEXTS, note=TEXTS, save_name=SAVE_TEXTS, where=game_paths(), leaf=PART, human_us=st.booleans(),
       seed=st.integers(0, 2**63 - 1))
@example(name="N" * 2100, note="", save_name="", where=([], [], []), leaf="s", human_us=True, seed=3)
@example(name="x", note="\U0001f600\u00e9" * 300, save_name="\x1b]2;T\x07\n" * 300, where=(["d" * 100], ["e" * 200] * 3, []),
         leaf="b" * 100, human_us=False, seed=2**63 - 1)
def test_any_save_the_game_writes_loads_and_verifies(name, note, save_name, where, leaf, human_us, seed):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        strategy_at, scenario_at, saves_at = (root.joinpath(str(k), *parts) for k, parts in enumerate(where))
        spec = strategy_file(strategy_at / f"{leaf}.toml", name, note)
        scenario = scenario_file(scenario_at / f"{leaf}.toml")
        load_strategy(spec, CONTENT.root)  # accepted: what `content check` and every command take
        seats = (Seat("human") if human_us else Seat("ai", spec), Seat("ai", spec))
        session = play_out(Session(seats, scenario=scenario, seed=seed, content=CONTENT))
        saves_at.mkdir(parents=True, exist_ok=True)
        for path in (write_save(saves_at / "named.json", session, save_name), autosave(session, saves_at)):
            data = loads_and_verifies(path, session.turn)
            assert data["scenario"] == scenario and data["seats"]["cn"]["strategy"] == spec
        (saves_at / "sim").mkdir()
        (played,) = run_games(CONTENT, scenario, spec, "balanced", [seed], saves_dir=str(saves_at / "sim"))
        (path,) = (saves_at / "sim").iterdir()
        assert loads_and_verifies(path, played["turns"])["seats"]["us"]["strategy"] == spec
