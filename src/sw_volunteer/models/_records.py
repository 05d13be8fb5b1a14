"""Time-bound records about people: absences and volunteer service records."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import ClassVar, Self

from pydantic import AwareDatetime, model_validator

from sw_volunteer.models._base import Entity, quasi_identifier, sensitive
from sw_volunteer.models._schedule import Schedule
from sw_volunteer.types import EntityId
from sw_volunteer.vocab import AbsenceReason, ActivityRole, Sensitivity

__all__ = ["Absence", "ServiceRecord"]


class Absence(Entity):
    """A time when a social worker or volunteer is away: leave, sickness, a one-off.

    Attributes:
        person: The id of the social worker or volunteer who is away.
        schedule: When: a block of days ([`Schedule.days`][sw_volunteer.models.Schedule.days]), a
            single session or a recurring pattern ("no Fridays in exam month").
        reason: Why (health-sensitive: a sickness is never shown in ``repr``).
        cover: For a supervising social worker, the colleague designated to cover
            their supervisees while they are away.

    Example:
        >>> from datetime import date
        >>> two_weeks = Schedule.days(date(2013, 11, 4), date(2013, 11, 17), timezone="Etc/UTC")
        >>> leave = Absence(
        ...     id="leave-w1",
        ...     person="w1",
        ...     schedule=two_weeks,
        ...     reason="leave",
        ...     cover="w2",
        ... )
        >>> leave.cover
        'w2'
    """

    collection: ClassVar[str] = "absences"

    person: EntityId
    schedule: Schedule
    reason: AbsenceReason = sensitive(
        Sensitivity.HEALTH, AbsenceReason.OTHER, description="Why the person is away."
    )
    cover: EntityId | None = None

    @model_validator(mode="after")
    def _not_self(self) -> Self:
        if self.cover is not None and self.cover == self.person:
            msg = "a person cannot cover for themselves"
            raise ValueError(msg)
        return self


class ServiceRecord(Entity):
    """Time a volunteer served (《志愿服务条例》 Art. 19), the basis of hours and star levels.

    Records are kept at least ten years (GB/T 40143-2021); the volunteer's id should be
    their national volunteer number or another stable key, never an ID-card number.

    Attributes:
        volunteer: The id of the volunteer.
        activity: The id of the activity (for a recurring activity, the session is the
            occurrence the record falls in).
        start: When the service began (timezone-aware).
        end: When it ended (after ``start``).
        role: What the volunteer did.
        supervisor: The id of the social worker who supervised the service, if any.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2013, 11, 18, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> ServiceRecord(
        ...     id="r1", volunteer="v1", activity="a1", start=at, end=at + timedelta(minutes=90)
        ... ).duration
        datetime.timedelta(seconds=5400)
    """

    collection: ClassVar[str] = "service_records"

    volunteer: EntityId = quasi_identifier("link", ...)
    activity: EntityId
    start: AwareDatetime
    end: AwareDatetime
    role: ActivityRole = ActivityRole.SUPPORT
    supervisor: EntityId | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end.timestamp() <= self.start.timestamp():  # instants, not wall clocks
            msg = "the service record ends before it starts (end <= start)"
            raise ValueError(msg)
        return self

    @property
    def duration(self) -> timedelta:
        """The elapsed time served."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)
