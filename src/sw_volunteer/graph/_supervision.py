"""Build the supervision graph of a network on a given day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sw_volunteer.models import Network

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["supervision_graph"]


def supervision_graph(network: Network, on: date | None = None) -> nx.DiGraph[str]:
    """The supervision graph: supervisor -> supervisee, the edges active on ``on``.

    Every social worker and volunteer is a node, with attributes ``kind`` (``"worker"``
    or ``"volunteer"``), ``centre`` and ``certification`` (workers only). Edges carry
    ``kind`` (a [`SupervisionKind`][sw_volunteer.vocab.SupervisionKind]), ``primary`` and ``id``.
    With ``on=None`` every edge is included, whatever its dates. O(n + e).

    Example:
        >>> import sw_volunteer as sv
        >>> net = sv.datasets.ruian_2013()
        >>> G = supervision_graph(net, on=net.info.as_of)
        >>> G.number_of_nodes(), G.number_of_edges()
        (137, 134)
        >>> G.nodes["yucai-w01"]["kind"], G.edges["yucai-w01", "yucai-v01"]["kind"]
        ('worker', <SupervisionKind.GUIDANCE: 'guidance'>)
    """
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(
        (w.id, {"kind": "worker", "centre": w.centre, "certification": w.certification})
        for w in network.workers
    )
    graph.add_nodes_from(
        (v.id, {"kind": "volunteer", "centre": v.centre}) for v in network.volunteers
    )
    graph.add_edges_from(
        (s.supervisor, s.supervisee, {"kind": s.kind, "primary": s.primary, "id": s.id})
        for s in network.supervisions
        if on is None or s.is_active_on(on)
    )
    return graph
