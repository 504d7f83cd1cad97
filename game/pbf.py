"""Play by file: two players pass one game file between them, and neither sees the other's orders before sealing their own.

A quarter goes in three steps. Each side commits: the file gets a sha256 of the side's orders and of a random secret
that stays in that player's own data folder. Once both have committed, each side reveals (the orders and the secret,
which must hash to the commitment made). When both reveals are in, the quarter resolves with the engine and the save
inside the file gains the quarter, so the file replays and verifies like any save (`compute-race replay --verify`).

The file is untrusted input: read as a regular file (no link) with a size cap, every field checked, every past
commitment checked against the orders played, the whole game replayed against its digests. A refusal is one line and
leaves the file as it was; every write is atomic (game/atomic.py).

Layout (version 1):
    {"format": "compute-race-pbf", "version": 1, "game_id": hex16, "game": SAVE (game/saves.py),
     "history": [{"us": {"commit": hex, "secret": hex}, "cn": {...}}, ...]      one entry per resolved quarter,
     "sealed": {"us": null | {"commit": hex, "reveal": null | {"orders": ORDERS, "secret": hex}}, "cn": ...}}
A commitment is sha256 of the canonical JSON of {"game_id", "quarter", "side", "orders", "secret"}: the game, the
quarter and the side are inside it, so a reveal cannot be moved to another game, quarter or side.

The file travels through the rival's hands, so it cannot be trusted to say what a player has already shown. Each
player's own record (DATA/pbf/GAME_ID.json) keeps, per quarter, the commitment it sealed, whether the game file is
known to hold it ("filed": false between the two writes of a commit, so a commit cut short is completed by a retry,
never locked out), and the rival's commitment it revealed against ("rival"), written before the reveal reaches the
file. Every move then holds the file to that record: a reveal against any other rival commitment is refused (the
rival may have seen the first), and a quarter resolved with a rival commitment other than the one revealed against,
or with orders this player never sealed, is refused with a warning. A move reads, checks and writes the file under
a lock (a sibling .NAME.lock), so two sides moving at the same moment both keep their commitments.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from game.atomic import AtomicWriteError, ReadRefused, atomic_write, kind, read_regular
from game.engine.orders import OrderError, Orders
from game.saves import (
    MAX_BYTES,
    PBF_FORMAT,
    SaveError,
    checked_save,
    decode_json,
    encode,
    restore,
    save_data,
)
from game.text import path_text, quote
from game.words import outcome_text

if TYPE_CHECKING:
    from game.content import Content

FORMAT = PBF_FORMAT
VERSION = 1
SIDES = ("us", "cn")
NAMES = {"us": "the United States", "cn": "China"}
ENV_DATA = "COMPUTE_RACE_DATA"      # the player's data folder (sealed orders live in its pbf/), as COMPUTE_RACE_SAVES
STORE_BYTES = 1024 * 1024           # a player's sealed orders for one game: ~1 KB a quarter
HEX64 = re.compile(r"[0-9a-f]{64}")
HEX16 = re.compile(r"[0-9a-f]{16}")
TOP = ("format", "version", "game_id", "game", "history", "sealed")
LOCK_WAIT_S = 20.0                  # a move holds the lock for a read and a write; longer means a stuck process
LOCK_POLL_S = 0.02


class PbfError(SaveError):
    """A game file or a move that is refused: one line; the file is unchanged."""


def title_name(side: str) -> str:
    """A side's name at the start of a sentence."""
    name = NAMES[side]
    return name[0].upper() + name[1:]


# -- the player's own folder --------------------------------------------------------------------------
def data_dir() -> Path:
    """This player's data folder: $COMPUTE_RACE_DATA, else the user's data folder (platformdirs)."""
    if os.environ.get(ENV_DATA):
        return Path(os.environ[ENV_DATA])
    import platformdirs

    return Path(platformdirs.user_data_dir("compute-race", appauthor=False))


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False, ensure_ascii=True).encode("ascii")


def commitment(game_id: str, quarter: int, side: str, orders: dict[str, Any], secret: str) -> str:
    """What a side seals: the hash of its orders for this game, quarter and side, and its secret."""
    return hashlib.sha256(canonical({"game_id": game_id, "quarter": quarter, "side": side,
                                     "orders": _plain(orders), "secret": secret})).hexdigest()


def _plain(orders: dict[str, Any]) -> dict[str, Any]:
    """Orders in one spelling (0 and 0.0 hash alike)."""
    return Orders.from_dict(orders).as_dict()


class Store:
    """One player's sealed orders for one game: DATA/pbf/GAME_ID.json, written only by that player's own moves."""

    def __init__(self, folder: Path, game_id: str) -> None:
        self.folder = folder
        self.path = folder / "pbf" / f"{game_id}.json"
        self.game_id = game_id
        self.records: list[dict[str, Any]] = self._read()

    def _read(self) -> list[dict[str, Any]]:
        where = path_text(self.path)
        if kind(self.path) == "missing":
            return []
        if is_link(self.path):
            raise PbfError(f"{where}: is a symbolic link; your sealed orders must be a regular file")
        try:
            raw = read_regular(self.path, STORE_BYTES)
        except ReadRefused as exc:
            raise PbfError(f"{where}: {exc}") from None
        data = decode_json(raw, where)
        records: Any = data.get("sealed")  # checked just below
        # "filed" and "rival" came with the record of reveals: a record without them was written by an older
        # version, which wrote the record only for a commitment it then filed (or took back), and kept no reveals.
        ok = data.get("game_id") == self.game_id and isinstance(records, list) and all(
            isinstance(r, dict) and r.get("side") in SIDES and isinstance(r.get("quarter"), int)
            and not isinstance(r["quarter"], bool) and 0 <= r["quarter"] < 2**31
            and isinstance(r.get("secret"), str) and isinstance(r.get("commit"), str) and isinstance(r.get("orders"), dict)
            and isinstance(r.get("filed", True), bool)
            and (r.get("rival") is None or (isinstance(r["rival"], str) and bool(HEX64.fullmatch(r["rival"]))))
            for r in records)
        if not ok:
            raise PbfError(f"{where}: not a record of sealed orders for game {self.game_id}; move it away to go on")
        return list(records)

    def last_quarter(self, side: str) -> int | None:
        quarters = [r["quarter"] for r in self.records if r["side"] == side]
        return max(quarters) if quarters else None

    def find(self, side: str, quarter: int) -> list[dict[str, Any]]:
        return [r for r in self.records if r["side"] == side and r["quarter"] == quarter]

    def find_latest(self, side: str) -> list[dict[str, Any]]:
        last = self.last_quarter(side)
        return [] if last is None else self.find(side, last)

    def sides(self) -> list[str]:
        return sorted({r["side"] for r in self.records})

    def write(self) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            payload = (json.dumps({"format": "compute-race-sealed", "game_id": self.game_id, "sealed": self.records},
                                  indent=1) + "\n").encode("utf-8")
            atomic_write(self.path, payload, mode=0o600)
        except (AtomicWriteError, OSError) as exc:
            raise PbfError(f"{path_text(self.path)}: cannot keep your sealed orders ({exc}); nothing was sent") from None


# -- reading and checking a game file --------------------------------------------------------------------
@attrs.define
class Game:
    path: Path
    data: dict[str, Any]
    session: Any
    raw: bytes = b""        # the file's bytes as read or written: a move under the lock rereads only if they changed

    @property
    def game_id(self) -> str:
        return str(self.data["game_id"])

    @property
    def quarter(self) -> int:
        """Quarters resolved so far (the quarter being played is this + 1)."""
        return len(self.data["game"]["turns"])

    def sealed(self, side: str) -> dict[str, Any] | None:
        seal: dict[str, Any] | None = self.data["sealed"][side]
        return seal

    def step(self, side: str) -> str:
        """What `side` does next: commit, reveal, wait (for the other side) or over."""
        if self.session.over:
            return "over"
        mine, theirs = self.sealed(side), self.sealed(_other(side))
        if mine is None:
            return "commit"
        if theirs is not None and mine["reveal"] is None:
            return "reveal"
        return "wait"


def _other(side: str) -> str:
    return SIDES[1 - SIDES.index(side)]


def is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_game(path: str | Path, content: Content | None = None) -> Game:
    """Read, check and replay a game file; PbfError says in one line what is wrong."""
    try:
        return _read_game(path, content)
    except PbfError:
        raise
    except SaveError as exc:  # the JSON, or the save inside
        raise PbfError(str(exc)) from None


def _read_game(path: str | Path, content: Content | None) -> Game:
    path = Path(path)
    where = path_text(path)
    if is_link(path):
        raise PbfError(f"{where}: is a symbolic link; give the game file itself")
    try:
        raw = read_regular(path, MAX_BYTES)
    except ReadRefused as exc:
        hint = {"no such file": f"; check the path, or start a game with compute-race pbf new {where}"}.get(str(exc), "")
        raise PbfError(f"{where}: {exc}{hint}") from None
    data = decode_json(raw, where)
    if data.get("format") != FORMAT:
        raise PbfError(f"{where}: not a play-by-file game (format {quote(data.get('format'))}); "
                       "for a save, use compute-race play --load")
    try:
        _check(data, where)
    except OrderError as exc:
        raise PbfError(f"{where}: {exc}; the file was edited or damaged") from None
    restored = restore(data["game"], content, where=where)
    if restored.mismatch:
        raise PbfError(f"{restored.mismatch}; ask for the file as it was passed on")
    game = Game(path, data, restored.session, raw)
    if game.session.over and any(data["sealed"][s] is not None for s in SIDES):
        raise PbfError(f"{where}: sealed orders after the game ended: the file was edited")
    return game


def _need(cond: bool, where: str, field: str, expected: str) -> None:
    if not cond:
        raise PbfError(f"{where}: {field}: expected {expected}; the file was edited or damaged")


def _check(data: dict[str, Any], where: str) -> None:
    unknown = sorted(k for k in data if k not in TOP)
    if unknown:
        raise PbfError(f"{where}: {quote(unknown[0])}: unknown field (expected {', '.join(TOP)})")
    missing = [k for k in TOP if k not in data]
    if missing:
        raise PbfError(f"{where}: {missing[0]}: missing; the file is damaged")
    version = data["version"]
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise PbfError(f"{where}: made by play-by-file version {version}, newer than this game reads ({VERSION}); "
                       "update Compute Race")
    _need(version == VERSION and not isinstance(version, bool), where, "version", str(VERSION))
    gid = data["game_id"]
    _need(isinstance(gid, str) and bool(HEX16.fullmatch(gid)), where, "game_id", "16 hex digits")
    data["game"] = checked_save(data["game"], where)
    game = data["game"]
    _need(game["mode"] == "hotseat" and all(game["seats"][s]["kind"] == "human" for s in SIDES), where, "game.seats",
          "two players")
    history, turns = data["history"], game["turns"]
    _need(isinstance(history, list) and len(history) == len(turns), where, "history",
          f"one entry per quarter played ({len(turns)})")
    for n, entry in enumerate(history):
        _need(isinstance(entry, dict) and sorted(entry) == sorted(SIDES), where, f"history[{n}]", "us and cn")
        for side in SIDES:
            seal = entry[side]
            _need(isinstance(seal, dict) and sorted(seal) == ["commit", "secret"] and all(
                isinstance(seal[k], str) and HEX64.fullmatch(seal[k]) for k in seal), where, f"history[{n}].{side}",
                "a commitment and its secret (64 hex digits each)")
            if commitment(gid, n, side, turns[n]["orders"][side], seal["secret"]) != seal["commit"]:
                raise PbfError(f"{where}: quarter {n + 1}: {NAMES[side]}'s orders are not the ones it sealed: "
                               "the file was edited; ask for the file as it was passed on")
    sealed = data["sealed"]
    _need(isinstance(sealed, dict) and sorted(sealed) == sorted(SIDES), where, "sealed", "us and cn")
    for side in SIDES:
        seal = sealed[side]
        if seal is None:
            continue
        _need(isinstance(seal, dict) and sorted(seal) == ["commit", "reveal"] and isinstance(seal["commit"], str)
              and bool(HEX64.fullmatch(seal["commit"])), where, f"sealed.{side}", "null or a commitment and a reveal")
        reveal = seal["reveal"]
        if reveal is None:
            continue
        _need(isinstance(reveal, dict) and sorted(reveal) == ["orders", "secret"] and isinstance(reveal["secret"], str)
              and bool(HEX64.fullmatch(reveal["secret"])), where, f"sealed.{side}.reveal", "null or orders and a secret")
        if sealed[_other(side)] is None:
            raise PbfError(f"{where}: {NAMES[side]} revealed before {NAMES[_other(side)]} committed: the file was edited")
        try:
            match = commitment(gid, len(turns), side, reveal["orders"], reveal["secret"]) == seal["commit"]
        except OrderError as exc:
            raise PbfError(f"{where}: sealed.{side}.reveal: {exc}") from None
        if not match:
            raise PbfError(f"{where}: {NAMES[side]}'s revealed orders do not match its commitment: the file was edited")
    if all(sealed[s] is not None and sealed[s]["reveal"] is not None for s in SIDES):
        raise PbfError(f"{where}: both sides revealed but the quarter did not resolve: the file was edited")


# -- making moves ------------------------------------------------------------------------------------
def new_game(path: str | Path, *, scenario: str = "2025", seed: int = 1, content: Content | None = None) -> Game:
    """A new game file at `path` (never over an existing file)."""
    from game.session import Seat, Session

    path = Path(path)
    where = path_text(path)
    taken = f"{where}: already exists; a new game never replaces a file, so choose another path"
    if kind(path) != "missing" or is_link(path):
        raise PbfError(taken)
    folder = path.parent if str(path.parent) else Path(".")
    if kind(folder) != "folder":
        raise PbfError(f"{where}: folder {path_text(folder)} does not exist")
    session = Session((Seat("human"), Seat("human")), scenario=scenario, seed=seed, content=content, mode="hotseat")
    data = {"format": FORMAT, "version": VERSION, "game_id": secrets.token_hex(8),
            "game": save_data(session, f"play by file: {scenario}, seed {seed}"),
            "history": [], "sealed": {"us": None, "cn": None}}
    with game_lock(path):
        if kind(path) != "missing" or is_link(path):  # made by another `pbf new` while this one set up
            raise PbfError(taken)
        raw = _write(path, data)
    return Game(path, data, session, raw)


def _write(path: Path, data: dict[str, Any]) -> bytes:
    payload = encode(data)
    try:
        atomic_write(path, payload)
    except AtomicWriteError as exc:
        raise PbfError(f"{exc}; the file is unchanged") from None
    return payload


def lock_path(path: Path) -> Path:
    """The lock file beside a game file, `.NAME.lock` (a very long name is cut: two games sharing a lock only wait
    for each other)."""
    name = path.name if len(os.fsencode(path.name)) <= 200 else path.name[:40]
    return path.parent / f".{name}.lock"


@contextlib.contextmanager
def game_lock(path: Path) -> Iterator[None]:
    """Hold a game file for one read-check-write, so that a second move on the same file (the rival's, on a shared
    folder) waits for the first instead of writing over it.

    The lock is on a sibling file: every write replaces the game file by a rename, so a lock on the game file would
    hold the inode the first write leaves behind. The lock file is opened without following a link, never written,
    and stays beside the game."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no advisory locks, so two moves on one shared file must not overlap
        yield
        return
    lock = lock_path(path)
    where = path_text(lock)
    if is_link(lock):
        raise PbfError(f"{where}: is a symbolic link, so it cannot lock the game file; move it away")
    flags = os.O_RDONLY | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(lock, flags, 0o666)
    except OSError as exc:
        raise PbfError(f"{where}: cannot lock the game file ({exc.strerror}); nothing was written") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PbfError(f"{where}: not a regular file, so it cannot lock the game file; move it away")
        deadline = time.monotonic() + LOCK_WAIT_S  # how long to wait, never a result
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PbfError(f"{path_text(path)}: another move has held the game file for over "
                                   f"{LOCK_WAIT_S:g} s (lock {where}); try again") from None
                time.sleep(LOCK_POLL_S)
            except OSError as exc:
                raise PbfError(f"{where}: cannot lock the game file ({exc.strerror}); nothing was written") from None
        yield
    finally:
        os.close(fd)  # ends the lock, as a killed process's exit does


@contextlib.contextmanager
def _held(game: Game) -> Iterator[None]:
    """The game file locked, and `game` brought up to what the file holds now: another move (the rival's, on a
    shared folder) may have written since it was read, and its commitment must be kept."""
    with game_lock(game.path):
        try:
            raw = read_regular(game.path, MAX_BYTES)
        except ReadRefused:
            raw = b""  # read_game says why, in its own words
        if not raw or raw != game.raw:
            fresh = read_game(game.path, game.session.content)
            game.data, game.session, game.raw = fresh.data, fresh.session, fresh.raw
        yield


def refuse_wrong_step(game: Game, side: str, wanted: str) -> None:
    step = game.step(side)
    if step == wanted:
        return
    where = path_text(game.path)
    other = _other(side)
    if step == "over":
        raise PbfError(f"{where}: the game is over ({outcome_text(game.session.winner(), game.session.end_reason())}); "
                       "nothing to play")
    if step == "wait":
        mine = game.sealed(side)
        did = "revealed" if mine is not None and mine["reveal"] is not None else "committed"
        raise PbfError(f"{where}: {NAMES[side]} has already {did} for quarter {game.quarter + 1}; "
                       f"{NAMES[other]} moves next: pass them the file")
    if step == "reveal":
        raise PbfError(f"{where}: {NAMES[side]} has committed for quarter {game.quarter + 1} and both sides have; "
                       "reveal now (compute-race pbf move PATH --side " + side + ")")
    raise PbfError(f"{where}: {NAMES[side]} has not committed for quarter {game.quarter + 1}; commit first")


def check_record(game: Game, folder: Path | None = None) -> None:
    """Refuse a file that this player's own record disowns (see _check_record); PbfError says why, in one line."""
    _check_record(game, Store(folder or data_dir(), game.game_id))


def _check_record(game: Game, store: Store) -> None:
    """Hold the file to what this player has sealed and seen, for each side the data folder plays: every quarter
    resolved since its first commitment was resolved with that commitment, and, where it revealed, with the rival
    commitment it revealed against; in the quarter being played, the rival's commitment is still that one."""
    where = path_text(game.path)
    history = game.data["history"]
    for side in store.sides():
        other = _other(side)
        first = min(r["quarter"] for r in store.records if r["side"] == side)
        for q in range(first, game.quarter):
            records = store.find(side, q)
            if history[q][side]["commit"] not in {r["commit"] for r in records}:
                raise PbfError(f"{where}: quarter {q + 1} was resolved with orders for {NAMES[side]} that this data "
                               f"folder ({path_text(store.folder)}) never sealed: the file was forged, or that quarter "
                               "was played from another data folder (play on from that one)")
            against = {r["rival"] for r in records if r.get("rival")}
            if against and history[q][other]["commit"] not in against:
                raise PbfError(f"{where}: WARNING: quarter {q + 1} was resolved with a commitment of {NAMES[other]}'s "
                               f"other than the one you revealed {NAMES[side]}'s orders against: {NAMES[other]} "
                               "sealed new orders after seeing yours; do not play on from this file")
        against = {r["rival"] for r in store.find(side, game.quarter) if r.get("rival")}
        theirs = game.sealed(other)
        if against and theirs is None:
            raise PbfError(f"{where}: you have already revealed {NAMES[side]}'s orders for quarter {game.quarter + 1}, "
                           f"and in this file {NAMES[other]} has not committed: it is an older copy; use the newest "
                           "file")
        if against and theirs is not None and theirs["commit"] not in against:
            raise PbfError(f"{where}: WARNING: you have already revealed {NAMES[side]}'s orders for quarter "
                           f"{game.quarter + 1} against another commitment of {NAMES[other]}'s than this file holds: "
                           f"{NAMES[other]} may have seen your orders and sealed new ones; revealing again is refused; "
                           "do not play on from this file")


def _pending(game: Game, side: str, store: Store) -> dict[str, Any] | None:
    """This quarter's commitment that a move sealed in the data folder but that the file does not hold (the move
    was cut short between its two writes), if any: a retry files it, with the orders sealed then."""
    if game.sealed(side) is not None:
        return None
    pending = [r for r in store.find(side, game.quarter) if not r.get("filed", True)]
    return pending[-1] if pending else None


def _check_copy(game: Game, side: str, store: Store) -> None:
    """Refuse a file older than what this player has already sealed (an old copy passed back by mistake)."""
    last = store.last_quarter(side)
    where = path_text(game.path)
    if last is None:
        return
    older = last == game.quarter and game.sealed(side) is None and _pending(game, side, store) is None
    if last > game.quarter or older:
        raise PbfError(f"{where}: this file is at quarter {game.quarter + 1}, but you have already sealed "
                       f"{NAMES[side]}'s orders for quarter {last + 1} of this game: it is an older copy; "
                       "use the newest file")


def commit(game: Game, side: str, orders: Orders | None, folder: Path | None = None) -> str:
    """Seal `side`'s orders for this quarter into the file; the secret stays in this player's data folder. A commit
    cut short earlier (see _pending) is completed instead, with the orders sealed then; `orders` None does only that."""
    with _held(game):
        return _commit(game, side, orders, Store(folder or data_dir(), game.game_id))


def _check_joining(game: Game, side: str, store: Store) -> None:
    """Refuse to play `side` in a game whose quarters were played without this data folder. The game id is the
    only thing that ties a file to this player's record, and every secret in the history is public, so a rival who
    has seen this player's reveal can copy the game under a new id (commitments recomputed), commit new orders there
    and pass it on as the game: a data folder joins a game in its first quarter, or not at all."""
    if game.quarter == 0 or store.last_quarter(side) is not None:
        return
    raise PbfError(f"{path_text(game.path)}: game {game.game_id} has {game.quarter} quarter"
                   f"{'s' * (game.quarter != 1)} played, none of them from this data folder "
                   f"({path_text(store.folder)}) for {NAMES[side]}: a copy of your game under a new id lets a rival "
                   "who saw your orders seal new ones; play on from the data folder you committed from")


def _open_reveals(side: str, store: Store) -> list[str]:
    """Other games in this data folder where `side` revealed in its latest quarter (the rival has seen those
    orders; this folder has not seen that quarter resolve): 'GAME_ID quarter N' each."""
    found = []
    for other in sorted((store.folder / "pbf").glob("*.json")):
        gid = other.stem
        if gid == store.game_id or not HEX16.fullmatch(gid):
            continue
        try:
            records = Store(store.folder, gid).find_latest(side)
        except PbfError:
            continue
        if any(r.get("rival") for r in records):
            found.append(f"{gid} quarter {records[0]['quarter'] + 1}")
    return found


def _commit(game: Game, side: str, orders: Orders | None, store: Store) -> str:
    _check_record(game, store)
    refuse_wrong_step(game, side, "commit")
    _check_copy(game, side, store)
    _check_joining(game, side, store)
    joining = store.last_quarter(side) is None
    record = _pending(game, side, store)
    resumed = record is not None
    if record is None:
        if orders is None:
            raise PbfError(f"{path_text(game.path)}: {NAMES[side]} commits next: give --strategy (e.g. normal)")
        s = SIDES.index(side)
        problem = game.session.problem(s, orders)
        if problem is not None:
            raise PbfError(f"{NAMES[side]}'s orders: {problem}")
        from game.session import orders_of

        # As a hot-seat game stores them (Session.resolve): the shares the engine plays, by name.
        plain = orders_of(orders.to_batch(game.session.tables, s), game.session.tables).as_dict()
        secret = secrets.token_hex(32)
        record = {"side": side, "quarter": game.quarter, "orders": plain, "secret": secret,
                  "commit": commitment(game.game_id, game.quarter, side, plain, secret), "filed": False}
        store.records.append(record)
        store.write()  # before the file: a commitment in the file whose secret was lost could never be revealed
    data = copy.deepcopy(game.data)
    data["sealed"][side] = {"commit": record["commit"], "reveal": None}
    try:
        raw = _write(game.path, data)
    except PbfError:
        if not resumed:  # refused, not cut short: nothing was sealed, so other orders may be given
            store.records.remove(record)
            try:
                store.write()
            except PbfError:
                pass  # the record stays pending, and a retry files those orders: still one commitment a quarter
        raise
    game.data, game.raw = data, raw
    record["filed"] = True
    try:
        store.write()
    except PbfError:
        pass  # the record stays pending; the file holds the commitment, which is what a later move goes by
    other = _other(side)
    then = (f"pass the file to {NAMES[other]}" if game.sealed(other) is None
            else "both sides have committed: each now reveals (pass the file on)")
    said = f"{title_name(side)} sealed its orders for {game.session.date()} (quarter {game.quarter + 1}); {then}"
    if resumed:
        unused = "; the orders given now were not used" if orders is not None else ""
        said += f" (completing a commitment cut short earlier, with the orders sealed then{unused})"
    if joining:
        said += f"\nthis data folder now plays {NAMES[side]} in game {game.game_id}"
        opened = _open_reveals(side, store)
        if opened:
            said += (f"\nWARNING: this data folder revealed {NAMES[side]}'s orders in game {opened[0]} and has not "
                     "seen that quarter resolve; if this game replaces that one, its rival has seen those orders")
    return said


def resume(game: Game, side: str, folder: Path | None = None) -> str | None:
    """Before a player plans: refuse a file their record disowns, and complete a commitment cut short earlier (with
    the orders sealed then), saying so; None when there was none."""
    store = Store(folder or data_dir(), game.game_id)
    _check_record(game, store)
    if game.step(side) == "commit":
        _check_joining(game, side, store)  # before a player plans, not when they seal
    if game.step(side) != "commit" or _pending(game, side, store) is None:
        return None
    return commit(game, side, None, folder)


def reveal(game: Game, side: str, folder: Path | None = None) -> str:
    """Reveal `side`'s sealed orders (from this player's data folder); the quarter resolves when both are in."""
    with _held(game):
        return _reveal(game, side, Store(folder or data_dir(), game.game_id))


def _reveal(game: Game, side: str, store: Store) -> str:
    _check_record(game, store)
    refuse_wrong_step(game, side, "reveal")
    where = path_text(game.path)
    _check_copy(game, side, store)
    sealed = game.sealed(side)
    assert sealed is not None  # the step is "reveal"
    seal = sealed["commit"]
    mine = [r for r in store.find(side, game.quarter) if r["commit"] == seal]
    if not mine:
        raise PbfError(f"{where}: this data folder ({path_text(store.folder)}) holds no sealed orders "
                       f"for {NAMES[side]}'s commitment in quarter {game.quarter + 1}: reveal on the machine that "
                       "committed them, or the file's commitment was edited")
    record = mine[-1]
    try:
        matches = commitment(game.game_id, game.quarter, side, record["orders"], record["secret"]) == seal
    except OrderError as exc:
        raise PbfError(f"{path_text(store.path)}: {exc}; the file is unchanged") from None
    if not matches:
        raise PbfError(f"{where}: {NAMES[side]}'s orders do not match its commitment (changed after sealing?); "
                       "the reveal is refused and the file is unchanged")
    other = _other(side)
    theirs = game.sealed(other)
    assert theirs is not None  # the step is "reveal"
    again = record.get("rival") == theirs["commit"]  # _check_record refused any other rival commitment
    # Kept before the file shows the orders: from now on this player reveals against no other commitment of the
    # rival's, and holds every later file to this one.
    record.update(rival=theirs["commit"], filed=True)
    store.write()
    data = copy.deepcopy(game.data)
    data["sealed"][side]["reveal"] = {"orders": record["orders"], "secret": record["secret"]}
    note = " (again, against the same commitment: nothing new was shown)" if again else ""
    if theirs["reveal"] is None:
        game.raw = _write(game.path, data)
        game.data = data
        return (f"{title_name(side)} revealed its orders for {game.session.date()}{note}; pass the file to "
                f"{NAMES[other]} to reveal theirs")
    session = game.session
    date = session.date()
    played = {side: record["orders"], other: theirs["reveal"]["orders"]}
    session.apply((Orders.from_dict(played["us"]), Orders.from_dict(played["cn"])))
    data["game"] = save_data(session, data["game"]["name"])
    data["history"].append({s: {"commit": data["sealed"][s]["commit"], "secret": data["sealed"][s]["reveal"]["secret"]}
                            for s in SIDES})
    data["sealed"] = {"us": None, "cn": None}
    game.raw = _write(game.path, data)
    game.data = data
    if session.over:
        return (f"{date} resolved: the game is over after {session.turn} quarters: "
                f"{outcome_text(session.winner(), session.end_reason())}")
    return f"{date} resolved; both sides now commit their orders for {session.date()} (pass the file on)"


def strategy_orders(game: Game, side: str, spec: str) -> Orders:
    """The orders a strategy (a built-in id or a .toml path) gives `side` in this position."""
    from game.ai import load_strategy
    from game.session import orders_of

    session = game.session
    strat = load_strategy(spec, session.content.root)
    decision = strat.think(session.world, SIDES.index(side))
    return orders_of(decision.orders, session.tables)


def move(game: Game, side: str, strategy: str | None, folder: Path | None = None) -> str:
    """`side`'s next step with a strategy's orders: commit them, or reveal what was committed."""
    step = game.step(side)
    if step == "commit":
        orders = None  # a commit cut short is completed with the orders sealed then, without a strategy
        if strategy and _pending(game, side, Store(folder or data_dir(), game.game_id)) is None:
            orders = strategy_orders(game, side, strategy)  # before the lock: a strategy may think for seconds
        return commit(game, side, orders, folder)
    if step == "reveal":
        return reveal(game, side, folder)
    check_record(game, folder)  # a warning about the rival comes before "nothing to do"
    refuse_wrong_step(game, side, "commit")
    return ""  # not reached: _refuse_wrong_step raised


def status(game: Game, folder: Path | None = None) -> str:
    """Whose move it is; first, the file is held to this player's own record (check_record)."""
    check_record(game, folder)
    s = game.session
    data = game.data
    head = (f"{path_text(game.path)}: game {game.game_id}, scenario {data['game']['scenario']}, seed {s.seed}, "
            f"{game.quarter} quarter{'s' * (game.quarter != 1)} played")
    if s.over:
        return f"{head}\ngame over: {outcome_text(s.winner(), s.end_reason())}"
    lines = [head, f"now: {s.date()} (quarter {game.quarter + 1})"]
    todo = []
    for side in SIDES:
        seal = game.sealed(side)
        state = "to commit" if seal is None else "committed" if seal["reveal"] is None else "revealed"
        lines.append(f"  {title_name(side)}: {state}")
        step = game.step(side)
        if step in ("commit", "reveal"):
            todo.append(f"{NAMES[side]} to {step} (--side {side})")
    lines.append("next: " + "; ".join(todo))
    return "\n".join(lines)


def side_of(game: Game, folder: Path | None = None) -> str | None:
    """The side this player's data folder has sealed orders for in this game, if just one."""
    sides = Store(folder or data_dir(), game.game_id).sides()
    return sides[0] if len(sides) == 1 else None
