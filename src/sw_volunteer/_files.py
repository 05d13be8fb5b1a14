"""The one way the library writes a file: documents, tables and simulation results.

``write_atomically`` gives every writer the same rules:

- **Whole or not at all.** The bytes go to a temporary file beside the target, are
  flushed to disk, and the temporary file is renamed over the target: a reader sees the
  old file or the new one, never half of one.
- **No leftovers.** The temporary file is named ``.<name>.sw-tmp-<random>``. A save that
  is killed (``kill -9``, a power cut) can leave one behind; the next save to the same
  place removes every such file no live save holds (each save holds a lock on its own
  temporary file while it writes, where the platform has ``fcntl``).
- **Modes.** A new file is created readable and writable by its owner only (``0600``):
  the library writes records of vulnerable people. An existing file keeps its mode.
- **Symlinks.** Saving to a symbolic link writes the file the link points to (the link
  stays a link, and the old data does not survive at its target).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from pathlib import Path

__all__ = ["TEMPORARY_MARK", "sweep", "temporary_files", "write_atomically"]

TEMPORARY_MARK = ".sw-tmp-"
"""What the name of a temporary file holds, after ``.<name of the target>``."""

_NEW_FILE_MODE = 0o600
_ATTEMPTS = 3


def write_atomically(path: str | os.PathLike[str], payload: bytes) -> Path:
    """Replace the file at ``path`` by ``payload``, whole, under the rules of this module.

    Returns the path of the file written (the target of ``path`` if it is a symlink).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     written = write_atomically(Path(folder) / "t.json", b"{}")
        ...     mode = oct(written.stat().st_mode & 0o777)
        ...     mode, sorted(p.name for p in written.parent.iterdir())
        ('0o600', ['t.json'])
    """
    target = Path(os.path.realpath(path))
    directory = target.parent
    for attempt in range(_ATTEMPTS):
        sweep(target)
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = _NEW_FILE_MODE
        temporary = directory / f".{target.name}{TEMPORARY_MARK}{secrets.token_hex(8)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o600)
        try:
            _lock(fd)
            _write_all(fd, payload)
            os.fsync(fd)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            else:  # pragma: no cover - not POSIX
                temporary.chmod(mode)
            temporary.replace(target)
        except FileNotFoundError:
            # a sweep that ran between our open and our lock took the file: try again
            if attempt + 1 == _ATTEMPTS:
                raise
            continue
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        finally:
            os.close(fd)
        break
    _sync_directory(directory)
    return target


def temporary_files(path: str | os.PathLike[str]) -> list[Path]:
    """The temporary files beside ``path`` that saves to it made (live or left behind)."""
    target = Path(os.path.realpath(path))
    pattern = re.compile(
        rf"\.{re.escape(target.name)}(?:{re.escape(TEMPORARY_MARK)}[0-9a-f]+"
        r"|\.[a-z0-9_]{8}\.tmp)"  # the names earlier versions used
    )
    try:
        found = sorted(target.parent.iterdir())
    except OSError:
        return []
    return [p for p in found if pattern.fullmatch(p.name)]


def sweep(path: str | os.PathLike[str]) -> int:
    """Remove the temporary files of interrupted saves to ``path``; how many were removed.

    A temporary file a live save is writing is left alone (it holds a lock on it).
    """
    removed = 0
    for leftover in temporary_files(path):
        try:
            fd = os.open(leftover, os.O_RDONLY | _CLOEXEC)
        except OSError:
            continue
        try:
            if not _try_lock(fd):
                continue  # a save in progress
            leftover.unlink()
            removed += 1
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: an open file cannot be removed there
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _try_lock(fd: int) -> bool:
    try:
        _lock(fd)
    except OSError:
        return False
    return True


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
