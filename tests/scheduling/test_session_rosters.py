from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import sw_volunteer as sv
from sw_volunteer.scheduling import Availability, Presence, session_rosters

FIRST = datetime(2013, 11, 4, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # as in conftest


def days(first: date, last: date) -> sv.Schedule:
    return sv.Schedule.days(first, last, timezone="Asia/Shanghai")


def week(network: sv.Network) -> list[sv.scheduling.SessionRoster]:
    return list(session_rosters(network, FIRST, FIRST + timedelta(days=7)))


def test_each_weekday_session_lists_who_can_come(network):
    sessions = {r.start.date(): r for r in week(network)}
    assert sorted(sessions) == [date(2013, 11, d) for d in (4, 5, 6, 7, 8)]
    assert sessions[date(2013, 11, 4)].volunteers == {"v-mon", "v-any"}
    assert sessions[date(2013, 11, 5)].volunteers == {"v-tue", "v-any"}
    assert sessions[date(2013, 11, 6)].volunteers == frozenset()
    assert dict(sessions[date(2013, 11, 6)].away) == {
        "v-any": Presence.ABSENT,
        "v-mon": Presence.NOT_AVAILABLE,
        "v-tue": Presence.NOT_AVAILABLE,
    }
    assert all(r.workers == {"w-lead"} for r in sessions.values())


def test_the_synthesised_session_is_the_activity_with_who_is_present(network):
    wednesday = week(network)[2]
    session = wednesday.as_activity()
    assert session.start == wednesday.start
    assert session.end - session.start == timedelta(minutes=90)
    assert session.volunteers == frozenset()
    assert session.tasks == ()  # v-any is away, and their first-aid task with them
    assert session.schedule is None
    assert session.extra_clients == 12
    assert session.id == "a430@2013-11-06T16:30"
    monday = week(network)[0].as_activity()
    assert [t.person for t in monday.tasks] == ["v-any"]


def test_adult_and_certified_counts_follow_presence(network):
    monday, _, wednesday, *_ = week(network)
    # birth dates unknown: trained volunteers count as adults (Volunteer.is_adult_on)
    trained = [v for v in monday.volunteers if network.volunteer(v).trained]
    assert monday.adults_present(network) == len(monday.workers) + len(trained)
    assert monday.certified_present(network) == 1
    day = monday.start.date()
    minor = network.volunteer("v-mon").model_copy(
        update={"birth_date": date(day.year - 17, day.month, day.day)}
    )
    with_minor = network.with_replaced(minor)
    assert "v-mon" in monday.volunteers
    assert monday.adults_present(with_minor) == monday.adults_present(network) - 1
    assert monday.adults_present(with_minor, adult_age=17) == monday.adults_present(network)
    assert wednesday.adults_present(with_minor) == wednesday.adults_present(network)


def test_substitutes_are_available_people_of_the_centre_not_rostered(network):
    monday, tuesday, wednesday, *_ = week(network)
    assert [p.id for p in monday.substitutes(network)] == ["w-spare", "w-two", "v-free"]
    assert [p.id for p in wednesday.substitutes(network)] == ["w-spare", "w-two"]
    away = network.with_added(
        sv.Absence(
            id="leave-spare", person="w-spare", schedule=days(date(2013, 11, 5), date(2013, 11, 5))
        )
    )
    tuesday = list(session_rosters(away, FIRST, FIRST + timedelta(days=7)))[1]
    assert [p.id for p in tuesday.substitutes(away)] == ["w-two", "v-free"]


def test_one_off_activities_give_one_session_when_they_start_in_the_window(network):
    outing = sv.Activity(
        id="outing",
        name="farm",
        programme="p430",
        setting="outing",
        start=FIRST + timedelta(days=1, hours=-3),
        end=FIRST + timedelta(days=1),
        workers=["w-two"],
        volunteers=["v-any"],
    )
    net = network.with_added(outing)
    ids = [r.session_id for r in session_rosters(net, FIRST, FIRST + timedelta(days=2))]
    assert ids == ["a430@2013-11-04T16:30", "outing", "a430@2013-11-05T16:30"]
    assert (
        list(session_rosters(net, FIRST, FIRST + timedelta(hours=1), activities=["outing"])) == []
    )
    with pytest.raises(KeyError, match="nobody"):
        list(session_rosters(net, FIRST, FIRST + timedelta(days=1), activities=["nobody"]))


def test_availability_index_agrees_with_the_schedules(network):
    index = Availability(network, FIRST, FIRST + timedelta(days=7))
    tuesday = FIRST + timedelta(days=1)
    assert index.presence("v-tue", tuesday, tuesday + timedelta(minutes=90)) is Presence.AVAILABLE
    late = tuesday + timedelta(hours=3)  # 19:30-21:00, availability ends at 20:00
    assert index.presence("v-tue", late, late + timedelta(minutes=90)) is Presence.NOT_AVAILABLE
    assert index.is_available("v-any", tuesday, tuesday + timedelta(hours=1))
    assert not index.is_constrained("w-lead")
    (absence,) = index.absences_of("v-any", FIRST, FIRST + timedelta(days=7))
    assert absence.id == "sick-any"


def test_sessions_stay_in_time_order_across_activities(network):
    other = network.activity("a430").model_copy(
        update={
            "id": "a-early",
            "start": FIRST - timedelta(hours=2),
            "end": FIRST - timedelta(hours=1),
            "schedule": None,
        }
    )
    net = network.with_added(other)
    rosters = list(session_rosters(net, FIRST - timedelta(days=1), FIRST + timedelta(days=3)))
    starts = [r.start for r in rosters]
    assert starts == sorted(starts)
    assert rosters[0].activity.id == "a-early"
