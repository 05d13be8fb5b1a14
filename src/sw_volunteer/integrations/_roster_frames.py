"""Staffed terms as pandas DataFrames (re-exported by ``.pandas``)."""

from __future__ import annotations

from sw_volunteer.errors import MissingDependencyError
from sw_volunteer.plan import Roster

try:
    import pandas as pd
except ImportError as exc:
    raise MissingDependencyError.for_extra("pandas", "pandas") from exc

__all__ = ["roster_to_frame"]

_COLUMNS = ("session", "activity", "start", "end", "person", "role", "hours")


def roster_to_frame(roster: Roster) -> pd.DataFrame:
    """One row per person rostered on a session, in time order.

    ``start`` and ``end`` are timestamps with their time zone; ``hours`` is the
    session's length, so ``frame.groupby("person").hours.sum()`` gives each person's
    hours in the term.

    Example:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> from sw_volunteer.plan import Assignment, SolveStatus
        >>> at = datetime(2013, 11, 18, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> end = at + timedelta(minutes=90)
        >>> roster = Roster(
        ...     start=at, end=end, status=SolveStatus.OPTIMAL, objective=0, bound=0,
        ...     assignments=(Assignment("a", "a", at, end, "w", "worker"),),
        ...     sessions=(("a", "a", at, end),),
        ... )
        >>> roster_to_frame(roster)[["session", "person", "hours"]].to_dict("records")
        [{'session': 'a', 'person': 'w', 'hours': 1.5}]
    """
    rows = [
        {
            "session": a.session,
            "activity": a.activity,
            "start": pd.Timestamp(a.start),
            "end": pd.Timestamp(a.end),
            "person": a.person,
            "role": a.role,
            "hours": (a.end - a.start).total_seconds() / 3600,
        }
        for a in roster.assignments
    ]
    return pd.DataFrame(rows, columns=list(_COLUMNS))
