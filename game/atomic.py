"""Atomic file writes: a reader sees the old file or the new one, never a mix, whatever kills the writer.

Kept free of the rest of the game (and of numpy) so that anything may use it cheaply.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from game.text import OneLine, path_text


class AtomicWriteError(OneLine, OSError):
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
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        try:
            tmp.unlink()
        except (OSError, ValueError):
            pass
        reason = exc.strerror if isinstance(exc, OSError) else "the name holds a NUL character"
        raise AtomicWriteError(f"{path_text(path)}: cannot write ({reason})") from None
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


class ReadRefused(Exception):
    """A file that cannot be read as what was asked for; the text is the reason, to follow the file's name."""


def read_regular(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`: never a folder, a FIFO or a device (opened without
    blocking and checked before reading), never more than the cap; ReadRefused says why not."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ReadRefused("no such file") from None
    except IsADirectoryError:
        raise ReadRefused("is a folder") from None
    except PermissionError:
        raise ReadRefused("cannot be read (permission denied)") from None
    except OSError as exc:
        raise ReadRefused(f"cannot be read ({exc.strerror})") from None
    except ValueError:
        raise ReadRefused("not a usable file name (it holds a NUL character)") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadRefused("is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused("not a regular file")
        if info.st_size > max_bytes:
            raise ReadRefused(f"{info.st_size:,} bytes is too big (at most {max_bytes:,})")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:  # it grew while being read
                raise ReadRefused(f"more than {max_bytes:,} bytes is too big")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise ReadRefused(f"cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)


def kind(path: str | Path) -> str:
    """What is at a path, without following it into trouble: "file", "folder", "other" (a FIFO, a device, a
    socket), "missing", or "unusable" (a name too long or holding a NUL, a loop of links, no permission to look).
    Never raises: a path from a user is probed with this before anything else is done with it."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except (OSError, ValueError):
        return "unusable"
    return "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"
