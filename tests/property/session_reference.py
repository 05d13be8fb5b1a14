"""The straightforward per-session check, kept as the reference for the optimised one.

Every session of the window is built as an activity with the people who can come, and
every rule of the pack is evaluated on every session, as ``check(..., between=...)`` did
before sessions of the same kind were evaluated once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import cast

from sw_volunteer.models import Activity, Network
from sw_volunteer.rules import ActivityEvaluator, CheckContext, NetworkEvaluator, Report
from sw_volunteer.rules._check import _strongest_only, resolve_rules
from sw_volunteer.rules._sessions import name_substitutes, sessions_between

__all__ = ["reference_check"]


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
    resolved, skipped = dated.in_force_on(as_of)  # the rules in force on the day, as check()
    context = CheckContext(network=network, on=on, pack=resolved)
    rosters = sessions_between(network, *between)
    activities = [r.as_activity() for r in rosters]
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
    return Report(
        pack_id=resolved.id,
        pack_version=resolved.version,
        on=on,
        rules_checked=len(resolved.rules),
        sessions_checked=len(activities),
        violations=tuple(name_substitutes(strongest, rosters, network) if rosters else strongest),
        pack_effective=dated.effective,
        rules_as_of=as_of,
        skipped_rules=skipped,
    )
