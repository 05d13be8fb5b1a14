"""A staffed term: random small terms applied and checked, brute force, infeasible terms, Rui'an."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer import plan

TZ = ZoneInfo("Asia/Shanghai")
FAST = plan.SolverOptions(work_limit=5.0, max_seconds=30.0)
MONDAY = datetime(2024, 11, 4, tzinfo=TZ)
WEEK = (MONDAY, MONDAY + timedelta(days=7))


def _weekly(activity_id: str, days: str, hour: int, clients: list[str], *, risky: bool = False):
    first = MONDAY + timedelta(hours=hour)
    return sv.Activity(
        id=activity_id,
        name=activity_id,
        programme="p",
        start=first,
        end=first + timedelta(hours=2),
        clients=clients,
        risky=risky,
        schedule=sv.Schedule(
            start=first, duration=timedelta(hours=2), rules=[f"FREQ=WEEKLY;BYDAY={days}"]
        ),
    )


def _session_violations(report: sv.Report) -> list[sv.Violation]:
    return [v for v in report.violations if v.session is not None]


def _base(workers, volunteers, activities, clients=12, absences=()):
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=workers,
        volunteers=volunteers,
        clients=[
            sv.Client(id=f"k{i}", name="K", centre="c", needs=["child_6_8"]) for i in range(clients)
        ],
        programmes=[sv.Programme(id="p", name="P", centre="c", service_area="after_school_care")],
        activities=activities,
        absences=list(absences),
    )


@st.composite
def _terms(draw):
    levels = draw(st.lists(st.sampled_from(["none", "assistant"]), min_size=1, max_size=3))
    workers = [
        sv.SocialWorker(
            id=f"w{i}",
            name="W",
            centre="c",
            certification=level,
            certified_on=None if level == "none" else date(2015, 6, 1),
        )
        for i, level in enumerate(levels)
    ]
    volunteers = []
    for i in range(draw(st.integers(0, 4))):
        born = draw(st.sampled_from([date(1990, 1, 1), date(2008, 1, 1), date(2016, 1, 1)]))
        available = draw(st.sampled_from([None, "MO,TU", "WE,TH,FR"]))
        volunteers.append(
            sv.Volunteer(
                id=f"v{i}",
                name="V",
                centre="c",
                birth_date=born,
                guardian_consent=born.year > 2006,
                trained=draw(st.booleans()),
                insurance=sv.Period(start=date(2024, 1, 1)) if draw(st.booleans()) else None,
                background_check_on=date(2024, 1, 1) if draw(st.booleans()) else None,
                availability=None
                if available is None
                else sv.Schedule(
                    start=MONDAY + timedelta(hours=8),
                    duration=timedelta(hours=12),
                    rules=[f"FREQ=WEEKLY;BYDAY={available}"],
                ),
            )
        )
    n_clients = draw(st.integers(0, 14))
    clients = [f"k{i}" for i in range(n_clients)]
    activities = [
        _weekly(
            "a",
            draw(st.sampled_from(["MO", "MO,WE", "TU,TH"])),
            16,
            clients,
            risky=draw(st.booleans()),
        )
    ]
    if draw(st.booleans()):
        activities.append(
            _weekly(
                "b",
                draw(st.sampled_from(["MO", "WE"])),
                draw(st.sampled_from([9, 17])),
                clients[:5],
            )
        )
    absences = []
    if draw(st.booleans()):
        absences.append(
            sv.Absence(
                id="off",
                person="w0",
                schedule=sv.Schedule.days(
                    date(2024, 11, 4), date(2024, 11, 5), timezone="Asia/Shanghai"
                ),
            )
        )
    return _base(workers, volunteers, activities, clients=max(n_clients, 1), absences=absences)


@settings(max_examples=30)
@given(net=_terms(), cap=st.sampled_from([None, 2.0, 4.0]))
def test_a_roster_applied_checks_clean_except_where_it_says(net, cap):
    roster = plan.staff_term(net, WEEK, max_hours_per_week=cap, options=FAST)
    assert roster.sessions  # never an empty plan
    after = sv.check(plan.apply_roster(net, roster), between=WEEK)
    left_alone = {r.rule_id for r in roster.refused}  # papers, vehicles: not staffing
    broken = {v.entities[0] for v in _session_violations(after) if v.rule_id not in left_alone}
    relaxed = {r.session for r in roster.unstaffed}
    assert broken <= relaxed
    assert roster.feasible == (not relaxed)
    if not roster.feasible:
        assert roster.status is plan.SolveStatus.INFEASIBLE
    # Availability, absences and the weekly cap hold.
    index = sv.scheduling.Availability(net, *WEEK)
    for a in roster.assignments:
        assert index.is_available(a.person, a.start, a.end)
    if cap is not None:
        assert all(hours <= cap for hours in roster.hours.values())


# -- brute force ------------------------------------------------------------------------


def _objective(
    assignments: dict[str, set[str]], activity_of: dict[str, str], w: plan.Weights
) -> float:
    people = {p for found in assignments.values() for p in found}
    pairs = {(p, activity_of[s]) for s, found in assignments.items() for p in found}
    count = sum(len(found) for found in assignments.values())
    return w.people * len(people) + w.assignments * count + w.continuity * len(pairs)


@settings(max_examples=8)
@given(
    levels=st.lists(st.sampled_from(["none", "assistant"]), min_size=1, max_size=2),
    adults=st.integers(0, 1),
    clients=st.integers(1, 12),
    overlap=st.booleans(),
)
def test_the_optimum_equals_brute_force_with_the_checker_as_oracle(
    levels, adults, clients, overlap
):
    workers = [
        sv.SocialWorker(
            id=f"w{i}",
            name="W",
            centre="c",
            certification=lv,
            certified_on=None if lv == "none" else date(2015, 6, 1),
        )
        for i, lv in enumerate(levels)
    ]
    volunteers = [
        sv.Volunteer(
            id=f"v{i}",
            name="V",
            centre="c",
            birth_date=date(1990, 1, 1),
            background_check_on=date(2024, 1, 1),
        )
        for i in range(adults)
    ]
    names = [f"k{i}" for i in range(clients)]
    activities = [
        _weekly("a", "MO", 16, names),
        _weekly("b", "MO", 16 if overlap else 9, names[:3]),
    ]
    net = _base(workers, volunteers, activities, clients=clients)
    weights = plan.Weights()
    roster = plan.staff_term(net, WEEK, weights=weights, options=FAST)
    sessions = [s for s, _, _, _ in roster.sessions]
    activity_of = {s: a for s, a, _, _ in roster.sessions}
    people = [p.id for p in (*workers, *volunteers)]
    best = None
    subsets = [set(c) for n in range(len(people) + 1) for c in itertools.combinations(people, n)]
    for choice in itertools.product(subsets, repeat=len(sessions)):
        assignments = dict(zip(sessions, choice, strict=True))
        trial = plan.Roster(
            start=roster.start,
            end=roster.end,
            status=roster.status,
            objective=0,
            bound=0,
            assignments=tuple(
                plan.Assignment(
                    s, activity_of[s], start, end, p, "worker" if p.startswith("w") else "volunteer"
                )
                for s, _, start, end in roster.sessions
                for p in sorted(assignments[s])
            ),
            sessions=roster.sessions,
        )
        report = sv.check(plan.apply_roster(net, trial), between=WEEK)
        if _session_violations(report):
            continue
        value = _objective(assignments, activity_of, weights)
        best = value if best is None else min(best, value)
    if best is None:
        assert roster.status is plan.SolveStatus.INFEASIBLE
        assert roster.unstaffed
    else:
        assert roster.status is plan.SolveStatus.OPTIMAL
        assert roster.objective == best


# -- hand-worked --------------------------------------------------------------------------


def test_no_certified_worker_is_infeasible_with_the_least_relaxation_and_why():
    workers = [sv.SocialWorker(id="w", name="W", centre="c")]  # not certified
    volunteers = [
        sv.Volunteer(
            id="v",
            name="V",
            centre="c",
            birth_date=date(1990, 1, 1),
            background_check_on=date(2024, 1, 1),
        )
    ]
    net = _base(workers, volunteers, [_weekly("a", "MO", 16, ["k0", "k1"])], clients=2)
    roster = plan.staff_term(net, WEEK, options=FAST)
    assert roster.status is plan.SolveStatus.INFEASIBLE
    (relax,) = roster.unstaffed
    assert (relax.certified_workers, relax.adults) == (1, 0)
    assert roster.assignments  # the best roster with the relaxation, not an empty plan
    assert {c.rule_id for c in roster.conflicts} == {"session.adults_present"}
    assert "certified" in roster.conflicts[0].text
    assert "持证社工" in roster.conflicts[0].text_zh


def test_an_hour_cap_that_cannot_hold_is_named():
    workers = [
        sv.SocialWorker(
            id="w", name="W", centre="c", certification="assistant", certified_on=date(2015, 6, 1)
        )
    ]
    volunteers = [
        sv.Volunteer(
            id="v",
            name="V",
            centre="c",
            birth_date=date(1990, 1, 1),
            background_check_on=date(2024, 1, 1),
        )
    ]
    net = _base(workers, volunteers, [_weekly("a", "MO,TU,WE", 16, ["k0"])], clients=1)
    roster = plan.staff_term(net, WEEK, max_hours_per_week=4, options=FAST)
    assert roster.status is plan.SolveStatus.INFEASIBLE
    assert sum(r.certified_workers for r in roster.unstaffed) == 1  # 3 sessions, 2 within the cap
    kinds = {c.kind for c in roster.conflicts}
    assert kinds == {"hours_cap", "session_rule"}


def test_the_same_roster_every_run():
    workers = [
        sv.SocialWorker(
            id=f"w{i}",
            name="W",
            centre="c",
            certification="assistant",
            certified_on=date(2015, 6, 1),
        )
        for i in range(3)
    ]
    volunteers = [
        sv.Volunteer(
            id=f"v{i}",
            name="V",
            centre="c",
            birth_date=date(1990, 1, 1),
            background_check_on=date(2024, 1, 1),
        )
        for i in range(4)
    ]
    net = _base(workers, volunteers, [_weekly("a", "MO,TU,WE,TH,FR", 16, ["k0"])], clients=1)
    first = plan.staff_term(net, WEEK, max_hours_per_week=6, options=FAST)
    assert (
        first.assignments
        == plan.staff_term(net, WEEK, max_hours_per_week=6, options=FAST).assignments
    )


def test_the_430_school_in_november_2013_every_session_with_a_certified_worker():
    net = sv.datasets.ruian_2013()
    november = (datetime(2013, 11, 1, tzinfo=TZ), datetime(2013, 12, 1, tzinfo=TZ))
    school = ["yucai-430-junior", "yucai-430-senior"]
    roster = plan.staff_term(net, november, activities=school, max_hours_per_week=6, options=FAST)
    assert roster.feasible
    by_session = roster.by_session()
    assert len(by_session) == len(
        list(sv.scheduling.session_rosters(net, *november, activities=school))
    )
    for people in by_session.values():
        assert any(p in {w.id for w in net.workers if w.certification.is_certified} for p in people)
    after = sv.check(plan.apply_roster(net, roster), between=november)
    assert not [v for v in _session_violations(after) if v.entities[0] in by_session]
    index = sv.scheduling.Availability(net, *november)
    assert all(index.is_available(a.person, a.start, a.end) for a in roster.assignments)


def test_a_session_rule_of_a_kind_the_planner_does_not_know_is_refused(monkeypatch):
    from sw_volunteer.rules import NoParams, _declarations, register_rule_kind

    monkeypatch.setattr(_declarations, "_REGISTRY", dict(_declarations._REGISTRY))

    def never(_rule, _params, _activity, _ctx):
        return iter(())

    register_rule_kind("session_never_breached", NoParams, never, scope="activity", replace=True)
    workers = [
        sv.SocialWorker(
            id="w", name="W", centre="c", certification="assistant", certified_on=date(2015, 6, 1)
        )
    ]
    net = _base(workers, [], [_weekly("a", "MO", 16, ["k0"])], clients=1)
    pack = [
        *sv.rules.pack("cn-default").rules,
        sv.rules.Rule(id="mine", kind="session_never_breached"),
    ]
    roster = plan.staff_term(net, WEEK, pack, options=FAST)
    assert [r.rule_id for r in roster.refused if r.kind not in plan.NOT_FIXED] == ["mine"]
    assert "session_never_breached" in plan.render_roster(roster)


def test_a_rule_that_cannot_fire_on_the_window_is_not_refused() -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from sw_volunteer import datasets
    from sw_volunteer.plan import staff_term

    ruian = datasets.ruian_2013()
    day = datetime(2013, 11, 18, tzinfo=ZoneInfo("Asia/Shanghai"))
    window = (day, day + timedelta(days=1))
    school = staff_term(ruian, window, activities=["yucai-430-junior"])
    with_outing = staff_term(ruian, window)  # the 平阳 outing is on that day
    outing_rules = {r.rule_id for r in with_outing.refused if r.rule_id.startswith("outings.")}
    assert outing_rules  # papers and vehicles are not planned: said when an outing is planned
    assert not {r.rule_id for r in school.refused} & outing_rules
