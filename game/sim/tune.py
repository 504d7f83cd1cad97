"""`compute-race tune`: search content values named in a sweep file for the point that best meets the targets of
`balance --check` and `backtest --check`, and write that point's content as a folder `--content` accepts.

A sweep file names values by key path (game/content/keypath.py), each with a range:
`scoring.decisive_margin_months = [12, 24]`. Every point is written into a copy of the content folder as text
(the value's text replaced in place, comments kept) and loaded from there like any modder's folder; the balance
and backtest runs judge it, and Optuna's seeded TPE sampler chooses the next point.
"""

from __future__ import annotations

import math
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import tomli

from game.atomic import ReadRefused, atomic_write, kind, read_regular
from game.content import MAX_TOML_BYTES, Content, ContentError, ContentErrors, find_scenario, load_content
from game.content.edit import EditError, number_text, replace_values, value_spans
from game.content.keypath import KeyPathError, check_range, locate, shown
from game.content.schema import WHOLE_LIMIT, describe, did_you_mean
from game.text import OneLine, path_text, quote

TARGET_SETS = ("balance", "backtest")
OPTIONS = ("targets", "strategies", "scenario")  # the keys of the sweep's own [tune] table
MAX_SWEEP_BYTES = 256 * 1024   # a sweep names a handful of values; a thousand lines are ~40 KB
SIG_DIGITS = 4                 # a tried value is written with this many significant digits, as a designer would
LOG_SPAN = 10.0                # a range of positive values whose top is this many times its bottom is searched in log
MISS_FLOOR = 0.01              # a target that fails while its figure is in its band (non-finite seeds) still counts
MISS_CAP = 10.0                # one absurd figure must not drown every other target in the score
MARKER = "TUNE.txt"            # the file that says a folder is tune's own, and what it holds
MARKER_HEAD = "compute-race tune:"
INSTALL = ("it needs Optuna, which is not installed: pip install 'compute-race[designer]' "
           "(in a checkout: .venv/bin/pip install -c constraints.txt -e '.[designer]')")


class TuneError(OneLine, Exception):
    """A sweep, an option or a point that cannot be used: one line, what and where."""


@attrs.frozen
class Knob:
    """One value the search moves: where it is written and the range it may take."""

    key: str                       # the key path as the sweep names it
    file: str                      # the content file it is written in, relative to the folder
    steps: tuple[str | int, ...]   # its place in that file's TOML
    whole: bool                    # a whole number in the content schema
    low: float
    high: float
    start: float                   # what the content holds now


@attrs.frozen
class Sweep:
    name: str                      # the sweep file as messages name it
    knobs: tuple[Knob, ...]
    targets: tuple[str, ...] = TARGET_SETS
    strategies: tuple[str, ...] | None = None   # balance's matrix; None: balance's own default
    scenario: str = "2025"


# ---- the sweep file ----

def read_sweep(path: str, texts: dict[str, str]) -> Sweep:
    """Read and check a sweep file against the content's texts: every key path names a number written in
    the content, and every range lies within what `content check` accepts there."""
    name = path_text(path)
    try:
        raw = read_regular(path, MAX_SWEEP_BYTES)
    except ReadRefused as exc:
        raise TuneError(f"{name}: {exc}") from None
    try:
        data = tomli.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise TuneError(f"{name}: is not UTF-8 text") from None
    except tomli.TOMLDecodeError as exc:
        raise TuneError(f"{name}: malformed TOML: {exc}") from None
    except (RecursionError, ValueError):
        raise TuneError(f"{name}: malformed TOML (nested too deeply, or a number too long to read)") from None
    options = data.pop("tune", {})
    if not isinstance(options, dict):
        raise TuneError(f"{name}: tune: expected a table of options ({', '.join(OPTIONS)}), found {describe(options)}")
    chosen = sweep_options(name, options)
    parsed: dict[str, Any] = {}  # the files' TOML, parsed once each
    knobs = tuple(knob(name, keys, value, texts, parsed) for keys, value in leaves(data))
    if not knobs:
        raise TuneError(f"{name}: names no value to tune; add lines such as scoring.decisive_margin_months = [12, 24]"
                        " (before any [table] header)")
    return Sweep(name, knobs, **chosen)


def sweep_options(name: str, options: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in options.items():
        where = f"{name}: tune.{key}"
        if key not in OPTIONS:
            raise TuneError(f"{name}: tune: unknown option {quote(key)}{did_you_mean(key, OPTIONS)}; the options "
                            f"are {', '.join(OPTIONS)} (a value to tune goes before the [tune] table)")
        if key == "scenario":
            if not isinstance(value, str) or not value:
                raise TuneError(f"{where}: expected a scenario id, found {describe(value)}")
            out[key] = value
            continue
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise TuneError(f"{where}: expected a list of names, found {describe(value)}")
        if len(set(value)) != len(value):
            raise TuneError(f"{where}: a name is given twice")
        if key == "targets":
            for v in value:
                if v not in TARGET_SETS:
                    raise TuneError(f"{where}: unknown target set {quote(v)}{did_you_mean(v, TARGET_SETS)}; "
                                    f"use {' and/or '.join(TARGET_SETS)}")
            out[key] = tuple(v for v in TARGET_SETS if v in value)
        else:
            out[key] = tuple(value)
    return out


def leaves(data: dict[str, Any], keys: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every value of the sweep with the keys that lead to it (a table is a step of a key path)."""
    for key, value in data.items():
        if isinstance(value, dict):
            yield from leaves(value, (*keys, key))
        else:
            yield (*keys, key), value


def knob(name: str, keys: tuple[str, ...], value: Any, texts: dict[str, str], parsed: dict[str, Any]) -> Knob:
    """The knob a key path and its range name, or TuneError saying what is wrong with it."""
    key = shown(keys)
    where = f"{name}: {key}"
    if not (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise TuneError(f"{where}: expected a range [LOW, HIGH] of two numbers, found {describe(value)}")
    if any(isinstance(v, int) and abs(v) >= WHOLE_LIMIT for v in value):
        raise TuneError(f"{where}: {' and '.join(quote(v) for v in value)}: a number too large for content")
    low, high = float(value[0]), float(value[1])
    try:
        place = locate(keys, texts, parsed)
        check_range(place, low, high)
    except KeyPathError as exc:
        raise TuneError(f"{where}: {exc}") from None
    return Knob(key=key, file=place.file, steps=place.steps, whole=place.whole, low=low, high=high, start=place.value)


# ---- the content folder a point is written into ----

def read_texts(root: Path) -> dict[str, str]:
    """The TOML files a content folder holds (top level, scenarios/, strategies/), by relative path."""
    out = {}
    for pattern in ("*.toml", "scenarios/*.toml", "strategies/*.toml"):
        for path in sorted(root.glob(pattern)):
            rel = path.relative_to(root).as_posix()
            try:
                out[rel] = read_regular(path, MAX_TOML_BYTES).decode("utf-8")
            except ReadRefused as exc:
                raise TuneError(f"{path_text(path)}: {exc}") from None
            except UnicodeDecodeError:
                raise TuneError(f"{path_text(path)}: is not UTF-8 text") from None
    return out


def rounded(value: float, knob: Knob) -> float:
    """A tried value as the content will hold it: whole, or SIG_DIGITS significant digits, within the range."""
    if value == knob.start:
        return knob.start
    if knob.whole:
        return float(round(value))
    return min(max(float(f"{value:.{SIG_DIGITS}g}"), knob.low), knob.high)


class Workspace:
    """A private copy of the content folder; a point is written into it as text and loaded from there."""

    def __init__(self, texts: dict[str, str], folder_name: str) -> None:
        self.texts = texts
        self.spans: dict[str, Any] = {}
        self.temp = Path(tempfile.mkdtemp(prefix="compute-race-tune-"))
        self.root = self.temp / (folder_name or "content")
        write_files(self.root, texts)

    def close(self) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)

    def texts_at(self, point: dict[Knob, float]) -> dict[str, str]:
        """Every file a knob is written in, its text with the point's values (the others as they are)."""
        changes: dict[str, dict[tuple[str | int, ...], str]] = {}
        for k, value in point.items():
            changes.setdefault(k.file, {})
            if value != k.start:
                changes[k.file][k.steps] = number_text(value, k.whole)
        out = {}
        for file, edits in changes.items():
            if file not in self.spans:
                self.spans[file] = value_spans(self.texts[file])
            out[file] = replace_values(self.texts[file], edits, self.spans[file]) if edits else self.texts[file]
        return out

    def load(self, point: dict[Knob, float], name: str, what: str) -> Content:
        """The content at `point`, loaded from its text; TuneError (`what` names the point) when the loader
        refuses it."""
        try:
            texts = self.texts_at(point)
        except EditError as exc:
            raise TuneError(f"{name}: cannot write {what} in place: {exc}") from None
        for file, text in texts.items():
            atomic_write(self.root / file, text.encode("utf-8"))
        try:
            return load_content(self.root)
        except ContentErrors as exc:
            raise TuneError(f"{name}: {what} breaks content: {exc.errors[0]}; narrow the range") from None
        except ContentError as exc:
            raise TuneError(f"{name}: {what} breaks content: {exc}; narrow the range") from None


def write_files(root: Path, texts: dict[str, str]) -> None:
    root.mkdir()
    for rel, text in sorted(texts.items()):
        path = root / rel
        if not path.parent.is_dir():
            path.parent.mkdir()
        atomic_write(path, text.encode("utf-8"))


# ---- the score ----

def miss(value: float, low: float | None, high: float | None) -> float:
    """How far a figure lies outside its band, as a share of the bound it crosses (so that FLOP counts, months and
    win rates add up alike); past a bound of 0, as a share of the band's width, or in the figure's own units
    when the band is the single point 0. 0 inside; MISS_CAP for a figure that is not a number."""
    if not math.isfinite(value):
        return MISS_CAP
    if low is not None and value < low:
        bound, gap = low, low - value
    elif high is not None and value > high:
        bound, gap = high, value - high
    else:
        return 0.0
    width = high - low if low is not None and high is not None else 0.0
    return gap / (abs(bound) or width or 1.0)


def target_miss(ok: bool, parts: list[float]) -> float:
    """A target's part of the score: 0 when it holds, else its misses summed, between MISS_FLOOR and MISS_CAP."""
    return 0.0 if ok else min(max(sum(parts), MISS_FLOOR), MISS_CAP)


def balance_targets(summary: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"set": "balance", "target": t["target"], "figure": t["figure"], "ok": t["ok"],
             "miss": target_miss(t["ok"], [miss(t["value"], *t["band"])])} for t in summary["targets"]]


def backtest_targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    from game.sim.backtest import number

    out = []
    for r in result["rows"]:
        lo, hi = r["accept"]
        parts = [miss(r["median"], lo, hi)]
        figure = f"median {number(r['median'])}, accept {number(lo)} to {number(hi)}"
        if "share_above" in r:
            sa = r["share_above"]
            parts.append(miss(sa["share"], None, sa["at_most"]))
            figure += f"; above {number(sa['value'])} in {sa['share']:.0%} (at most {sa['at_most']:.0%})"
        out.append({"set": "backtest", "target": r["figure"], "figure": figure, "ok": r["ok"],
                    "miss": target_miss(r["ok"], parts)})
    for c in result["continuity"]:
        out.append({"set": "backtest", "target": f"one world: {c['side']} {c['figure']}",
                    "figure": f"opening {number(c['opening'])}, history {number(c['history'])} ({c['factor']:.2f}x, "
                              f"within {c['within']:g}x)", "ok": c["ok"],
                    "miss": target_miss(c["ok"], [miss(c["factor"], None, c["within"])])})
    return out


def evaluate(content: Content, sweep: Sweep, games: int, seed: int, jobs: int, pool: Any = None
             ) -> list[dict[str, Any]]:
    """Every target of the sweep's sets at one point, each with its figure, verdict and miss: the balance and
    backtest runs themselves judge the point. The one place a trial's games are played: on `pool` (a Dask
    cluster, game/sim/cluster.py, the trial's content sent with the job) or here with `jobs` processes."""
    from game.sim.backtest import run_backtest
    from game.sim.balance import STRATEGIES, run_balance

    out: list[dict[str, Any]] = []
    if "balance" in sweep.targets:
        summary = run_balance(content, sweep.scenario, sweep.strategies or STRATEGIES, games, seed, jobs, pool=pool)
        out += balance_targets(summary)
    if "backtest" in sweep.targets:
        out += backtest_targets(run_backtest(content, games, seed, pool=pool))
    return out


# ---- the search ----

@attrs.frozen
class Trial:
    number: int                    # from 1
    point: dict[str, float]        # key path -> value
    score: float
    targets: list[dict[str, Any]]


def import_optuna() -> Any:
    try:
        import optuna
    except ImportError:
        raise TuneError(INSTALL) from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


def suggest(trial: Any, k: Knob) -> float:
    if k.whole:
        return float(trial.suggest_int(k.key, int(k.low), int(k.high)))
    log = k.low > 0 and k.high >= LOG_SPAN * k.low
    return float(trial.suggest_float(k.key, k.low, k.high, log=log))


def point_text(point: dict[str, float]) -> str:
    return ", ".join(f"{key} = {value:g}" for key, value in point.items())


def search(sweep: Sweep, ws: Workspace, trials: int, games: int, seed: int, jobs: int,
           say: Callable[[str], None], pool: Any = None) -> tuple[Trial, Trial | None, int]:
    """Try up to `trials` points with Optuna's TPE sampler seeded from `seed`, the starting content first when it
    lies in every range, stopping early when every target passes; returns the best trial (the earliest of equal
    scores), the starting content's, and how many points were tried."""
    from game.engine.state import NonFiniteState

    optuna = import_optuna()
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed % 2**32))
    start_inside = all(k.low <= k.start <= k.high for k in sweep.knobs)
    if start_inside:
        study.enqueue_trial({k.key: (int(k.start) if k.whole else k.start) for k in sweep.knobs})
    best: Trial | None = None
    first: Trial | None = None
    seen: dict[tuple[float, ...], list[dict[str, Any]]] = {}  # a point written alike is judged alike: once
    for number in range(1, trials + 1):
        asked = study.ask()
        point = {k: rounded(suggest(asked, k), k) for k in sweep.knobs}
        shown = {k.key: v for k, v in point.items()}
        what = f"trial {number} ({point_text(shown)})"
        if tuple(point.values()) in seen:
            targets = seen[tuple(point.values())]
        else:
            content = ws.load(point, sweep.name, what)
            try:
                targets = evaluate(content, sweep, games, seed, jobs, pool)
            except NonFiniteState as exc:
                raise TuneError(f"{sweep.name}: {what}: {exc}: the point takes the engine's state to NaN or infinity; "
                                "narrow the range") from None
            seen[tuple(point.values())] = targets
        if not targets:
            raise TuneError(f"{sweep.name}: no target applies: balance's targets need normal, hard and easy among "
                            "tune.strategies; add them, or set tune.targets")
        score = sum(t["miss"] for t in targets)
        study.tell(asked, score)
        trial = Trial(number, shown, score, targets)
        if start_inside and number == 1:
            first = trial
        if best is None or score < best.score:
            best = trial
        off = sum(not t["ok"] for t in targets)
        say(f"trial {number}/{trials}: {point_text(shown)} -> score {score:.4g} ({off} of {len(targets)} targets off)"
            f"{' [the starting content]' if first is trial else ''}; best {best.score:.4g} (trial {best.number})")
        if score == 0:
            say("every target passes: no point can do better; the search stops here")
            break
    assert best is not None
    return best, first, number


# ---- the overlay folder ----

def is_ours(folder: Path) -> bool:
    try:
        head = read_regular(folder / MARKER, 4096).decode("utf-8", "replace")
    except ReadRefused:
        return False
    return head.startswith(MARKER_HEAD)


def check_out(out: Path) -> None:
    """--out must be new, an empty folder, or a folder this command wrote (never a link, a file, or someone's
    folder of other things)."""
    try:
        st = os.lstat(out)
    except FileNotFoundError:
        parent = out.parent if str(out.parent) else Path(".")
        if kind(parent) != "folder":
            raise TuneError(f"--out {path_text(out)}: folder {path_text(parent)} does not exist") from None
        if not os.access(parent, os.W_OK):
            raise TuneError(f"--out {path_text(out)}: folder {path_text(parent)} cannot be written") from None
        return
    except (OSError, ValueError):
        raise TuneError(f"--out {path_text(out)}: not a usable path") from None
    if stat.S_ISLNK(st.st_mode):
        raise TuneError(f"--out {path_text(out)}: is a symbolic link; give the path of a folder")
    if not stat.S_ISDIR(st.st_mode):
        raise TuneError(f"--out {path_text(out)}: is not a folder; give a new or empty folder")
    if any(out.iterdir()) and not is_ours(out):
        raise TuneError(f"--out {path_text(out)}: holds files tune did not write (no {MARKER}); give a new or empty "
                        "folder, or a folder an earlier tune wrote")
    if not os.access(out.parent if str(out.parent) else Path("."), os.W_OK):
        raise TuneError(f"--out {path_text(out)}: its folder cannot be written")


def write_overlay(out: Path, texts: dict[str, str], marker: str) -> None:
    """The folder written beside `out` under a temporary name, then renamed into place: a reader sees the old
    folder or the new one, and a failure leaves the old one as it was."""
    check_out(out)
    parent = out.parent if str(out.parent) else Path(".")
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{out.name[:40]}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise TuneError(f"--out {path_text(out)}: cannot write beside it ({exc.strerror})") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o777 & ~umask)  # a content folder like any other, not mkdtemp's private one
        for rel, text in sorted(texts.items()):
            path = temp / rel
            if not path.parent.is_dir():
                path.parent.mkdir()
            atomic_write(path, text.encode("utf-8"))
        atomic_write(temp / MARKER, marker.encode("utf-8"))
        swap_in(temp, out)
    except TuneError:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    except OSError as exc:  # AtomicWriteError too
        shutil.rmtree(temp, ignore_errors=True)
        raise TuneError(f"--out {path_text(out)}: cannot write ({getattr(exc, 'strerror', None) or exc}); "
                        "nothing there was changed") from None


def swap_in(temp: Path, out: Path) -> None:
    if kind(out) == "missing" and not os.path.islink(out):
        os.rename(temp, out)
        return
    old = out.parent / f".{out.name[:40]}.{secrets.token_hex(8)}.old"
    os.rename(out, old)
    if os.path.islink(old) or not (is_ours(old) or not any(old.iterdir())):  # changed since it was checked
        os.rename(old, out)
        raise TuneError(f"--out {path_text(out)}: changed while tune ran; nothing there was changed")
    try:
        os.rename(temp, out)
    except OSError:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def marker_text(sweep: Sweep, best: Trial, trials: int, games: int, seed: int) -> str:
    lines = [f"{MARKER_HEAD} this content folder was written by `compute-race tune`; the next tune with this",
             "--out replaces it (a folder without this file is never replaced).",
             f"sweep: {Path(sweep.name).name}, {trials} trials, {games} games, seed {seed}",
             f"best: trial {best.number}, score {best.score:.6g} "
             f"({sum(not t['ok'] for t in best.targets)} of {len(best.targets)} targets off)"]
    lines += [f"{k.key} = {best.point[k.key]:g} (was {k.start:g})" for k in sweep.knobs]
    return "\n".join(lines) + "\n"


# ---- the command ----

def run_tune(sweep_path: str, content_dir: str | None, trials: int, games: int, seed: int, jobs: int, out: str,
             max_games: int, say: Callable[[str], None], pool: Any = None) -> int:
    from game.ai import StrategyError, load_strategy
    from game.content.history import HISTORY_FILE
    from game.sim.balance import STRATEGIES

    import_optuna()  # missing: one line before anything else
    out_path = Path(out)
    check_out(out_path)
    source = load_content(content_dir)
    texts = read_texts(Path(source.root))
    sweep = read_sweep(sweep_path, texts)
    if "backtest" in sweep.targets and HISTORY_FILE not in texts:
        raise TuneError(f"{sweep.name}: the content folder has no {HISTORY_FILE} to backtest against; set "
                        'tune.targets = ["balance"]')
    if "balance" in sweep.targets:
        strategies = sweep.strategies or STRATEGIES
        if len(strategies) ** 2 * games > max_games:
            raise TuneError(f"--games {games:,} over {len(strategies)} strategies is {len(strategies) ** 2 * games:,} "
                            f"games an evaluation; at most {max_games:,}")
        try:
            find_scenario(source, sweep.scenario)
        except ContentError as exc:
            raise TuneError(f"{sweep.name}: tune.scenario: {exc}") from None
        for spec in strategies:
            try:
                load_strategy(spec, source.root)
            except StrategyError as exc:
                raise TuneError(f"{sweep.name}: tune.strategies: {exc}") from None
    ws = Workspace(texts, Path(source.root).name)
    try:
        # Each end of each range, the other values as they are: a range the loader refuses is found before any game.
        for k in sweep.knobs:
            start = {other: other.start for other in sweep.knobs}
            for end, value in (("low", k.low), ("high", k.high)):
                ws.load({**start, k: value}, sweep.name, f"{k.key} = {value:g} (the {end} end of its range)")
        best, first, tried = search(sweep, ws, trials, games, seed, jobs, say, pool)
        overlay = {**texts, **ws.texts_at({k: best.point[k.key] for k in sweep.knobs})}
    finally:
        ws.close()
    write_overlay(out_path, overlay, marker_text(sweep, best, tried, games, seed))
    off = sum(not t["ok"] for t in best.targets)
    was = "" if first is None else (f"; the starting content: {first.score:.4g}, "
                                    f"{sum(not t['ok'] for t in first.targets)} off")
    say("")
    say(f"best: trial {best.number} of {tried}, score {best.score:.4g} ({off} of {len(best.targets)} targets off{was})")
    for k in sweep.knobs:
        say(f"  {k.key} = {best.point[k.key]:g} (was {k.start:g})")
    say(f"written to {path_text(out_path)}: play it with --content {path_text(out_path)}; "
        f"check it with content check {path_text(out_path)}")
    say(f"targets there ({games} games from seed {seed}):")
    for t in best.targets:
        say(f"  [{'ok' if t['ok'] else 'FAIL'}] {t['set']}: {t['target']}: {t['figure']}")
    return 0
