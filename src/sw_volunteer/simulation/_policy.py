"""Who works which of a week's sessions: spread evenly, or re-rostered by the planner.

A scenario's ``policy`` says how each centre's people are put on its sessions each week.

``"even"`` (the default): social workers are rostered on every session (as many as
``workers_per_session``, certified first) and volunteers' shifts are spread evenly over the
week's sessions (at most what the on-shift limit allows); then each person rostered comes
or not (absences, no-shows), session by session.

``"planner"``: the centre re-rosters each week with who is there. The same uniforms decide
who can come, but from everyone rather than only those the even roster names: each
social worker can come to each session or not, as under the even policy (so more
workers present than rostered may stand in for the absent ones, up to
``workers_per_session``, certified first); each shift the volunteers can give this week
(their hours within the week, as under the even policy) is given or not, and the
volunteers who come can take any of the week's sessions. The planner then puts them on
the sessions by a small CP-SAT model on counts, solved through the plan layer's pinned
solver ([`SolverOptions`][sw_volunteer.plan.SolverOptions]: one worker, seed 0, a
deterministic work limit). Its aims, in strict order:

1. the most sessions within every limit (adults present, a certified social worker,
   the client-to-adult ratio and group size, volunteers per social worker on shift);
2. the most client-sessions served (the engine's ``served``);
3. the fewest sessions short of adults;
4. the most volunteer shifts given (a volunteer not needed is not called in).

No session gets more volunteers than the on-shift limit allows, and a session without
clients gets none. The planner could staff every session the even roster, as it turned
out, held within the limits the same way: the counts it may use are never below the even
policy's with the same uniforms (an inversion count grows with its number of trials, by at
most one per trial, so both the adult volunteers and the others do). So it never holds
fewer sessions within the limits than the even policy in the same replication.

The answer depends only on the week's counts: per session, whether a certified social
worker is there, how many social workers and how many clients come; the adult and other
volunteers who come in the week; and the centre's limits. Sessions are interchangeable,
so the counts are sorted before they are looked up in a per-process memo; the optimum's
four figures fix every recorded metric (whichever of several equally good rosters CP-SAT
returns), so a result is the same in any process and with any memo.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from sw_volunteer.errors import Problem, SimulationError

__all__ = [
    "POLICIES",
    "POLICY_LABELS",
    "Policy",
    "WeekCounts",
    "forget_weeks",
    "remembered_weeks",
    "require_solver",
    "staff_sessions",
    "staff_weeks",
]

IntArray = npt.NDArray[np.int64]

Policy = Literal["even", "planner"]
"""How a week's people are put on its sessions (see the module notes)."""

POLICIES: tuple[str, ...] = ("even", "planner")
"""Every policy, the default first."""

POLICY_LABELS: dict[str, tuple[str, str]] = {
    "even": ("even spreading", "均衡分配"),
    "planner": ("the planner (CP-SAT), re-rostered weekly", "规划求解排班（每周按到岗人员重排）"),
}
"""Policy -> how results name it, in English and Chinese.

Example:
    >>> POLICY_LABELS["planner"][1]
    '规划求解排班（每周按到岗人员重排）'
"""

_MEMO: dict[tuple[Any, ...], tuple[tuple[int, ...], tuple[int, ...]]] = {}
"""Week as the model sees it (sorted sessions) -> the roster, in that order."""
_SEEN: dict[tuple[Any, ...], tuple[tuple[int, ...], tuple[int, ...]]] = {}
"""Week as the engine counts it (centre's limits, sorted sessions) -> the roster."""
_MEMO_LIMIT = 1 << 18  # weeks remembered per process; then the memo starts again


def remembered_weeks() -> int:
    """How many distinct weeks this process has solved and remembers."""
    return len(_MEMO)


def forget_weeks() -> None:
    """Forget the weeks solved (results do not change: the next runs solve them again)."""
    _MEMO.clear()
    _SEEN.clear()


def require_solver() -> None:
    """Raise unless CP-SAT can be loaded (the planner policy needs the ``plan`` extra).

    Raises:
        MissingDependencyError: OR-Tools is not installed.
    """
    from sw_volunteer.plan._solver import load_cp_model  # only when a scenario asks for the planner

    load_cp_model()


@dataclass(frozen=True)
class WeekCounts:
    """One centre's week as the planner sees it, and the centre's limits.

    Attributes:
        certified_ok: Per session, whether enough certified social workers come.
        workers: Per session, the social workers who come (after the stand-ins).
        clients: Per session, the clients who come (0: the session is not held).
        adult_volunteers: Volunteer shifts given this week by volunteers who count as adults.
        other_volunteers: Volunteer shifts given by the others.
        ratio: Clients per adult (``math.inf``: no ratio applies).
        group: The most clients in a session within the limits.
        min_adults: Fewest adults in a session.
        volunteer_weight: What an adult volunteer counts as.
        max_on_shift: Volunteers per social worker on shift (``None``: no limit).

    Example:
        >>> week = WeekCounts(certified_ok=(True,) * 3, workers=(1, 1, 1), clients=(30,) * 3,
        ...                   adult_volunteers=4, other_volunteers=0, ratio=12.0)
        >>> week.required(0)
        2
    """

    certified_ok: tuple[bool, ...]
    workers: tuple[int, ...]
    clients: tuple[int, ...]
    adult_volunteers: int
    other_volunteers: int
    ratio: float = math.inf
    group: int = 1 << 40
    min_adults: int = 2
    volunteer_weight: float = 1.0
    max_on_shift: int | None = None

    def _adults(self, j: int, z: int) -> float:
        # The engine's arithmetic: adult volunteers times the weight, plus the workers.
        return z * float(self.volunteer_weight) + self.workers[j]

    def _capacity(self, j: int, z: int) -> float:
        if math.isinf(self.ratio):
            return float(1 << 40)
        return math.floor(self._adults(j, z) * self.ratio + 1e-9)

    def enough(self, j: int, z: int) -> bool:
        """Whether session ``j`` with ``z`` adult volunteers has enough adults (the engine's)."""
        return self._adults(j, z) >= self.min_adults and self._capacity(j, z) >= self.clients[j]

    def served(self, j: int, z: int) -> int:
        """The clients session ``j`` serves with ``z`` adult volunteers (the engine's)."""
        if not (self.certified_ok[j] and self._adults(j, z) >= self.min_adults):
            return 0
        return int(min(self.clients[j], self._capacity(j, z), self.group))

    def required(self, j: int) -> int | None:
        """The fewest adult volunteers that give session ``j`` enough adults (``None``: none do)."""
        for z in range(self.adult_volunteers + 1):
            if self.enough(j, z):
                return z
        return None

    def room(self, j: int) -> int:
        """The most volunteers session ``j`` may have within the on-shift limit."""
        total = self.adult_volunteers + self.other_volunteers
        if self.max_on_shift is None:
            return total
        return min(total, self.max_on_shift * self.workers[j])


_Slot = tuple[bool, bool, int, int, tuple[int, ...]]
"""What the planner needs of a session: held, may be within, adult volunteers needed
(-1: out of reach), room for volunteers, clients served for each adult volunteer more."""


def _slot(week: WeekCounts, j: int) -> _Slot:
    """Session ``j`` as the model sees it: two sessions with the same view are alike."""
    if week.clients[j] == 0:
        return (False, False, -1, 0, ())
    room = min(week.room(j), week.adult_volunteers + week.other_volunteers)
    top = min(week.adult_volunteers, room)
    base = week.served(j, 0)
    gains = tuple(week.served(j, n) - base for n in range(1, top + 1))
    need = week.required(j)
    reach = -1 if need is None or need > top else need
    eligible = reach >= 0 and week.certified_ok[j] and week.clients[j] <= week.group
    return (True, eligible, reach, room, gains)


def staff_sessions(week: WeekCounts) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The planner's roster of one week: adult and other volunteers per session.

    Solved by CP-SAT through the plan layer's pinned solver (see the module notes for
    the aims, in order), once per distinct week in a process: sessions are reduced to
    what the model needs of them (``_Slot``) and sorted, and the roster of a week seen
    before is looked up. A week with no volunteer to place has nothing to solve.

    Raises:
        MissingDependencyError: OR-Tools (the ``plan`` extra) is not installed.
        SimulationError: The solver did not prove the best roster within its work limit.

    Example:
        Three sessions of 30 children (1:12, so 3 adults each), one social worker at
        each and 4 adult volunteers: spread evenly (2, 1, 1) only the first session has
        enough adults; the planner staffs two:

        >>> week = WeekCounts(certified_ok=(True,) * 3, workers=(1, 1, 1), clients=(30,) * 3,
        ...                   adult_volunteers=4, other_volunteers=0, ratio=12.0)
        >>> adults, others = staff_sessions(week)
        >>> sorted(adults), others
        ([0, 2, 2], (0, 0, 0))
    """
    slots = len(week.clients)
    if week.adult_volunteers + week.other_volunteers == 0:
        return (0,) * slots, (0,) * slots
    views = [_slot(week, j) for j in range(slots)]
    order = sorted(range(slots), key=lambda j: views[j], reverse=True)
    # Other volunteers beyond every session's room cannot be placed: they do not count.
    placeable = min(week.other_volunteers, sum(v[3] for v in views))
    key = (tuple(views[j] for j in order), week.adult_volunteers, placeable)
    found = _MEMO.get(key)
    if found is None:
        found = _solve(*key)
        if len(_MEMO) >= _MEMO_LIMIT:
            _MEMO.clear()
        _MEMO[key] = found
    adults, others = [0] * slots, [0] * slots
    for rank, j in enumerate(order):
        adults[j], others[j] = found[0][rank], found[1][rank]
    return tuple(adults), tuple(others)


def _solve(
    views: tuple[_Slot, ...], adults_total: int, others_total: int
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The CP-SAT model of one week on counts (see the module notes), solved."""
    from sw_volunteer.plan._solver import (  # only when a scenario asks for the planner
        SolverOptions,
        SolveStatus,
        load_cp_model,
        new_solver,
        status_of,
    )

    cp = load_cp_model()
    model = cp.CpModel()
    z: list[Any] = []
    y: list[Any] = []
    within: list[Any] = []
    enough: list[Any] = []
    gained: list[Any] = []
    for j, (held, eligible, need, room, gains) in enumerate(views):
        top = min(adults_total, room)
        yj = model.new_int_var(0, min(others_total, room), f"y{j}")
        y.append(yj)
        if not held or top == 0:
            z.append(0)
            model.add(yj <= room)
            continue
        # One choice of adult volunteers per session: a tight linear relaxation.
        pick = [model.new_bool_var(f"x{j}:{n}") for n in range(top + 1)]
        model.add_exactly_one(pick)
        zj = sum(n * x for n, x in enumerate(pick))
        z.append(zj)
        model.add(zj + yj <= room)
        gained.append(sum(g * x for g, x in zip(gains, pick[1:], strict=True)))
        if need < 0:
            continue
        ej = sum(pick[need:])
        enough.append(ej)
        if eligible:
            within.append(ej)
    model.add(sum(z) <= adults_total)
    model.add(sum(y) <= others_total)
    # Strictly in order: each aim's unit outweighs everything the later aims can add.
    placed = adults_total + others_total + 1
    short = placed * (len(views) + 1)
    first = short * (sum(sum(v[4][-1:]) for v in views) + 1)
    model.maximize(
        first * sum(within) + short * sum(gained) + placed * sum(enough) + sum(z) + sum(y)
    )
    solver = new_solver(SolverOptions())
    status = status_of(solver.solve(model))
    if status is not SolveStatus.OPTIMAL:
        raise SimulationError(
            [
                Problem(
                    "policy",
                    "planner_unproven",
                    f"the planner did not prove the best roster of a week ({status.value})",
                )
            ],
            subject="the planner policy",
        )
    return (
        tuple(int(solver.value(v)) for v in z),
        tuple(int(solver.value(v)) for v in y),
    )


def staff_weeks(  # noqa: PLR0917 - the engine's arrays of one week
    certified_ok: npt.NDArray[np.bool_],
    workers: IntArray,
    clients: IntArray,
    adult_volunteers: IntArray,
    other_volunteers: IntArray,
    limits: tuple[tuple[float, int, int, float, int | None], ...],
) -> tuple[IntArray, IntArray]:
    """The planner's roster for every replication and centre of a week.

    ``certified_ok``, ``workers`` and ``clients`` have shape (R, C, S); the volunteers
    (R, C); ``limits`` holds per centre (ratio, group, min_adults, volunteer weight,
    on-shift limit). Returns the adult and the other volunteers per session, (R, C, S).
    """
    reps, centres, slots = clients.shape
    # Sessions are interchangeable: sorted, alike weeks are solved once.
    order = np.lexsort((certified_ok, workers, clients), axis=-1)
    rows = np.concatenate(
        [
            np.broadcast_to(np.arange(centres)[None, :, None], (reps, centres, 1)),
            np.take_along_axis(clients, order, axis=-1),
            np.take_along_axis(workers, order, axis=-1),
            np.take_along_axis(certified_ok, order, axis=-1),
            adult_volunteers[..., None],
            other_volunteers[..., None],
        ],
        axis=-1,
    ).reshape(reps * centres, 3 * slots + 3)
    distinct, inverse = np.unique(rows, axis=0, return_inverse=True)
    adults = np.zeros((len(distinct), slots), dtype=np.int64)
    others = np.zeros((len(distinct), slots), dtype=np.int64)
    for i, row in enumerate(distinct.tolist()):
        if row[-1] + row[-2] == 0:
            continue
        key = (limits[row[0]], *row[1:])
        found = _SEEN.get(key)
        if found is None:
            ratio, group, min_adults, weight, on_shift = limits[row[0]]
            found = staff_sessions(
                WeekCounts(
                    certified_ok=tuple(bool(c) for c in row[1 + 2 * slots : 1 + 3 * slots]),
                    workers=tuple(row[1 + slots : 1 + 2 * slots]),
                    clients=tuple(row[1 : 1 + slots]),
                    adult_volunteers=row[-2],
                    other_volunteers=row[-1],
                    ratio=ratio,
                    group=group,
                    min_adults=min_adults,
                    volunteer_weight=weight,
                    max_on_shift=on_shift,
                )
            )
            if len(_SEEN) >= _MEMO_LIMIT:
                _SEEN.clear()
            _SEEN[key] = found
        adults[i], others[i] = found
    flat = inverse.reshape(-1)
    shape = (reps, centres, slots)
    placed_adults = np.empty(shape, dtype=np.int64)
    placed_others = np.empty(shape, dtype=np.int64)
    np.put_along_axis(placed_adults, order, adults[flat].reshape(shape), axis=-1)
    np.put_along_axis(placed_others, order, others[flat].reshape(shape), axis=-1)
    return placed_adults, placed_others
