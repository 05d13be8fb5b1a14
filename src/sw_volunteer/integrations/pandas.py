"""pandas DataFrames of the library's objects.

Needs the ``pandas`` extra (``pip install 'sw-volunteer[pandas]'``); importing this
module without it raises :class:`~sw_volunteer.errors.MissingDependencyError`.

- :func:`network_to_frames`: one frame per entity kind of a network, sensitive fields
  left out unless asked for;
- :func:`report_to_frame`: a check report, one row per violation;
- :func:`results_to_frame` and :func:`sweep_to_frame`: simulation results;
- :func:`roster_to_frame`: a staffed term, one row per person and session.
"""

from __future__ import annotations

from sw_volunteer.integrations._network_frames import entity_columns, network_to_frames
from sw_volunteer.integrations._report_frames import report_to_frame
from sw_volunteer.integrations._roster_frames import roster_to_frame
from sw_volunteer.integrations._simulation_frames import results_to_frame, sweep_to_frame

__all__ = [
    "entity_columns",
    "network_to_frames",
    "report_to_frame",
    "results_to_frame",
    "roster_to_frame",
    "sweep_to_frame",
]
