"""Pure analyses of a supervision graph, named for what they return.

Each function takes the ``networkx.DiGraph`` built by
[`supervision_graph`][sw_volunteer.graph.supervision_graph] (supervisor -> supervisee) and states
its cost in terms of n nodes and e edges.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sw_volunteer.vocab import SupervisionKind

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "cover_for_absent",
    "cross_centre_edges",
    "find_supervision_cycle",
    "single_points_of_failure",
    "span_of_control",
    "supervisees_of",
    "supervision_chain",
    "supervision_cycles",
    "supervision_depth",
    "supervisors_of",
    "unsupervised",
]


def supervisors_of(graph: nx.DiGraph[str], person: str) -> list[str]:
    """The people who supervise ``person`` directly, sorted. O(deg).

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.graph import supervision_graph
        >>> G = supervision_graph(sv.datasets.ruian_2013())
        >>> supervisors_of(G, "yucai-v01")
        ['yucai-w01']
    """
    return sorted(graph.predecessors(person))


def supervisees_of(
    graph: nx.DiGraph[str], person: str, kind: SupervisionKind | None = None
) -> list[str]:
    """The people ``person`` supervises directly (of one ``kind`` if given), sorted. O(deg).

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.graph import supervision_graph
        >>> G = supervision_graph(sv.datasets.ruian_2013())
        >>> guided = supervisees_of(G, "yucai-w02", kind=sv.SupervisionKind.GUIDANCE)
        >>> len(guided), guided[:2]
        (20, ['yucai-v23', 'yucai-v24'])
    """
    return sorted(
        v
        for v in graph.successors(person)
        if kind is None or graph.edges[person, v]["kind"] is kind
    )


def span_of_control(graph: nx.DiGraph[str], kind: SupervisionKind | None = None) -> dict[str, int]:
    """Supervisees per supervisor (only people who supervise someone). O(e).

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.graph import supervision_graph
        >>> span = span_of_control(supervision_graph(sv.datasets.ruian_2013()))
        >>> span["yucai-w02"], max(span.values())
        (20, 25)
    """
    return dict(
        Counter(u for u, v in graph.edges if kind is None or graph.edges[u, v]["kind"] is kind)
    )


def unsupervised(graph: nx.DiGraph[str], node_kind: str = "volunteer") -> list[str]:
    """People of ``node_kind`` (``"volunteer"`` or ``"worker"``) with no supervisor. O(n).

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.graph import supervision_graph
        >>> G = supervision_graph(sv.datasets.ruian_2013())
        >>> unsupervised(G), unsupervised(G, "worker")
        ([], ['huaxia-w01', 'liqun-w01', 'yucai-w01'])
    """
    import networkx as nx

    kinds: dict[str, str] = nx.get_node_attributes(graph, "kind")
    return sorted(n for n, k in kinds.items() if k == node_kind and graph.in_degree(n) == 0)


def find_supervision_cycle(graph: nx.DiGraph[str]) -> list[str] | None:
    """The people on one supervision cycle, or ``None`` if the graph has none. O(n + e).

    Example:
        >>> import networkx as nx
        >>> find_supervision_cycle(nx.DiGraph([("w1", "w2"), ("w2", "w1"), ("w1", "v1")]))
        ['w1', 'w2']
        >>> print(find_supervision_cycle(nx.DiGraph([("w1", "v1")])))
        None
    """
    import networkx as nx

    try:
        return [u for u, _ in nx.find_cycle(graph)]
    except nx.NetworkXNoCycle:
        return None


def _acyclic(edges: Sequence[tuple[str, str]]) -> bool:
    """Whether the edges form no cycle (Kahn's algorithm, O(n + e), no networkx)."""
    successors: dict[str, list[str]] = defaultdict(list)
    indegree: dict[str, int] = defaultdict(int)
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    ready = [u for u in successors if not indegree[u]]
    removed = 0
    while ready:
        u = ready.pop()
        removed += 1
        for v in successors.get(u, ()):
            indegree[v] -= 1
            if not indegree[v]:
                ready.append(v)
    return removed == len(successors.keys() | indegree.keys())


def supervision_cycles(
    edges: Sequence[tuple[str, str]], nodes: Iterable[str] = ()
) -> list[list[str]]:
    """One cycle of each strongly connected part of the edges (supervisor -> supervisee).

    For large rosters, where building a graph costs more than the question: the usual,
    acyclic case is cleared by a topological sort without networkx; only when a cycle
    exists is a graph built. The answer is deterministic: parts come in the order of
    ``nodes`` (then of ``edges``), and each part's cycle is found on a graph built in
    that order. O(n + e).

    Args:
        edges: (supervisor, supervisee) pairs.
        nodes: Node ids in the order the parts should come in (others follow).

    Example:
        >>> supervision_cycles([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
        [['a', 'b', 'c']]
        >>> supervision_cycles([("a", "b")])
        []
    """
    if not edges or _acyclic(edges):
        return []
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    components = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    # One small graph per component, built in document order, so the cycle found
    # does not depend on the iteration order of a set (as a subgraph view's would).
    component_of = {person: i for i, c in enumerate(components) for person in c}
    inside: list[nx.DiGraph[str]] = [nx.DiGraph() for _ in components]
    for person in graph:
        if person in component_of:
            inside[component_of[person]].add_node(person)
    for u, v in graph.edges:
        if u in component_of and component_of[u] == component_of.get(v):
            inside[component_of[u]].add_edge(u, v)
    return [[u for u, _ in nx.find_cycle(component)] for component in inside]


def supervision_chain(graph: nx.DiGraph[str], person: str) -> list[str]:
    """``person`` and then their primary supervisors up to the top. O(depth).

    Follows primary edges (any edge if none is primary); stops at a repeat, so a cycle
    does not loop.

    Example:
        >>> import networkx as nx
        >>> G = nx.DiGraph()
        >>> G.add_edge("w1", "w2", primary=True)
        >>> G.add_edge("w2", "v1", primary=True)
        >>> G.add_edge("w3", "v1", primary=False)
        >>> supervision_chain(G, "v1")
        ['v1', 'w2', 'w1']
    """
    chain = [person]
    seen = {person}
    current = person
    while True:
        supervisors = list(graph.predecessors(current))
        if not supervisors:
            return chain
        primary = [u for u in supervisors if graph.edges[u, current].get("primary")]
        current = min(primary or supervisors)
        if current in seen:
            return chain
        chain.append(current)
        seen.add(current)


def supervision_depth(graph: nx.DiGraph[str]) -> int:
    """The number of edges on the longest supervision chain (0 with no edges).

    O(n + e) on an acyclic graph; raises ``networkx.NetworkXUnfeasible`` on a cycle.

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.graph import supervision_graph
        >>> supervision_depth(supervision_graph(sv.datasets.ruian_2013()))
        2
    """
    import networkx as nx

    return int(nx.dag_longest_path_length(graph)) if graph.number_of_edges() else 0


def cross_centre_edges(graph: nx.DiGraph[str]) -> list[tuple[str, str]]:
    """Edges whose supervisor and supervisee belong to different centres, sorted. O(e).

    Example:
        >>> import networkx as nx
        >>> G = nx.DiGraph()
        >>> G.add_nodes_from([("w1", {"centre": "a"}), ("v1", {"centre": "a"})])
        >>> G.add_node("v2", centre="b")
        >>> G.add_edges_from([("w1", "v1"), ("w1", "v2")])
        >>> cross_centre_edges(G)
        [('w1', 'v2')]
    """
    import networkx as nx

    centre = nx.get_node_attributes(graph, "centre")
    return sorted((u, v) for u, v in graph.edges if centre.get(u) != centre.get(v))


def cover_for_absent(graph: nx.DiGraph[str], absent: Iterable[str]) -> dict[str, list[str]]:
    """Who covers the supervisees of absent people: their other, present supervisors.

    Returns, for every supervisee of an absent person (not absent themselves), the
    present people who also supervise them; an empty list means nobody covers them.
    O(sum of the degrees of the absent).

    Example:
        >>> import networkx as nx
        >>> G = nx.DiGraph([("w1", "v1"), ("w2", "v1"), ("w1", "v2")])
        >>> cover_for_absent(G, ["w1"])
        {'v1': ['w2'], 'v2': []}
    """
    gone = set(absent)
    cover: dict[str, list[str]] = {}
    for person in gone:
        if person not in graph:
            continue
        for supervisee in graph.successors(person):
            if supervisee in gone:
                continue
            cover[supervisee] = sorted(set(graph.predecessors(supervisee)) - gone)
    return dict(sorted(cover.items()))


def single_points_of_failure(graph: nx.DiGraph[str], k: int = 0) -> dict[str, int]:
    """Supervisors whose absence leaves more than ``k`` people with no supervisor at all.

    Returns supervisor -> how many people would be left unsupervised. O(e).

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.graph import supervision_graph
        >>> G = supervision_graph(sv.datasets.ruian_2013())
        >>> single_points_of_failure(G, k=19)
        {'yucai-w01': 25, 'yucai-w02': 20}
    """
    only: Counter[str] = Counter()
    for node in graph:
        preds = list(graph.predecessors(node))
        if len(preds) == 1:
            only[preds[0]] += 1
    return {s: n for s, n in sorted(only.items()) if n > k}
