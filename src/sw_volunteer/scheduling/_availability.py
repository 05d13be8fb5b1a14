"""Who can come when: availability schedules minus absences, indexed for fast look-ups."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import partial
from math import inf
from operator import gt, le

from sw_volunteer.models import Absence, Network, Schedule

__all__ = ["Availability", "Presence", "PresenceLine", "Timeline", "away_at"]


class Presence(StrEnum):
    """Whether a rostered person can be at a session, and if not, why.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> november = datetime(2013, 11, 1, tzinfo=tz), datetime(2013, 12, 1, tzinfo=tz)
        >>> index = Availability(sv.datasets.ruian_2013(), *november)
        >>> morning = datetime(2013, 11, 12, 9, tzinfo=tz), datetime(2013, 11, 12, 11, tzinfo=tz)
        >>> index.presence("yucai-w01", *morning), index.presence("yucai-w02", *morning)
        (<Presence.ABSENT: 'absent'>, <Presence.AVAILABLE: 'available'>)
    """

    AVAILABLE = "available"
    ABSENT = "absent"
    """On leave, sick, or a one-off "can't come" (an [`Absence`][sw_volunteer.models.Absence])."""
    NOT_AVAILABLE = "not_available"
    """Outside the times the person registered as available, or outside their time on
    the roster (before joining, after leaving: see ``roster_days``)."""
    BOOKED_ELSEWHERE = "booked_elsewhere"
    """Rostered at an overlapping session that starts earlier, where they count.

    A person counts towards one session at a time (see
    [`double_bookings`][sw_volunteer.scheduling.double_bookings]).
    """


class Timeline:
    """Disjoint-or-not intervals as sorted UTC timestamps, for O(log n) look-ups.

    Example:
        >>> from datetime import timedelta
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2013, 11, 5, 14, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> line = Timeline([(at, at + timedelta(hours=6))])
        >>> line.covers(at + timedelta(hours=2), at + timedelta(hours=4))
        True
        >>> line.overlaps(at + timedelta(hours=5), at + timedelta(hours=7))
        True
        >>> line.covers(at + timedelta(hours=5), at + timedelta(hours=7))
        False
    """

    __slots__ = ("_disjoint", "_ends", "_max_span", "_starts")

    def __init__(self, intervals: Iterable[tuple[datetime, datetime]]) -> None:
        pairs = sorted((a.timestamp(), b.timestamp()) for a, b in intervals)
        self._starts = [a for a, _ in pairs]
        self._ends = [b for _, b in pairs]
        self._max_span = max((b - a for a, b in pairs), default=0.0)
        # Disjoint intervals (the usual case) have increasing ends: one look answers.
        self._disjoint = all(
            nxt >= end for nxt, end in zip(self._starts[1:], self._ends, strict=False)
        )

    def clipped(self, start: datetime, end: datetime) -> Timeline:
        """The intervals cut to ``[start, end)``.

        Example:
            >>> from datetime import timedelta
            >>> from zoneinfo import ZoneInfo
            >>> at = datetime(2013, 11, 5, 14, tzinfo=ZoneInfo("Asia/Shanghai"))
            >>> line = Timeline([(at, at + timedelta(hours=6))])
            >>> line.clipped(at + timedelta(hours=5), at + timedelta(hours=9)).covers(
            ...     at + timedelta(hours=5), at + timedelta(hours=6))
            True
            >>> len(line.clipped(at + timedelta(hours=7), at + timedelta(hours=9)))
            0
        """
        a, b = start.timestamp(), end.timestamp()
        zone = start.tzinfo
        return Timeline(
            (datetime.fromtimestamp(max(s, a), zone), datetime.fromtimestamp(min(e, b), zone))
            for s, e in zip(self._starts, self._ends, strict=True)
            if s < b and e > a
        )

    def __len__(self) -> int:
        return len(self._starts)

    def covers(self, start: datetime, end: datetime) -> bool:
        """Whether one interval contains all of ``[start, end)``."""
        return self.covers_ts(start.timestamp(), end.timestamp())

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether some interval shares an instant with ``[start, end)``."""
        return self.overlaps_ts(start.timestamp(), end.timestamp())

    def covers_ts(self, a: float, b: float) -> bool:
        """[`covers`][sw_volunteer.scheduling.Timeline.covers] on UTC timestamps."""
        starts, ends = self._starts, self._ends
        i = bisect_right(starts, a)
        if self._disjoint:
            return i > 0 and ends[i - 1] >= b
        lo = bisect_left(starts, a - self._max_span)
        return any(ends[j] >= b for j in range(lo, i))

    def covers_each(self, starts: Sequence[float], ends: Sequence[float]) -> list[bool]:
        """``covers_ts`` for each pair of ``starts`` and ``ends``, at once.

        For a year of sessions: the look-ups run as one pass of C-level calls.
        """
        if not self._disjoint:
            return list(map(self.covers_ts, starts, ends))
        # The interval before position i is the last one starting at or before a
        # session; -inf stands in for "none".
        before = [-inf, *self._ends]
        found = map(before.__getitem__, map(partial(bisect_right, self._starts), starts))
        return list(map(le, ends, found))

    def overlaps_each(self, starts: Sequence[float], ends: Sequence[float]) -> list[bool]:
        """``overlaps_ts`` for each pair of ``starts`` and ``ends``, at once."""
        if not self._disjoint:
            return list(map(self.overlaps_ts, starts, ends))
        before = [-inf, *self._ends]
        found = map(before.__getitem__, map(partial(bisect_left, self._starts), ends))
        return list(map(gt, found, starts))

    def overlaps_ts(self, a: float, b: float) -> bool:
        """[`overlaps`][sw_volunteer.scheduling.Timeline.overlaps] on UTC timestamps."""
        starts, ends = self._starts, self._ends
        i = bisect_left(starts, b)
        if self._disjoint:
            return i > 0 and ends[i - 1] > a
        lo = bisect_left(starts, a - self._max_span)
        return any(ends[j] > a for j in range(lo, i))


class Availability:
    """Every person's availability and absences over a window, ready for look-ups.

    A person without an availability schedule is taken to be available whenever
    rostered; an absence always wins over availability.

    Args:
        network: The network whose people and absences are indexed.
        start: Start of the window (aware); look-ups outside it are not reliable.
        end: End of the window (aware, exclusive).

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="Centre")],
        ...     volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        ...     absences=[sv.Absence(id="sick", person="v", schedule=sv.Schedule.days(
        ...         date(2013, 11, 5), date(2013, 11, 5), timezone="Asia/Shanghai"))],
        ... )
        >>> november = (datetime(2013, 11, 1, tzinfo=tz), datetime(2013, 12, 1, tzinfo=tz))
        >>> a = Availability(net, *november)
        >>> session = (datetime(2013, 11, 5, 16, 30, tzinfo=tz),
        ...            datetime(2013, 11, 5, 18, tzinfo=tz))
        >>> a.presence("v", *session)
        <Presence.ABSENT: 'absent'>
    """

    def __init__(self, network: Network, start: datetime, end: datetime) -> None:
        self.network = network
        self.start = start
        self.end = end
        self._available: dict[str, Timeline] = {}
        # Many people register the same pattern ("Tuesdays 16:00-18:30"): expand each
        # distinct schedule once.
        expanded: dict[Schedule, Timeline] = {}
        for people in (network.workers, network.volunteers):
            for person in people:
                if person.availability is not None:
                    line = expanded.get(person.availability)
                    if line is None:
                        line = _timeline(person.availability, start, end)
                        expanded[person.availability] = line
                    self._available[person.id] = line
                on_roster = _roster_window(*person.roster_days, start, end)
                if on_roster is not None:
                    known = self._available.get(person.id)
                    self._available[person.id] = (
                        Timeline([on_roster]) if known is None else known.clipped(*on_roster)
                    )
        by_person: dict[str, list[Absence]] = defaultdict(list)
        for absence in network.absences:
            by_person[absence.person].append(absence)
        self._absences: dict[str, tuple[Absence, ...]] = {
            person: tuple(found) for person, found in by_person.items()
        }
        self._absent: dict[str, Timeline] = {
            person: Timeline(
                (o.start, o.end) for a in found for o in a.schedule.overlapping(start, end)
            )
            for person, found in self._absences.items()
        }
        self._absent = {p: line for p, line in self._absent.items() if len(line)}

    def is_constrained(self, person: str) -> bool:
        """Whether ``person`` has an availability schedule or an absence in the window."""
        return person in self._available or person in self._absent

    def timelines(self, person: str) -> tuple[Timeline | None, Timeline | None]:
        """``person``'s absences and availability (``None``: none recorded, or no limit)."""
        return self._absent.get(person), self._available.get(person)

    def lines(self, people: Iterable[str]) -> tuple[PresenceLine, ...]:
        """The timelines of those of ``people`` whose presence can vary, in the order given.

        People with no availability schedule and no absence in the window are left out:
        they can come to every session. See [`away_at`][sw_volunteer.scheduling.away_at].
        """
        return tuple(
            (p, self._absent.get(p), self._available.get(p))
            for p in people
            if p in self._available or p in self._absent
        )

    def presence(self, person: str, start: datetime, end: datetime) -> Presence:
        """Whether ``person`` can be at a session ``[start, end)``, and if not, why."""
        return self.presence_ts(person, start.timestamp(), end.timestamp())

    def presence_ts(self, person: str, a: float, b: float) -> Presence:
        """[`presence`][sw_volunteer.scheduling.Availability.presence] on UTC timestamps."""
        absent = self._absent.get(person)
        if absent is not None and absent.overlaps_ts(a, b):
            return Presence.ABSENT
        available = self._available.get(person)
        if available is not None and not available.covers_ts(a, b):
            return Presence.NOT_AVAILABLE
        return Presence.AVAILABLE

    def is_available(self, person: str, start: datetime, end: datetime) -> bool:
        """Whether ``person`` can be at a session ``[start, end)``."""
        return self.presence(person, start, end) is Presence.AVAILABLE

    def absences_of(self, person: str, start: datetime, end: datetime) -> tuple[Absence, ...]:
        """The absences of ``person`` that overlap ``[start, end)``."""
        return tuple(
            a
            for a in self._absences.get(person, ())
            if next(a.schedule.overlapping(start, end), None) is not None
        )


PresenceLine = tuple[str, Timeline | None, Timeline | None]
"""A person's id, absences and availability (``None``: none), from ``Availability.lines``."""


def away_at(lines: Iterable[PresenceLine], a: float, b: float) -> tuple[tuple[str, Presence], ...]:
    """Who of ``lines`` cannot come to ``[a, b)`` (UTC timestamps), and why, in order.

    An absence wins over availability, as in
    [`Availability.presence`][sw_volunteer.scheduling.Availability.presence].

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> november = datetime(2013, 11, 1, tzinfo=tz), datetime(2013, 12, 1, tzinfo=tz)
        >>> index = Availability(sv.datasets.ruian_2013(), *november)
        >>> lines = index.lines(["yucai-w01", "yucai-w02", "yucai-v01"])
        >>> a = datetime(2013, 11, 12, 9, tzinfo=tz).timestamp()
        >>> away_at(lines, a, a + 7200)
        (('yucai-w01', <Presence.ABSENT: 'absent'>),
         ('yucai-v01', <Presence.NOT_AVAILABLE: 'not_available'>))
    """
    away: tuple[tuple[str, Presence], ...] = ()
    for p, off, on in lines:
        if off is not None and off.overlaps_ts(a, b):
            away = (*away, (p, Presence.ABSENT))
        elif on is not None and not on.covers_ts(a, b):
            away = (*away, (p, Presence.NOT_AVAILABLE))
    return away


def _roster_window(
    first: date | None, last: date | None, start: datetime, end: datetime
) -> tuple[datetime, datetime] | None:
    """The part of ``[start, end)`` a person is on the roster, when their dates cut into it.

    Days begin at midnight in the window's time zone (the zone of ``start``). ``None``
    when the roster dates leave the whole window open.
    """
    zone = start.tzinfo
    lo = start if first is None else max(start, datetime.combine(first, time(), zone))
    hi = end
    if last is not None:
        hi = min(end, datetime.combine(last + timedelta(days=1), time(), zone))
    if lo == start and hi == end:
        return None
    return (lo, max(lo, hi))


def _timeline(schedule: Schedule, start: datetime, end: datetime) -> Timeline:
    return Timeline((o.start, o.end) for o in schedule.overlapping(start, end))
