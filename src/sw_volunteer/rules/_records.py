"""Rule kinds that check service records (志愿服务记录), and the star levels of the packs.

Like every rule, these apply when they are in force on the day checked (or on
``rules_as_of``), to the records kept by then: those that started on or before the day
checked, and the corrections made by then. A 2013 network checked on its own day is
therefore held to the 2012 办法, and the same records checked in 2022 to the 2021 order
(which asks for the same items). Records are read as corrected
([`effective`][sw_volunteer.models.ServiceRecord.effective]); withdrawn ones (``void``) are not
checked.

Star levels (星级志愿者) differ from place to place, so their thresholds are a parameter
of the packs (rule kind ``volunteer_star_levels``, which reports, for information, the
volunteers whose recorded hours reach a level):
[`star_thresholds`][sw_volunteer.rules.star_thresholds] reads them and
[`star_level`][sw_volunteer.rules.star_level] applies them.

Example:
    >>> star_thresholds("cn-default")
    (100, 300, 600, 1000, 1500)
    >>> star_level(300 * 60, "cn-default")
    2
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from itertools import pairwise
from typing import Literal, Self

from pydantic import Field, PositiveInt, model_validator

from sw_volunteer.errors import RuleConfigurationError
from sw_volunteer.models import Model, ServiceRecord
from sw_volunteer.rules._context import CheckContext
from sw_volunteer.rules._declarations import Rule, rule_kind
from sw_volunteer.rules._packs import RulePack, pack
from sw_volunteer.rules._params import NoParams
from sw_volunteer.rules._violations import (
    Violation,
    rule_violation,
    simple_remedy,
)
from sw_volunteer.scheduling import (
    counted_records,
    hours_from_minutes,
    record_issues,
    record_minutes,
)
from sw_volunteer.scheduling import star_level as _star_level

__all__ = [
    "RecordField",
    "ServiceRecordFields",
    "StarLevels",
    "TravelExcluded",
    "star_level",
    "star_thresholds",
]

RecordField = Literal["content", "place", "recipients", "evaluation", "in_charge", "recorder"]
"""A field of a service record that a pack may require."""


class ServiceRecordFields(Model):
    """``service_record_fields``: the fields every service record must have.

    Attributes:
        fields: The fields required (see [`RecordField`][sw_volunteer.rules.RecordField]).

    Example:
        >>> from sw_volunteer.rules import pack
        >>> pack("cn-default").rule("records.fields").params["fields"]
        ['content', 'place', 'recipients', 'evaluation', 'in_charge', 'recorder']
    """

    fields: tuple[RecordField, ...] = Field(min_length=1)


class TravelExcluded(Model):
    """``service_time_excludes_travel``: records do not extend beyond their session.

    Attributes:
        tolerance_minutes: Minutes a record may extend beyond its session (arriving a
            little early, staying to tidy up) before it is reported as counting travel.

    Example:
        >>> TravelExcluded().tolerance_minutes
        15
    """

    tolerance_minutes: int = Field(default=15, ge=0)


class StarLevels(Model):
    """``volunteer_star_levels``: recorded hours for one star, two stars, ...

    Attributes:
        thresholds_hours: Increasing hours, one per star level.

    Example:
        >>> StarLevels(thresholds_hours=(30, 60, 100, 200, 300)).thresholds_hours  # 张家港
        (30, 60, 100, 200, 300)
        >>> StarLevels(thresholds_hours=(100, 50))
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for StarLevels
        ...
    """

    thresholds_hours: tuple[PositiveInt, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _increasing(self) -> Self:
        t = self.thresholds_hours
        if any(b <= a for a, b in pairwise(t)):
            msg = f"thresholds_hours must increase, got {list(t)}"
            raise ValueError(msg)
        return self


def _day(at: datetime) -> date:
    return at.date()  # the local date of the record: it carries its own offset


def _records(ctx: CheckContext) -> Iterator[ServiceRecord]:
    """The counted records (as corrected) that started on or before the day checked."""
    for r in counted_records(ctx.network):
        if _day(r.start) <= ctx.on:
            yield r


def _violation(
    rule: Rule,
    code: str,
    entities: tuple[str, ...],
    context: dict[str, object],
    *,
    observed: float | None = None,
    limit: float | None = None,
    remedy: tuple[str, dict[str, object]],
) -> Violation:
    kind, remedy_context = remedy
    return rule_violation(
        rule,
        code,
        entities,
        dict(context),
        observed=observed,
        limit=limit,
        remedy=simple_remedy(kind, dict(remedy_context)),
    )


@rule_kind(
    "service_record_fields",
    ServiceRecordFields,
    codes=("service_record_incomplete",),
    description="service records have the fields the record-keeping rules require",
)
def _fields(rule: Rule, params: ServiceRecordFields, ctx: CheckContext) -> Iterator[Violation]:
    for r in _records(ctx):
        missing = [f for f in params.fields if not getattr(r, f)]
        if missing:
            yield _violation(
                rule,
                "service_record_incomplete",
                (r.id, r.volunteer),
                {
                    "record": r.id,
                    "volunteer": r.volunteer,
                    "day": _day(r.start).isoformat(),
                    "missing": missing,
                },
                observed=len(missing),
                limit=0,
                remedy=("complete_record", {"record": r.id, "missing": missing}),
            )


def _session_overlap_minutes(ctx: CheckContext, r: ServiceRecord) -> float:
    """Minutes of ``r`` inside the sessions of its activity."""
    activity = ctx.network.activity(r.activity)
    if activity.schedule is None:
        spans = [(activity.start, activity.end)]
    else:
        spans = [(o.start, o.end) for o in activity.schedule.overlapping(r.start, r.end)]
    a, b = r.start.timestamp(), r.end.timestamp()
    seconds = sum(max(0.0, min(b, e.timestamp()) - max(a, s.timestamp())) for s, e in spans)
    return seconds / 60


@rule_kind(
    "service_time_excludes_travel",
    TravelExcluded,
    codes=("service_time_includes_travel",),
    description="service records do not count time outside their session (travel)",
)
def _travel(rule: Rule, params: TravelExcluded, ctx: CheckContext) -> Iterator[Violation]:
    for r in _records(ctx):
        inside = _session_overlap_minutes(ctx, r)
        if inside <= 0:
            continue  # no session at all: reported by the hours' records check
        excess = record_minutes(r) - int(inside)
        if excess > params.tolerance_minutes:
            yield _violation(
                rule,
                "service_time_includes_travel",
                (r.id, r.volunteer),
                {
                    "record": r.id,
                    "volunteer": r.volunteer,
                    "day": _day(r.start).isoformat(),
                    "excess": excess,
                    "tolerance": params.tolerance_minutes,
                },
                observed=excess,
                limit=params.tolerance_minutes,
                remedy=("correct_service_time", {"record": r.id, "excess": excess}),
            )


@rule_kind(
    "record_correction_reason",
    NoParams,
    codes=("record_correction_without_reason",),
    description="every correction of a service record gives its reason",
)
def _reasons(rule: Rule, params: NoParams, ctx: CheckContext) -> Iterator[Violation]:
    del params
    for r in ctx.network.service_records:
        for c in r.corrections:
            day = _day(c.at)
            if day <= ctx.on and not c.reason.strip():
                yield _violation(
                    rule,
                    "record_correction_without_reason",
                    (r.id, c.requested_by),
                    {"record": r.id, "day": day.isoformat(), "requested_by": c.requested_by},
                    remedy=("state_correction_reason", {"record": r.id, "day": day.isoformat()}),
                )


@rule_kind(
    "volunteer_star_levels",
    StarLevels,
    codes=("star_level_reached",),
    description="volunteers whose recorded hours reach a star level (information)",
)
def _stars(rule: Rule, params: StarLevels, ctx: CheckContext) -> Iterator[Violation]:
    issues = record_issues(ctx.network)
    excluded = {rid for issue in issues for rid in issue.records}
    minutes: dict[str, int] = defaultdict(int)
    for r in _records(ctx):
        if r.id not in excluded:
            minutes[r.volunteer] += record_minutes(r)
    for volunteer, total in sorted(minutes.items()):
        stars = _star_level(total, params.thresholds_hours)
        if stars:
            hours = float(hours_from_minutes(total))
            yield _violation(
                rule,
                "star_level_reached",
                (volunteer,),
                {
                    "volunteer": volunteer,
                    "hours": hours,
                    "stars": stars,
                    "threshold": params.thresholds_hours[stars - 1],
                },
                observed=hours,
                limit=params.thresholds_hours[stars - 1],
                remedy=("apply_for_stars", {"volunteer": volunteer, "stars": stars}),
            )


def star_thresholds(
    rules: RulePack | str = "cn-default", *, on: date | None = None
) -> tuple[int, ...]:
    """The star-level thresholds (hours) of a pack: its ``volunteer_star_levels`` rule.

    Args:
        rules: A pack or a packaged pack's name.
        on: Use the rule in force on this day (default: the pack's first such rule).

    Raises:
        RuleConfigurationError: The pack has no star-level rule (in force on ``on``).

    Example:
        >>> from sw_volunteer.rules import parse_pack
        >>> zjg = parse_pack('''
        ... id: zhangjiagang
        ... version: "1"
        ... jurisdiction: 张家港
        ... effective: 2014-05-26
        ... extends: cn-default
        ... rules:
        ...   - id: volunteers.star_levels
        ...     params: {thresholds_hours: [30, 60, 100, 200, 300]}
        ...     source: 张家港市志愿者协会, 星级志愿者认定奖励通知 (2014-05-26)
        ... ''')
        >>> star_thresholds(zjg)
        (30, 60, 100, 200, 300)
    """
    chosen = pack(rules) if isinstance(rules, str) else rules
    for r in chosen.rules_of_kind("volunteer_star_levels"):
        if on is None or r.in_force_on(on):
            params = r.parsed_params
            assert isinstance(params, StarLevels)  # noqa: S101 - the kind's params model
            return params.thresholds_hours
    when = "" if on is None else f" in force on {on.isoformat()}"
    raise RuleConfigurationError(
        f"pack {chosen.id!r} has no volunteer_star_levels rule{when}: add one with "
        "params {thresholds_hours: [...]}"
    )


def star_level(
    minutes: int, rules: RulePack | str = "cn-default", *, on: date | None = None
) -> int:
    """The star level earned by ``minutes`` of recorded service under a pack's thresholds.

    Example:
        >>> star_level(99 * 60 + 59), star_level(100 * 60), star_level(1500 * 60)
        (0, 1, 5)
    """
    return _star_level(minutes, star_thresholds(rules, on=on))
