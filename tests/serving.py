"""A `compute-race serve` run for a test: started in its own process group on a free loopback port, its printed
address read from its output, its game processes found through /proc, and stopped (with its games) afterwards.

Every wait here is on a condition with a ceiling, never a fixed pause.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
CEILING_S = 60.0   # for a loaded machine: every wait ends as soon as its condition holds
POLL_S = 0.02
MEMORY_CAP_MB = 300  # a game at the largest page size holds ~80 MB; the 100000-cell resize passed 1 GB in seconds
PRINTED = re.compile(r"Serving Compute Race at (\S+) - open it in a web browser")

T = TypeVar("T")


def wait_for(condition: Callable[[], T], what: str, ceiling_s: float = CEILING_S) -> T:
    """The first true value of `condition()`, polled until `ceiling_s` has passed (then the test fails)."""
    deadline = time.monotonic() + ceiling_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {ceiling_s:g} s for {what}")
        time.sleep(POLL_S)  # polling a condition, not waiting a fixed time


async def wait_async(condition: Callable[[], T], what: str, ceiling_s: float = CEILING_S) -> T:
    """wait_for inside an event loop: the loop runs (a server in it answers) between polls."""
    deadline = time.monotonic() + ceiling_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {ceiling_s:g} s for {what}")
        await asyncio.sleep(POLL_S)  # polling a condition, not waiting a fixed time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])  # the name in parentheses may hold spaces


def children_of(pid: int) -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit() and parent_of(int(name)) == pid]


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting for its parent has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def rss_mb(pid: int) -> float:
    """The resident memory in MB (VmRSS) of a process and all its descendants (a shell's child counts), 0 once
    they have ended."""
    total_kb = 0
    for member in [pid, *descendants_of(pid)]:
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            pass
    return total_kb / 1024


def descendants_of(pid: int) -> list[int]:
    found, frontier = [], [pid]
    while frontier:
        children = [child for parent in frontier for child in children_of(parent)]
        found += children
        frontier = children
    return found


class Served:
    """`python -m game serve` for a test (use as a context manager)."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.folder = folder
        self.port = free_port()
        self.args = ["--port", str(self.port), *args]
        self.log = folder / "serve.log"
        self.saves = folder / "saves"
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> Served:
        env = dict(os.environ, PYTHONPATH=str(ROOT), COMPUTE_RACE_SAVES=str(self.saves),
                   COMPUTE_RACE_DATA=str(self.folder / "data"))
        with self.log.open("w") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "game", "serve", *self.args], cwd=self.folder,
                                            env=env, stdout=out, stderr=subprocess.STDOUT, text=True,
                                            start_new_session=True)
        try:
            self.url = wait_for(self.printed_url, "the server to print its address")
            wait_for(self.listening, f"the server to listen on port {self.port}")
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def printed_url(self) -> str | None:
        assert self.process is not None
        found = PRINTED.search(self.log.read_text())
        if found is None and self.process.poll() is not None:
            raise AssertionError(f"the server ended early (exit {self.process.returncode}): {self.log.read_text()}")
        return found.group(1) if found else None

    def listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def key(self) -> str:
        """The key in the printed address ("" for an address without one, as serve printed before it had keys)."""
        path = self.url.split("/", 3)[3] if self.url.count("/") >= 3 else ""
        return path.strip("/")

    @property
    def ws_url(self) -> str:
        return self.url.rstrip("/") + "/ws"

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def games(self) -> list[int]:
        """The game processes the server runs now (its children that have not ended)."""
        return [pid for pid in children_of(self.pid) if alive(pid)]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        try:  # whatever the server left behind in its group (a game that outlived it) goes too
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
