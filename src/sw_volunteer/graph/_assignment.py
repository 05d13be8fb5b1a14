"""Assign supervisees to supervisors with capacities: per-centre arithmetic, else max-flow."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import networkx as nx
from networkx.algorithms.flow import dinitz

from sw_volunteer.models import Network, SocialWorker
from sw_volunteer.vocab import CertificationLevel, SupervisionKind

__all__ = ["SupervisorAssignment", "assign_supervisors"]


@dataclass(frozen=True)
class SupervisorAssignment:
    """The result of :func:`assign_supervisors`.

    Attributes:
        assignment: supervisee -> supervisor, for everyone who could be placed.
        unassigned: Supervisees left without a place, sorted.
        extra_supervisors: centre -> the fewest additional supervisors (each with the
            centre's usual capacity) that would place everyone.
        method: ``"arithmetic"`` or ``"max_flow"``.
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
    the general max-flow (networkx preflow-push, O(V² √E)).

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
        extra[centre] = math.ceil(left / max(usual, 1))
    return SupervisorAssignment(
        assignment, unassigned, extra, "max_flow" if use_flow else "arithmetic"
    )


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
    component per centre; solving them one by one keeps each graph small. Dinitz's
    algorithm suits these unit-capacity bipartite networks (O(E √V)).
    """
    assignment: dict[str, str] = {}
    for centre, people in supervisees.items():
        candidates = supervisors.get(centre, ())
        flow: nx.DiGraph[object] = nx.DiGraph()
        source, sink = ("source",), ("sink",)
        for person in people:
            for w in candidates:
                if w.id != person and (compatible is None or compatible(w, person)):
                    flow.add_edge(source, ("p", person), capacity=1)
                    flow.add_edge(("p", person), ("s", w.id), capacity=1)
        for w in candidates:
            flow.add_edge(("s", w.id), sink, capacity=_capacity_of(capacity, w.id))
        if source not in flow or sink not in flow:
            continue
        residual = dinitz(flow, source, sink)
        for node in flow.successors(source):
            for target, attrs in residual[node].items():
                if attrs["flow"] > 0 and isinstance(target, tuple) and target[0] == "s":
                    assignment[str(node[1])] = str(target[1])  # type: ignore[index]
    return assignment
