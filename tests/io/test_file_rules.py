"""One way to write files: documents, tables and simulation results obey the same rules."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

import sw_volunteer as sv
from sw_volunteer import simulation as sim
from sw_volunteer.cli import main

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and symlinks")

NETWORK = sv.Network(centres=[sv.Centre(id="liqun", name="利群")])


@pytest.fixture(scope="module")
def result() -> sim.SimulationResult:
    scenario = sim.Scenario(
        weeks=2, centres=[sim.CentreStart(id="liqun", workers=sim.WorkerCounts(assistant=2))]
    )
    return sim.run(scenario, replications=2, seed=1)


def _writers(result: sim.SimulationResult) -> dict[str, Callable[[Path], object]]:
    def aggregate(path: Path) -> object:
        source = path.with_name("source.json")
        sv.dump(NETWORK, source)
        return main(["aggregate", str(source), str(path)], out=io.StringIO())

    return {
        "document": lambda path: sv.dump(NETWORK, path, format="json"),
        "simulation": result.save,
        "aggregate table": aggregate,
    }


_SUFFIX = {"document": ".json", "simulation": ".npz", "aggregate table": ".json"}
"""Each writer's own kind of file (the command line refuses an extension it does not write)."""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("writer", ["document", "simulation", "aggregate table"])
def test_a_new_file_is_for_its_owner_only_an_old_one_keeps_its_mode(
    writer: str, result: sim.SimulationResult, tmp_path: Path
) -> None:
    write = _writers(result)[writer]
    new = tmp_path / f"new{_SUFFIX[writer]}"
    write(new)
    assert _mode(new) == 0o600
    for mode in (0o644, 0o640, 0o600):
        old = tmp_path / f"old-{mode:o}{_SUFFIX[writer]}"
        old.write_bytes(b"old")
        old.chmod(mode)
        write(old)
        assert _mode(old) == mode
        assert old.read_bytes() != b"old"


@pytest.mark.parametrize("writer", ["document", "simulation", "aggregate table"])
def test_saving_through_a_symlink_writes_its_target(
    writer: str, result: sim.SimulationResult, tmp_path: Path
) -> None:
    write = _writers(result)[writer]
    target = tmp_path / "data" / f"real{_SUFFIX[writer]}"
    target.parent.mkdir()
    target.write_bytes(b"old secret data")
    target.chmod(0o640)
    link = tmp_path / f"link{_SUFFIX[writer]}"
    link.symlink_to(target)
    write(link)
    assert link.is_symlink()
    assert link.resolve() == target.resolve()
    assert b"old secret data" not in target.read_bytes()
    assert _mode(target) == 0o640
    leftovers = [p.name for p in (*tmp_path.iterdir(), *target.parent.iterdir())]
    assert not [n for n in leftovers if "sw-tmp" in n or n.endswith(".tmp")]
