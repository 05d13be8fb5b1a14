"""A schedule's rule times equal dateutil's, value for value, however they are generated.

Rules of whole days (DAILY or WEEKLY by weekday, hour, minute, second) are generated
from one period of dateutil's times by wall-clock additions; every other rule is
dateutil's own. Either way each time must be the one dateutil gives: same wall time,
same ``tzinfo`` object, same ``fold``, in the same order, ending (or failing) where
dateutil ends or fails at the end of the calendar.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from sw_volunteer.models import Schedule
from sw_volunteer.models import _schedule as schedule_module
from sw_volunteer.types import rrule_starts

ZONES = [ZoneInfo(z) for z in ("Europe/London", "America/New_York", "Asia/Shanghai")]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@st.composite
def rules(draw: st.DrawFn) -> str:
    """DAILY and WEEKLY rules, with the parts that keep them periodic and some that do not."""
    parts = [f"FREQ={draw(st.sampled_from(['DAILY', 'WEEKLY', 'MONTHLY']))}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 10))}")
    if draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=4, unique=True))
        numbered = draw(st.booleans()) and parts[0] == "FREQ=MONTHLY"
        parts.append("BYDAY=" + ",".join(f"1{d}" if numbered else d for d in days))
    if draw(st.booleans()):
        hours = draw(st.lists(st.integers(0, 23), min_size=1, max_size=3, unique=True))
        parts.append("BYHOUR=" + ",".join(map(str, hours)))
    if draw(st.booleans()):
        parts.append(f"BYMINUTE={draw(st.integers(0, 59))}")
    if draw(st.booleans()):
        parts.append(f"WKST={draw(st.sampled_from(DAYS))}")
    if draw(st.integers(0, 5)) == 0:
        parts.append(f"COUNT={draw(st.integers(1, 30))}")
    return ";".join(parts)


def _times(found: Iterator[datetime], limit: int) -> list[tuple[datetime, int, object] | str]:
    """The first ``limit`` times as (wall time, fold, tzinfo), or the error that ends them."""
    out: list[tuple[datetime, int, object] | str] = []
    try:
        out.extend((t.replace(tzinfo=None), t.fold, t.tzinfo) for t in islice(found, limit))
    except (ValueError, OverflowError) as exc:
        out.append(type(exc).__name__)
    return out


@given(
    rules(),
    st.sampled_from(ZONES),
    st.integers(0, 3 * 365 * 24 * 2),
    st.integers(0, 1),
)
def test_rule_times_are_dateutils(rule: str, zone: ZoneInfo, half_hours: int, fold: int) -> None:
    # Any half hour of 2012-2014, in gaps and repeated hours too.
    wall = datetime(2012, 1, 1, tzinfo=zone) + timedelta(minutes=30 * half_hours)
    start = wall.replace(fold=fold)
    expected = _times(rrule_starts(rule, start), 300)
    assert _times(schedule_module._rule_starts(rule, start), 300) == expected


@given(rules(), st.sampled_from(ZONES), st.sampled_from([9985, 9989, 9998]))
def test_at_the_end_of_the_calendar_they_end_as_dateutils_do(
    rule: str, zone: ZoneInfo, year: int
) -> None:
    start = datetime(year, 10, 28, 1, 30, tzinfo=zone)
    # Far enough to cross the year where generation hands over to dateutil.
    expected = _times(rrule_starts(rule, start), 2000)
    assert _times(schedule_module._rule_starts(rule, start), 2000) == expected


def test_a_weekly_schedule_across_clock_changes_keeps_its_wall_time() -> None:
    london = ZoneInfo("Europe/London")
    first = datetime(2013, 3, 25, 16, 30, tzinfo=london)
    weekly = Schedule(start=first, duration=timedelta(minutes=90), rules=["FREQ=WEEKLY"])
    year = list(weekly.occurrences(first, first + timedelta(days=365)))
    assert [o.start for o in year] == [first + timedelta(weeks=k) for k in range(53)]
    assert {o.start.hour for o in year} == {16}
    assert {o.start.utcoffset() for o in year} == {timedelta(0), timedelta(hours=1)}


@given(
    st.sampled_from([*ZONES, ZoneInfo("Australia/Lord_Howe")]),
    st.integers(0, 3 * 365 * 24 * 4),
    st.sampled_from(["FREQ=DAILY", "FREQ=HOURLY;INTERVAL=5", "FREQ=WEEKLY;BYDAY=SU,MO"]),
    st.integers(0, 999_999),
    st.booleans(),
)
def test_a_schedules_timestamps_are_the_datetimes_own(
    zone: ZoneInfo, quarters: int, rule: str, micro: int, foreign: bool
) -> None:
    # Any quarter hour of 2012-2014, gaps and repeated hours included; with or without
    # microseconds; some times in another zone (same instants, another tzinfo).
    start = datetime(2012, 1, 1, tzinfo=zone) + timedelta(minutes=15 * quarters)
    schedule = Schedule(start=start, duration=timedelta(hours=25), rules=[rule])
    found = schedule.take(200)
    moments = [o.start for o in found] + [o.end for o in found]
    if micro % 3 == 0:
        moments.append(moments[-1] + timedelta(microseconds=micro))
    if foreign:
        moments.append(moments[0].astimezone(ZoneInfo("Asia/Shanghai")))
    assert schedule.timestamps(moments) == [m.timestamp() for m in moments]
