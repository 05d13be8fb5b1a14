"""The 4:30 school's timetable, availability, absences and service records in the dataset."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sw_volunteer as sv
from sw_volunteer.rules import pack
from sw_volunteer.scheduling import RecordIssueCode, record_issues, service_hours
from sw_volunteer.vocab import Setting

SHANGHAI = ZoneInfo("Asia/Shanghai")
TERM = (datetime(2013, 9, 1, tzinfo=SHANGHAI), datetime(2014, 2, 1, tzinfo=SHANGHAI))
HOLIDAYS = {date(2013, 9, 19), date(2013, 9, 20), date(2014, 1, 1)} | {
    date(2013, 10, d) for d in range(1, 8)
}
MAKE_UP_DAYS = {date(2013, 9, 22), date(2013, 9, 29), date(2013, 10, 12)}


def expected_school_days() -> list[date]:
    days, day = [], date(2013, 9, 2)
    while day <= date(2014, 1, 17):
        if (day.weekday() < 5 and day not in HOLIDAYS) or day in MAKE_UP_DAYS:
            days.append(day)
        day += timedelta(days=1)
    return days


def test_the_school_meets_on_term_weekdays_from_1630_to_1800_without_holidays():
    net = sv.datasets.ruian_2013()
    schedule = net.programme("yucai-430").schedule
    assert schedule is not None
    assert schedule.timezone == "Asia/Shanghai"
    sessions = list(schedule.occurrences(*TERM))
    assert [s.day for s in sessions] == expected_school_days()
    assert {(s.start.hour, s.start.minute, s.end.hour, s.end.minute) for s in sessions} == {
        (16, 30, 18, 0)
    }
    for group in ("yucai-430-junior", "yucai-430-senior"):
        activity = net.activity(group)
        assert activity.schedule == schedule
        assert activity.setting is Setting.IN_CENTRE


def test_rostered_youth_volunteers_register_weekday_afternoons():
    net = sv.datasets.ruian_2013()
    for group in ("yucai-430-junior", "yucai-430-senior"):
        for vid in net.activity(group).volunteers:
            availability = net.volunteer(vid).availability
            assert availability is not None
            slots = availability.take(5)
            assert all(s.start.weekday() < 5 for s in slots)
            assert all(s.start.hour <= 16 and s.end.hour >= 18 for s in slots)


def test_the_terms_records_follow_the_sessions_except_two_deliberate_slips():
    net = sv.datasets.ruian_2013()
    school = [r for r in net.service_records if r.activity.startswith("yucai-430")]
    first, last = min(r.start for r in school), max(r.start for r in school)
    assert (first.date(), last.date()) == (date(2013, 9, 2), date(2014, 1, 17))
    assert len({(r.start.year, r.start.month) for r in school}) == 5  # Sep to Jan
    issues = record_issues(net)
    assert sorted((i.code, i.records) for i in issues) == [
        (RecordIssueCode.OVERLAPPING_RECORDS, ("sr-1113-dup", "sr-1113-yucai-v24")),
        (RecordIssueCode.SESSION_NOT_HELD, ("sr-1123-saturday",)),
    ]
    hours = service_hours(net, by="programme")
    counted = len(school) - 3  # the pair entered twice, the Saturday record
    assert hours["yucai-430"].records == counted


def test_every_record_names_the_items_a_2013_record_holds():
    net = sv.datasets.ruian_2013()
    fields = pack("cn-default").rule("records.fields.2012").params["fields"]
    for r in net.service_records:
        assert all(getattr(r, f) for f in fields), r.id


def test_the_week_of_the_article_has_short_sessions_with_named_substitutes():
    net = sv.datasets.ruian_2013()
    week = (datetime(2013, 11, 18, tzinfo=SHANGHAI), datetime(2013, 11, 23, tzinfo=SHANGHAI))
    report = sv.check(net, between=week)
    errors = {(v.entities[0], v.code) for v in report.errors}
    # The junior group's leader is ill on Wednesday; on Friday only a pupil can come.
    assert ("yucai-430-junior@2013-11-20T16:30", "no_certified_worker") in errors
    assert ("yucai-430-junior@2013-11-22T16:30", "too_few_adults") in errors
    friday = next(
        v
        for v in report.errors
        if v.entities[0] == "yucai-430-junior@2013-11-22T16:30" and v.code == "too_few_adults"
    )
    assert friday.remedy is not None
    text = friday.remedy.render("en")
    assert "available and qualified: yucai-w04" in text
    assert "yucai-w03" not in text  # leading the senior group at the same time
