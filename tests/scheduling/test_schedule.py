from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import islice, pairwise
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from sw_volunteer.models import Period, Schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def school(**changes: object) -> Schedule:
    fields: dict[str, object] = {
        "start": datetime(2013, 9, 2, 16, 30, tzinfo=SHANGHAI),
        "duration": timedelta(minutes=90),
        "rules": [WEEKDAYS],
    }
    fields.update(changes)
    return Schedule.model_validate(fields)


def window(first: date, last: date, tz: ZoneInfo = SHANGHAI) -> tuple[datetime, datetime]:
    """Whole local days first..last as a half-open window."""
    return (
        datetime(first.year, first.month, first.day, tzinfo=tz),
        datetime(last.year, last.month, last.day, tzinfo=tz) + timedelta(days=1),
    )


def test_weekday_sessions_in_shanghai_are_at_1630_for_90_minutes():
    sessions = list(school().occurrences(*window(date(2013, 9, 2), date(2013, 9, 15))))
    assert [s.day.isoformat() for s in sessions] == [
        "2013-09-02", "2013-09-03", "2013-09-04", "2013-09-05", "2013-09-06",
        "2013-09-09", "2013-09-10", "2013-09-11", "2013-09-12", "2013-09-13",
    ]  # fmt: skip
    assert {(s.start.hour, s.start.minute) for s in sessions} == {(16, 30)}
    assert {s.duration for s in sessions} == {timedelta(minutes=90)}
    assert {s.start.utcoffset() for s in sessions} == {timedelta(hours=8)}


def test_holidays_and_periods_are_excluded():
    term = school(
        exclude=[
            date(2013, 9, 19),
            date(2013, 9, 20),
            Period(start=date(2013, 10, 1), until=date(2013, 10, 7)),
        ]
    )
    days = {s.day for s in term.occurrences(*window(date(2013, 9, 16), date(2013, 10, 11)))}
    assert date(2013, 9, 19) not in days
    assert date(2013, 9, 20) not in days
    assert not any(date(2013, 10, 1) <= d <= date(2013, 10, 7) for d in days)
    assert date(2013, 9, 18) in days
    assert date(2013, 10, 8) in days


def test_window_is_half_open():
    s = school()
    first = datetime(2013, 9, 3, 16, 30, tzinfo=SHANGHAI)
    assert [o.start for o in s.occurrences(first, first + timedelta(days=1))] == [first]
    assert list(s.occurrences(first - timedelta(days=1), first)) == [
        next(s.occurrences(first - timedelta(days=1), first))
    ]
    assert all(o.start < first for o in s.occurrences(first - timedelta(days=1), first))


def test_bounds_in_another_zone_name_the_same_instants():
    s = school()
    lo, hi = window(date(2013, 9, 2), date(2013, 9, 6))
    in_utc = list(s.occurrences(lo.astimezone(UTC), hi.astimezone(UTC)))
    assert in_utc == list(s.occurrences(lo, hi))


def test_london_sessions_keep_local_time_across_the_autumn_change():
    s = Schedule(
        start=datetime(2013, 10, 21, 16, 30, tzinfo=LONDON),
        duration=timedelta(minutes=90),
        rules=[WEEKDAYS],
    )
    sessions = list(s.occurrences(*window(date(2013, 10, 21), date(2013, 11, 1), LONDON)))
    assert len(sessions) == 10
    assert {(o.start.hour, o.start.minute) for o in sessions} == {(16, 30)}
    offsets = [o.start.utcoffset() for o in sessions]
    assert offsets[:5] == [timedelta(hours=1)] * 5  # BST until Sunday 27 October
    assert offsets[5:] == [timedelta(0)] * 5
    assert {o.duration for o in sessions} == {timedelta(minutes=90)}


def test_new_york_start_in_the_spring_gap_moves_forward_by_the_gap():
    s = Schedule(
        start=datetime(2013, 3, 8, 2, 30, tzinfo=NEW_YORK),
        duration=timedelta(hours=1),
        rules=["FREQ=DAILY;COUNT=4"],
    )
    starts = [o.start for o in s.take(10)]
    assert len(starts) == 4
    gap_day = starts[2]
    assert (gap_day.date(), gap_day.hour, gap_day.minute) == (date(2013, 3, 10), 3, 30)
    assert gap_day.utcoffset() == timedelta(hours=-4)
    assert [o.duration for o in s.take(4)] == [timedelta(hours=1)] * 4
    assert starts[3].hour == 2  # the next day is normal again


def test_new_york_start_in_the_repeated_hour_is_the_first_one():
    s = Schedule(
        start=datetime(2013, 11, 1, 1, 30, tzinfo=NEW_YORK),
        duration=timedelta(hours=1),
        rules=["FREQ=DAILY"],
    )
    repeated = s.take(3)[2]
    assert repeated.start.date() == date(2013, 11, 3)
    assert repeated.start.utcoffset() == timedelta(hours=-4)  # EDT, the first 01:30
    assert repeated.duration == timedelta(hours=1)


def test_whole_days_are_nominal_so_leave_ends_at_local_midnight():
    leave = Schedule.days(date(2013, 10, 21), date(2013, 11, 3), timezone="Europe/London")
    (block,) = leave.take(5)
    assert block.end == datetime(2013, 11, 4, tzinfo=LONDON)
    assert block.duration == timedelta(days=14, hours=1)  # the autumn change adds an hour


def test_start_is_always_the_first_occurrence():
    s = school(start=datetime(2013, 9, 1, 16, 30, tzinfo=SHANGHAI))  # a Sunday
    assert [o.day for o in s.take(2)] == [date(2013, 9, 1), date(2013, 9, 2)]


def test_count_counts_sessions_that_take_place_and_until_is_inclusive():
    counted = school(count=3, exclude=[date(2013, 9, 3)])
    assert [o.day for o in counted.take(10)] == [
        date(2013, 9, 2),
        date(2013, 9, 4),
        date(2013, 9, 5),
    ]
    bounded = school(until=date(2013, 9, 4))
    assert [o.day for o in bounded.take(10)] == [
        date(2013, 9, 2),
        date(2013, 9, 3),
        date(2013, 9, 4),
    ]


def test_rules_and_extra_dates_merge_in_order_without_repeats():
    s = school(
        rules=["FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=WE,FR"],
        extra=[date(2013, 9, 7), datetime(2013, 9, 4, 16, 30, tzinfo=SHANGHAI)],
    )
    assert [o.day.day for o in s.take(6)] == [2, 4, 6, 7, 9, 11]


def test_open_ended_rules_expand_lazily():
    s = school()
    far = datetime(9000, 1, 1, tzinfo=SHANGHAI)
    first_three = list(islice(s.occurrences(s.start, far), 3))
    assert [o.day.day for o in first_three] == [2, 3, 4]


def test_overlapping_finds_an_occurrence_that_began_before_the_window():
    s = school()
    during = datetime(2013, 9, 2, 17, 0, tzinfo=SHANGHAI)
    assert [o.day for o in s.overlapping(during, during + timedelta(minutes=1))] == [
        date(2013, 9, 2)
    ]
    assert list(s.occurrences(during, during + timedelta(minutes=1))) == []


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [("FREQ=SOMETIMES", "FREQ=SOMETIMES"), ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"), ("", "empty")],
)
def test_a_bad_rule_fails_with_invalid_rrule_naming_the_problem(rule: str, fragment: str):
    with pytest.raises(ValidationError) as caught:
        school(rules=[rule])
    (error,) = caught.value.errors()
    assert error["type"] == "invalid_rrule"
    assert fragment in error["msg"]


def test_utc_until_in_a_rule_is_accepted():
    s = school(rules=["FREQ=DAILY;UNTIL=20130903T235959Z"])
    assert [o.day for o in s.take(5)] == [date(2013, 9, 2), date(2013, 9, 3)]


def test_fixed_offsets_unknown_zones_and_naive_starts_are_refused():
    with pytest.raises(ValidationError, match="IANA zone"):
        school(start=datetime(2013, 9, 2, 16, 30, tzinfo=UTC))
    with pytest.raises(ValidationError, match="unknown IANA time zone"):
        school(start="2013-09-02T16:30:00", timezone="Asia/Atlantis")
    with pytest.raises(ValidationError, match="timezone"):
        school(start="2013-09-02T16:30:00")
    with pytest.raises(ValidationError, match="positive"):
        school(duration=timedelta(0))
    with pytest.raises(ValidationError, match="until or count"):
        school(until=date(2013, 9, 9), count=3)


def test_a_naive_start_is_read_in_the_named_zone():
    s = school(start="2013-09-02T16:30:00", timezone="Asia/Shanghai")
    assert s == school()


def test_json_round_trip_keeps_the_zone_and_the_occurrences():
    s = Schedule(
        start=datetime(2013, 10, 21, 16, 30, tzinfo=LONDON),
        duration=timedelta(minutes=90),
        rules=[WEEKDAYS],
        exclude=[date(2013, 10, 25)],
    )
    again = Schedule.model_validate_json(s.model_dump_json())
    assert again.timezone == "Europe/London"
    assert again.take(12) == s.take(12)


@st.composite
def windows(draw: st.DrawFn) -> tuple[datetime, datetime, datetime]:
    base = datetime(2013, 1, 1, tzinfo=UTC)
    a = base + timedelta(hours=draw(st.integers(0, 24 * 365)))
    m = a + timedelta(hours=draw(st.integers(0, 24 * 60)))
    b = m + timedelta(hours=draw(st.integers(0, 24 * 60)))
    return a, m, b


ZONES = st.sampled_from([SHANGHAI, LONDON, NEW_YORK])
RULES = st.sampled_from(
    [WEEKDAYS, "FREQ=DAILY", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "FREQ=MONTHLY;BYMONTHDAY=1,15"]
)


@given(windows(), ZONES, RULES, st.integers(0, 23))
def test_windows_split_and_join_without_loss_or_repeat(w, zone, rule, hour):
    a, m, b = w
    s = Schedule(
        start=datetime(2012, 12, 31, hour, 30, tzinfo=zone),
        duration=timedelta(minutes=90),
        rules=[rule],
    )
    whole = list(s.occurrences(a, b))
    assert whole == list(s.occurrences(a, m)) + list(s.occurrences(m, b))
    assert all(a <= o.start < b for o in whole)
    assert all(x.start < y.start for x, y in pairwise(whole))
    assert all(o.duration == timedelta(minutes=90) for o in whole)


@given(windows(), RULES, st.integers(0, 23))
def test_without_daylight_saving_it_matches_plain_dateutil(w, rule, hour):
    a, _, b = w
    start = datetime(2012, 12, 31, hour, 30, tzinfo=SHANGHAI)
    s = Schedule(start=start, duration=timedelta(minutes=90), rules=[rule])
    plain = rrulestr(rule, dtstart=start).between(a, b, inc=True)
    plain = [d for d in plain if d < b]
    assert [o.start for o in s.occurrences(a, b)] == plain
