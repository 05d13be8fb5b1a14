"""Calendars in and out: schedules through RFC 5545 files and back."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given

import sw_volunteer as sv
from sw_volunteer.errors import CalendarImportError
from sw_volunteer.io import WINDOWS_ZONES, read_ics, to_ics
from sw_volunteer.models import Schedule
from sw_volunteer.testing.strategies import schedules

pytest.importorskip("icalendar")

DATA = Path(__file__).parent / "data" / "ics"
NY = ZoneInfo("America/New_York")


def _window(schedule: Schedule) -> tuple[datetime, datetime]:
    start = schedule.start.astimezone(UTC)
    return start - timedelta(days=15), start + timedelta(days=400)


@given(schedule=schedules())
def test_every_schedule_comes_back_from_ics_with_the_same_occurrences(schedule: Schedule) -> None:
    [event] = read_ics(to_ics(schedule))
    again = event.schedule
    assert again.timezone == schedule.timezone
    window = _window(schedule)
    expected = [(o.start, o.end) for o in schedule.occurrences(*window)]
    assert [(o.start, o.end) for o in again.occurrences(*window)] == expected
    # Same wall clocks and zone too, not only the same instants.
    assert [o.start.isoformat() for o in again.occurrences(*window)] == [
        o.start.isoformat() for o in schedule.occurrences(*window)
    ]


def test_an_export_is_reproducible() -> None:
    schedule = Schedule(
        start=datetime(2013, 9, 2, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        duration=timedelta(minutes=90),
        rules=["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
    )
    script = (
        "import sys; from sw_volunteer.io import to_ics; from sw_volunteer.models import Schedule;"
        "sys.stdout.buffer.write(to_ics(Schedule.model_validate_json(sys.stdin.read())).encode())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    runs = {
        subprocess.run(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", script],
            input=schedule.model_dump_json().encode(),
            capture_output=True,
            check=True,
            env=env,
        ).stdout.decode()
        for _ in range(2)
    }
    assert runs == {to_ics(schedule)}


def test_a_count_is_kept_after_exclusions_and_an_own_rule_count_is_respected() -> None:
    start = datetime(2013, 10, 21, 1, 30, tzinfo=ZoneInfo("Europe/London"))
    schedule = Schedule(
        start=start,
        duration=timedelta(hours=1),
        rules=["FREQ=DAILY;COUNT=20", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=1,9"],
        exclude=[date(2013, 10, 23), start + timedelta(days=2, hours=24)],
        extra=[date(2013, 10, 19)],
        count=12,
    )
    [event] = read_ics(to_ics(schedule))
    assert event.schedule.take(100) == schedule.take(100)
    assert len(event.schedule.take(100)) == 12


def test_programmes_and_activities_of_a_network_become_events() -> None:
    ruian = sv.datasets.ruian_2013()
    events = {e.uid: e for e in read_ics(to_ics(ruian, name="瑞安"))}
    scheduled = [p for p in ruian.programmes if p.schedule is not None]
    assert {f"{p.id}@sw-volunteer" for p in scheduled} <= set(events)
    assert {f"{a.id}@sw-volunteer" for a in ruian.activities} <= set(events)
    farm = next(a for a in ruian.activities if a.schedule is None)
    [occurrence] = events[f"{farm.id}@sw-volunteer"].schedule.take(5)
    assert (occurrence.start, occurrence.end) == (farm.start, farm.end)
    assert events[f"{farm.id}@sw-volunteer"].summary == farm.name


# -- RFC 5545 section 3.8.5.3: the dates the RFC lists for each example -------------

RFC_EXPECTED = {
    "daily-10@rfc5545.example": [date(1997, 9, d) for d in range(2, 12)],
    "weekly-10@rfc5545.example": [
        date(1997, 9, 2) + timedelta(weeks=w) for w in range(10)
    ],
    "weekly-tu-th-5@rfc5545.example": [
        *(date(1997, 9, d) for d in (2, 4, 9, 11, 16, 18, 23, 25, 30)),
        date(1997, 10, 2),
    ],
    "every-other-week-tu-th@rfc5545.example": [
        *(date(1997, 9, d) for d in (2, 4, 16, 18, 30)),
        *(date(1997, 10, d) for d in (2, 14, 16)),
    ],
    "monthly-first-friday@rfc5545.example": [
        date(1997, 9, 5), date(1997, 10, 3), date(1997, 11, 7), date(1997, 12, 5),
        date(1998, 1, 2), date(1998, 2, 6), date(1998, 3, 6), date(1998, 4, 3),
        date(1998, 5, 1), date(1998, 6, 5),
    ],
    "friday-13th@rfc5545.example": [
        date(1998, 2, 13), date(1998, 3, 13), date(1998, 11, 13), date(1999, 8, 13),
        date(2000, 10, 13),
    ],
    "rdate-list@rfc5545.example": [date(1997, 7, d) for d in (14, 15, 16)],
    "first-and-last-day@rfc5545.example": [
        date(1997, 9, 30), date(1997, 10, 1), date(1997, 10, 31), date(1997, 11, 1),
        date(1997, 11, 30), date(1997, 12, 1), date(1997, 12, 31), date(1998, 1, 1),
        date(1998, 1, 31), date(1998, 2, 1),
    ],
    "third-tu-we-th@rfc5545.example": [date(1997, 9, 4), date(1997, 10, 7), date(1997, 11, 6)],
}  # fmt: skip


@pytest.fixture(scope="module")
def rfc_events() -> dict[str, sv.io.CalendarEvent]:
    return {e.uid: e for e in read_ics((DATA / "rfc5545-examples.ics").read_bytes())}


@pytest.mark.parametrize("uid", sorted(RFC_EXPECTED))
def test_the_rfc_examples_import_with_the_rfcs_dates(
    rfc_events: dict[str, sv.io.CalendarEvent], uid: str
) -> None:
    expected = RFC_EXPECTED[uid]
    found = rfc_events[uid].schedule.take(len(expected) + 5)
    if uid == "friday-13th@rfc5545.example":  # unbounded: the RFC lists the first five
        found = found[: len(expected)]
    assert [o.day for o in found] == expected
    # 09:00 (08:30) New York wall time, EDT in September and EST in winter.
    assert {o.start.time() for o in found} == {rfc_events[uid].schedule.start.time()}
    assert {o.start.tzinfo for o in found} == {NY}


def test_the_rfc_yearly_example_with_two_hours_a_day(
    rfc_events: dict[str, sv.io.CalendarEvent],
) -> None:
    schedule = rfc_events["every-other-year-january-sundays@rfc5545.example"].schedule
    starts = [o.start for o in schedule.take(10)]
    # 1997: every Sunday in January (5, 12, 19, 26) at 8:30 and 9:30; then 1999.
    expected = [
        datetime(year, 1, day, hour, 30, tzinfo=NY)
        for year, days in ((1997, (5, 12, 19, 26)), (1999, (3,)))
        for day in days
        for hour in (8, 9)
    ]
    assert starts == expected


def test_the_rfc_single_events_in_utc(rfc_events: dict[str, sv.io.CalendarEvent]) -> None:
    review = rfc_events["19970901T130000Z-123401@example.com"].schedule
    party = rfc_events["19970901T130000Z-123402@example.com"].schedule
    [meeting] = review.take(5)
    assert (meeting.start, meeting.end) == (
        datetime(1997, 9, 3, 16, 30, tzinfo=UTC),
        datetime(1997, 9, 3, 19, tzinfo=UTC),
    )
    [evening] = party.take(5)
    assert evening.end - evening.start == timedelta(hours=10, minutes=59, seconds=59)
    assert review.timezone == "Etc/UTC"


def test_an_anniversary_without_a_zone_is_refused_and_read_with_one() -> None:
    # RFC 5545 section 3.6.1: an all-day yearly event, floating.
    lines = ["UID:anniversary", "DTSTART;VALUE=DATE:19970102", "RRULE:FREQ=YEARLY"]
    with pytest.raises(CalendarImportError, match="X-WR-TIMEZONE"):
        read_ics(_calendar(*lines))
    [event] = read_ics(_calendar(*lines, header="X-WR-TIMEZONE:Asia/Shanghai"))
    days = [(o.start.date(), o.end.date()) for o in event.schedule.take(3)]
    assert days == [(date(y, 1, 2), date(y, 1, 3)) for y in (1997, 1998, 1999)]


def test_the_rfc_until_example_ends_on_the_23rd(rfc_events: dict[str, sv.io.CalendarEvent]) -> None:
    days = [o.day for o in rfc_events["daily-until@rfc5545.example"].schedule.take(200)]
    # UNTIL=19971224T000000Z is 19:00 EST on 23 December: 9:00 that day is the last.
    assert (days[0], days[-1]) == (date(1997, 9, 2), date(1997, 12, 23))
    assert len(days) == (date(1997, 12, 23) - date(1997, 9, 2)).days + 1


def test_every_other_day_runs_forever(rfc_events: dict[str, sv.io.CalendarEvent]) -> None:
    schedule = rfc_events["every-other-day@rfc5545.example"].schedule
    days = [o.day for o in schedule.take(300)]
    assert {(b - a).days for a, b in pairwise(days)} == {2}


# -- files shaped like those of calendar apps ----------------------------------------


def test_a_google_export_keeps_moved_and_cancelled_occurrences() -> None:
    homework, closure = read_ics((DATA / "google.ics").read_bytes())
    schedule = homework.schedule
    assert schedule.timezone == "America/New_York"
    assert schedule.duration == timedelta(minutes=90)
    days = {o.day: o for o in schedule.take(200)}
    assert date(2013, 11, 6) in days
    assert days[date(2013, 11, 6)].start.time() == time(17)  # moved an hour later
    assert date(2013, 11, 11) not in days  # cancelled
    assert date(2013, 11, 27) not in days  # EXDATE
    assert date(2013, 11, 25) in days
    assert days[date(2013, 11, 25)].start.utcoffset() == timedelta(hours=-5)
    assert max(days) == date(2014, 1, 29)
    # The all-day event is read in the calendar's zone (X-WR-TIMEZONE).
    [closed] = closure.schedule.take(5)
    assert (closed.start, closed.end) == (
        datetime(2013, 11, 28, tzinfo=NY),
        datetime(2013, 11, 30, tzinfo=NY),
    )


def test_an_outlook_export_maps_the_windows_zone_name() -> None:
    [event] = read_ics((DATA / "outlook.ics").read_bytes())
    assert WINDOWS_ZONES["China Standard Time"] == "Asia/Shanghai"
    assert event.schedule.timezone == "Asia/Shanghai"
    assert event.summary == "快乐四点半"
    days = [o.day for o in event.schedule.take(200)]
    assert not {date(2013, 10, d) for d in (1, 2, 3)} & set(days)
    assert date(2013, 10, 4) in days
    assert days[-1] == date(2014, 1, 17)


def test_an_apple_export_keeps_a_moved_supervision_session() -> None:
    supervision, floating = read_ics((DATA / "apple.ics").read_bytes())
    sessions = supervision.schedule.take(20)
    assert len(sessions) == 6
    moved = [o for o in sessions if o.day == date(2013, 11, 7)]
    assert [o.start.time() for o in moved] == [time(13)]
    assert all(o.duration == timedelta(minutes=90) for o in sessions)
    assert floating.schedule.timezone == "Europe/London"


# -- what a schedule cannot hold ------------------------------------------------------


def _calendar(*event_lines: str, header: str = "") -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    lines += [header] if header else []
    lines += ["BEGIN:VEVENT", "DTSTAMP:20130901T000000Z", *event_lines, "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


@pytest.mark.parametrize(
    ("lines", "code", "named"),
    [
        (["UID:floating", "DTSTART:20130902T090000", "DURATION:PT1H"], "floating_time", "DTSTART"),
        (["UID:allday", "DTSTART;VALUE=DATE:20130902"], "floating_time", "DTSTART"),
        (
            ["UID:custom", "DTSTART;TZID=My Office Time:20130902T090000", "DURATION:PT1H"],
            "unknown_timezone",
            "My Office Time",
        ),
        (
            [
                "UID:lunar",
                "DTSTART;TZID=Asia/Shanghai:20130902T090000",
                "DURATION:PT1H",
                "RRULE:RSCALE=CHINESE;FREQ=YEARLY",
            ],
            "unsupported_rrule",
            "RSCALE",
        ),
        (["UID:instant", "DTSTART:20130902T090000Z"], "no_duration", "DTEND"),
    ],
    ids=["floating", "all-day", "custom-vtimezone", "rscale", "no-length"],
)
def test_what_a_schedule_cannot_hold_is_refused_naming_the_event(
    lines: list[str], code: str, named: str
) -> None:
    text = _calendar(*lines)
    with pytest.raises(CalendarImportError) as caught:
        read_ics(text)
    [problem] = caught.value.problems
    uid = lines[0].removeprefix("UID:")
    line = text.split("\r\n").index(lines[0]) + 1
    assert problem.code == code
    assert problem.location.startswith(f"line {line}, VEVENT {uid}")
    assert named in str(problem)


def test_a_moved_occurrence_with_another_length_is_refused() -> None:
    text = (DATA / "google.ics").read_text(encoding="utf-8")
    text = text.replace(
        "DTEND;TZID=America/New_York:20131106T183000", "DTEND;TZID=America/New_York:20131106T190000"
    )
    with pytest.raises(CalendarImportError) as caught:
        read_ics(text)
    [problem] = caught.value.problems
    assert problem.code == "moved_occurrence_length"
    assert "7kukuqrfedlm2f9t0vr0d2qk3u@google.com" in problem.location
    assert "2013-11-06T16:00:00" in problem.location


def test_a_custom_vtimezone_definition_is_refused_naming_the_event() -> None:
    custom = (
        (DATA / "outlook.ics")
        .read_text(encoding="utf-8")
        .replace("China Standard Time", "Customized Time Zone")
    )
    with pytest.raises(CalendarImportError) as caught:
        read_ics(custom)
    [problem] = caught.value.problems
    assert problem.code == "unknown_timezone"
    assert "Customized Time Zone" in problem.message
    assert "VEVENT 040000008200E00074C5B7101A82E008" in problem.location


def test_every_bad_event_is_reported_at_once() -> None:
    text = _calendar("UID:one", "DTSTART:20130902T090000", "DURATION:PT1H").replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\r\nUID:two\r\nDTSTAMP:20130901T000000Z\r\n"
        "DTSTART;TZID=Nowhere/Else:20130902T090000\r\nDURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR",
    )
    with pytest.raises(CalendarImportError) as caught:
        read_ics(text)
    assert caught.value.codes == ("floating_time", "unknown_timezone")


def test_not_a_calendar_is_a_clear_error() -> None:
    with pytest.raises(CalendarImportError, match="not an RFC 5545 calendar"):
        read_ics("hello")
