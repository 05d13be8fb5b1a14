"""Scenario: the starting point, the stochastic processes and the interventions of a run.

Every rate has the default of the project's domain notes (volunteer dropout 6.5% a month
in the first six months then 3.5%, 0.55 hours a month (Ningbo 2022; 5 with
``volunteer_rates="us"``), 10% no-shows,
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
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Annotated, Any, Literal, Self

from pydantic import Field, NonNegativeInt, PositiveFloat, PositiveInt, model_validator

from sw_volunteer.errors import Problem, SimulationError
from sw_volunteer.models import Model, Network, SocialWorker, Supervision
from sw_volunteer.rules import DEFAULT_PACK, RulesLike, pack, resolve_rules
from sw_volunteer.simulation._limits import SeverityFloor, StaffingLimits
from sw_volunteer.simulation._policy import Policy
from sw_volunteer.types import EntityId
from sw_volunteer.vocab import CertificationLevel, ClientNeed, Setting, SupervisionKind

__all__ = [
    "VOLUNTEER_RATES",
    "AddedPlaces",
    "CentreStart",
    "FundedPosts",
    "Intervention",
    "RecruitmentCampaign",
    "Scenario",
    "SupervisorLoad",
    "WorkerCounts",
    "expected_weeks_on_roster",
]

Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Rate = Annotated[float, Field(ge=0, allow_inf_nan=False)]

WEEKS_PER_YEAR = 52
WEEKS_PER_MONTH = 52 / 12

VOLUNTEER_RATES: dict[str, dict[str, float]] = {
    # Ningbo 2022 (宁波市志愿服务大数据, published 2023-03-01): 2,139,259 registered
    # volunteers, 2.84 million attendances, 8.9 million credited hours; with the 62.59%
    # of volunteers active in a year (Ningbo 2023), an active volunteer gives
    # 8.9e6 / (2,139,259 x 0.6259) / 12 = 0.55 hours a month. No Chinese dropout or
    # no-show figure was found: the US-derived ones stand (assumption).
    "cn": {
        "volunteer_dropout_early": 0.065,
        "volunteer_dropout_late": 0.035,
        "volunteer_hours_per_month": 0.55,
        "no_show": 0.10,
    },
    # US: about 65% annual retention (CNCS 2008), one in three new volunteers gone within
    # six months (Points of Light); about 5 hours a month (US mean 5.5).
    "us": {
        "volunteer_dropout_early": 0.065,
        "volunteer_dropout_late": 0.035,
        "volunteer_hours_per_month": 5.0,
        "no_show": 0.10,
    },
}
"""The volunteer rates a scenario starts from, by ``volunteer_rates`` (see the defaults page).

Example:
    >>> VOLUNTEER_RATES["cn"]["volunteer_hours_per_month"], VOLUNTEER_RATES["us"][
    ...     "volunteer_hours_per_month"]
    (0.55, 5.0)
"""


class WorkerCounts(Model):
    """Social workers by level of the national qualification.

    Attributes:
        none: Workers without the qualification.
        assistant: 助理社会工作师.
        intermediate: 社会工作师.
        senior: 高级社会工作师.

    Example:
        >>> counts = WorkerCounts(assistant=5, intermediate=1)
        >>> counts.total, counts.as_tuple()
        (6, (0, 5, 1, 0))
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


class SupervisorLoad(Model):
    """One social worker who supervises or guides on the start day, and how many.

    The facts a check judges a span and a supervisor's qualification by.

    Attributes:
        level: The worker's certification.
        years: Years of practice completed on the start day.
        supervisees: Active supervision edges of the kind, to anyone in any centre.

    Example:
        >>> load = SupervisorLoad(level="intermediate", years=6.5, supervisees=22)
        >>> load.level.label("zh"), load.supervisees
        ('社会工作师', 22)
    """

    level: CertificationLevel = CertificationLevel.NONE
    years: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    supervisees: NonNegativeInt


class CentreStart(Model):
    """One centre at the start of a scenario, and how it runs its sessions.

    Attributes:
        id: The centre's id.
        name: Its name, for displays.
        workers: Social workers employed, by level.
        posts: Funded posts; vacancies (posts - workers) are filled after a hiring delay.
            ``None``: as many as there are workers.
        external_supervisors: Supervisors from outside the network who give the centre's
            social workers a full span each (counted with its own supervisors).
        workers_supervised: Social workers supervised by the centre's own supervisors on
            the start day; in later weeks the same share of the workforce is.
            ``None`` (a scenario built by hand): every worker below the supervisor level
            needs a supervisor of the centre (or an external one).
        workers_supervised_from_outside: Of the workers below the supervisor level, those
            supervised from outside the centre (used when ``workers_supervised`` is
            ``None``).
        supervisor_loads: The centre's own social workers who supervise social workers
            on the start day, with how many each supervises (in any centre).
        external_guides: Guides from outside the network who give the centre's
            volunteers a full span each (counted with its own social workers).
        volunteers_guided_from_outside: Volunteers guided only by social workers of
            other centres; in later weeks the same share of the volunteers is. They do
            not take the centre's own places.
        unguided_volunteers: Volunteers with no guide on the start day; in later weeks
            the same share of the volunteers has none.
        guide_loads: The centre's own social workers who guide volunteers on the start
            day, with how many each guides (in any centre).
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

    Example:
        >>> centre = CentreStart(
        ...     id="liqun", workers=WorkerCounts(assistant=5, intermediate=1), volunteers=20,
        ...     clients=30, places=30,
        ... )
        >>> centre.roster, centre.funded_posts
        (20, 6)
    """

    id: EntityId
    name: str = ""
    workers: WorkerCounts = WorkerCounts()
    posts: NonNegativeInt | None = None
    external_supervisors: NonNegativeInt = 0
    workers_supervised: NonNegativeInt | None = None
    workers_supervised_from_outside: NonNegativeInt = 0
    supervisor_loads: tuple[SupervisorLoad, ...] = ()
    external_guides: NonNegativeInt = 0
    volunteers_guided_from_outside: NonNegativeInt = 0
    unguided_volunteers: NonNegativeInt = 0
    guide_loads: tuple[SupervisorLoad, ...] = ()
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

    @property
    def roster(self) -> int:
        """Volunteers on the roster at the start, new ones included."""
        return self.volunteers + sum(self.new_volunteers)

    def start_defects(self, limits: StaffingLimits, kind: SupervisionKind) -> int:
        """Supervisees of ``kind`` not within a qualified supervisor's span on the start day.

        People over a supervisor's limit, supervised by someone the counted rules do not
        qualify, and (for volunteers, when every one must be guided) those with no
        guide: each is what a check reports on the start day, and the simulator does not
        repair them, so a centre with any counts as breaching in every week.

        Example:
            >>> centre = CentreStart(id="c", volunteers=30,
            ...                      guide_loads=(SupervisorLoad(supervisees=30),))
            >>> centre.start_defects(StaffingLimits(), SupervisionKind.GUIDANCE)
            5
        """
        span = limits.span(kind)
        guidance = kind is SupervisionKind.GUIDANCE
        loads = self.guide_loads if guidance else self.supervisor_loads
        found = self.unguided_volunteers if guidance and limits.every_volunteer_guided else 0
        for load in loads:
            if not limits.qualifies(kind, load.level, load.years):
                found += load.supervisees
            elif span is not None:
                found += max(0, load.supervisees - span)
        return found


class RecruitmentCampaign(Model):
    """Extra volunteer recruitment for some weeks.

    Attributes:
        week: First week of the campaign (0 is the first week simulated).
        weeks: How many weeks it lasts.
        extra_per_week: Extra mean recruits a week, per centre it covers.
        centre: The centre it covers; ``None``: every centre.

    Example:
        >>> campaign = RecruitmentCampaign(week=4, weeks=2, extra_per_week=3.0, centre="yucai")
        >>> centres = [CentreStart(id="yucai")]
        >>> scenario = Scenario(weeks=8, centres=centres, interventions=[campaign])
        >>> scenario.interventions[0].kind
        'recruitment_campaign'
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

    Example:
        >>> posts = FundedPosts(week=2, posts=1, centre="yucai")
        >>> centres = [CentreStart(id="yucai")]
        >>> Scenario(weeks=8, centres=centres, interventions=[posts]).interventions
        (FundedPosts(kind='funded_posts', week=2, posts=1, centre='yucai'),)
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

    Example:
        >>> places = AddedPlaces(week=10, places=15, centre="liqun")
        >>> centres = [CentreStart(id="liqun")]
        >>> Scenario(weeks=26, centres=centres, interventions=[places]).interventions[0].places
        15
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
    are held with whoever shows up and checked against the limits, and so are its
    supervision spans (see [`CHECK_CODES`][sw_volunteer.simulation.CHECK_CODES] for what a span
    breach means in terms of [`sw_volunteer.check`][sw_volunteer.rules.check]).

    Attributes:
        weeks: The horizon.
        centres: The centres at the start.
        volunteer_dropout_early: Monthly dropout probability in a volunteer's first
            ``early_months`` (6.5%: about one in three new volunteers leaves within six
            months).
        volunteer_dropout_late: Monthly dropout probability afterwards (3.5%: about 65%
            retention a year).
        early_months: Length of the early period.
        volunteer_rates: Which set of volunteer rates fills the four fields below that
            are not given: ``"cn"`` (the default: hours from Ningbo's 2022 figures) or
            ``"us"`` (the US figures the simulator used first), as
            ``VOLUNTEER_RATES`` lists them.
        volunteer_hours_per_month: Hours a volunteer gives a month (0.55 for ``"cn"``,
            5 for ``"us"``).
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
        start_day: The calendar day week 0 describes, when known (set by
            [`from_network`][sw_volunteer.simulation.Scenario.from_network]); the rules counted are
            those in force on it.
        description: What the scenario is about.
        policy: How each week's people are put on the centre's sessions: ``"even"``
            (the default: workers on every session, volunteers' shifts spread evenly,
            then absences and no-shows) or ``"planner"`` (each week re-rostered with who
            is there, by CP-SAT through [`sw_volunteer.plan`][sw_volunteer.plan], to hold
            the most sessions within the limits; needs the ``plan`` extra). See the
            simulation's policy notes in the planning how-to.

    Example:
        >>> import sw_volunteer as sv
        >>> scenario = Scenario.from_network(sv.datasets.ruian_2013(), weeks=26)
        >>> scenario.centre_ids
        ('liqun', 'huaxia', 'yucai')
        >>> scenario.with_values({"no_show": 0.2}).no_show
        0.2

        The US rates are a named alternative:

        >>> us = Scenario(centres=[CentreStart(id="c")], volunteer_rates="us")
        >>> cn = Scenario(centres=[CentreStart(id="c")])
        >>> us.volunteer_hours_per_month, cn.volunteer_hours_per_month
        (5.0, 0.55)
    """

    weeks: PositiveInt = 52
    centres: tuple[CentreStart, ...] = Field(min_length=1)
    volunteer_rates: Literal["cn", "us"] = "cn"
    volunteer_dropout_early: Probability = VOLUNTEER_RATES["cn"]["volunteer_dropout_early"]
    volunteer_dropout_late: Probability = VOLUNTEER_RATES["cn"]["volunteer_dropout_late"]
    early_months: NonNegativeInt = 6
    volunteer_hours_per_month: Rate = VOLUNTEER_RATES["cn"]["volunteer_hours_per_month"]
    no_show: Probability = VOLUNTEER_RATES["cn"]["no_show"]
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
    start_day: date | None = None
    description: str = ""
    policy: Policy = "even"

    @model_validator(mode="before")
    @classmethod
    def _rates_of_the_preset(cls, data: Any) -> Any:
        """Fill the volunteer rates not given from the ``volunteer_rates`` preset."""
        if isinstance(data, Mapping) and data.get("volunteer_rates", "cn") in VOLUNTEER_RATES:
            preset = VOLUNTEER_RATES[data.get("volunteer_rates", "cn")]
            return {**preset, **data}
        return data

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
        problems: list[Problem] = []
        for path, value in changes.items():
            head, _, rest = path.partition(".")
            if head == "centres":
                centre_id, _, field = rest.rpartition(".")
                if centre_id not in centres or field not in CentreStart.model_fields:
                    problems.append(
                        Problem(
                            repr(path),
                            "unknown_path",
                            f"no centre {centre_id!r} or field {field!r}",
                        )
                    )
                else:
                    centres[centre_id][field] = value
            elif head == "limits" and rest in StaffingLimits.model_fields:
                data["limits"][rest] = value
            elif not rest and head in type(self).model_fields and head != "centres":
                data[head] = value
            else:
                problems.append(Problem(repr(path), "unknown_path", "not a field of the scenario"))
        if problems:
            raise SimulationError(problems, subject="the scenario change")
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

        Each centre starts with its social workers by level, its volunteers on the
        roster that day (joined by then; by tenure, from ``joined``), its enrolled
        clients and the places of its programmes, and with its supervision as it stands:
        who supervises and guides how many
        ([`SupervisorLoad`][sw_volunteer.simulation.SupervisorLoad]), which volunteers are guided
        from other centres or not at all, which workers are supervised in the centre. Recruitment
        and client arrivals default to the rates that keep each centre's numbers steady under the
        scenario's dropout and exit rates, so a run shows what the processes do to today's staffing.

        With every random process off, week 0 of the run breaches a span exactly where
        [`sw_volunteer.check`][sw_volunteer.rules.check] on that day reports, at or above
        ``severity``, a violation of the codes of
        [`CHECK_CODES`][sw_volunteer.simulation.CHECK_CODES] for the centre (volunteers guided by
        another centre's social workers count at the guide's centre, as in the check), and nothing
        changes in later weeks.

        Args:
            network: The network.
            weeks: The horizon.
            rules: The rules whose limits are measured: a pack, a pack's name or file, or
                ``None`` for the default pack (as [`sw_volunteer.check`][sw_volunteer.rules.check]
                takes them); those in force on the start day count.
            severity: The least severe rules that count (see
                [`StaffingLimits.from_pack`][sw_volunteer.simulation.StaffingLimits.from_pack]).
            on: The day the scenario starts; defaults to the network's ``as_of``, else
                today (as [`sw_volunteer.check`][sw_volunteer.rules.check] does).
            sessions_per_week: Sessions a week at each centre.
            session_hours: Hours of a session (a volunteer's shift).
            **processes: Scenario fields to set (``no_show=0.3``, ``interventions=...``).

        Raises:
            SimulationError: The network has no centre.
        """
        if not network.centres:
            raise SimulationError("the network has no centre to simulate")
        day = on or network.info.as_of or datetime.now(tz=UTC).date()
        rule_pack = resolve_rules(rules)
        limits = StaffingLimits.from_pack(rule_pack, severity=severity, on=day)
        probe = cls(
            weeks=weeks,
            centres=tuple(CentreStart(id=c.id) for c in network.centres),
            **processes,
        )
        lifetime = expected_weeks_on_roster(probe)
        stay = probe.client_stay_weeks
        supervision = _Supervision.of(network, day)
        centres: list[CentreStart] = []
        for centre in network.centres:
            # The people of the day, as the check counts them (joined..left, born).
            workers = [w for w in network.workers if w.centre == centre.id and w.on_roster_on(day)]
            levels = Counter(w.certification for w in workers)
            volunteers = [
                v for v in network.volunteers if v.centre == centre.id and v.on_roster_on(day)
            ]
            new = [0] * probe.early_weeks
            established = 0
            adults = 0
            for volunteer in volunteers:
                tenure = None if volunteer.joined is None else (day - volunteer.joined).days // 7
                if tenure is not None and tenure < probe.early_weeks:
                    new[tenure] += 1
                else:
                    established += 1
                # Who counts as an adult in a session: the one definition the check uses.
                adults += int(volunteer.counts_as_adult_on(day, adult_age=limits.adult_age))
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
            guided = [supervision.guides_of.get(v.id, ()) for v in volunteers]
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
                    workers_supervised=sum(
                        centre.id in supervision.supervisors_of.get(w.id, ()) for w in workers
                    ),
                    workers_supervised_from_outside=sum(
                        bool(supervision.supervisors_of.get(w.id))
                        and centre.id not in supervision.supervisors_of[w.id]
                        and w.certification < limits.supervisor_level
                        for w in workers
                    ),
                    supervisor_loads=supervision.loads(workers, SupervisionKind.PROFESSIONAL, day),
                    volunteers_guided_from_outside=sum(
                        bool(g) and centre.id not in g for g in guided
                    ),
                    unguided_volunteers=sum(not g for g in guided),
                    guide_loads=supervision.loads(workers, SupervisionKind.GUIDANCE, day),
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
            start_day=day,
            **processes,
        )

    def with_rules(self, rules: RulesLike, *, severity: SeverityFloor = "error") -> Scenario:
        """A copy that measures compliance against ``rules`` (a pack, name or file).

        The rules in force on ``start_day`` count. The supervision facts of the
        start day stay: only how they are judged changes.

        Example:
            >>> s = Scenario(centres=[CentreStart(id="c")])
            >>> strict = s.with_rules("cn-default", severity="warning")
            >>> (s.limits.max_workers_per_supervisor, strict.limits.max_workers_per_supervisor)
            (10, 8)
        """
        rule_pack = resolve_rules(rules)
        return self.model_copy(
            update={
                "limits": StaffingLimits.from_pack(rule_pack, severity=severity, on=self.start_day),
                "rule_pack": rule_pack.id,
                "rule_pack_version": rule_pack.version,
            }
        )


@dataclass(frozen=True)
class _Supervision:
    """Who supervises whom on a day: the active edges, as a check sees them."""

    centre_of: Mapping[str, str]
    edges: tuple[Supervision, ...]
    guides_of: Mapping[str, frozenset[str]]  # volunteer -> centres of their guides
    supervisors_of: Mapping[str, frozenset[str]]  # worker -> centres of their supervisors

    @classmethod
    def of(cls, network: Network, day: date) -> _Supervision:
        centre_of = {w.id: w.centre for w in network.workers}
        # Edges between people on the roster that day, as the check's active supervisions.
        off = {p.id for p in network.workers if not p.on_roster_on(day)}
        off.update(p.id for p in network.volunteers if not p.on_roster_on(day))
        edges = tuple(
            s
            for s in network.supervisions
            if s.is_active_on(day) and s.supervisor not in off and s.supervisee not in off
        )
        found: dict[SupervisionKind, dict[str, set[str]]] = {k: {} for k in SupervisionKind}
        for edge in edges:
            found[edge.kind].setdefault(edge.supervisee, set()).add(centre_of[edge.supervisor])
        return cls(
            centre_of=centre_of,
            edges=edges,
            guides_of={k: frozenset(v) for k, v in found[SupervisionKind.GUIDANCE].items()},
            supervisors_of={
                k: frozenset(v) for k, v in found[SupervisionKind.PROFESSIONAL].items()
            },
        )

    def loads(
        self, workers: list[SocialWorker], kind: SupervisionKind, day: date
    ) -> tuple[SupervisorLoad, ...]:
        """The workers among ``workers`` with edges of ``kind``, and how many each has."""
        count = Counter(e.supervisor for e in self.edges if e.kind is kind)
        return tuple(
            SupervisorLoad(
                level=w.certification, years=w.years_of_practice(day), supervisees=count[w.id]
            )
            for w in workers
            if count[w.id]
        )


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
