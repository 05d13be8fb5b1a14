"""The supervision graph: who supervises whom, as a networkx graph, and analyses over it.

Example:
    >>> import sw_volunteer as sv
    >>> from datetime import date
    >>> net = sv.Network(
    ...     centres=[sv.Centre(id="c", name="C")],
    ...     workers=[sv.SocialWorker(id="w1", name="A", centre="c")],
    ...     volunteers=[sv.Volunteer(id="v1", name="x", centre="c")],
    ...     supervisions=[sv.Supervision(id="s1", supervisor="w1", supervisee="v1",
    ...                                  kind="guidance", start=date(2013, 1, 1))],
    ... )
    >>> G = supervision_graph(net, on=date(2013, 11, 18))
    >>> supervisees_of(G, "w1"), unsupervised(G)
    (['v1'], [])
"""

from sw_volunteer.graph._analyses import (
    cover_for_absent,
    cross_centre_edges,
    find_supervision_cycle,
    single_points_of_failure,
    span_of_control,
    supervisees_of,
    supervision_chain,
    supervision_cycles,
    supervision_depth,
    supervisors_of,
    unsupervised,
)
from sw_volunteer.graph._assignment import (
    SupervisorAssignment,
    assign_supervisors,
    fewest_supervisors,
    fill_places,
)
from sw_volunteer.graph._supervision import supervision_graph

__all__ = [
    "SupervisorAssignment",
    "assign_supervisors",
    "cover_for_absent",
    "cross_centre_edges",
    "fewest_supervisors",
    "fill_places",
    "find_supervision_cycle",
    "single_points_of_failure",
    "span_of_control",
    "supervisees_of",
    "supervision_chain",
    "supervision_cycles",
    "supervision_depth",
    "supervision_graph",
    "supervisors_of",
    "unsupervised",
]
