"""Running scenarios: replications in chunks, on any ``concurrent.futures.Executor``."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future, as_completed
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError

from sw_volunteer.errors import Problem, SimulationError
from sw_volunteer.models import validation_problems
from sw_volunteer.simulation._engine import (
    metrics_from_counts,
    pack_counts,
    simulate_counts,
)
from sw_volunteer.simulation._policy import require_solver
from sw_volunteer.simulation._random import normalise_seed, seed_record
from sw_volunteer.simulation._results import SimulationResult, SweepResult
from sw_volunteer.simulation._scenario import Scenario
from sw_volunteer.types import SeedLike

__all__ = ["DEFAULT_CHUNK_SIZE", "Progress", "run", "sweep"]

Progress = Callable[[int, int], None]
"""A progress callback: called with (replications done, replications in all)."""

DEFAULT_CHUNK_SIZE = 1000
"""Replications per task: enough that a task (about 0.15 s on one core for a year of the
Rui'an scenario) outweighs its scheduling cost and the engine's fixed work per week."""

_Chunk = dict[str, npt.NDArray[np.generic]]
_Task = tuple[Scenario, np.random.SeedSequence, int, int]


def _chunks(replications: int, chunk_size: int) -> list[tuple[int, int]]:
    return [
        (start, min(start + chunk_size, replications))
        for start in range(0, replications, chunk_size)
    ]


def _check(replications: int, chunk_size: int | None) -> int:
    problems: list[Problem] = []
    if isinstance(replications, bool) or replications < 1:
        problems.append(
            Problem(
                "replications",
                "bad_value",
                f"replications must be a positive int, not {replications!r}",
            )
        )
    size = DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size
    if isinstance(size, bool) or size < 1:
        problems.append(
            Problem(
                "chunk_size", "bad_value", f"chunk_size must be a positive int, not {chunk_size!r}"
            )
        )
    if problems:
        raise SimulationError(problems, subject="the simulation")
    return size


def _execute(
    tasks: Sequence[_Task], executor: Executor | None, progress: Progress | None
) -> list[_Chunk]:
    """Run every task; results in task order, whatever order they finish in."""
    total = sum(stop - start for _, _, start, stop in tasks)
    done = 0
    if progress is not None:
        progress(0, total)
    if executor is None:
        results: list[_Chunk] = []
        for task in tasks:
            results.append(simulate_counts(*task))
            done += task[3] - task[2]
            if progress is not None:
                progress(done, total)
        return results
    futures: dict[Future[_Chunk], int] = {
        executor.submit(_simulate_packed, *task): i for i, task in enumerate(tasks)
    }
    collected: dict[int, _Chunk] = {}
    for future in as_completed(futures):
        i = futures[future]
        collected[i] = future.result()
        done += tasks[i][3] - tasks[i][2]
        if progress is not None:
            progress(done, total)
    return [collected[i] for i in range(len(tasks))]


def _simulate_packed(
    scenario: Scenario, root: np.random.SeedSequence, start: int, stop: int
) -> _Chunk:
    """What an executor runs: a chunk's counts, packed small for the way back."""
    return pack_counts(simulate_counts(scenario, root, start, stop))


def _assemble(
    scenario: Scenario, root: np.random.SeedSequence, chunks: Sequence[_Chunk]
) -> SimulationResult:
    names = chunks[0].keys()
    counts = {
        name: np.concatenate([c[name] for c in chunks], axis=0, dtype=np.int32) for name in names
    }
    arrays = metrics_from_counts(scenario, counts)
    replications = int(next(iter(arrays.values())).shape[0])
    return SimulationResult(
        scenario=scenario, seed=seed_record(root), replications=replications, arrays=arrays
    )


def run(
    scenario: Scenario,
    *,
    replications: int = 1000,
    seed: SeedLike = None,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Simulate ``scenario`` ``replications`` times.

    Replication ``i`` draws from ``numpy.random.SeedSequence(seed).spawn(n)[i]`` alone,
    so the result is the same, bit for bit, whether the replications run here or on an
    executor (a process pool, a Dask cluster), and however they are chunked.

    Args:
        scenario: The scenario.
        replications: How many replications.
        seed: Seed of the run (int, ints, SeedSequence or None for fresh entropy,
            recorded on the result either way).
        executor: Any ``concurrent.futures.Executor``; ``None`` runs in this process.
        chunk_size: Replications per task (default
            [`DEFAULT_CHUNK_SIZE`][sw_volunteer.simulation.DEFAULT_CHUNK_SIZE]).
        progress: Called with (replications done, in all) as chunks finish.

    Returns:
        The per-week arrays of every replication, with the scenario and seed.

    Raises:
        SimulationError: ``replications`` or ``chunk_size`` is not a positive int.
        MissingDependencyError: The scenario's policy is ``"planner"`` and OR-Tools (the
            ``plan`` extra) is not installed.

    Example:
        >>> from sw_volunteer.simulation import CentreStart, Scenario, WorkerCounts
        >>> scenario = Scenario(weeks=8, centres=[CentreStart(
        ...     id="yucai", workers=WorkerCounts(assistant=4), volunteers=78,
        ...     recruitment_per_week=0.7)])
        >>> a = run(scenario, replications=20, seed=7)
        >>> b = run(scenario, replications=20, seed=7, chunk_size=3)
        >>> all((a[m] == b[m]).all() for m in a.arrays)
        True
        >>> a["volunteers"].shape
        (20, 8, 1)
    """
    size = _check(replications, chunk_size)
    if scenario.policy == "planner":
        require_solver()  # before any task: the error names the extra
    root = normalise_seed(seed)
    tasks = [(scenario, root, start, stop) for start, stop in _chunks(replications, size)]
    return _assemble(scenario, root, _execute(tasks, executor, progress))


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence[Any]],
    *,
    replications: int = 500,
    seed: SeedLike = None,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> SweepResult:
    """Run ``scenario`` at every point of a parameter grid.

    Every point uses the same seed, so differences between points come from the
    parameters and not from different random draws (common random numbers). All
    chunks of all points go to the executor at once.

    Args:
        scenario: The base scenario.
        grid: Path -> values; a path is what
            [`Scenario.with_values`][sw_volunteer.simulation.Scenario.with_values] accepts
            (``"no_show"``, ``"centres.yucai.recruitment_per_week"``). Points are the cartesian
            product, the first path varying slowest.
        replications: Replications per point.
        seed: Seed shared by every point.
        executor: Any ``concurrent.futures.Executor``; ``None`` runs in this process.
        chunk_size: Replications per task.
        progress: Called with (replications done, in all, over all points).

    Raises:
        SimulationError: The grid is empty, a path is unknown or a value is invalid
            (every problem listed).

    Example:
        >>> from sw_volunteer import simulation as sim
        >>> scenario = sim.Scenario(weeks=8, centres=[sim.CentreStart(
        ...     id="yucai", workers=sim.WorkerCounts(assistant=2), volunteers=30)])
        >>> grid = {"centres.yucai.recruitment_per_week": [0.0, 1.0]}
        >>> results = sweep(scenario, grid, replications=20, seed=1)
        >>> for point, result in results:
        ...     print(point)
        ...     print(result.summary("volunteers"))
        {'centres.yucai.recruitment_per_week': 0.0}
        volunteers: 28.91 (95% CI 28.45 to 29.36; 20 replications)
        {'centres.yucai.recruitment_per_week': 1.0}
        volunteers: 33.19 (95% CI 32.2 to 34.18; 20 replications)
    """
    size = _check(replications, chunk_size)
    if not grid or any(len(values) == 0 for values in grid.values()):
        raise SimulationError("the grid needs at least one path with at least one value")
    paths = tuple(grid)
    values = {path: tuple(grid[path]) for path in paths}
    points = [dict(zip(paths, combo, strict=True)) for combo in itertools.product(*values.values())]
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    for point in points:
        try:
            scenarios.append(scenario.with_values(point))
        except (SimulationError, ValueError) as exc:
            inner = (
                validation_problems(exc)
                if isinstance(exc, ValidationError)
                else getattr(exc, "problems", None) or [Problem("", "bad_value", str(exc))]
            )
            problems.extend(
                Problem(
                    f"at {point}" + (f", {p.location}" if p.location else ""), p.code, p.message
                )
                for p in inner
            )
    if problems:
        raise SimulationError(problems, subject="the grid")
    if any(s.policy == "planner" for s in scenarios):
        require_solver()  # before any task: the error names the extra
    root = normalise_seed(seed)
    spans = _chunks(replications, size)
    tasks = [(s, root, start, stop) for s in scenarios for start, stop in spans]
    chunks = _execute(tasks, executor, progress)
    per_point = len(spans)
    results = tuple(
        _assemble(s, root, chunks[i * per_point : (i + 1) * per_point])
        for i, s in enumerate(scenarios)
    )
    return SweepResult(grid=values, points=tuple(points), results=results)
