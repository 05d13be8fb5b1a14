"""Remedies keep history and are minimal, on random networks and days.

- Following any remedy option that can be applied changes no verdict of an earlier
  day: every violation of a check on an earlier day that concerns the network or a
  session before the remedy's day is the same afterwards.
- It clears the breach it was computed for, on the day.
- Span-of-control remedies ask for the fewest new supervisors, found by brute force
  over every assignment of a centre's supervisees.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st
from tests.rules.rules_networks import risky_recurring_with_a_minor

import sw_volunteer as sv
from sw_volunteer.errors import RuleError
from sw_volunteer.rules import RemedyAction, RemedyOption, Rule, apply_remedy, pack
from sw_volunteer.testing.strategies import crowded_networks, dates, networks, schedules

_SPAN_KINDS = {"max_volunteers_per_supervisor", "max_workers_per_supervisor"}


def _tight(limit: int) -> list[Rule]:
    """cn-default with its span limits lowered to ``limit`` (warning) and ``limit + 1``."""
    rules = []
    for rule in pack("cn-default").rules:
        if rule.kind in _SPAN_KINDS:
            bump = 0 if rule.severity is sv.Severity.WARNING else 1
            rule = Rule(  # noqa: PLW2901 - the same rule with a smaller limit
                id=rule.id,
                kind=rule.kind,
                severity=rule.severity,
                params={**rule.params, "limit": limit + bump},
            )
        rules.append(rule)
    return rules


def _history(network: sv.Network, rules: object, day: date, before: date) -> set[object]:
    """The verdict of ``day`` on the network and on the sessions before ``before``."""
    return {
        (v.rule_id, v.code, v.entities, v.session)
        for v in sv.check(network, rules=rules, on=day).violations  # type: ignore[arg-type]
        if v.session is None or v.session.date() < before
    }


def _applied(network: sv.Network, option: RemedyOption, on: date) -> sv.Network | None:
    try:
        return apply_remedy(network, option, on=on)
    except RuleError:
        return None  # adds people, or would change the past: not an applicable option


def _check_history_and_clearing(network, rules, on, earlier):
    report = sv.check(network, rules=rules, on=on)
    for violation in report.violations:
        if violation.remedy is None:
            continue
        if violation.session is not None and violation.session.date() < on:
            continue  # a past session: nothing done on the day can change it
        for option in violation.remedy.options:
            fixed = _applied(network, option, on)
            if fixed is None:
                continue
            for day in earlier:
                assert _history(fixed, rules, day, on) == _history(network, rules, day, on)
            after = {
                (v.rule_id, v.code, v.entities, v.session)
                for v in sv.check(fixed, rules=rules, on=on).violations
            }
            key = (violation.rule_id, violation.code, violation.entities, violation.session)
            assert key not in after, option.text


@given(
    networks(max_centres=2, max_workers=3, max_volunteers=5, max_clients=4),
    dates(date(2011, 1, 1), date(2019, 12, 31)),
    st.lists(st.integers(1, 3000), min_size=1, max_size=3),
    st.sampled_from([None, 1, 2]),
)
def test_a_remedy_changes_no_earlier_verdict_and_clears_its_breach(network, on, back, span_limit):
    rules = "cn-default" if span_limit is None else _tight(span_limit)
    earlier = [on - timedelta(days=b) for b in back]
    _check_history_and_clearing(network, rules, on, earlier)


@given(
    crowded_networks(),
    dates(date(2013, 1, 1), date(2014, 6, 30)),
    st.lists(st.integers(1, 500), min_size=1, max_size=3),
    st.integers(1, 3),
)
def test_span_remedies_keep_history_on_crowded_networks(network, on, back, limit):
    rules = [
        Rule(id="span", kind="max_volunteers_per_supervisor", params={"limit": limit}),
        Rule(id="guided", kind="every_volunteer_supervised"),
    ]
    earlier = [on - timedelta(days=b) for b in back]
    _check_history_and_clearing(network, rules, on, earlier)


def _fewest_hires(loads: list[int], limit: int) -> int:
    """Brute force: the fewest new supervisors such that some assignment of every
    supervisee of the centre to its supervisors and the new ones keeps all within
    ``limit`` (every supervisor suits every supervisee)."""
    people = sum(loads)
    for hires in itertools.count():
        slots = len(loads) + hires
        if any(
            max(Counter(assignment).values(), default=0) <= limit
            for assignment in itertools.product(range(slots), repeat=people)
        ):
            return hires
    raise AssertionError  # pragma: no cover - itertools.count never ends


@given(crowded_networks(max_workers=2, max_volunteers=5), st.integers(1, 2))
def test_span_remedies_ask_for_the_fewest_new_supervisors(network, limit):
    day = date(2014, 1, 1)
    rules = [Rule(id="span", kind="max_volunteers_per_supervisor", params={"limit": limit})]
    report = sv.check(network, rules=rules, on=day)
    loads = Counter(
        s.supervisor for s in network.supervisions if s.is_active_on(day) and s.kind == "guidance"
    )
    by_centre: dict[str, list[sv.Violation]] = {}
    for violation in report.violations:
        by_centre.setdefault(violation.entities[1], []).append(violation)
    for centre, violations in by_centre.items():
        centre_loads = [loads[w.id] for w in network.workers if w.centre == centre]
        fewest = _fewest_hires(centre_loads, limit)
        moves, hires = [], set()
        for violation in violations:
            (option,) = violation.remedy.options
            moves += [a for a in option.actions if a.action == "move_supervisee"]
            hires |= {a.count for a in option.actions if a.action == "add_people"}
            # a violation asks for new supervisors only if some of its people stay put
            moved_off = sum(1 for a in option.actions if a.action == "move_supervisee")
            assert (moved_off < violation.observed - limit) == bool(
                [a for a in option.actions if a.action == "add_people"]
            )
        # the centre's count is one and the same in each of its remedies
        assert hires <= {fewest}
        assert (fewest == 0) == (not hires)
        # the moves of all the centre's remedies together overfill nobody, and what is
        # left beyond the limit is exactly what the new supervisors can take
        together = RemedyOption(text="", text_zh="", actions=tuple(moves))
        moved = apply_remedy(network, together, on=day) if moves else network
        after = Counter(
            s.supervisor for s in moved.supervisions if s.is_active_on(day) and s.kind == "guidance"
        )
        over = {w: n for w, n in after.items() if n > limit}
        assert set(over) <= {v.entities[0] for v in violations}
        left = sum(n - limit for n in over.values())
        assert -(-left // limit) == fewest


@given(
    schedules(first=date(2013, 1, 1), last=date(2013, 6, 30), max_duration=timedelta(hours=3)),
    st.integers(0, 45),
)
def test_taking_someone_out_of_a_recurring_activity_keeps_every_earlier_session(schedule, after):
    network = risky_recurring_with_a_minor(schedule)
    on = schedule.start.date() + timedelta(days=after)
    rules = [Rule(id="risky", kind="no_minors_in_risky_activities", params={"adult_age": 18})]
    take_out = RemedyOption(
        text="",
        text_zh="",
        actions=(RemedyAction(action="remove_participant", entity="teen", target="climb"),),
    )
    fixed = _applied(network, take_out, on)
    if fixed is None:
        return  # no session from the day on, or a schedule that cannot restart faithfully
    zone = schedule.zone
    begin = datetime.combine(schedule.start.date() - timedelta(days=1), time(), zone)
    end = datetime.combine(on + timedelta(days=60), time(), zone)
    # the sessions are the same, split on the day: the old roster before, the new after
    sessions = {
        a.id: [o.start for o in a.schedule.occurrences(begin, end)] for a in fixed.activities
    }
    original = [o.start for o in schedule.occurrences(begin, end)]
    assert sorted(s for found in sessions.values() for s in found) == original
    for activity in fixed.activities:
        before = activity.start.date() < on
        assert all((s.astimezone(zone).date() < on) == before for s in sessions[activity.id])
        assert ("teen" in activity.volunteers) == before
    window = (begin, end)
    verdicts = [
        {(v.code, v.session) for v in sv.check(net, rules=rules, on=on, between=window).violations}
        for net in (network, fixed)
    ]
    # each session before the day keeps its verdict; none from the day on has the minor
    assert {x for x in verdicts[1] if x[1].astimezone(zone).date() < on} == {
        x for x in verdicts[0] if x[1].astimezone(zone).date() < on
    }
    assert all(x[1].astimezone(zone).date() < on for x in verdicts[1])
