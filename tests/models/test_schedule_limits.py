"""Schedules are checked whole when they load, and every expansion is bounded."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

import sw_volunteer as sv
from sw_volunteer.errors import InvalidRecurrenceError, NetworkValidationError
from sw_volunteer.models import Schedule
from sw_volunteer.models import _schedule as schedule_module

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2013, 9, 2, 16, 30, tzinfo=SHANGHAI)  # a Monday


def _schedule(*rules: str, start: datetime = START) -> Schedule:
    return Schedule(start=start, duration=timedelta(minutes=90), rules=list(rules))


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=DAILY;INTERVAL=-1", "INTERVAL"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL"),
        ("FREQ=DAILY;BYHOUR=25", "BYHOUR"),
        ("FREQ=DAILY;BYMINUTE=60", "BYMINUTE"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY"),
        ("FREQ=YEARLY;BYEASTER=100000", "BYEASTER"),
        ("FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"),
        ("FREQ=DAILY;UNTIL=20131231T000000", "UTC"),
        ("FREQ=DAILY;UNTIL=20131231", "UTC"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20131231T000000Z", "not both"),
        ("FREQ=SECONDLY", "SECONDLY is refused"),
        ("FREQ=MINUTELY;COUNT=5", "MINUTELY is refused"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never occurs"),
        ("FREQ=DAILY;INTERVAL=7;BYDAY=TU", "never occurs"),  # from a Monday
        ("FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1", "never occurs"),
        ("FREQ=MONTHLY;BYDAY=5FR;BYMONTH=2;BYMONTHDAY=1", "never occurs"),
    ],
)
def test_a_rule_that_cannot_be_expanded_is_refused_at_load(rule: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        _schedule(rule)
    document = {
        "centres": [{"id": "c", "name": "C"}],
        "programmes": [
            {
                "id": "p",
                "name": "P",
                "centre": "c",
                "service_area": "legal_aid",
                "schedule": {
                    "start": "2013-09-02T16:30:00",
                    "timezone": "Asia/Shanghai",
                    "duration": "PT90M",
                    "rules": [rule],
                },
            }
        ],
    }
    with pytest.raises(NetworkValidationError) as caught:
        sv.loads(json.dumps(document))
    assert caught.value.problems[0].location.startswith("programmes[0].schedule")


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "FREQ=HOURLY;INTERVAL=2;BYHOUR=18,20",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",  # a leap day: every four years
        "FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH",
        "FREQ=DAILY;UNTIL=20131231T000000Z",
        "FREQ=MONTHLY;BYDAY=-1FR",
    ],
)
def test_rules_that_occur_still_load_and_expand(rule: str) -> None:
    schedule = _schedule(rule)
    assert len(schedule.take(3)) >= 2


def test_an_aware_until_in_utc_loads_in_any_zone() -> None:
    schedule = _schedule(
        "FREQ=DAILY;UNTIL=20130906T000000Z", start=datetime(2013, 9, 2, 9, tzinfo=NEW_YORK)
    )
    assert [o.start.day for o in schedule.take(10)] == [2, 3, 4, 5]


def test_every_expansion_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    hourly = _schedule("FREQ=HOURLY")
    cap = 500
    monkeypatch.setattr(schedule_module, "MAX_EXPANSION", cap)
    # a window far from the start: every start before it is looked at and skipped
    later = START + timedelta(hours=cap * 2)
    with pytest.raises(InvalidRecurrenceError) as caught:
        list(hourly.occurrences(later, later + timedelta(days=7)))
    assert caught.value.codes == ("expansion_too_large",)
    assert f"{cap:,}" in str(caught.value)
    # a window within the cap is expanded as before
    week = list(hourly.occurrences(START, START + timedelta(hours=cap // 2)))
    assert len(week) == cap // 2
    # an open expansion that is not consumed past the cap does not raise
    assert len(list(islice(hourly.occurrences(START, later), 10))) == 10


def test_the_documented_cap_is_at_least_a_century_of_daily_sessions() -> None:
    assert schedule_module.MAX_EXPANSION >= 366 * 100


def test_dates_stay_within_the_documented_bounds() -> None:
    with pytest.raises(ValueError, match="until"):
        Schedule(
            start=START, duration=timedelta(hours=1), rules=["FREQ=DAILY"], until=date(2300, 1, 1)
        )
    with pytest.raises(ValueError, match="extra"):
        Schedule(start=START, duration=timedelta(hours=1), extra=[date(1800, 1, 1)])
    with pytest.raises(ValueError, match="start"):
        Schedule(start=datetime(1850, 1, 1, tzinfo=SHANGHAI), duration=timedelta(hours=1))


def test_the_json_schema_says_what_it_can_of_a_schedule() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = sv.json_schema()
    validator = jsonschema.Draft202012Validator(
        {**schema["$defs"]["Schedule"], "$defs": schema["$defs"]}
    )
    good = {"start": "2013-09-02T16:30:00", "timezone": "Asia/Shanghai", "duration": "PT90M"}
    assert validator.is_valid(good)
    no_zone = {k: v for k, v in good.items() if k != "timezone"}
    both = {**good, "until": "2013-12-31", "count": 3}
    for bad in (
        no_zone,
        {**good, "timezone": ""},
        {**good, "duration": "PT0S"},
        {**good, "duration": "-PT1H"},
        both,
    ):
        assert not validator.is_valid(bad), bad


def test_window_bounds_at_the_ends_of_the_calendar_are_value_errors() -> None:
    daily = _schedule("FREQ=DAILY")
    earliest = datetime(1, 1, 1, tzinfo=SHANGHAI)  # before UTC's year 1 once converted
    with pytest.raises(ValueError, match="ends of the calendar"):
        list(daily.occurrences(earliest, START + timedelta(days=3)))
    from_year_one = datetime(1, 1, 1, tzinfo=ZoneInfo("UTC"))
    assert len(list(daily.overlapping(from_year_one, START + timedelta(days=3)))) == 3
