"""Saves killed mid-write (real processes, SIGKILL) leave the previous file, and no trace.

The child saves a network over the file. Its writes are slowed down (half the payload,
then a pause; or a pause once the payload is on disk) so that the kill lands while the
new document is being written, or after it is written but before it replaces the old
one. The half-written temporary file it leaves behind is hidden and never under the real
name; the next save removes it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import sw_volunteer as sv

CHILD = textwrap.dedent(
    """
    import os, sys, time
    import sw_volunteer as sv

    path, stage = sys.argv[1], sys.argv[2]
    network = sv.Network(
        centres=[sv.Centre(id="liqun", name="利群")],
        volunteers=[sv.Volunteer(id=f"v{i}", name=f"新{i}", centre="liqun") for i in range(300)],
    )
    real_write, real_fsync = os.write, os.fsync

    def half_then_wait(fd, data):
        real_write(fd, bytes(data[: len(data) // 2]))
        print("writing", flush=True)
        time.sleep(60)

    def fsync_then_wait(fd):
        real_fsync(fd)
        print("written", flush=True)
        time.sleep(60)

    if stage == "writing":
        os.write = half_then_wait
    else:
        os.fsync = fsync_then_wait
    sv.dump(network, path)
    """
)
KILLED_SAVES = 24


def _killed_save(path: Path, stage: str) -> None:
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD, str(path), stage],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == stage
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_killed_saves_leave_the_previous_file_and_the_next_save_leaves_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "net.json"
    previous = sv.Network(centres=[sv.Centre(id="liqun", name="利群")])
    sv.dump(previous, path)
    before = path.read_bytes()
    for number in range(KILLED_SAVES):
        _killed_save(path, ("writing", "written")[number % 2])
        assert path.read_bytes() == before
        assert sv.load(path) == previous
        leftovers = sorted(p.name for p in tmp_path.iterdir() if p != path)
        # one partial copy, hidden beside the file, never under its name: each save, even
        # one killed later, first removed what the save before it left
        assert len(leftovers) == 1, leftovers
        assert leftovers[0].startswith(".net.json.sw-tmp-")
        if number % 4 == 3:  # sometimes several kills in a row before the next save
            sv.dump(previous, path)
            assert [p.name for p in tmp_path.iterdir()] == ["net.json"]
    sv.dump(previous, path)
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]


def test_a_save_in_progress_is_not_swept_by_another(tmp_path: Path) -> None:
    """A temporary file a live save holds a lock on is left alone by a concurrent save."""
    fcntl = pytest.importorskip("fcntl")
    from sw_volunteer._files import sweep

    path = tmp_path / "net.json"
    live = tmp_path / ".net.json.sw-tmp-0123abcd"
    dead = tmp_path / ".net.json.sw-tmp-4567cdef"
    dead.write_bytes(b"half a docu")
    with live.open("wb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert sweep(path) == 1
        assert live.exists()
    assert not dead.exists()
    assert sweep(path) == 1
    assert not live.exists()
