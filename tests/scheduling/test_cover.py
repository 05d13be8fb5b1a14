from __future__ import annotations

from datetime import date

import sw_volunteer as sv
from sw_volunteer.scheduling import CoverBasis, supervision_cover


def leave(
    person: str, first: date, last: date, cover: str | None = None, id_: str = ""
) -> sv.Absence:
    return sv.Absence(
        id=id_ or f"leave-{person}",
        person=person,
        schedule=sv.Schedule.days(first, last, timezone="Asia/Shanghai"),
        reason="leave",
        cover=cover,
    )


NOV = (date(2013, 11, 1), date(2013, 11, 30))


def test_a_designated_colleague_covers_every_supervisee(network):
    net = network.with_added(
        leave("w-lead", date(2013, 11, 4), date(2013, 11, 17), cover="w-spare")
    )
    plan = supervision_cover(net, *NOV)
    assert {c.supervisee: c.covered_by for c in plan.covers} == {
        "w-two": "w-spare",
        "v-mon": "w-spare",
        "v-tue": "w-spare",
    }
    assert {c.basis for c in plan.covers} == {CoverBasis.DESIGNATED}
    assert plan.ok
    assert {(c.start.date(), c.end.date()) for c in plan.covers} == {
        (date(2013, 11, 4), date(2013, 11, 18))
    }


def test_without_designated_cover_secondary_supervisors_cover_and_the_rest_are_listed(network):
    net = network.with_added(leave("w-lead", date(2013, 11, 4), date(2013, 11, 17)))
    plan = supervision_cover(net, *NOV)
    by_supervisee = {c.supervisee: c for c in plan.covers}
    assert by_supervisee["v-tue"].covered_by == "w-two"
    assert by_supervisee["v-tue"].basis is CoverBasis.OTHER_SUPERVISOR
    assert {c.supervisee for c in plan.uncovered} == {"w-two", "v-mon"}
    # w-two is an assistant: only colleagues at or above that level may supervise them.
    assert by_supervisee["w-two"].candidates == ("w-spare",)
    assert by_supervisee["v-mon"].candidates == ("w-spare", "w-two")
    assert "NO COVER for v-mon (could cover: w-spare, w-two)" in plan.render()
    assert "NO COVER for w-two (could cover: w-spare)" in plan.render()


def test_a_designated_cover_who_is_away_too_is_not_used(network):
    net = network.with_added(
        leave("w-lead", date(2013, 11, 4), date(2013, 11, 17), cover="w-spare"),
        leave("w-spare", date(2013, 11, 10), date(2013, 11, 12)),
    )
    plan = supervision_cover(net, *NOV)
    v_mon = [(c.start.day, c.end.day, c.covered_by) for c in plan.covers if c.supervisee == "v-mon"]
    # Covered by the designated colleague except the three days that colleague is away.
    assert v_mon == [(4, 10, "w-spare"), (10, 13, None), (13, 18, "w-spare")]
    assert {c.supervisee for c in plan.uncovered} == {"w-two", "v-mon"}
    assert all("away too" in c.note for c in plan.uncovered)
    assert all("w-spare" not in c.candidates for c in plan.uncovered)
    (v_tue,) = [c for c in plan.covers if c.supervisee == "v-tue" and c.start.day == 10]
    assert v_tue.covered_by == "w-two"


def test_absences_outside_the_range_and_of_non_supervisors_are_ignored(network):
    net = network.with_added(
        leave("w-lead", date(2013, 12, 2), date(2013, 12, 6), cover="w-spare"),
        leave("w-spare", date(2013, 11, 4), date(2013, 11, 8)),
    )
    plan = supervision_cover(net, *NOV)
    assert plan.covers == ()
    assert plan.ok
    assert "no supervisor is away" in plan.render()


def test_the_range_clips_the_absence(network):
    net = network.with_added(
        leave("w-lead", date(2013, 10, 28), date(2013, 11, 8), cover="w-spare")
    )
    plan = supervision_cover(net, *NOV)
    assert {c.start.date() for c in plan.covers} == {date(2013, 11, 1)}
