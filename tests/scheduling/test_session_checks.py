from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sw_volunteer as sv
from sw_volunteer.rules import check_schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST = datetime(2013, 11, 4, 16, 30, tzinfo=SHANGHAI)  # as in conftest
WEEK = (FIRST, FIRST + timedelta(days=7))


def codes_by_session(report: sv.Report) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for v in report.violations:
        if v.session is not None:
            found.setdefault(v.entities[0], set()).add(v.code)
    return found


def test_the_roster_looks_fine_on_paper_but_wednesday_is_short(network):
    on_paper = sv.check(network, on=date(2013, 11, 4))
    assert not any(v.code == "too_few_adults" for v in on_paper.violations)
    report = sv.check(network, on=date(2013, 11, 4), between=WEEK)
    assert report.sessions_checked == 5
    assert codes_by_session(report) == {"a430@2013-11-06T16:30": {"too_few_adults"}}
    (short,) = [v for v in report.violations if v.code == "too_few_adults"]
    assert short.session == datetime(2013, 11, 6, 16, 30, tzinfo=SHANGHAI)
    assert "a430" in short.entities
    assert short.remedy is not None
    # v-free is available on Mondays and Tuesdays only; the spare workers can come.
    assert "available and qualified: w-spare, w-two" in short.remedy.render("en")
    assert "可替班人员" in short.remedy.render("zh")


def test_a_supervisor_on_leave_leaves_sessions_without_a_certified_worker(network):
    leave = sv.Absence(
        id="leave-lead",
        person="w-lead",
        schedule=sv.Schedule.days(date(2013, 11, 5), date(2013, 11, 5), timezone="Asia/Shanghai"),
        reason="leave",
    )
    report = sv.check(network.with_added(leave), on=date(2013, 11, 4), between=WEEK)
    tuesday = [v for v in report.violations if v.entities[0] == "a430@2013-11-05T16:30"]
    # Two volunteers with no social worker on shift is a breach of its own.
    assert {v.code for v in tuesday} == {"no_certified_worker", "too_many_volunteers_on_shift"}
    (missing,) = [v for v in tuesday if v.code == "no_certified_worker"]
    assert missing.remedy is not None
    text = missing.remedy.render("en")
    assert "w-spare, w-two" in text
    assert "v-free" not in text  # a volunteer cannot be the certified social worker


def test_nobody_available_is_said_plainly(network):
    busy = network.with_added(
        *(
            sv.Absence(
                id=f"away-{w}",
                person=w,
                schedule=sv.Schedule.days(
                    date(2013, 11, 6), date(2013, 11, 6), timezone="Asia/Shanghai"
                ),
            )
            for w in ("w-spare", "w-two")
        )
    )
    statuses = check_schedule(busy, *WEEK)
    wednesday = statuses[2]
    assert not wednesday.ok
    (short,) = wednesday.violations
    assert short.remedy is not None
    assert "nobody qualified" in short.remedy.render("en")


def test_check_schedule_gives_one_status_per_session_in_order(network):
    statuses = check_schedule(network, *WEEK)
    assert [s.roster.start.date().day for s in statuses] == [4, 5, 6, 7, 8]
    assert [s.ok for s in statuses] == [True, True, False, True, True]
    line = statuses[2].render(network)
    assert "2013-11-06 16:30-18:00" in line
    assert "SHORT: too_few_adults" in line
    assert "v-any (absent)" in line


def test_people_rostered_for_an_overlapping_session_are_not_offered(network):
    first = datetime(2013, 11, 6, 17, 0, tzinfo=SHANGHAI)
    visit = sv.Activity(
        id="visit",
        name="home visit",
        programme="p430",
        setting="home_visit",
        start=first,
        end=first + timedelta(hours=1),
        workers=["w-spare"],
    )
    report = sv.check(network.with_added(visit), on=date(2013, 11, 4), between=WEEK)
    (short,) = [v for v in report.violations if v.code == "too_few_adults"]
    assert short.remedy is not None
    assert "available and qualified: w-two" in short.remedy.render("en")
    assert "w-spare" not in short.remedy.render("en")
