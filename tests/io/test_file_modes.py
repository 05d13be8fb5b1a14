"""New files are private (0600) whatever the umask; an existing file keeps its mode."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import sw_volunteer as sv
from sw_volunteer import simulation as sim


@pytest.fixture(params=[0o000, 0o022, 0o077], ids=["umask000", "umask022", "umask077"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def _dump(path: Path) -> None:
    sv.dump(sv.Network(centres=[sv.Centre(id="c", name="C")]), path)


def _save(path: Path) -> None:
    scenario = sim.Scenario(weeks=1, centres=[sim.CentreStart(id="c")])
    sim.run(scenario, replications=1, seed=1).save(path)


WRITERS: dict[str, tuple[Callable[[Path], None], str]] = {
    "dump": (_dump, "net.yaml"),
    "save": (_save, "run.npz"),
}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize("writer", WRITERS)
def test_a_new_file_is_readable_by_its_owner_only(writer, tmp_path):
    write, name = WRITERS[writer]
    write(tmp_path / name)
    assert _mode(tmp_path / name) == 0o600


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize("writer", WRITERS)
def test_an_existing_file_keeps_its_mode(writer, tmp_path):
    write, name = WRITERS[writer]
    target = tmp_path / name
    target.write_bytes(b"old")
    target.chmod(0o644)
    write(target)
    assert _mode(target) == 0o644
    assert target.read_bytes() != b"old"
