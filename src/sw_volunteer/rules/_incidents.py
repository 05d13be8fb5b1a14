"""Rule kind over incident records: ``incident_follow_up``.

An incident at or above a severity must have a follow-up recorded within a number of
days ([`Incident.followed_up_on`][sw_volunteer.models.Incident]). The violation names the
incident and its centre only: never the people involved, and never its free text.

As in `sw_volunteer.rules._builtin`, the evaluator detects only: the text of the code is
registered here, in the template table.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from pydantic import Field

from sw_volunteer.models import Model
from sw_volunteer.rules._context import CheckContext
from sw_volunteer.rules._declarations import Rule, rule_kind
from sw_volunteer.rules._messages import (
    _SPECS,
    _label,
    register_message,
    register_remedy_text,
)
from sw_volunteer.rules._reads import declare_reads
from sw_volunteer.rules._violations import (
    Violation,
    trusted_option,
    trusted_remedy,
    trusted_violation,
)
from sw_volunteer.vocab import IncidentSeverity

__all__ = ["IncidentFollowUp"]

_RANK = {severity: rank for rank, severity in enumerate(IncidentSeverity)}


class IncidentFollowUp(Model):
    """``incident_follow_up``: incidents at or above a severity are followed up in time.

    An incident of ``min_severity`` or worse that happened on day D needs a follow-up
    recorded (``followed_up_on``) by day D + ``within_days``. It is reported once that
    day has passed (on the day checked) without a follow-up by then; incidents after the
    day checked are not looked at.

    Attributes:
        min_severity: The least severe incidents the rule applies to.
        within_days: The days allowed for the follow-up.

    Example:
        >>> IncidentFollowUp(within_days=3).min_severity.value
        'serious'
    """

    min_severity: IncidentSeverity = IncidentSeverity.SERIOUS
    within_days: int = Field(ge=0, le=366)


@rule_kind(
    "incident_follow_up",
    IncidentFollowUp,
    codes=("incident_not_followed_up",),
    description="follow-up of serious incidents within a number of days",
)
def _follow_up(rule: Rule, params: IncidentFollowUp, ctx: CheckContext) -> Iterator[Violation]:
    floor = _RANK[params.min_severity]
    for incident in ctx.network.incidents:
        day = incident.at.date()
        deadline = day + timedelta(days=params.within_days)
        if _RANK[incident.severity] < floor or deadline >= ctx.on:
            continue
        done = incident.followed_up_on
        if done is not None and done <= deadline:
            continue
        late = (done - day).days if done is not None and done <= ctx.on else None
        yield trusted_violation(
            "incident_not_followed_up",
            rule.severity,
            rule.id,
            (incident.id, incident.centre),
            {
                "incident": incident.id,
                "centre": incident.centre,
                "day": day.isoformat(),
                "severity": incident.severity.value,
                "within_days": params.within_days,
            },
            observed=-1 if late is None else late,
            limit=params.within_days,
            remedy=trusted_remedy(
                (
                    trusted_option(
                        "record_follow_up", {"incident": incident.id, "day": day.isoformat()}, ()
                    ),
                )
            ),
            session=None,
        )


# each violation is about one incident (named first) and depends on it alone
declare_reads("incident_follow_up", ["incidents"], per="incidents")

_SPECS["incident_severity"] = _label(IncidentSeverity)

register_message(
    "incident_not_followed_up",
    en="incident {incident} of {day} ({severity:incident_severity}) has no follow-up recorded "
    "within {within_days} days",
    zh="{day} 发生的意外事件 {incident}（{severity:incident_severity}）未在 {within_days} 日内"
    "记录跟进情况",
    fields={"incident": str, "centre": str, "day": str, "severity": str, "within_days": int},
    meaning="An incident at or above the pack's severity has no follow-up recorded "
    "(``followed_up_on``) within the days the pack allows, or only a late one. The "
    "violation names the incident and its centre, never the people involved.",
    remedies=("record_follow_up",),
)
register_remedy_text(
    "record_follow_up",
    en="follow up incident {incident} of {day} and record the day",
    zh="跟进 {day} 的意外事件 {incident} 并记录跟进日期",
    fields={"incident": str, "day": str},
    remedy="Follow up the incident and record when.",
)
