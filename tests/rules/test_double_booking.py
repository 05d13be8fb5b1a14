"""Issue case 6: nobody can be in two places at once.

A certified social worker rostered on two overlapping sessions used to count as the
certified adult of both. Now they count at the session that starts first only; the
other session is short by them, and ``double_booked`` says why.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import sw_volunteer as sv
from sw_volunteer.scheduling import Presence, session_rosters

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2013, 11, 18, 16, 30, tzinfo=TZ)
ADULTS = sv.rules.pack("cn-default").rule("session.adults_present").parsed_params


def _network(*, weekly: bool = False) -> sv.Network:
    """Sessions a (16:30-18:00) and b (17:00-18:30), both with w; a with v1, b with v2."""

    def session(id_: str, start: datetime, volunteers: list[str]) -> sv.Activity:
        schedule = (
            sv.Schedule(start=start, duration=timedelta(minutes=90), rules=["FREQ=WEEKLY"])
            if weekly
            else None
        )
        return sv.Activity(
            id=id_,
            name=id_,
            programme="p",
            start=start,
            end=start + timedelta(minutes=90),
            workers=["w"],
            volunteers=volunteers,
            extra_clients=5,
            schedule=schedule,
        )

    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=[
            sv.SocialWorker(id="w", name="W", centre="c", certification="assistant"),
            sv.SocialWorker(id="w-spare", name="S", centre="c", certification="assistant"),
        ],
        volunteers=[
            sv.Volunteer(id=v, name=v, centre="c", birth_date=date(1990, 1, 1))
            for v in ("v1", "v2")
        ],
        programmes=[
            sv.Programme(id="p", name="P", centre="c", service_area="elderly_and_disability")
        ],
        activities=[
            session("a", MONDAY, ["v1"]),
            session("b", MONDAY + timedelta(minutes=30), ["v2"]),
        ],
    )


def _by_code(violations: tuple[sv.rules.Violation, ...], code: str) -> list[sv.rules.Violation]:
    return [v for v in violations if v.code == code]


def test_the_worker_counts_at_the_session_that_starts_first_only():
    net = _network()
    a, b = net.activities
    assert a.start < b.start < a.end  # the sessions overlap
    # Without the rule, each session has its worker and volunteer: 2 adults, 1 certified.
    assert len(a.workers) + len(a.volunteers) == ADULTS.min_adults
    report = sv.check(net, on=MONDAY.date())
    # w counts at a (it starts first); at b only v2 is left.
    counted_at_b = len(b.workers - {"w"}) + len(b.volunteers)
    certified_at_b = len(b.workers - {"w"})
    assert (counted_at_b, certified_at_b) == (1, 0)
    (booked,) = _by_code(report.violations, "double_booked")
    assert booked.entities == ("b", "w", "a")
    assert booked.session == b.start
    assert "a" in booked.message
    assert "先开始" in booked.message_zh
    (few,) = _by_code(report.violations, "too_few_adults")
    assert few.entities[0] == "b"
    assert (few.observed, few.limit) == (counted_at_b, ADULTS.min_adults)
    (uncertified,) = _by_code(report.violations, "no_certified_worker")
    assert uncertified.entities[0] == "b"
    assert (uncertified.observed, uncertified.limit) == (
        certified_at_b,
        ADULTS.min_certified_workers,
    )
    # a is untouched.
    assert not [v for v in report.violations if v.entities[0] == "a"]


def test_the_window_check_and_check_schedule_agree_over_weekly_sessions():
    net = _network(weekly=True)
    window = (MONDAY - timedelta(hours=1), MONDAY + timedelta(days=14))
    report = sv.check(net, on=MONDAY.date(), between=window)
    mondays = [MONDAY + timedelta(days=7 * k) for k in range(2)]
    booked = _by_code(report.violations, "double_booked")
    assert [(v.entities[:3], v.session) for v in booked] == [
        (
            (f"b@{m + timedelta(minutes=30):%Y-%m-%dT%H:%M}", "w", f"a@{m:%Y-%m-%dT%H:%M}"),
            m + timedelta(minutes=30),
        )
        for m in mondays
    ]
    statuses = sv.rules.check_schedule(net, *window)
    assert [s.roster.session_id for s in statuses] == [
        f"{x}@{m + timedelta(minutes=30 * (x == 'b')):%Y-%m-%dT%H:%M}"
        for m in mondays
        for x in ("a", "b")
    ]
    for status in statuses:
        if status.roster.activity.id == "a":
            assert status.ok
            assert "w" in status.roster.workers
        else:
            assert not status.ok
            assert status.roster.away == (("w", Presence.BOOKED_ELSEWHERE),)
            # Short of w: too few adults, no certified worker, and v2 on shift with
            # no social worker present.
            assert {v.code for v in status.violations} == {
                "double_booked",
                "too_few_adults",
                "no_certified_worker",
                "too_many_volunteers_on_shift",
            }
            # The remedy names the free colleague, not w (busy at a).
            (uncertified,) = _by_code(status.violations, "no_certified_worker")
            assert uncertified.remedy is not None
            text = uncertified.remedy.options[0].text
            assert "w-spare" in text
            assert ": available and qualified: w-spare" in text
    # The public roster path says the same.
    rosters = list(session_rosters(net, *window))
    assert [r.away for r in rosters] == [s.roster.away for s in statuses]


def test_a_tie_goes_to_the_activity_listed_first_and_the_choice_is_greedy():
    """a 9:00-11:00, b 10:00-12:00, c 11:30-13:00, d 9:00-10:00 listed last, all with w.

    w counts at a (first; d starts at the same time but is listed after a); b and d
    overlap a; c starts after a ends, so w counts at c although b overlaps c.
    """
    day = datetime(2013, 11, 18, 9, tzinfo=TZ)
    spans = {"a": (0, 120), "b": (60, 180), "c": (150, 240), "d": (0, 60)}
    net = sv.Network(
        centres=[sv.Centre(id="centre", name="C")],
        workers=[sv.SocialWorker(id="w", name="W", centre="centre")],
        programmes=[
            sv.Programme(id="p", name="P", centre="centre", service_area="elderly_and_disability")
        ],
        activities=[
            sv.Activity(
                id=id_,
                name=id_,
                programme="p",
                start=day + timedelta(minutes=s),
                end=day + timedelta(minutes=e),
                workers=["w"],
            )
            for id_, (s, e) in spans.items()
        ],
    )
    window = (day, day + timedelta(days=1))
    kept = {r.activity.id: "w" in r.present for r in session_rosters(net, *window)}
    assert kept == {"a": True, "b": False, "c": True, "d": False}
    report = sv.check(net, on=day.date())
    booked = sorted(v.entities for v in _by_code(report.violations, "double_booked"))
    assert booked == [("b", "w", "a"), ("d", "w", "a")]


@pytest.mark.parametrize("pack", ["us-default", "cn-zhejiang"])
def test_packs_without_the_rule_still_count_each_person_once(pack):
    net = _network()
    rules = sv.rules.pack(pack)
    report = sv.check(net, rules, on=MONDAY.date())
    if not rules.rules_of_kind("no_double_booking"):
        assert not _by_code(report.violations, "double_booked")
    (b_roster,) = [
        r for r in session_rosters(net, MONDAY, MONDAY + timedelta(days=1)) if r.activity.id == "b"
    ]
    assert "w" not in b_roster.present
