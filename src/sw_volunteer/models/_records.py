"""Time-bound records about people: absences and volunteer service records.

A service record (志愿服务记录) holds what the record-keeping rules ask for: the
activity, date, place (地点), recipients (服务对象), content (服务内容), time served
(服务时间, travel excluded), the evaluation (服务质量评价), the person in charge
(活动负责人) and the recorder (记录人). Which of these a rule pack requires, and from
which day, is for the packs to say (rule kind ``service_record_fields``).

A record is never overwritten. A correction asked for by the volunteer or the
organisation ([`RecordCorrection`][sw_volunteer.models.RecordCorrection]: who asked, why, when, what
changes) is appended to the record's ``corrections``;
[`ServiceRecord.effective`][sw_volunteer.models.ServiceRecord.effective] is the record as corrected
(the latest correction of each field wins), and the original values stay in the record's own fields.
"""

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
    "RecordCorrection",
    "ServiceRecord",
    "SupervisionSession",
    "TrainingRecord",
]

REDACTED = "（已删除）"
"""What redaction leaves in a record's free-text item that held text (its presence stays)."""

_CORRECTABLE = (
    "start",
    "end",
    "content",
    "place",
    "recipients",
    "evaluation",
    "in_charge",
    "recorder",
    "travel_minutes",
    "void",
)


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


class RecordCorrection(Model):
    """A correction of a service record, asked for by someone, with its reason.

    Every field after ``reason`` is ``None`` when the correction leaves it as it was.
    A correction that sets ``void`` to true withdraws a record entered in error (it then
    counts nowhere); one that sets it to false restores it.

    Attributes:
        at: When the correction was made (timezone-aware).
        requested_by: Who asked for it: the volunteer's id, or a social worker's.
        reason: Why (free text; never shown in ``repr``). Empty when not given: a rule
            of the packs reports corrections without a reason.
        made_by: The id of the person who entered the correction, if known.
        start: The corrected start.
        end: The corrected end.
        content: The corrected 服务内容.
        place: The corrected 地点.
        recipients: The corrected 服务对象.
        evaluation: The corrected 服务质量评价.
        in_charge: The corrected 活动负责人.
        recorder: The corrected 记录人.
        travel_minutes: The corrected travel time inside ``start``-``end``.
        void: True withdraws the record, false restores it.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2013, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> fix = RecordCorrection(at=at, requested_by="v1", reason="left at 17:30")
        >>> fix.requested_by, "left at" in repr(fix)
        ('v1', False)
    """

    at: AwareDatetime
    requested_by: EntityId
    reason: str = sensitive(
        Sensitivity.FREE_TEXT,
        "",
        description="Why the record was corrected (free text).",
        redacted_as=REDACTED,
    )
    made_by: EntityId | None = None
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    content: str | None = None
    place: str | None = None
    recipients: str | None = sensitive(
        Sensitivity.FREE_TEXT,
        description="The corrected 服务对象 (free text).",
        redacted_as=REDACTED,
    )
    evaluation: str | None = sensitive(
        Sensitivity.FREE_TEXT,
        description="The corrected 服务质量评价 (free text).",
        redacted_as=REDACTED,
    )
    in_charge: EntityId | None = None
    recorder: EntityId | None = None
    travel_minutes: int | None = Field(default=None, ge=0)
    void: bool | None = None

    def changes(self) -> dict[str, object]:
        """The fields this correction sets, by name.

        Example:
            >>> from datetime import datetime, UTC
            >>> RecordCorrection(at=datetime(2013, 11, 20, tzinfo=UTC), requested_by="w1",
            ...                  reason="entered twice", void=True).changes()
            {'void': True}
        """
        return {
            name: getattr(self, name) for name in _CORRECTABLE if getattr(self, name) is not None
        }


class ServiceRecord(Entity):
    """Time a volunteer served (《志愿服务条例》 Art. 19), the basis of hours and star levels.

    Records are kept at least ten years (GB/T 40143-2021); the volunteer's id should be
    their national volunteer number or another stable key, never an ID-card number.
    The fields named in Chinese below are those of a 志愿服务记录 (see the module
    documentation); they are optional in the model, and required by the rule packs
    from the day the record-keeping rules in force say so.

    Attributes:
        volunteer: The id of the volunteer.
        activity: The id of the activity (for a recurring activity, the session is the
            occurrence the record falls in).
        start: When the service began (timezone-aware).
        end: When it ended (after ``start``).
        role: What the volunteer did.
        supervisor: The id of the social worker who supervised the service, if any.
        content: 服务内容, what was done.
        place: 地点, where.
        recipients: 服务对象, who was served, as a group ("四点半学校学生"); free text,
            never shown in ``repr`` and dropped by redaction (do not name clients here).
        evaluation: 服务质量评价, the evaluation of the service (free text).
        in_charge: 活动负责人, the id of the social worker in charge of the activity.
        recorder: 记录人, the id of the person who made the record.
        travel_minutes: Travel time (往返交通) inside ``start``-``end`` that the recorder
            noted; it is never counted as service time.
        void: Withdrawn as entered in error (only by a correction, normally).
        corrections: The corrections asked for since, in the order made; the fields
            above keep the original values (see ``effective``).

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
    content: str | None = None
    place: str | None = None
    recipients: str | None = sensitive(
        Sensitivity.FREE_TEXT,
        description="服务对象: who was served, as a group (free text).",
        redacted_as=REDACTED,
    )
    evaluation: str | None = sensitive(
        Sensitivity.FREE_TEXT,
        description="服务质量评价: the evaluation (free text).",
        redacted_as=REDACTED,
    )
    in_charge: EntityId | None = None
    recorder: EntityId | None = None
    travel_minutes: int = Field(default=0, ge=0)
    void: bool = False
    corrections: tuple[RecordCorrection, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end.timestamp() <= self.start.timestamp():  # instants, not wall clocks
            msg = "the service record ends before it starts (end <= start)"
            raise ValueError(msg)
        if self.travel_minutes * 60 >= self.end.timestamp() - self.start.timestamp():
            msg = "the travel time is as long as the whole record (travel_minutes)"
            raise ValueError(msg)
        return self

    @property
    def duration(self) -> timedelta:
        """The elapsed time from start to end (travel included, if any was noted)."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    @property
    def service_time(self) -> timedelta:
        """The time counted as service: ``duration`` minus the noted travel."""
        return self.duration - timedelta(minutes=self.travel_minutes)

    def corrected(self, correction: RecordCorrection) -> ServiceRecord:
        """A copy with ``correction`` appended; this record's values are unchanged.

        Raises:
            ValueError: The record as corrected would be invalid (ends before it starts).
        """
        changed = self.model_copy(update={"corrections": (*self.corrections, correction)})
        changed.effective()  # validate the corrected values now, not at the next read
        return changed

    def effective(self) -> ServiceRecord:
        """The record as corrected: each field from the latest correction that sets it.

        The corrections are applied in the order of their time ``at`` (ties in the
        order listed). Without corrections this is the record itself.

        Example:
            >>> from datetime import datetime
            >>> from zoneinfo import ZoneInfo
            >>> at = datetime(2013, 11, 18, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
            >>> r = ServiceRecord(id="r1", volunteer="v1", activity="a1", start=at,
            ...                   end=at + timedelta(minutes=90))
            >>> fixed = r.corrected(RecordCorrection(
            ...     at=at + timedelta(days=2), requested_by="v1", reason="left early",
            ...     end=at + timedelta(hours=1)))
            >>> fixed.effective().duration, fixed.duration
            (datetime.timedelta(seconds=3600), datetime.timedelta(seconds=5400))
        """
        if not self.corrections:
            return self
        update: dict[str, object] = {}
        for c in sorted(self.corrections, key=lambda c: c.at.timestamp()):
            update.update(c.changes())
        return type(self).model_validate({**dict(self), **update})


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
