"""Funded projects: progress from the records, and the forecast from the simulator."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer import paperwork
from sw_volunteer.errors import SwVolunteerError

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST = datetime(2013, 9, 2, 16, 30, tzinfo=SHANGHAI)  # a Monday
SESSION = timedelta(minutes=90)


def network(
    records: list[tuple[int, int, int]] | None = None, *, void: int | None = None
) -> sv.Network:
    """A weekly 90-minute session on Mondays from 2 September 2013 with 3 clients, one
    volunteer, and a project over September. ``records``: (week, minutes, travel)."""
    records = [(0, 90, 0), (1, 70, 10), (2, 45, 0)] if records is None else records
    service = [
        sv.ServiceRecord(
            id=f"r{i}",
            volunteer="v",
            activity="a",
            start=FIRST + timedelta(weeks=week),
            end=FIRST + timedelta(weeks=week, minutes=minutes),
            travel_minutes=travel,
            void=i == void,
        )
        for i, (week, minutes, travel) in enumerate(records)
    ]
    return sv.Network(
        info=sv.NetworkInfo(as_of=date(2013, 9, 17)),
        centres=[sv.Centre(id="c", name="中心")],
        workers=[sv.SocialWorker(id="w", name="社工", centre="c")],
        volunteers=[sv.Volunteer(id="v", name="志愿者", centre="c")],
        clients=[sv.Client(id=f"k{i}", name=f"K{i}", centre="c") for i in range(3)],
        programmes=[
            sv.Programme(id="p", name="四点半", centre="c", service_area="after_school_care")
        ],
        activities=[
            sv.Activity(
                id="a",
                name="四点半学校",
                programme="p",
                start=FIRST,
                end=FIRST + SESSION,
                workers=["w"],
                volunteers=["v"],
                clients=["k0", "k1", "k2"],
                schedule=sv.Schedule(start=FIRST, duration=SESSION, rules=["FREQ=WEEKLY"]),
            )
        ],
        service_records=service,
        projects=[
            sv.FundedProject(
                id="proj",
                name="快乐四点半",
                funder="区民政局",
                centre="c",
                programmes=["p"],
                period=sv.Period(start=date(2013, 9, 1), until=date(2013, 9, 30)),
                budget=10_000,
                targets=sv.KpiTargets(
                    sessions=5, beneficiaries=3, service_hours=7.5, volunteer_hours=6
                ),
            )
        ],
    )


def test_progress_by_hand() -> None:
    net = network()
    # as of Tuesday 17 September: the Mondays 2, 9 and 16 September
    mondays = [date(2013, 9, d) for d in range(1, 18) if date(2013, 9, d).weekday() == 0]
    progress = paperwork.project_progress(net, "proj")
    assert progress.on == date(2013, 9, 17)
    assert progress["sessions"].achieved == len(mondays) == 3
    assert progress["beneficiaries"].achieved == 3
    assert progress["service_hours"].achieved == Decimal(len(mondays) * 90) / 60
    # 90 + (70 - 10 travel) + 45 minutes of service
    assert progress["volunteer_hours"].achieved == Decimal(90 + 60 + 45) / 60
    assert progress.elapsed == pytest.approx(17 / 30)
    assert progress["sessions"].share == pytest.approx(3 / 5)


def test_progress_counts_the_records_as_service_hours_does() -> None:
    net = network(void=1)  # the second record withdrawn
    progress = paperwork.project_progress(net, "proj")
    assert progress["volunteer_hours"].achieved == Decimal(90 + 45) / 60
    counted = sv.scheduling.service_hours(net, by="programme")["p"]
    assert progress["volunteer_hours"].achieved == counted.hours


def test_a_day_after_the_end_counts_only_the_period() -> None:
    progress = paperwork.project_progress(network(), "proj", on=date(2014, 1, 1))
    mondays = sum(date(2013, 9, d).weekday() == 0 for d in range(1, 31))
    assert progress.on == date(2013, 9, 30)
    assert progress["sessions"].achieved == mondays
    assert progress.elapsed == 1.0


def test_an_unknown_project_is_named() -> None:
    with pytest.raises(SwVolunteerError, match="no funded project 'nope'"):
        paperwork.project_progress(network(), "nope")


def test_a_project_needs_an_end() -> None:
    with pytest.raises(ValueError, match=r"period\.until"):
        sv.FundedProject(
            id="x",
            name="x",
            funder="f",
            centre="c",
            programmes=["p"],
            period=sv.Period(start=date(2013, 1, 1)),
            budget=0,
        )


@given(
    records=st.lists(
        st.tuples(st.integers(0, 6), st.integers(20, 120), st.integers(0, 15)),
        max_size=6,
        unique_by=lambda r: r[0],
    ),
    day=st.integers(0, 60),
)
def test_progress_never_exceeds_what_the_records_hold(
    records: list[tuple[int, int, int]], day: int
) -> None:
    net = network(records)
    progress = paperwork.project_progress(net, "proj", on=date(2013, 9, 1) + timedelta(days=day))
    schedule = net.activities[0].schedule
    assert schedule is not None
    period = (datetime(2013, 9, 1, tzinfo=SHANGHAI), datetime(2013, 10, 1, tzinfo=SHANGHAI))
    held = sum(1 for _ in schedule.occurrences(*period))
    assert progress["sessions"].achieved <= held
    assert progress["beneficiaries"].achieved <= len(net.clients)
    all_minutes = sum(int(r.service_time.total_seconds() // 60) for r in net.service_records)
    assert progress["volunteer_hours"].achieved <= Decimal(all_minutes) / 60 + Decimal("0.005")
    assert 0 <= progress.elapsed <= 1


def test_the_forecast_starts_from_the_progress_and_is_reproducible() -> None:
    net = sv.datasets.ruian_2013()
    first = paperwork.project_forecast(net, "proj-happy-430", replications=20, seed=7)
    again = paperwork.project_forecast(net, "proj-happy-430", replications=20, seed=7)
    assert first.kpis == again.kpis
    progress = first.progress
    for line in first.kpis:
        assert line.expected >= float(progress[line.kpi].achieved) - 1e-9
        assert line.low <= line.expected + 1e-9
        assert line.chance_met is not None
        assert 0 <= line.chance_met <= 1
    assert first["beneficiaries"].method == "observed_rate"
    places = net.programme("yucai-430").places
    assert places is not None
    assert first["beneficiaries"].expected <= max(places, progress["beneficiaries"].achieved)
    # weeks simulated: the weeks from the day after the progress to the end, the last partly
    days_left = (progress.project.end - progress.on).days
    assert (first.weeks_left - 1) * 7 < days_left <= first.weeks_left * 7
    # no more sessions than the timetables hold, holidays included
    done = int(progress["sessions"].achieved)
    assert done + first.sessions_planned >= first["sessions"].expected - 1e-9


def test_sessions_planned_by_hand() -> None:
    # as of 17 September, the Mondays left in September: 23 and 30
    forecast = paperwork.project_forecast(network(), "proj", replications=10)
    assert forecast.sessions_planned == 2
    assert forecast.weeks_left == 2  # 13 days: one whole week and part of another
    assert forecast["sessions"].expected <= 3 + 2


def test_the_ruian_projects_are_in_the_dataset() -> None:
    net = sv.datasets.ruian_2013()
    names = {p.name for p in net.projects}
    assert names == {"爱暖空巢", "快乐四点半"}
