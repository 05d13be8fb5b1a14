"""A save killed mid-write (a real process, SIGKILL) leaves the previous file whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import sw_volunteer as sv

# The child saves a large network over the file. Its file writes are slowed down (half
# the payload, then a pause) so that the kill lands while the new document is being
# written, or after it is written but before it replaces the old one.
CHILD = textwrap.dedent(
    """
    import os, sys, time
    import sw_volunteer as sv

    path, stage = sys.argv[1], sys.argv[2]
    network = sv.Network(
        centres=[sv.Centre(id="liqun", name="利群")],
        volunteers=[sv.Volunteer(id=f"v{i}", name=f"新{i}", centre="liqun") for i in range(3000)],
    )
    real_fdopen, real_fsync = os.fdopen, os.fsync

    class HalfThenWait:
        def __init__(self, handle):
            self.handle = handle
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)
        def write(self, payload):
            self.handle.write(payload[: len(payload) // 2])
            self.handle.flush()
            print("writing", flush=True)
            time.sleep(60)
        def __getattr__(self, name):
            return getattr(self.handle, name)

    def fsync_then_wait(fd):
        real_fsync(fd)
        print("written", flush=True)
        time.sleep(60)

    if stage == "writing":
        os.fdopen = lambda fd, mode: HalfThenWait(real_fdopen(fd, mode))
    else:
        os.fsync = fsync_then_wait
    sv.dump(network, path)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.parametrize("stage", ["writing", "written"])
def test_a_killed_save_leaves_the_previous_file(tmp_path: Path, stage: str) -> None:
    path = tmp_path / "net.json"
    previous = sv.Network(centres=[sv.Centre(id="liqun", name="利群")])
    sv.dump(previous, path)
    before = path.read_bytes()
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
    assert path.read_bytes() == before
    assert sv.load(path) == previous
    # the half-written temporary file is left beside it, hidden, never under the real name
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "net.json"]
    assert all(name.startswith(".net.json.") and name.endswith(".tmp") for name in leftovers)
