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
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import secrets
import stat
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
        ok = data.get("game_id") == self.game_id and isinstance(records, list) and all(
            isinstance(r, dict) and r.get("side") in SIDES and isinstance(r.get("quarter"), int)
            and isinstance(r.get("secret"), str) and isinstance(r.get("commit"), str) and isinstance(r.get("orders"), dict)
            for r in records)
        if not ok:
            raise PbfError(f"{where}: not a record of sealed orders for game {self.game_id}; move it away to go on")
        return list(records)

    def last_quarter(self, side: str) -> int | None:
        quarters = [r["quarter"] for r in self.records if r["side"] == side]
        return max(quarters) if quarters else None

    def find(self, side: str, quarter: int) -> list[dict[str, Any]]:
        return [r for r in self.records if r["side"] == side and r["quarter"] == quarter]

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
    game = Game(path, data, restored.session)
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
    found = kind(path)
    if found != "missing" or is_link(path):
        raise PbfError(f"{where}: already exists; a new game never replaces a file, so choose another path")
    folder = path.parent if str(path.parent) else Path(".")
    if kind(folder) != "folder":
        raise PbfError(f"{where}: folder {path_text(folder)} does not exist")
    session = Session((Seat("human"), Seat("human")), scenario=scenario, seed=seed, content=content, mode="hotseat")
    data = {"format": FORMAT, "version": VERSION, "game_id": secrets.token_hex(8),
            "game": save_data(session, f"play by file: {scenario}, seed {seed}"),
            "history": [], "sealed": {"us": None, "cn": None}}
    _write(path, data)
    return Game(path, data, session)


def _write(path: Path, data: dict[str, Any]) -> None:
    try:
        atomic_write(path, encode(data))
    except AtomicWriteError as exc:
        raise PbfError(f"{exc}; the file is unchanged") from None


def refuse_wrong_step(game: Game, side: str, wanted: str) -> None:
    step = game.step(side)
    if step == wanted:
        return
    where = path_text(game.path)
    other = _other(side)
    if step == "over":
        raise PbfError(f"{where}: the game is over ({game.session.winner()} wins); nothing to play")
    if step == "wait":
        mine = game.sealed(side)
        did = "revealed" if mine is not None and mine["reveal"] is not None else "committed"
        raise PbfError(f"{where}: {NAMES[side]} has already {did} for quarter {game.quarter + 1}; "
                       f"{NAMES[other]} moves next: pass them the file")
    if step == "reveal":
        raise PbfError(f"{where}: {NAMES[side]} has committed for quarter {game.quarter + 1} and both sides have; "
                       "reveal now (compute-race pbf move PATH --side " + side + ")")
    raise PbfError(f"{where}: {NAMES[side]} has not committed for quarter {game.quarter + 1}; commit first")


def _check_copy(game: Game, side: str, store: Store) -> None:
    """Refuse a file older than what this player has already sealed (an old copy passed back by mistake)."""
    last = store.last_quarter(side)
    where = path_text(game.path)
    if last is None:
        return
    if last > game.quarter or (last == game.quarter and game.sealed(side) is None):
        raise PbfError(f"{where}: this file is at quarter {game.quarter + 1}, but you have already sealed "
                       f"{NAMES[side]}'s orders for quarter {last + 1} of this game: it is an older copy; "
                       "use the newest file")


def commit(game: Game, side: str, orders: Orders, folder: Path | None = None) -> str:
    """Seal `side`'s orders for this quarter into the file; the secret stays in this player's data folder."""
    refuse_wrong_step(game, side, "commit")
    store = Store(folder or data_dir(), game.game_id)
    _check_copy(game, side, store)
    s = SIDES.index(side)
    problem = game.session.problem(s, orders)
    if problem is not None:
        raise PbfError(f"{NAMES[side]}'s orders: {problem}")
    from game.session import orders_of

    # As a hot-seat game stores them (Session.resolve): the shares the engine plays, by name.
    plain = orders_of(orders.to_batch(game.session.tables, s), game.session.tables).as_dict()
    secret = secrets.token_hex(32)
    seal = commitment(game.game_id, game.quarter, side, plain, secret)
    store.records.append({"side": side, "quarter": game.quarter, "orders": plain, "secret": secret, "commit": seal})
    store.write()
    data = copy.deepcopy(game.data)
    data["sealed"][side] = {"commit": seal, "reveal": None}
    try:
        _write(game.path, data)
    except PbfError:
        store.records.pop()
        try:
            store.write()
        except PbfError:
            pass  # the record left behind names a commitment no file holds; harmless
        raise
    game.data = data
    other = _other(side)
    then = (f"pass the file to {NAMES[other]}" if game.sealed(other) is None
            else "both sides have committed: each now reveals (pass the file on)")
    return f"{title_name(side)} sealed its orders for {game.session.date()} (quarter {game.quarter + 1}); {then}"


def reveal(game: Game, side: str, folder: Path | None = None) -> str:
    """Reveal `side`'s sealed orders (from this player's data folder); the quarter resolves when both are in."""
    refuse_wrong_step(game, side, "reveal")
    where = path_text(game.path)
    store = Store(folder or data_dir(), game.game_id)
    _check_copy(game, side, store)
    sealed = game.sealed(side)
    assert sealed is not None  # the step is "reveal"
    seal = sealed["commit"]
    mine = [r for r in store.find(side, game.quarter) if r["commit"] == seal]
    if not mine:
        raise PbfError(f"{where}: this data folder ({path_text(store.path.parent.parent)}) holds no sealed orders "
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
    data = copy.deepcopy(game.data)
    data["sealed"][side]["reveal"] = {"orders": record["orders"], "secret": record["secret"]}
    other = _other(side)
    theirs = data["sealed"][other]["reveal"]
    if theirs is None:
        _write(game.path, data)
        game.data = data
        return (f"{title_name(side)} revealed its orders for {game.session.date()}; pass the file to {NAMES[other]} "
                "to reveal theirs")
    session = game.session
    date = session.date()
    played = {side: record["orders"], other: theirs["orders"]}
    session.apply((Orders.from_dict(played["us"]), Orders.from_dict(played["cn"])))
    data["game"] = save_data(session, data["game"]["name"])
    data["history"].append({s: {"commit": data["sealed"][s]["commit"], "secret": data["sealed"][s]["reveal"]["secret"]}
                            for s in SIDES})
    data["sealed"] = {"us": None, "cn": None}
    _write(game.path, data)
    game.data = data
    if session.over:
        verdict = "a draw" if session.winner() == "draw" else f"{session.winner()} wins"
        return f"{date} resolved: the game is over after {session.turn} quarters, {verdict} ({session.end_reason()})"
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
        if not strategy:
            raise PbfError(f"{path_text(game.path)}: {NAMES[side]} commits next: give --strategy (e.g. normal)")
        return commit(game, side, strategy_orders(game, side, strategy), folder)
    if step == "reveal":
        return reveal(game, side, folder)
    refuse_wrong_step(game, side, "commit")
    return ""  # not reached: _refuse_wrong_step raised


def status(game: Game) -> str:
    s = game.session
    data = game.data
    head = (f"{path_text(game.path)}: game {game.game_id}, scenario {data['game']['scenario']}, seed {s.seed}, "
            f"{game.quarter} quarter{'s' * (game.quarter != 1)} played")
    if s.over:
        won = "a draw" if s.winner() == "draw" else f"{s.winner()} wins"
        return f"{head}\ngame over: {won} ({s.end_reason()})"
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
    store = Store(folder or data_dir(), game.game_id)
    sides = sorted({r["side"] for r in store.records})
    return sides[0] if len(sides) == 1 else None
