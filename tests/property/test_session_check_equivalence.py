"""``check(..., between=...)`` evaluates each kind of session once: it must find exactly
what evaluating every session one by one finds (codes, entities, observed, limit,
messages, remedies, session times, order). ``check_schedule`` is a view of the same
window: its statuses must equal the session-by-session ones.

Networks often roster the same people on overlapping sessions (double bookings), so the
oracle also checks who counts where and the sessions the ``double_booked`` violations name.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from tests.property.session_reference import reference_check, reference_schedule

import sw_volunteer as sv
from sw_volunteer.models import Period
from sw_volunteer.rules import Rule, Violation, register_rule_kind
from sw_volunteer.scheduling import session_rosters
from sw_volunteer.testing import strategies as sws

SHANGHAI = ZoneInfo("Asia/Shanghai")
AGES = (10, 14, 16, 18)
"""Ages the packs' rules on minors use: birthdays on these are planted in the window."""


def _near(draw: st.DrawFn, day: date, spread: int = 40) -> date:
    return day + timedelta(days=draw(st.integers(-spread, spread)))


def _share_people(
    draw: st.DrawFn, activities: list[sv.Activity], base: sv.Network, around: dict[str, date]
) -> None:
    """Double bookings: the second activity takes the first one's people, at times that
    overlap the first one's (same schedule, shifted by up to 90 minutes)."""
    one, two = activities[0], activities[1]
    update_one: dict[str, Any] = {}
    if not one.workers | one.volunteers and base.workers:
        update_one["workers"] = frozenset({base.workers[0].id})
    if one.schedule is None:
        schedule = draw(sws.schedules(**around, max_duration=timedelta(hours=4)))
        update_one["schedule"] = schedule
        update_one["start"] = schedule.start
        update_one["end"] = schedule.start + schedule.duration
    one = activities[0] = sv.Activity.model_validate({**one.model_dump(), **update_one})
    assert one.schedule is not None
    shift = timedelta(minutes=30 * draw(st.integers(0, 3)))
    update_two: dict[str, Any] = {
        "workers": one.workers | two.workers,
        "volunteers": one.volunteers | two.volunteers,
        "start": one.start + shift,
        "end": one.end + shift,
        "schedule": one.schedule.model_copy(update={"start": one.schedule.start + shift}),
    }
    activities[1] = sv.Activity.model_validate({**two.model_dump(), **update_two})


@st.composite
def scheduled_networks(draw: st.DrawFn) -> tuple[sv.Network, tuple[datetime, datetime]]:
    """A valid network whose activities recur, people have availability and absences,
    and volunteers' ages, insurance and background checks change during the window."""
    base = draw(
        sws.networks(
            max_centres=2, max_workers=3, max_volunteers=5, max_clients=4, max_activities=2
        )
    )
    first = draw(st.dates(min_value=date(2013, 2, 1), max_value=date(2014, 6, 1)))
    window = (
        datetime.combine(first, time(0), SHANGHAI),
        datetime.combine(first + timedelta(days=draw(st.integers(1, 70))), time(0), SHANGHAI),
    )
    around = {"first": first - timedelta(days=60), "last": first + timedelta(days=30)}
    activities = []
    for activity in base.activities:
        if draw(st.integers(0, 3)):
            schedule = draw(sws.schedules(**around, max_duration=timedelta(hours=4)))
            recurring = {
                "start": schedule.start,
                "end": schedule.start + schedule.duration,
                "schedule": schedule,
            }
            activities.append(sv.Activity.model_validate({**activity.model_dump(), **recurring}))
        else:
            activities.append(activity)
    if len(activities) >= 2 and draw(st.integers(0, 2)):
        _share_people(draw, activities, base, around)
    volunteers = []
    for v in base.volunteers:
        update: dict[str, Any] = {}
        if draw(st.integers(0, 3)):
            birthday = _near(draw, first)
            age = draw(st.sampled_from(AGES))
            update["birth_date"] = birthday.replace(year=birthday.year - age)
        if draw(st.booleans()):
            start = _near(draw, first)
            update["insurance"] = Period(
                start=start, until=start + timedelta(days=draw(st.integers(0, 40)))
            )
        if draw(st.booleans()):
            years = draw(st.sampled_from([0, 1, 2, 3, 5]))
            update["background_check_on"] = _near(draw, first) - timedelta(
                days=round(365.25 * years)
            )
        if draw(st.integers(0, 2)) == 0:
            update["availability"] = draw(sws.schedules(**around))
        volunteers.append(sv.Volunteer.model_validate({**v.model_dump(), **update}))
    workers = [
        w.model_copy(update={"availability": draw(sws.schedules(**around))})
        if draw(st.integers(0, 3)) == 0
        else w
        for w in base.workers
    ]
    people = [p.id for p in (*workers, *volunteers)]
    absences = []
    if people:
        for n in range(draw(st.integers(0, 4))):
            person = draw(st.sampled_from(people))
            absences.append(draw(sws.absences(f"absence-{n}", person, **around)))
    network = sv.Network.model_validate(
        {
            **{name: getattr(base, name) for name in sv.Network.collections},
            "info": base.info,
            "workers": [sv.SocialWorker.model_validate(w.model_dump()) for w in workers],
            "volunteers": volunteers,
            "activities": activities,
            "absences": absences,
        }
    )
    return network, window


def _expiring_checks() -> list[Rule]:
    """cn-default, with background checks valid for two years (no packaged pack says so)."""
    return [
        r
        if r.kind != "background_check_for_children"
        else Rule(id=r.id, kind=r.kind, severity=r.severity, params={"valid_years": 2})
        for r in sv.rules.pack("cn-default").rules
    ]


PACKS = st.sampled_from(["cn-default", "cn-zhejiang", "us-default", "expiring-checks"])


@settings(max_examples=150)
@given(scheduled_networks(), PACKS, st.booleans())
def test_window_check_equals_session_by_session(case, pack_name, with_extra):
    network, window = case
    day = window[0].date()
    extra = list(network.activities[:2]) if with_extra else []
    rules: object = _expiring_checks() if pack_name == "expiring-checks" else pack_name
    fast = sv.check(network, rules, on=day, between=window, sessions=extra)  # type: ignore[arg-type]
    slow = reference_check(network, rules, on=day, between=window, sessions=extra)
    assert fast.sessions_checked == slow.sessions_checked
    assert [v.model_dump() for v in fast.violations] == [v.model_dump() for v in slow.violations]
    assert fast == slow


def _status(status: sv.rules.SessionStatus) -> tuple[object, ...]:
    r = status.roster
    return (
        r.session_id,
        r.start,
        r.end,
        r.workers,
        r.volunteers,
        r.away,
        [v.model_dump() for v in status.violations],
    )


@settings(max_examples=60)
@given(scheduled_networks(), PACKS)
def test_check_schedule_equals_session_by_session(case, pack_name):
    network, window = case
    rules: object = _expiring_checks() if pack_name == "expiring-checks" else pack_name
    fast = sv.rules.check_schedule(network, *window, rules)  # type: ignore[arg-type]
    slow = reference_schedule(network, rules, window)
    assert [_status(s) for s in fast] == [_status(s) for s in slow]
    # A person counts at one session at a time: among the sessions that count someone,
    # none overlap.
    counted: dict[str, list[tuple[float, float]]] = {}
    for s in fast:
        for person in s.roster.present:
            counted.setdefault(person, []).append(
                (s.roster.start.timestamp(), s.roster.end.timestamp())
            )
    for spans in counted.values():
        spans.sort()
        assert all(b <= c for (_, b), (c, _) in pairwise(spans))


class _Weekday(BaseModel):
    weekday: int


def _on_weekday(
    rule: Rule, params: _Weekday, activity: sv.Activity, ctx: object
) -> list[Violation]:
    """A user's rule that reads the session's day in a way no declaration describes."""
    del ctx
    if activity.start.weekday() != params.weekday:
        return []
    return [
        Violation(
            code="weekday_session",
            severity=rule.severity,
            rule_id=rule.id,
            entities=(activity.id,),
            message=f"{activity.id} is on weekday {params.weekday}",
            message_zh=f"{activity.id} 在周{params.weekday + 1}",
            session=activity.start,
        )
    ]


@pytest.fixture(scope="module")
def weekday_rules() -> list[Rule]:
    register_rule_kind("test_on_weekday", _Weekday, _on_weekday, scope="activity", replace=True)
    cn = sv.rules.pack("cn-default")
    return [*cn.rules, Rule(id="mondays", kind="test_on_weekday", params={"weekday": 0})]


@settings(max_examples=40)
@given(case=scheduled_networks())
def test_rules_of_a_users_kind_see_every_session(weekday_rules, case):
    network, window = case
    day = window[0].date()
    fast = sv.check(network, weekday_rules, on=day, between=window)
    assert fast == reference_check(network, weekday_rules, on=day, between=window)
    mondays = sum(1 for r in session_rosters(network, *window) if r.start.weekday() == 0)
    assert sum(v.code == "weekday_session" for v in fast.violations) == mondays


def test_a_birthday_an_expiring_insurance_and_an_old_background_check_change_the_verdict():
    """Daily sessions for children, risky: v1 turns 18, v2's insurance ends, v3's check
    expires during the window; sessions before and after each change differ."""
    first = datetime(2013, 11, 4, 16, 30, tzinfo=SHANGHAI)
    schedule = sv.Schedule(
        start=first,
        duration=timedelta(minutes=90),
        rules=["FREQ=DAILY"],
        exclude=[date(2013, 11, 9)],
    )
    net = sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
        volunteers=[
            sv.Volunteer(
                id="v1",
                name="V1",
                centre="c",
                birth_date=date(1995, 11, 12),
                insurance=Period(start=date(2013, 1, 1)),
                background_check_on=date(2013, 1, 1),
            ),
            sv.Volunteer(
                id="v2",
                name="V2",
                centre="c",
                birth_date=date(1990, 1, 1),
                insurance=Period(start=date(2013, 1, 1), until=date(2013, 11, 15)),
                background_check_on=date(2013, 1, 1),
            ),
            sv.Volunteer(
                id="v3",
                name="V3",
                centre="c",
                birth_date=date(1990, 1, 1),
                insurance=Period(start=date(2013, 1, 1)),
                background_check_on=date(2011, 11, 20),
            ),
        ],
        programmes=[
            sv.Programme(
                id="p",
                name="P",
                centre="c",
                service_area="after_school_care",
                target_needs=["child_9_12"],
            )
        ],
        activities=[
            sv.Activity(
                id="a",
                name="outing",
                programme="p",
                setting="outing",
                risky=True,
                start=first,
                end=first + timedelta(minutes=90),
                workers=["w"],
                volunteers=["v1", "v2", "v3"],
                extra_clients=5,
                schedule=schedule,
            )
        ],
    )
    window = (first, first + timedelta(days=28))
    rules = _expiring_checks()
    # the facts are of 2013; apply the rules of a day when every rule is in force
    as_of = max(r.effective for r in rules if r.effective is not None)
    fast = sv.check(net, rules, on=first.date(), between=window, rules_as_of=as_of)
    assert fast == reference_check(net, rules, on=first.date(), between=window, rules_as_of=as_of)
    by_day: dict[date, set[tuple[str, tuple[str, ...]]]] = {}
    for v in fast.violations:
        if v.session is not None:
            by_day.setdefault(v.session.date(), set()).add((v.code, v.entities))
    assert ("minor_in_risky_activity", ("a@2013-11-11T16:30", "v1", "a")) in by_day[
        date(2013, 11, 11)
    ]
    assert not any(
        code == "minor_in_risky_activity" for code, _ in by_day.get(date(2013, 11, 12), ())
    )
    assert ("insurance_missing", ("a@2013-11-16T16:30", "v2", "a")) in by_day[date(2013, 11, 16)]
    assert not any(code == "insurance_missing" for code, _ in by_day.get(date(2013, 11, 15), ()))
    checks = [
        d for d, found in by_day.items() if any(c == "background_check_missing" for c, _ in found)
    ]
    assert min(checks) > date(2013, 11, 18)
