"""The cheapest fix: hand-worked cases, brute force on small instances, and its plans applied."""

from __future__ import annotations

import itertools
import math
import sys
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer import plan
from sw_volunteer.errors import MissingDependencyError
from sw_volunteer.rules import Rule

DAY = date(2013, 11, 18)
FAST = plan.SolverOptions(work_limit=5.0, max_seconds=30.0)


def _network(
    loads: dict[str, int], *, free_volunteers: int = 0, levels: dict[str, str] | None = None
):
    """Workers of one centre with ``loads[w]`` volunteers each, and some unguided ones."""
    levels = levels or {}
    workers = [
        sv.SocialWorker(
            id=w,
            name="W",
            centre="c",
            certification=levels.get(w, "assistant"),
            certified_on=date(2010, 6, 1) if levels.get(w, "assistant") != "none" else None,
            practice_since=date(2009, 1, 1),
        )
        for w in loads
    ]
    volunteers, edges = [], []
    for w, n in loads.items():
        for i in range(n):
            vid = f"{w}-v{i:02d}"
            volunteers.append(sv.Volunteer(id=vid, name="V", centre="c"))
            edges.append(
                sv.Supervision(
                    id=f"s-{vid}",
                    supervisor=w,
                    supervisee=vid,
                    kind="guidance",
                    start=date(2013, 1, 1),
                )
            )
    volunteers += [
        sv.Volunteer(id=f"free-{i}", name="V", centre="c") for i in range(free_volunteers)
    ]
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=workers,
        volunteers=volunteers,
        supervisions=edges,
    )


def _limit(n: int) -> Rule:
    return Rule(id="lim", kind="max_volunteers_per_supervisor", params={"limit": n})


def test_78_volunteers_under_one_worker_move_25_and_hire_2():
    net = _network({"w1": 78, "w2": 0})
    rules = [_limit(25)]
    costs = plan.CostTable(move=1.0, hire={"assistant": 30.0})
    fix = plan.cheapest_fix(net, rules, on=DAY, costs=costs, options=FAST)
    moves = Counter(a.target for a in fix.actions if a.action == "move_supervisee")
    hires = sum(a.count or 0 for a in fix.actions if a.action == "add_people")
    assert fix.status is plan.SolveStatus.OPTIMAL
    assert moves["w2"] == 25
    assert hires == len(fix.hires) == math.ceil((78 - 25 - 25) / 25) == 2
    assert fix.cost == (78 - 25) * costs.move + 2 * 30.0
    fixed = plan.apply_fix(net, fix)
    assert sv.check(fixed, rules, on=DAY).ok
    # Nothing before the day changes.
    assert (
        sv.check(fixed, rules, on=date(2013, 11, 1)).violations
        == sv.check(net, rules, on=date(2013, 11, 1)).violations
    )


def test_a_cheaper_colleague_place_is_used_before_a_hire():
    # Room for all at the colleague: no hire however cheap moving is.
    net = _network({"w1": 30, "w2": 10})
    fix = plan.cheapest_fix(net, [_limit(25)], on=DAY, options=FAST)
    assert not fix.hires
    assert Counter(a.action for a in fix.actions) == {"move_supervisee": 5}


def test_unguided_volunteers_get_a_guide_and_the_rest_a_hire():
    net = _network({"w1": 24}, free_volunteers=4)
    rules = [_limit(25), Rule(id="guided", kind="every_volunteer_supervised")]
    fix = plan.cheapest_fix(net, rules, on=DAY, options=FAST)
    # One place at w1 and three volunteers left: a hire either way, all four get an edge.
    assert len(fix.hires) == 1
    assert fix.cost == 4 * plan.CostTable().add_supervision + plan.CostTable().hire_cost(
        "c", "assistant"
    )
    assert sv.check(plan.apply_fix(net, fix), rules, on=DAY).ok


def test_an_unqualified_supervisor_hands_over_everyone():
    net = _network({"w1": 3, "w2": 1}, levels={"w1": "none"})
    rules = [
        _limit(5),
        Rule(
            id="qual",
            kind="supervisor_qualification",
            params={"supervisee_kind": "guidance", "min_level": "assistant", "min_years": 0},
        ),
    ]
    fix = plan.cheapest_fix(net, rules, on=DAY, options=FAST)
    assert Counter(a.target for a in fix.actions if a.action == "move_supervisee") == {"w2": 3}
    assert sv.check(plan.apply_fix(net, fix), rules, on=DAY).ok


def test_breaches_it_cannot_clear_are_listed_with_why():
    young = sv.Volunteer(id="kid", name="K", centre="c", birth_date=date(2010, 1, 1))
    net = _network({"w1": 1}).with_added(young)
    rules = [Rule(id="age", kind="minimum_volunteer_age", params={"min_age": 6})]
    fix = plan.cheapest_fix(net, rules, on=DAY, options=FAST)
    assert [u.violation.code for u in fix.unfixable] == ["volunteer_too_young"]
    assert "birthday" in fix.unfixable[0].why
    assert fix.cleared == ()


def test_without_ortools_importing_works_and_solving_says_which_extra(monkeypatch):
    for name in ("ortools", "ortools.sat", "ortools.sat.python", "ortools.sat.python.cp_model"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(MissingDependencyError, match=r"pip install -e '\.\[plan\]'"):
        plan.cheapest_fix(_network({"w1": 1}), on=DAY)


# -- brute force on small instances -------------------------------------------------------


def _brute_force(
    loads: dict[str, int], free: int, limit: int, *, move: float, guide: float, hire: float
):
    """The least cost over every assignment of the people to move (by enumeration)."""
    movers = [w for w, n in loads.items() for _ in range(max(0, n - limit))]
    movers += [""] * free  # unguided
    targets = [w for w, n in loads.items() if n < limit]
    slots = len(movers)
    best = math.inf
    choices = [*targets, *(f"hire{h}" for h in range(slots))]
    for assignment in itertools.product(choices, repeat=len(movers)):
        load = Counter(assignment)
        if any(load[t] > limit - loads[t] for t in targets):
            continue
        if any(load[c] > limit for c in choices if c.startswith("hire")):
            continue
        used = {c for c in assignment if c.startswith("hire")}
        cost = sum(move if m else guide for m in movers) + hire * len(used)
        best = min(best, cost)
    return best if movers else 0.0


@settings(max_examples=25)
@given(
    loads=st.lists(st.integers(0, 6), min_size=1, max_size=3),
    free=st.integers(0, 2),
    limit=st.integers(2, 4),
    move=st.sampled_from([1.0, 2.0, 5.0]),
    hire=st.sampled_from([3.0, 30.0]),
)
def test_the_optimum_equals_brute_force(loads, free, limit, move, hire):
    by_worker = {f"w{i}": n for i, n in enumerate(loads)}
    movers = sum(max(0, n - limit) for n in loads) + free
    if movers > 5:  # keep the enumeration small
        return
    net = _network(by_worker, free_volunteers=free)
    rules = [_limit(limit), Rule(id="guided", kind="every_volunteer_supervised")]
    costs = plan.CostTable(move=move, add_supervision=1.0, hire={"assistant": hire})
    fix = plan.cheapest_fix(net, rules, on=DAY, costs=costs, options=FAST)
    assert fix.status is plan.SolveStatus.OPTIMAL
    assert fix.cost == pytest.approx(
        _brute_force(by_worker, free, limit, move=move, guide=1.0, hire=hire)
    )
    assert sv.check(plan.apply_fix(net, fix), rules, on=DAY).ok


# -- random networks: every plan, applied, clears what it claims --------------------------


@st.composite
def _random_networks(draw):
    n_workers = draw(st.integers(1, 3))
    levels = [
        draw(st.sampled_from(["none", "assistant", "intermediate"])) for _ in range(n_workers)
    ]
    workers = [
        sv.SocialWorker(
            id=f"w{i}",
            name="W",
            centre="c",
            certification=level,
            certified_on=None if level == "none" else date(2010, 6, 1),
            practice_since=date(2005, 1, 1),
        )
        for i, level in enumerate(levels)
    ]
    volunteers, edges = [], []
    for i in range(draw(st.integers(0, 10))):
        vid = f"v{i}"
        minor = draw(st.booleans())
        volunteers.append(
            sv.Volunteer(
                id=vid,
                name="V",
                centre="c",
                birth_date=date(2000, 1, 1) if minor else date(1990, 1, 1),
                guardian_consent=draw(st.booleans()) if minor else False,
            )
        )
        boss = draw(st.none() | st.integers(0, n_workers - 1))
        if boss is not None:
            edges.append(
                sv.Supervision(
                    id=f"s{i}",
                    supervisor=f"w{boss}",
                    supervisee=vid,
                    kind="guidance",
                    start=date(2013, 1, 1),
                )
            )
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=workers,
        volunteers=volunteers,
        supervisions=edges,
    )


@settings(max_examples=30)
@given(net=_random_networks(), limit=st.integers(1, 4))
def test_a_plan_applied_clears_every_breach_it_claims(net, limit):
    pack = sv.rules.pack("cn-default")
    rules = [
        *(r for r in pack.rules if r.kind != "max_volunteers_per_supervisor"),
        _limit(limit),
    ]
    fix = plan.cheapest_fix(net, rules, on=DAY, options=FAST)
    assert fix.status is plan.SolveStatus.OPTIMAL
    after = sv.check(plan.apply_fix(net, fix), rules, on=DAY)
    claimed = {(v.rule_id, v.code) for v in fix.cleared}
    left = {(v.rule_id, v.code) for v in after.violations}
    assert not claimed & left
    # Every breach is either cleared or explained.
    before = sv.check(net, rules, on=DAY).violations
    assert len(fix.cleared) + len(fix.unfixable) == len(before)


def test_the_same_plan_every_run():
    net = _network({"w1": 40, "w2": 3, "w3": 20})
    first = plan.cheapest_fix(net, [_limit(25)], on=DAY, options=FAST)
    again = plan.cheapest_fix(net, [_limit(25)], on=DAY, options=FAST)
    assert first.actions == again.actions


def test_an_overloaded_supervisor_of_workers_hands_over_to_qualified_colleagues_or_hires():
    boss = sv.SocialWorker(
        id="boss",
        name="B",
        centre="c",
        certification="intermediate",
        practice_since=date(2000, 1, 1),
    )
    peer = sv.SocialWorker(
        id="peer",
        name="P",
        centre="c",
        certification="intermediate",
        practice_since=date(2000, 1, 1),
    )
    junior = sv.SocialWorker(id="junior", name="J", centre="c", certification="assistant")
    staff = [sv.SocialWorker(id=f"w{i:02d}", name="W", centre="c") for i in range(24)]
    edges = [
        sv.Supervision(
            id=f"s{i:02d}",
            supervisor="boss",
            supervisee=f"w{i:02d}",
            kind="professional",
            start=date(2013, 1, 1),
        )
        for i in range(24)
    ]
    net = sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=[boss, peer, junior, *staff],
        supervisions=edges,
    )
    pack = sv.rules.pack("cn-default")
    rules = [
        r
        for r in pack.rules
        if r.kind in {"max_workers_per_supervisor", "supervisor_qualification"}
    ]
    fix = plan.cheapest_fix(net, rules, on=DAY, options=FAST)
    moved = Counter(a.target for a in fix.actions if a.action == "move_supervisee")
    # The strictest limit is 8: the boss keeps 8, the peer takes 8, the junior none (not
    # qualified to supervise workers), hires of the level asked take the rest.
    limit = 8
    assert moved["peer"] == limit
    assert "junior" not in moved
    hires = math.ceil((24 - limit - limit) / limit)
    assert [h.level.value for h in fix.hires] == ["intermediate"] * hires
    fixed = plan.apply_fix(net, fix)
    assert sv.check(fixed, rules, on=DAY).ok


def test_a_rule_of_a_kind_the_planner_does_not_know_is_refused(monkeypatch):
    from sw_volunteer.rules import NoParams, _declarations, register_rule_kind

    monkeypatch.setattr(_declarations, "_REGISTRY", dict(_declarations._REGISTRY))

    def never(_rule, _params, _ctx):
        return iter(())

    register_rule_kind("never_breached", NoParams, never, replace=True)
    rules = [_limit(25), Rule(id="mine", kind="never_breached")]
    fix = plan.cheapest_fix(_network({"w1": 30, "w2": 0}), rules, on=DAY, options=FAST)
    assert [(r.rule_id, r.kind) for r in fix.refused] == [("mine", "never_breached")]
    assert "never_breached" in fix.refused[0].why
    assert "never_breached" in plan.render_fix(fix)


@st.composite
def _professional_networks(draw):
    levels = draw(
        st.lists(
            st.sampled_from(["none", "assistant", "intermediate", "senior"]), min_size=2, max_size=7
        )
    )
    workers = [
        sv.SocialWorker(
            id=f"w{i}",
            name="W",
            centre="c",
            certification=level,
            certified_on=None if level == "none" else date(2010, 6, 1),
            practice_since=date(draw(st.sampled_from([2005, 2012])), 1, 1),
        )
        for i, level in enumerate(levels)
    ]
    edges = []
    for i in range(1, len(levels)):
        boss = draw(st.none() | st.integers(0, i - 1))
        if boss is not None:
            edges.append(
                sv.Supervision(
                    id=f"s{i}",
                    supervisor=f"w{boss}",
                    supervisee=f"w{i}",
                    kind="professional",
                    start=date(2013, 1, 1),
                )
            )
    return sv.Network(centres=[sv.Centre(id="c", name="C")], workers=workers, supervisions=edges)


@settings(max_examples=30)
@given(net=_professional_networks(), limit=st.integers(1, 3))
def test_moves_and_hires_of_social_workers_create_no_new_breach(net, limit):
    pack = sv.rules.pack("cn-default")
    rules = [
        *(r for r in pack.rules if r.kind != "max_workers_per_supervisor"),
        Rule(id="lim", kind="max_workers_per_supervisor", params={"limit": limit}),
    ]
    fix = plan.cheapest_fix(net, rules, on=DAY, options=FAST)
    before = sv.check(net, rules, on=DAY).violations
    after = sv.check(plan.apply_fix(net, fix), rules, on=DAY).violations
    claimed = {(v.rule_id, v.code) for v in fix.cleared}
    assert not claimed & {(v.rule_id, v.code) for v in after}
    level_order = {"supervisor_below_supervisee"}
    old = {v.entities for v in before if v.code in level_order}
    assert {v.entities for v in after if v.code in level_order} <= old


def test_the_package_imports_in_a_fresh_interpreter_without_ortools():
    import subprocess

    code = (
        "import sys\n"
        "sys.modules['ortools'] = None\n"
        "import sw_volunteer as sv\n"
        "from sw_volunteer import plan\n"
        "from sw_volunteer.errors import MissingDependencyError\n"
        "try:\n"
        "    plan.cheapest_fix(sv.Network())\n"
        "except MissingDependencyError as e:\n"
        "    print('missing:', e)\n"
    )
    done = subprocess.run(  # noqa: S603 - the test's own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("missing: ")
    assert "pip install -e '.[plan]'" in done.stdout
