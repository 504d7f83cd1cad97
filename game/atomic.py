"""Atomic file writes: a reader sees the old file or the new one, never a mix, whatever kills the writer.

Kept free of the rest of the game (and of numpy) so that anything may use it cheaply.
"""

from __future__ import annotations

import os
from pathlib import Path


class AtomicWriteError(OSError):
    """The write failed; the file that was there is untouched."""


def atomic_write(path: str | Path, payload: bytes) -> Path:
    """Write a file so that it is either the old one or the new one, whatever happens: a temp file in the
    same folder, flushed and fsynced, renamed over the target, and the folder fsynced."""
    path = Path(path)
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise AtomicWriteError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return path
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
    return path
