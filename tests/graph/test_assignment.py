"""Supervisor assignment: the max-flow answer is a maximum, checked independently."""

from __future__ import annotations

from collections import Counter

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st
from networkx.algorithms import bipartite

import sw_volunteer as sv
from sw_volunteer.graph import SupervisorAssignment, assign_supervisors
from sw_volunteer.models import SocialWorker


@st.composite
def staffed_centres(draw: st.DrawFn) -> tuple[sv.Network, dict[str, int]]:
    """Up to 3 centres with 0-5 social workers (any certification) and 0-15 volunteers,
    and a capacity of 0-4 places for each social worker."""
    centres, workers, volunteers = [], [], []
    capacity: dict[str, int] = {}
    for c in range(draw(st.integers(1, 3))):
        centres.append(sv.Centre(id=f"c{c}", name="C"))
        for i in range(draw(st.integers(0, 5))):
            wid = f"c{c}w{i}"
            level = draw(st.sampled_from(["none", "assistant", "intermediate"]))
            workers.append(sv.SocialWorker(id=wid, name="W", centre=f"c{c}", certification=level))
            capacity[wid] = draw(st.integers(0, 4))
        volunteers += [
            sv.Volunteer(id=f"c{c}v{j}", name="V", centre=f"c{c}")
            for j in range(draw(st.integers(0, 15)))
        ]
    return sv.Network(centres=centres, workers=workers, volunteers=volunteers), capacity


def _maximum_matching_size(
    network: sv.Network, capacity: dict[str, int], suits: set[tuple[str, str]]
) -> int:
    """The size of a maximum matching once each supervisor is split into one node per
    place (networkx's Hopcroft-Karp), an answer computed without any flow."""
    graph = nx.Graph()
    people = [v.id for v in network.volunteers]
    graph.add_nodes_from(people, bipartite=0)
    for supervisor, person in suits:
        for place in range(capacity[supervisor]):
            graph.add_edge(person, (supervisor, place))
    matching = bipartite.maximum_matching(graph, top_nodes=[p for p in people if p in graph])
    return sum(1 for p in people if p in matching)


def _assert_valid(
    result: SupervisorAssignment,
    network: sv.Network,
    capacity: dict[str, int],
    suits: set[tuple[str, str]],
) -> None:
    assert all((supervisor, person) in suits for person, supervisor in result.assignment.items())
    load = Counter(result.assignment.values())
    assert all(load[s] <= capacity[s] for s in load)
    everyone = {v.id for v in network.volunteers}
    assert set(result.unassigned) == everyone - set(result.assignment)
    assert result.unassigned == sorted(result.unassigned)
    assert result.complete == (not result.unassigned)


@given(staffed_centres(), st.data())
def test_max_flow_is_as_large_as_a_maximum_matching_on_any_compatibility(case, data):
    network, capacity = case
    certified = [w for w in network.workers if w.certification.is_certified]
    pairs = sorted(
        (w.id, v.id) for w in certified for v in network.volunteers if v.centre == w.centre
    )
    suits = set(data.draw(st.lists(st.sampled_from(pairs), unique=True))) if pairs else set()

    def compatible(worker: SocialWorker, person: str) -> bool:
        return (worker.id, person) in suits

    result = assign_supervisors(network, capacity=capacity, compatible=compatible)
    assert result.method == "max_flow"
    _assert_valid(result, network, capacity, suits)
    assert len(result.assignment) == _maximum_matching_size(network, capacity, suits)


@given(staffed_centres())
def test_with_trivial_compatibility_the_flow_places_as_many_as_the_arithmetic(case):
    network, capacity = case
    arithmetic = assign_supervisors(network, capacity=capacity)
    flow = assign_supervisors(network, capacity=capacity, method="max_flow")
    assert (arithmetic.method, flow.method) == ("arithmetic", "max_flow")
    suits = {
        (w.id, v.id)
        for w in network.workers
        if w.certification.is_certified
        for v in network.volunteers
        if v.centre == w.centre
    }
    for result in (arithmetic, flow):
        _assert_valid(result, network, capacity, suits)
    # per centre: min(volunteers, places of its certified social workers)
    expected = 0
    for centre in network.centres:
        places = sum(
            capacity[w.id]
            for w in network.workers
            if w.centre == centre.id and w.certification.is_certified
        )
        people = sum(v.centre == centre.id for v in network.volunteers)
        expected += min(people, places)
    assert len(flow.assignment) == len(arithmetic.assignment) == expected
    assert flow.extra_supervisors == arithmetic.extra_supervisors


def test_the_flow_moves_a_placed_person_to_make_room():
    # w1 suits both volunteers, w2 only v1; one place each. Greedy in order gives v1 to
    # w1 and leaves v2 out; the maximum moves v1 to w2 and gives w1 to v2.
    network = sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=[
            sv.SocialWorker(id=w, name="W", centre="c", certification="assistant")
            for w in ("w1", "w2")
        ],
        volunteers=[sv.Volunteer(id=v, name="V", centre="c") for v in ("v1", "v2")],
    )
    suits = {("w1", "v1"), ("w1", "v2"), ("w2", "v1")}
    result = assign_supervisors(network, capacity=1, compatible=lambda w, p: (w.id, p) in suits)
    assert result.assignment == {"v1": "w2", "v2": "w1"}
    assert result.complete
    assert result.extra_supervisors == {}


def test_professional_supervision_never_assigns_anyone_to_themselves():
    network = sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=[
            sv.SocialWorker(id=w, name="W", centre="c", certification="intermediate")
            for w in ("w1", "w2", "w3")
        ],
    )
    result = assign_supervisors(network, capacity=1, kind=sv.SupervisionKind.PROFESSIONAL)
    assert result.method == "max_flow"
    assert all(person != supervisor for person, supervisor in result.assignment.items())
    # three people, three places, nobody with themselves: a derangement places everyone
    assert result.complete
