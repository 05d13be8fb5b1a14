"""Progress of a funded project towards its targets, and a forecast of the rest.

Definitions (one each, used by the progress and by the forecast alike):

- **sessions**: occurrences of the activities of the project's programmes that start in
  the window (an activity without a schedule is one session, at its own start);
- **beneficiaries**: distinct clients on the client lists of those activities, among
  activities with at least one session in the window (anonymous ``extra_clients`` are
  not distinct people and are not counted);
- **service hours**: the summed length of those sessions (服务时数);
- **volunteer hours**: the volunteers' service hours of the project's programmes from
  the service records, exactly as
  [`service_hours`][sw_volunteer.scheduling.service_hours] counts them (records as
  corrected, withdrawn and contradicting records left out, whole minutes).

The window runs from the project's first day to the day of the progress (both included),
in the timezone of the project's first activity. Hours are whole minutes over 60, rounded
half up to two decimals, as everywhere.

The forecast ([`project_forecast`][sw_volunteer.paperwork.project_forecast]) runs the
simulator ([`sw_volunteer.simulation`][sw_volunteer.simulation]) from the network as it
stands on that day, for the weeks left, with the sessions a week the timetables hold
for those weeks, the observed session length and the observed volunteer hours per
rostered volunteer. Sessions and volunteer hours come from the simulator (its
``sessions`` and ``volunteer_hours`` of the project's centre: staffing shortfalls and
volunteer dropout lower them), scaled from the simulator's even weeks to the sessions the
timetables hold (holidays included); service hours are the simulated sessions times the
observed mean session length. The simulator has no metric
for distinct beneficiaries: they are forecast by the observed rate (distinct clients per
day so far, times the days of the whole period), capped at the places of the project's
programmes when every programme states them (distinct people saturate; a linear rate
would not), and the forecast says so (``method="observed_rate"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Literal

from sw_volunteer.errors import SwVolunteerError
from sw_volunteer.models import Activity, FundedProject, Network
from sw_volunteer.scheduling import hours_from_minutes, service_hours
from sw_volunteer.vocab import Lang

__all__ = [
    "KPI_NAMES",
    "KpiForecast",
    "KpiProgress",
    "ProjectForecast",
    "ProjectProgress",
    "project_forecast",
    "project_progress",
]

Kpi = Literal["sessions", "beneficiaries", "service_hours", "volunteer_hours"]

KPI_NAMES: dict[str, tuple[str, str]] = {
    "sessions": ("sessions held", "服务场次"),
    "beneficiaries": ("beneficiaries", "服务对象人数"),
    "service_hours": ("service hours", "服务时数"),
    "volunteer_hours": ("volunteer hours", "志愿服务时长"),
}
"""Each KPI's name in English and Chinese."""

_KPIS: tuple[Kpi, ...] = ("sessions", "beneficiaries", "service_hours", "volunteer_hours")


@dataclass(frozen=True, slots=True)
class KpiProgress:
    """One KPI: what the records hold so far, against the target.

    Attributes:
        kpi: ``sessions``, ``beneficiaries``, ``service_hours`` or ``volunteer_hours``.
        achieved: What the records hold in the window (hours as ``Decimal``).
        target: The project's target for the whole period, or ``None``.

    Example:
        >>> KpiProgress("sessions", 30, 40).share
        0.75
    """

    kpi: Kpi
    achieved: int | Decimal
    target: float | None

    @property
    def share(self) -> float | None:
        """``achieved / target`` (``None`` without a target; 1.0 for a target of 0)."""
        if self.target is None:
            return None
        return 1.0 if self.target == 0 else float(self.achieved) / self.target


@dataclass(frozen=True, slots=True)
class ProjectProgress:
    """A funded project's progress on a day.

    Attributes:
        project: The project.
        on: The last day counted.
        elapsed: The share of the project's days up to ``on`` (0 to 1).
        kpis: One line per KPI, in the order sessions, beneficiaries, service hours,
            volunteer hours.

    Example:
        >>> from sw_volunteer import datasets
        >>> progress = project_progress(datasets.ruian_2013(), "proj-happy-430")
        >>> progress.on, [line.kpi for line in progress.kpis][:2]
        (datetime.date(2013, 11, 19), ['sessions', 'beneficiaries'])
    """

    project: FundedProject
    on: date
    elapsed: float
    kpis: tuple[KpiProgress, ...]

    def __getitem__(self, kpi: str) -> KpiProgress:
        """The line of ``kpi``."""
        for line in self.kpis:
            if line.kpi == kpi:
                return line
        raise KeyError(kpi)

    def summary(self, lang: Lang = "en") -> str:
        """The progress as lines of text, in English or Chinese.

        Example:
            >>> from sw_volunteer import datasets
            >>> print(project_progress(datasets.ruian_2013(), "proj-happy-430").summary("zh"))
            快乐四点半（瑞安市民政局）2013-09-01 至 2014-01-31，截至 2013-11-19（已过 52%）
              服务场次 106 / 180（59%）
              服务对象人数 40 / 40（100%）
              服务时数 159.00 / 270（59%）
              志愿服务时长 523.50 / 1500（35%）
        """
        p = self.project
        zh = lang == "zh"
        head = (
            f"{p.name}（{p.funder}）{p.period.start} 至 {p.end}，截至 {self.on}"
            f"（已过 {self.elapsed:.0%}）"
            if zh
            else f"{p.name} ({p.funder}) {p.period.start} to {p.end}, as of {self.on}"
            f" ({self.elapsed:.0%} elapsed)"
        )
        lines = [head]
        for line in self.kpis:
            name = KPI_NAMES[line.kpi][1 if zh else 0]
            if line.target is None:
                lines.append(f"  {name} {line.achieved}")
                continue
            target = f"{line.target:g}"
            share = line.share or 0.0
            lines.append(
                f"  {name} {line.achieved} / {target}（{share:.0%}）"
                if zh
                else f"  {name} {line.achieved} / {target} ({share:.0%})"
            )
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class KpiForecast:
    """The forecast of one KPI at the end of the project's period.

    Attributes:
        kpi: The KPI.
        expected: The expected value at the end (mean over replications).
        low: The 5th percentile over replications (the value at rank
            ``floor(0.05 * (replications - 1))`` in increasing order; equal to ``expected``
            by observed rate).
        target: The target, or ``None``.
        chance_met: The share of replications that reach the target (by observed rate:
            1.0 or 0.0); ``None`` without a target.
        method: ``"simulation"`` or ``"observed_rate"``.

    Example:
        >>> line = KpiForecast("beneficiaries", 38.0, 38.0, 40, 0.0, "observed_rate")
        >>> line.chance_met, line.method
        (0.0, 'observed_rate')
    """

    kpi: Kpi
    expected: float
    low: float
    target: float | None
    chance_met: float | None
    method: Literal["simulation", "observed_rate"]


@dataclass(frozen=True, slots=True)
class ProjectForecast:
    """Whether a project's targets will be met, from its progress and the simulator.

    Attributes:
        progress: The progress the forecast starts from.
        weeks_left: The weeks simulated after the progress day (the last one may be
            partly in the period).
        sessions_planned: The sessions the timetables hold after the progress day.
        replications: The simulator's replications.
        seed: The simulator's seed.
        kpis: One forecast per KPI.

    Example:
        >>> from sw_volunteer import datasets
        >>> forecast = project_forecast(datasets.ruian_2013(), "proj-happy-430",
        ...                             replications=20)
        >>> forecast.weeks_left, forecast.sessions_planned, len(forecast.kpis)
        (11, 84, 4)
    """

    progress: ProjectProgress
    weeks_left: int
    sessions_planned: int
    replications: int
    seed: int
    kpis: tuple[KpiForecast, ...]

    def __getitem__(self, kpi: str) -> KpiForecast:
        """The forecast of ``kpi``."""
        for line in self.kpis:
            if line.kpi == kpi:
                return line
        raise KeyError(kpi)

    def summary(self, lang: Lang = "en") -> str:
        """The progress, then the forecast for the end of the period, as lines of text.

        Example:
            >>> from sw_volunteer import datasets
            >>> forecast = project_forecast(datasets.ruian_2013(), "proj-happy-430",
            ...                             replications=20)
            >>> print(forecast.summary("zh").splitlines()[-5])
            期末预测（模拟 11 周，20 次重复）：
        """
        zh = lang == "zh"
        lines = [self.progress.summary(lang)]
        lines.append(
            f"期末预测（模拟 {self.weeks_left} 周，{self.replications} 次重复）："
            if zh
            else f"Forecast for the end ({self.weeks_left} weeks simulated, "
            f"{self.replications} replications):"
        )
        for line in self.kpis:
            name = KPI_NAMES[line.kpi][1 if zh else 0]
            how = (
                ("模拟" if line.method == "simulation" else "按已有速度推算")
                if zh
                else ("simulated" if line.method == "simulation" else "by the observed rate")
            )
            if line.target is None or line.chance_met is None:
                lines.append(
                    f"  {name} {line.expected:.0f}（{how}）"
                    if zh
                    else f"  {name} {line.expected:.0f} ({how})"
                )
                continue
            lines.append(
                f"  {name} 预计 {line.expected:.0f} / {line.target:g}，"
                f"达标概率 {line.chance_met:.0%}（{how}）"
                if zh
                else f"  {name} expected {line.expected:.0f} / {line.target:g}, "
                f"chance met {line.chance_met:.0%} ({how})"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """The progress and the forecast as plain data (for JSON).

        Example:
            >>> from sw_volunteer import datasets
            >>> forecast = project_forecast(datasets.ruian_2013(), "proj-happy-430",
            ...                             replications=20)
            >>> forecast.to_dict()["progress"]["sessions"]
            {'achieved': 106, 'target': 180}
        """
        p = self.progress
        return {
            "project": p.project.id,
            "name": p.project.name,
            "on": p.on.isoformat(),
            "elapsed": p.elapsed,
            "progress": {
                line.kpi: {
                    "achieved": line.achieved
                    if isinstance(line.achieved, int)
                    else float(line.achieved),
                    "target": line.target,
                }
                for line in p.kpis
            },
            "weeks_left": self.weeks_left,
            "sessions_planned": self.sessions_planned,
            "replications": self.replications,
            "seed": self.seed,
            "forecast": {
                line.kpi: {
                    "expected": line.expected,
                    "low": line.low,
                    "target": line.target,
                    "chance_met": line.chance_met,
                    "method": line.method,
                }
                for line in self.kpis
            },
        }


def _project(network: Network, project_id: str) -> FundedProject:
    for p in network.projects:
        if p.id == project_id:
            return p
    known = ", ".join(p.id for p in network.projects) or "none"
    raise SwVolunteerError(f"no funded project {project_id!r} (projects: {known})")


def _activities(network: Network, project: FundedProject) -> list[Activity]:
    return [a for a in network.activities if a.programme in project.programmes]


def _zone(activities: list[Activity]) -> tzinfo:
    for a in activities:
        if a.schedule is not None:
            return a.schedule.zone
        if a.start.tzinfo is not None:
            return a.start.tzinfo
    return UTC


def _sessions(
    activities: Iterable[Activity], lo: datetime, hi: datetime
) -> tuple[int, int, set[str]]:
    """Sessions starting in ``[lo, hi)``: how many, their summed minutes, their clients."""
    count = minutes = 0
    clients: set[str] = set()
    for a in activities:
        if a.schedule is None:
            spans = [(a.start, a.end)] if lo <= a.start < hi else []
        else:
            spans = [(o.start, o.end) for o in a.schedule.occurrences(lo, hi)]
        for start, end in spans:
            count += 1
            minutes += int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60)
        if spans:
            clients.update(a.clients)
    return count, minutes, clients


def project_progress(
    network: Network, project_id: str, *, on: date | None = None
) -> ProjectProgress:
    """A funded project's progress from its first day to ``on`` (both included).

    See the module documentation for the definitions.

    Args:
        network: The network holding the project and its records.
        project_id: The project's id.
        on: The last day counted; defaults to the network's ``as_of``, else the project's
            last day. Days after the project's end count nothing more.

    Raises:
        SwVolunteerError: No project has that id.

    Example:
        >>> from sw_volunteer import datasets
        >>> progress = project_progress(datasets.ruian_2013(), "proj-happy-430")
        >>> progress["sessions"].achieved, progress["sessions"].target
        (106, 180)
    """
    project = _project(network, project_id)
    day = on or network.info.as_of or project.end
    last = min(day, project.end)
    activities = _activities(network, project)
    zone = _zone(activities)
    lo = datetime.combine(project.period.start, time(), zone)
    hi = datetime.combine(last + timedelta(days=1), time(), zone)
    if last < project.period.start:
        hi = lo
    count, minutes, clients = _sessions(activities, lo, hi)
    hours = service_hours(network, by="programme", start=lo, end=hi)
    volunteer_minutes = sum(hours[p].minutes for p in sorted(project.programmes))
    days = (project.end - project.period.start).days + 1
    elapsed = max(0, (last - project.period.start).days + 1) / days
    t = project.targets
    kpis = (
        KpiProgress("sessions", count, t.sessions),
        KpiProgress("beneficiaries", len(clients), t.beneficiaries),
        KpiProgress("service_hours", hours_from_minutes(minutes), t.service_hours),
        KpiProgress("volunteer_hours", hours_from_minutes(volunteer_minutes), t.volunteer_hours),
    )
    return ProjectProgress(project, last, min(1.0, elapsed), kpis)


def project_forecast(
    network: Network,
    project_id: str,
    *,
    on: date | None = None,
    replications: int = 200,
    seed: int = 2013,
) -> ProjectForecast:
    """Whether the project will meet its targets: the progress plus a simulated rest.

    See the module documentation for what comes from the simulator and what from the
    observed rate.

    Args:
        network: The network holding the project and its records.
        project_id: The project's id.
        on: The day the forecast starts from (as in
            [`project_progress`][sw_volunteer.paperwork.project_progress]).
        replications: The simulator's replications.
        seed: The simulator's seed (the same seed gives the same forecast).

    Raises:
        SwVolunteerError: No project has that id.

    Example:
        >>> from sw_volunteer import datasets
        >>> forecast = project_forecast(datasets.ruian_2013(), "proj-happy-430",
        ...                             replications=20)
        >>> forecast["sessions"].method, forecast["beneficiaries"].method
        ('simulation', 'observed_rate')
        >>> forecast["sessions"].expected >= forecast.progress["sessions"].achieved
        True
    """
    # numpy loads with the simulator: only when a forecast is asked for
    from sw_volunteer.simulation import Scenario, run

    progress = project_progress(network, project_id, on=on)
    project = progress.project
    days_done = (progress.on - project.period.start).days + 1
    days_left = max(0, (project.end - progress.on).days)
    weeks_left = -(-days_left // 7)  # whole weeks, the last one partly
    activities = _activities(network, project)
    zone = _zone(activities)
    planned, planned_minutes, _ = _sessions(
        activities,
        datetime.combine(progress.on + timedelta(days=1), time(), zone),
        datetime.combine(project.end + timedelta(days=1), time(), zone),
    )
    done_sessions = int(progress["sessions"].achieved)
    service = progress["service_hours"]
    if done_sessions:
        mean_hours = float(service.achieved) / done_sessions
    else:
        mean_hours = planned_minutes / planned / 60 if planned else 0.0
    per_week = max(1, round(planned / weeks_left)) if planned and weeks_left else 0
    volunteer = progress["volunteer_hours"]
    on_roster = sum(
        1
        for v in network.volunteers
        if v.centre == project.centre
        and (v.joined is None or v.joined <= progress.on)
        and (v.left is None or v.left > progress.on)
    )
    months_done = max(days_done, 1) / (365.25 / 12)
    per_volunteer = float(volunteer.achieved) / months_done / on_roster if on_roster else 0.0
    sim_sessions = [0.0] * replications
    sim_volunteer = [0.0] * replications
    if per_week > 0 and mean_hours > 0:
        scenario = Scenario.from_network(
            network,
            weeks=weeks_left,
            on=progress.on,
            sessions_per_week=per_week,
            session_hours=mean_hours,
            volunteer_hours_per_month=per_volunteer,
        )
        result = run(scenario, replications=replications, seed=seed)
        # the simulator offers per_week sessions every week: scaled to the timetable's
        scale = planned / (per_week * weeks_left)
        centre = project.centre
        sim_sessions = [float(x) * scale for x in result.series("sessions", centre=centre).sum(1)]
        sim_volunteer = [
            float(x) * scale for x in result.series("volunteer_hours", centre=centre).sum(1)
        ]
    days = (project.end - project.period.start).days + 1
    beneficiaries = float(progress["beneficiaries"].achieved)
    rate = beneficiaries * days / days_done if days_done > 0 else beneficiaries
    places = [network.programme(p).places for p in sorted(project.programmes)]
    if places and all(n is not None for n in places):
        rate = max(beneficiaries, min(rate, float(sum(n or 0 for n in places))))
    ends: dict[Kpi, tuple[list[float], Literal["simulation", "observed_rate"]]] = {
        "sessions": ([done_sessions + x for x in sim_sessions], "simulation"),
        "beneficiaries": ([rate] * replications, "observed_rate"),
        "service_hours": (
            [float(service.achieved) + x * mean_hours for x in sim_sessions],
            "simulation",
        ),
        "volunteer_hours": ([float(volunteer.achieved) + x for x in sim_volunteer], "simulation"),
    }
    lines = []
    for kpi in _KPIS:
        values, method = ends[kpi]
        target = progress[kpi].target
        chance = None if target is None else sum(v >= target for v in values) / len(values)
        low = sorted(values)[int(0.05 * (len(values) - 1))]
        lines.append(
            KpiForecast(
                kpi,
                sum(values) / len(values),
                low,
                target,
                chance,
                method,
            )
        )
    return ProjectForecast(progress, weeks_left, planned, replications, seed, tuple(lines))
