"""Saves and replays: JSON files that hold a game's seed and every turn's orders, never its state.

A save is data only (JSON, read with NaN and Infinity refused; nothing in it is ever run or
imported). Loading replays the orders from the seed with the engine and checks the state digest
after every turn, so a save can never disagree silently with the rules that load it.

Layout (version 4):
    {"format": "compute-race-save", "version": 4, "name": str, "content_digest": hex, "rules_version": int,
     "scenario": id or path, "seed": int, "mode": solo|hotseat|watch,
     "seats": {"us": {"kind": "human"|"ai", "strategy": str}, "cn": {...}},
     "start_digest": hex, "turns": [{"orders": {"us": ORDERS, "cn": ORDERS}, "digest": hex,
                                     "reasons": {"us": str, "cn": str}}, ...],
     "end": {"winner": us|cn|draw, "reason": decisive_lead|bankruptcy|track}}   (only once the game is over)
where ORDERS is {"allocation": {category: share}, "split": {use: share}, "actions": [policy id]}, and
rules_version is the engine's RULES_VERSION when the save was made (so a save that no longer verifies
says which rules made it). "end" lets the load list say how a finished game ended without replaying it (a game
won outright in quarter 33 is finished, not at "quarter 34 of 40"); like the name it is only shown: loading replays
the orders and the engine decides again.
Older versions load through MIGRATIONS, one function per step; newer ones are refused.

One rule: what the game writes, it reads. Every text a save holds has one cap (the TextCap declarations below)
that the writer applies and the reader checks; the whole file keeps under MAX_BYTES, which the writer checks too.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from game.atomic import PATH_CHARS, AtomicWriteError, ReadRefused, atomic_write, kind, read_regular
from game.engine.orders import OrderError, Orders
from game.engine.rules_version import RULES_VERSION
from game.engine.state import REASONS, WINNERS
from game.text import OneLine, cut, escape, key_text, path_text, quote
from game.words import outcome_text

FORMAT = "compute-race-save"
FORMAT_VERSION = 4
PBF_FORMAT = "compute-race-pbf"    # a play-by-file game (game/pbf.py): its "game" field is a save
MAX_BYTES = 4 * 1024 * 1024     # far above a 40-turn game (~45 KB): anything bigger is not a save
MAX_TURNS = 1000
MAX_NAME = 64
AUTOSAVE = "autosave"
ENV_SAVES = "COMPUTE_RACE_SAVES"
HEX64 = re.compile(r"[0-9a-f]{64}")  # used with fullmatch ("$" matches before a final newline)
SIDES = ("us", "cn")


class SaveError(OneLine, ValueError):
    """A save that cannot be written, read or replayed: one line, naming the file and what to do."""


@attrs.frozen
class TextCap:
    """A text a save holds and its cap in characters: the one number both the writer and the reader use. A display
    text (`whole` False) is cut to fit when written, the cut marked '...'. An identity that loading sets up again
    (which scenario, which strategy: a path must stay whole to be opened) is never cut: it is held to the same cap
    where it is given (find_scenario, load_strategy), and should a longer one reach the writer it is refused there,
    with nothing written."""

    field: str
    chars: int
    whole: bool = False

    def holds(self, value: Any) -> bool:
        return isinstance(value, str) and len(value) <= self.chars

    def fit(self, value: str) -> str:
        if len(value) <= self.chars:
            return value
        if self.whole:
            raise SaveError(f"{self.field} {quote(value)}: {len(value):,} characters, more than the {self.chars:,} a "
                            "save keeps whole; nothing was written")
        return cut(value, self.chars)


# A save's name: what the load list shows ("my game", "normal v hard, seed 7"), never used to find anything.
NAME_CAP = TextCap("name", 200)
# An AI side's reasons for one quarter, shown in the turn report. Real lines run to ~200 characters (a planner
# naming five policies); 2,000 is what earlier versions accepted, so saves they wrote still load.
REASONS_CAP = TextCap("reasons", 2000)
# A scenario or strategy, by id or path: restore opens it again, so it is kept whole. PATH_CHARS is the longest
# path the system opens; find_scenario and load_strategy refuse a longer id or path where it is given.
SCENARIO_CAP = TextCap("scenario", PATH_CHARS, whole=True)
STRATEGY_CAP = TextCap("strategy", PATH_CHARS, whole=True)


# -- where saves live ---------------------------------------------------------------------------
def checkout_saves() -> Path | None:
    """`saves/` beside the source when run from a checkout (it is in the repository), else None."""
    root = Path(__file__).resolve().parent.parent
    folder = root / "saves"
    return folder if (root / "pyproject.toml").is_file() and folder.is_dir() else None


def saves_dir(override: str | Path | None = None) -> Path:
    """The saves folder: `override`, else $COMPUTE_RACE_SAVES, else the checkout's saves/, else the user's
    data folder. Created if missing."""
    if override:
        folder = Path(override)
    elif os.environ.get(ENV_SAVES):
        folder = Path(os.environ[ENV_SAVES])
    else:
        folder = checkout_saves() or _user_folder()
    found = kind(folder)
    if found in ("file", "other"):
        raise SaveError(f"{path_text(folder)}: the saves folder is a file; give a folder (--saves DIR or ${ENV_SAVES})")
    if found == "unusable":
        raise SaveError(f"{path_text(folder)}: not a usable saves folder (too long, or it cannot be looked at); "
                        "give another with --saves DIR")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"{path_text(folder)}: cannot create the saves folder ({exc.strerror}); give another with --saves DIR") \
            from None
    return folder


def _user_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("compute-race", appauthor=False)) / "saves"


NAME_OK = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.\-]*")  # used with fullmatch


def typed(text: str) -> str:
    """A name a player typed, quoted for an error: what was typed, each character once (a '\\' is not doubled as
    `quote` doubles it), with only what does not print written as an escape; in double quotes if it holds a '."""
    mark = '"' if "'" in text else "'"
    return mark + cut(escape(text)) + mark


def safe_name(name: str) -> str:
    """A save's file stem from what a player typed: letters, digits, space, '-', '_', '.'; no paths."""
    text = name.strip()
    if not text:
        raise SaveError("save name: empty; type a name such as my-game")
    if len(text) > MAX_NAME:
        raise SaveError(f"save name: {len(text)} characters; use at most {MAX_NAME}")
    if "/" in text or "\\" in text or ".." in text or os.path.isabs(text):
        raise SaveError(f"save name {typed(text)}: a name, not a path (no '/', '\\' or '..')")
    if not NAME_OK.fullmatch(text):
        bad = next((c for c in text if not (c.isalnum() or c in " _.-")), text[0])
        raise SaveError(f"save name {typed(text)}: {typed(bad)} is not allowed; use letters, digits, space, '-', '_' and '.', "
                        "starting with a letter or digit")
    stem = re.sub(r"\s+", "-", text)
    if stem.lower().startswith(AUTOSAVE):
        raise SaveError(f"save name {typed(text)}: names starting with {AUTOSAVE!r} are kept for the autosaves; "
                        "choose another name")
    return stem[:-5] if stem.lower().endswith(".json") else stem


def save_path(folder: str | Path, name: str) -> Path:
    return Path(folder) / f"{safe_name(name)}.json"


# -- writing --------------------------------------------------------------------------------------
def record(*, name: str, content_digest: str, scenario: str, seed: int, mode: str, seats: tuple[tuple[str, str], ...],
           start_digest: str, turns: list[dict[str, Any]], end: tuple[str, str] | None = None) -> dict[str, Any]:
    """A save as the game writes it, every text fitted to its cap: the one place a save's fields are put together
    (a session's save, sim's saves). `seats` is (kind, strategy) per side; a turn's reasons, if any, are cut to fit;
    `end` is (winner, reason) once the game is over."""
    turns = [{**turn, "reasons": {side: REASONS_CAP.fit(text) for side, text in turn["reasons"].items()}}
             if "reasons" in turn else turn for turn in turns]
    data = {
        "format": FORMAT, "version": FORMAT_VERSION, "name": NAME_CAP.fit(name), "content_digest": content_digest,
        "rules_version": RULES_VERSION, "scenario": SCENARIO_CAP.fit(scenario), "seed": int(seed), "mode": mode,
        "seats": {side: {"kind": seat_kind, "strategy": STRATEGY_CAP.fit(strategy)}
                  for side, (seat_kind, strategy) in zip(SIDES, seats)},
        "start_digest": start_digest, "turns": turns,
    }
    if end is not None:
        data["end"] = {"winner": end[0], "reason": end[1]}
    return data


def save_data(session, name: str = "") -> dict[str, Any]:
    """The save of a session: what it was started from and every turn's orders and digest."""
    return record(name=name, content_digest=session.content.digest, scenario=session.scenario_spec, seed=session.seed,
                  mode=session.mode, seats=tuple((seat.kind, seat.strategy) for seat in session.seats),
                  start_digest=session.start_digest,
                  turns=[{"orders": {"us": rec.orders[0].as_dict(), "cn": rec.orders[1].as_dict()}, "digest": rec.digest,
                          "reasons": {"us": rec.report.reasons[0], "cn": rec.report.reasons[1]}}
                         for rec in session.turns],
                  end=(session.winner(), session.end_reason()) if session.over else None)


def encode(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=None, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")


def encode_save(data: dict[str, Any]) -> bytes:
    """The bytes of a save the reader takes: at most MAX_BYTES. JSON writes a character outside ASCII as up to 12
    bytes, so a long game's reasons (display text) could pass the cap: they are then cut shorter, all alike, until
    the save fits, and dropped if need be. A save too big even without them is refused, with nothing written."""
    raw = encode(data)
    chars = REASONS_CAP.chars
    while len(raw) > MAX_BYTES and any("reasons" in turn for turn in data["turns"]):
        chars //= 4
        data = {**data, "turns": [
            {**turn, "reasons": {side: cut(text, chars) for side, text in turn["reasons"].items()}}
            if "reasons" in turn and chars >= 20 else {k: v for k, v in turn.items() if k != "reasons"}
            for turn in data["turns"]]}
        raw = encode(data)
    if len(raw) > MAX_BYTES:
        raise SaveError(f"the save would be {len(raw):,} bytes, more than the {MAX_BYTES:,} a save may be; "
                        "nothing was written")
    return raw


def write_save(path: str | Path, session, name: str = "") -> Path:
    path = Path(path)
    if kind(path) == "folder":
        raise SaveError(f"{path_text(path)}: is a folder; give a file name")
    try:
        payload = encode_save(save_data(session, name or path.stem))
    except SaveError as exc:
        raise SaveError(f"{path_text(path)}: {exc}") from None
    try:
        return atomic_write(path, payload)
    except AtomicWriteError as exc:
        raise SaveError(f"{exc}; the previous save, if any, is untouched") from None


_GAME_IDS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def game_id(session) -> str:
    """The id that names this game's autosaves: random, made the first time the game is autosaved, so two games
    sharing a saves folder (even with the same scenario and seed) never share autosave names. Not engine
    randomness: it names files and never reaches the rules."""
    found = _GAME_IDS.get(session)
    if found is None:
        found = _GAME_IDS[session] = secrets.token_hex(4)
    return found


AUTOSAVE_NAME = re.compile(rf"^{AUTOSAVE}-([0-9a-f]{{8}})-q(\d+)(_end)?\.json$")


def autosave(session, folder: str | Path, keep: int = 5) -> Path:
    """Save the game as autosave-ID-qN.json (N the quarter it resumes in), or autosave-ID-qN_end.json once it is
    over (N its last quarter), ID being this game's own (game_id); only once that write has succeeded are this
    game's older autosaves beyond the newest `keep` deleted. Another game's autosaves are never touched, and a
    failed write deletes nothing."""
    folder = Path(folder)
    own = game_id(session)
    # qN: the quarter the game resumes in, as the planning title counts it (not the quarters played); a finished
    # game resumes in none, so its last quarter, marked as the end (a 40-quarter game's is q40_end, never q41;
    # "_" sorts it after q40).
    where = f"q{session.turn:02d}_end" if session.over else f"q{session.turn + 1:02d}"
    path = write_save(folder / f"{AUTOSAVE}-{own}-{where}.json", session, f"{AUTOSAVE} {session.date()}")
    mine = []
    for p in folder.glob(f"{AUTOSAVE}-{own}-q*.json"):
        match = AUTOSAVE_NAME.match(p.name)
        if match and match.group(1) == own:
            mine.append((int(match.group(2)), bool(match.group(3)), p))
    mine.sort()
    for _, _, old in mine[:-keep] if keep > 0 else mine:
        if old != path:
            try:
                os.unlink(old)
            except OSError:
                pass  # an old autosave left behind costs a little disk, never a game
    return path


REPLAY = "replay"
SIM_STEM_CHARS = 80     # each strategy's part of a sim save's file name: two and the rest stay within 255 bytes


def keep_replay(session, folder: str | Path) -> Path:
    """Save a finished game as replay-SCENARIO-sSEED-ID.json: a name of its own (ID as its autosaves'), which
    autosave never matches, so no later autosave of this game or another rotates it away."""
    scenario = re.sub(r"[^A-Za-z0-9_.-]+", "-", session.scenario.id).strip("-.") or "game"
    path = Path(folder) / f"{REPLAY}-{scenario[:24]}-s{session.seed}-{game_id(session)}.json"
    return write_save(path, session, f"{REPLAY} {session.scenario.id} seed {session.seed}")


def write_sim_saves(folder: str | Path, tables, scenario_spec: str, us_spec: str, cn_spec: str, seeds: list[int],
                    start_digests: list[str], steps: list[tuple], turns: list[int]) -> None:
    """One save per simulated game (a batch): steps[k] = (orders_us, orders_cn, digests after step k)."""
    from game.session import orders_of

    folder = Path(folder)

    def stem(spec: str) -> str:
        # A file name holds at most 255 bytes: each side's part is cut (the save itself keeps the whole spec).
        return re.sub(r"[^A-Za-z0-9_.-]", "_", Path(spec).stem if spec.endswith(".toml") else spec)[:SIM_STEM_CHARS]

    for i, seed in enumerate(seeds):
        data = record(name=f"{us_spec} v {cn_spec}, seed {seed}", content_digest=tables.content.digest,
                      scenario=scenario_spec, seed=seed, mode="watch", seats=(("ai", us_spec), ("ai", cn_spec)),
                      start_digest=start_digests[i],
                      turns=[{"orders": {"us": orders_of(o_us, tables, i).as_dict(),
                                         "cn": orders_of(o_cn, tables, i).as_dict()},
                              "digest": digs[i]} for o_us, o_cn, digs in steps[:turns[i]]])
        path = folder / f"{stem(us_spec)}-v-{stem(cn_spec)}-seed{seed}.json"
        try:
            atomic_write(path, encode_save(data))
        except AtomicWriteError as exc:
            raise SaveError(str(exc)) from None
        except SaveError as exc:
            raise SaveError(f"{path_text(path)}: {exc}") from None


# -- reading --------------------------------------------------------------------------------------
def _no_constants(text: str) -> float:
    raise ValueError(f"{text} is not a number a save may hold")


def _finite(text: str) -> float:
    """A JSON number as a float, refused when it does not fit one: json reads 1e400 as infinity, which no check
    further on expects and which cannot be written back."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{cut(text, 40)} is too large a number to read")
    return value


def read_save(path: str | Path) -> dict[str, Any]:
    """Read, check and migrate a save to the current version; SaveError says what is wrong and where."""
    path = Path(path)
    where = path_text(path)
    try:
        raw = read_regular(path, MAX_BYTES)
    except ReadRefused as exc:
        hint = {"no such file": "; check the path or list the saves folder",
                "is a folder": ", not a save; give a .json file"}.get(str(exc), "")
        raise SaveError(f"{where}: {exc}{hint}") from None
    return parse_save(raw, where)


def parse_save(raw: bytes, where: str = "save") -> dict[str, Any]:
    data = decode_json(raw, where)
    if data.get("format") == PBF_FORMAT and isinstance(data.get("game"), dict):
        data = data["game"]  # a play-by-file game (game/pbf.py) holds a save: it replays like one
    return checked_save(data, where)


def decode_json(raw: bytes, where: str) -> dict[str, Any]:
    """The JSON object in a file's bytes; SaveError names what is wrong and where (never a traceback)."""
    if not raw.strip():
        raise SaveError(f"{where}: empty file; it is not a save (an interrupted copy?)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SaveError(f"{where}: not UTF-8 text (byte {exc.start}); it is not a save") from None
    try:
        data = json.loads(text, parse_constant=_no_constants, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise SaveError(f"{where}: line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg}); "
                        "the file is damaged or not a save") from None
    except RecursionError:
        raise SaveError(f"{where}: JSON nested too deeply; it is not a save") from None
    except ValueError as exc:  # NaN or Infinity (_no_constants), 1e400 (_finite), or a number of over 4,300 digits
        reason = "a number too long to read" if "digits" in str(exc) else str(exc).split("\n")[0] or "not valid JSON"
        raise SaveError(f"{where}: {reason}; the file is damaged or not a save") from None
    if not isinstance(data, dict):
        raise SaveError(f"{where}: expected a JSON object at the top, found {_kind(data)}")
    return data


def checked_save(data: dict[str, Any], where: str) -> dict[str, Any]:
    """A decoded save checked field by field and migrated to the current version."""
    if not isinstance(data, dict):
        raise SaveError(f"{where}: expected a save (a JSON object), found {_kind(data)}")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SaveError(f"{where}: version: expected a whole number, found {_show(version)}")
    if version > FORMAT_VERSION:
        raise SaveError(f"{where}: saved by format version {quote(version)}, newer than this game reads "
                        f"({FORMAT_VERSION}); update Compute Race to load it")
    if version < 1:
        raise SaveError(f"{where}: version: {quote(version)} is not a save format version (1 to {FORMAT_VERSION})")
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data, where)
        version = data["version"]
    check(data, where)
    return data


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number",
            type(None): "null"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    if isinstance(value, (str, int, float)) or value is None:
        return quote(value, 40)
    try:
        return cut(escape(json.dumps(value)), 40)   # a list or an object, as JSON, one line and cut
    except (ValueError, RecursionError):          # a 5,000-digit int or deep nesting inside
        return _kind(value)


def _need(cond: bool, where: str, path: str, expected: str, found: Any) -> None:
    if not cond:
        raise SaveError(f"{where}: {path}: expected {expected}, found {_show(found)}")


def _fields(obj: dict, allowed: tuple[str, ...], required: tuple[str, ...], where: str, path: str) -> None:
    unknown = sorted(k for k in obj if k not in allowed)
    if unknown:
        raise SaveError(f"{where}: {path}{key_text(unknown[0])}: unknown field (expected {', '.join(allowed)})")
    for key in required:
        if key not in obj:
            raise SaveError(f"{where}: {path}{key}: missing")


TOP = ("format", "version", "name", "content_digest", "rules_version", "scenario", "seed", "mode", "seats",
       "start_digest", "turns")


def check(data: dict[str, Any], where: str) -> None:
    """Every field of a current-version save: types, ranges, and that each turn's orders are well formed."""
    _fields(data, TOP + ("end",), TOP, where, "")
    if "end" in data:
        end = data["end"]
        _need(isinstance(end, dict), where, "end", "an object with winner and reason", end)
        _fields(end, ("winner", "reason"), ("winner", "reason"), where, "end.")
        _need(end["winner"] in WINNERS, where, "end.winner", " or ".join(WINNERS), end["winner"])
        _need(end["reason"] in REASONS[1:], where, "end.reason", ", ".join(REASONS[1:]), end["reason"])
    _need(data["format"] == FORMAT, where, "format", repr(FORMAT), data["format"])
    _need(NAME_CAP.holds(data["name"]), where, "name", f"text of at most {NAME_CAP.chars} characters", data["name"])
    for key in ("content_digest", "start_digest"):
        _need(isinstance(data[key], str) and bool(HEX64.fullmatch(data[key])), where, key, "a sha256 hex digest", data[key])
    rules = data["rules_version"]
    _need(isinstance(rules, int) and not isinstance(rules, bool) and 1 <= rules < 2**31, where, "rules_version",
          "a whole number from 1 (the engine's RULES_VERSION when the game was saved)", rules)
    _need(SCENARIO_CAP.holds(data["scenario"]) and bool(data["scenario"]), where, "scenario",
          f"a scenario id or path of at most {SCENARIO_CAP.chars:,} characters", data["scenario"])
    seed = data["seed"]
    _need(isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed < 2**63, where, "seed",
          "a whole number from 0 to 2^63-1", seed)
    _need(data["mode"] in ("solo", "hotseat", "watch"), where, "mode", "solo, hotseat or watch", data["mode"])
    seats = data["seats"]
    _need(isinstance(seats, dict), where, "seats", "an object with us and cn", seats)
    _fields(seats, SIDES, SIDES, where, "seats.")
    for side in SIDES:
        seat = seats[side]
        _need(isinstance(seat, dict), where, f"seats.{side}", "an object with kind and strategy", seat)
        _fields(seat, ("kind", "strategy"), ("kind", "strategy"), where, f"seats.{side}.")
        _need(seat["kind"] in ("human", "ai"), where, f"seats.{side}.kind", "human or ai", seat["kind"])
        _need(STRATEGY_CAP.holds(seat["strategy"]) and (seat["kind"] == "human" or bool(seat["strategy"])), where,
              f"seats.{side}.strategy", f"a strategy id or path of at most {STRATEGY_CAP.chars:,} characters "
              "(for an ai seat)", seat["strategy"])
    humans = sum(seats[s]["kind"] == "human" for s in SIDES)
    expected = ("watch", "solo", "hotseat")[humans]
    _need(data["mode"] == expected, where, "mode", f"{expected} (the seats hold {humans} player(s))", data["mode"])
    turns = data["turns"]
    _need(isinstance(turns, list) and len(turns) <= MAX_TURNS, where, "turns", f"a list of at most {MAX_TURNS} turns",
          turns if not isinstance(turns, list) else f"{len(turns)} turns")
    for n, turn in enumerate(turns):
        at = f"turns[{n}]"
        _need(isinstance(turn, dict), where, at, "an object with orders and digest", turn)
        _fields(turn, ("orders", "digest", "reasons"), ("orders", "digest"), where, f"{at}.")
        _need(isinstance(turn["digest"], str) and bool(HEX64.fullmatch(turn["digest"])), where, f"{at}.digest",
              "a sha256 hex digest", turn["digest"])
        orders = turn["orders"]
        _need(isinstance(orders, dict), where, f"{at}.orders", "an object with us and cn", orders)
        _fields(orders, SIDES, SIDES, where, f"{at}.orders.")
        for side in SIDES:
            try:
                parsed = Orders.from_dict(orders[side], f"{at}.orders.{side}")
            except OrderError as exc:
                raise SaveError(f"{where}: {exc}") from None
            for table, values in (("allocation", parsed.allocation), ("split", parsed.split)):
                for key, value in values.items():
                    _need(math.isfinite(value) and 0.0 <= value <= 1.0, where, f"{at}.orders.{side}.{table}.{key}",
                          "a share from 0 to 1", value)
        reasons = turn.get("reasons", {})
        _need(isinstance(reasons, dict) and set(reasons) <= set(SIDES) and all(map(REASONS_CAP.holds, reasons.values())),
              where, f"{at}.reasons", f"an object of us and cn reasons, each text of at most {REASONS_CAP.chars:,} "
              "characters", reasons)


# -- migrations: one function per version step ------------------------------------------------------
def v1_to_v2(data: dict[str, Any], where: str) -> dict[str, Any]:
    """Version 1 (the first draft): players as strings ("human" or a strategy id), turns as
    {"us": ORDERS, "cn": ORDERS, "digest": hex}, no mode, name or start digest."""
    _fields(data, ("version", "content_digest", "scenario", "seed", "players", "start_digest", "turns"),
            ("version", "content_digest", "scenario", "seed", "players", "turns"), where, "")
    players = data["players"]
    _need(isinstance(players, dict) and set(players) == set(SIDES), where, "players", "an object with us and cn",
          players)
    seats = {}
    for side in SIDES:
        who = players[side]
        _need(isinstance(who, str) and bool(who), where, f"players.{side}", "human or a strategy id", who)
        seats[side] = {"kind": "human", "strategy": ""} if who == "human" else {"kind": "ai", "strategy": who}
    humans = sum(s["kind"] == "human" for s in seats.values())
    turns = data["turns"]
    _need(isinstance(turns, list), where, "turns", "a list", turns)
    new_turns = []
    for n, turn in enumerate(turns):
        _need(isinstance(turn, dict), where, f"turns[{n}]", "an object with us, cn and digest", turn)
        _fields(turn, ("us", "cn", "digest"), ("us", "cn", "digest"), where, f"turns[{n}].")
        new_turns.append({"orders": {"us": turn["us"], "cn": turn["cn"]}, "digest": turn["digest"]})
    return {
        "format": FORMAT, "version": 2, "name": "", "content_digest": data["content_digest"],
        "scenario": data["scenario"], "seed": data["seed"],
        "mode": "watch" if humans == 0 else "solo" if humans == 1 else "hotseat",
        "seats": seats, "start_digest": data.get("start_digest", "0" * 64), "turns": new_turns,
    }


def v2_to_v3(data: dict[str, Any], where: str) -> dict[str, Any]:
    """Version 2 did not record the rules that made it: those were rules version 1 (see engine/rules_version)."""
    v2_top = tuple(k for k in TOP if k != "rules_version")
    _fields(data, v2_top, v2_top, where, "")
    out = {key: data[key] for key in v2_top}
    out["version"] = 3
    out["rules_version"] = 1
    return {key: out[key] for key in TOP}


def v3_to_v4(data: dict[str, Any], where: str) -> dict[str, Any]:
    """Version 3 did not say how a finished game ended: the same save, with no end (the load list counts its
    quarters, as it did)."""
    _fields(data, TOP, TOP, where, "")
    return {**data, "version": 4}


MIGRATIONS: dict[int, Callable[[dict[str, Any], str], dict[str, Any]]] = {1: v1_to_v2, 2: v2_to_v3, 3: v3_to_v4}


# -- replaying ------------------------------------------------------------------------------------
@attrs.frozen
class Restored:
    session: Any
    matched_turns: int
    mismatch: str | None = None


def restore(data: dict[str, Any], content=None, *, to_turn: int | None = None, content_dir=None,
            where: str = "save") -> Restored:
    """Replay a checked save from its seed. Stops at the first turn whose digest differs (or whose orders the
    rules refuse) and says why; `to_turn` stops early on purpose."""
    from game.ai import StrategyError
    from game.content import ContentError, load_content
    from game.session import Seat, Session

    if content is None:
        content = load_content(content_dir)
    seats = tuple(Seat(data["seats"][s]["kind"], data["seats"][s]["strategy"]) for s in SIDES)
    try:
        session = Session((seats[0], seats[1]), scenario=data["scenario"], seed=data["seed"], content=content,
                          mode=data["mode"])
    except (ContentError, StrategyError) as exc:
        raise SaveError(f"{where}: cannot set the game up again: {exc}") from None
    why = _likely_cause(data, content)
    if data["start_digest"] != "0" * 64 and session.start_digest != data["start_digest"]:
        return Restored(session, 0, f"{where}: the starting position differs from the save's: {why}")
    turns = data["turns"] if to_turn is None else data["turns"][:max(0, to_turn)]
    for n, turn in enumerate(turns):
        orders = (Orders.from_dict(turn["orders"]["us"]), Orders.from_dict(turn["orders"]["cn"]))
        reasons = turn.get("reasons", {})
        if session.over:
            return Restored(session, n, f"{where}: turn {n + 1}: the game had already ended here: {why}")
        before = session.turn
        try:
            session.apply(orders, (reasons.get("us", ""), reasons.get("cn", "")))
        except OrderError as exc:
            return Restored(session, before, f"{where}: turn {n + 1}: the orders are not valid here ({exc}): {why}")
        if session.turns[-1].digest != turn["digest"]:
            session = _rewind(data, content, seats, n, where)
            return Restored(session, n, f"{where}: turn {n + 1}: the state differs from the save's: {why}")
    return Restored(session, len(turns))


def _likely_cause(data: dict[str, Any], content) -> str:
    made, other_content = data["rules_version"], data["content_digest"] != content.digest
    if made != RULES_VERSION:
        newer = " (a newer release than this one)" if made > RULES_VERSION else ""
        return (f"it was made by rules version {made}{newer} and this game plays rules version {RULES_VERSION}"
                + (", and the content has changed since" if other_content else ""))
    if other_content:
        return ("the content has changed since it was saved (a different content digest); if it was played with a "
                "modded content folder, give that folder with --content DIR")
    return (f"same content and rules version ({RULES_VERSION}), so the save was edited, or this build changed the "
            "engine's arithmetic without a new rules version")


def _rewind(data, content, seats, turns: int, where: str):
    """A session replayed to the last turn that matched."""
    from game.session import Session

    session = Session((seats[0], seats[1]), scenario=data["scenario"], seed=data["seed"], content=content,
                      mode=data["mode"])
    for turn in data["turns"][:turns]:
        session.apply((Orders.from_dict(turn["orders"]["us"]), Orders.from_dict(turn["orders"]["cn"])))
    return session


def load_game(path: str | Path, content=None, **kwargs) -> Restored:
    return restore(read_save(path), content, where=path_text(path), **kwargs)


# -- the saves folder -----------------------------------------------------------------------------
@attrs.frozen
class SaveInfo:
    name: str
    path: Path
    turn: int = 0       # quarters played
    date: str = ""      # the quarter the game resumes in, as the planning title counts it ("quarter 7")
    mode: str = ""
    players: str = ""
    error: str = ""
    scenario: str = ""  # the scenario id or path the save was started from
    end: tuple[str, str] | None = None  # (winner, reason) of a finished game, as the save says


def list_saves(folder: str | Path) -> list[SaveInfo]:
    """Every .json in the folder, newest first; a file that does not read is listed with the reason."""
    folder = Path(folder)
    found = [p for p in folder.glob("*.json") if not p.name.startswith(".")]
    found.sort(key=lambda p: (-_mtime(p), p.name))
    out = []
    for p in found:
        try:
            data = read_save(p)
        except SaveError as exc:
            out.append(SaveInfo(p.stem, p, error=str(exc).removeprefix(f"{path_text(p)}: ")))
            continue
        seats = data["seats"]
        players = " v ".join(cut(escape(seats[s]["strategy"]), 30) if seats[s]["kind"] == "ai" else f"{s} player"
                             for s in SIDES)
        played = len(data["turns"])
        end = (data["end"]["winner"], data["end"]["reason"]) if "end" in data else None
        out.append(SaveInfo(p.stem, p, played, f"quarter {played + 1}", data["mode"], players,
                            scenario=data["scenario"], end=end))
    return out


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def format_replay(session) -> str:
    """A replayed game, one line per quarter: both sides' capability and lead-track total, events and policies."""
    from game.engine.state import OBS

    cap = OBS.index("capability")
    seats = " v ".join(session.seats[s].label for s in (0, 1))
    lines = [f"{session.scenario.name}, seed {session.seed}: {seats} ({session.mode})",
             f"{'quarter':<9}{'US cap':>7}{'track':>7}{'CN cap':>8}{'track':>7}  what happened"]
    for n, rec in enumerate(session.turns):
        row = session.truth[n + 1]
        r = rec.report
        bits = list(r.events) + [f"{('US', 'CN')[s]}: {', '.join(r.actions[s])}" for s in (0, 1) if r.actions[s]]
        track = session.tracks[n + 1].sum(axis=-1)
        lines.append(f"{session.date(n):<9}{row[0, cap]:7.1f}{track[0]:7.1f}{row[1, cap]:8.1f}{track[1]:7.1f}  "
                     + "; ".join(bits))
    if session.over:
        lines.append(f"Game over after {session.turn} quarters: {outcome_text(session.winner(), session.end_reason())}")
    return "\n".join(escape(line) for line in lines)  # names and headlines come from files: shown, never acted on
