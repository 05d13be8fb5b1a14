"""Incidents and funded projects (政府购买服务项目).

An [`Incident`][sw_volunteer.models.Incident] records something that went wrong: when, at
which centre and session, who was involved, how serious it was and what was done after.
Its description and follow-up are free text, and the people involved are identifying: none
of them is shown in ``repr``, redaction drops the texts and replaces the people by keyed
pseudonyms, and the aggregate export counts incidents per centre and severity only, with
small cells suppressed.

A [`FundedProject`][sw_volunteer.models.FundedProject] is a service a funder buys from a
centre (政府购买社会工作服务): its funder, period, budget and targets
([`KpiTargets`][sw_volunteer.models.KpiTargets]) for sessions, beneficiaries, service hours
and volunteer hours. Progress towards the targets is computed from the records by
[`sw_volunteer.paperwork.project_progress`][sw_volunteer.paperwork.project_progress].
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Self

from pydantic import AwareDatetime, Field, NonNegativeInt, model_validator

from sw_volunteer.models._base import Entity, Model, Period, sensitive
from sw_volunteer.types import EntityId, UniqueSet
from sw_volunteer.vocab import IncidentSeverity, Sensitivity

__all__ = ["FundedProject", "Incident", "KpiTargets"]

REDACTED = "（已删除）"
"""What redaction leaves in an incident's free text that held text (its presence stays)."""


class Incident(Entity):
    """An incident (意外事件) at a centre: when, where, who, how serious, what followed.

    Attributes:
        at: When it happened (timezone-aware).
        centre: The id of the centre responsible.
        activity: The id of the activity (session) it happened in, if any.
        severity: How serious it was.
        involved: The ids of the people involved (clients, volunteers, workers). They
            identify people in a sensitive context: never shown in ``repr``, and replaced
            by keyed pseudonyms on redaction (so they are not checked as references).
        description: What happened (free text; never in ``repr``, dropped by redaction).
        follow_up: What was done after (free text; never in ``repr``; redaction keeps
            only that there was one).
        followed_up_on: The day the follow-up was recorded, if it was.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2013, 11, 20, 17, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> fall = Incident(id="inc-1", at=at, centre="yucai", severity="minor",
        ...                 involved=["c07"], description="张某在活动室滑倒")
        >>> fall.severity.label("zh"), "张某" in repr(fall), "c07" in repr(fall)
        ('轻微', False, False)
    """

    collection: ClassVar[str] = "incidents"

    at: AwareDatetime
    centre: EntityId
    activity: EntityId | None = None
    severity: IncidentSeverity
    involved: UniqueSet[EntityId] = sensitive(
        Sensitivity.IDENTIFYING,
        frozenset(),
        description="The ids of the people involved in the incident.",
    )
    description: str | None = sensitive(
        Sensitivity.FREE_TEXT,
        description="What happened (free text).",
        redacted_as=REDACTED,
    )
    follow_up: str | None = sensitive(
        Sensitivity.FREE_TEXT,
        description="What was done after the incident (free text).",
        redacted_as=REDACTED,
    )
    followed_up_on: date | None = None

    @model_validator(mode="after")
    def _follow_up_after(self) -> Self:
        if self.followed_up_on is not None and self.followed_up_on < self.at.date():
            msg = "the follow-up is dated before the incident (followed_up_on < at)"
            raise ValueError(msg)
        return self

    @property
    def followed_up(self) -> bool:
        """Whether a follow-up is recorded (a text or a day)."""
        return bool(self.follow_up) or self.followed_up_on is not None


class KpiTargets(Model):
    """A funded project's targets (绩效指标) over its whole period; ``None``: no target.

    Attributes:
        sessions: Sessions held (服务场次).
        beneficiaries: Distinct clients served (服务对象人数).
        service_hours: Hours of sessions held (服务时数).
        volunteer_hours: Volunteers' service hours from the service records (志愿服务时长).

    Example:
        >>> KpiTargets(sessions=40, beneficiaries=30).service_hours is None
        True
    """

    sessions: NonNegativeInt | None = None
    beneficiaries: NonNegativeInt | None = None
    service_hours: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    volunteer_hours: float | None = Field(default=None, ge=0, allow_inf_nan=False)


class FundedProject(Entity):
    """A project a funder buys from a centre (政府购买服务项目), with its targets.

    Attributes:
        name: The project's name, e.g. ``"爱暖空巢"``.
        funder: Who pays (e.g. ``"瑞安市民政局"``).
        centre: The id of the centre that delivers it.
        programmes: The ids of the programmes whose sessions and records count towards it.
        period: The contract period; it must have an end (``until``).
        budget: The contract amount in yuan (元).
        targets: The targets over the period.

    Example:
        >>> from datetime import date
        >>> p = FundedProject(id="p1", name="快乐四点半", funder="区民政局", centre="yucai",
        ...                   programmes=["yucai-430"], budget=100_000,
        ...                   period=Period(start=date(2013, 9, 1), until=date(2014, 1, 31)),
        ...                   targets=KpiTargets(sessions=80))
        >>> p.period.until, p.targets.sessions
        (datetime.date(2014, 1, 31), 80)
    """

    collection: ClassVar[str] = "projects"

    name: str = Field(min_length=1)
    funder: str = Field(min_length=1)
    centre: EntityId
    programmes: UniqueSet[EntityId] = Field(min_length=1)
    period: Period
    budget: NonNegativeInt
    targets: KpiTargets = KpiTargets()

    @model_validator(mode="after")
    def _bounded(self) -> Self:
        if self.period.until is None:
            msg = "a funded project's period needs an end (period.until)"
            raise ValueError(msg)
        return self

    @property
    def end(self) -> date:
        """The last day of the project's period."""
        until = self.period.until
        return self.period.start if until is None else until  # never None: checked on construction
