"""Assign supervisees to supervisors with capacities: per-centre arithmetic, else max-flow."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sw_volunteer.models import Network, SocialWorker
from sw_volunteer.vocab import CertificationLevel, SupervisionKind

__all__ = ["SupervisorAssignment", "assign_supervisors", "fewest_supervisors", "fill_places"]


@dataclass(frozen=True)
class SupervisorAssignment:
    """The result of [`assign_supervisors`][sw_volunteer.graph.assign_supervisors].

    Attributes:
        assignment: supervisee -> supervisor, for everyone who could be placed.
        unassigned: Supervisees left without a place, sorted.
        extra_supervisors: centre -> the fewest additional supervisors (each with the
            centre's usual capacity) that would place everyone.
        method: ``"arithmetic"`` or ``"max_flow"``.

    Example:
        >>> import sw_volunteer as sv
        >>> result = assign_supervisors(sv.datasets.ruian_2013(), capacity=20)
        >>> result.complete, len(result.assignment), result.unassigned, result.method
        (True, 118, [], 'arithmetic')
        >>> tight = assign_supervisors(sv.datasets.ruian_2013(), capacity=5)
        >>> tight.complete, sum(tight.extra_supervisors.values()) > 0
        (False, True)
    """

    assignment: dict[str, str]
    unassigned: list[str]
    extra_supervisors: dict[str, int] = field(default_factory=dict)
    method: Literal["arithmetic", "max_flow"] = "arithmetic"

    @property
    def complete(self) -> bool:
        """Whether everyone has a supervisor."""
        return not self.unassigned


def _capacity_of(capacity: int | Mapping[str, int], supervisor: str) -> int:
    return capacity if isinstance(capacity, int) else int(capacity.get(supervisor, 0))


def assign_supervisors(
    network: Network,
    *,
    capacity: int | Mapping[str, int],
    kind: SupervisionKind = SupervisionKind.GUIDANCE,
    min_level: CertificationLevel = CertificationLevel.ASSISTANT,
    compatible: Callable[[SocialWorker, str], bool] | None = None,
    method: Literal["auto", "arithmetic", "max_flow"] = "auto",
    on: date | None = None,
) -> SupervisorAssignment:
    """Give every volunteer (``guidance``) or social worker (``professional``) a supervisor.

    Supervisors are the centre's social workers certified at ``min_level`` or above,
    each taking at most ``capacity`` people. When compatibility is "same centre and
    certified enough" every supervisor of a centre suits every supervisee there, so
    per-centre arithmetic answers exactly in O(n). A custom ``compatible(supervisor,
    supervisee_id)``, or professional supervision (nobody supervises themselves), needs
    the general maximum flow: a greedy pass, then augmenting paths for whoever it left
    out (O(P·S) compatibility tests per centre, plus O(U·E) for U people left out and E
    compatible pairs); the result is always a maximum assignment.

    Args:
        network: The network.
        capacity: Places per supervisor, one number or by supervisor id.
        kind: Who is assigned: volunteers (``guidance``) or social workers.
        min_level: The lowest certification of a supervisor.
        compatible: An extra condition on a (supervisor, supervisee) pair.
        method: Force ``"arithmetic"`` or ``"max_flow"``; ``"auto"`` picks.
        on: Unused by the computation; kept for symmetry with the other analyses.

    Example:
        >>> import sw_volunteer as sv
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     workers=[sv.SocialWorker(id="w1", name="A", centre="c", certification="assistant")],
        ...     volunteers=[sv.Volunteer(id=f"v{i}", name="x", centre="c") for i in range(3)],
        ... )
        >>> result = assign_supervisors(net, capacity=2)
        >>> result.unassigned, result.extra_supervisors
        (['v2'], {'c': 1})
    """
    del on
    supervisees_by_centre: dict[str, list[str]] = defaultdict(list)
    people = network.volunteers if kind is SupervisionKind.GUIDANCE else network.workers
    for person in people:
        supervisees_by_centre[person.centre].append(person.id)
    supervisors_by_centre: dict[str, list[SocialWorker]] = defaultdict(list)
    for w in network.workers:
        if w.certification >= min_level:
            supervisors_by_centre[w.centre].append(w)
    use_flow = method == "max_flow" or (
        method == "auto" and (compatible is not None or kind is SupervisionKind.PROFESSIONAL)
    )
    if use_flow:
        assignment = _by_flow(supervisees_by_centre, supervisors_by_centre, capacity, compatible)
    else:
        assignment = _by_arithmetic(supervisees_by_centre, supervisors_by_centre, capacity)
    unassigned = sorted(
        p for people_ in supervisees_by_centre.values() for p in people_ if p not in assignment
    )
    extra: dict[str, int] = {}
    left_by_centre: dict[str, int] = defaultdict(int)
    centre_of = {p: c for c, ps in supervisees_by_centre.items() for p in ps}
    for p in unassigned:
        left_by_centre[centre_of[p]] += 1
    for centre, left in sorted(left_by_centre.items()):
        caps = [_capacity_of(capacity, w.id) for w in supervisors_by_centre.get(centre, ())]
        usual = max(caps, default=0) or (capacity if isinstance(capacity, int) else 1)
        extra[centre] = fewest_supervisors(left, usual)
    return SupervisorAssignment(
        assignment, unassigned, extra, "max_flow" if use_flow else "arithmetic"
    )


def fewest_supervisors(people: int, capacity: int | None) -> int:
    """The fewest new supervisors, each with ``capacity`` places, for ``people`` people.

    With no limit (``None``) one supervisor takes everyone; a capacity below one
    counts as one place.

    Example:
        >>> fewest_supervisors(53, 25), fewest_supervisors(0, 25), fewest_supervisors(7, None)
        (3, 0, 1)
    """
    if people <= 0:
        return 0
    if capacity is None:
        return 1
    return math.ceil(people / max(capacity, 1))


def fill_places(
    people: Sequence[str],
    supervisors: Sequence[SocialWorker],
    places: Mapping[str, int],
    compatible: Callable[[SocialWorker, str], bool] | None = None,
) -> dict[str, str]:
    """A maximum placement of ``people`` on the free ``places`` of ``supervisors``.

    Nobody is placed with themselves. A greedy pass in the order given (people in
    order, each to the first supervisor with a place), then augmenting paths for whoever
    it left out: the number placed is the most any placement achieves.

    Args:
        people: Ids of the people to place, in order of preference.
        supervisors: Who may take them, in order of preference.
        places: Free places by supervisor id (missing: none).
        compatible: An extra condition on a (supervisor, person) pair.

    Example:
        >>> w = [SocialWorker(id=i, name="W", centre="c") for i in ("w1", "w2")]
        >>> fill_places(["a", "b", "c"], w, {"w1": 1, "w2": 1})
        {'a': 'w1', 'b': 'w2'}
    """
    return _assign_centre(list(people), supervisors, places, compatible)


def _by_arithmetic(
    supervisees: Mapping[str, list[str]],
    supervisors: Mapping[str, list[SocialWorker]],
    capacity: int | Mapping[str, int],
) -> dict[str, str]:
    assignment: dict[str, str] = {}
    for centre, people in supervisees.items():
        queue = iter(people)
        for w in supervisors.get(centre, ()):
            for _ in range(_capacity_of(capacity, w.id)):
                person = next(queue, None)
                if person is None:
                    break
                assignment[person] = w.id
    return assignment


def _by_flow(
    supervisees: Mapping[str, list[str]],
    supervisors: Mapping[str, list[SocialWorker]],
    capacity: int | Mapping[str, int],
    compatible: Callable[[SocialWorker, str], bool] | None,
) -> dict[str, str]:
    """Maximum assignment, one flow problem per centre.

    Compatibility never crosses centres, so the flow network falls apart into one
    component per centre. In each, a greedy pass places whoever fits (everyone, when
    capacity allows and compatibility is loose); only the people greedy left out are
    then routed by augmenting paths through the residual network, which moves people
    already placed to free a place. One search per person left out is enough for a
    maximum (a person with no augmenting path never gains one as others are placed).
    O(P·S) compatibility tests, then O(U·E) for U people left out and E compatible
    pairs.
    """
    assignment: dict[str, str] = {}
    for centre, people in supervisees.items():
        candidates = supervisors.get(centre, ())
        if candidates:
            assignment.update(_assign_centre(people, candidates, capacity, compatible))
    return assignment


def _assign_centre(
    people: list[str],
    candidates: Sequence[SocialWorker],
    capacity: int | Mapping[str, int],
    compatible: Callable[[SocialWorker, str], bool] | None,
) -> dict[str, str]:
    free = {w.id: _capacity_of(capacity, w.id) for w in candidates}
    suits: dict[str, list[str]] = {
        person: [
            w.id
            for w in candidates
            if w.id != person and (compatible is None or compatible(w, person))
        ]
        for person in people
    }
    supervisor_of: dict[str, str] = {}
    placed_with: dict[str, list[str]] = {w.id: [] for w in candidates}
    left_out: list[str] = []
    for person in people:
        target = next((w for w in suits[person] if free[w] > 0), None)
        if target is None:
            left_out.append(person)
            continue
        free[target] -= 1
        supervisor_of[person] = target
        placed_with[target].append(person)
    for person in left_out:
        if not any(free.values()):
            break  # every place is taken: nobody else can be placed
        path = _augmenting_path(person, suits, free, placed_with)
        if path is None:
            continue
        # path alternates person, supervisor, person, supervisor...: each person
        # takes the supervisor after them; the last supervisor gives up a free place.
        for i in range(0, len(path), 2):
            who, new = path[i], path[i + 1]
            old = supervisor_of.get(who)
            if old is not None:
                placed_with[old].remove(who)
            supervisor_of[who] = new
            placed_with[new].append(who)
        free[path[-1]] -= 1
    return supervisor_of


def _augmenting_path(
    start: str,
    suits: Mapping[str, list[str]],
    free: Mapping[str, int],
    placed_with: Mapping[str, list[str]],
) -> list[str] | None:
    """An augmenting path from ``start`` to a free place, or ``None``; breadth-first, O(E).

    The path alternates person, supervisor, person, ...: ``start``, a supervisor who
    suits them, a person placed with that supervisor, another supervisor who suits that
    person, and so on, ending at a supervisor with a free place.
    """
    came_from: dict[str, tuple[str, str]] = {}  # supervisor -> (previous supervisor, person)
    frontier = [(start, "")]
    for person, via in frontier:
        for supervisor in suits[person]:
            if supervisor in came_from or supervisor == via:
                continue
            came_from[supervisor] = (via, person)
            if free[supervisor] > 0:
                path: list[str] = []
                current = supervisor
                while current:
                    previous, who = came_from[current]
                    path[:0] = [who, current]
                    current = previous
                return path
            frontier.extend((other, supervisor) for other in placed_with[supervisor])
    return None
