"""``check``: apply a rule pack to a network and collect every violation into a report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from datetime import UTC, date, datetime
from operator import itemgetter
from pathlib import Path
from typing import cast

from sw_volunteer.models import Activity, Network, SocialWorker, Volunteer, gc_paused
from sw_volunteer.rules._booking import counted_once
from sw_volunteer.rules._context import CheckContext
from sw_volunteer.rules._declarations import (
    ActivityEvaluator,
    NetworkEvaluator,
    Rule,
    Severity,
    SkippedRule,
)
from sw_volunteer.rules._packs import RulePack, available_packs, load_pack, pack
from sw_volunteer.rules._report import Report
from sw_volunteer.rules._session_check import SessionWindow
from sw_volunteer.rules._violations import Violation

__all__ = [
    "DEFAULT_PACK",
    "RulesLike",
    "check",
    "check_sessions",
    "resolve_rules",
    "session_window",
    "window_violations",
]

DEFAULT_PACK = "cn-default"
"""The pack [`check`][sw_volunteer.rules.check] applies when given none."""

RulesLike = RulePack | str | Path | Iterable[Rule] | None
"""What ``rules=`` accepts: a pack, a packaged pack's name, a pack file, some rules, or None."""


def resolve_rules(rules: RulesLike) -> RulePack:
    """Turn anything ``check`` accepts as ``rules`` into a ``RulePack``.

    Example:
        >>> resolve_rules(None).id
        'cn-default'
    """
    if rules is None:
        return pack(DEFAULT_PACK)
    if isinstance(rules, RulePack):
        return rules
    if isinstance(rules, str) and rules in available_packs():
        return pack(rules)
    if isinstance(rules, str | Path):
        return load_pack(rules)
    return RulePack(
        id="custom",
        version="0",
        jurisdiction="user-defined",
        effective=date(1970, 1, 1),
        rules=tuple(rules),
    )


def _default_day(network: Network) -> date:
    if network.info.as_of is not None:
        return network.info.as_of
    return datetime.now(tz=UTC).date()


def _in_force(pack: RulePack, day: date) -> tuple[RulePack, tuple[SkippedRule, ...]]:
    """The one place a check picks its rules: those of ``pack`` in force on ``day``."""
    return pack.in_force_on(day)


def _dated(
    report: Report, rules_pack: RulePack, as_of: date, skipped: tuple[SkippedRule, ...]
) -> Report:
    """``report`` with the pack version's date, the rules' day and the rules skipped."""
    return report.model_copy(
        update={
            "pack_effective": rules_pack.effective,
            "rules_as_of": as_of,
            "skipped_rules": skipped,
        }
    )


def check(
    network: Network,
    rules: RulesLike = None,
    *,
    on: date | None = None,
    between: tuple[datetime, datetime] | None = None,
    sessions: Iterable[Activity] | None = None,
    rules_as_of: date | None = None,
) -> Report:
    """Check ``network`` against a rule pack and return every violation in a ``Report``.

    A breach never raises: it is a [`Violation`][sw_volunteer.rules.Violation] in the report. Only a
    misconfigured rule or pack raises ([`RuleError`][sw_volunteer.errors.RuleError]).

    Args:
        network: The network to check.
        rules: A [`RulePack`][sw_volunteer.rules.RulePack], a packaged pack's name, a pack file, or
            some rules; ``None`` applies ``cn-default``.
        on: The day the check describes: supervision edges active that day, volunteers'
            ages that day, and the rules in force that day. Default: the first day of
            ``between`` when it is given, else the network's ``info.as_of``, else today.
            Activities are checked at their own dates.
        between: Check the sessions that start in ``[start, end)`` as they will
            happen: every occurrence of a recurring activity and every one-off
            activity, each with only the people who can come (availability minus
            absences); their violations carry the session's start, and remedies that
            add people name who is available and qualified. Default: the network's
            activities as listed, everyone present. Either way, someone rostered on
            overlapping sessions counts at the one that starts first only (see
            ``sw_volunteer.rules._booking``).
        sessions: Extra sessions to check (e.g. scheduled occurrences); their people
            must be in the network.
        rules_as_of: Apply the rules in force on this day instead of ``on`` (what-if
            research: today's rules on a past network, or the old rules on a new one);
            the report says so ([`Report.what_if`][sw_volunteer.rules.Report.what_if]). Default:
            ``on``.

    Only the rules in force on ``rules_as_of`` (default ``on``) are evaluated, for every
    session checked; the others are listed in ``Report.skipped_rules`` with their
    dates. A rule without dates is in force on every day.

    Example:
        >>> import sw_volunteer as sv
        >>> net = sv.Network(centres=[sv.Centre(id="c", name="Centre")])
        >>> report = sv.check(net, on=date(2013, 11, 18))
        >>> report.ok, [s.rule_id for s in report.skipped_rules][:2]
        (True, ['volunteers.no_minors_in_risky', 'volunteers.insurance'])
        >>> sv.check(net, on=date(2013, 11, 18), rules_as_of=date(2024, 1, 1)).what_if
        True
    """
    pack_of_version = resolve_rules(rules)
    if on is not None:
        day = on
    elif between is not None:
        day = between[0].date()  # a window is about its sessions' days, not today's
    else:
        day = _default_day(network)
    as_of = rules_as_of if rules_as_of is not None else day
    resolved, skipped = _in_force(pack_of_version, as_of)
    context = CheckContext(network=network, on=day, pack=resolved)
    if between is not None:
        report = _check_between(network, resolved, context, between, sessions)
        return _dated(report, pack_of_version, as_of, skipped)
    activities = counted_once(_on_roster_that_day(network.activities, context), context)
    if sessions is not None:
        activities.extend(sessions)
    found: list[Violation] = []
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
    report = Report(
        pack_id=resolved.id,
        pack_version=resolved.version,
        on=day,
        rules_checked=len(resolved.rules),
        sessions_checked=len(activities),
        violations=tuple(_strongest_only(found)),
    )
    return _dated(report, pack_of_version, as_of, skipped)


def _on_roster_that_day(activities: Sequence[Activity], context: CheckContext) -> list[Activity]:
    """``activities`` without the people who are not on the roster on the activity's day.

    Someone listed on an activity before joining (or after leaving, or before being
    born) is not there: no rule counts or reports them, as in a window, where they are
    away ([`Presence`][sw_volunteer.scheduling.Presence]). Usually nobody is dated, and the
    activities come back as they are.
    """
    # Only the people named on an activity are asked, each on the activity's day.
    on, off = context.on, context.off_roster
    out = []
    for activity in activities:
        named = activity.workers | activity.volunteers
        if not named:
            out.append(activity)
            continue
        day = activity.start.date()
        # On the check's day, who is off the roster is known already.
        gone: AbstractSet[str] = (
            named & off if day == on else {p for p in named if not _on_roster(p, day, context)}
        )
        if gone:
            activity = activity.model_copy(  # noqa: PLW2901 - the activity as it happens
                update={
                    "workers": activity.workers - gone,
                    "volunteers": activity.volunteers - gone,
                    "tasks": tuple(t for t in activity.tasks if t.person not in gone),
                }
            )
        out.append(activity)
    return out


def _on_roster(person_id: str, day: date, context: CheckContext) -> bool:
    """Whether the worker or volunteer ``person_id`` is on the roster on ``day``.

    An id that names neither (the network's integrity rules that out) is not taken off.
    """
    person: SocialWorker | Volunteer | None = context.workers_by_id.get(person_id)
    if person is None:
        person = context.volunteers_by_id.get(person_id)
    return person is None or person.on_roster_on(day)


def session_window(
    network: Network, resolved: RulePack, context: CheckContext, between: tuple[datetime, datetime]
) -> SessionWindow:
    """The pack's session-level rules evaluated on every session of ``between``.

    The one way sessions are evaluated: [`check`][sw_volunteer.rules.check] with ``between=`` and
    [`check_schedule`][sw_volunteer.rules.check_schedule] are views of it.
    """
    session_rules = [
        (n, rule, rule.parsed_params, cast("ActivityEvaluator", rule.registration.evaluator))
        for n, rule in enumerate(resolved.rules)
        if rule.registration.scope != "network"
    ]
    with gc_paused():  # a year of sessions makes many objects, none of them garbage
        return SessionWindow(network, *between, session_rules, context)


def window_violations(window: SessionWindow) -> list[Violation]:
    """The window's violations in the order of a session-by-session check, strongest only."""
    return _strongest_only([v for _, v in sorted(window.violations, key=itemgetter(0))])


def _check_between(
    network: Network,
    resolved: RulePack,
    context: CheckContext,
    between: tuple[datetime, datetime],
    sessions: Iterable[Activity] | None,
) -> Report:
    """[`check`][sw_volunteer.rules.check] over the sessions of a window (see ``_session_check``).

    Violations come in the order of a session-by-session check: by rule, then by
    session start (ties in the activities' document order), extra sessions last.
    """
    extra = list(sessions) if sessions is not None else []
    with gc_paused():  # the window is dropped before the collector would walk it
        window = session_window(network, resolved, context, between)
        found, count = _window_and_rules(window, resolved, context, extra)
        del window
    return Report(
        pack_id=resolved.id,
        pack_version=resolved.version,
        on=context.on,
        rules_checked=len(resolved.rules),
        sessions_checked=count + len(extra),
        violations=tuple(found),
    )


def _window_and_rules(
    window: SessionWindow, resolved: RulePack, context: CheckContext, extra: list[Activity]
) -> tuple[list[Violation], int]:
    """The window's violations with the network rules' and the extra sessions', in order."""
    tagged = list(window.violations)
    for n, rule in enumerate(resolved.rules):
        registered = rule.registration
        params = rule.parsed_params
        if registered.scope == "network":
            evaluate = cast("NetworkEvaluator", registered.evaluator)
            tagged.extend(((n, 0, 0.0, 0), v) for v in evaluate(rule, params, context))
        else:
            evaluate_one = cast("ActivityEvaluator", registered.evaluator)
            for k, activity in enumerate(extra):
                tagged.extend(
                    ((n, 1, float(k), 0), v) for v in evaluate_one(rule, params, activity, context)
                )
    tagged.sort(key=itemgetter(0))
    found = _strongest_only([v for _, v in tagged])
    return (window.name_substitutes(found) if window.sessions else found), window.sessions


def check_sessions(
    network: Network,
    sessions: Iterable[Activity],
    rules: RulesLike = None,
    *,
    on: date | None = None,
    rules_as_of: date | None = None,
) -> list[Violation]:
    """Evaluate the session-level rules on activities that need not be in the network.

    Session-level rules are ratios, adults present, minors, insurance and tasks; the
    sessions are, for example, the occurrences of a schedule with who is present. Only
    the rules in force on ``rules_as_of`` (default: ``on``, else the first session's
    day) are evaluated, as in [`check`][sw_volunteer.rules.check].

    Each violation carries the session's start in ``session``. As in
    [`check`][sw_volunteer.rules.check], someone rostered on overlapping ``sessions`` counts at the
    one that starts first. To check the sessions of a network's schedules, use
    [`check`][sw_volunteer.rules.check] with ``between=`` or
    [`check_schedule`][sw_volunteer.rules.check_schedule].

    Example:
        >>> import sw_volunteer as sv
        >>> check_sessions(sv.Network(), [])
        []
    """
    resolved = resolve_rules(rules)
    listed = list(sessions)
    day = on if on is not None else (listed[0].start.date() if listed else date(1970, 1, 1))
    resolved, _ = _in_force(resolved, rules_as_of if rules_as_of is not None else day)
    context = CheckContext(network=network, on=day, pack=resolved)
    listed = counted_once(listed, context)
    found: list[Violation] = []
    for rule in resolved.rules:
        registered = rule.registration
        if registered.scope != "activity":
            continue
        evaluate = cast("ActivityEvaluator", registered.evaluator)
        params = rule.parsed_params
        for activity in listed:
            found.extend(evaluate(rule, params, activity, context))
    return _strongest_only(found)


def _strongest_only(found: list[Violation]) -> list[Violation]:
    """Errors first; a breach already reported as an error is not repeated as a warning.

    Packs often hold a warning and an error threshold for the same quantity; both fire
    past the error threshold, and the weaker one adds nothing.
    """
    strongest: dict[tuple[object, ...], Violation] = {}
    for v in found:
        key = (v.code, v.entities, v.session)
        kept = strongest.get(key)
        if kept is None or v.severity > kept.severity:
            strongest[key] = v
    if len(strongest) == len(found):  # usually no breach is reported twice
        unique = found
    else:
        kept_ids = {id(v) for v in strongest.values()}
        unique = [v for v in found if id(v) in kept_ids]
    # Worst first, each severity in the order found: a stable sort, one pass per severity.
    return [v for severity in _WORST_FIRST for v in unique if v.severity is severity]


_WORST_FIRST = sorted(Severity, reverse=True)
