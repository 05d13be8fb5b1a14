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

from datetime import UTC, timedelta
from typing import ClassVar, Self

from pydantic import AwareDatetime, Field, model_validator

from sw_volunteer.models._base import Entity, Model, quasi_identifier, sensitive
from sw_volunteer.models._schedule import Schedule
from sw_volunteer.types import EntityId
from sw_volunteer.vocab import AbsenceReason, ActivityRole, Sensitivity

__all__ = ["Absence", "RecordCorrection", "ServiceRecord"]

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
