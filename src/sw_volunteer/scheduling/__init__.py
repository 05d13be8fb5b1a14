"""Recurring sessions, availability, rosters per occurrence, supervision cover and hours.

Example:
    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from sw_volunteer import scheduling
    >>> s = scheduling.Schedule(
    ...     start=datetime(2013, 9, 2, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
    ...     duration=timedelta(minutes=90),
    ...     rules=["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
    ... )
    >>> len(list(s.occurrences(s.start, s.start + timedelta(days=14))))
    10
"""

from sw_volunteer.models import Absence, Occurrence, Schedule, ServiceRecord
from sw_volunteer.scheduling._availability import (
    Availability,
    Presence,
    PresenceLine,
    Timeline,
    away_at,
)
from sw_volunteer.scheduling._booking import Booking, SessionTimes, double_bookings
from sw_volunteer.scheduling._cover import Cover, CoverBasis, CoverPlan, supervision_cover
from sw_volunteer.scheduling._hours import (
    HoursTotal,
    RecordIssue,
    RecordIssueCode,
    ServiceHours,
    counted_records,
    hours_from_minutes,
    record_issues,
    record_minutes,
    service_hours,
    star_level,
)
from sw_volunteer.scheduling._roster import (
    ADULT_AGE,
    SessionRoster,
    Staffing,
    StandInLine,
    can_stand_in,
    centre_people,
    free_at,
    session_rosters,
)

__all__ = [
    "ADULT_AGE",
    "Absence",
    "Availability",
    "Booking",
    "Cover",
    "CoverBasis",
    "CoverPlan",
    "HoursTotal",
    "Occurrence",
    "Presence",
    "PresenceLine",
    "RecordIssue",
    "RecordIssueCode",
    "Schedule",
    "ServiceHours",
    "ServiceRecord",
    "SessionRoster",
    "SessionTimes",
    "Staffing",
    "StandInLine",
    "Timeline",
    "away_at",
    "can_stand_in",
    "centre_people",
    "counted_records",
    "double_bookings",
    "free_at",
    "hours_from_minutes",
    "record_issues",
    "record_minutes",
    "service_hours",
    "session_rosters",
    "star_level",
    "supervision_cover",
]
