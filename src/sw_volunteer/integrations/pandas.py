"""pandas DataFrames of the library's objects.

Needs the ``pandas`` extra (``pip install -e '.[pandas]'``); importing this
module without it raises [`MissingDependencyError`][sw_volunteer.errors.MissingDependencyError].

This module is the one way to get DataFrames of the library's objects:

- [`network_to_frames`][sw_volunteer.integrations.pandas.network_to_frames]: a network,
  one frame per entity collection (sensitive fields left out unless asked for) and one
  of schedules (availability and recurring sessions);
- [`report_to_frame`][sw_volunteer.integrations.pandas.report_to_frame]: a check report,
  one row per violation;
- [`results_to_frame`][sw_volunteer.integrations.pandas.results_to_frame] and
  [`sweep_to_frame`][sw_volunteer.integrations.pandas.sweep_to_frame]: simulation results;
- [`roster_to_frame`][sw_volunteer.integrations.pandas.roster_to_frame]: a staffed term,
  one row per person and session.

Every frame uses the same conventions: entity ids as the index, dates as
``datetime64`` with ``NaT`` for a missing one, times as time-zone aware ``datetime64``,
enums as their string values. Without pandas, ``Report.to_records()`` and the JSON
forms give the same data as plain dicts.
"""

from __future__ import annotations

from sw_volunteer.integrations._network_frames import (
    SCHEDULE_COLUMNS,
    entity_columns,
    network_to_frames,
)
from sw_volunteer.integrations._report_frames import report_to_frame
from sw_volunteer.integrations._roster_frames import roster_to_frame
from sw_volunteer.integrations._simulation_frames import results_to_frame, sweep_to_frame

__all__ = [
    "SCHEDULE_COLUMNS",
    "entity_columns",
    "network_to_frames",
    "report_to_frame",
    "results_to_frame",
    "roster_to_frame",
    "sweep_to_frame",
]
