"""Where a sweep's chunks of games run: here, in a pool of `--jobs` processes, or on a Dask cluster (`--cluster`).

One interface for every command that plays many games (sim, balance, backtest, tune):

    with Pool(jobs=2, cluster="tcp://127.0.0.1:8786") as pool:  # connects (or fails with one line) here
        parts = pool.split(seeds, CHUNK, total=games_in_the_sweep)  # one run's seeds in chunks
        results = pool.map(task, chunks, content, files)          # in the order of `chunks`

(game/sim/runner.py's run_pairings is the example: every pairing's chunks in one map.) Without `cluster`, the
same code runs here, in `jobs` processes; `map_chunks` is the one-call form.

A task is a module-level function `task(site: Site, chunk) -> plain data` (lists, dicts, numbers, numpy
arrays; never a game object). It runs wherever the chunk lands: `site.content` is the content loaded there and
`site.spec(spec)` the path a strategy or scenario file named by the run has there. Games are batch-invariant
and tasks are pure, so the results do not depend on where, in what order, in what chunks or how many times a
chunk ran: a chunk lost with a dying worker is run again elsewhere (Dask does this for tasks on a lost worker)
and the answer is unchanged.

A cluster's workers need only the installed package: the content folder's files and every file the run names
travel with the job as bytes and are written into a private temp folder on the worker for the length of a
chunk. Dask's wire protocol is pickle, so a cluster must be the designer's own (loopback or a private network);
what we send over it is plain data. Dask is imported only here, and only on the --cluster path.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
import re
import socket
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import attrs

from game.atomic import ReadRefused, read_regular, write_all
from game.content import MAX_TOML_BYTES, Content, load_content
from game.engine import jit
from game.text import OneLine, path_text, quote

C = TypeVar("C")
R = TypeVar("R")

INSTALL = "pip install 'compute-race[designer]'"
ADDRESS = re.compile(r"tcp://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(?P<port>[0-9]{1,5})")
CONNECT_TIMEOUT_S = 10.0  # a scheduler that has not answered in this long is not there (or not Dask)
MAX_HANDSHAKE_BYTES = 2**24  # a Dask handshake is ~100 bytes; a length beyond this is some other protocol's bytes
# Chunks on a cluster: about this many per worker thread over the whole sweep, so that the last chunks finish
# close together and a worker that dies takes little work with it; never fewer games than MIN_CLUSTER_CHUNK in one
# (a chunk loads the content, ~40 ms, and the engine is vectorised over the batch).
TASKS_PER_THREAD = 4
WATCH_S = 1.0  # how often a run waiting on a chunk asks whether the cluster still has workers
NO_WORKERS_S = 30.0  # a cluster without workers this long is given up on (Dask would wait for new ones forever)
MIN_CLUSTER_CHUNK = 16
# What a job may carry: the content folder's TOML files, each at most the loader's cap.
MAX_PACK_FILES = 1000
MAX_PACK_BYTES = 64 * 1024 * 1024
# The folders of a content folder that the loaders read (`*.toml` in each): the root, scenarios/, strategies/.
CONTENT_FOLDERS = ("", "scenarios", "strategies")


class ClusterError(OneLine, Exception):
    """The cluster cannot be used (no Dask, a malformed address, no scheduler, lost work): one line, exit 2."""


def parse_address(text: str) -> str:
    """`tcp://HOST:PORT` (HOST a name, an IPv4 address or a bracketed IPv6 one); ValueError says what is wrong."""
    found = ADDRESS.fullmatch(text)
    if found is None or not 1 <= int(found["port"]) <= 65535:
        raise ValueError(f"expected a Dask scheduler address tcp://HOST:PORT such as tcp://127.0.0.1:8786, "
                         f"found {quote(text)}")
    return text


def host_port(address: str) -> tuple[str, int]:
    found = ADDRESS.fullmatch(address)
    assert found is not None, address
    return found["host"].strip("[]"), int(found["port"])


@attrs.frozen
class Site:
    """What a task sees where it runs: the content loaded there, and there the path of each file the run names
    (a strategy or scenario given by path); every other spec is itself."""

    content: Content
    files: Mapping[str, str] = attrs.field(factory=dict)

    def spec(self, spec: str) -> str:
        return self.files.get(spec, spec)


@attrs.frozen
class Pack:
    """A job's files as bytes: the content folder's (by path inside it) and each file the run names by path
    (spec -> its file name and bytes), with the versions the results depend on."""

    content: dict[str, bytes]
    named: dict[str, tuple[str, bytes]]
    versions: dict[str, str]


def versions() -> dict[str, str]:
    """What must match between this machine and a worker for a chunk's records to be the ones played here: the
    package's version and its code (a checkout edited since its version was set plays other games), the rules
    version and numpy's."""
    import numpy as np

    from game import __version__
    from game.engine.rules_version import RULES_VERSION

    return {"compute-race": __version__, "code": code_digest(), "rules": str(RULES_VERSION), "numpy": np.__version__}


@functools.cache
def code_digest() -> str:
    """A digest of the game package's Python files (names and bytes): the same install gives the same one."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def pack(content: Content, files: Mapping[str, Path]) -> Pack:
    """Read the content folder (every `*.toml` the loaders may read) and the named files into a Pack."""
    root = Path(content.root)
    found: dict[str, bytes] = {}
    total = 0

    def read(path: Path) -> bytes | None:
        nonlocal total
        try:
            data = read_regular(path, MAX_TOML_BYTES)
        except ReadRefused:  # not a file the loaders could read either: left out, as they would leave it
            return None
        total += len(data)
        if total > MAX_PACK_BYTES or len(found) >= MAX_PACK_FILES:
            raise ClusterError(f"content folder {path_text(root)}: more than {MAX_PACK_FILES:,} files or "
                               f"{MAX_PACK_BYTES // 2**20} MB of TOML to send with the job; move what the run "
                               "does not need out of it")
        return data

    for folder in CONTENT_FOLDERS:
        for path in sorted((root / folder).glob("*.toml")):
            data = read(path)
            if data is not None:
                found[path.relative_to(root).as_posix()] = data
    named: dict[str, tuple[str, bytes]] = {}
    for spec, path in files.items():
        data = read(path)
        if data is not None:
            named[spec] = (path.name, data)
    return Pack(content=found, named=named, versions=versions())


def safe_part(name: str) -> str:
    """One file or folder name of a pack, never a way out of the folder it is written into."""
    if name in ("", ".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise ClusterError(f"a job's file name {quote(name)} is not a plain name; the job was not sent by "
                           "compute-race")
    return name


def write_new(path: Path, data: bytes) -> None:
    """A new file in our own fresh folder: created exclusively and never through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    try:
        write_all(fd, data)
    finally:
        os.close(fd)


def unpack(job: Pack, folder: Path) -> dict[str, str]:
    """Write the pack into `folder` (a fresh private temp folder): the content folder as it was in content/,
    each named file under its own name in a folder of its own in named/ (so, `.toml` or not, it is read as the
    same kind of spec as here). Returns spec -> the named file's path."""
    root = folder / "content"
    root.mkdir()
    for rel, data in job.content.items():
        parts = [safe_part(p) for p in rel.split("/")]
        if len(parts) > 2:
            raise ClusterError(f"a job's content file {quote(rel)} is nested too deep; the job was not sent by "
                               "compute-race")
        target = root.joinpath(*parts)
        target.parent.mkdir(exist_ok=True)
        write_new(target, data)
    paths: dict[str, str] = {}
    for k, (spec, (name, data)) in enumerate(sorted(job.named.items())):
        own = folder / "named" / str(k)
        own.mkdir(parents=True)
        target = own / safe_part(name)
        write_new(target, data)
        paths[spec] = str(target)
    return paths


def run_on_worker(task: Callable[[Site, C], R], job: Pack, chunk: C) -> R:
    """A chunk on a cluster's worker: the job's files into a private temp folder, the content loaded from it,
    the task run, the folder removed. Refuses to play on a worker whose versions differ from the client's."""
    here = versions()
    if here != job.versions:
        differ = ", ".join(f"{k} {job.versions.get(k)} here, {v} on the worker" for k, v in here.items()
                           if job.versions.get(k) != v)
        raise ClusterError(f"a worker runs other versions ({differ}); its games would not be the ones played "
                           "here: install the same versions on every worker")
    with tempfile.TemporaryDirectory(prefix="compute-race-job-") as name:
        folder = Path(name)
        try:
            paths = unpack(job, folder)
        except OSError as exc:
            raise ClusterError(f"a worker cannot write the job's content into {folder} ({exc.strerror})") from None
        jit.enable()  # a worker plays headless batches: compiled kernels where it has numba (the same bits)
        return task(Site(load_content(folder / "content"), paths), chunk)


def run_local(task: Callable[[Site, C], R], root: str, chunk: C) -> R:
    """A chunk in a --jobs process of this machine: the content read from its folder here."""
    return task(Site(load_content(root)), chunk)


def _star(args: tuple[Any, ...]) -> Any:
    """run_local for ProcessPoolExecutor.map, which passes each call one argument."""
    return run_local(*args)


class Pool:
    """Runs chunks here (jobs 1), in `jobs` local processes, or on the Dask scheduler at `cluster`. A context
    manager: entering connects to the cluster (ClusterError, one line, when it cannot), leaving closes it."""

    def __init__(self, jobs: int = 1, cluster: str | None = None) -> None:
        self.jobs = max(jobs, 1)
        self.cluster = cluster
        self.client: Any = None
        self.threads = self.jobs  # chunks that run at once (on a cluster: its worker threads when connected)
        self._local: ProcessPoolExecutor | None = None
        self._log_level: int | None = None

    def __enter__(self) -> Pool:
        if self.cluster is not None:
            try:
                self.connect(self.cluster)
            except BaseException:
                self.__exit__()
                raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._local is not None:
            self._local.shutdown(cancel_futures=True)
            self._local = None
        if self.client is not None:
            try:
                self.client.close(timeout=CONNECT_TIMEOUT_S)
            except Exception:  # a scheduler already gone: there is nothing left to close
                pass
            self.client = None
        if self._log_level is not None:
            logging.getLogger("distributed").setLevel(self._log_level)
            self._log_level = None

    def connect(self, address: str) -> None:
        try:
            import distributed
        except ImportError:
            raise ClusterError(f"Dask is not installed here; install it with {INSTALL}") from None
        host, port = host_port(address)
        why = probe(host, port, CONNECT_TIMEOUT_S)
        if why is not None:
            raise ClusterError(f"cannot reach a Dask scheduler there ({why}); start one with "
                               f"`dask scheduler --host {host} --port {port}`")
        # Our errors are one line each; Dask's own log lines on this process's stderr would add to them.
        logger = logging.getLogger("distributed")
        self._log_level = logger.level
        logger.setLevel(logging.CRITICAL)
        try:
            self.client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, distributed.TimeoutError) as exc:
            raise ClusterError(f"no Dask scheduler answers there ({one_reason(exc)})") from None
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
        except (OSError, distributed.TimeoutError):
            raise ClusterError(f"the scheduler has no workers (waited {CONNECT_TIMEOUT_S:g} s); start some with "
                               f"`dask worker {address}`") from None
        self.threads = max(sum(self.client.nthreads().values()), 1)

    def split(self, seeds: Sequence[int], chunk: int, total: int | None = None) -> list[list[int]]:
        """One run's seeds in chunks of at most `chunk`. Here: split further so `jobs` processes share a run
        too small to fill them. On a cluster: about TASKS_PER_THREAD chunks per worker thread over the whole
        sweep (`total` games, default this run's). The results never depend on the chunks."""
        seeds = list(seeds)
        if self.client is not None:
            games = max(total or len(seeds), 1)
            size = min(chunk, max(MIN_CLUSTER_CHUNK, math.ceil(games / (TASKS_PER_THREAD * self.threads))))
        else:
            size = chunk
            if self.jobs > 1 and math.ceil(len(seeds) / chunk) < self.jobs and len(seeds) >= 2 * self.jobs:
                size = math.ceil(len(seeds) / self.jobs)
        return [seeds[i:i + size] for i in range(0, len(seeds), size)]

    def map(self, task: Callable[[Site, C], R], chunks: Sequence[C], content: Content,
            files: Mapping[str, Path] | None = None, on_done: Callable[[int, R], None] | None = None) -> list[R]:
        """task(site, chunk) for every chunk, results in the order of `chunks`; `on_done(i, result)` as each is
        taken, in that order. `files`: spec -> path of each file the run names outside the content folder
        (runner.named_files), sent with the job to a cluster."""
        if self.client is not None:
            return self._map_cluster(task, chunks, content, files or {}, on_done)
        results: list[R] = []
        if self.jobs <= 1 or len(chunks) <= 1:
            site = Site(content)
            for i, chunk in enumerate(chunks):
                results.append(task(site, chunk))
                if on_done:
                    on_done(i, results[-1])
            return results
        if self._local is None:
            self._local = ProcessPoolExecutor(max_workers=self.jobs)
        args = [(task, str(content.root), chunk) for chunk in chunks]
        for i, result in enumerate(self._local.map(_star, args)):
            results.append(result)
            if on_done:
                on_done(i, result)
        return results

    def _map_cluster(self, task: Callable[[Site, C], R], chunks: Sequence[C], content: Content,
                     files: Mapping[str, Path], on_done: Callable[[int, R], None] | None) -> list[R]:
        client = self.client
        job = pack(content, files)
        futures: list[Any] = []
        try:
            # The job's files live once in the scheduler's graph as a task of their own: when the worker holding
            # them dies they are made again, where data scattered from here would be lost with it. No retries=: a
            # chunk's own error is deterministic and would only repeat, while a chunk lost with its worker is run
            # again by the scheduler anyway (distributed.scheduler.allowed-failures, 3 deaths by default).
            held = self._lost_scheduler(lambda: client.submit(hold, job, pure=False))
            futures = [held, *self._lost_scheduler(lambda: [client.submit(run_on_worker, task, held, chunk, pure=False)
                                                            for chunk in chunks])]
            results: list[R] = []
            for i, future in enumerate(futures[1:]):
                results.append(self._result(future))
                future.release()  # the records are here now; the worker may forget them
                if on_done:
                    on_done(i, results[-1])
            return results
        except BaseException:
            try:  # nothing more to play for this run
                client.cancel(futures)
            except Exception:  # a scheduler already gone has nothing left to cancel
                pass
            raise
        finally:
            for future in futures:
                future.release()

    def _lost_scheduler(self, call: Callable[[], Any]) -> Any:
        """call(), a request to the scheduler: one that no longer answers is a ClusterError."""
        import distributed

        try:
            return call()
        except (OSError, distributed.TimeoutError, distributed.CancelledError) as exc:
            raise ClusterError(f"lost the scheduler during the run ({one_reason(exc)}); nothing was written") from None

    def _result(self, future: Any) -> Any:
        """A chunk's result, waited for. While it waits, it watches that the cluster still has workers: Dask waits
        for new ones without end, so a run on a cluster with none for NO_WORKERS_S stops with a ClusterError."""
        alone_s = 0.0
        while True:
            try:
                return future.result(timeout=WATCH_S)
            except Exception as exc:
                status = future.status
                if status == "finished":  # it finished as the wait timed out: its result is there now
                    continue
                if status != "pending":
                    raise self._failure(future, exc) from None
            threads = self._lost_scheduler(self.client.nthreads)
            alone_s = 0.0 if threads else alone_s + WATCH_S
            if alone_s >= NO_WORKERS_S:
                raise ClusterError(f"the cluster has had no workers for {NO_WORKERS_S:g} s (they died or left, or "
                                   "could not load the job: are compute-race and Dask the same version there?); "
                                   "nothing was written")

    def _failure(self, future: Any, raised: BaseException) -> BaseException:
        """What to raise for a chunk that did not finish: the task's own error, as a run here would raise it, or
        a ClusterError when the cluster lost it or could not run it."""
        import distributed

        if future.status in ("cancelled", "lost"):
            return ClusterError("the scheduler cancelled the run (restarted, shut down or lost); nothing was written")
        exc: BaseException = future.exception() if future.status == "error" else raised
        if isinstance(exc, distributed.KilledWorker):
            return ClusterError("a chunk of games was lost: every worker that ran it died (out of memory? a "
                                "different install? see the workers' logs); nothing was written")
        if type(exc).__module__.partition(".")[0] == "game":  # the games' own error: as a local run raises it
            return exc
        # Dask's or Python's on the cluster: most often a scheduler or worker that cannot unpickle our tasks
        return ClusterError(f"a chunk failed on the cluster ({type(exc).__name__}: {one_reason(exc)}); the scheduler "
                            "and every worker need the same compute-race and Dask as here")


def probe(host: str, port: int, timeout_s: float) -> str | None:
    """Why no Dask scheduler answers at host:port, or None when one does. Looked at with a plain socket first
    because Dask's own connect retries a refused connection until its timeout and waits without end on a server
    that accepts and says nothing. A Dask server speaks first: its handshake, framed by an 8-byte length."""
    deadline = time.monotonic() + timeout_s  # a timeout on the network, never a result
    head = b""
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as sock:
            while len(head) < 8:
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                got = sock.recv(8 - len(head))
                if not got:
                    return "the server there closed the connection without a word"
                head += got
    except TimeoutError:
        return f"no answer in {timeout_s:g} s"
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    size = int.from_bytes(head, "little")
    return None if 0 < size < MAX_HANDSHAKE_BYTES else "another kind of server answers, not Dask"


def hold(job: Pack) -> Pack:
    """The job's files as a task's result (see Pool._map_cluster)."""
    return job


def one_reason(exc: BaseException) -> str:
    """The first paragraph of an error's text, on one line (Dask's run to several)."""
    paragraph = str(exc).strip().split("\n\n")[0]
    return " ".join(paragraph.split()) or type(exc).__name__


def map_chunks(task: Callable[[Site, C], R], chunks: Sequence[C], content: Content,
               files: Mapping[str, Path] | None = None, cluster: str | None = None, jobs: int = 1,
               on_done: Callable[[int, R], None] | None = None) -> list[R]:
    """Pool.map for one call: opens the pool (and the cluster connection) and closes it after."""
    with Pool(jobs, cluster) as pool:
        return pool.map(task, chunks, content, files, on_done)
