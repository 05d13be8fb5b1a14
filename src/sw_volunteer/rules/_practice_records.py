"""Rule kinds over the records a centre keeps: supervision sessions and training.

- ``supervision_hours_per_month``: the hours of supervision (督导) each social worker
  received in the month checked, from the supervision sessions
  ([`SupervisionSession`][sw_volunteer.models.SupervisionSession]);
- ``continuing_education_hours``: a certified social worker's 继续教育学时 in their last
  registration period, from [`TrainingRecord`][sw_volunteer.models.TrainingRecord];
- ``volunteer_induction_hours``: the induction training of the volunteers on the roster;
- and, for ``supervisor_qualification``, the external supervisors of the month's
  sessions (`external_supervisors`).

As in `sw_volunteer.rules._builtin`, evaluators detect only: the text of each code
is in the template table.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sw_volunteer.models import SupervisionSession
from sw_volunteer.rules._context import CheckContext
from sw_volunteer.rules._declarations import Rule, rule_kind
from sw_volunteer.rules._params import (
    ContinuingEducation,
    SupervisionHours,
    SupervisorQualification,
    VolunteerInduction,
)
from sw_volunteer.rules._violations import (
    Violation,
    rule_violation,
    simple_remedy,
)
from sw_volunteer.vocab import SupervisionFormat, SupervisionKind, TrainingKind

__all__ = ["external_supervisors", "month_checked", "registration_period"]

_EPSILON = 1e-9
"""Hours are sums of floats: a shortfall below this is no shortfall."""


def month_checked(day: date) -> tuple[date, date]:
    """The first and last day of the last full calendar month by ``day``.

    The day's own month when ``day`` is its last day, else the month before.

    Example:
        >>> month_checked(date(2013, 11, 30))
        (datetime.date(2013, 11, 1), datetime.date(2013, 11, 30))
        >>> month_checked(date(2013, 12, 1))
        (datetime.date(2013, 11, 1), datetime.date(2013, 11, 30))
        >>> month_checked(date(2014, 3, 15))
        (datetime.date(2014, 2, 1), datetime.date(2014, 2, 28))
    """
    last_of_month = calendar.monthrange(day.year, day.month)[1]
    if day.day == last_of_month:
        return day.replace(day=1), day
    end = day.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def _plus_years(day: date, years: int) -> date:
    """``day`` ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 2, 28)


def registration_period(certified_on: date, day: date, years: int = 3) -> tuple[date, date] | None:
    """The last registration period that ended on or before ``day`` (first and last day).

    Periods run ``years`` from ``certified_on`` and from each anniversary; ``None``
    while the first period has not ended.

    Example:
        >>> registration_period(date(2009, 6, 1), date(2013, 11, 19))
        (datetime.date(2009, 6, 1), datetime.date(2012, 5, 31))
        >>> registration_period(date(2009, 6, 1), date(2012, 5, 31))
        (datetime.date(2009, 6, 1), datetime.date(2012, 5, 31))
        >>> registration_period(date(2009, 6, 1), date(2012, 5, 30)) is None
        True
    """
    k = max(0, (day.year - certified_on.year) // years + 1)
    while k > 0:
        start = _plus_years(certified_on, (k - 1) * years)
        end = _plus_years(certified_on, k * years) - timedelta(days=1)
        if end <= day:
            return start, end
        k -= 1
    return None


def _sessions_of_month(ctx: CheckContext) -> tuple[SupervisionSession, ...]:
    first, last = month_checked(ctx.on)

    def compute() -> tuple[SupervisionSession, ...]:
        return tuple(s for s in ctx.network.supervision_sessions if first <= s.day <= last)

    return ctx.cached("supervision_sessions_of_month", compute)


def _violation(
    rule: Rule,
    code: str,
    entities: tuple[str, ...],
    context: dict[str, Any],
    *,
    observed: float,
    limit: float,
    remedy_kind: str,
    remedy_context: dict[str, Any],
) -> Violation:
    return rule_violation(
        rule,
        code,
        entities,
        context,
        observed=observed,
        limit=limit,
        remedy=simple_remedy(remedy_kind, remedy_context),
    )


@rule_kind(
    "supervision_hours_per_month",
    SupervisionHours,
    codes=("supervision_hours_short",),
    description="hours of supervision each social worker receives in the month checked",
)
def _supervision_hours(
    rule: Rule, params: SupervisionHours, ctx: CheckContext
) -> Iterator[Violation]:
    first, last = month_checked(ctx.on)
    received: dict[str, float] = defaultdict(float)
    for session in _sessions_of_month(ctx):
        weight = 1.0 if session.format is SupervisionFormat.INDIVIDUAL else params.group_weight
        for person in session.supervisees:
            received[person] += session.hours * weight
    month = f"{first:%Y-%m}"
    for worker in ctx.workers_on_roster:
        # Only who was with the centre the whole month owes the month's supervision.
        if worker.certification < params.min_level or not (
            worker.on_roster_on(first) and worker.on_roster_on(last)
        ):
            continue
        got = round(received.get(worker.id, 0.0), 2)
        short = round(params.min_hours - got, 2)
        if short <= _EPSILON:
            continue
        yield _violation(
            rule,
            "supervision_hours_short",
            (worker.id, worker.centre),
            {
                "worker": worker.id,
                "centre": worker.centre,
                "month": month,
                "hours": got,
                "min_hours": params.min_hours,
                "short": short,
            },
            observed=got,
            limit=params.min_hours,
            remedy_kind="more_supervision",
            remedy_context={"worker": worker.id, "short": short},
        )


@rule_kind(
    "continuing_education_hours",
    ContinuingEducation,
    codes=("continuing_education_short",),
    description="continuing-education hours of certified social workers per registration period",
)
def _continuing_education(
    rule: Rule, params: ContinuingEducation, ctx: CheckContext
) -> Iterator[Violation]:
    hours: dict[str, list[tuple[date, float]]] = defaultdict(list)
    for record in ctx.network.training_records:
        if record.kind is TrainingKind.CONTINUING_EDUCATION:
            hours[record.person].append((record.completed_on, record.hours))
    for worker in ctx.workers_on_roster:
        required = params.hours.get(worker.certification)
        if required is None or worker.certified_on is None:
            continue
        period = registration_period(worker.certified_on, ctx.on, params.period_years)
        if period is None:
            continue
        start, end = period
        got = round(sum(h for day, h in hours.get(worker.id, ()) if start <= day <= end), 2)
        short = round(required - got, 2)
        if short <= _EPSILON:
            continue
        yield _violation(
            rule,
            "continuing_education_short",
            (worker.id, worker.centre),
            {
                "worker": worker.id,
                "level": worker.certification.value,
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "hours": got,
                "required": required,
                "short": short,
            },
            observed=got,
            limit=required,
            remedy_kind="continuing_education",
            remedy_context={"worker": worker.id, "short": short},
        )


@rule_kind(
    "volunteer_induction_hours",
    VolunteerInduction,
    codes=("induction_hours_short",),
    description="induction training hours of the volunteers on the roster",
)
def _induction(rule: Rule, params: VolunteerInduction, ctx: CheckContext) -> Iterator[Violation]:
    recorded: dict[str, float] = defaultdict(float)
    for record in ctx.network.training_records:
        if record.kind is TrainingKind.INDUCTION and record.completed_on <= ctx.on:
            recorded[record.person] += record.hours
    for volunteer in ctx.volunteers_on_roster:
        got = recorded.get(volunteer.id)
        if got is None and volunteer.trained and not params.records_required:
            continue  # trained: true without records: trained, hours not recorded
        got = round(got or 0.0, 2)
        short = round(params.min_hours - got, 2)
        if short <= _EPSILON:
            continue
        yield _violation(
            rule,
            "induction_hours_short",
            (volunteer.id, volunteer.centre),
            {
                "volunteer": volunteer.id,
                "centre": volunteer.centre,
                "hours": got,
                "min_hours": params.min_hours,
                "short": short,
            },
            observed=got,
            limit=params.min_hours,
            remedy_kind="induction_training",
            remedy_context={"volunteer": volunteer.id, "short": short},
        )


def external_supervisors(
    rule: Rule, params: SupervisorQualification, ctx: CheckContext
) -> Iterator[Violation]:
    """The external supervisors of the month's sessions that ``rule`` does not accept.

    For ``supervisor_qualification`` rules about supervising social workers. An
    external supervisor who holds ``min_level`` with ``min_years`` of practice (both
    declared) qualifies as a colleague would; with ``accept_external`` one whose
    qualification is declared qualifies too. One violation per supervisor (by name and
    origin) and month, naming the sessions.
    """
    if params.supervisee_kind is not SupervisionKind.PROFESSIONAL:
        return
    workers = ctx.workers_by_id
    led: dict[tuple[str, str], list[SupervisionSession]] = defaultdict(list)
    ranks: dict[tuple[str, str], int] = {}
    for session in _sessions_of_month(ctx):
        ext = session.external
        if ext is None or not any(p in workers for p in session.supervisees):
            continue
        years = ext.years_of_practice or 0.0
        if ext.certification >= params.min_level and years >= params.min_years:
            continue
        if params.accept_external and ext.qualification is not None:
            continue
        led[ext.name, ext.origin.value].append(session)
        ranks[ext.name, ext.origin.value] = ext.certification.rank
    month = f"{month_checked(ctx.on)[0]:%Y-%m}"
    for (name, origin), sessions in led.items():
        ids = [s.id for s in sessions]
        supervisees = sorted({p for s in sessions for p in s.supervisees})
        context = {"name": name, "origin": origin, "month": month, "sessions": ids}
        need = {"need_level": params.min_level.value, "need_years": params.min_years}
        if params.accept_external:
            yield _violation(
                rule,
                "external_supervisor_undeclared",
                (*ids, *supervisees),
                context,
                observed=0,
                limit=1,
                remedy_kind="declare_qualification",
                remedy_context={"name": name},
            )
        else:
            yield _violation(
                rule,
                "external_supervisor_underqualified",
                (*ids, *supervisees),
                context | need,
                observed=ranks[name, origin],
                limit=params.min_level.rank,
                remedy_kind="accept_external",
                remedy_context={"name": name, **need},
            )
