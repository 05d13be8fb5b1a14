"""Calendars in and out: schedules as RFC 5545 (iCalendar) events, with ``icalendar``.

Export writes one ``VEVENT`` per schedule: ``DTSTART`` with the IANA zone as ``TZID``,
``DURATION`` (whole days nominal, the rest exact, as in [`Schedule`][sw_volunteer.models.Schedule]),
one ``RRULE`` per rule, ``RDATE`` for the extra occurrences and ``EXDATE`` for every
occurrence an exclusion removes, each an exact instant with ``TZID`` (or in UTC for the
second of a repeated hour, which a wall time cannot name), and a ``VTIMEZONE`` for each
zone. A schedule's ``until`` (a last local day) and ``count`` (occurrences after
exclusions) become an ``UNTIL`` instant on every rule, since an RRULE ``COUNT`` counts
occurrences before ``EXDATE`` removes them.

Import reads the events of a calendar file back into schedules, keeping single moved or
cancelled occurrences (a ``RECURRENCE-ID`` override: the original start is excluded and,
unless cancelled, the new start added). What a schedule cannot hold is refused with a
[`CalendarImportError`][sw_volunteer.errors.CalendarImportError] naming the event (``UID``, line):

- floating times (no ``TZID``, no ``Z``) and all-day dates, unless the calendar names its
  zone with ``X-WR-TIMEZONE`` (as Google and Apple exports do; they are read in it);
- a ``TZID`` that is neither an IANA zone nor a Windows zone name of
  [`WINDOWS_ZONES`][sw_volunteer.io.WINDOWS_ZONES] (Outlook writes ``"China Standard Time"``): a
  custom ``VTIMEZONE`` definition is never trusted for the offsets, the IANA database is;
- RRULE parts dateutil does not expand (``RSCALE``, ``SKIP``), ``RANGE=THISANDFUTURE``,
  an event without a length, and a moved occurrence whose length differs from the
  others' (every occurrence of a schedule has one duration).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from sw_volunteer.errors import CalendarImportError, MissingDependencyError, Problem
from sw_volunteer.models import Activity, Network, Period, Programme, Schedule
from sw_volunteer.types import parse_rrule_text

if TYPE_CHECKING:
    import icalendar

__all__ = ["WINDOWS_ZONES", "CalendarEvent", "read_ics", "to_ics"]

WINDOWS_ZONES: dict[str, str] = {
    "China Standard Time": "Asia/Shanghai",
    "Taipei Standard Time": "Asia/Taipei",
    "Tokyo Standard Time": "Asia/Tokyo",
    "Korea Standard Time": "Asia/Seoul",
    "Singapore Standard Time": "Asia/Singapore",
    "India Standard Time": "Asia/Kolkata",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "GMT Standard Time": "Europe/London",
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles",
    "UTC": "Etc/UTC",
}
"""Windows zone names (as Outlook writes them in ``TZID``) and their IANA zones.

The "001" (main territory) mappings of the Unicode CLDR ``windowsZones.xml`` for the
zones this library's users meet; any other Windows name is refused with a clear error.
"""

_PRODID = "-//sw_volunteer//calendar export//EN"
_BOUNDS = ("COUNT", "UNTIL")


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    r"""One event read from a calendar file.

    Attributes:
        uid: The event's ``UID``.
        summary: Its ``SUMMARY`` (empty if none).
        schedule: When it takes place, moved and cancelled occurrences applied.

    Example:
        >>> text = "\r\n".join([
        ...     "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//example//EN",
        ...     "BEGIN:VEVENT", "UID:reading@example.org", "SUMMARY:读书会",
        ...     "DTSTART;TZID=Asia/Shanghai:20131102T093000", "DURATION:PT1H30M",
        ...     "RRULE:FREQ=WEEKLY;COUNT=4", "END:VEVENT", "END:VCALENDAR", "",
        ... ])
        >>> (event,) = read_ics(text)
        >>> event.uid, event.summary
        ('reading@example.org', '读书会')
        >>> [o.start.strftime("%m-%d %H:%M") for o in event.schedule.take(10)]
        ['11-02 09:30', '11-09 09:30', '11-16 09:30', '11-23 09:30']
    """

    uid: str
    summary: str
    schedule: Schedule


def _icalendar() -> Any:
    try:
        import icalendar
    except ImportError as exc:  # pragma: no cover - the extra is installed in tests
        raise MissingDependencyError.for_extra("icalendar", "ics") from exc
    return icalendar


# -- export -----------------------------------------------------------------------


def to_ics(
    source: Network | Schedule | Programme | Activity | Iterable[Programme | Activity],
    *,
    name: str | None = None,
) -> str:
    """A calendar file (RFC 5545) with one event per schedule of ``source``.

    Programmes and activities with a schedule give a recurring event (``UID``
    ``<id>@sw-volunteer``, ``SUMMARY`` their name); an activity without one gives a
    single event from its start to its end; a programme without one is left out.

    Args:
        source: A network (its programmes, then its activities), one programme,
            activity or schedule, or several programmes and activities.
        name: The calendar's name (``X-WR-CALNAME``), if any.

    Returns:
        The calendar as text, with CRLF line ends.

    Example:
        >>> shanghai = ZoneInfo("Asia/Shanghai")
        >>> school = Schedule(
        ...     start=datetime(2013, 9, 2, 16, 30, tzinfo=shanghai),
        ...     duration=timedelta(minutes=90),
        ...     rules=["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
        ...     exclude=[date(2013, 10, 1)],
        ...     until=date(2014, 1, 17),
        ... )
        >>> text = to_ics(school)
        >>> event = text[text.index("BEGIN:VEVENT") : text.index("END:VEVENT")].splitlines()
        >>> [line for line in event if line.startswith(("DTSTART", "RRULE", "EXDATE"))]
        ... # doctest: +NORMALIZE_WHITESPACE
        ['DTSTART;TZID=Asia/Shanghai:20130902T163000',
         'RRULE:FREQ=WEEKLY;UNTIL=20140117T155959Z;BYDAY=MO,TU,WE,TH,FR',
         'EXDATE;TZID=Asia/Shanghai:20131001T163000']
        >>> again = read_ics(text)[0].schedule
        >>> list(again.occurrences(school.start, school.start + timedelta(days=200))) == list(
        ...     school.occurrences(school.start, school.start + timedelta(days=200)))
        True

    Raises:
        MissingDependencyError: ``icalendar`` is not installed (extra ``ics``).
    """
    ical = _icalendar()
    calendar = ical.Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    if name:
        calendar.add("x-wr-calname", name)
    items: list[Programme | Activity | Schedule]
    if isinstance(source, Network):
        items = [*source.programmes, *source.activities]
    elif isinstance(source, (Schedule, Programme, Activity)):
        items = [source]
    else:
        items = list(source)
    zones: dict[str, tuple[date, date]] = {}
    for item in items:
        event = _event(ical, item)
        if event is None:
            continue
        calendar.add_component(event[0])
        first, last = event[1].start.date(), _last_day(event[1])
        key = event[1].timezone
        if key in zones:
            first, last = min(first, zones[key][0]), max(last, zones[key][1])
        zones[key] = (first, last)
    for key, (first, last) in sorted(zones.items()):
        if key in {"UTC", "Etc/UTC"}:
            continue  # written as ...Z, no VTIMEZONE
        timezone = ical.Timezone.from_tzid(
            key, first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
        calendar.add_component(timezone)
    text: str = calendar.to_ical().decode("utf-8")
    return text


def _last_day(schedule: Schedule) -> date:
    if schedule.until is not None:
        return schedule.until
    if not schedule.rules:
        days = [x.date() if isinstance(x, datetime) else x for x in schedule.extra]
        return max([schedule.start.date(), *days])
    return schedule.start.date() + timedelta(days=3 * 366)


def _event(ical: Any, item: Programme | Activity | Schedule) -> tuple[Any, Schedule] | None:
    if isinstance(item, Schedule):
        digest = hashlib.sha256(item.model_dump_json().encode()).hexdigest()[:16]
        uid = f"schedule-{digest}@sw-volunteer"  # the same schedule, the same UID
        return _schedule_event(ical, item, uid=uid, summary=""), item
    schedule = item.schedule
    if schedule is None and isinstance(item, Activity):
        schedule = Schedule(start=_zoned(item.start), duration=item.end - item.start)
    if schedule is None:
        return None
    uid = f"{item.id}@sw-volunteer"
    return _schedule_event(ical, schedule, uid=uid, summary=item.name), schedule


def _zoned(moment: datetime) -> datetime:
    """An activity's start in a named zone: its own if it has one, else a fixed-offset Etc zone."""
    if isinstance(moment.tzinfo, ZoneInfo):
        return moment
    offset = moment.utcoffset() or timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest == 0 and offset:
        # Etc/GMT-8 is UTC+08:00 (POSIX signs are reversed).
        return moment.astimezone(ZoneInfo(f"Etc/GMT{-hours:+d}"))
    return moment.astimezone(ZoneInfo("Etc/UTC"))


def _schedule_event(ical: Any, schedule: Schedule, *, uid: str, summary: str) -> Any:
    """The VEVENT of ``schedule``."""
    zone = schedule.zone
    event = ical.Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime(2000, 1, 1, tzinfo=UTC))  # fixed: exports are reproducible
    if summary:
        event.add("summary", summary)
    event.add("dtstart", _written(schedule.start, zone))
    event.add("duration", schedule.duration)
    limit = _limit(schedule)
    for rule in schedule.rules:
        event.add("rrule", ical.vRecur.from_ical(_bounded_rule(rule, schedule, limit)))
    base = schedule.model_copy(update={"exclude": (), "until": None, "count": None})
    extras = [_extra_instant(schedule, x) for x in schedule.extra]
    extras = [x for x in extras if limit is None or x <= limit]
    if extras:
        event.add("rdate", [_written(x, zone) for x in sorted(extras)])
    excluded = set(_excluded_instants(schedule, base, limit))
    if limit is not None and schedule.start.astimezone(UTC) > limit:
        # A count reached by earlier extra occurrences: DTSTART itself does not take place.
        excluded.add(schedule.start.astimezone(UTC))
    if excluded:
        event.add("exdate", [_written(x, zone) for x in sorted(excluded)])
    return event


def _written(moment: datetime, zone: tzinfo) -> datetime:
    """``moment`` as written: wall time in ``zone``, or UTC if that wall time repeats."""
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset() and local.fold:
        return moment.astimezone(UTC)  # the second of a repeated hour
    return local


def _limit(schedule: Schedule) -> datetime | None:
    """The last instant an occurrence may start at (UTC), from ``until`` or ``count``."""
    zone = schedule.zone
    if schedule.until is not None:
        midnight = datetime.combine(schedule.until + timedelta(days=1), time(0), zone)
        return midnight.astimezone(UTC) - timedelta(seconds=1)
    if schedule.count is not None:
        taken = schedule.take(schedule.count)
        if len(taken) == schedule.count:
            return taken[-1].start.astimezone(UTC)
    return None


def _bounded_rule(rule: str, schedule: Schedule, limit: datetime | None) -> str:
    """``rule`` with its own COUNT/UNTIL replaced by an UNTIL no later than ``limit``."""
    parts = [p for p in rule.split(";") if p]
    own = [p for p in parts if p.split("=", 1)[0].upper() in _BOUNDS]
    if limit is None:
        return rule
    if own:
        alone = Schedule(start=schedule.start, duration=schedule.duration, rules=(rule,))
        last = None
        for occurrence in alone._expand(None, None):  # noqa: SLF001 - a finite rule
            last = occurrence.start.astimezone(UTC)
        if last is not None:
            limit = min(limit, last)
    kept = [p for p in parts if p.split("=", 1)[0].upper() not in _BOUNDS]
    stamp = limit.strftime("%Y%m%dT%H%M%SZ")
    return ";".join([kept[0], f"UNTIL={stamp}", *kept[1:]])


def _extra_instant(schedule: Schedule, extra: datetime | date) -> datetime:
    zone = schedule.zone
    if isinstance(extra, datetime):
        return extra.astimezone(UTC)
    wall = datetime.combine(extra, schedule.start.timetz()).replace(tzinfo=zone)
    return wall.astimezone(UTC)


def _excluded_instants(
    schedule: Schedule, base: Schedule, limit: datetime | None
) -> Iterable[datetime]:
    zone = schedule.zone
    for item in schedule.exclude:
        if isinstance(item, datetime):
            yield item.astimezone(UTC)
            continue
        if isinstance(item, Period):
            first, last = item.start, item.until
        else:
            first, last = item, item
        low = datetime.combine(first, time(0), zone)
        if last is None:
            if limit is None:
                msg = "an open-ended exclusion of an unbounded schedule cannot be written"
                raise ValueError(msg)
            high = limit + timedelta(seconds=1)
        else:
            high = datetime.combine(last + timedelta(days=1), time(0), zone)
        for occurrence in base.occurrences(low, high):
            yield occurrence.start.astimezone(UTC)


# -- import -------------------------------------------------------------------------


def read_ics(source: str | bytes) -> tuple[CalendarEvent, ...]:
    """The events of a calendar file (RFC 5545), as schedules.

    Overrides of single occurrences (``RECURRENCE-ID``) are applied to their event: a
    cancelled one (``STATUS:CANCELLED``) is excluded, a moved one is excluded at its
    original start and added at its new one. A cancelled event is left out.

    Args:
        source: The text (or bytes) of a ``.ics`` file.

    Returns:
        One [`CalendarEvent`][sw_volunteer.io.CalendarEvent] per ``UID``, in the order of the file.

    Example:
        >>> text = '''BEGIN:VCALENDAR
        ... VERSION:2.0
        ... PRODID:-//RFC 5545//example
        ... BEGIN:VEVENT
        ... UID:19970902T090000Z-1@example.com
        ... DTSTAMP:19970901T130000Z
        ... DTSTART;TZID=America/New_York:19970902T090000
        ... DURATION:PT1H
        ... RRULE:FREQ=DAILY;COUNT=10
        ... END:VEVENT
        ... END:VCALENDAR
        ... '''
        >>> [event] = read_ics(text)
        >>> [o.start.day for o in event.schedule.take(20)]
        [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]

    Raises:
        CalendarImportError: every event that cannot become a schedule, each named by
            its ``UID`` and line.
        MissingDependencyError: ``icalendar`` is not installed (extra ``ics``).
    """
    ical = _icalendar()
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    try:
        calendar = ical.Calendar.from_ical(text)
    except ValueError as exc:
        problem = Problem("calendar", "not_icalendar", f"not an RFC 5545 calendar: {exc}")
        raise CalendarImportError([problem]) from None
    reader = _Reader(calendar, text)
    events = reader.read()
    if reader.problems:
        raise CalendarImportError(reader.problems)
    return tuple(events)


_UID_LINE = re.compile(r"^UID[;:](.*)$", re.MULTILINE)


class _Reader:
    def __init__(self, calendar: icalendar.Calendar, text: str) -> None:
        self.calendar = calendar
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}
        for match in _UID_LINE.finditer(text.replace("\r\n", "\n")):
            uid = match.group(1).split(":")[-1].strip()
            self.lines.setdefault(uid, text.replace("\r\n", "\n")[: match.start()].count("\n") + 1)
        default = calendar.get("X-WR-TIMEZONE")
        self.default: ZoneInfo | None = None
        if default is not None:
            self.default = self._zone(str(default), "calendar", "X-WR-TIMEZONE")

    def where(self, uid: str, prop: str) -> str:
        line = self.lines.get(uid)
        at = f"line {line}, " if line else ""
        return f"{at}VEVENT {uid} {prop}".rstrip()

    def refuse(self, uid: str, prop: str, code: str, message: str) -> None:
        self.problems.append(Problem(self.where(uid, prop), code, message))

    def _zone(self, tzid: str, uid: str, prop: str) -> ZoneInfo | None:
        name = tzid.strip().strip('"')
        name = WINDOWS_ZONES.get(name, name)
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.refuse(
                uid,
                prop,
                "unknown_timezone",
                f"TZID {tzid!r} is neither an IANA zone (e.g. 'Asia/Shanghai') nor a Windows "
                "zone name this library maps; a custom VTIMEZONE definition is not used",
            )
            return None

    def moment(  # noqa: PLR0911 - one return per kind of value
        self, prop: Any, value: Any, uid: str, name: str
    ) -> datetime | date | None:
        """An aware datetime (or a date) from a property value, or None with a problem."""
        tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
        if isinstance(value, tuple):  # a PERIOD: its start
            value = value[0]
        if isinstance(value, datetime):
            wall = value.replace(tzinfo=None)
            if tzid:
                zone = self._zone(str(tzid), uid, name)
                return None if zone is None else wall.replace(tzinfo=zone)
            if value.tzinfo is not None and value.utcoffset() == timedelta(0):
                return value.astimezone(ZoneInfo("Etc/UTC"))
            if value.tzinfo is None:
                if self.default is None:
                    self.refuse(
                        uid,
                        name,
                        "floating_time",
                        f"floating time {value.isoformat()} (no TZID, not UTC) and no "
                        "X-WR-TIMEZONE: a schedule needs a zone",
                    )
                    return None
                return wall.replace(tzinfo=self.default)
            return value
        if isinstance(value, date):
            return value
        self.refuse(uid, name, "unsupported_value", f"unsupported {name} value {value!r}")
        return None

    def read(self) -> list[CalendarEvent]:
        masters: dict[str, Any] = {}
        overrides: dict[str, list[Any]] = {}
        order: list[str] = []
        for component in self.calendar.walk("VEVENT"):
            uid = str(component.get("UID", "")).strip()
            if not uid:
                self.problems.append(Problem("VEVENT", "missing_uid", "a VEVENT has no UID"))
                continue
            if uid not in order:
                order.append(uid)
            if component.get("RECURRENCE-ID") is not None:
                overrides.setdefault(uid, []).append(component)
            else:
                masters[uid] = component
        events = []
        for uid in order:
            master = masters.get(uid)
            moved = overrides.get(uid, [])
            if master is None:  # single occurrences sent alone: each its own event
                for component in moved:
                    event = self.event(uid, component, [])
                    if event is not None:
                        events.append(event)
                continue
            event = self.event(uid, master, moved)
            if event is not None:
                events.append(event)
        return events

    def event(  # noqa: PLR0911, PLR0912 - one refusal per thing a schedule cannot hold
        self, uid: str, component: Any, moved: list[Any]
    ) -> CalendarEvent | None:
        if str(component.get("STATUS", "")).upper() == "CANCELLED":
            return None
        prop = component.get("DTSTART")
        if prop is None:
            self.refuse(uid, "DTSTART", "missing_dtstart", "the event has no DTSTART")
            return None
        start = self.moment(prop, prop.dt, uid, "DTSTART")
        if start is None:
            return None
        all_day = not isinstance(start, datetime)
        if all_day:
            if self.default is None:
                self.refuse(
                    uid,
                    "DTSTART",
                    "floating_time",
                    f"all-day date {start.isoformat()} and no X-WR-TIMEZONE: a schedule "
                    "needs a zone",
                )
                return None
            start = datetime.combine(start, time(0), self.default)
        assert isinstance(start, datetime)  # noqa: S101 - narrowed above
        duration = self.duration(uid, component, start, all_day=all_day)
        if duration is None:
            return None
        zone = start.tzinfo
        rules = [self.rule(uid, r, start) for r in _all(component, "RRULE")]
        extra: list[datetime | date] = []
        for prop in _all(component, "RDATE"):
            for value in prop.dts:
                if isinstance(value.dt, tuple) and _period_length(value.dt) not in {
                    None,
                    duration,
                }:
                    self.refuse(
                        uid,
                        "RDATE",
                        "unsupported_period",
                        "an RDATE period of another length than the event's",
                    )
                    continue
                moment = self.moment(prop, value.dt, uid, "RDATE")
                if moment is not None:
                    extra.append(moment)
        exclude: list[datetime | date] = []
        for prop in _all(component, "EXDATE"):
            for value in prop.dts:
                moment = self.moment(prop, value.dt, uid, "EXDATE")
                if moment is not None:
                    exclude.append(moment)
        for override in moved:
            self.override(uid, override, duration, extra, exclude)
        if any(r is None for r in rules) or not isinstance(zone, ZoneInfo):
            return None
        try:
            schedule = Schedule(
                start=start,
                duration=duration,
                rules=tuple(r for r in rules if r is not None),
                extra=tuple(extra),
                exclude=tuple(exclude),
            )
        except ValidationError as exc:
            for error in exc.errors():
                self.refuse(uid, "", "invalid_schedule", str(error["msg"]))
            return None
        return CalendarEvent(uid=uid, summary=str(component.get("SUMMARY", "")), schedule=schedule)

    def duration(
        self, uid: str, component: Any, start: datetime, *, all_day: bool
    ) -> timedelta | None:
        if component.get("DURATION") is not None:
            length = component.get("DURATION").dt
        elif component.get("DTEND") is not None:
            prop = component.get("DTEND")
            end = self.moment(prop, prop.dt, uid, "DTEND")
            if end is None:
                return None
            if isinstance(end, datetime):
                length = end.astimezone(UTC) - start.astimezone(UTC)
            else:
                length = timedelta(days=(end - start.date()).days)
        elif all_day:
            length = timedelta(days=1)
        else:
            length = timedelta(0)
        if not isinstance(length, timedelta) or length <= timedelta(0):
            self.refuse(
                uid,
                "DTEND",
                "no_duration",
                "the event has no positive length (DTEND or DURATION): a schedule's "
                "occurrences last a positive time",
            )
            return None
        return length

    def rule(self, uid: str, recur: Any, start: datetime) -> str | None:
        parts = []
        for key, values in recur.items():
            name = key.upper()
            if name == "UNTIL":
                parts.append(f"UNTIL={_until(values[0], start)}")
            else:
                text = recur.__class__({key: values}).to_ical().decode()
                parts.append(text)
        parts.sort(key=lambda p: not p.startswith("FREQ="))
        body = ";".join(parts)
        try:
            return parse_rrule_text(body)
        except ValueError as exc:
            self.refuse(uid, "RRULE", "unsupported_rrule", f"RRULE {body}: {exc}")
            return None

    def override(
        self,
        uid: str,
        component: Any,
        duration: timedelta,
        extra: list[datetime | date],
        exclude: list[datetime | date],
    ) -> None:
        prop = component.get("RECURRENCE-ID")
        if str(prop.params.get("RANGE", "")).upper() == "THISANDFUTURE":
            self.refuse(
                uid,
                "RECURRENCE-ID",
                "unsupported_range",
                "RANGE=THISANDFUTURE changes every later occurrence; split the event instead",
            )
            return
        original = self.moment(prop, prop.dt, uid, "RECURRENCE-ID")
        if original is None:
            return
        if not isinstance(original, datetime):
            original = datetime.combine(original, time(0), self.default or UTC)
        cancelled = str(component.get("STATUS", "")).upper() == "CANCELLED"
        if cancelled:
            exclude.append(original)
            return
        new = self.event(uid, component, [])
        if new is None:
            return
        if new.schedule.duration != duration:
            where = original.isoformat()
            self.refuse(
                uid,
                f"RECURRENCE-ID {where}",
                "moved_occurrence_length",
                f"the occurrence of {where} is moved with another length "
                f"({new.schedule.duration}, the others {duration}): a schedule gives "
                "every occurrence one duration",
            )
            return
        if new.schedule.start.astimezone(UTC) == original.astimezone(UTC):
            return  # not moved (another summary or location): nothing to change
        exclude.append(original)
        extra.append(new.schedule.start)


def _all(component: Any, name: str) -> list[Any]:
    value = component.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _period_length(period: tuple[Any, Any]) -> timedelta | None:
    first, second = period
    if isinstance(second, timedelta):
        return second
    if isinstance(second, datetime) and isinstance(first, datetime):
        return second.astimezone(UTC) - first.astimezone(UTC)
    return None


def _until(value: Any, start: datetime) -> str:
    """An RRULE UNTIL as a UTC instant: a date or a local time is read in the start's zone."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(23, 59, 59))
    if value.tzinfo is None:
        value = value.replace(tzinfo=start.tzinfo)
    moment: datetime = value.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")
