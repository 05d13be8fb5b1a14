"""The supervision graph: who supervises whom, as a networkx graph, and analyses over it."""

from sw_volunteer.graph._supervision import supervision_graph

__all__ = ["supervision_graph"]
