"""Time-bound records about people: absences and volunteer service records."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import ClassVar, Self

from pydantic import AwareDatetime, Field, PositiveInt, model_validator

from sw_volunteer.models._base import Entity, Model, quasi_identifier, sensitive
from sw_volunteer.models._schedule import Schedule
from sw_volunteer.types import EntityId, UniqueSet
from sw_volunteer.vocab import (
    AbsenceReason,
    ActivityRole,
    CertificationLevel,
    Sensitivity,
    SupervisionFormat,
    SupervisorOrigin,
    TrainingKind,
)

__all__ = [
    "Absence",
    "ExternalSupervisor",
    "ServiceRecord",
    "SupervisionSession",
    "TrainingRecord",
]


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


# -- supervision sessions and training records ----------------------------------------


class ExternalSupervisor(Model):
    """A supervisor from outside the centre (外部督导): Hong Kong, a university, ...

    External supervisors are not on a centre's roster, so they are described here, in
    the session, with the qualification they declare. Like a social worker's, their
    name is their professional one and is not treated as sensitive.

    Attributes:
        name: How the supervisor is called in the record, e.g. ``"陈某（香港）"``.
        origin: Where they come from.
        affiliation: Their organisation or university, if recorded.
        qualification: The qualification they declare, in words (e.g. ``"香港注册社工，
            督导经验 10 年"``); a pack may accept external supervisors whose
            qualification is declared (``supervisor_qualification.accept_external``).
        certification: Their mainland qualification level, if they hold one.
        years_of_practice: Their years of social-work practice, if declared.

    Example:
        >>> ExternalSupervisor(name="陈某", origin="hong_kong").origin.label("zh")
        '香港督导'
    """

    name: str = Field(min_length=1)
    origin: SupervisorOrigin = SupervisorOrigin.OTHER
    affiliation: str | None = Field(default=None, min_length=1)
    qualification: str | None = Field(default=None, min_length=1)
    certification: CertificationLevel = CertificationLevel.NONE
    years_of_practice: float | None = Field(default=None, ge=0, allow_inf_nan=False)


class SupervisionSession(Entity):
    """A supervision session (督导记录): when, how long, who supervised whom, on what.

    The supervision edges ([`Supervision`][sw_volunteer.models.Supervision]) say who is
    responsible for whom; sessions say what supervision actually took place, and are
    what the monthly supervision-hours rule counts.

    Attributes:
        start: When the session began (timezone-aware).
        minutes: How long it lasted.
        format: ``individual`` (one supervisee) or ``group``.
        supervisor: The id of the social worker who supervised, for an internal
            supervisor; ``None`` when ``external`` is given.
        external: The external supervisor, when the supervisor is not on a roster.
        supervisees: Ids of the social workers (and, optionally, volunteers) supervised.
        topic: What was discussed. Supervision discusses cases, so the topic may hold
            case content: it is free text, never shown in ``repr`` and dropped by
            redaction.

    Example:
        >>> from zoneinfo import ZoneInfo
        >>> from datetime import datetime
        >>> at = datetime(2013, 11, 8, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> s = SupervisionSession(
        ...     id="sup-1", start=at, minutes=90, format="group",
        ...     external=ExternalSupervisor(name="陈某", origin="hong_kong"),
        ...     supervisees=["w1", "w2"],
        ... )
        >>> s.hours, s.is_external
        (1.5, True)
        >>> SupervisionSession(id="x", start=at, minutes=60, supervisor="w1", supervisees=["w1"])
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for SupervisionSession
        ...
    """

    collection: ClassVar[str] = "supervision_sessions"

    start: AwareDatetime
    minutes: PositiveInt
    format: SupervisionFormat = SupervisionFormat.INDIVIDUAL
    supervisor: EntityId | None = None
    external: ExternalSupervisor | None = None
    supervisees: UniqueSet[EntityId] = Field(min_length=1)
    topic: str | None = sensitive(
        Sensitivity.FREE_TEXT, description="What was discussed (may hold case content)."
    )

    @model_validator(mode="after")
    def _valid(self) -> Self:
        if (self.supervisor is None) == (self.external is None):
            msg = "give either supervisor (a social worker's id) or external, not both or neither"
            raise ValueError(msg)
        if self.supervisor is not None and self.supervisor in self.supervisees:
            msg = "a person cannot supervise themselves"
            raise ValueError(msg)
        if self.format is SupervisionFormat.INDIVIDUAL and len(self.supervisees) != 1:
            msg = "an individual session has exactly one supervisee; use format 'group'"
            raise ValueError(msg)
        return self

    @property
    def hours(self) -> float:
        """The session's length in hours."""
        return self.minutes / 60

    @property
    def is_external(self) -> bool:
        """Whether the supervisor came from outside the centre."""
        return self.external is not None

    @property
    def day(self) -> date:
        """The day the session took place (in its own timezone)."""
        return self.start.date()


class TrainingRecord(Entity):
    """Training a social worker or volunteer completed: induction or continuing education.

    Volunteers' induction training (岗前培训) and social workers' continuing education
    (继续教育学时, 《社会工作者继续教育办法》, 民发〔2009〕123号) are both counted in hours
    from these records.

    A volunteer's ``trained`` flag stays what it was: the centre's statement that the
    volunteer completed its induction. A document with ``trained: true`` and no
    training records still loads and means "trained, hours not recorded"; the
    induction-hours rule accepts it unless the pack asks for records.

    Attributes:
        person: The id of the social worker or volunteer trained.
        kind: What the training counts towards.
        completed_on: The day the training was completed (it counts from that day).
        hours: Hours of training (学时).
        title: The course or training, in words.
        provider: Who gave it (a 继续教育 provider, the centre itself, ...).

    Example:
        >>> TrainingRecord(id="t1", person="v1", kind="induction",
        ...                completed_on=date(2013, 3, 2), hours=4).hours
        4.0
    """

    collection: ClassVar[str] = "training_records"

    person: EntityId
    kind: TrainingKind
    completed_on: date = quasi_identifier("date", ...)
    hours: float = Field(gt=0, le=10_000, allow_inf_nan=False)
    title: str | None = Field(default=None, min_length=1)
    provider: str | None = Field(default=None, min_length=1)
