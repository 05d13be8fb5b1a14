"""The CP-SAT solver, loaded only when a plan is solved, and how it is pinned.

OR-Tools is an optional dependency (the ``plan`` extra): importing
[`sw_volunteer.plan`][sw_volunteer.plan] never needs it; solving raises
[`MissingDependencyError`][sw_volunteer.errors.MissingDependencyError] when it is missing.

Determinism: a result depends only on the model, the seed and the number of workers.
[`SolverOptions`][sw_volunteer.plan.SolverOptions] sets CP-SAT's ``random_seed`` and ``num_workers``
(default: 1 worker, seed 0). A staffed term solves each centre's model on one CP-SAT worker and
uses more workers by solving that many centres at a time (each centre is a model of its own, so the
roster is the one a single worker gives: CP-SAT's parallel search is slower on these models). The
cheapest fix gives its model all the workers and sets ``interleave_search`` too, CP-SAT's
deterministic parallel mode (the workers' results are merged in a fixed order). Time is limited in
*deterministic* time (``max_deterministic_time``, CP-SAT's work units, about a second each on a
desktop), so a limit that is reached stops the search at the same point on every run and machine;
``max_seconds`` (wall clock) is a safety net only. ``linearization`` sets CP-SAT's
``linearization_level`` (``None``: the planner chooses; a staffed term uses the full relaxation, 2,
for a centre with 40 sessions or more, where it halves the time to the proof on the 4:30 school's
term, and CP-SAT's default, 1, for smaller ones, where it is faster; a smaller one not proved
optimal within 1 work unit goes on with level 2 from the best roster found, which proves in a
fraction of a unit the rare centre, one in a hundred of the synthetic city, that level 1 takes 18
units for).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sw_volunteer.errors import MissingDependencyError

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

__all__ = ["SolveStatus", "SolverOptions", "load_cp_model", "new_solver", "status_of"]


class SolveStatus(StrEnum):
    """What the solver proved.

    Example:
        >>> SolveStatus.OPTIMAL.value
        'optimal'
    """

    OPTIMAL = "optimal"
    """The best plan there is."""
    FEASIBLE = "feasible"
    """A plan that keeps the rules; the time ran out before it was proved the best (see the gap)."""
    INFEASIBLE = "infeasible"
    """No plan keeps every rule (the result says what to relax)."""
    UNKNOWN = "unknown"
    """The time ran out before any plan was found."""


@dataclass(frozen=True)
class SolverOptions:
    """How CP-SAT is run. The defaults make every result reproducible.

    Attributes:
        workers: Threads (1: one). A staffed term solves this many centres at a
            time, one CP-SAT worker each; the cheapest fix's model gets them all as
            CP-SAT's ``num_workers`` with ``interleave_search``. Deterministic either way.
        seed: CP-SAT's ``random_seed``.
        work_limit: CP-SAT's ``max_deterministic_time`` per solve (work units).
        max_seconds: A wall-clock limit per solve (a safety net; reaching it makes the
            result depend on the machine).
        linearization: CP-SAT's ``linearization_level`` (``None``: chosen by the
            planner, see the module notes).

    Example:
        >>> SolverOptions().workers, SolverOptions().seed
        (1, 0)
    """

    workers: int = 1
    seed: int = 0
    work_limit: float = 20.0
    max_seconds: float = 120.0
    linearization: int | None = None


def load_cp_model() -> Any:
    """The ``ortools.sat.python.cp_model`` module, or a clear error naming the extra.

    Raises:
        MissingDependencyError: OR-Tools is not installed.
    """
    try:
        from ortools.sat.python import cp_model  # optional: loaded when solving
    except ImportError:
        raise MissingDependencyError.for_extra("ortools", "plan") from None
    return cp_model


def new_solver(options: SolverOptions) -> cp_model.CpSolver:
    """A CP-SAT solver pinned by ``options`` (see the module notes)."""
    cp = load_cp_model()
    solver: cp_model.CpSolver = cp.CpSolver()
    params = solver.parameters
    params.num_workers = options.workers
    params.random_seed = options.seed
    params.max_deterministic_time = options.work_limit
    params.max_time_in_seconds = options.max_seconds
    if options.workers > 1:
        params.interleave_search = True
    if options.linearization is not None:
        params.linearization_level = options.linearization
    return solver


def status_of(code: Any) -> SolveStatus:
    """The [`SolveStatus`][sw_volunteer.plan.SolveStatus] of a CP-SAT status code."""
    cp = load_cp_model()
    if code == cp.OPTIMAL:
        return SolveStatus.OPTIMAL
    if code == cp.FEASIBLE:
        return SolveStatus.FEASIBLE
    if code == cp.INFEASIBLE:
        return SolveStatus.INFEASIBLE
    return SolveStatus.UNKNOWN
