from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.errors import NetworkValidationError
from sw_volunteer.rules import star_thresholds
from sw_volunteer.scheduling import (
    RecordIssueCode,
    hours_from_minutes,
    record_issues,
    service_hours,
    star_level,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 16, minute: int = 30) -> datetime:
    return datetime(2013, 11, day, hour, minute, tzinfo=SHANGHAI)


def record(id_: str, volunteer: str, start: datetime, minutes: float) -> sv.ServiceRecord:
    return sv.ServiceRecord(
        id=id_,
        volunteer=volunteer,
        activity="a430",
        start=start,
        end=start + timedelta(minutes=minutes),
        supervisor="w-lead",
    )


def test_totals_count_whole_minutes_and_round_half_up(network):
    net = network.with_added(
        record("r1", "v-mon", at(4), 90.99),  # 90 whole minutes
        record("r2", "v-mon", at(11), 45),
        record("r3", "v-tue", at(5), 1),
    )
    hours = service_hours(net)
    assert hours["v-mon"].minutes == 135
    assert hours["v-mon"].hours == Decimal("2.25")
    assert hours["v-tue"].hours == Decimal("0.02")  # 1/60 = 0.0166... rounds up
    assert hours["nobody"].minutes == 0
    assert hours.issues == ()
    assert service_hours(net, by="programme")["p430"].minutes == 136
    assert service_hours(net, by="month")["2013-11"].records == 3


def test_a_period_counts_records_that_start_in_it(network):
    net = network.with_added(record("r1", "v-mon", at(4), 90), record("r2", "v-mon", at(11), 90))
    first_week = service_hours(net, start=at(4, 0, 0), end=at(11, 0, 0))
    assert first_week["v-mon"].records == 1
    assert service_hours(net, start=at(4, 16, 31))["v-mon"].records == 1


def test_records_for_sessions_that_did_not_take_place_are_reported_not_summed(network):
    net = network.with_added(
        record("ok", "v-mon", at(4), 90),
        record("saturday", "v-mon", at(9), 90),  # the school is closed at weekends
        record("morning", "v-mon", at(11, 9), 60),
    )
    hours = service_hours(net)
    assert {i.records for i in hours.issues} == {("saturday",), ("morning",)}
    assert {i.code for i in hours.issues} == {RecordIssueCode.SESSION_NOT_HELD}
    assert hours["v-mon"].minutes == 90
    assert hours.excluded == {"saturday", "morning"}


def test_overlapping_records_of_one_person_are_reported(network):
    net = network.with_added(
        record("r1", "v-any", at(4), 90),
        record("r2", "v-any", at(4, 17), 30),
        record("r3", "v-mon", at(4), 90),  # another person at the same time is fine
    )
    (issue,) = record_issues(net)
    assert issue.code is RecordIssueCode.OVERLAPPING_RECORDS
    assert issue.records == ("r1", "r2")
    assert service_hours(net)["v-any"].minutes == 0


def test_a_record_while_absent_is_reported(network):
    net = network.with_added(record("sick-day", "v-any", at(6), 90))
    (issue,) = record_issues(net)
    assert issue.code is RecordIssueCode.VOLUNTEER_ABSENT


def test_records_are_checked_as_references(network):
    bad = sv.ServiceRecord(
        id="r",
        volunteer="w-lead",
        activity="nowhere",
        start=at(4),
        end=at(4, 18),
        supervisor="v-mon",
    )
    with pytest.raises(NetworkValidationError) as caught:
        network.with_added(bad)
    assert sorted(caught.value.codes) == [
        "dangling_reference",
        "wrong_reference_kind",
        "wrong_reference_kind",
    ]
    gone = network.with_added(record("r1", "v-mon", at(4), 90)).with_removed("v-mon", cascade=True)
    assert gone.service_records == ()


def test_absences_name_workers_or_volunteers_and_a_worker_as_cover(network):
    schedule = sv.Schedule.days(date(2013, 11, 4), date(2013, 11, 5), timezone="Asia/Shanghai")
    with pytest.raises(NetworkValidationError) as caught:
        network.with_added(sv.Absence(id="x", person="p430", schedule=schedule, cover="v-mon"))
    assert caught.value.codes == ("wrong_reference_kind", "wrong_reference_kind")
    absence = sv.Absence(id="x", person="v-mon", schedule=schedule, reason="sickness")
    assert "sickness" not in repr(absence)


@pytest.mark.parametrize("stars", range(1, 6))
def test_star_levels_start_exactly_at_their_thresholds(stars):
    national = star_thresholds("cn-default")
    threshold = national[stars - 1] * 60
    assert star_level(threshold, national) == stars
    assert star_level(threshold - 1, national) == stars - 1


@given(st.lists(st.integers(0, 10_000), max_size=30))
def test_rounding_the_total_never_drifts_from_the_exact_minutes(minutes):
    total = hours_from_minutes(sum(minutes))
    assert abs(total - Decimal(sum(minutes)) / 60) <= Decimal("0.005")
