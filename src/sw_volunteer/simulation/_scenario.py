"""Scenario: the starting point, the stochastic processes and the interventions of a run.

Every rate has the default of the project's domain notes (volunteer dropout 6.5% a month
in the first six months then 3.5%, 5 hours a month in 3-hour shifts, 10% no-shows,
18% social-worker turnover a year); defaults marked *assumption* in the field
descriptions have no authoritative source and are there to be changed.

Example:
    >>> scenario = Scenario(
    ...     weeks=26,
    ...     centres=[CentreStart(id="yucai", workers=WorkerCounts(assistant=4), volunteers=78)],
    ... )
    >>> scenario.centres[0].funded_posts
    4
    >>> Scenario.model_validate_json(scenario.model_dump_json()) == scenario
    True
    >>> scenario.with_values({"no_show": 0.2, "centres.yucai.volunteers": 40}).centres[0].volunteers
    40
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal, Self

from pydantic import Field, NonNegativeInt, PositiveFloat, PositiveInt, model_validator

from sw_volunteer.errors import SimulationError
from sw_volunteer.models import Model, Network
from sw_volunteer.rules import DEFAULT_PACK, RulesLike, adults_of, pack, resolve_rules
from sw_volunteer.simulation._limits import SeverityFloor, StaffingLimits
from sw_volunteer.types import EntityId
from sw_volunteer.vocab import CertificationLevel, ClientNeed, Setting, SupervisionKind

__all__ = [
    "AddedPlaces",
    "CentreStart",
    "FundedPosts",
    "Intervention",
    "RecruitmentCampaign",
    "Scenario",
    "WorkerCounts",
    "expected_weeks_on_roster",
]

Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Rate = Annotated[float, Field(ge=0, allow_inf_nan=False)]

WEEKS_PER_YEAR = 52
WEEKS_PER_MONTH = 52 / 12


class WorkerCounts(Model):
    """Social workers by level of the national qualification.

    Attributes:
        none: Workers without the qualification.
        assistant: 助理社会工作师.
        intermediate: 社会工作师.
        senior: 高级社会工作师.
    """

    none: NonNegativeInt = 0
    assistant: NonNegativeInt = 0
    intermediate: NonNegativeInt = 0
    senior: NonNegativeInt = 0

    @property
    def total(self) -> int:
        """Every social worker."""
        return self.none + self.assistant + self.intermediate + self.senior

    def as_tuple(self) -> tuple[int, int, int, int]:
        """The counts from ``none`` to ``senior``."""
        return (self.none, self.assistant, self.intermediate, self.senior)


class CentreStart(Model):
    """One centre at the start of a scenario, and how it runs its sessions.

    Attributes:
        id: The centre's id.
        name: Its name, for displays.
        workers: Social workers employed, by level.
        posts: Funded posts; vacancies (posts - workers) are filled after a hiring delay.
            ``None``: as many as there are workers.
        external_supervisors: Supervisors from outside the centre who supervise its
            social workers (counted with its own supervisors).
        volunteers: Volunteers past their first months on the roster.
        new_volunteers: Volunteers still in their first months, by week of tenure
            (index 0: joined this week).
        adult_volunteer_share: Share of volunteers who are trained adults (who count in
            client-to-adult ratios).
        recruitment_per_week: Mean new volunteers a week (Poisson).
        clients: Clients enrolled.
        waiting: Clients on the waiting list.
        places: Most clients the centre can enrol; ``None``: no cap.
        client_arrivals_per_week: Mean new clients a week (Poisson), who join the
            waiting list and are enrolled when a place is free.
        need: The main client need, which selects the client-to-adult ratio.
        setting: Where sessions take place.
        sessions_per_week: Sessions a week.
        clients_per_session: Enrolled clients invited to each session; ``None``: all.
        session_hours: Length of a session, which is a volunteer's shift.
        workers_per_session: Social workers rostered on a session (certified first);
            ``None``: every worker.
    """

    id: EntityId
    name: str = ""
    workers: WorkerCounts = WorkerCounts()
    posts: NonNegativeInt | None = None
    external_supervisors: NonNegativeInt = 0
    volunteers: NonNegativeInt = 0
    new_volunteers: tuple[NonNegativeInt, ...] = ()
    adult_volunteer_share: Probability = 1.0
    recruitment_per_week: Rate = 0.0
    clients: NonNegativeInt = 0
    waiting: NonNegativeInt = 0
    places: NonNegativeInt | None = None
    client_arrivals_per_week: Rate = 0.0
    need: ClientNeed | None = None
    setting: Setting = Setting.IN_CENTRE
    sessions_per_week: NonNegativeInt = 5
    clients_per_session: NonNegativeInt | None = None
    session_hours: PositiveFloat = 3.0
    workers_per_session: NonNegativeInt | None = None

    @property
    def funded_posts(self) -> int:
        """Posts at the start: ``posts``, or the number of workers when it is not given."""
        return self.workers.total if self.posts is None else self.posts


class RecruitmentCampaign(Model):
    """Extra volunteer recruitment for some weeks.

    Attributes:
        week: First week of the campaign (0 is the first week simulated).
        weeks: How many weeks it lasts.
        extra_per_week: Extra mean recruits a week, per centre it covers.
        centre: The centre it covers; ``None``: every centre.
    """

    kind: Literal["recruitment_campaign"] = "recruitment_campaign"
    week: NonNegativeInt
    weeks: PositiveInt = 4
    extra_per_week: Rate
    centre: EntityId | None = None


class FundedPosts(Model):
    """New social-worker posts funded from a week on; filled after the hiring delay.

    Attributes:
        week: The week the posts are funded.
        posts: How many posts.
        centre: The centre that gets them.
    """

    kind: Literal["funded_posts"] = "funded_posts"
    week: NonNegativeInt
    posts: PositiveInt
    centre: EntityId


class AddedPlaces(Model):
    """More client places from a week on.

    Attributes:
        week: The week the places open.
        places: How many places.
        centre: The centre that gets them.
    """

    kind: Literal["added_places"] = "added_places"
    week: NonNegativeInt
    places: PositiveInt
    centre: EntityId


Intervention = Annotated[
    RecruitmentCampaign | FundedPosts | AddedPlaces, Field(discriminator="kind")
]
"""A change made at a given week: a recruitment campaign, funded posts, added places."""


@cache
def _default_limits() -> tuple[StaffingLimits, str]:
    default = pack(DEFAULT_PACK)
    return StaffingLimits.from_pack(default), default.version


def _default_hire_mix() -> tuple[float, float, float, float]:
    # Assumption: three hires in four hold the qualification; among holders, the
    # 2019 split of 75% assistant, 24% intermediate, 1% senior.
    certified = 0.75
    return (1 - certified, certified * 0.75, certified * 0.24, certified * 0.01)


class Scenario(Model):
    """A frozen, serialisable description of a staffing scenario.

    Weekly time steps. Each week, in this order: social workers leave (turnover) and
    gain certification levels, vacancies are filled after the hiring delay, volunteers
    drop out (with a higher hazard in their first months) and new ones are recruited,
    clients leave and arrive (through the waiting list), and then the centre's sessions
    are held with whoever shows up and checked against the limits.

    Attributes:
        weeks: The horizon.
        centres: The centres at the start.
        volunteer_dropout_early: Monthly dropout probability in a volunteer's first
            ``early_months`` (6.5%: about one in three new volunteers leaves within six
            months).
        volunteer_dropout_late: Monthly dropout probability afterwards (3.5%: about 65%
            retention a year).
        early_months: Length of the early period.
        volunteer_hours_per_month: Hours a volunteer gives a month (5).
        no_show: Probability that a rostered volunteer does not come (0.10 for
            recurring shifts; use 0.30 for one-off events).
        worker_absence: Probability that a rostered social worker is absent
            (assumption: 0.05).
        worker_turnover_per_year: Share of social workers who leave in a year (0.18).
        hiring_delay_weeks: Mean weeks to fill a vacancy (assumption: 12).
        hire_mix: Levels of new hires, from ``none`` to ``senior`` (assumption).
        upgrade_per_year: Yearly probability of passing the next level, from ``none``
            to assistant, assistant to intermediate, intermediate to senior
            (assumption: 0.15, 0.05, 0.01).
        client_stay_weeks: Mean weeks a client stays enrolled (assumption: 52).
        client_attendance: Probability that an enrolled client comes to a session
            (assumption: 0.9).
        recruitment_scale: Multiplies every centre's recruitment rate (for sweeps).
        interventions: Changes at given weeks.
        limits: The limits compliance is measured against.
        rule_pack: Id of the rule pack the limits were read from (``None``: limits set
            by hand). Defaults to the default pack, whose error limits are the default
            ``limits``.
        rule_pack_version: Its version.
        description: What the scenario is about.
    """

    weeks: PositiveInt = 52
    centres: tuple[CentreStart, ...] = Field(min_length=1)
    volunteer_dropout_early: Probability = 0.065
    volunteer_dropout_late: Probability = 0.035
    early_months: NonNegativeInt = 6
    volunteer_hours_per_month: Rate = 5.0
    no_show: Probability = 0.10
    worker_absence: Probability = 0.05
    worker_turnover_per_year: Probability = 0.18
    hiring_delay_weeks: Annotated[float, Field(ge=1, allow_inf_nan=False)] = 12.0
    hire_mix: tuple[Probability, Probability, Probability, Probability] = Field(
        default_factory=_default_hire_mix
    )
    upgrade_per_year: tuple[Probability, Probability, Probability] = (0.15, 0.05, 0.01)
    client_stay_weeks: Annotated[float, Field(ge=1, allow_inf_nan=False)] = 52.0
    client_attendance: Probability = 0.9
    recruitment_scale: Rate = 1.0
    interventions: tuple[Intervention, ...] = ()
    limits: StaffingLimits = Field(default_factory=lambda: _default_limits()[0])
    rule_pack: str | None = DEFAULT_PACK
    rule_pack_version: str | None = Field(default_factory=lambda: _default_limits()[1])
    description: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems: list[str] = []
        counts = Counter(c.id for c in self.centres)
        problems.extend(f"centre id {i!r} is used twice" for i, n in counts.items() if n > 1)
        if abs(sum(self.hire_mix) - 1.0) > 1e-9:  # noqa: PLR2004 - rounding slack
            problems.append(f"hire_mix must sum to 1, not {sum(self.hire_mix)}")
        for i, change in enumerate(self.interventions):
            if change.centre is not None and change.centre not in counts:
                problems.append(f"interventions[{i}].centre: no centre {change.centre!r}")
            if change.week >= self.weeks:
                problems.append(
                    f"interventions[{i}].week: {change.week} is past the horizon "
                    f"(weeks 0 to {self.weeks - 1})"
                )
        problems.extend(
            f"centres[{centre.id}].new_volunteers: {len(centre.new_volunteers)} weeks "
            f"of tenure given, the early period has {self.early_weeks}"
            for centre in self.centres
            if len(centre.new_volunteers) > self.early_weeks
        )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # -- derived rates -------------------------------------------------------------

    @property
    def early_weeks(self) -> int:
        """Weeks of the early period (``early_months`` in weeks, rounded)."""
        return round(self.early_months * WEEKS_PER_MONTH)

    @property
    def weekly_dropout_early(self) -> float:
        """The weekly dropout probability equivalent to the monthly early rate."""
        return float(1 - (1 - self.volunteer_dropout_early) ** (1 / WEEKS_PER_MONTH))

    @property
    def weekly_dropout_late(self) -> float:
        """The weekly dropout probability equivalent to the monthly late rate."""
        return float(1 - (1 - self.volunteer_dropout_late) ** (1 / WEEKS_PER_MONTH))

    @property
    def weekly_turnover(self) -> float:
        """The weekly probability that a social worker leaves."""
        return float(1 - (1 - self.worker_turnover_per_year) ** (1 / WEEKS_PER_YEAR))

    @property
    def centre_ids(self) -> tuple[str, ...]:
        """The ids of the centres, in order."""
        return tuple(c.id for c in self.centres)

    # -- changed copies ------------------------------------------------------------

    def with_values(self, changes: Mapping[str, Any]) -> Scenario:
        """A copy with the values at the given paths changed, validated again.

        A path is a field of the scenario (``"no_show"``), of its limits
        (``"limits.max_volunteers_per_supervisor"``) or of one centre
        (``"centres.yucai.recruitment_per_week"``).

        Raises:
            SimulationError: A path names no field; every bad path is listed.
        """
        data = self.model_dump(mode="python")
        centres = {c["id"]: c for c in data["centres"]}
        problems: list[str] = []
        for path, value in changes.items():
            head, _, rest = path.partition(".")
            if head == "centres":
                centre_id, _, field = rest.rpartition(".")
                if centre_id not in centres or field not in CentreStart.model_fields:
                    problems.append(f"{path!r}: no centre {centre_id!r} or no field {field!r}")
                else:
                    centres[centre_id][field] = value
            elif head == "limits" and rest in StaffingLimits.model_fields:
                data["limits"][rest] = value
            elif not rest and head in type(self).model_fields and head != "centres":
                data[head] = value
            else:
                problems.append(f"{path!r}: not a field of the scenario")
        if problems:
            raise SimulationError("cannot change the scenario: " + "; ".join(problems))
        return type(self).model_validate(data)

    # -- construction from a network -------------------------------------------------

    @classmethod
    def from_network(
        cls,
        network: Network,
        *,
        weeks: int = 52,
        rules: RulesLike = None,
        severity: SeverityFloor = "error",
        on: date | None = None,
        sessions_per_week: int = 5,
        session_hours: float = 3.0,
        **processes: Any,
    ) -> Scenario:
        """The scenario that starts from ``network`` as it stands ``on`` a day.

        Each centre starts with its social workers by level, its volunteers (by
        tenure, from ``joined``, when ``on`` is known), its enrolled clients and the
        places of its programmes. Recruitment and client arrivals default to the rates
        that keep each centre's numbers steady under the scenario's dropout and exit
        rates, so a run shows what the processes do to today's staffing.

        Args:
            network: The network.
            weeks: The horizon.
            rules: The rules whose limits are measured: a pack, a pack's name or file, or
                ``None`` for the default pack (as :func:`sw_volunteer.check` takes them).
            severity: The least severe rules that count (see
                :meth:`StaffingLimits.from_pack`).
            on: The day the scenario starts; defaults to the network's ``as_of``.
            sessions_per_week: Sessions a week at each centre.
            session_hours: Hours of a session (a volunteer's shift).
            **processes: Scenario fields to set (``no_show=0.3``, ``interventions=...``).

        Raises:
            SimulationError: The network has no centre.
        """
        if not network.centres:
            raise SimulationError("the network has no centre to simulate")
        day = on or network.info.as_of
        rule_pack = resolve_rules(rules)
        limits = StaffingLimits.from_pack(rule_pack, severity=severity)
        adult_age = adults_of(rule_pack).adult_age
        probe = cls(
            weeks=weeks,
            centres=tuple(CentreStart(id=c.id) for c in network.centres),
            **processes,
        )
        lifetime = expected_weeks_on_roster(probe)
        stay = probe.client_stay_weeks
        guided_from_outside = _outside_supervisors(network, day)
        centres: list[CentreStart] = []
        for centre in network.centres:
            workers = [w for w in network.workers if w.centre == centre.id]
            levels = Counter(w.certification for w in workers)
            volunteers = [v for v in network.volunteers if v.centre == centre.id]
            new = [0] * probe.early_weeks
            established = 0
            adults = 0
            for volunteer in volunteers:
                tenure = None
                if day is not None and volunteer.joined is not None and volunteer.joined <= day:
                    tenure = (day - volunteer.joined).days // 7
                if tenure is not None and tenure < probe.early_weeks:
                    new[tenure] += 1
                else:
                    established += 1
                adults += int(
                    volunteer.trained
                    if day is None
                    else volunteer.counts_as_adult_on(day, adult_age=adult_age)
                )
            clients = [c for c in network.clients if c.centre == centre.id]
            needs = Counter(n for c in clients for n in c.needs)
            programmes = [p for p in network.programmes if p.centre == centre.id]
            if not needs:
                needs = Counter(n for p in programmes for n in p.target_needs)
            places = [p.places for p in programmes]
            sessions = [a for a in network.activities if a.programme in {p.id for p in programmes}]
            present = [len(a.workers) for a in sessions]
            largest_group = max((a.client_count for a in sessions), default=0)
            while new and new[-1] == 0:
                new.pop()
            centres.append(
                CentreStart(
                    id=centre.id,
                    name=centre.name,
                    workers=WorkerCounts(
                        none=levels[CertificationLevel.NONE],
                        assistant=levels[CertificationLevel.ASSISTANT],
                        intermediate=levels[CertificationLevel.INTERMEDIATE],
                        senior=levels[CertificationLevel.SENIOR],
                    ),
                    external_supervisors=guided_from_outside.get(centre.id, 0),
                    volunteers=established,
                    new_volunteers=tuple(new),
                    adult_volunteer_share=adults / len(volunteers) if volunteers else 1.0,
                    recruitment_per_week=len(volunteers) / lifetime,
                    clients=len(clients),
                    places=(
                        max(sum(p for p in places if p is not None), len(clients))
                        if places and all(p is not None for p in places)
                        else None
                    ),
                    client_arrivals_per_week=len(clients) / stay,
                    need=needs.most_common(1)[0][0] if needs else None,
                    sessions_per_week=sessions_per_week,
                    clients_per_session=largest_group or None,
                    session_hours=session_hours,
                    workers_per_session=max(present) if present else None,
                )
            )
        return cls(
            weeks=weeks,
            centres=tuple(centres),
            limits=limits,
            rule_pack=rule_pack.id,
            rule_pack_version=rule_pack.version,
            **processes,
        )

    def with_rules(self, rules: RulesLike, *, severity: SeverityFloor = "error") -> Scenario:
        """A copy that measures compliance against ``rules`` (a pack, name or file).

        Example:
            >>> s = Scenario(centres=[CentreStart(id="c")])
            >>> strict = s.with_rules("cn-default", severity="warning")
            >>> (s.limits.max_workers_per_supervisor, strict.limits.max_workers_per_supervisor)
            (10, 8)
        """
        rule_pack = resolve_rules(rules)
        return self.model_copy(
            update={
                "limits": StaffingLimits.from_pack(rule_pack, severity=severity),
                "rule_pack": rule_pack.id,
                "rule_pack_version": rule_pack.version,
            }
        )


def _outside_supervisors(network: Network, day: date | None) -> dict[str, int]:
    """Per centre: distinct supervisors from other centres of its social workers."""
    centre_of = {w.id: w.centre for w in network.workers}
    found: dict[str, set[str]] = {}
    for edge in network.supervisions:
        if edge.kind is not SupervisionKind.PROFESSIONAL:
            continue
        if day is not None and not edge.is_active_on(day):
            continue
        home = centre_of.get(edge.supervisee)
        if home is not None and centre_of.get(edge.supervisor) != home:
            found.setdefault(home, set()).add(edge.supervisor)
    return {centre: len(people) for centre, people in found.items()}


def expected_weeks_on_roster(scenario: Scenario) -> float:
    """Mean weeks a new volunteer is counted on the roster, under the dropout hazards.

    A recruit is counted at the end of the week they join and survives each later week
    with one minus the hazard of their tenure, so by Little's law a centre recruiting
    ``λ`` a week holds ``λ`` times this many volunteers on average in the long run.

    Example:
        >>> s = Scenario(centres=[CentreStart(id="c")], volunteer_dropout_early=0.035)
        >>> round(expected_weeks_on_roster(s) * s.weekly_dropout_late, 9)
        1.0
    """
    early, late = scenario.weekly_dropout_early, scenario.weekly_dropout_late
    n = scenario.early_weeks
    early_part = (1 - (1 - early) ** n) / early if early > 0 else float(n)
    survived = (1 - early) ** n
    if late == 0:
        return math.inf if survived > 0 else early_part
    return early_part + survived / late
