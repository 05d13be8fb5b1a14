"""The straightforward per-session check, kept as the reference for the optimised one.

Every session of the window is built as an activity with the people who can come, and
every rule of the pack is evaluated on every session, as ``check(..., between=...)`` did
before sessions of the same kind were evaluated once. It lives in the tests only: it is
the oracle of the differential tests, not a second way to check sessions.

Who is booked at an overlapping session is read off the rosters
(:attr:`Presence.BOOKED_ELSEWHERE`); the session where they count instead is found here
on its own, by brute force, from the definition: the session holding them present that
overlaps this one and starts first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import partial
from typing import cast

from sw_volunteer.models import Activity, Network
from sw_volunteer.rules import ActivityEvaluator, CheckContext, NetworkEvaluator, Report
from sw_volunteer.rules._booking import BookedAt, SessionKey, record_bookings
from sw_volunteer.rules._check import _strongest_only, resolve_rules
from sw_volunteer.rules._session_check import SessionStatus, named_option
from sw_volunteer.rules._violations import Remedy, Violation
from sw_volunteer.scheduling import Presence, SessionRoster, session_rosters

__all__ = ["reference_check", "reference_schedule"]


def _booked(network: Network, rosters: Sequence[SessionRoster]) -> dict[SessionKey, list[BookedAt]]:
    position = {a.id: n for n, a in enumerate(network.activities)}

    def first(r: SessionRoster) -> tuple[float, int]:
        return (r.start.timestamp(), position[r.activity.id])

    table: dict[SessionKey, list[BookedAt]] = {}
    for r in rosters:
        for person, why in r.away:
            if why is not Presence.BOOKED_ELSEWHERE:
                continue
            (host,) = [
                o
                for o in rosters
                if person in o.present
                and first(o) < first(r)
                and o.end.timestamp() > r.start.timestamp()
            ]
            key = (r.as_activity().id, r.start)
            table.setdefault(key, []).append((person, host.session_id, host.start))
    return table


def _busy_besides(roster: SessionRoster, rosters: Sequence[SessionRoster]) -> frozenset[str]:
    """People present at the other activities' sessions that overlap ``roster``."""
    a, b = roster.start.timestamp(), roster.end.timestamp()
    busy: set[str] = set()
    for other in rosters:
        overlaps = other.start.timestamp() < b and other.end.timestamp() > a
        if overlaps and other.activity.id != roster.activity.id:
            busy.update(other.present)
    return frozenset(busy)


def name_substitutes(
    violations: Sequence[Violation],
    rosters: Sequence[SessionRoster],
    network: Network,
    adult_age: int,
) -> list[Violation]:
    """``violations`` with each "add people" remedy naming who could come to that session."""
    by_session = {r.session_id: r for r in rosters}
    out: list[Violation] = []
    for violation in violations:
        roster = by_session.get(violation.entities[0]) if violation.entities else None
        if roster is None:
            out.append(violation)
            continue
        update: dict[str, object] = {}
        if roster.activity.id not in violation.entities:
            update["entities"] = (*violation.entities, roster.activity.id)
        if violation.remedy is not None:
            busy = _busy_besides(roster, rosters)
            options = [
                named_option(
                    o, roster, partial(roster.substitutes, network, busy=busy), adult_age=adult_age
                )
                or o
                for o in violation.remedy.options
            ]
            update["remedy"] = Remedy(options=tuple(options))
        out.append(violation.model_copy(update=update) if update else violation)
    return out


def _evaluate(
    network: Network,
    rules: object,
    on: date,
    between: tuple[datetime, datetime],
    rules_as_of: date | None = None,
) -> tuple[CheckContext, list[SessionRoster], list[Activity]]:
    dated = resolve_rules(rules)  # type: ignore[arg-type]
    # the rules in force on the day, as check() picks them
    resolved, _ = dated.in_force_on(on if rules_as_of is None else rules_as_of)
    context = CheckContext(network=network, on=on, pack=resolved)
    rosters = list(session_rosters(network, *between))
    record_bookings(context, _booked(network, rosters))
    return context, rosters, [r.as_activity() for r in rosters]


def reference_check(
    network: Network,
    rules: object = None,
    *,
    on: date,
    between: tuple[datetime, datetime],
    sessions: Iterable[Activity] = (),
    rules_as_of: date | None = None,
) -> Report:
    """``check(network, rules, on=on, between=between, sessions=sessions)``, session by session."""
    dated = resolve_rules(rules)  # type: ignore[arg-type]
    as_of = on if rules_as_of is None else rules_as_of
    _, skipped = dated.in_force_on(as_of)
    context, rosters, activities = _evaluate(network, rules, on, between, rules_as_of)
    resolved = context.pack
    activities.extend(sessions)
    found = []
    for rule in resolved.rules:
        registered = rule.registration
        params = rule.parsed_params
        if registered.scope == "network":
            evaluate = cast("NetworkEvaluator", registered.evaluator)
            found.extend(evaluate(rule, params, context))
        else:
            evaluate_one = cast("ActivityEvaluator", registered.evaluator)
            for activity in activities:
                found.extend(evaluate_one(rule, params, activity, context))
    strongest = _strongest_only(found)
    adult_age = context.adults.adult_age
    return Report(
        pack_id=resolved.id,
        pack_version=resolved.version,
        on=on,
        rules_checked=len(resolved.rules),
        sessions_checked=len(activities),
        violations=tuple(
            name_substitutes(strongest, rosters, network, adult_age) if rosters else strongest
        ),
        pack_effective=dated.effective,
        rules_as_of=as_of,
        skipped_rules=skipped,
    )


def reference_schedule(
    network: Network, rules: object, between: tuple[datetime, datetime]
) -> list[SessionStatus]:
    """``check_schedule(network, *between, rules)``, session by session."""
    context, rosters, activities = _evaluate(network, rules, between[0].date(), between)
    statuses = []
    adult_age = context.adults.adult_age
    for roster, activity in zip(rosters, activities, strict=True):
        found = []
        for rule in context.pack.rules:
            registered = rule.registration
            if registered.scope != "network":
                evaluate = cast("ActivityEvaluator", registered.evaluator)
                found.extend(evaluate(rule, rule.parsed_params, activity, context))
        named = name_substitutes(_strongest_only(found), rosters, network, adult_age)
        statuses.append(SessionStatus(roster, tuple(named)))
    return statuses
