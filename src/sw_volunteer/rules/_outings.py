"""Rule kinds for outings and risky activities: the papers on file and the transport.

- ``outing_guardian_consent``: every client of an outing (or risky activity) who is
  a minor or has one of the pack's needs has a guardian's written consent
  (监护人知情同意书) signed on or before the day; one violation per client without one;
- ``outing_risk_papers``: the activity has each paper the pack names (风险评估,
  应急预案), dated on or before its day; one violation per paper missing
  (``risk_assessment_missing``, ``emergency_plan_missing``);
- ``outing_transport``: when an activity lists vehicles, everyone going has a seat
  (车辆座位) and every vehicle has a qualified driver (驾驶员).

An activity is in scope when its setting is one of the pack's ``settings`` or, with
``risky: true``, when it is marked risky. As in `sw_volunteer.rules._builtin`,
evaluators detect only: the text of each code is in the template table.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from pydantic import Field

from sw_volunteer.models import Activity, Model
from sw_volunteer.rules._context import CheckContext
from sw_volunteer.rules._day_facts import session_scope
from sw_volunteer.rules._declarations import Rule, rule_kind
from sw_volunteer.rules._violations import (
    Violation,
    rule_violation,
    session_context,
    simple_remedy,
)
from sw_volunteer.types import UniqueSet
from sw_volunteer.vocab import ClientNeed, OutingPaper, Qualification, Setting

__all__ = ["OutingConsent", "OutingPapers", "OutingTransport"]


class _Scope(Model):
    settings: UniqueSet[Setting] = frozenset({Setting.OUTING})
    risky: bool = True

    def covers(self, activity: Activity) -> bool:
        return activity.setting in self.settings or (self.risky and activity.risky)


class OutingConsent(_Scope):
    """``outing_guardian_consent``: guardians consented in writing for the clients who need it.

    Attributes:
        needs: Clients with any of these needs need a guardian's consent.
        minors: Clients younger than ``adult_age`` on the day need one too (a client
            whose birth date is unknown is not taken for a minor).
        adult_age: The age of majority.
        settings: The settings of the activities checked.
        risky: Activities marked risky are checked too, whatever their setting.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> get_rule_kind("outing_guardian_consent").params_model is OutingConsent
        True
        >>> sorted(OutingConsent().settings)
        [<Setting.OUTING: 'outing'>]
    """

    needs: UniqueSet[ClientNeed] = frozenset()
    minors: bool = True
    adult_age: int = Field(default=18, ge=1, le=30)


class OutingPapers(_Scope):
    """``outing_risk_papers``: a risk assessment and an emergency plan before the day.

    Attributes:
        papers: The papers each activity checked needs (not ``guardian_consent``,
            which is per client: see ``outing_guardian_consent``).
        settings: The settings of the activities checked.
        risky: Activities marked risky are checked too, whatever their setting.

    Example:
        >>> OutingPapers(papers=["risk_assessment"]).papers
        (<OutingPaper.RISK_ASSESSMENT: 'risk_assessment'>,)
    """

    papers: tuple[OutingPaper, ...] = (OutingPaper.RISK_ASSESSMENT, OutingPaper.EMERGENCY_PLAN)


class OutingTransport(Model):
    """``outing_transport``: seats for everyone going and a qualified driver per vehicle.

    Only activities that list vehicles (``transport``) are checked.

    Attributes:
        qualification: What a driver from the network must hold.
        adult_age: The age a volunteer who drives must have reached.

    Example:
        >>> OutingTransport().qualification.label("zh")
        '机动车驾驶证'
    """

    qualification: Qualification = Qualification.DRIVING
    adult_age: int = Field(default=18, ge=16, le=30)


def _violation(
    rule: Rule,
    code: str,
    activity: Activity,
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
        (activity.id, *entities),
        session_context(activity, **context),
        observed=observed,
        limit=limit,
        remedy=simple_remedy(remedy_kind, remedy_context),
        activity=activity,
    )


def _on_file(day: date | None, activity_day: date) -> bool:
    return day is not None and day <= activity_day


@rule_kind(
    "outing_guardian_consent",
    OutingConsent,
    scope="activity",
    codes=("client_consent_missing",),
    description="guardians' written consent for the clients of outings who need it",
)
@session_scope(lambda params, activity: params.covers(activity))
def _consent(
    rule: Rule, params: OutingConsent, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    if not params.covers(activity):
        return
    day = activity.start.date()
    consented = {c.client for c in activity.guardian_consents if c.signed_on <= day}
    clients = ctx.clients_by_id
    for client_id in sorted(activity.clients - consented):
        client = clients[client_id]
        age = client.age_on(day)
        minor = params.minors and age is not None and age < params.adult_age
        if not minor and not client.needs & params.needs:
            continue
        yield _violation(
            rule,
            "client_consent_missing",
            activity,
            (client_id,),
            {"client": client_id, "paper": OutingPaper.GUARDIAN_CONSENT.value},
            observed=0,
            limit=1,
            remedy_kind="get_guardian_consent",
            remedy_context={"client": client_id, "day": day.isoformat()},
        )


@rule_kind(
    "outing_risk_papers",
    OutingPapers,
    scope="activity",
    codes=("risk_assessment_missing", "emergency_plan_missing"),
    description="a risk assessment and an emergency plan for outings and risky activities",
)
@session_scope(lambda params, activity: params.covers(activity))
def _papers(
    rule: Rule, params: OutingPapers, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    del ctx
    if not params.covers(activity):
        return
    day = activity.start.date()
    dated = {
        OutingPaper.RISK_ASSESSMENT: activity.risk_assessment_on,
        OutingPaper.EMERGENCY_PLAN: activity.emergency_plan_on,
    }
    for paper in params.papers:
        if paper is OutingPaper.GUARDIAN_CONSENT or _on_file(dated[paper], day):
            continue
        yield _violation(
            rule,
            f"{paper.value}_missing",
            activity,
            (),
            {"paper": paper.value},
            observed=0,
            limit=1,
            remedy_kind="prepare_paper",
            remedy_context={"paper": paper.value, "day": day.isoformat()},
        )


def _qualified_driver(driver: str, params: OutingTransport, day: date, ctx: CheckContext) -> bool:
    worker = ctx.workers_by_id.get(driver)
    if worker is not None:
        return params.qualification in worker.qualifications
    volunteer = ctx.volunteers_by_id.get(driver)
    return (
        volunteer is not None
        and params.qualification in volunteer.qualifications
        and volunteer.is_adult_on(day, adult_age=params.adult_age)
    )


@rule_kind(
    "outing_transport",
    OutingTransport,
    scope="activity",
    codes=("transport_seats_short", "vehicle_driver_missing"),
    description="seats for everyone going and a qualified driver for every vehicle",
)
@session_scope(lambda _, activity: bool(activity.transport))
def _transport(
    rule: Rule, params: OutingTransport, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    if not activity.transport:
        return
    day = activity.start.date()
    going = len(activity.participants) + activity.extra_clients
    drivers = {v.driver for v in activity.transport if v.driver is not None}
    passengers = going - len(drivers & activity.participants)
    seats = sum(v.passenger_seats for v in activity.transport)
    if passengers > seats:
        short = passengers - seats
        yield _violation(
            rule,
            "transport_seats_short",
            activity,
            (),
            {"going": passengers, "seats": seats, "short": short},
            observed=passengers,
            limit=seats,
            remedy_kind="more_seats",
            remedy_context={"short": short},
        )
    for vehicle in activity.transport:
        if vehicle.hired_driver:
            continue
        if vehicle.driver is not None and _qualified_driver(vehicle.driver, params, day, ctx):
            continue
        yield _violation(
            rule,
            "vehicle_driver_missing",
            activity,
            () if vehicle.driver is None else (vehicle.driver,),
            {"vehicle": vehicle.name, "driver": vehicle.driver or ""},
            observed=0,
            limit=1,
            remedy_kind="qualified_driver",
            remedy_context={"vehicle": vehicle.name, "qualification": params.qualification.value},
        )
