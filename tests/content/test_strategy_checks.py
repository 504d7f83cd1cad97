"""Strategies checked like content; content check collects every error; --content anywhere; modded replays."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.ai import StrategyError, load_strategy
from game.cli import main
from game.content import ContentErrors, default_content_dir, load_content
from game.content.vocab import FIGURE_MEANINGS, MODIFIER_MEANINGS, MODIFIERS, STOCK_MEANINGS, STOCKS
from game.schema import FIGURES

BALANCED = default_content_dir() / "strategies" / "balanced.toml"


def strategy(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "mine.toml"
    text = BALANCED.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


def refused(path: Path) -> str:
    with pytest.raises(StrategyError) as info:
        load_strategy(str(path))
    return str(info.value)


def test_misspelled_policy_id_is_an_error_with_a_suggestion(tmp_path) -> None:
    message = refused(strategy(tmp_path, 'id = "big_fund"', 'id = "relase_weights"'))
    assert "action 'relase_weights'.id: expected a policy id" in message
    assert "did you mean 'release_weights'?" in message


def test_turn_outside_every_phase_is_an_error(tmp_path) -> None:
    message = refused(strategy(tmp_path, "turns = [13, 400]", "turns = [15, 400]"))
    assert "phase: turns 13-14 fall in no phase" in message


def test_phases_ending_early_leave_the_last_turns_out(tmp_path) -> None:
    message = refused(strategy(tmp_path, "turns = [13, 400]", "turns = [13, 39]"))
    assert "turn 40 falls in no phase" in message


def test_unknown_field_suggests_the_near_one(tmp_path) -> None:
    message = refused(strategy(tmp_path, 'field = "self.treasury_busd", op = "<"', 'field = "self.treasury", op = "<"'))
    assert "'self.treasury' is not a figure a strategy sees (did you mean 'self.treasury_busd'?)" in message


def test_a_policy_of_the_other_side_is_an_error(tmp_path) -> None:
    message = refused(strategy(tmp_path, 'id = "big_fund"\n', 'id = "big_fund"\nside = "us"\n'))
    assert "'big_fund' is a cn policy" in message


def test_every_strategy_error_is_listed_by_content_check(tmp_path, capsys) -> None:
    path = strategy(tmp_path, 'id = "big_fund"', 'id = "relase_weights"')
    path.write_text(path.read_text().replace("turns = [13, 400]", "turns = [15, 400]"))
    assert main(["content", "check", str(path)]) == 2
    _, err = capsys.readouterr()
    lines = err.strip().split("\n")
    assert len(lines) == 2 and all(line.startswith(f"{path}: ") for line in lines)
    # sim and play give the first of them in one line, and exit 2
    for args in (["sim", "--games", "1", "--us", str(path)], ["play", "--difficulty", str(path)]):
        assert main(args) == 2
        _, err = capsys.readouterr()
        assert err.count("\n") == 1 and "relase_weights" in err and "1 more error" in err


def test_omitted_category_is_a_warning(tmp_path, capsys) -> None:
    path = strategy(tmp_path, "fabs = 0.06, lithography = 0.025, ", "")
    assert load_strategy(str(path)).warnings
    assert main(["content", "check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "strategy OK" in out
    assert err.startswith(f"warning: {path}: phase[0].allocation: no share for fabs, lithography: they get nothing")


def test_strategy_files_are_checked_without_the_command_line(tmp_path) -> None:
    """game/ai/scripted.py check_scripted: every file checked in turn, errors and warnings as lines in file order,
    a file that fails counted and the next still checked (what `content check` prints, but for any caller)."""
    from game.ai.registry import known_of
    from game.ai.scripted import check_scripted

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    broken = strategy(tmp_path / "a", 'id = "big_fund"', 'id = "relase_weights"')
    broken.write_text(broken.read_text().replace("turns = [13, 400]", "turns = [15, 400]"))
    sparse = strategy(tmp_path / "b", "fabs = 0.06, lithography = 0.025, ", "")
    checked = check_scripted([(broken, "broken.toml"), (sparse, "sparse.toml"), (BALANCED, "balanced.toml")],
                             known_of(None))
    assert checked.errors == 2 and len(checked.lines) == 3
    assert all(line.startswith("broken.toml: ") for line in checked.lines[:2])
    assert "relase_weights" in checked.lines[0] and "turns 13-14 fall in no phase" in checked.lines[1]
    assert checked.lines[2].startswith("warning: sparse.toml: phase[0].allocation: no share for fabs, lithography")
    assert check_scripted([(BALANCED, "balanced.toml")], known_of(None)) == type(checked)((), 0)


def test_content_check_reports_every_error_in_one_run(tmp_path, capsys) -> None:
    root = tmp_path / "content"
    shutil.copytree(default_content_dir(), root)
    chips = root / "chips.toml"
    chips.write_text(chips.read_text().replace('node = "n7"', 'node = "n77"', 1).replace("hbm_gb = 80.0", "hbm_gbs = 80.0", 1))
    scoring = root / "scoring.toml"
    scoring.write_text(scoring.read_text().replace("mindshare = 0.20", "mindshare = 0.25"))
    with pytest.raises(ContentErrors) as info:
        load_content(root)
    lines = info.value.lines()
    assert len(lines) == 3, lines
    assert any("chip 'a100'.node: expected a node id" in line and "did you mean 'n7'?" in line for line in lines)
    assert any(".hbm_gbs: unknown key (did you mean 'hbm_gb'?)" in line and "(line " in line for line in lines)
    assert any("add up to 1, found" in line and "not normalised" in line for line in lines)
    assert main(["content", "check", str(root)]) == 2
    _, err = capsys.readouterr()
    assert err.strip().split("\n") == lines


def test_content_option_after_the_command(tmp_path, capsys) -> None:
    root = tmp_path / "mod"
    shutil.copytree(default_content_dir(), root)
    assert main(["sim", "--games", "1", "--content", str(root)]) == 0
    capsys.readouterr()
    assert main(["sim", "--games", "1", "--content", str(tmp_path / "nowhere")]) == 2
    _, err = capsys.readouterr()
    assert "content folder not found" in err
    assert main(["content", "check", "--content", str(root)]) == 0


def test_replaying_a_modded_save_without_its_content_names_the_option(tmp_path, capsys) -> None:
    root = tmp_path / "mod"
    shutil.copytree(default_content_dir(), root)
    rules = root / "rules.toml"
    rules.write_text(rules.read_text().replace("mfu = 0.40", "mfu = 0.30"))
    assert main(["sim", "--games", "1", "--content", str(root), "--saves", str(tmp_path / "s")]) == 0
    capsys.readouterr()
    save = next((tmp_path / "s").glob("*.json"))
    assert json.loads(save.read_text())["content_digest"] == load_content(root).digest
    assert main(["replay", str(save)]) == 1
    _, err = capsys.readouterr()
    assert "content has changed" in err and "--content DIR" in err and err.count("\n") == 1
    assert main(["replay", str(save), "--content", str(root)]) == 0


def test_vocabulary_names_have_meanings() -> None:
    assert set(MODIFIER_MEANINGS) == set(MODIFIERS)
    assert set(STOCK_MEANINGS) == set(STOCKS)
    assert set(FIGURE_MEANINGS) == {fig.name for fig in FIGURES}


def test_vocab_command(capsys) -> None:
    assert main(["content", "vocab"]) == 0
    out, _ = capsys.readouterr()
    for name in ("forbids_active", "requires_active", "smuggle_kchips", "self.NAME", "lead_months"):
        assert name in out


def test_shipped_content_checks_without_a_warning(capsys) -> None:
    assert main(["content", "check"]) == 0
    _, err = capsys.readouterr()
    assert err == ""


def test_a_chip_on_no_ladder_is_a_warning(tmp_path, capsys) -> None:
    root = tmp_path / "content"
    shutil.copytree(default_content_dir(), root)
    chips = root / "chips.toml"
    chips.write_text(chips.read_text() + '\n[[chip]]\nid = "newchip"\nname = "New"\nmaker = "us"\nbf16_tflops = 5000.0\n'
                     'server_kw = 1.5\nprice_kusd = 40.0\ndie_mm2 = 800.0\nnode = "n3"\nyear = 2027\n')
    assert main(["content", "check", str(root)]) == 0
    _, err = capsys.readouterr()
    assert err.startswith("warning: content/chips.toml: chip 'newchip': on no scenario's design_ladder")
