"""A staffed term solved centre by centre: the same optimum as one joint model.

Centres share nobody, so ``staff_term`` solves each centre's sessions as a model of its
own (several at a time with more than one worker) and adds the figures up. On random
small networks of two or three centres these tests solve the whole network as one model
too and compare; and they compare the stronger statement of who is used (the one a long
term gets) with the plain one, and a short term's roster passed on to the full linear
relaxation with the one proved on the default relaxation.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer import plan
from sw_volunteer.plan import _term
from sw_volunteer.rules import CheckContext, resolve_rules
from sw_volunteer.scheduling import Availability

TZ = ZoneInfo("Asia/Shanghai")
FAST = plan.SolverOptions(work_limit=5.0, max_seconds=30.0)
MONDAY = datetime(2024, 11, 4, tzinfo=TZ)
WEEK = (MONDAY, MONDAY + timedelta(days=7))


def _weekly(activity_id: str, programme: str, days: str, hour: int, clients: list[str]):
    first = MONDAY + timedelta(hours=hour)
    return sv.Activity(
        id=activity_id,
        name=activity_id,
        programme=programme,
        start=first,
        end=first + timedelta(hours=2),
        clients=clients,
        schedule=sv.Schedule(
            start=first, duration=timedelta(hours=2), rules=[f"FREQ=WEEKLY;BYDAY={days}"]
        ),
    )


@st.composite
def _centre(draw, c: str) -> dict[str, list]:
    """One centre's people, clients, programme and one or two weekly activities."""
    levels = draw(st.lists(st.sampled_from(["none", "assistant"]), min_size=1, max_size=2))
    workers = [
        sv.SocialWorker(
            id=f"{c}w{i}",
            name="W",
            centre=c,
            certification=level,
            certified_on=None if level == "none" else date(2015, 6, 1),
        )
        for i, level in enumerate(levels)
    ]
    volunteers = [
        sv.Volunteer(
            id=f"{c}v{i}",
            name="V",
            centre=c,
            birth_date=draw(st.sampled_from([date(1990, 1, 1), date(2008, 1, 1)])),
            guardian_consent=True,
            background_check_on=date(2024, 1, 1),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    n_clients = draw(st.integers(1, 14))
    clients = [
        sv.Client(id=f"{c}k{i}", name="K", centre=c, needs=["child_6_8"]) for i in range(n_clients)
    ]
    names = [k.id for k in clients]
    activities = [_weekly(f"{c}a", f"{c}p", draw(st.sampled_from(["MO", "MO,WE"])), 16, names)]
    if draw(st.booleans()):
        hour = draw(st.sampled_from([9, 16]))  # 16: overlapping the first
        activities.append(_weekly(f"{c}b", f"{c}p", "MO", hour, names[:4]))
    return {
        "centres": [sv.Centre(id=c, name=c)],
        "workers": workers,
        "volunteers": volunteers,
        "clients": clients,
        "programmes": [
            sv.Programme(id=f"{c}p", name="P", centre=c, service_area="after_school_care")
        ],
        "activities": activities,
    }


@st.composite
def _cities(draw) -> sv.Network:
    parts = [draw(_centre(c)) for c in ("c1", "c2", "c3")[: draw(st.integers(2, 3))]]
    return sv.Network(**{key: [x for part in parts for x in part[key]] for key in parts[0]})


def _joint(net: sv.Network, cap: float | None, weights: plan.Weights) -> _term._Part:
    """Every centre's sessions as one model (what staff_term would solve without parts)."""
    start, end = WEEK
    in_force, _ = resolve_rules(None).in_force_on(start.date())
    ctx = CheckContext(network=net, on=start.date(), pack=in_force)
    sessions = _term._sessions(net, ctx, Availability(net, start, end), start, end, None)
    cp = _term.load_cp_model()
    return _term._solve_part(cp, net, ctx, sessions, cap, weights, FAST)


def _relaxed(roster_or_part: plan.Roster | _term._Part) -> tuple[int, int]:
    found = (
        roster_or_part.unstaffed
        if isinstance(roster_or_part, plan.Roster)
        else roster_or_part.relaxations
    )
    return sum(r.certified_workers for r in found), sum(r.adults for r in found)


@settings(max_examples=20)
@given(
    net=_cities(),
    cap=st.sampled_from([None, 2.0, 4.0]),
    weights=st.sampled_from([plan.Weights(), plan.Weights(people=3, continuity=0, fairness=1)]),
)
def test_centre_by_centre_gives_the_joint_optimum(net, cap, weights):
    roster = plan.staff_term(net, WEEK, weights=weights, max_hours_per_week=cap, options=FAST)
    joint = _joint(net, cap, weights)
    # The least relaxation is the same; with none, so is the best roster's objective.
    assert _relaxed(roster) == _relaxed(joint)
    if roster.feasible:
        assert roster.status is plan.SolveStatus.OPTIMAL
        assert joint.status is plan.SolveStatus.OPTIMAL
        assert roster.objective == round(joint.objective / _term._SCALE, 2)
        assert roster.bound == roster.objective


@settings(max_examples=10)
@given(net=_cities(), cap=st.sampled_from([None, 2.0]))
def test_two_workers_give_the_roster_of_one(net, cap):
    one = plan.staff_term(net, WEEK, max_hours_per_week=cap, options=FAST)
    two = plan.staff_term(
        net, WEEK, max_hours_per_week=cap, options=plan.SolverOptions(workers=2, work_limit=5.0)
    )
    assert two.assignments == one.assignments
    assert (two.status, two.objective, two.bound) == (one.status, one.objective, one.bound)


@settings(max_examples=20)
@given(net=_cities(), cap=st.sampled_from([None, 2.0, 4.0]))
def test_the_strong_statement_of_who_is_used_keeps_the_optimum(net, cap):
    # Only the statement differs: the same linear relaxation level for both.
    options = plan.SolverOptions(work_limit=5.0, linearization=1)
    plain = plan.staff_term(net, WEEK, max_hours_per_week=cap, options=options)
    with mock.patch.object(_term, "_LONG_TERM", 0):
        strong = plan.staff_term(net, WEEK, max_hours_per_week=cap, options=options)
    assert _relaxed(strong) == _relaxed(plain)
    if plain.feasible:
        assert (strong.status, strong.objective) == (plan.SolveStatus.OPTIMAL, plain.objective)


@settings(max_examples=15)
@given(net=_cities(), cap=st.sampled_from([None, 2.0]))
def test_a_short_term_passed_on_to_the_full_relaxation_keeps_the_optimum(net, cap):
    # No work at all with the default relaxation: every centre goes on to the full one,
    # from whatever the first try found.
    plain = plan.staff_term(net, WEEK, max_hours_per_week=cap, options=FAST)
    with mock.patch.object(_term, "_ESCALATE", 0.0):
        escalated = plan.staff_term(net, WEEK, max_hours_per_week=cap, options=FAST)
    assert _relaxed(escalated) == _relaxed(plain)
    if plain.feasible:
        assert escalated.status is plan.SolveStatus.OPTIMAL
        assert escalated.objective == plain.objective
