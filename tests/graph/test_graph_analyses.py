"""The supervision graph and its analyses: hand-worked cases and properties."""

from __future__ import annotations

import itertools
from datetime import date

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.graph import (
    cover_for_absent,
    cross_centre_edges,
    find_supervision_cycle,
    single_points_of_failure,
    span_of_control,
    supervisees_of,
    supervision_chain,
    supervision_depth,
    supervision_graph,
    supervisors_of,
    unsupervised,
)
from sw_volunteer.testing.strategies import networks
from sw_volunteer.vocab import CertificationLevel, SupervisionKind

DAY = date(2013, 11, 18)
PRO, GUIDE = SupervisionKind.PROFESSIONAL, SupervisionKind.GUIDANCE


def _edge(
    sid: str,
    supervisor: str,
    supervisee: str,
    kind: SupervisionKind,
    *,
    start: date = date(2013, 1, 1),
    end: date | None = None,
    primary: bool = True,
) -> sv.Supervision:
    return sv.Supervision(
        id=sid,
        supervisor=supervisor,
        supervisee=supervisee,
        kind=kind,
        start=start,
        end=end,
        primary=primary,
    )


def two_centres() -> sv.Network:
    """Centre a: a1 supervises a2 and a3, who guide va1, va2 (va2 by both, a3 secondary);
    a1 also supervises b1 at centre b, who guides vb1. va3's edge ended before the day and
    vb2's starts after it."""
    workers = [
        sv.SocialWorker(id="a1", name="A1", centre="a", certification="intermediate"),
        sv.SocialWorker(id="a2", name="A2", centre="a", certification="assistant"),
        sv.SocialWorker(id="a3", name="A3", centre="a", certification="assistant"),
        sv.SocialWorker(id="b1", name="B1", centre="b", certification="none"),
    ]
    volunteers = [
        sv.Volunteer(id=v, name="x", centre=v[1]) for v in ("va1", "va2", "va3", "vb1", "vb2")
    ]
    edges = [
        _edge("s1", "a1", "a2", PRO),
        _edge("s2", "a1", "a3", PRO),
        _edge("s3", "a1", "b1", PRO),
        _edge("s4", "a2", "va1", GUIDE),
        _edge("s5", "a2", "va2", GUIDE),
        _edge("s6", "a3", "va2", GUIDE, primary=False),
        _edge("s7", "b1", "vb1", GUIDE),
        _edge("s8", "a3", "va3", GUIDE, end=date(2013, 6, 30)),
        _edge("s9", "b1", "vb2", GUIDE, start=date(2014, 1, 1)),
    ]
    return sv.Network(
        centres=[sv.Centre(id="a", name="A"), sv.Centre(id="b", name="B")],
        workers=workers,
        volunteers=volunteers,
        supervisions=edges,
    )


@pytest.fixture
def graph() -> nx.DiGraph[str]:
    return supervision_graph(two_centres(), on=DAY)


def test_the_graph_holds_everyone_and_only_the_edges_active_on_the_day(graph):
    assert set(graph) == {"a1", "a2", "a3", "b1", "va1", "va2", "va3", "vb1", "vb2"}
    # s8 ended on 2013-06-30 and s9 starts in 2014: 9 edges, 7 active on the day
    assert graph.number_of_edges() == 7
    assert ("a3", "va3") not in graph.edges
    assert ("b1", "vb2") not in graph.edges
    assert graph.nodes["a1"] == {"kind": "worker", "centre": "a", "certification": "intermediate"}
    assert graph.nodes["a1"]["certification"] is CertificationLevel.INTERMEDIATE
    assert graph.nodes["vb1"] == {"kind": "volunteer", "centre": "b"}
    assert graph.edges["a3", "va2"] == {"kind": GUIDE, "primary": False, "id": "s6"}


def test_without_a_day_every_edge_is_in_the_graph():
    assert supervision_graph(two_centres()).number_of_edges() == 9


def test_supervisors_and_supervisees_of_a_person(graph):
    assert supervisors_of(graph, "va2") == ["a2", "a3"]
    assert supervisors_of(graph, "a1") == []
    assert supervisees_of(graph, "a1") == ["a2", "a3", "b1"]
    assert supervisees_of(graph, "a1", kind=PRO) == ["a2", "a3", "b1"]
    assert supervisees_of(graph, "a1", kind=GUIDE) == []
    assert supervisees_of(graph, "a3", kind=GUIDE) == ["va2"]  # va3's edge has ended


def test_span_of_control_counts_active_supervisees_by_kind(graph):
    assert span_of_control(graph) == {"a1": 3, "a2": 2, "a3": 1, "b1": 1}
    assert span_of_control(graph, kind=GUIDE) == {"a2": 2, "a3": 1, "b1": 1}
    assert span_of_control(graph, kind=PRO) == {"a1": 3}


def test_unsupervised_people_by_kind(graph):
    # va3's guidance ended, vb2's has not begun; a1 is at the top
    assert unsupervised(graph) == ["va3", "vb2"]
    assert unsupervised(graph, "worker") == ["a1"]


def test_depth_and_chain_follow_primary_edges(graph):
    assert supervision_depth(graph) == 2  # a1 -> a2 -> va1
    assert supervision_chain(graph, "va2") == ["va2", "a2", "a1"]  # a3's edge is secondary
    assert supervision_chain(graph, "vb1") == ["vb1", "b1", "a1"]
    assert supervision_chain(graph, "a1") == ["a1"]
    assert supervision_depth(nx.DiGraph()) == 0


def test_chain_with_no_primary_edge_takes_the_first_supervisor_by_id():
    net = two_centres()
    secondary = net.get("s5").model_copy(update={"primary": False})
    graph = supervision_graph(net.with_replaced(secondary), on=DAY)
    assert supervision_chain(graph, "va2") == ["va2", "a2", "a1"]  # min("a2", "a3")


def test_cross_centre_edges(graph):
    assert cross_centre_edges(graph) == [("a1", "b1")]


def test_single_points_of_failure(graph):
    # alone as supervisor: a1 of a2, a3 and b1; a2 of va1; b1 of vb1 (va2 has two)
    assert single_points_of_failure(graph) == {"a1": 3, "a2": 1, "b1": 1}
    assert single_points_of_failure(graph, k=1) == {"a1": 3}
    assert single_points_of_failure(graph, k=3) == {}


def test_cover_for_absent(graph):
    assert cover_for_absent(graph, ["a2"]) == {"va1": [], "va2": ["a3"]}
    assert cover_for_absent(graph, ["a2", "a3"]) == {"va1": [], "va2": []}
    # an absent supervisee needs no cover; an unknown id is ignored
    assert cover_for_absent(graph, ["a1", "a2", "nobody"]) == {
        "a3": [],
        "b1": [],
        "va1": [],
        "va2": ["a3"],
    }
    assert cover_for_absent(graph, []) == {}


def test_a_cycle_is_found_and_depth_refuses_it():
    net = two_centres()
    looped = net.with_added(_edge("s10", "a3", "a1", PRO, primary=False))
    graph = supervision_graph(looped, on=DAY)
    cycle = find_supervision_cycle(graph)
    assert cycle is not None
    assert sorted(cycle) == ["a1", "a3"]
    with pytest.raises(nx.NetworkXUnfeasible):
        supervision_depth(graph)
    # the chain stops at the repeat instead of looping
    assert supervision_chain(graph, "a1") == ["a1", "a3"]
    assert find_supervision_cycle(supervision_graph(net, on=DAY)) is None


# -- properties over any valid network ------------------------------------------------

days = st.dates(date(2010, 1, 1), date(2021, 1, 1))


@given(networks(), days)
def test_every_edge_of_the_graph_is_a_supervision_active_on_the_day(network, day):
    graph = supervision_graph(network, on=day)
    active = {(s.supervisor, s.supervisee) for s in network.supervisions if s.is_active_on(day)}
    assert set(graph.edges) == active
    for supervisee in (n for n in graph if graph.in_degree(n)):
        assert any(s.supervisee == supervisee and s.is_active_on(day) for s in network.supervisions)
    assert set(graph) == {p.id for p in (*network.workers, *network.volunteers)}


@given(networks(), days)
def test_span_of_control_sums_to_the_active_edges(network, day):
    graph = supervision_graph(network, on=day)
    active = {(s.supervisor, s.supervisee) for s in network.supervisions if s.is_active_on(day)}
    assert sum(span_of_control(graph).values()) == len(active)
    by_kind = [span_of_control(graph, kind=k) for k in SupervisionKind]
    assert sum(n for spans in by_kind for n in spans.values()) == len(active)


@given(networks(), days)
def test_unsupervised_volunteers_have_no_active_edge(network, day):
    graph = supervision_graph(network, on=day)
    guided = {s.supervisee for s in network.supervisions if s.is_active_on(day)}
    assert unsupervised(graph) == sorted(v.id for v in network.volunteers if v.id not in guided)


@given(networks(), days, st.integers(0, 3))
def test_removing_a_single_point_of_failure_leaves_more_than_k_unsupervised(network, day, k):
    graph = supervision_graph(network, on=day)
    failures = single_points_of_failure(graph, k)
    for supervisor in {u for u, _ in graph.edges}:
        without = graph.copy()
        without.remove_node(supervisor)
        left = [n for n in without if graph.in_degree(n) and not without.in_degree(n)]
        if supervisor in failures:
            assert len(left) == failures[supervisor] > k
        else:
            assert len(left) <= k
        # nobody covers exactly the people the supervisor alone supervised
        cover = cover_for_absent(graph, [supervisor])
        assert sorted(p for p, covers in cover.items() if not covers) == sorted(left)


@given(networks(), days)
def test_the_generated_graphs_are_acyclic_and_chains_fit_in_the_depth(network, day):
    graph = supervision_graph(network, on=day)
    assert find_supervision_cycle(graph) is None
    depth = supervision_depth(graph)
    for person in graph:
        chain = supervision_chain(graph, person)
        assert len(chain) - 1 <= depth
        for supervisee, supervisor in itertools.pairwise(chain):
            assert graph.has_edge(supervisor, supervisee)


@given(networks(min_centres=1, max_workers=5), st.data())
def test_a_planted_cycle_is_found_along_real_edges(network, data):
    professional = [s for s in network.supervisions if s.kind is PRO]
    if not professional:
        return
    edge = data.draw(st.sampled_from(professional))
    back = _edge(
        "planted-back-edge", edge.supervisee, edge.supervisor, PRO, start=edge.start, end=edge.end
    )
    graph = supervision_graph(network.with_added(back), on=edge.start)
    cycle = find_supervision_cycle(graph)
    assert cycle is not None
    assert len(set(cycle)) == len(cycle) >= 2
    for u, v in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
        assert graph.has_edge(u, v)


@given(networks(), days)
def test_cross_centre_edges_are_exactly_the_edges_between_centres(network, day):
    graph = supervision_graph(network, on=day)
    centre = {p.id: p.centre for p in (*network.workers, *network.volunteers)}
    # the generated networks keep supervision within a centre
    assert cross_centre_edges(graph) == []
    crossing = sorted((u, v) for u, v in graph.edges if centre[u] != centre[v])
    assert cross_centre_edges(graph) == crossing
