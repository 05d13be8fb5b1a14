"""The parameter models of the built-in rule kinds (their field names are a stable contract).

Example:
    >>> ClientAdultRatio(need="intellectual_disability", setting="outing",
    ...                  max_clients_per_adult=2).max_group_size is None
    True
"""

from __future__ import annotations

from pydantic import Field, PositiveInt, field_validator

from sw_volunteer.models import Model
from sw_volunteer.types import Ratio
from sw_volunteer.vocab import (
    ActivityKind,
    CertificationLevel,
    ClientNeed,
    Setting,
    SupervisionKind,
)

__all__ = [
    "AdultsPresent",
    "BackgroundCheckForChildren",
    "CaseloadLimit",
    "ClientAdultRatio",
    "ContinuingEducation",
    "GuardianConsent",
    "InsuranceForRiskyActivities",
    "KindStaffing",
    "MaxSupervisees",
    "MinimumVolunteerAge",
    "MinorsAccompanied",
    "NoMinorsInRiskyActivities",
    "NoParams",
    "SupervisionHours",
    "SupervisorQualification",
    "VolunteerInduction",
]


class NoParams(Model):
    """For kinds that take no parameters (``no_supervision_cycles``, ...).

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("no_supervision_cycles").params_model is NoParams
        True
        >>> NoParams().model_dump()
        {}
    """


class MaxSupervisees(Model):
    """At most ``limit`` supervisees per supervisor.

    For ``max_workers_per_supervisor``, ``max_volunteers_per_supervisor`` and
    ``max_volunteers_on_shift_per_worker``.

    Attributes:
        limit: The largest allowed number.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("max_volunteers_per_supervisor").params_model is MaxSupervisees
        True
        >>> params = MaxSupervisees(limit=25)
        >>> params.limit
        25
    """

    limit: PositiveInt


class SupervisorQualification(Model):
    """``supervisor_qualification``: who may supervise a given kind of supervisee.

    Attributes:
        supervisee_kind: ``professional`` (supervising social workers) or ``guidance``
            (guiding volunteers).
        min_level: The lowest certification the supervisor must hold.
        min_years: Years of practice the supervisor must have completed.
        accept_external: For ``professional``: whether an external supervisor (香港督导,
            a university teacher, ...) of a supervision session in the month checked is
            accepted on their declared qualification. When ``False`` (the default) an
            external supervisor is held to ``min_level`` and ``min_years`` like a
            colleague, and one without a mainland level is reported.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("supervisor_qualification").params_model is SupervisorQualification
        True
        >>> params = SupervisorQualification(
        ...     supervisee_kind="professional", min_level="intermediate", min_years=3
        ... )
        >>> params.min_level.label("zh"), params.min_years
        ('社会工作师', 3.0)
    """

    supervisee_kind: SupervisionKind
    min_level: CertificationLevel = CertificationLevel.ASSISTANT
    min_years: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    accept_external: bool = False


class CaseloadLimit(Model):
    """``caseload_limit``: at most ``max_cases`` active cases of clients with ``need``.

    Attributes:
        need: The client need the limit applies to; a case counts when the client has it.
        max_cases: The largest caseload per social worker.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("caseload_limit").params_model is CaseloadLimit
        True
        >>> params = CaseloadLimit(need="drug_rehabilitation", max_cases=30)
        >>> params.need.label("zh"), params.max_cases
        ('社区戒毒康复人员', 30)
    """

    need: ClientNeed
    max_cases: PositiveInt


class ClientAdultRatio(Model):
    """``client_adult_ratio``: clients per counted adult, by client need and setting.

    The rule applies to a session whose clients include someone with ``need``; counted
    adults are the ones [`AdultsPresent`][sw_volunteer.rules.AdultsPresent] counts in the same pack.

    Attributes:
        need: The client need.
        setting: Where the session takes place.
        max_clients_per_adult: The most clients one adult may look after.
        max_group_size: The most clients in one group, if capped.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("client_adult_ratio").params_model is ClientAdultRatio
        True
        >>> params = ClientAdultRatio(
        ...     need="psychiatric_rehabilitation", setting="outing", max_clients_per_adult=2
        ... )
        >>> params.max_clients_per_adult, params.max_group_size
        (2.0, None)
    """

    need: ClientNeed
    setting: Setting
    max_clients_per_adult: Ratio
    max_group_size: PositiveInt | None = None


class KindStaffing(Model):
    """The staffing ``adults_present`` asks of one kind of activity.

    Attributes:
        min_adults: Fewest counted adults in a session of the kind with clients.
        min_certified_workers: Fewest certified social workers present.

    Example:
        >>> KindStaffing(min_adults=1, min_certified_workers=1).min_adults
        1
    """

    min_adults: int = Field(ge=0)
    min_certified_workers: int = Field(ge=0)


class AdultsPresent(Model):
    """``adults_present``: who must be there when clients are, and who counts as an adult.

    Attributes:
        min_adults: Fewest counted adults in a session with clients.
        min_certified_workers: Fewest certified social workers present.
        volunteer_weight: How much a trained adult volunteer counts (a social worker
            counts 1); 0 counts only social workers.
        adult_age: The age from which a volunteer is an adult. Minors never count.
        by_kind: The staffing of the kinds of activity that differ from the general
            rule (e.g. casework: one certified social worker; a home visit: two
            adults, volunteers or social workers). A session whose ``kind`` is not
            listed, or not said, takes ``min_adults`` and ``min_certified_workers``.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("adults_present").params_model is AdultsPresent
        True
        >>> params = AdultsPresent()
        >>> params.min_adults, params.min_certified_workers, params.adult_age
        (2, 1, 18)
    """

    min_adults: int = Field(default=2, ge=0)
    min_certified_workers: int = Field(default=1, ge=0)
    volunteer_weight: float = Field(default=1.0, ge=0, le=1, allow_inf_nan=False)
    adult_age: int = Field(default=18, ge=1, le=30)
    by_kind: dict[ActivityKind, KindStaffing] = Field(default_factory=dict)

    def staffing(self, kind: ActivityKind | None) -> KindStaffing:
        """The staffing asked of a session of ``kind`` (``None``: the general rule).

        Example:
            >>> params = AdultsPresent(
            ...     by_kind={"casework": {"min_adults": 1, "min_certified_workers": 1}}
            ... )
            >>> params.staffing(ActivityKind.CASEWORK).min_adults, params.staffing(None).min_adults
            (1, 2)
        """
        found = self.by_kind.get(kind) if kind is not None else None
        if found is not None:
            return found
        return KindStaffing(
            min_adults=self.min_adults, min_certified_workers=self.min_certified_workers
        )


class MinimumVolunteerAge(Model):
    """``minimum_volunteer_age``: no volunteers younger than ``min_age`` on the roster.

    Attributes:
        min_age: The youngest age accepted.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("minimum_volunteer_age").params_model is MinimumVolunteerAge
        True
        >>> params = MinimumVolunteerAge(min_age=6)
        >>> params.min_age
        6
    """

    min_age: int = Field(ge=0, le=30)


class GuardianConsent(Model):
    """``guardian_consent``: volunteers under ``under_age`` need a guardian's written consent.

    Attributes:
        under_age: Consent is needed below this age.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("guardian_consent").params_model is GuardianConsent
        True
        >>> params = GuardianConsent()
        >>> params.under_age
        18
    """

    under_age: int = Field(default=18, ge=1, le=30)


class MinorsAccompanied(Model):
    """``minors_accompanied``: young volunteers serve only with an adult present.

    An adult volunteer or a social worker must be in the same session.

    Attributes:
        under_age: Accompaniment is needed below this age.
        adult_age: The age from which a volunteer is an adult.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("minors_accompanied").params_model is MinorsAccompanied
        True
        >>> params = MinorsAccompanied(under_age=10)
        >>> params.under_age, params.adult_age
        (10, 18)
    """

    under_age: int = Field(ge=1, le=30)
    adult_age: int = Field(default=18, ge=1, le=30)


class NoMinorsInRiskyActivities(Model):
    """``no_minors_in_risky_activities``: no volunteer under ``adult_age`` in a risky activity.

    Attributes:
        adult_age: The age from which a volunteer is an adult.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("no_minors_in_risky_activities").params_model is NoMinorsInRiskyActivities
        True
        >>> params = NoMinorsInRiskyActivities()
        >>> params.adult_age
        18
    """

    adult_age: int = Field(default=18, ge=1, le=30)


class InsuranceForRiskyActivities(Model):
    """``insurance_for_risky_activities``: every volunteer in a risky activity is insured.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> kind = get_rule_kind("insurance_for_risky_activities")
        >>> kind.params_model is InsuranceForRiskyActivities
        True
        >>> InsuranceForRiskyActivities().model_dump()
        {}
    """


class BackgroundCheckForChildren(Model):
    """``background_check_for_children``: volunteers in sessions with children were checked.

    Attributes:
        valid_years: How long a check stays valid; ``None``: forever.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> kind = get_rule_kind("background_check_for_children")
        >>> kind.params_model is BackgroundCheckForChildren
        True
        >>> params = BackgroundCheckForChildren(valid_years=3)
        >>> params.valid_years
        3.0
    """

    valid_years: float | None = Field(default=None, gt=0, allow_inf_nan=False)


class SupervisionHours(Model):
    """``supervision_hours_per_month``: supervision each social worker receives in a month.

    The month checked is the last full calendar month by the day checked: the day's own
    month when the day is its last, else the month before. Sessions count for each
    social worker among their supervisees (a group session's hours count
    ``group_weight`` times for each).

    Attributes:
        min_hours: The fewest hours of supervision per social worker per month.
        group_weight: How much an hour of group supervision counts (an individual hour
            counts 1).
        min_level: Only social workers at this certification level or above must
            receive it (``none``: every social worker).

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("supervision_hours_per_month").params_model is SupervisionHours
        True
        >>> SupervisionHours(min_hours=2).group_weight
        1.0
    """

    min_hours: float = Field(gt=0, le=200, allow_inf_nan=False)
    group_weight: float = Field(default=1.0, ge=0, le=1, allow_inf_nan=False)
    min_level: CertificationLevel = CertificationLevel.NONE


class ContinuingEducation(Model):
    """``continuing_education_hours``: 继续教育学时 per registration period, by level.

    A registration period (登记有效期) runs ``period_years`` from the day the level was
    obtained (``certified_on``) and again from each anniversary; the rule looks at the
    last period that ended on or before the day checked.

    Attributes:
        hours: The fewest hours per period for each certification level; levels not
            listed need none.
        period_years: The length of a registration period in years.

    Example:
        >>> params = ContinuingEducation(hours={"assistant": 72, "intermediate": 90})
        >>> params.hours[CertificationLevel.ASSISTANT], params.period_years
        (72.0, 3)
        >>> ContinuingEducation(hours={"none": 10})
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for ContinuingEducation
        ...
    """

    hours: dict[CertificationLevel, float] = Field(min_length=1)
    period_years: int = Field(default=3, ge=1, le=10)

    @field_validator("hours")
    @classmethod
    def _positive(cls, value: dict[CertificationLevel, float]) -> dict[CertificationLevel, float]:
        if any(not 0 < h <= 10_000 for h in value.values()):  # noqa: PLR2004 - a sanity bound
            msg = "hours must be more than 0 and at most 10000"
            raise ValueError(msg)
        if CertificationLevel.NONE in value:
            msg = "continuing education applies to certified levels only, not 'none'"
            raise ValueError(msg)
        return value


class VolunteerInduction(Model):
    """``volunteer_induction_hours``: induction training of volunteers on the roster.

    Induction hours are the ``induction`` training records completed by the day
    checked. A volunteer with no such record and ``trained: true`` (a document from
    before training records) is accepted unless ``records_required``.

    Attributes:
        min_hours: The fewest hours of induction training.
        records_required: Whether ``trained: true`` without records falls short too.

    Example:
        >>> VolunteerInduction(min_hours=4).records_required
        False
    """

    min_hours: float = Field(gt=0, le=1000, allow_inf_nan=False)
    records_required: bool = False
