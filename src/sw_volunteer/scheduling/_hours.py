"""Volunteer service hours from service records: totals, star levels, contradictions.

Rounding rule (documented, and the same everywhere):

1. each record counts its service time (elapsed time minus the travel time the recorder
   noted, [`service_time`][sw_volunteer.models.ServiceRecord.service_time]) in **whole minutes,
   seconds dropped**;
2. a total is the exact sum of those minutes;
3. hours are shown as ``minutes / 60`` rounded **half up to two decimals**
   (``decimal.Decimal``, so 0.005 h never becomes 0.00 by binary float error);
4. star levels compare the exact minutes with the thresholds, never rounded hours. The
   thresholds come from a rule pack
   ([`star_thresholds`][sw_volunteer.rules.star_thresholds]), since local schemes differ.

Every record is read as corrected ([`effective`][sw_volunteer.models.ServiceRecord.effective]);
a record withdrawn by a correction (``void``) counts nowhere. A record counts in a period
when it *starts* in the half-open window ``[start, end)``.
Records that contradict the schedule (a record for a session that did not take place,
records of one person that overlap, a record while the person was recorded as absent)
are reported and left out of every total, never silently summed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Literal

from sw_volunteer.models import Network, ServiceRecord
from sw_volunteer.scheduling._availability import Availability, Presence, Timeline

__all__ = [
    "HoursTotal",
    "RecordIssue",
    "RecordIssueCode",
    "ServiceHours",
    "counted_records",
    "hours_from_minutes",
    "record_issues",
    "record_minutes",
    "service_hours",
    "star_level",
]

_CENT = Decimal("0.01")


def hours_from_minutes(minutes: int) -> Decimal:
    """Whole minutes as hours, rounded half up to two decimals.

    Example:
        >>> hours_from_minutes(90)
        Decimal('1.50')
        >>> hours_from_minutes(1)
        Decimal('0.02')
    """
    return (Decimal(minutes) / 60).quantize(_CENT, rounding=ROUND_HALF_UP)


def star_level(minutes: int, thresholds: Iterable[int]) -> int:
    """The star level earned by ``minutes`` of recorded service under ``thresholds``.

    ``thresholds`` are the hours for one star, two stars, ... in increasing order; the
    packaged packs carry them ([`sw_volunteer.rules.star_level`][sw_volunteer.rules.star_level]
    reads a pack's).

    Example:
        >>> national = (100, 300, 600, 1000, 1500)
        >>> star_level(99 * 60 + 59, national), star_level(100 * 60, national)
        (0, 1)
    """
    return sum(minutes >= hours * 60 for hours in thresholds)


def record_minutes(record: ServiceRecord) -> int:
    """The whole minutes of service a record counts (as given: pass it corrected).

    Example:
        >>> from datetime import timedelta
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2013, 11, 18, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> record_minutes(ServiceRecord(id="r", volunteer="v", activity="a", start=at,
        ...                              end=at + timedelta(minutes=120), travel_minutes=30))
        90
    """
    return int(record.service_time.total_seconds() // 60)


_minutes = record_minutes


def counted_records(network: Network) -> tuple[ServiceRecord, ...]:
    """Every service record as corrected, leaving out those withdrawn (``void``).

    Example:
        >>> import sw_volunteer as sv
        >>> net = sv.datasets.ruian_2013()
        >>> len(counted_records(net)) == sum(not r.effective().void for r in net.service_records)
        True
    """
    effective = (r.effective() for r in network.service_records)
    return tuple(r for r in effective if not r.void)


class RecordIssueCode(StrEnum):
    """Why a service record is not counted.

    Example:
        >>> [code.value for code in RecordIssueCode]
        ['session_not_held', 'overlapping_records', 'volunteer_absent']
    """

    SESSION_NOT_HELD = "session_not_held"
    """The record's time overlaps no session of its activity."""
    OVERLAPPING_RECORDS = "overlapping_records"
    """The volunteer has another record at the same time."""
    VOLUNTEER_ABSENT = "volunteer_absent"
    """The volunteer was recorded as absent (leave, sickness) at that time."""


@dataclass(frozen=True, slots=True)
class RecordIssue:
    """A service record (or pair) that contradicts the schedule or another record.

    Attributes:
        code: What is wrong.
        records: The ids of the records involved.
        volunteer: The volunteer concerned.
        message: What was found, in English.

    Example:
        >>> import sw_volunteer as sv
        >>> issue = record_issues(sv.datasets.ruian_2013())[0]
        >>> issue.code, issue.records, issue.volunteer
        (<RecordIssueCode.SESSION_NOT_HELD: 'session_not_held'>, ('sr-1123-saturday',), 'yucai-v25')
    """

    code: RecordIssueCode
    records: tuple[str, ...]
    volunteer: str
    message: str


@dataclass(frozen=True, slots=True)
class HoursTotal:
    """Recorded service for one volunteer, programme, activity or month.

    Attributes:
        key: The id (or ``YYYY-MM`` month) the total is for.
        minutes: Whole minutes, summed exactly.
        records: How many records were counted.

    Example:
        >>> import sw_volunteer as sv
        >>> hours = service_hours(sv.datasets.ruian_2013())
        >>> total = next(t for t in hours.totals if t.key == "yucai-v03")
        >>> total.key, total.minutes, total.records, total.hours
        ('yucai-v03', 4650, 55, Decimal('77.50'))
    """

    key: str
    minutes: int
    records: int

    @property
    def hours(self) -> Decimal:
        """The total in hours, rounded half up to two decimals."""
        return hours_from_minutes(self.minutes)

    def stars(self, thresholds: Iterable[int]) -> int:
        """The star level these minutes earn under ``thresholds`` (for a volunteer's total)."""
        return star_level(self.minutes, thresholds)


Grouping = Literal["volunteer", "programme", "activity", "month"]


@dataclass(frozen=True, slots=True)
class ServiceHours:
    """Hour totals of the records that could be counted, and the issues with the rest.

    Attributes:
        by: What the totals are grouped by.
        totals: One total per key, in key order.
        issues: Every contradiction found.
        excluded: The ids of the records left out of the totals.

    Example:
        >>> import sw_volunteer as sv
        >>> hours = service_hours(sv.datasets.ruian_2013(), by="programme")
        >>> hours.by, [(t.key, t.records) for t in hours.totals]
        ('programme', [('liqun-farm', 22), ('yucai-430', 662)])
        >>> [issue.code.value for issue in hours.issues]
        ['session_not_held', 'overlapping_records']
    """

    by: Grouping
    totals: tuple[HoursTotal, ...]
    issues: tuple[RecordIssue, ...]
    excluded: frozenset[str]

    def __getitem__(self, key: str) -> HoursTotal:
        """The total for ``key`` (zero if nothing was counted for it)."""
        for total in self.totals:
            if total.key == key:
                return total
        return HoursTotal(key, 0, 0)

    @property
    def minutes(self) -> int:
        """All counted minutes."""
        return sum(t.minutes for t in self.totals)


def _in_window(record: ServiceRecord, start: datetime | None, end: datetime | None) -> bool:
    # As instants: datetimes with one tzinfo compare by wall clock, ignoring fold.
    at = record.start.timestamp()
    return (start is None or at >= start.timestamp()) and (end is None or at < end.timestamp())


def record_issues(
    network: Network, *, start: datetime | None = None, end: datetime | None = None
) -> tuple[RecordIssue, ...]:
    """Every service record starting in ``[start, end)`` that contradicts the schedule.

    Checks: the activity had a session at that time (any overlap with an occurrence of
    its schedule, or with its own start and end when it does not recur); the volunteer
    was not recorded as absent; no two records of one volunteer overlap.

    Example:
        >>> import sw_volunteer as sv
        >>> for issue in record_issues(sv.datasets.ruian_2013()):
        ...     print(issue.message)
        sr-1123-saturday: no session of 'yucai-430-senior' took place at 2013-11-23 16:30
        ...
    """
    records = [r for r in counted_records(network) if _in_window(r, start, end)]
    if not records:
        return ()
    lo = min((r.start for r in records), key=datetime.timestamp).astimezone(UTC)
    hi = max((r.end for r in records), key=datetime.timestamp).astimezone(UTC)
    issues: list[RecordIssue] = []
    sessions: dict[str, Timeline] = {}
    for activity_id in sorted({r.activity for r in records}):
        activity = network.activity(activity_id)
        if activity.schedule is None:
            sessions[activity_id] = Timeline([(activity.start, activity.end)])
        else:
            sessions[activity_id] = Timeline(
                (o.start, o.end) for o in activity.schedule.overlapping(lo, hi)
            )
    index = Availability(network, lo, hi)
    for r in records:
        a, b = r.start.timestamp(), r.end.timestamp()
        if not sessions[r.activity].overlaps_ts(a, b):
            issues.append(
                RecordIssue(
                    RecordIssueCode.SESSION_NOT_HELD,
                    (r.id,),
                    r.volunteer,
                    f"{r.id}: no session of {r.activity!r} took place at {r.start:%Y-%m-%d %H:%M}",
                )
            )
        if index.presence_ts(r.volunteer, a, b) is Presence.ABSENT:
            issues.append(
                RecordIssue(
                    RecordIssueCode.VOLUNTEER_ABSENT,
                    (r.id,),
                    r.volunteer,
                    f"{r.id}: {r.volunteer!r} was recorded as absent at {r.start:%Y-%m-%d %H:%M}",
                )
            )
    by_volunteer: dict[str, list[ServiceRecord]] = defaultdict(list)
    for r in records:
        by_volunteer[r.volunteer].append(r)
    for volunteer, own in sorted(by_volunteer.items()):
        own.sort(key=lambda r: (r.start.timestamp(), r.id))
        for i, first in enumerate(own):
            first_end = first.end.timestamp()
            for second in own[i + 1 :]:
                if second.start.timestamp() >= first_end:
                    break
                issues.append(
                    RecordIssue(
                        RecordIssueCode.OVERLAPPING_RECORDS,
                        (first.id, second.id),
                        volunteer,
                        f"{first.id} and {second.id}: {volunteer!r} has two records "
                        f"at once on {second.start:%Y-%m-%d %H:%M}",
                    )
                )
    return tuple(issues)


def service_hours(
    network: Network,
    *,
    by: Grouping = "volunteer",
    start: datetime | None = None,
    end: datetime | None = None,
) -> ServiceHours:
    """Hour totals of the service records starting in ``[start, end)``.

    Records with an issue (see [`record_issues`][sw_volunteer.scheduling.record_issues]) are left
    out and reported; see the module documentation for the rounding rule.

    Args:
        network: The network with its service records.
        by: Group by ``"volunteer"``, ``"programme"``, ``"activity"`` or ``"month"``
            (the local ``YYYY-MM`` of the record's start).
        start: Only records starting at or after this (aware).
        end: Only records starting before this (aware).

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import timedelta
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2013, 11, 18, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        ...     programmes=[
        ...         sv.Programme(id="p", name="P", centre="c", service_area="after_school_care")
        ...     ],
        ...     activities=[sv.Activity(id="a", name="A", programme="p", start=at,
        ...                             end=at + timedelta(hours=2))],
        ...     service_records=[
        ...         sv.ServiceRecord(id="r1", volunteer="v", activity="a", start=at,
        ...                          end=at + timedelta(minutes=90, seconds=59)),
        ...         sv.ServiceRecord(id="r2", volunteer="v", activity="a",
        ...                          start=at + timedelta(days=1),
        ...                          end=at + timedelta(days=1, hours=1)),
        ...     ],
        ... )
        >>> hours = service_hours(net)
        >>> hours["v"].hours, [i.code.value for i in hours.issues]
        (Decimal('1.50'), ['session_not_held'])
    """
    issues = record_issues(network, start=start, end=end)
    excluded = frozenset(rid for issue in issues for rid in issue.records)
    minutes: dict[str, int] = defaultdict(int)
    counted: dict[str, int] = defaultdict(int)
    for r in counted_records(network):
        if r.id in excluded or not _in_window(r, start, end):
            continue
        key = _key(network, r, by)
        minutes[key] += _minutes(r)
        counted[key] += 1
    totals = tuple(HoursTotal(k, minutes[k], counted[k]) for k in sorted(minutes))
    return ServiceHours(by, totals, issues, excluded)


def _key(network: Network, record: ServiceRecord, by: Grouping) -> str:
    if by == "volunteer":
        return record.volunteer
    if by == "activity":
        return record.activity
    if by == "programme":
        return network.activity(record.activity).programme
    if by == "month":
        return f"{record.start:%Y-%m}"
    raise ValueError(f"cannot group service hours by {by!r}")
