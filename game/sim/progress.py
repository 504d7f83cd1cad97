"""A progress bar on stderr, drawn only on a terminal and only once a run takes over a second."""

from __future__ import annotations

import sys
import time
from typing import IO


class Progress:
    def __init__(self, total: int, label: str, stream: IO[str] | None = None, delay: float = 1.0) -> None:
        self.total = max(total, 1)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.start = time.monotonic()
        self.last_draw = 0.0
        self.drawn = False

    def is_terminal(self) -> bool:
        try:
            return bool(self.stream.isatty())
        except (AttributeError, ValueError, OSError):
            return False

    def update(self, done: int) -> None:
        now = time.monotonic()
        if now - self.start < self.delay or now - self.last_draw < 0.1 or not self.is_terminal():
            return
        self.last_draw = now
        width = 30
        filled = int(width * min(done, self.total) / self.total)
        line = f"{self.label}  [{'#' * filled}{'.' * (width - filled)}]  {done:,}/{self.total:,} games"
        self.stream.write("\r" + line[:79])
        self.stream.flush()
        self.drawn = True

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()
