"""--cluster without a cluster: the address checked, an unreachable scheduler refused before any game, the job's
files packed and unpacked, the chunks as --jobs made them. tests/sim/test_cluster_dask.py runs a real cluster."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import game.sim.cluster as cluster
from game.cli import main
from game.content import load_content
from game.sim.cluster import ClusterError, Pack, Pool, pack, run_on_worker, unpack
from game.sim.runner import named_files
from tests.budget import examples

ROOT = Path(__file__).resolve().parents[2]

COMMANDS = [
    ["sim", "--games", "4"],
    ["balance", "--games", "2", "--strategies", "normal,easy"],
    ["balance", "--games", "2", "--policies"],
    ["balance", "--games", "2", "--rows"],
    ["backtest", "--games", "2"],
]


def refused(capsys, argv: list[str]) -> str:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.endswith("\n") and err.count("\n") == 1, err
    return err


def free_port() -> int:
    """A port nothing listens on (taken and given back at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def no_games(monkeypatch):
    """Any game played fails the test: refusals come before the first game."""
    import game.sim.runner

    def played(*_a, **_k):
        raise AssertionError("a game was played before --cluster was checked")

    monkeypatch.setattr(game.sim.runner, "play_batch", played)


@pytest.mark.parametrize("address", ["127.0.0.1:8786", "tcp://:8786", "tcp://127.0.0.1", "tcp://127.0.0.1:0",
                                     "tcp://127.0.0.1:65536", "http://127.0.0.1:8786", "tcp://bad host:8786",
                                     "tcp://127.0.0.1:8786/", ""])
@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_malformed_address_is_one_line_and_exit_2(capsys, no_games, argv, address):
    err = refused(capsys, [*argv, "--cluster", address])
    assert "--cluster" in err and "tcp://HOST:PORT" in err


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_refused_scheduler_is_one_line_and_exit_2_before_any_game(capsys, tmp_path, no_games, argv):
    out = tmp_path / "out.json"
    port = free_port()
    err = refused(capsys, [*argv, "--json", str(out), "--cluster", f"tcp://127.0.0.1:{port}"])
    assert f"--cluster tcp://127.0.0.1:{port}: cannot reach a Dask scheduler there" in err, err
    assert not out.exists()


def test_an_unknown_host_is_one_line_and_exit_2(capsys, no_games):
    err = refused(capsys, ["sim", "--games", "4", "--cluster", "tcp://no-such-host.invalid:8786"])
    assert "cannot reach a Dask scheduler" in err


def serve(reply: bytes | None) -> tuple[int, threading.Event]:
    """A server on a free port that accepts and then says `reply` (None: nothing at all) until the event is set."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.05)
    stop = threading.Event()

    def run() -> None:
        held = []
        with listener:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                held.append(conn)
                if reply is not None:
                    conn.sendall(reply)
        for conn in held:
            conn.close()

    threading.Thread(target=run, daemon=True).start()
    return int(listener.getsockname()[1]), stop


@pytest.mark.parametrize("reply", [None, b"SSH-2.0-OpenSSH_9.6\r\n", b"HTTP/1.1 400 Bad Request\r\n\r\n"],
                         ids=["silent", "ssh", "http"])
def test_a_server_that_is_not_dask_is_one_line_and_exit_2(capsys, monkeypatch, no_games, reply):
    """Dask's own connect waits without end on a server that accepts and says nothing; ours gives up in time."""
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 0.5)
    port, stop = serve(reply)
    try:
        err = refused(capsys, ["sim", "--games", "4", "--cluster", f"tcp://127.0.0.1:{port}"])
    finally:
        stop.set()
    assert "cannot reach a Dask scheduler there" in err, err


def test_without_dask_cluster_says_how_to_install_it(capsys, monkeypatch, no_games):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` raises ImportError
    err = refused(capsys, ["sim", "--games", "4", "--cluster", "tcp://127.0.0.1:8786"])
    assert "pip install 'compute-race[designer]'" in err


def test_jobs_runs_without_importing_dask(tmp_path):
    """--jobs is the local default and needs no Dask: not even imported."""
    code = ("import sys; from game.cli import main; assert main(['sim', '--games', '3', '--jobs', '2']) == 0; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_saves_are_refused_with_cluster(capsys, tmp_path, no_games):
    err = refused(capsys, ["sim", "--games", "4", "--saves", str(tmp_path), "--cluster", "tcp://127.0.0.1:8786"])
    assert "--saves and --cluster" in err


def test_the_local_chunks_are_the_ones_jobs_made_before():
    """--jobs N splits a run as it always did: chunks of at most CHUNK, or N parts of a run too small for N."""
    assert Pool(1).split(list(range(10)), 4096) == [list(range(10))]
    assert Pool(2).split(list(range(10)), 4096) == [list(range(5)), list(range(5, 10))]
    assert Pool(2).split(list(range(3)), 4096) == [list(range(3))]
    assert Pool(2).split(list(range(9)), 4) == [[0, 1, 2, 3], [4, 5, 6, 7], [8]]


def test_cluster_chunks_spread_the_whole_sweep_over_the_threads():
    pool = Pool(cluster="tcp://127.0.0.1:8786")
    pool.client, pool.threads = object(), 2  # as if connected to two worker threads
    assert [len(p) for p in pool.split(list(range(160)), 4096)] == [20] * 8
    assert [len(p) for p in pool.split(list(range(40)), 4096, total=40 * 49)] == [40]  # a balance: a pairing a chunk
    assert [len(p) for p in pool.split(list(range(40)), 4096)] == [16, 16, 8]  # never fewer than MIN_CLUSTER_CHUNK


def modded(tmp_path: Path) -> Path:
    """A copy of the content with a changed value and a strategy of its own, and a strategy file outside it."""
    import shutil

    folder = tmp_path / "mod"
    shutil.copytree(ROOT / "content", folder)
    scoring = folder / "scoring.toml"
    text = scoring.read_text(encoding="utf-8")
    assert "\ndecisive_margin_months = 18.5 " in text
    scoring.write_text(text.replace("\ndecisive_margin_months = 18.5 ", "\ndecisive_margin_months = 6.0 "),
                       encoding="utf-8")
    (folder / "strategies" / "mine.toml").write_text(
        (ROOT / "content" / "strategies" / "balanced.toml").read_text(encoding="utf-8").replace(
            'id = "balanced"', 'id = "mine"'), encoding="utf-8")
    return folder


def test_a_pack_unpacks_to_the_same_content_and_named_files(tmp_path):
    folder = modded(tmp_path)
    content = load_content(folder)
    outside = tmp_path / "plan"  # a strategy file without .toml: read by path because it is a file
    outside.write_bytes((ROOT / "content" / "strategies" / "balanced.toml").read_bytes())
    scenario = tmp_path / "other.toml"
    scenario.write_bytes((ROOT / "content" / "scenarios" / "2025.toml").read_bytes())
    files = named_files(content, ["2025", str(scenario)], ["normal", "mine", str(outside), "normal-without:x"])
    assert set(files) == {str(scenario), str(outside)}
    job = pack(content, files)
    assert "scoring.toml" in job.content and "strategies/mine.toml" in job.content
    assert "scenarios/2025.toml" in job.content
    there = tmp_path / "worker"
    there.mkdir()
    paths = unpack(job, there)
    assert load_content(there / "content").digest == content.digest
    assert Path(paths[str(outside)]).name == "plan" and Path(paths[str(outside)]).read_bytes() == outside.read_bytes()
    assert Path(paths[str(scenario)]).name == "other.toml"


@pytest.mark.parametrize("name", ["..", ".", "", "a/b", "a\\b", "x\0y"])
def test_unpack_refuses_a_name_that_leaves_its_folder(tmp_path, name):
    job = Pack(content={f"strategies/{name}": b""}, named={}, versions=cluster.versions())
    with pytest.raises(ClusterError):
        unpack(job, tmp_path)


def test_a_worker_with_other_versions_refuses_to_play(tmp_path):
    content = load_content()
    job = pack(content, {})
    other = Pack(content=job.content, named={}, versions={**job.versions, "numpy": "0.0.1"})

    def never(*_a):
        raise AssertionError("played on a worker with other versions")

    with pytest.raises(ClusterError, match="numpy 0.0.1 here"):
        run_on_worker(never, other, None)


def test_a_job_runs_from_its_own_files(tmp_path):
    """run_on_worker plays from the pack alone: the content folder it came from may be gone."""
    from game.sim.runner import play_chunk

    folder = modded(tmp_path)
    content = load_content(folder)
    job = pack(content, {})
    chunk = ("2025", "mine", "normal", [1, 2, 3], False, None, False)
    here = play_chunk(cluster.Site(content), chunk)
    os.rename(folder, tmp_path / "gone")
    assert json.dumps(run_on_worker(play_chunk, job, chunk)) == json.dumps(here)


@settings(max_examples=examples(200), deadline=None)
@given(st.one_of(st.text(max_size=40), st.from_regex(r"tcp://[a-z0-9.\[\]:_-]{0,12}:[0-9]{0,6}", fullmatch=True)))
def test_an_address_is_accepted_whole_or_refused_with_a_reason(text):
    """Any text: parse_address returns it (with a port from 1 to 65535) or raises ValueError; nothing else."""
    try:
        accepted = cluster.parse_address(text)
    except ValueError as exc:
        assert "tcp://HOST:PORT" in str(exc) and "\n" not in str(exc)
        return
    host, port = cluster.host_port(accepted)
    assert accepted == text and host and 1 <= port <= 65535


@settings(max_examples=examples(200), deadline=None)
@given(seeds=st.lists(st.integers(0, 2**63 - 1), max_size=300), jobs=st.integers(1, 8), threads=st.integers(1, 64),
       chunk=st.integers(1, 5000), runs=st.integers(1, 49), on_cluster=st.booleans())
def test_chunks_hold_every_seed_once_in_order(seeds, jobs, threads, chunk, runs, on_cluster):
    pool = Pool(jobs)
    if on_cluster:
        pool.client, pool.threads = object(), threads
    parts = pool.split(seeds, chunk, total=len(seeds) * runs)
    assert [s for part in parts for s in part] == seeds
    assert all(0 < len(part) <= chunk for part in parts)


NAMES = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\\\0"), min_size=1,
                max_size=30).filter(lambda n: n not in (".", ".."))


@settings(max_examples=examples(50), deadline=None)
@given(files=st.dictionaries(st.tuples(st.sampled_from(["", "scenarios", "strategies"]), NAMES), st.binary(max_size=64),
                             max_size=6),
       named=st.dictionaries(st.text(max_size=20), st.tuples(NAMES, st.binary(max_size=64)), max_size=3))
def test_a_pack_unpacks_to_exactly_its_files(tmp_path_factory, files, named):
    """Whatever names and bytes a pack holds (names of one part each, as a content folder's glob finds them), the
    worker's folder holds exactly those files with exactly those bytes, and every named file in a folder of its own."""
    content = {(f"{folder}/{name}" if folder else name): data for (folder, name), data in files.items()}
    if any(rel in content for rel in ("scenarios", "strategies")):  # a file where a folder must go: not a content folder
        return
    folder = tmp_path_factory.mktemp("unpack")
    try:
        paths = unpack(Pack(content=content, named=named, versions={}), folder)
    except OSError as exc:  # a name the filesystem will not take (too long in bytes)
        assert exc.errno == errno.ENAMETOOLONG
        return
    found = {p.relative_to(folder / "content").as_posix(): p.read_bytes()
             for p in (folder / "content").rglob("*") if p.is_file()}
    assert found == content
    assert set(paths) == set(named)
    assert len({Path(p).parent for p in paths.values()}) == len(named)
    for spec, (name, data) in named.items():
        assert Path(paths[spec]).name == name and Path(paths[spec]).read_bytes() == data


def test_a_chunk_that_finishes_as_the_wait_times_out_is_its_result():
    """The wait for a chunk times out each second to watch the cluster; a chunk that finishes in that instant (seen
    on a loaded machine: the status read after the timeout says finished) gives its result, not a failure."""
    import attrs

    from game.sim.cluster import Pool

    @attrs.define
    class Future:
        waits: int = 0
        status: str = "pending"

        def result(self, timeout=None):
            self.waits += 1
            if self.waits == 1:
                self.status = "finished"  # done just after the first wait gave up
                raise TimeoutError(f"timed out after {timeout} s.")
            return "records"

    assert Pool()._result(Future()) == "records"
