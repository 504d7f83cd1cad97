"""Atomic file writes: a reader sees the old file or the new one, never a mix, whatever kills the writer.

Kept free of the rest of the game (and of numpy) so that anything may use it cheaply.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import time
from pathlib import Path

from game.text import OneLine, path_text


class AtomicWriteError(OneLine, OSError):
    """The write failed; the file that was there is untouched."""


TEMP_TRIES = 20          # a clash of 64 random bits is not expected even once; a planted file may be
# The longest path Linux opens (PATH_MAX, 4096 bytes with the final NUL): a longer text names no file. A scenario
# or strategy given by id or path is held to it where it is given, so a save (which keeps it whole) can hold it.
PATH_CHARS = 4096
# A temp file of ours (_temp_file's name) that a killed writer left behind: its write ended long ago once it is
# this old, since a write takes well under a second; a younger one may be another process's write in flight.
STALE_TEMP_S = 60.0
TEMP_STEM_CHARS = 40     # a temp file is named .STEM.HEX.tmp: STEM the target's name cut to this, HEX random
TEMP_HEX_BYTES = 8
TEMP_NAME = re.compile(rf"\..{{1,{TEMP_STEM_CHARS}}}\.[0-9a-f]{{{2 * TEMP_HEX_BYTES}}}\.tmp", re.DOTALL)  # fullmatch
_SWEPT: dict[str, float] = {}   # folder -> when (time.monotonic) its stale temp files were last looked for


def not_replaceable(path: str | Path) -> str | None:
    """Why a write must not replace what is at `path` (a link, a device, a FIFO, a folder), or None when it
    may: nothing there, or a regular file. The path's last part is looked at, never followed."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        return f"cannot be looked at ({exc.strerror})"
    except ValueError:
        return "not a usable file name (it holds a NUL character)"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "is a symbolic link; give the path of a regular file"
    if stat.S_ISDIR(mode):
        return "is a folder; give a file name"
    return "is not a regular file (a device, a FIFO or a socket); give the path of a regular file"


def _temp_file(folder: Path, name: str, mode: int = 0o666) -> tuple[int, Path]:
    """A new file in `folder` with a name no one can guess, created exclusively and never through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(TEMP_TRIES):
        tmp = folder / f".{name[:TEMP_STEM_CHARS]}.{secrets.token_hex(TEMP_HEX_BYTES)}.tmp"
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def atomic_write(path: str | Path, payload: bytes, mode: int = 0o666) -> Path:
    """Write a file so that it is either the old one or the new one, whatever happens: a temp file with an
    unguessable name, created exclusively in the same folder, flushed and fsynced, renamed over the target, and
    the folder fsynced. Only a regular file (or nothing) is ever replaced: a link, a device or a FIFO is refused,
    before writing and again just before the rename. `mode` (less the umask) is the new file's permissions: 0o600
    for what only its owner may read."""
    path = Path(path)
    folder = path.parent
    tmp = None
    try:
        why = not_replaceable(path)
        if why is not None:
            raise AtomicWriteError(f"{path_text(path)}: {why}; nothing was written")
        fd, tmp = _temp_file(folder, path.name, mode)
        try:
            write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        why = not_replaceable(path)
        if why is not None:
            raise AtomicWriteError(f"{path_text(path)}: {why}; nothing was written")
        os.replace(tmp, path)
        tmp = None
    except AtomicWriteError:
        _discard(tmp)
        raise
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        _discard(tmp)
        reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else "the name holds a NUL character"
        raise AtomicWriteError(f"{path_text(path)}: cannot write ({reason})") from None
    sweep_stale_temps(folder)
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


class KeptElsewhere(AtomicWriteError):
    """write_or_keep could not write its path (the file there is untouched): `reason` says why, `kept` is the new
    file in the temp folder that holds the payload instead (None when even that failed)."""

    def __init__(self, path: str | Path, reason: str, kept: str | None) -> None:
        where = f"kept in {path_text(kept)} instead" if kept else "it could not be kept elsewhere"
        super().__init__(f"{path_text(path)}: {reason}; {where}")
        self.reason = reason
        self.kept = kept


def write_or_keep(path: str | Path, payload: bytes, prefix: str, suffix: str) -> Path:
    """atomic_write, for results that took long to compute (hours of games): when `path` cannot be written, the
    payload is kept in a new file in the temp folder, named `prefix`...`suffix`, and KeptElsewhere says where."""
    try:
        return atomic_write(path, payload)
    except AtomicWriteError as exc:
        reason = str(exc).removeprefix(f"{path_text(path)}: ")
    raise KeptElsewhere(path, reason, _keep_in_temp(payload, prefix, suffix))


def _keep_in_temp(payload: bytes, prefix: str, suffix: str) -> str | None:
    """A new file in the temp folder holding `payload` (created exclusively: never through a link), or None."""
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix)
    except OSError:
        return None
    try:
        write_all(fd, payload)
    except OSError:
        os.close(fd)
        os.unlink(name)
        return None
    os.close(fd)
    return name


def sweep_stale_temps(folder: Path) -> None:
    """Remove the temp files our killed writers left in `folder`: names made by _temp_file, regular files (never
    a link or a folder), owned by this user, last written over STALE_TEMP_S ago (the filesystem's clock, as mtime
    is; never the engine's). A folder is looked at most once per STALE_TEMP_S in a process, so a run writing
    thousands of files into one folder does not list it thousands of times. Failing to clean costs only disk."""
    if not hasattr(os, "getuid") or os.scandir not in os.supports_fd or os.unlink not in os.supports_dir_fd:
        return  # no owner to check, or no way to hold the folder while removing from it: leave everything
    key = os.path.abspath(folder)
    now = time.monotonic()   # when the folder was last swept: a rate, never a result
    if key in _SWEPT and now - _SWEPT[key] < STALE_TEMP_S:
        return
    _SWEPT[key] = now
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return
    try:
        me, old = os.getuid(), time.time() - STALE_TEMP_S
        with os.scandir(fd) as entries:
            for entry in entries:
                if not TEMP_NAME.fullmatch(entry.name):
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode) and info.st_uid == me and info.st_mtime < old:
                        # by name within the folder held open (a folder renamed meanwhile cannot redirect it);
                        # unlink never follows a link, so one swapped in since the look loses only its own name
                        os.unlink(entry.name, dir_fd=fd)
                except OSError:
                    continue
    except OSError:
        pass
    finally:
        os.close(fd)


def write_all(fd: int, payload: bytes) -> None:
    """Every byte of `payload` to `fd` (os.write may take only part of it)."""
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]


def _discard(tmp: Path | None) -> None:
    if tmp is not None:
        try:
            os.unlink(tmp)
        except OSError:
            pass


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
