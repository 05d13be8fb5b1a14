"""The vectorised engine: one chunk of replications, all weeks, numpy across replications.

Every replication draws a fixed number of uniforms a week from its own stream (see
``sw_volunteer.simulation._random``), laid out by the scenario alone: so the same
replication gives the same numbers in any chunk. Counts come from those uniforms by
inversion, many processes in one vectorised call where they depend on the same state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from sw_volunteer.simulation._policy import require_solver, staff_weeks
from sw_volunteer.simulation._random import (
    binomial_from_uniform,
    poisson_from_uniform,
    replication_seed,
    uniform_block,
)
from sw_volunteer.simulation._scenario import (
    WEEKS_PER_MONTH,
    AddedPlaces,
    FundedPosts,
    RecruitmentCampaign,
    Scenario,
)
from sw_volunteer.vocab import SupervisionKind

__all__ = [
    "COUNT_METRICS",
    "HOUR_METRICS",
    "METRICS",
    "CompiledScenario",
    "metrics_from_counts",
    "pack_counts",
    "simulate_chunk",
    "simulate_counts",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

COUNT_METRICS: tuple[str, ...] = (
    "workers",
    "certified_workers",
    "supervisors",
    "vacancies",
    "volunteers",
    "new_volunteers",
    "clients",
    "clients_waiting",
    "sessions",
    "sessions_within_ratio",
    "sessions_short_of_adults",
    "volunteer_guidance_breach",
    "worker_supervision_breach",
)
"""Per week, replication and centre: whole numbers (breaches are 0 or 1)."""

HOUR_METRICS: tuple[str, ...] = (
    "volunteer_hours",
    "worker_hours",
    "client_hours_served",
    "client_hours_unserved",
)
"""Per week, replication and centre: hours."""

METRICS: tuple[str, ...] = COUNT_METRICS + HOUR_METRICS
"""Every metric the engine records per week, replication and centre."""

_SESSION_COUNTS: tuple[str, ...] = (
    "volunteer_shifts",
    "worker_shifts",
    "client_sessions_served",
    "client_sessions_unserved",
)
"""Whole-number counts the engine records in place of the hours, in the order of
[`HOUR_METRICS`][sw_volunteer.simulation.HOUR_METRICS]: the hours are these counts times the session
length (plus the sessions missed on the waiting list), computed once the chunks are together. Counts
travel between processes in a few bytes each; hours would take eight."""

_UNCAPPED = 1 << 40
_MEMORY_BUDGET = 32 * 1024 * 1024  # bytes of uniforms held at once (few, long draws per stream)


@dataclass(frozen=True)
class _Spans:
    """What a week needs to judge one kind of supervision span, per centre.

    The supervisees who need one of the centre's own supervisors in a week are
    ``max(0, floor(below * per_below + everyone * per_head + 0.5) - offset)``, where
    ``below`` counts the workers below the supervisor level and ``everyone`` the
    population (all volunteers, or all workers): a centre built from a network keeps
    the start day's share (``per_head``); one built by hand needs a supervisor for
    every worker below the level, less those supervised from outside. ``lent`` places
    of the centre's supervisors go to people outside that demand (other centres'
    people, several supervisors for one person); ``defect`` marks a centre with
    supervisees outside a qualified supervisor's span on the start day.
    """

    per_below: FloatArray  # (C,)
    per_head: FloatArray  # (C,)
    offset: IntArray  # (C,)
    lent: IntArray  # (C,)
    defect: npt.NDArray[np.bool_]  # (C,)
    any_defect: bool

    @classmethod
    def of(cls, scenario: Scenario, kind: SupervisionKind) -> _Spans:
        limits = scenario.limits
        rows: list[tuple[float, float, int, int, bool]] = []
        for centre in scenario.centres:
            defect = centre.start_defects(limits, kind) > 0
            if kind is SupervisionKind.GUIDANCE:
                loads, everyone = centre.guide_loads, centre.roster
                outside = centre.volunteers_guided_from_outside
                own = max(0, everyone - outside - centre.unguided_volunteers)
                need = own + centre.unguided_volunteers * limits.every_volunteer_guided
                rows.append(
                    (
                        0.0,
                        need / everyone if everyone else 1.0,
                        0,
                        max(0, sum(x.supervisees for x in loads) - own),
                        defect,
                    )
                )
                continue
            loads, everyone = centre.supervisor_loads, centre.workers.total
            if centre.workers_supervised is None:
                below = sum(centre.workers.as_tuple()[: limits.supervisor_level.rank])
                outside = centre.workers_supervised_from_outside
                own = max(0, below - outside)
                lent = max(0, sum(x.supervisees for x in loads) - own)
                rows.append((1.0, 0.0, outside, lent, defect))
                continue
            own = centre.workers_supervised
            lent = max(0, sum(x.supervisees for x in loads) - own)
            rows.append((0.0, own / everyone if everyone else 0.0, 0, lent, defect))
        columns = list(zip(*rows, strict=True))
        defects = np.array(columns[4], dtype=np.bool_)
        return cls(
            per_below=np.array(columns[0], dtype=np.float64),
            per_head=np.array(columns[1], dtype=np.float64),
            offset=np.array(columns[2], dtype=np.int64),
            lent=np.array(columns[3], dtype=np.int64),
            defect=defects,
            any_defect=bool(defects.any()),
        )

    def breach(
        self,
        below: IntArray,
        everyone: IntArray,
        supervisors: IntArray,
        span: int | None,
    ) -> npt.NDArray[np.bool_]:
        """Per replication and centre: a supervisee beyond the qualified supervisors' spans."""
        if span is None:
            return np.broadcast_to(self.defect, everyone.shape)
        need = np.floor(below * self.per_below + everyone * self.per_head + 0.5).astype(np.int64)
        need -= self.offset
        breach: npt.NDArray[np.bool_] = need > supervisors * span - self.lent
        if self.any_defect:
            breach |= self.defect
        return breach


@dataclass(frozen=True)
class CompiledScenario:
    """A scenario as arrays over centres (and weeks, for what interventions change)."""

    weeks: int
    centres: int
    early_weeks: int
    sessions_max: int
    workers: IntArray  # (C, 4)
    new_volunteers: IntArray  # (C, E)
    volunteers: IntArray  # (C,)
    clients: IntArray
    waiting: IntArray
    recruitment: FloatArray  # (T, C)
    posts: IntArray  # (T, C)
    places: IntArray  # (T, C)
    arrivals: FloatArray  # (C,)
    sessions: IntArray  # (C,)
    session_hours: FloatArray  # (C,)
    workers_per_session: IntArray  # (C,)
    clients_per_session: IntArray  # (C,)
    adult_share: FloatArray  # (C,)
    external_supervisors: IntArray  # (C,)
    external_guides: IntArray  # (C,)
    guidance: _Spans  # volunteers' guidance
    supervision: _Spans  # social workers' supervision
    ratio: FloatArray  # (C,) clients per adult; inf where no ratio applies
    group: IntArray  # (C,)
    shifts_per_volunteer: FloatArray  # (C,) shifts a volunteer gives a week
    stage1_p: FloatArray  # (E + 6,) per centre broadcast: leave x4, early, late, exit
    upgrade_p: FloatArray  # (3,)
    hire_p: float
    mix_p: FloatArray  # (3,) conditional probabilities of none, assistant, intermediate
    present_p: FloatArray  # (4, 1) certified, uncertified, volunteer, client
    supervisor_rank: int
    guide_rank: int
    max_workers_per_supervisor: int | None
    max_volunteers_per_supervisor: int | None
    max_on_shift: int | None
    min_adults: int
    min_certified: int
    volunteer_weight: float
    attendance: float
    planner: bool = False  # the scenario's policy is "planner"

    @property
    def uniforms_per_week(self) -> int:
        """Uniforms each replication draws per centre and week."""
        return self.early_weeks + 15 + 5 * self.sessions_max

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> CompiledScenario:
        """Compile ``scenario`` into arrays."""
        weeks, n = scenario.weeks, len(scenario.centres)
        index = {c.id: i for i, c in enumerate(scenario.centres)}
        early = scenario.early_weeks
        new = np.zeros((n, early), dtype=np.int64)
        for i, centre in enumerate(scenario.centres):
            new[i, : len(centre.new_volunteers)] = centre.new_volunteers
        recruitment = np.tile(
            np.array([c.recruitment_per_week for c in scenario.centres], dtype=np.float64)
            * scenario.recruitment_scale,
            (weeks, 1),
        )
        posts = np.tile(np.array([c.funded_posts for c in scenario.centres]), (weeks, 1))
        places = np.tile(
            np.array([_UNCAPPED if c.places is None else c.places for c in scenario.centres]),
            (weeks, 1),
        )
        for change in scenario.interventions:
            cols = [index[change.centre]] if change.centre is not None else list(range(n))
            if isinstance(change, RecruitmentCampaign):
                stop = min(weeks, change.week + change.weeks)
                recruitment[change.week : stop, cols] += change.extra_per_week
            elif isinstance(change, FundedPosts):
                posts[change.week :, cols] += change.posts
            elif isinstance(change, AddedPlaces):
                places[change.week :, cols] += change.places
        limits = scenario.limits
        ratios = [limits.ratio_for(c.need, c.setting) for c in scenario.centres]
        mix = np.array(scenario.hire_mix, dtype=np.float64)
        remaining = 1.0 - np.concatenate([[0.0], np.cumsum(mix)[:-1]])
        with np.errstate(divide="ignore", invalid="ignore"):
            conditional = np.where(remaining > 0, mix / remaining, 0.0)[:3]
        hours = np.array([c.session_hours for c in scenario.centres], dtype=np.float64)
        return cls(
            weeks=weeks,
            centres=n,
            early_weeks=early,
            sessions_max=max(c.sessions_per_week for c in scenario.centres),
            workers=np.array([c.workers.as_tuple() for c in scenario.centres], dtype=np.int64),
            new_volunteers=new,
            volunteers=np.array([c.volunteers for c in scenario.centres], dtype=np.int64),
            clients=np.array([c.clients for c in scenario.centres], dtype=np.int64),
            waiting=np.array([c.waiting for c in scenario.centres], dtype=np.int64),
            recruitment=recruitment,
            posts=posts.astype(np.int64),
            places=places.astype(np.int64),
            arrivals=np.array(
                [c.client_arrivals_per_week for c in scenario.centres], dtype=np.float64
            ),
            sessions=np.array([c.sessions_per_week for c in scenario.centres], dtype=np.int64),
            session_hours=hours,
            workers_per_session=np.array(
                [
                    _UNCAPPED if c.workers_per_session is None else c.workers_per_session
                    for c in scenario.centres
                ],
                dtype=np.int64,
            ),
            clients_per_session=np.array(
                [
                    _UNCAPPED if c.clients_per_session is None else c.clients_per_session
                    for c in scenario.centres
                ],
                dtype=np.int64,
            ),
            adult_share=np.array(
                [c.adult_volunteer_share for c in scenario.centres], dtype=np.float64
            ),
            external_supervisors=np.array(
                [c.external_supervisors for c in scenario.centres], dtype=np.int64
            ),
            external_guides=np.array([c.external_guides for c in scenario.centres], np.int64),
            guidance=_Spans.of(scenario, SupervisionKind.GUIDANCE),
            supervision=_Spans.of(scenario, SupervisionKind.PROFESSIONAL),
            ratio=np.array(
                [np.inf if r is None else r.max_clients_per_adult for r in ratios],
                dtype=np.float64,
            ),
            group=np.array(
                [
                    _UNCAPPED if r is None or r.max_group_size is None else r.max_group_size
                    for r in ratios
                ],
                dtype=np.int64,
            ),
            shifts_per_volunteer=scenario.volunteer_hours_per_month / WEEKS_PER_MONTH / hours,
            stage1_p=np.array(
                [scenario.weekly_turnover] * 4
                + [scenario.weekly_dropout_early] * early
                + [scenario.weekly_dropout_late, 1.0 / scenario.client_stay_weeks],
                dtype=np.float64,
            ),
            upgrade_p=1.0 - (1.0 - np.array(scenario.upgrade_per_year)) ** (1.0 / 52.0),
            hire_p=1.0 / scenario.hiring_delay_weeks,
            mix_p=conditional,
            present_p=np.array(
                [
                    [1.0 - scenario.worker_absence],
                    [1.0 - scenario.worker_absence],
                    [1.0 - scenario.no_show],
                    [scenario.client_attendance],
                ]
            ),
            supervisor_rank=limits.supervisor_level.rank,
            guide_rank=limits.guide_level.rank,
            max_workers_per_supervisor=limits.max_workers_per_supervisor,
            max_volunteers_per_supervisor=limits.max_volunteers_per_supervisor,
            max_on_shift=limits.max_volunteers_on_shift_per_worker,
            min_adults=limits.min_adults,
            min_certified=limits.min_certified_workers,
            volunteer_weight=limits.volunteer_weight,
            attendance=scenario.client_attendance,
            planner=scenario.policy == "planner",
        )


def simulate_chunk(
    scenario: Scenario, root: np.random.SeedSequence, start: int, stop: int
) -> dict[str, npt.NDArray[np.generic]]:
    """Simulate replications ``start`` to ``stop - 1``; arrays of shape (R, weeks, centres).

    Replication ``i`` uses the stream ``root.spawn(...)[i]`` and nothing else, so the
    arrays for it are the same in any chunk.
    """
    return metrics_from_counts(scenario, simulate_counts(scenario, root, start, stop))


def pack_counts(
    counts: Mapping[str, npt.NDArray[np.generic]],
) -> dict[str, npt.NDArray[np.generic]]:
    """``counts`` in the smallest unsigned integers that hold them (nothing is lost).

    What a worker process sends back: most counts fit a byte or two, a quarter or an
    eighth of what the recorded arrays take.
    """
    packed: dict[str, npt.NDArray[np.generic]] = {}
    for name, values in counts.items():
        low, high = (int(values.min()), int(values.max())) if values.size else (0, 0)
        packed[name] = values.astype(np.min_scalar_type(high)) if low >= 0 else values
    return packed


def metrics_from_counts(
    scenario: Scenario, counts: Mapping[str, npt.NDArray[np.generic]]
) -> dict[str, npt.NDArray[np.generic]]:
    """The recorded metrics (``METRICS``) from what ``simulate_counts`` returns.

    Counts become int32 arrays; hours are the session counts times the session length,
    and the unserved hours add the sessions missed by clients on the waiting list.
    """
    model = CompiledScenario.from_scenario(scenario)
    metrics: dict[str, npt.NDArray[np.generic]] = {
        name: np.asarray(counts[name], dtype=np.int32) for name in COUNT_METRICS
    }
    hours = model.session_hours
    in_hours = {
        metric: np.asarray(counts[name], dtype=np.int32) * hours
        for metric, name in zip(HOUR_METRICS, _SESSION_COUNTS, strict=True)
    }
    waiting = np.asarray(counts["clients_waiting"], dtype=np.int32)
    in_hours["client_hours_unserved"] += (
        waiting * model.sessions.astype(np.float64) * hours * model.attendance
    )
    metrics.update(in_hours)
    return metrics


def simulate_counts(
    scenario: Scenario, root: np.random.SeedSequence, start: int, stop: int
) -> dict[str, npt.NDArray[np.generic]]:
    """Simulate replications ``start`` to ``stop - 1``: the whole-number counts only.

    The counts of [`COUNT_METRICS`][sw_volunteer.simulation.COUNT_METRICS] and the session counts
    the hours come from (see ``metrics_from_counts``), each of shape (R, weeks, centres).
    """
    model = CompiledScenario.from_scenario(scenario)
    if model.planner:
        require_solver()
    reps = stop - start
    generators = [
        np.random.Generator(np.random.PCG64(replication_seed(root, i))) for i in range(start, stop)
    ]
    n, k, weeks = model.centres, model.uniforms_per_week, model.weeks
    window = max(1, min(weeks, _MEMORY_BUDGET // max(1, reps * n * k * 8)))
    block = np.empty((reps, window, n, k), dtype=np.float64)
    out: dict[str, npt.NDArray[np.generic]] = {
        name: np.zeros((reps, weeks, n), dtype=np.int32)
        for name in (*COUNT_METRICS, *_SESSION_COUNTS)
    }
    plan = _Plan.of(model)
    state = _State.initial(model, reps)
    for first in range(0, weeks, window):
        size = min(window, weeks - first)
        uniform_block(generators, block[:, :size])
        for offset in range(size):
            t = first + offset
            week_out = {m: a[:, t] for m, a in out.items()}
            _week(model, plan, state, t=t, u=block[:, offset], out=week_out)
    return out


@dataclass
class _State:
    """Who is there at the start of a week, per replication and centre.

    ``population`` holds, along its last axis, the social workers by level (4), the
    volunteers by week of tenure in their first months (E), the established
    volunteers and the clients: the counts the week's first draws thin, in the order
    of their uniforms and of ``CompiledScenario.stage1_p``.
    """

    population: IntArray  # (R, C, 4 + E + 2)
    waiting: IntArray  # (R, C)

    @classmethod
    def initial(cls, model: CompiledScenario, reps: int) -> _State:
        population = np.concatenate(
            [
                model.workers,
                model.new_volunteers,
                model.volunteers[:, None],
                model.clients[:, None],
            ],
            axis=-1,
        ).astype(np.int64)
        return cls(
            population=np.array(np.broadcast_to(population, (reps, *population.shape))),
            waiting=np.array(np.broadcast_to(model.waiting, (reps, model.centres)), np.int64),
        )


@dataclass(frozen=True)
class _Plan:
    """What every week shares: arrival rates, which session slots are held, ratios."""

    rates: FloatArray  # (T, C, 2): volunteer recruitment, client arrivals
    slot: IntArray  # (S,)
    held_slot: npt.NDArray[np.bool_]  # (C, S)
    every_slot_held: bool  # no centre holds fewer sessions than the most
    per_session: IntArray  # (C,)
    limited: npt.NDArray[np.bool_]  # (C, 1): a ratio applies
    every_centre_limited: bool
    ratio: FloatArray  # (C, 1): clients per adult, 1 where none applies
    group: IntArray  # (C, 1)
    limits: tuple[tuple[float, int, int, float, int | None], ...]  # per centre, for the planner

    @classmethod
    def of(cls, model: CompiledScenario) -> _Plan:
        slot = np.arange(model.sessions_max)
        held_slot = slot < model.sessions[:, None]
        limited = np.isfinite(model.ratio)[:, None]
        return cls(
            rates=np.stack(
                [model.recruitment, np.broadcast_to(model.arrivals, model.recruitment.shape)],
                axis=-1,
            ),
            slot=slot,
            held_slot=held_slot,
            every_slot_held=bool(held_slot.all()),
            per_session=np.maximum(model.sessions, 1),
            limited=limited,
            every_centre_limited=bool(limited.all()),
            ratio=np.where(limited, model.ratio[:, None], 1.0),
            group=model.group[:, None],
            limits=tuple(
                (
                    float(ratio),
                    int(group),
                    model.min_adults,
                    float(model.volunteer_weight),
                    model.max_on_shift,
                )
                for ratio, group in zip(model.ratio.tolist(), model.group.tolist(), strict=True)
            ),
        )


def _total(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Sum over the last axis (much faster than ``sum(axis=-1)`` for short axes).

    Every sum here is of whole numbers, so the order of the additions cannot matter.
    """
    if values.dtype == np.bool_:
        # Counted in bytes when no count can pass 255, in int64 otherwise.
        values = values.view(np.uint8)
        if values.shape[-1] > np.iinfo(np.uint8).max:
            values = values.astype(np.int64)
    total: npt.NDArray[Any] = np.einsum("...k->...", values)
    return total


def _replanned(
    model: CompiledScenario, plan: _Plan, present: IntArray, adult_volunteers: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """The planner policy's sessions: who comes to each, from everyone who can.

    ``present`` holds, per session, the certified and other social workers who can come,
    the volunteer shifts given and the clients who come; ``adult_volunteers`` the adults
    among those volunteers. Each session gets as many social workers as it rosters,
    certified first; the volunteers go where ``staff_weeks`` puts them. Returns the
    certified workers, the workers, the volunteers and the adult volunteers per session.
    """
    cap = model.workers_per_session[:, None]
    certified = np.minimum(present[..., 0, :], cap)
    workers = certified + np.minimum(present[..., 1, :], cap - certified)
    adults, others = staff_weeks(
        certified >= model.min_certified,
        workers,
        present[..., 3, :],
        _total(adult_volunteers),
        _total(present[..., 2, :] - adult_volunteers),
        plan.limits,
    )
    return certified, workers, adults + others, adults


def _week(  # noqa: PLR0912, PLR0915 - one week of every process, in order, kept together
    model: CompiledScenario,
    plan: _Plan,
    state: _State,
    *,
    t: int,
    u: FloatArray,
    out: Mapping[str, npt.NDArray[np.generic]],
) -> None:
    early = model.early_weeks
    population = state.population
    # Stage 1: everyone present at the start of the week may leave.
    population -= binomial_from_uniform(population, model.stage1_p, u[..., : early + 6])
    workers = population[..., :4]  # a view: changes below change the population
    upgraded = binomial_from_uniform(
        workers[..., :3],
        model.upgrade_p,
        u[..., early + 6 : early + 9],
    )
    workers[..., :3] -= upgraded
    workers[..., 1:] += upgraded
    vacancies = np.maximum(model.posts[t] - _total(workers), 0)
    # A count of zero is zero whatever its uniform: skipping it changes nothing.
    if vacancies.any():
        remaining = binomial_from_uniform(vacancies, np.asarray(model.hire_p), u[..., early + 9])
        for level in range(3):
            if not remaining.any():
                break
            got = binomial_from_uniform(
                remaining,
                model.mix_p[level : level + 1],
                u[..., early + 10 + level],
            )
            workers[..., level] += got
            remaining = remaining - got
        workers[..., 3] += remaining
        vacancies = np.maximum(model.posts[t] - _total(workers), 0)

    arrivals = poisson_from_uniform(plan.rates[t], u[..., early + 13 : early + 15])
    # Volunteers: the last early cohort joins the established ones, the others age a
    # week and this week's recruits are the youngest.
    if early:
        population[..., 4 + early] += population[..., 3 + early]
        population[..., 5 : 4 + early] = population[..., 4 : 3 + early].copy()
        population[..., 4] = arrivals[..., 0]
    else:
        population[..., 4] += arrivals[..., 0]
    new_total = _total(population[..., 4 : 4 + early])
    volunteers = population[..., 4 + early] + new_total

    clients = population[..., 5 + early]
    waiting = state.waiting + arrivals[..., 1]
    admitted = np.minimum(waiting, np.maximum(model.places[t] - clients, 0))
    clients += admitted  # a view: the population's clients
    waiting -= admitted
    state.waiting = waiting

    # Sessions: who is rostered follows from the counts, who shows up is random.
    total_workers = _total(workers)
    certified = total_workers - workers[..., 0]
    rostered = np.minimum(total_workers, model.workers_per_session)
    rostered_certified = np.minimum(certified, rostered)
    shifts = np.floor(volunteers * model.shifts_per_volunteer + 0.5).astype(np.int64)
    s = model.sessions_max
    shape = (*volunteers.shape, 4, s)
    n_present = np.empty(shape, dtype=np.int64)
    volunteer_roster = n_present[..., 2, :]
    np.add(
        (shifts // plan.per_session)[..., None],
        plan.slot < (shifts % plan.per_session)[..., None],
        out=volunteer_roster,
    )
    if model.planner:
        # Anyone may come, on the same uniforms: the planner rosters those who do.
        n_present[..., 0, :] = certified[..., None]
        n_present[..., 1, :] = (total_workers - certified)[..., None]
    else:
        if model.max_on_shift is not None:
            np.minimum(
                volunteer_roster, (model.max_on_shift * rostered)[..., None], out=volunteer_roster
            )
        n_present[..., 0, :] = rostered_certified[..., None]
        n_present[..., 1, :] = (rostered - rostered_certified)[..., None]
    n_present[..., 3, :] = np.minimum(clients, model.clients_per_session)[..., None]
    if not plan.every_slot_held:
        n_present *= plan.held_slot[:, None, :]
    base = early + 15
    present = binomial_from_uniform(
        n_present,
        model.present_p,
        u[..., base : base + 4 * s].reshape(shape),
    )
    present_volunteers = present[..., 2, :]
    attending = present[..., 3, :]
    adult_volunteers = binomial_from_uniform(
        present_volunteers,
        model.adult_share[:, None],
        u[..., base + 4 * s : base + 5 * s],
    )
    if model.planner:
        present_certified, present_workers, present_volunteers, adult_volunteers = _replanned(
            model, plan, present, adult_volunteers
        )
    else:
        present_certified = present[..., 0, :]
        present_workers = present_certified + present[..., 1, :]
    adults = adult_volunteers * float(model.volunteer_weight)
    adults += present_workers
    # Clients the adults present may look after; a tiny slack keeps 0.1 * 30 from
    # rounding down to 2 when the weight is fractional.
    capacity = adults * plan.ratio
    capacity += 1e-9
    np.floor(capacity, out=capacity)
    if not plan.every_centre_limited:
        capacity = np.where(plan.limited, capacity, float(_UNCAPPED))
    held = attending > 0
    if not plan.every_slot_held:
        held &= plan.held_slot
    adults_ok = adults >= model.min_adults
    enough_adults = capacity >= attending
    enough_adults &= adults_ok
    can_run = present_certified >= model.min_certified
    within = held & enough_adults
    within &= can_run
    within &= attending <= plan.group
    if model.max_on_shift is not None:
        within &= present_volunteers <= model.max_on_shift * present_workers
    can_run &= adults_ok
    served = np.minimum(attending, capacity)
    np.minimum(served, plan.group, out=served)
    served *= can_run

    supervisors = _total(workers[..., model.supervisor_rank :]) + model.external_supervisors
    supervisees = _total(workers[..., : model.supervisor_rank])
    guides = _total(workers[..., model.guide_rank :]) + model.external_guides

    out["workers"][:] = total_workers
    out["certified_workers"][:] = certified
    out["supervisors"][:] = supervisors
    out["vacancies"][:] = vacancies
    out["volunteers"][:] = volunteers
    out["new_volunteers"][:] = new_total
    out["clients"][:] = clients
    out["clients_waiting"][:] = waiting
    out["sessions"][:] = _total(held)
    out["sessions_within_ratio"][:] = _total(within)
    held &= ~enough_adults
    out["sessions_short_of_adults"][:] = _total(held)
    out["volunteer_guidance_breach"][:] = model.guidance.breach(
        volunteers, volunteers, guides, model.max_volunteers_per_supervisor
    )
    out["worker_supervision_breach"][:] = model.supervision.breach(
        supervisees, total_workers, supervisors, model.max_workers_per_supervisor
    )
    out["volunteer_shifts"][:] = _total(present_volunteers)
    out["worker_shifts"][:] = _total(present_workers)
    out["client_sessions_served"][:] = _total(served)  # whole numbers, held as floats
    attending = attending - served
    out["client_sessions_unserved"][:] = _total(attending)
