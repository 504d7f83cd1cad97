"""The settings file (first-quarter guide dismissed) and a new game's seed: missing, corrupt, hostile, written."""

from __future__ import annotations

import os

import pytest

from game.settings import ENV_CONFIG, FILE_NAME, SEED_BELOW, Settings, load_settings, new_seed, save_settings


def test_a_missing_file_is_the_defaults_silently(tmp_path):
    assert load_settings(tmp_path / "nowhere") == (Settings(), "")


def test_dismissing_is_written_atomically_and_read_back(tmp_path):
    folder = tmp_path / "new" / "config"
    path = save_settings(Settings(guide_dismissed=True), folder)
    assert path == folder / FILE_NAME and load_settings(folder) == (Settings(guide_dismissed=True), "")
    assert [p.name for p in folder.iterdir()] == [FILE_NAME]  # no temporary file left behind


def test_the_env_var_names_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_CONFIG, str(tmp_path))
    save_settings(Settings(guide_dismissed=True))
    assert (tmp_path / FILE_NAME).is_file() and load_settings()[0].guide_dismissed


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe", b"[]", b'{"guide_dismissed": "yes"}', b"NaN",
                                 b'{"guide_dismissed": ' + b"[" * 5000 + b"]" * 5000 + b"}", b"x" * 70_000])
def test_a_corrupt_file_is_one_line_and_the_defaults(tmp_path, raw):
    (tmp_path / FILE_NAME).write_bytes(raw)
    settings, problem = load_settings(tmp_path)
    assert settings == Settings() and problem and "\n" not in problem and FILE_NAME in problem
    assert "using the default settings" in problem


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_symlinked_file_is_neither_followed_nor_replaced(tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text('{"guide_dismissed": true}')
    (tmp_path / FILE_NAME).symlink_to(target)
    settings, problem = load_settings(tmp_path)
    assert settings == Settings() and "symbolic link" in problem and "\n" not in problem
    with pytest.raises(OSError) as err:
        save_settings(Settings(guide_dismissed=False), tmp_path)
    assert "symbolic link" in str(err.value) and target.read_text() == '{"guide_dismissed": true}'


def test_a_folder_in_place_of_the_file_is_one_line(tmp_path):
    (tmp_path / FILE_NAME).mkdir()
    settings, problem = load_settings(tmp_path)
    assert settings == Settings() and "folder" in problem


def test_new_seeds_are_short_and_differ():
    seeds = {new_seed() for _ in range(50)}
    assert all(0 <= s < SEED_BELOW for s in seeds) and len(seeds) > 40
