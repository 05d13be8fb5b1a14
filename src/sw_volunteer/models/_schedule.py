"""Recurring times: the ``Schedule`` of a session, an availability or an absence.

A schedule is data (it serialises to JSON/YAML with its IANA zone) and expands itself
lazily into [`Occurrence`][sw_volunteer.models.Occurrence] values. It lives with the models, below
[`sw_volunteer.scheduling`][sw_volunteer.scheduling], so that programmes, activities, people and
absences can carry one; [`sw_volunteer.scheduling`][sw_volunteer.scheduling] re-exports it and
builds rosters on it.

Time rules, following RFC 5545:

- Occurrences keep the start's *wall-clock* time in its zone: a session at 16:30 stays at
  16:30 local time on both sides of a daylight-saving change.
- A start that falls in a spring-forward gap moves forward by the gap (02:30 becomes
  03:30); a start in a repeated autumn hour is the first of the two.
- ``duration``: whole days are nominal (a one-day absence ends at the same wall time the
  next day), the rest is exact elapsed time.
- Windows and look-ups compare *instants*: occurrences come in the order of their start
  instants, a start moved out of a gap onto the instant of another start counts once,
  and a bound is never compared by wall clock (two aware datetimes with the same
  ``tzinfo`` compare by wall clock and ignore ``fold``, so a bound in the schedule's own
  zone would otherwise take the second 01:30 of an autumn night for the first).

Limits, checked when a schedule is built, so that a schedule that loads also expands:

- the start, ``until`` and extra times lie between 1900 and 2199
  ([`EARLIEST`][sw_volunteer.types.EARLIEST], [`LATEST`][sw_volunteer.types.LATEST]); a duration
  is at most [`MAX_DURATION`][sw_volunteer.models.MAX_DURATION];
- each rule is checked part by part (ranges of ``BYHOUR``, ``BYMONTHDAY``, ...,
  ``INTERVAL`` from 1 to 1000, ``UNTIL`` in UTC), ``FREQ=SECONDLY`` and ``FREQ=MINUTELY``
  are refused (a session lasts longer than that), and a rule must occur within eight
  years of the start (``BYMONTH=2;BYMONTHDAY=30`` never does);
- one expansion (one call of [`Schedule.occurrences`][sw_volunteer.models.Schedule.occurrences] and
  its kin, consumed) looks at most at [`MAX_EXPANSION`][sw_volunteer.models.MAX_EXPANSION] candidate
  starts, then raises [`InvalidRecurrenceError`][sw_volunteer.errors.InvalidRecurrenceError] rather
  than run on.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from itertools import accumulate, chain, cycle, dropwhile, islice, repeat
from math import lcm
from operator import add, attrgetter, is_, sub
from typing import Any, NamedTuple, Self
from zoneinfo import ZoneInfo

from pydantic import (
    AwareDatetime,
    ConfigDict,
    Field,
    PositiveInt,
    field_validator,
    model_validator,
)

from sw_volunteer.errors import InvalidRecurrenceError, Problem
from sw_volunteer.models._base import Model, Period
from sw_volunteer.types import (
    EARLIEST,
    LATEST,
    MAX_ZONE_NAME,
    RRuleText,
    first_start_within,
    rrule_starts,
    zone_named,
)

__all__ = ["MAX_DURATION", "MAX_EXPANSION", "Occurrence", "Schedule"]

MAX_EXPANSION = 2_000_000
"""The most candidate starts one expansion of a schedule looks at before it gives up."""

MAX_DURATION = timedelta(days=3660)
"""The longest duration of one occurrence (ten years: a long leave still fits)."""

_RULE_MUST_OCCUR_WITHIN = 8  # years; a leap day occurs every four


class Occurrence(NamedTuple):
    """One occurrence of a schedule: the half-open interval ``[start, end)``.

    Attributes:
        start: When it starts, aware, in the schedule's zone.
        end: When it ends, aware, in the schedule's zone.

    Example:
        >>> from zoneinfo import ZoneInfo
        >>> shanghai = ZoneInfo("Asia/Shanghai")
        >>> weekly = Schedule(
        ...     start=datetime(2013, 11, 18, 16, 30, tzinfo=shanghai),
        ...     duration=timedelta(minutes=90),
        ...     rules=["FREQ=WEEKLY"],
        ... )
        >>> second = list(weekly.occurrences(
        ...     datetime(2013, 11, 18, tzinfo=shanghai), datetime(2013, 11, 26, tzinfo=shanghai)
        ... ))[1]
        >>> second.day, second.end - second.start
        (datetime.date(2013, 11, 25), datetime.timedelta(seconds=5400))
    """

    start: datetime
    end: datetime

    @property
    def day(self) -> date:
        """The local date on which the occurrence starts."""
        return self.start.date()

    @property
    def duration(self) -> timedelta:
        """The elapsed time from start to end."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether ``[start, end)`` shares any instant with this occurrence.

        Compared as instants, also when the bounds share the occurrence's zone (two
        datetimes with one ``tzinfo`` compare by wall clock, which repeats an hour in
        autumn).

        Example:
            >>> london = ZoneInfo("Europe/London")
            >>> night = Occurrence(datetime(2013, 10, 27, 0, 30, tzinfo=london),
            ...                    datetime(2013, 10, 27, 1, 0, fold=1, tzinfo=london))
            >>> night.overlaps(datetime(2013, 10, 27, 1, 30, tzinfo=london),
            ...                datetime(2013, 10, 27, 2, tzinfo=london))
            True

        Raises:
            ValueError: a bound is naive.
        """
        return _instant(self.start) < _instant(end) and _instant(start) < _instant(self.end)

    def covers(self, start: datetime, end: datetime) -> bool:
        """Whether this occurrence contains all of ``[start, end)``, compared as instants.

        Raises:
            ValueError: a bound is naive.
        """
        return _instant(self.start) <= _instant(start) and _instant(end) <= _instant(self.end)


def _zone(name: object) -> ZoneInfo:
    return zone_named(name)


def _in_bounds(moment: datetime | date, what: str) -> None:
    day = moment.date() if isinstance(moment, datetime) else moment
    if not EARLIEST <= day <= LATEST:
        msg = f"{what} must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}"
        raise ValueError(msg)


def normalise(moment: datetime) -> datetime:
    """``moment`` moved out of a spring-forward gap; other times are returned unchanged.

    Example:
        >>> london = ZoneInfo("Europe/London")
        >>> normalise(datetime(2013, 3, 31, 1, 30, tzinfo=london)).isoformat()
        '2013-03-31T02:30:00+01:00'
    """
    if moment.replace(fold=1).utcoffset() != moment.utcoffset():
        # Either a gap or a repeated hour; in a gap the later offset is the larger one.
        later = moment.replace(fold=1).utcoffset()
        earlier = moment.utcoffset()
        if later is not None and earlier is not None and later > earlier:
            zone = moment.tzinfo
            return moment.astimezone(UTC).astimezone(zone)
    return moment


_ZERO_DURATION = r"^-?P(?:[0.,]+[YMWD])*(?:T(?:[0.,]+[HMS])*)?$"


def _schedule_schema(schema: dict[str, Any]) -> None:
    """What JSON Schema can say of a schedule beyond the field types.

    In a document the start is a text time, which carries no IANA zone: ``timezone``
    is required. The duration is positive (not zero, not negative), and ``until`` and
    ``count`` are not given together.
    """
    properties = schema.get("properties", {})
    required = schema.setdefault("required", [])
    if "timezone" not in required:
        required.append("timezone")
    zone = properties.get("timezone", {})
    zone.pop("default", None)
    zone.update(
        {"minLength": 1, "maxLength": MAX_ZONE_NAME, "pattern": r"^[A-Za-z][A-Za-z0-9_+\-/]*$"}
    )
    duration = properties.get("duration", {})
    duration.update({"pattern": "^P", "not": {"pattern": _ZERO_DURATION}})
    schema["not"] = {"required": ["until", "count"]}


class Schedule(Model):
    """When something recurs: a start in an IANA zone, a duration and recurrence rules.

    The start is always the first occurrence (as in RFC 5545); each rule adds the times
    it generates from the start; ``extra`` adds single occurrences; ``exclude`` removes
    whole local days or periods (holidays, term breaks) or single starts (an aware time:
    the occurrence starting at that instant, like an RFC 5545 EXDATE); ``until`` (a last
    local day) or ``count`` (occurrences that take place, after exclusions) ends the schedule.

    Attributes:
        start: The first occurrence, timezone-aware with an IANA zone (a naive time
            is read in ``timezone``).
        timezone: The IANA zone, e.g. ``"Asia/Shanghai"``; taken from ``start`` if it
            carries a ``zoneinfo.ZoneInfo``.
        duration: How long each occurrence lasts.
        rules: RFC 5545 RRULEs, e.g. ``"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"``.
        extra: Extra occurrences: a date (at the start's local time) or an aware time.
        exclude: Local days or periods (both ends included) with no occurrence, or the
            exact start instants of single occurrences that do not take place.
        until: The last local day an occurrence may start on.
        count: How many occurrences take place in all.

    Example:
        >>> shanghai = ZoneInfo("Asia/Shanghai")
        >>> school = Schedule(
        ...     start=datetime(2013, 9, 2, 16, 30, tzinfo=shanghai),
        ...     duration=timedelta(minutes=90),
        ...     rules=["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
        ...     exclude=[Period(start=date(2013, 10, 1), until=date(2013, 10, 7))],
        ... )
        >>> week = school.occurrences(
        ...     datetime(2013, 9, 30, tzinfo=shanghai), datetime(2013, 10, 14, tzinfo=shanghai)
        ... )
        >>> [o.start.strftime("%a %d %b %H:%M") for o in week]  # doctest: +NORMALIZE_WHITESPACE
        ['Mon 30 Sep 16:30', 'Tue 08 Oct 16:30', 'Wed 09 Oct 16:30', 'Thu 10 Oct 16:30',
         'Fri 11 Oct 16:30']
    """

    model_config = ConfigDict(json_schema_extra=_schedule_schema)

    start: AwareDatetime
    timezone: str = Field(default="", description="IANA zone name, e.g. Asia/Shanghai")
    duration: timedelta
    rules: tuple[RRuleText, ...] = ()
    extra: tuple[AwareDatetime | date, ...] = ()
    exclude: tuple[AwareDatetime | date | Period, ...] = ()
    until: date | None = None
    count: PositiveInt | None = None

    @model_validator(mode="before")
    @classmethod
    def _read_zone(cls, data: Any) -> Any:  # noqa: PLR0912 - one branch per form of start
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("rules"), str):
            data["rules"] = [data["rules"]]
        name = data.get("timezone")
        if name is None:
            name = ""
        if name != "":
            try:
                _zone(name)  # the one check of a zone name; refuses a number, a folder, ...
            except ValueError as exc:
                msg = f"timezone: {exc}"
                raise ValueError(msg) from None
        start = data.get("start")
        if isinstance(start, str):
            try:
                start = datetime.fromisoformat(start)
            except ValueError:
                return data  # let the field validator report it
        if not isinstance(start, datetime):
            return data
        _in_bounds(start, "start")
        carried = start.tzinfo
        if isinstance(carried, ZoneInfo):
            if name and name != carried.key:
                msg = f"start is in {carried.key!r} but timezone is {name!r}"
                raise ValueError(msg)
            data["timezone"] = carried.key
        elif name:
            zone = _zone(name)
            # A naive start is wall time in the zone; an offset names an instant.
            data["start"] = (
                start.replace(tzinfo=zone) if carried is None else start.astimezone(zone)
            )
        elif carried is not None:
            msg = (
                "start has a fixed UTC offset; give an IANA zone (start with a ZoneInfo "
                "or the timezone field) so that daylight-saving changes are followed"
            )
            raise ValueError(msg)
        else:
            data["start"] = start  # naive without zone: AwareDatetime reports it
        return data

    @field_validator("duration")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            msg = "duration must be positive"
            raise ValueError(msg)
        if value > MAX_DURATION:
            msg = f"duration must be at most {MAX_DURATION.days} days"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.until is not None and self.count is not None:
            msg = "give until or count, not both"
            raise ValueError(msg)
        if self.until is not None and self.until < self.start.date():
            msg = "until is before the start"
            raise ValueError(msg)
        if self.until is not None:
            _in_bounds(self.until, "until")
        for moment in self.extra:
            _in_bounds(moment, "each extra occurrence")
        wall = self.start.replace(tzinfo=None)
        for rule in self.rules:
            if not first_start_within(rule, wall, _RULE_MUST_OCCUR_WITHIN):
                msg = (
                    f"the rule {rule[:200]!r} never occurs within {_RULE_MUST_OCCUR_WITHIN} "
                    "years of the start"
                )
                raise ValueError(msg)
        return self

    # -- expansion ----------------------------------------------------------------

    @property
    def zone(self) -> tzinfo:
        """The schedule's time zone."""
        return self.start.tzinfo or UTC

    @classmethod
    def days(cls, first: date, last: date, *, timezone: str) -> Schedule:
        """A single block of whole local days, ``first`` to ``last`` inclusive (for leave).

        Example:
            >>> leave = Schedule.days(date(2013, 11, 4), date(2013, 11, 17), timezone="Etc/UTC")
            >>> [(o.start.date(), o.end.date()) for o in leave.take(5)]
            [(datetime.date(2013, 11, 4), datetime.date(2013, 11, 18))]
        """
        return cls(
            start=datetime.combine(first, time(0), _zone(timezone)),
            duration=timedelta(days=(last - first).days + 1),
        )

    def end_of(self, start: datetime) -> datetime:
        """When an occurrence that starts at ``start`` ends, in the schedule's zone.

        Whole days of the duration are counted on the wall clock, the rest as elapsed
        time (see the module's time rules).

        Example:
            >>> london = ZoneInfo("Europe/London")
            >>> night = Schedule(
            ...     start=datetime(2013, 10, 27, 1, 30, tzinfo=london), duration=timedelta(hours=1)
            ... )
            >>> night.end_of(night.start).isoformat()  # from 01:30 BST: the second 01:30
            '2013-10-27T01:30:00+00:00'

        Raises:
            ValueError: ``start`` is naive.
        """
        nominal = timedelta(days=self.duration.days)
        moment = normalise(_instant(start).astimezone(self.zone))
        return _end(moment, nominal, self.duration - nominal)

    def occurrences(self, start: datetime, end: datetime) -> Iterator[Occurrence]:
        """The occurrences that start in the half-open window ``[start, end)``, lazily.

        The result is deterministic and in time order; bounds are aware datetimes in
        any zone and name instants: an occurrence is in the window when its start
        instant is, whatever the wall clock says around a daylight-saving change.

        Example:
            New York skips 02:00-03:00 on 10 March 2013: the 02:30 session of that
            day takes place at 03:30 EDT, and a window from 03:30 EDT holds it.

            >>> ny = ZoneInfo("America/New_York")
            >>> nightly = Schedule(
            ...     start=datetime(2013, 3, 8, 2, 30, tzinfo=ny),
            ...     duration=timedelta(minutes=30),
            ...     rules=["FREQ=DAILY"],
            ... )
            >>> gap = nightly.occurrences(
            ...     datetime(2013, 3, 10, 3, 30, tzinfo=ny), datetime(2013, 3, 10, 3, 45, tzinfo=ny)
            ... )
            >>> [o.start.isoformat() for o in gap]
            ['2013-03-10T03:30:00-04:00']

        Raises:
            ValueError: a bound is naive.
        """
        return self._expand(_instant(start), _instant(end))

    def overlapping(self, start: datetime, end: datetime) -> Iterator[Occurrence]:
        """The occurrences that share any instant with ``[start, end)``, lazily.

        Example:
            London repeats 01:00-02:00 on 27 October 2013: three hours from 23:00 BST
            end at 01:00 GMT, half an hour after 01:30 BST (the first 01:30).

            >>> london = ZoneInfo("Europe/London")
            >>> night = Schedule(
            ...     start=datetime(2013, 10, 26, 23, tzinfo=london), duration=timedelta(hours=3)
            ... )
            >>> window = (datetime(2013, 10, 27, 1, 30, tzinfo=london),
            ...           datetime(2013, 10, 27, 3, tzinfo=london))
            >>> [o.end.isoformat() for o in night.overlapping(*window)]
            ['2013-10-27T01:00:00+00:00']

        Raises:
            ValueError: a bound is naive.
        """
        begin = _instant(start)
        # Elapsed time may exceed the duration by a daylight-saving shift: a day of margin.
        try:
            lower = begin - self.duration - timedelta(days=1)
        except OverflowError:
            lower = datetime.min.replace(tzinfo=UTC)
        found = self._expand(lower, _instant(end))
        for occurrence in found:
            if occurrence.end > begin:  # different tzinfo: compared as instants
                yield occurrence
                if occurrence.start >= begin:
                    break  # the rest start later still: no need to look
        yield from found

    def first_after(self, moment: datetime) -> Occurrence | None:
        """The first occurrence starting at or after the instant ``moment``, if any.

        Example:
            >>> ny = ZoneInfo("America/New_York")
            >>> nightly = Schedule(
            ...     start=datetime(2013, 3, 8, 2, 30, tzinfo=ny),
            ...     duration=timedelta(minutes=30),
            ...     rules=["FREQ=DAILY"],
            ... )
            >>> nightly.first_after(datetime(2013, 3, 10, 3, tzinfo=ny)).start.isoformat()
            '2013-03-10T03:30:00-04:00'

        Raises:
            ValueError: ``moment`` is naive.
        """
        return next(self._expand(_instant(moment), None), None)

    def _starts(self) -> Iterator[datetime]:
        """Candidate starts (wall time, may repeat), in wall-clock order."""
        zone = self.zone
        streams: list[Iterable[datetime]] = [(self.start,)]
        streams.extend(_rule_starts(rule, self.start) for rule in self.rules)
        if self.extra:
            local_time = self.start.timetz()
            streams.append(
                sorted(
                    x.astimezone(zone)
                    if isinstance(x, datetime)
                    else datetime.combine(x, local_time).replace(tzinfo=zone)
                    for x in self.extra
                )
            )
        if len(streams) <= 2 and not self.extra:  # noqa: PLR2004 - one rule: already sorted
            return chain(*streams)
        return heapq.merge(*streams)

    def _expand(  # noqa: PLR0912, PLR0915 - one hot loop, fast and careful paths
        self, begin: datetime | None, stop: datetime | None
    ) -> Iterator[Occurrence]:
        """The occurrences whose start instant is in ``[begin, stop)`` (UTC; ``None``: open).

        Candidate starts come in wall-clock order. On a day whose UTC offset does not
        change (nearly every day) wall-clock order is instant order, and a candidate is
        compared with the bounds by wall clock, which is cheap. Around a change, wall
        clock and instants part: a start in a spring-forward gap takes place an offset
        change later (after starts that follow it on the wall clock, or at the same
        instant as one), and an aware datetime compared with another of the same
        ``tzinfo`` is compared by wall clock, ignoring ``fold``. There candidates wait
        in a small heap keyed on their instant, leave it in instant order once no later
        candidate can start before them, and are compared with the bounds as instants.
        """
        excluded_days = frozenset(x for x in self.exclude if not isinstance(x, (Period, datetime)))
        # Exact starts, as UTC instants: a candidate (another tzinfo) compares as an instant.
        excluded_starts = frozenset(
            x.astimezone(UTC) for x in self.exclude if isinstance(x, datetime)
        )
        excluded_periods = tuple(x for x in self.exclude if isinstance(x, Period))
        duration = self.duration
        nominal = timedelta(days=duration.days)
        exact = duration - nominal
        until = self.until
        remaining = self.count
        zone = self.zone
        # The bounds on the wall clock, where a wall-clock comparison orders a start on a
        # steady day as its instant: true unless a bound is the second of a repeated hour
        # (its wall time also names an earlier instant); then the UTC bounds are used,
        # which compare as instants (a different tzinfo).
        low: datetime | None = begin
        high: datetime | None = stop
        if begin is not None:
            low = begin.astimezone(zone)
        if stop is not None:
            high = stop.astimezone(zone)
        if (low is not None and low.fold) or (high is not None and high.fold):
            low, high = begin, stop
        short = nominal == timedelta(0)
        new_tuple = tuple.__new__
        previous: datetime | None = None
        pending: list[tuple[datetime, int, datetime]] = []  # (instant, order, wall start)
        order = 0
        last: datetime | None = None  # the instant of the last start taken (careful path)
        done = False

        def settle(upto: datetime | None) -> Iterator[Occurrence]:
            """Yield the waiting candidates that start at or before ``upto`` (all: None)."""
            nonlocal remaining, last, done
            while pending and (upto is None or pending[0][0] <= upto):
                instant, _, raw = heapq.heappop(pending)
                if instant == last:
                    continue  # two wall times, one instant (a gap's start and its image)
                last = instant
                if stop is not None and instant >= stop:
                    done = True
                    return
                if remaining is not None:
                    if remaining == 0:
                        done = True
                        return
                    remaining -= 1
                if begin is not None and instant < begin:
                    continue
                start = normalise(raw)
                yield Occurrence(start, _end(start, nominal, exact))

        steady = _steady_days(zone)
        starts = self._starts()
        for raw in islice(starts, MAX_EXPANSION):  # islice: the cap costs nothing per start
            if raw == previous and raw.fold == previous.fold:
                continue  # two rules (or a rule and the start) give the same time
            previous = raw
            day = raw.date()
            if not pending and steady[day]:
                # The common case: no offset change near this start.
                if high is not None and raw >= high:
                    return
                if remaining is None and low is not None and raw < low:
                    continue
                if until is not None and day > until:
                    return
                if (
                    day in excluded_days
                    or (excluded_periods and any(p.contains(day) for p in excluded_periods))
                    or (excluded_starts and raw in excluded_starts)
                ):
                    continue
                if remaining is not None:
                    if remaining == 0:
                        return
                    remaining -= 1
                if low is not None and raw < low:
                    continue
                if short:
                    # tuple.__new__ directly: a year of sessions for a city is hundreds
                    # of thousands of occurrences, and the named tuple's own __new__ is
                    # a Python-level call.
                    yield new_tuple(Occurrence, (raw, raw + exact))
                else:
                    yield Occurrence(raw, _end(raw, nominal, exact))
                continue
            # Near an offset change: by instant, through the heap.
            if until is not None and day > until:
                break
            if day in excluded_days or (
                excluded_periods and any(p.contains(day) for p in excluded_periods)
            ):
                continue
            instant = raw.astimezone(UTC)  # fold 0 in a gap: the offset before it
            if instant in excluded_starts:
                continue
            # No later candidate starts before the earlier reading of this wall time.
            floor = min(instant, raw.replace(fold=1 - raw.fold).astimezone(UTC))
            order += 1
            heapq.heappush(pending, (instant, order, raw))
            yield from settle(floor)
            if done or (stop is not None and floor >= stop):
                return
        else:
            if next(starts, None) is not None:
                raise _too_much()
        yield from settle(None)

    def take(self, n: int) -> list[Occurrence]:
        """The first ``n`` occurrences (unbounded rules never end: take a few)."""
        return list(islice(self._expand(None, None), n))

    def timestamps(self, moments: Sequence[datetime]) -> list[float]:
        """The POSIX timestamps of ``moments``: ``datetime.timestamp`` of each, the same floats.

        For the starts or ends of this schedule's occurrences (times in its zone) they
        are read off the wall clock and the day's UTC offset, found once per day: a year
        of sessions costs less than asking each time for its offset. Other times, and
        times on a day whose offset changes, are converted one by one.

        Example:
            >>> london = ZoneInfo("Europe/London")
            >>> weekly = Schedule(
            ...     start=datetime(2013, 10, 20, 16, 30, tzinfo=london),
            ...     duration=timedelta(minutes=90),
            ...     rules=["FREQ=WEEKLY"],
            ... )
            >>> starts = [o.start for o in weekly.take(3)]
            >>> weekly.timestamps(starts) == [t.timestamp() for t in starts]
            True
            >>> stamps = weekly.timestamps(starts)  # the clocks go back on 27 October
            >>> [int(b - a) for a, b in zip(stamps, stamps[1:])]
            [608400, 604800]
        """
        zone = self.zone
        if not all(map(is_, map(_TZINFO, moments), repeat(zone))):
            return list(map(datetime.timestamp, moments))
        # Same tzinfo: the difference is wall-clock time since 1970-01-01 00:00 there.
        walls = list(map(sub, moments, repeat(datetime(1970, 1, 1, tzinfo=zone))))
        if any(map(_MICROSECONDS, walls)):
            return list(map(datetime.timestamp, moments))
        bases = list(map(_day_bases(zone).__getitem__, map(_DAYS, walls)))
        if None in bases:
            return [
                m.timestamp() if b is None else float(b + w.seconds)
                for m, b, w in zip(moments, bases, walls, strict=True)
            ]
        return list(map(float, map(add, bases, map(_SECONDS, walls))))


def _too_much() -> InvalidRecurrenceError:
    return InvalidRecurrenceError(
        [
            Problem(
                "schedule",
                "expansion_too_large",
                f"one query of this schedule looked at more than {MAX_EXPANSION:,} starts; "
                "ask for a shorter window, or give the schedule a later start or an end",
            )
        ]
    )


# -- rule streams ---------------------------------------------------------------------
#
# dateutil builds every time of a rule in Python (several microseconds each). A rule of
# whole days (DAILY or WEEKLY; by weekday, hour, minute, second; no COUNT or UNTIL)
# selects wall times by a predicate that repeats after a fixed number of days: counted
# from its first time, the times of one period, shifted by whole periods, are all its
# times. Such a rule's times are read off dateutil for two periods (the second must be
# the first shifted, or dateutil is used throughout) and then generated by wall-clock
# additions in C: the same values (wall time, ``tzinfo``, ``fold`` 0), in the same order,
# one candidate each as before (the expansion cap counts them alike). Near the end of
# the calendar, where dateutil stops (or fails) on its own terms, dateutil takes over.

_PERIODIC_PARTS = frozenset({"FREQ", "INTERVAL", "WKST", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND"})
_MAX_CYCLE = 256  # times in one period; a rule with more is expanded by dateutil
_HORIZON_YEAR = 9990  # from here on dateutil generates the times itself


def _period(rule: str) -> timedelta | None:
    """The period in days after which the times of ``rule`` repeat, if it is that simple."""
    parts: dict[str, str] = {}
    for piece in rule.upper().split(";"):
        name, _, value = piece.partition("=")
        parts[name.strip()] = value.strip()
    if not parts.keys() <= _PERIODIC_PARTS:
        return None
    if any(len(day.strip()) != 2 for day in parts.get("BYDAY", "MO").split(",")):  # noqa: PLR2004 - a weekday without a number
        return None
    interval = int(parts.get("INTERVAL", "1"))
    freq = parts.get("FREQ")
    if freq == "WEEKLY":
        return timedelta(days=7 * interval)
    if freq == "DAILY":
        return timedelta(days=lcm(interval, 7) if "BYDAY" in parts else interval)
    return None


@lru_cache(maxsize=1024)
def _periodic(
    rule: str, wall_start: datetime, zone: tzinfo
) -> tuple[datetime, tuple[timedelta, ...], int] | None:
    """How to generate the times of ``rule`` from ``wall_start`` in ``zone`` by additions.

    Returns the first time, the steps from each time of one period to the next, and how
    many times fall before the horizon year; ``None`` when the rule is not periodic in
    days (or one period holds too many times). Keyed like dateutil's compiled rules:
    wall time and zone apart.
    """
    period = _period(rule)
    if period is None:
        return None
    try:
        found = rrule_starts(rule, wall_start.replace(tzinfo=zone))
        first = next(found, None)
        if first is None:
            return None
        times = [first]
        for moment in found:
            times.append(moment)
            if moment >= first + 2 * period or len(times) > 2 * _MAX_CYCLE + 1:
                break
        one = [t for t in times if t < first + period]
        two = [t for t in times if first + period <= t < first + 2 * period]
        if (
            len(one) > _MAX_CYCLE
            or times[-1] != first + 2 * period
            or two != [t + period for t in one]
        ):
            return None
        steps = tuple(b - a for a, b in zip(one, [*one[1:], first + period], strict=True))
        horizon = datetime(_HORIZON_YEAR, 1, 1, tzinfo=zone)
        # Times before the horizon: each time of the first period plus k periods, for
        # k = 0, 1, ... while before it: ceil((horizon - t) / period) of them.
        before = sum(max(0, -((t - horizon) // period)) for t in one)
    except (ValueError, OverflowError):
        return None
    return first, steps, before


def forget_rule_plans() -> None:
    """Forget every rule's remembered plan (for timing expansions cold)."""
    _periodic.cache_clear()


def _rule_starts(rule: str, start: datetime) -> Iterator[datetime]:
    """The times of ``rule`` counted from ``start``: as ``rrule_starts``, faster when it can."""
    plan = _periodic(rule, start.replace(tzinfo=None), start.tzinfo)
    if plan is None:
        return rrule_starts(rule, start)
    first, steps, before = plan
    return chain(
        islice(accumulate(cycle(steps), add, initial=first), before),
        _beyond_horizon(rule, start),
    )


def _beyond_horizon(rule: str, start: datetime) -> Iterator[datetime]:
    """The times of ``rule`` from the horizon year on, as dateutil gives them."""
    horizon = datetime(_HORIZON_YEAR, 1, 1, tzinfo=start.tzinfo)
    yield from dropwhile(horizon.__gt__, rrule_starts(rule, start))


_TZINFO = attrgetter("tzinfo")
_DAYS = attrgetter("days")
_SECONDS = attrgetter("seconds")
_MICROSECONDS = attrgetter("microseconds")
_MAX_DAY_BASES = 1 << 15  # days remembered per zone (about ninety years)


class _DayBases(dict[int, int | None]):
    """Wall-clock day since 1970-01-01 -> the timestamp of its 00:00 at the day's offset.

    ``None`` for a day whose offset changes within it or the next day.
    """

    def __init__(self, zone: tzinfo) -> None:
        super().__init__()
        self.zone = zone

    def __missing__(self, day: int) -> int | None:
        if len(self) >= _MAX_DAY_BASES:
            self.clear()
        midnight = datetime(1970, 1, 1, tzinfo=self.zone) + timedelta(days=day)
        offset = midnight.utcoffset()
        base = None
        if offset is not None and _steady(self.zone, midnight.date()) and not offset.microseconds:
            base = day * 86400 - (offset.days * 86400 + offset.seconds)
        self[day] = base
        return base


@lru_cache(maxsize=64)
def _day_bases(zone: tzinfo) -> _DayBases:
    return _DayBases(zone)


class _SteadyDays(dict[date, bool]):
    """``_steady`` of one zone, as a dict (a look-up per candidate start costs less)."""

    def __init__(self, zone: tzinfo) -> None:
        super().__init__()
        self.zone = zone

    def __missing__(self, day: date) -> bool:
        if len(self) >= _MAX_DAY_BASES:
            self.clear()
        found = self[day] = _steady(self.zone, day)
        return found


@lru_cache(maxsize=64)
def _steady_days(zone: tzinfo) -> _SteadyDays:
    return _SteadyDays(zone)


@lru_cache(maxsize=1 << 16)
def _steady(zone: tzinfo, day: date) -> bool:
    """Whether ``zone`` keeps one UTC offset from ``day`` 00:00 to two days later.

    Assumes no zone changes its offset and back again within two days (none does).
    """
    first = datetime.combine(day, time(0), zone)
    return first.utcoffset() == (first + timedelta(days=2)).utcoffset()


def _instant(moment: datetime) -> datetime:
    """``moment`` in UTC: compared with a time in a zone, it compares as an instant."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = "window bounds must be timezone-aware"
        raise ValueError(msg)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        msg = "a window bound is too close to the ends of the calendar (years 1 and 9999)"
        raise ValueError(msg) from None


def _end(start: datetime, nominal: timedelta, exact: timedelta) -> datetime:
    wall = start + nominal if nominal else start
    if nominal:
        wall = normalise(wall)
    if not exact:
        return wall
    end = wall + exact  # wall-clock arithmetic; right unless the offset changes
    if end.utcoffset() == wall.utcoffset():
        return end
    return (wall.astimezone(UTC) + exact).astimezone(wall.tzinfo)
