"""The built-in rule kinds: their registrations and evaluators."""

# ruff: noqa: ARG001 - evaluators are being filled in

from __future__ import annotations

from collections.abc import Iterator

from sw_volunteer.models import Activity
from sw_volunteer.rules._context import CheckContext
from sw_volunteer.rules._declarations import Rule, rule_kind
from sw_volunteer.rules._params import (
    AdultsPresent,
    BackgroundCheckForChildren,
    CaseloadLimit,
    ClientAdultRatio,
    GuardianConsent,
    InsuranceForRiskyActivities,
    MaxSupervisees,
    MinimumVolunteerAge,
    MinorsAccompanied,
    NoMinorsInRiskyActivities,
    NoParams,
    SupervisorQualification,
)
from sw_volunteer.rules._violations import Violation

__all__: list[str] = []


@rule_kind(
    "max_workers_per_supervisor",
    MaxSupervisees,
    codes=("supervisor_overloaded_workers",),
    description="social workers per supervisor",
)
def _max_workers(rule: Rule, params: MaxSupervisees, ctx: CheckContext) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "max_volunteers_per_supervisor",
    MaxSupervisees,
    codes=("supervisor_overloaded_volunteers",),
    description="volunteers guided per social worker",
)
def _max_volunteers(rule: Rule, params: MaxSupervisees, ctx: CheckContext) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "max_volunteers_on_shift_per_worker",
    MaxSupervisees,
    scope="activity",
    codes=("too_many_volunteers_on_shift",),
    description="volunteers on shift per social worker present",
)
def _on_shift(
    rule: Rule, params: MaxSupervisees, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "supervisor_qualification",
    SupervisorQualification,
    codes=("supervisor_underqualified",),
    description="certification and years of practice of supervisors",
)
def _qualification(
    rule: Rule, params: SupervisorQualification, ctx: CheckContext
) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "supervisor_level_at_least_supervisee",
    NoParams,
    codes=("supervisor_below_supervisee",),
    description="a supervisor's level is at least the supervisee's",
)
def _level(rule: Rule, params: NoParams, ctx: CheckContext) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "no_supervision_cycles",
    NoParams,
    codes=("supervision_cycle",),
    description="no cycles in the supervision graph",
)
def _cycles(rule: Rule, params: NoParams, ctx: CheckContext) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "single_primary_supervisor",
    NoParams,
    codes=("multiple_primary_supervisors",),
    description="at most one primary supervisor at a time",
)
def _primary(rule: Rule, params: NoParams, ctx: CheckContext) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "every_volunteer_supervised",
    NoParams,
    codes=("volunteer_unsupervised",),
    description="every volunteer has a guiding social worker",
)
def _guided(rule: Rule, params: NoParams, ctx: CheckContext) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "caseload_limit",
    CaseloadLimit,
    codes=("caseload_exceeded",),
    description="active cases per social worker, by client need",
)
def _caseload(rule: Rule, params: CaseloadLimit, ctx: CheckContext) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "adults_present",
    AdultsPresent,
    scope="activity",
    codes=("too_few_adults", "no_certified_worker"),
    description="adults and certified social workers present in sessions with clients",
)
def _adults(
    rule: Rule, params: AdultsPresent, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "client_adult_ratio",
    ClientAdultRatio,
    scope="activity",
    codes=("client_adult_ratio_exceeded", "group_too_large"),
    description="clients per adult and group size, by client need and setting",
)
def _ratio(
    rule: Rule, params: ClientAdultRatio, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "minimum_volunteer_age",
    MinimumVolunteerAge,
    codes=("volunteer_too_young",),
    description="the youngest age a volunteer may be",
)
def _min_age(rule: Rule, params: MinimumVolunteerAge, ctx: CheckContext) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "guardian_consent",
    GuardianConsent,
    codes=("guardian_consent_missing",),
    description="a guardian's written consent for minor volunteers",
)
def _consent(rule: Rule, params: GuardianConsent, ctx: CheckContext) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "minors_accompanied",
    MinorsAccompanied,
    scope="activity",
    codes=("minor_unaccompanied",),
    description="young volunteers serve with an adult present",
)
def _accompanied(
    rule: Rule, params: MinorsAccompanied, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "no_minors_in_risky_activities",
    NoMinorsInRiskyActivities,
    scope="activity",
    codes=("minor_in_risky_activity",),
    description="no minor volunteers in risky activities",
)
def _risky_minors(
    rule: Rule, params: NoMinorsInRiskyActivities, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "insurance_for_risky_activities",
    InsuranceForRiskyActivities,
    scope="activity",
    codes=("insurance_missing",),
    description="accident insurance for volunteers in risky activities",
)
def _insurance(
    rule: Rule, params: InsuranceForRiskyActivities, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "background_check_for_children",
    BackgroundCheckForChildren,
    scope="activity",
    codes=("background_check_missing",),
    description="background checks for volunteers in sessions with children",
)
def _background(
    rule: Rule, params: BackgroundCheckForChildren, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    return iter(())


@rule_kind(
    "professional_tasks_qualified",
    NoParams,
    scope="activity",
    codes=("task_without_qualification",),
    description="professional tasks only for holders of the qualification",
)
def _tasks(
    rule: Rule, params: NoParams, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    return iter(())
