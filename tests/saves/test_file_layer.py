"""The file layer under attack and bad luck: planted links, non-regular targets, failed writes, shared folders."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from game.atomic import AtomicWriteError, atomic_write
from game.saves import SaveError, autosave, game_id, read_save, safe_name
from game.session import Seat, Session
from tests.saves.conftest import played


def listing(folder) -> dict[str, bytes]:
    """Every entry of a folder (hidden ones too) with its bytes, links and FIFOs by what they are."""
    out = {}
    for p in sorted(folder.iterdir()):
        mode = os.lstat(p).st_mode
        out[p.name] = p.read_bytes() if stat.S_ISREG(mode) else f"mode {stat.S_IFMT(mode):o}".encode()
    return out


def test_a_planted_link_at_a_temp_name_is_never_followed(tmp_path, monkeypatch):
    """The old names (.NAME.PID.tmp, .NAME.tmp-PID) and even a guessed random name hold a link to a victim."""
    from game.cli import common

    saves, victim = tmp_path / "saves", tmp_path / "victim.txt"
    saves.mkdir()
    victim.write_text("precious")
    pid = os.getpid()
    for name in (f".g.json.{pid}.tmp", f".out.json.tmp-{pid}", ".g.json.0123456789abcdef.tmp",
                 ".out.json.0123456789abcdef.tmp"):
        os.symlink(victim, saves / name)
    guesses = iter(["0123456789abcdef"] * 3)
    real = __import__("secrets").token_hex
    monkeypatch.setattr("secrets.token_hex", lambda n=None: next(guesses, None) or real(n))
    atomic_write(saves / "g.json", b"save")
    guesses = iter(["0123456789abcdef"] * 3)
    common.write_json(str(saves / "out.json"), {"a": 1})
    assert victim.read_text() == "precious"
    assert (saves / "g.json").read_bytes() == b"save" and b'"a": 1' in (saves / "out.json").read_bytes()
    assert all(os.path.islink(saves / n) for n in os.listdir(saves) if n.startswith("."))  # the plants, untouched


@pytest.mark.parametrize("what", ["link", "no folder", "read-only"])
def test_results_that_cannot_be_written_are_kept_in_the_temp_folder(tmp_path, monkeypatch, what):
    """game/atomic.py write_or_keep (sim, balance, backtest, bench --json): the target is never touched, and the
    payload is kept in a new file of the temp folder, which the error names."""
    import tempfile

    from game.atomic import KeptElsewhere, write_or_keep

    spare, victim = tmp_path / "tmp", tmp_path / "victim.txt"
    spare.mkdir()
    victim.write_text("precious")
    monkeypatch.setattr(tempfile, "tempdir", str(spare))
    target = tmp_path / ("nowhere/x.json" if what == "no folder" else "x.json")
    if what == "link":
        os.symlink(victim, target)
    if what == "read-only":
        def read_only(*_a, **_k):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

        monkeypatch.setattr(os, "replace", read_only)
    with pytest.raises(KeptElsewhere) as info:
        write_or_keep(target, b"hours of games", prefix="run-", suffix=".json")
    kept = list(spare.iterdir())
    assert len(kept) == 1 and kept[0].name.startswith("run-") and kept[0].name.endswith(".json")
    assert kept[0].read_bytes() == b"hours of games" and info.value.kept == str(kept[0])
    assert str(kept[0]) in str(info.value) and "\n" not in str(info.value) and info.value.reason in str(info.value)
    assert victim.read_text() == "precious" and sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["tmp", "victim.txt"] + (["x.json"] if what == "link" else []))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "gone"))  # even the temp folder fails: said so
    with pytest.raises(KeptElsewhere, match="could not be kept elsewhere") as info:
        write_or_keep(target, b"hours of games", prefix="run-", suffix=".json")
    assert info.value.kept is None


@pytest.mark.parametrize("what", ["fifo", "link"])
def test_only_a_regular_file_is_replaced(tmp_path, what):
    target, victim = tmp_path / "x.json", tmp_path / "victim.txt"
    victim.write_text("precious")
    {"fifo": lambda: os.mkfifo(target), "link": lambda: os.symlink(victim, target)}[what]()
    before = listing(tmp_path)
    with pytest.raises(AtomicWriteError) as err:
        atomic_write(target, b"new")
    assert "\n" not in str(err.value) and "x.json" in str(err.value)
    assert listing(tmp_path) == before  # nothing replaced, no temp file left


def test_a_fifo_swapped_in_during_the_write_is_not_replaced(tmp_path, monkeypatch):
    """The check is made again just before the rename: a target that became a FIFO meanwhile stays one."""
    target = tmp_path / "x.json"
    target.write_text("old")
    real_fsync = os.fsync

    def swap(fd):
        real_fsync(fd)
        if stat.S_ISREG(os.lstat(target).st_mode):
            target.unlink()
            os.mkfifo(target)

    monkeypatch.setattr(os, "fsync", swap)
    with pytest.raises(AtomicWriteError):
        atomic_write(target, b"new")
    assert stat.S_ISFIFO(os.lstat(target).st_mode) and os.listdir(tmp_path) == ["x.json"]


def disk_full(*_args, **_kw):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_failed_autosave_keeps_every_earlier_one(tmp_path, monkeypatch):
    s = played(0, (Seat("ai", "balanced"), Seat("ai", "normal")))
    for _ in range(6):
        s.resolve()
        autosave(s, tmp_path)
    before = listing(tmp_path)
    assert len(before) == 5
    for fail in ("fsync", "write"):
        s.resolve()
        with monkeypatch.context() as m:
            m.setattr(os, fail, disk_full)
            with pytest.raises(SaveError) as err:
                autosave(s, tmp_path)
        assert "No space left" in str(err.value) and "\n" not in str(err.value)
        assert listing(tmp_path) == before  # nothing rotated, deleted or left behind
    autosave(s, tmp_path)  # the disk has room again: the newest is written, the oldest goes
    assert len(listing(tmp_path)) == 5 and len(read_save(sorted(tmp_path.iterdir())[-1])["turns"]) == 8


def test_two_games_in_one_folder_keep_their_own_autosaves(tmp_path):
    """Same scenario, same seed, one folder, autosaving in turn: neither loses a file to the other."""
    a = played(0, (Seat("ai", "balanced"), Seat("ai", "normal")), seed=1)
    b = played(0, (Seat("ai", "normal"), Seat("ai", "balanced")), seed=1)
    assert game_id(a) != game_id(b)
    for _ in range(7):
        for s in (a, b):
            s.resolve()
            autosave(s, tmp_path)
    for s, us in ((a, "balanced"), (b, "normal")):
        own = sorted(tmp_path.glob(f"autosave-{game_id(s)}-*.json"))
        assert len(own) == 5
        data = [read_save(p) for p in own]
        assert [len(d["turns"]) for d in data] == [3, 4, 5, 6, 7]
        assert {d["seats"]["us"]["strategy"] for d in data} == {us}
    assert len(list(tmp_path.iterdir())) == 10


def test_an_autosave_never_removes_a_file_it_did_not_write(tmp_path):
    s = played(0, (Seat("ai", "balanced"), Seat("ai", "normal")))
    mine = tmp_path / "autosave-1.json"
    mine.write_text("an old-style autosave")
    (tmp_path / "autosave-0000000g-q01.json").write_text("not an id")
    for _ in range(7):
        s.resolve()
        autosave(s, tmp_path)
    assert mine.read_text() == "an old-style autosave" and (tmp_path / "autosave-0000000g-q01.json").exists()


@pytest.mark.parametrize("name", ["autosave 5", "autosave-1", "Autosave", "AUTOSAVE-3.json", "autosave"])
def test_a_named_save_cannot_take_an_autosave_name(name):
    with pytest.raises(SaveError) as err:
        safe_name(name)
    assert "autosave" in str(err.value) and "\n" not in str(err.value)
    assert safe_name("my autosave") == "my-autosave"  # only the start of a name is reserved


def test_a_finished_games_replay_survives_any_number_of_autosaves(tmp_path):
    """The finished game is kept under its own name: neither its own autosaves nor a later game's, however
    many, rotate it away; it loads and replays to the end."""
    from game.saves import keep_replay, load_game
    from tests.tui.conftest import short_scenario

    short = short_scenario(tmp_path, turns=3)
    done = Session((Seat("ai", "balanced"), Seat("ai", "normal")), scenario=short, seed=4)
    while not done.over:
        done.resolve()
        autosave(done, tmp_path, keep=1)
    kept = keep_replay(done, tmp_path)
    assert kept.name.startswith("replay-short-s4-") and not kept.name.startswith("autosave")
    autosave(done, tmp_path, keep=0)  # its own rotation, down to nothing
    later = played(0, (Seat("ai", "balanced"), Seat("ai", "normal")), seed=4)
    for _ in range(12):
        later.resolve()
        autosave(later, tmp_path, keep=2)
    assert kept.exists()
    restored = load_game(kept)
    assert restored.session.over and restored.session.world.digest() == done.world.digest()


def aged(path, seconds_ago: float = 120.0) -> None:
    """Set the mtime of `path` itself (a link's own, not its target's) `seconds_ago` in the past."""
    import time

    then = time.time() - seconds_ago
    os.utime(path, (then, then), follow_symlinks=False)


def test_our_stale_temp_files_are_cleaned_on_the_next_write_and_nothing_else(tmp_path):
    """A killed writer leaves .NAME.HEX.tmp behind; the next write into that folder removes ours that are over a
    minute old, and leaves what may not be ours or may be a write in flight."""
    stale = tmp_path / ".g.json.0123456789abcdef.tmp"
    stale_long = tmp_path / (".autosave-0123abcd-q05.json.a long name cut at fort"[:41] + ".fedcba9876543210.tmp")
    fresh = tmp_path / ".g.json.00112233445566ff.tmp"                 # another process's write, in flight
    link = tmp_path / ".g.json.aaaaaaaaaaaaaaaa.tmp"                  # named like ours, a link to a victim
    folder = tmp_path / ".g.json.bbbbbbbbbbbbbbbb.tmp"                # named like ours, a folder
    others = [tmp_path / n for n in (".g.json.0123.tmp", ".g.json.0123456789ABCDEF.tmp", "g.json.0123456789abcdef.tmp",
                                     ".g.json.0123456789abcdef.tmp.bak", ".g.json.0123456789abcdef.temp")]
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    for p in (stale, stale_long, fresh, *others):
        p.write_bytes(b'{"half": ')
    os.symlink(victim, link)
    folder.mkdir()
    for p in (stale, stale_long, victim, link, folder, *others):
        aged(p)
    atomic_write(tmp_path / "other.json", b"new")
    left = set(os.listdir(tmp_path))
    assert stale.name not in left and stale_long.name not in left
    assert {fresh.name, link.name, folder.name, victim.name, "other.json"} | {p.name for p in others} == left
    assert os.path.islink(link) and victim.read_text() == "precious" and folder.is_dir()
