"""A real Dask cluster on localhost (a scheduler and two worker processes): sim, balance and backtest with --cluster
write exactly what a local run writes, with a modded content folder the workers never saw, and after a worker is
killed in the middle of a run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip("distributed")  # the designer and test extras install it (make test does)

pytestmark = pytest.mark.cluster

ROOT = Path(__file__).resolve().parents[2]
CEILING_S = 120.0  # a loaded two-core machine starts a Dask process in a few seconds; this is the limit, not a wait


def wait_until(condition: Callable[[], Any], what: str, ceiling_s: float = CEILING_S) -> Any:
    """Poll `condition` until it returns something true; fail after the ceiling."""
    deadline = time.monotonic() + ceiling_s
    while time.monotonic() < deadline:
        got = condition()
        if got:
            return got
        time.sleep(0.02)
    raise AssertionError(f"waited {ceiling_s:g} s for {what}")


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def start(argv: list[str], log: Path, cwd: Path) -> subprocess.Popen:
    """A process in its own process group (killed whole after), its output in `log`, its temp files (Dask's
    scratch space, a chunk's content) beside the log: a process killed mid-chunk leaves them in the test's folder."""
    temp = log.parent / "tmp"
    temp.mkdir(exist_ok=True)
    with open(log, "wb") as out:
        return subprocess.Popen(argv, cwd=cwd, env={**env(), "TMPDIR": str(temp)}, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def start_scheduler(folder: Path, name: str) -> tuple[subprocess.Popen, str]:
    """A scheduler on a free port of the loopback; returns it and its address once it listens."""
    info = folder / f"{name}.json"
    proc = start([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                  "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(info)], folder / f"{name}.log", folder)

    def address() -> str | None:
        try:
            return str(json.loads(info.read_text(encoding="utf-8"))["address"])
        except (OSError, ValueError, KeyError):  # not written yet, or half written
            return None

    return proc, wait_until(address, f"the {name}'s address")


def start_worker(address: str, folder: Path, cwd: Path) -> subprocess.Popen:
    """One worker process with one thread (no nanny: killed, it stays dead)."""
    return start([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1", "--no-nanny",
                  "--dashboard-address", "127.0.0.1:0", "--local-directory", str(folder / "scratch")],
                 folder / f"worker-{time.monotonic_ns()}.log", cwd)


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=CEILING_S)


class LocalCluster:
    """A scheduler and worker processes, each in its own process group, started from this venv's Dask."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.workers_cwd = folder / "workers"  # where the workers run: decoys planted here must never be read
        self.workers_cwd.mkdir()
        scheduler, self.address = start_scheduler(folder, "scheduler")
        self.procs = [scheduler]
        self.workers: list[subprocess.Popen] = []
        self.client = distributed.Client(self.address, set_as_default=False, timeout=30)
        self.ensure_workers(2)

    def ensure_workers(self, n: int) -> None:
        """Start workers until n are alive (a test may have killed one), and wait until the scheduler has n."""
        self.workers = [w for w in self.workers if w.poll() is None]
        while len(self.workers) < n:
            self.procs.append(start_worker(self.address, self.folder, self.workers_cwd))
            self.workers.append(self.procs[-1])
        alive = {w.pid for w in self.workers}
        wait_until(lambda: set(self.pids().values()) == alive, f"{n} workers registered")

    def pids(self) -> dict[str, int]:
        """Worker address -> its process id, as the scheduler knows them now."""
        try:
            return dict(self.client.run(os.getpid, on_error="ignore"))
        except (OSError, distributed.TimeoutError):
            return {}

    def stop(self) -> None:
        self.client.close()
        stop(self.procs)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory) -> Iterator[LocalCluster]:
    running = LocalCluster(tmp_path_factory.mktemp("dask"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def dask(dask_cluster) -> LocalCluster:
    dask_cluster.ensure_workers(2)
    return dask_cluster


def cli(cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game", *argv], cwd=cwd, env=env(), capture_output=True,
                          timeout=CEILING_S * 3)


def same_as_local(tmp_path: Path, dask: LocalCluster, argv: list[str], jobs: str = "2") -> bytes:
    """Run `argv` here with --jobs and on the cluster, each writing --json; both must write and print the same
    bytes. Returns the JSON."""
    here = cli(tmp_path, *argv, "--json", "here.json", *(["--jobs", jobs] if argv[0] != "backtest" else []))
    there = cli(tmp_path, *argv, "--json", "there.json", "--cluster", dask.address)
    assert here.returncode == 0, here.stderr
    assert there.returncode == 0 and there.stderr == b"", there.stderr
    assert there.stdout == here.stdout
    assert (tmp_path / "there.json").read_bytes() == (tmp_path / "here.json").read_bytes()
    return (tmp_path / "there.json").read_bytes()


def test_sim_on_the_cluster_writes_what_a_local_run_writes(tmp_path, dask):
    same_as_local(tmp_path, dask, ["sim", "--games", "48", "--us", "normal", "--cn", "easy", "--explain"])


def test_balance_on_the_cluster_writes_what_a_local_run_writes(tmp_path, dask):
    same_as_local(tmp_path, dask, ["balance", "--games", "12", "--strategies", "normal,easy,balanced"], jobs="1")


def test_balance_policies_on_the_cluster_writes_what_a_local_run_writes(tmp_path, dask):
    same_as_local(tmp_path, dask, ["balance", "--games", "4", "--policies"], jobs="1")


def test_balance_rows_on_the_cluster_writes_what_a_local_run_writes(tmp_path, dask):
    same_as_local(tmp_path, dask, ["balance", "--games", "4", "--rows"], jobs="2")


def test_backtest_on_the_cluster_writes_what_a_local_run_writes(tmp_path, dask):
    same_as_local(tmp_path, dask, ["backtest", "--games", "6"])


def test_tune_on_the_cluster_finds_what_a_local_run_finds(tmp_path, dask):
    """Each trial's content (a fresh overlay) goes with its job: the cluster's search prints and writes the same."""
    runs = []
    for name in ("here", "there"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "sweep.toml").write_text('scenarios.2022.sides.us.frontier_share = [0.004, 0.008]\n'
                                           '[tune]\ntargets = ["backtest"]\n', encoding="utf-8")
        argv = ["tune", "sweep.toml", "--trials", "3", "--games", "8"]
        runs.append(cli(folder, *argv, *(["--cluster", dask.address] if name == "there" else [])))
        assert runs[-1].returncode == 0, runs[-1].stderr
    assert runs[1].stdout == runs[0].stdout
    for name in ("scenarios/2022.toml", "rules.toml"):
        assert (tmp_path / "there" / "tuned" / name).read_bytes() == (tmp_path / "here" / "tuned" / name).read_bytes()


def test_a_modded_content_folder_reaches_workers_that_never_saw_it(tmp_path, dask):
    """The content, a strategy of its own and a strategy file outside it, all by paths relative to this run's
    folder; where the workers run, the same paths hold the unmodded content and another strategy (decoys)."""
    shutil.copytree(ROOT / "content", tmp_path / "mod")
    scoring = tmp_path / "mod" / "scoring.toml"
    text = scoring.read_text(encoding="utf-8")
    assert "\ndecisive_margin_months = 18.5 " in text
    scoring.write_text(text.replace("\ndecisive_margin_months = 18.5 ", "\ndecisive_margin_months = 6.0 "), "utf-8")
    plan = (ROOT / "content" / "strategies" / "all_in_scale.toml").read_text(encoding="utf-8")
    (tmp_path / "plan.toml").write_text(plan, encoding="utf-8")
    decoys = dask.workers_cwd
    shutil.rmtree(decoys / "mod", ignore_errors=True)
    shutil.copytree(ROOT / "content", decoys / "mod")
    (decoys / "plan.toml").write_text((ROOT / "content" / "strategies" / "balanced.toml").read_text("utf-8"), "utf-8")

    argv = ["sim", "--content", "mod", "--games", "32", "--us", "plan.toml", "--cn", "normal"]
    modded = json.loads(same_as_local(tmp_path, dask, argv))
    plain = cli(tmp_path, "sim", "--games", "32", "--us", "plan.toml", "--cn", "normal", "--json", "plain.json")
    assert plain.returncode == 0, plain.stderr
    # the changed value changes the games: had the workers used their own content, the outputs would differ
    assert json.loads((tmp_path / "plain.json").read_bytes())["games"] != modded["games"]
    same_as_local(tmp_path, dask, ["balance", "--content", "mod", "--games", "8", "--strategies", "normal,plan.toml"],
                  jobs="1")


def test_a_worker_killed_mid_run_changes_nothing(tmp_path, dask):
    """One worker is killed as soon as it is running a chunk: the scheduler sends its chunks to the other and the
    run writes exactly what a local run writes."""
    argv = ["sim", "--games", "240", "--us", "normal", "--cn", "normal", "--explain"]
    here = cli(tmp_path, *argv, "--json", "here.json")
    assert here.returncode == 0, here.stderr
    pids = dask.pids()
    began = time.time()  # the scheduler's transitions are stamped with the same (this machine's) clock
    run = subprocess.Popen([sys.executable, "-m", "game", *argv, "--json", "there.json", "--cluster", dask.address],
                           cwd=tmp_path, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def busy_worker() -> str | None:
        return next((worker for worker, keys in dask.client.call_stack().items() if keys), None)

    try:
        worker = wait_until(busy_worker, "a worker running a chunk")
        assert run.poll() is None, "the run ended before a worker could be killed"
        os.killpg(pids[worker], signal.SIGKILL)
        out, err = run.communicate(timeout=CEILING_S * 3)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0 and err == b"", err
    assert out == here.stdout
    assert (tmp_path / "there.json").read_bytes() == (tmp_path / "here.json").read_bytes()
    def sent_twice(dask_scheduler, since: float) -> list[str]:
        """On the scheduler (a nested function: sent by value, as the scheduler cannot import this test module):
        the chunks sent to a worker more than once since `since`."""
        counts: dict[str, int] = {}
        for key, _start, finish, *_rest, stamp in dask_scheduler.transition_log:
            if finish == "processing" and stamp >= since and str(key).startswith("run_on_worker-"):
                counts[key] = counts.get(key, 0) + 1
        return sorted(k for k, n in counts.items() if n > 1)

    # what the dead worker held (the chunk it was running, any queued for it) was sent to a worker again
    assert dask.client.run_on_scheduler(sent_twice, since=began)


def test_a_scheduler_without_workers_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    """A scheduler that answers but has no one to play: refused (after a short wait for workers), before any game."""
    import game.sim.cluster
    from game.cli import main

    monkeypatch.setattr(game.sim.cluster, "CONNECT_TIMEOUT_S", 1.0)
    proc, address = start_scheduler(tmp_path, "empty")
    try:
        assert main(["sim", "--games", "4", "--cluster", address]) == 2
    finally:
        stop([proc])
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "has no workers" in err, err


def test_a_run_whose_workers_all_die_stops_with_one_line(tmp_path, monkeypatch, capsys):
    """Dask waits for new workers without end; a run on a cluster left with none gives up after NO_WORKERS_S with
    one line and exit 2, and writes nothing."""
    import game.sim.cluster
    from game.cli import main

    monkeypatch.setattr(game.sim.cluster, "NO_WORKERS_S", 2.0)
    monkeypatch.setattr(game.sim.cluster, "WATCH_S", 0.2)
    scheduler, address = start_scheduler(tmp_path, "lonely")
    procs = [scheduler]
    try:
        procs.append(start_worker(address, tmp_path, tmp_path))
        client = distributed.Client(address, set_as_default=False, timeout=30)
        wait_until(client.nthreads, "the worker registered")

        def kill_when_busy() -> None:
            wait_until(lambda: any(client.call_stack().values()), "the worker running a chunk")
            os.killpg(procs[1].pid, signal.SIGKILL)

        killer = threading.Thread(target=kill_when_busy)
        killer.start()
        out_json = tmp_path / "out.json"
        code = main(["sim", "--games", "160", "--us", "normal", "--cn", "normal", "--json", str(out_json),
                     "--cluster", address])
        killer.join(timeout=CEILING_S)
        client.close()
    finally:
        stop(procs)
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1 and "has had no workers for 2 s" in err, err
    assert not out_json.exists()
