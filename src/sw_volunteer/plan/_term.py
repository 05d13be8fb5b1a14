"""A staffed term: who comes to each session so that every session rule holds.

The sessions are those [`session_rosters`][sw_volunteer.scheduling.session_rosters] expands from
the schedules in a window (the same sessions ``check(between=...)`` checks). Anyone of
the activity's centre may be rostered on a session if they can come (availability,
absences, the days they are on the roster: [`Availability`][sw_volunteer.scheduling.Availability])
and are not present at another session of the window that overlaps it. The pack's
session rules in force on the window's first day become constraints
([`TERM_KINDS`][sw_volunteer.plan.TERM_KINDS]), with the same definitions as the evaluators:

- ``adults_present``: social workers plus volunteers who count as adults on the day
  (a volunteer counts their weight) reach the minimum, with enough certified workers;
- ``client_adult_ratio``: the adults counted reach ``ceil(clients / ratio)`` for each
  rule of the session's setting and clients' needs (a group larger than its rule's
  group size cannot be staffed: it must be split);
- ``max_volunteers_on_shift_per_worker``, ``minors_accompanied``: as the rules say;
- ``no_minors_in_risky_activities``, ``insurance_for_risky_activities``,
  ``background_check_for_children``, ``professional_tasks_qualified``: who may not be
  rostered on the session at all;
- ``no_double_booking``: one session at a time for each person;
- a cap on each person's hours in a week (Monday to Sunday, by the session's start).

Centres share nobody, so each centre's sessions are a model of their own (the figures of
the result add up over centres). Each is solved on one CP-SAT worker; with more than one
worker, that many centres are solved at a time, so the roster does not depend on the
number of workers (CP-SAT's interleaved parallel search, which would make it depend on
it, is slower on these models).
The solve runs in two steps. First the smallest
relaxation: phantom "certified social
workers" and "adults" fill what nobody real can (fewest phantoms, then fewest certified
ones); a term that needs none is feasible. Then the roster, with the phantoms kept
where the first step put them:
the weighted sum of people used, assignments, distinct (person, activity) pairs (the
same faces week after week) and the largest number of hours anyone works (hours spread
fairly); a centre with 40 sessions or more states the weekly cap and the overlaps
against whether a person is used at all (the same rosters, a stronger relaxation for
the proof). When a relaxation is needed, the rules that conflict are named: the model is
solved again without phantoms, each session constraint and hour cap behind an
assumption literal, and CP-SAT's sufficient assumptions for infeasibility say which.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import Any

from sw_volunteer.models import Activity, Network, Period, SocialWorker, Volunteer
from sw_volunteer.plan._kinds import (
    NOT_FIXED,
    NOT_FIXED_ZH,
    NOT_STAFFED,
    TERM_KINDS,
    RefusedRule,
    refused_rules,
)
from sw_volunteer.plan._solver import (
    SolverOptions,
    SolveStatus,
    load_cp_model,
    new_solver,
    status_of,
)
from sw_volunteer.rules import (
    AdultsPresent,
    BackgroundCheckForChildren,
    CheckContext,
    ClientAdultRatio,
    MaxSupervisees,
    MinorsAccompanied,
    NoMinorsInRiskyActivities,
    Rule,
    RulesLike,
    resolve_rules,
)
from sw_volunteer.rules._day_facts import applies_to
from sw_volunteer.scheduling import Availability, Presence, SessionRoster, session_rosters

__all__ = [
    "Assignment",
    "Conflict",
    "Relaxation",
    "Roster",
    "Weights",
    "apply_roster",
    "staff_term",
]

_SCALE = 6000
"""The objective's unit: a weight of 1 is 6000 (so that an hour is 100 per minute)."""

_LONG_TERM = 40
"""A centre with this many sessions or more is solved with CP-SAT's full linear relaxation
and the stronger statement of who is used (``_TermModel.objective``)."""

_ESCALATE = 1.0
"""Work units a short term's roster gets with CP-SAT's default relaxation before the full one."""

_PHANTOM = 10
"""A phantom person costs this much in the first step; a phantom certified one, one more."""


@dataclass(frozen=True)
class Weights:
    """How much each aim of the roster weighs (all overridable; 0 leaves an aim out).

    Attributes:
        people: Each person used at least once (fewest people).
        assignments: Each person-session (no one rostered who is not needed).
        continuity: Each distinct (person, activity) pair (the same faces week after week).
        fairness: Each hour of the busiest person's total, in each centre (hours spread
            fairly). Off by default: a min-max aim is hard to prove optimal.

    Example:
        >>> Weights().people
        10.0
    """

    people: float = 10.0
    assignments: float = 1.0
    continuity: float = 1.0
    fairness: float = 0.0


@dataclass(frozen=True)
class Assignment:
    """One person rostered on one session.

    Attributes:
        session: The session's id (``activity@local start`` for a recurring activity).
        activity: The activity.
        start: When the session starts.
        end: When it ends.
        person: Who.
        role: ``worker`` (a social worker) or ``volunteer``.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import timedelta
        >>> net = sv.datasets.after_school_session()  # a child of 10, one session
        >>> at = net.activities[0].start
        >>> roster = staff_term(net, (at, at + timedelta(days=1)))
        >>> [(a.person, a.role, str(a.end - a.start)) for a in roster.assignments]
        [('w', 'worker', '2:00:00'), ('v1', 'volunteer', '2:00:00')]
    """

    session: str
    activity: str
    start: datetime
    end: datetime
    person: str
    role: str


@dataclass(frozen=True)
class Relaxation:
    """A session nobody available can staff within the rules, and the least that would.

    Attributes:
        session: The session's id.
        activity: The activity.
        start: When it starts.
        certified_workers: More certified social workers needed (each also an adult).
        adults: More adults needed besides them (social workers or adult volunteers).
        why: What cannot be had otherwise, in words (or that the group must be split).
        why_zh: The same, in Chinese.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import timedelta
        >>> net = sv.datasets.after_school_session()  # a child of 10, one session
        >>> at = net.activities[0].start
        >>> no_workers = net.model_copy(update={"workers": ()})
        >>> (short,) = staff_term(no_workers, (at, at + timedelta(days=1))).unstaffed
        >>> short.session, short.certified_workers, short.adults
        ('a', 1, 0)
    """

    session: str
    activity: str
    start: datetime
    certified_workers: int
    adults: int
    why: str
    why_zh: str = ""


@dataclass(frozen=True)
class Conflict:
    """One constraint of a set that cannot all hold (CP-SAT's sufficient assumptions).

    Attributes:
        kind: ``session_rule`` or ``hours_cap``.
        rule_id: The pack rule (for a session rule).
        subject: The session or person it is about.
        text: In words (English).
        text_zh: In words (Chinese).

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import timedelta
        >>> net = sv.datasets.after_school_session()  # a child of 10, one session
        >>> at = net.activities[0].start
        >>> capped = staff_term(net, (at, at + timedelta(days=1)), max_hours_per_week=1.5)
        >>> sorted((c.kind, c.subject) for c in capped.conflicts)
        [('hours_cap', 'w'), ('session_rule', 'a')]
    """

    kind: str
    rule_id: str | None
    subject: str
    text: str
    text_zh: str


@dataclass(frozen=True)
class Roster:
    """A staffed term: who comes to each session, and what could not be staffed.

    Attributes:
        start: The window's start.
        end: The window's end (exclusive).
        status: ``optimal`` or ``feasible`` (with a gap) when every session is staffed
            within the rules; ``infeasible`` when some need a relaxation (the roster is
            then the best one with the relaxation).
        objective: The weighted objective of the roster.
        bound: The solver's bound on it.
        assignments: Person -> session, in time order.
        sessions: Every session planned (id, activity, start, end), in time order.
        unstaffed: The sessions that need a relaxation, and how much.
        conflicts: When some do, constraints that cannot all hold.
        refused: Session rules of the pack the planner cannot plan for.
        hours: The hours each person rostered works in the window.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import timedelta
        >>> net = sv.datasets.after_school_session()  # a child of 10, one session
        >>> at = net.activities[0].start
        >>> roster = staff_term(net, (at, at + timedelta(days=1)))
        >>> roster.feasible, roster.people, roster.by_session(), roster.hours
        (True, ('v1', 'w'), {'a': ('v1', 'w')}, {'v1': 2.0, 'w': 2.0})
    """

    start: datetime
    end: datetime
    status: SolveStatus
    objective: float
    bound: float
    assignments: tuple[Assignment, ...]
    sessions: tuple[tuple[str, str, datetime, datetime], ...]
    unstaffed: tuple[Relaxation, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    refused: tuple[RefusedRule, ...] = ()
    hours: dict[str, float] = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        """Whether every session is staffed within the rules."""
        return self.status in {SolveStatus.OPTIMAL, SolveStatus.FEASIBLE}

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone rostered at least once, sorted."""
        return tuple(sorted({a.person for a in self.assignments}))

    def by_session(self) -> dict[str, tuple[str, ...]]:
        """Session id -> who is rostered (sorted), for every session planned."""
        found: dict[str, list[str]] = {s[0]: [] for s in self.sessions}
        for a in self.assignments:
            found[a.session].append(a.person)
        return {s: tuple(sorted(p)) for s, p in found.items()}


def _can_fire(rules: Iterable[Rule], activities: Iterable[Activity]) -> set[str]:
    """The session rules that can fire on one of ``activities`` (their declared scope).

    A rule about outings is not refused for a term of after-school sessions: it could
    not have found anything there.
    """
    kinds = list(activities)
    return {
        rule.id
        for rule in rules
        if rule.registration.scope != "network"
        and any(applies_to(rule.registration.evaluator, rule.parsed_params, a) for a in kinds)
    }


@dataclass
class _Session:
    roster: SessionRoster
    centre: str
    minutes: int
    week: tuple[int, int]
    eligible: list[SocialWorker | Volunteer]
    needs: list[tuple[str, str, int, str]] = field(default_factory=list)  # rule, what, n, text
    split: tuple[str, str] = ("", "")


def _rules(ctx: CheckContext, kind: str) -> list[tuple[str, Any]]:
    return [(rule.id, params) for rule, params in ctx.rules_with_params(kind)]


def _may_serve(person: SocialWorker | Volunteer, roster: SessionRoster, ctx: CheckContext) -> bool:
    """Whether ``person`` may be rostered on the session at all (who-may-come rules)."""
    activity = roster.activity
    day = roster.start.date()
    for task in activity.tasks:
        if task.person == person.id and not person.qualifications & task.task.qualifications:
            return False
    if isinstance(person, SocialWorker):
        return True
    if activity.risky:
        for _, params in _rules(ctx, "no_minors_in_risky_activities"):
            assert isinstance(params, NoMinorsInRiskyActivities)  # noqa: S101 - registry type
            if not person.is_adult_on(day, adult_age=params.adult_age):
                return False
        if _rules(ctx, "insurance_for_risky_activities") and not person.is_insured_on(day):
            return False
    for _, params in _rules(ctx, "background_check_for_children"):
        assert isinstance(params, BackgroundCheckForChildren)  # noqa: S101 - registry type
        if _serves_children(activity, ctx) and not _checked(person, day, params):
            return False
    return True


def _serves_children(activity: Activity, ctx: CheckContext) -> bool:
    needs = ctx.programme_needs.get(activity.programme, frozenset())
    return any(n.is_child for n in needs) or any(n.is_child for n in ctx.client_needs(activity))


def _checked(v: Volunteer, day: date, params: BackgroundCheckForChildren) -> bool:
    if v.background_check_on is None or v.background_check_on > day:
        return False
    if params.valid_years is None:
        return True
    return day - v.background_check_on <= timedelta(days=365.25 * params.valid_years)


def staff_term(
    network: Network,
    between: tuple[datetime, datetime],
    pack: RulesLike = None,
    *,
    activities: Iterable[str] | None = None,
    weights: Weights | None = None,
    max_hours_per_week: float | None = None,
    options: SolverOptions | None = None,
) -> Roster:
    """Who staffs each session of ``between`` so that every session rule holds.

    Args:
        network: The network: its schedules give the sessions, its people the pool.
        between: The window ``[start, end)`` (aware datetimes).
        pack: The rules (as [`check`][sw_volunteer.rules.check] takes them); the session rules
            in force on the window's first day are kept.
        activities: The activities to staff (default: every activity with a session in
            the window). Sessions of the others keep their own people, who are then
            busy at those times.
        weights: How the aims of the roster weigh ([`Weights`][sw_volunteer.plan.Weights]).
        max_hours_per_week: The most hours anyone is rostered in a week (Monday to
            Sunday); ``None``: no cap.
        options: How the solver runs (default: deterministic, one worker). Each
            centre's model is solved on one CP-SAT worker; ``workers`` is how many
            centres are solved at a time (the roster does not depend on it).

    Returns:
        The roster, with the sessions that need a relaxation and, then, the
        constraints that conflict.

    Raises:
        MissingDependencyError: OR-Tools (the ``plan`` extra) is not installed.
        KeyError: An id of ``activities`` names no activity of the network.
        TimeoutError: The solver's limits were reached before any roster was found.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2013, 11, 18, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
        ...     volunteers=[sv.Volunteer(id=v, name="V", centre="c") for v in ("v1", "v2")],
        ...     clients=[sv.Client(id="k", name="K", centre="c", needs=["child_9_12"])],
        ...     programmes=[sv.Programme(id="p", name="P", centre="c",
        ...                              service_area="after_school_care")],
        ...     activities=[sv.Activity(id="a", name="A", programme="p", start=at,
        ...                             end=at + timedelta(hours=1), clients=["k"])],
        ... )
        >>> roster = staff_term(net, (at, at + timedelta(days=1)))
        >>> roster.status.value, roster.by_session()
        ('optimal', {'a': ('v1', 'w')})
    """
    cp = load_cp_model()
    start, end = between
    weights = weights if weights is not None else Weights()
    solve_options = options if options is not None else SolverOptions()
    resolved = resolve_rules(pack)
    in_force, _ = resolved.in_force_on(start.date())
    ctx = CheckContext(network=network, on=start.date(), pack=in_force)
    index = Availability(network, start, end)
    wanted = None if activities is None else set(activities)
    sessions = _sessions(network, ctx, index, start, end, wanted)
    refused = tuple(
        # a kind the planner knows but does not staff for (papers, vehicles): its reason
        RefusedRule(r.rule_id, r.kind, NOT_FIXED[r.kind], NOT_FIXED_ZH[r.kind])
        if r.kind in NOT_STAFFED
        else r
        for r in refused_rules(in_force.rules, TERM_KINDS)
        if r.rule_id
        in _can_fire(
            in_force.rules, {s.roster.activity.id: s.roster.activity for s in sessions}.values()
        )
    )
    # Centres share nobody: each is a model of its own.
    by_centre: dict[str, list[_Session]] = defaultdict(list)
    for s in sessions:
        by_centre[s.centre].append(s)
    centres = [part for _, part in sorted(by_centre.items())]
    # Each centre's model on one CP-SAT worker; ``workers`` centres at a time (the
    # solver releases the interpreter while it searches). CP-SAT's interleaved
    # parallel search is slower on these models (the 4:30 school's autumn term: 5 work
    # units on two workers, 1.6 on one), so the roster is the one a single worker gives.
    one = dataclasses.replace(solve_options, workers=1)
    if solve_options.workers > 1 and len(centres) > 1:
        with ThreadPoolExecutor(max_workers=solve_options.workers) as pool:
            parts = list(
                pool.map(
                    lambda part: _solve_part(
                        cp, network, ctx, part, max_hours_per_week, weights, one
                    ),
                    centres,
                )
            )
    else:
        parts = [
            _solve_part(cp, network, ctx, part, max_hours_per_week, weights, one)
            for part in centres
        ]
    assignments = sorted(
        (a for part in parts for a in part.assignments),
        key=lambda a: (a.start, a.session, a.role != "worker", a.person),
    )
    relaxations = sorted((r for part in parts for r in part.relaxations), key=lambda r: r.start)
    status = SolveStatus.OPTIMAL
    if any(part.status is SolveStatus.FEASIBLE for part in parts):
        status = SolveStatus.FEASIBLE
    if relaxations:
        status = SolveStatus.INFEASIBLE
    hours: dict[str, float] = defaultdict(float)
    for a in assignments:
        hours[a.person] += (a.end - a.start).total_seconds() / 3600
    return Roster(
        start=start,
        end=end,
        status=status,
        objective=round(sum(part.objective for part in parts) / _SCALE, 2),
        bound=round(sum(part.bound for part in parts) / _SCALE, 2),
        assignments=tuple(assignments),
        sessions=tuple(
            (s.roster.session_id, s.roster.activity.id, s.roster.start, s.roster.end)
            for s in sessions
        ),
        unstaffed=tuple(relaxations),
        conflicts=tuple(c for part in parts for c in part.conflicts),
        refused=refused,
        hours=dict(sorted(hours.items())),
    )


@dataclass
class _Part:
    """One centre's roster."""

    status: SolveStatus
    objective: float
    bound: float
    assignments: list[Assignment]
    relaxations: list[Relaxation]
    conflicts: tuple[Conflict, ...]


def _solve_part(  # noqa: PLR0917 - one call, from staff_term
    cp: Any,
    network: Network,
    ctx: CheckContext,
    sessions: list[_Session],
    max_hours_per_week: float | None,
    weights: Weights,
    options: SolverOptions,
) -> _Part:
    """The two steps of the module notes, for one centre's sessions."""
    build = _TermModel(cp, network, ctx, sessions, max_hours_per_week)
    escalate = options.linearization is None and len(sessions) < _LONG_TERM
    if options.linearization is None:
        level = 2 if len(sessions) >= _LONG_TERM else 1
        options = dataclasses.replace(options, linearization=level)
    # Step 1: the smallest relaxation.
    build.model.minimize(build.relaxation)
    solver = new_solver(options)
    first = status_of(solver.solve(build.model))
    if first not in {SolveStatus.OPTIMAL, SolveStatus.FEASIBLE}:
        raise TimeoutError("the solver found no roster in its time: raise the work limit")
    least = round(solver.objective_value)
    relaxations = build.relaxations(solver)
    # Step 2: the best roster with the phantoms where step 1 put them.
    build.hint(solver)
    build.fix_relaxation(solver)
    build.model.minimize(build.objective(weights, strong=len(sessions) >= _LONG_TERM))
    if escalate and options.work_limit > _ESCALATE:
        # A short term first tries CP-SAT's default relaxation for a little work; the
        # rare model it does not prove in that time is solved with the full one, from
        # the best roster found (all in deterministic time: the same on every run).
        solver = new_solver(dataclasses.replace(options, work_limit=_ESCALATE))
        status = status_of(solver.solve(build.model))
        if status is not SolveStatus.OPTIMAL:
            if status is SolveStatus.FEASIBLE:
                build.hint(solver)
            options = dataclasses.replace(
                options, linearization=2, work_limit=options.work_limit - _ESCALATE
            )
            solver = new_solver(options)
            status = status_of(solver.solve(build.model))
    else:
        solver = new_solver(options)
        status = status_of(solver.solve(build.model))
    if status not in {SolveStatus.OPTIMAL, SolveStatus.FEASIBLE}:
        raise TimeoutError("the solver found no roster in its time: raise the work limit")
    conflicts: tuple[Conflict, ...] = ()
    if least > 0:
        conflicts = _explain(cp, network, ctx, sessions, max_hours_per_week, options)
    return _Part(
        status,
        solver.objective_value,
        solver.best_objective_bound,
        build.assignments(solver),
        relaxations,
        conflicts,
    )


def _sessions(  # noqa: PLR0917 - one call, from staff_term
    network: Network,
    ctx: CheckContext,
    index: Availability,
    start: datetime,
    end: datetime,
    wanted: set[str] | None,
) -> list[_Session]:
    """The sessions to staff, each with who may come (the others' people are busy)."""
    if wanted is not None:
        missing = wanted - {a.id for a in network.activities}
        if missing:
            raise KeyError(f"no activity {min(missing)!r} in the network")
    every = list(session_rosters(network, start, end, availability=index))
    planned = [r for r in every if wanted is None or r.activity.id in wanted]
    busy = [
        (r.start.timestamp(), r.end.timestamp(), r.present)
        for r in every
        if not (wanted is None or r.activity.id in wanted)
    ]
    people_of: dict[str, list[SocialWorker | Volunteer]] = defaultdict(list)
    for w in sorted(network.workers, key=lambda w: w.id):
        people_of[w.centre].append(w)
    for v in sorted(network.volunteers, key=lambda v: v.id):
        people_of[v.centre].append(v)
    out = []
    for roster in planned:
        a, b = roster.start.timestamp(), roster.end.timestamp()
        taken = {p for s, e, present in busy if s < b and a < e for p in present}
        centre = network.centre_of(roster.activity.programme).id
        eligible = [
            p
            for p in people_of[centre]
            if p.id not in taken
            and index.presence_ts(p.id, a, b) is Presence.AVAILABLE
            and _may_serve(p, roster, ctx)
        ]
        iso = roster.start.date().isocalendar()
        out.append(
            _Session(
                roster,
                centre,
                round((roster.end - roster.start).total_seconds() / 60),
                (iso.year, iso.week),
                eligible,
            )
        )
    return out


class _TermModel:
    """The CP-SAT model of a term (see the module notes)."""

    def __init__(
        self,
        cp: Any,
        network: Network,
        ctx: CheckContext,
        sessions: list[_Session],
        cap_hours: float | None,
        *,
        phantoms: bool = True,
    ) -> None:
        self.model = model = cp.CpModel()
        self.ctx = ctx
        self.network = network
        self.sessions = sessions
        self.x: dict[tuple[int, str], Any] = {}
        self.guards: list[tuple[Any, Conflict]] = []
        self.phantom_cert: list[Any] = []
        self.phantom_adult: list[Any] = []
        self.splits: dict[int, tuple[str, str]] = {}
        self.cliques: list[tuple[str, list[int]]] = []
        self.cap_minutes = None if cap_hours is None else round(cap_hours * 60)
        for n, s in enumerate(sessions):
            for p in s.eligible:
                self.x[n, p.id] = model.new_bool_var(f"x:{n}:{p.id}")
        for n, s in enumerate(sessions):
            pc = model.new_int_var(0, 1000 if phantoms else 0, f"pc:{n}")
            pa = model.new_int_var(0, 1000 if phantoms else 0, f"pa:{n}")
            self.phantom_cert.append(pc)
            self.phantom_adult.append(pa)
            self._session_rules(n, s, pc, pa, phantoms=phantoms)
        self._one_at_a_time()
        if cap_hours is not None:
            self._hours_cap(cap_hours, guarded=not phantoms)
        if phantoms:
            self._alike_in_order()
        self.relaxation = sum(
            (_PHANTOM + 1) * pc + _PHANTOM * pa
            for pc, pa in zip(self.phantom_cert, self.phantom_adult, strict=True)
        )

    def _ages(self) -> tuple[int, ...]:
        """Every age a session rule of the pack asks about."""
        ages = {self.ctx.adults.adult_age}
        for _, params in _rules(self.ctx, "adults_present"):
            ages.add(params.adult_age)
        for _, params in _rules(self.ctx, "minors_accompanied"):
            ages.update((params.under_age, params.adult_age))
        return tuple(sorted(ages))

    def _alike_in_order(self) -> None:
        """People no rule or aim can tell apart work in order: the first the most minutes.

        Two people are alike when they may serve on the same sessions and every rule
        sees the same of them there (kind, certification, ages, no task of their own).
        Any roster can be permuted so that alike people's minutes decrease, so the
        order removes only mirror images of rosters, and the solver proves the best one
        much sooner.
        """
        ages = self._ages()
        tasked = {t.person for s in self.sessions for t in s.roster.activity.tasks}
        where: dict[str, list[int]] = defaultdict(list)
        for n, p in self.x:
            where[p].append(n)
        classes: dict[tuple[Any, ...], list[str]] = defaultdict(list)
        for p, found in sorted(where.items()):
            if p in tasked:
                continue
            person = self.network.get(p)
            if isinstance(person, SocialWorker):
                key: tuple[Any, ...] = ("worker", person.certification.is_certified, tuple(found))
            else:
                assert isinstance(person, Volunteer)  # noqa: S101 - eligible people
                days = [self.sessions[n].roster.start.date() for n in found]
                seen = tuple(
                    (person.is_adult_on(d, adult_age=a), person.counts_as_adult_on(d, adult_age=a))
                    for d in days
                    for a in ages
                )
                key = ("volunteer", tuple(found), seen)
            classes[key].append(p)
        for alike in classes.values():
            loads = [sum(self.sessions[n].minutes * self.x[n, p] for n in where[p]) for p in alike]
            for first, second in pairwise(loads):
                self.model.add(first >= second)

    def _guard(self, constraint: Any, conflict: Conflict, *, guarded: bool) -> None:
        if guarded:
            lit = self.model.new_bool_var(f"g:{len(self.guards)}")
            constraint.only_enforce_if(lit)
            self.guards.append((lit, conflict))

    def _session_rules(self, n: int, s: _Session, pc: Any, pa: Any, *, phantoms: bool) -> None:
        model, ctx = self.model, self.ctx
        roster = s.roster
        activity = roster.activity
        day = roster.start.date()
        sid = roster.session_id
        workers = [self.x[n, p.id] for p in s.eligible if isinstance(p, SocialWorker)]
        certified = [
            self.x[n, p.id]
            for p in s.eligible
            if isinstance(p, SocialWorker) and p.certification.is_certified
        ]
        volunteers = [self.x[n, p.id] for p in s.eligible if isinstance(p, Volunteer)]
        counting = ctx.adults
        weight = Fraction(counting.volunteer_weight).limit_denominator(1000)
        adult_vols = [
            self.x[n, p.id]
            for p in s.eligible
            if isinstance(p, Volunteer) and p.counts_as_adult_on(day, adult_age=counting.adult_age)
        ]
        staff = sum(workers) + pc + pa
        clients = activity.client_count
        guarded = not phantoms

        def counted(params: AdultsPresent) -> tuple[Any, int]:
            w = Fraction(params.volunteer_weight).limit_denominator(1000)
            vols = [
                self.x[n, p.id]
                for p in s.eligible
                if isinstance(p, Volunteer)
                and p.counts_as_adult_on(day, adult_age=params.adult_age)
            ]
            return w.denominator * staff + w.numerator * sum(vols), w.denominator

        if clients:
            for rule_id, params in _rules(ctx, "adults_present"):
                assert isinstance(params, AdultsPresent)  # noqa: S101 - registry type
                total, den = counted(params)
                need = params.staffing(activity.kind)
                self._guard(
                    model.add(total >= den * need.min_adults),
                    _conflict(
                        rule_id, sid, f"{need.min_adults} adults", f"{need.min_adults} 名成年人"
                    ),
                    guarded=guarded,
                )
                if need.min_certified_workers:
                    self._guard(
                        model.add(sum(certified) + pc >= need.min_certified_workers),
                        _conflict(
                            rule_id,
                            sid,
                            f"{need.min_certified_workers} certified social worker(s)",
                            f"{need.min_certified_workers} 名持证社工",
                        ),
                        guarded=guarded,
                    )
            needs = ctx.client_needs(activity)
            for rule_id, params in _rules(ctx, "client_adult_ratio"):
                assert isinstance(params, ClientAdultRatio)  # noqa: S101 - registry type
                if params.setting is not activity.setting or params.need not in needs:
                    continue
                if params.max_group_size is not None and clients > params.max_group_size:
                    self.splits[n] = (
                        (
                            f"{clients} clients, more than a group of {params.max_group_size} "
                            f"({rule_id}): split the group"
                        ),
                        (
                            f"{clients} 名服务对象，超过每组 {params.max_group_size} 人"
                            f"（{rule_id}）：须分组"
                        ),
                    )
                required = math.ceil(clients / params.max_clients_per_adult)
                total = weight.denominator * staff + weight.numerator * sum(adult_vols)
                self._guard(
                    model.add(total >= weight.denominator * required),
                    _conflict(
                        rule_id,
                        sid,
                        f"{required} adults for {clients} clients",
                        f"{clients} 名服务对象需 {required} 名成年人",
                    ),
                    guarded=guarded,
                )
        for rule_id, params in _rules(ctx, "max_volunteers_on_shift_per_worker"):
            assert isinstance(params, MaxSupervisees)  # noqa: S101 - registry type
            self._guard(
                model.add(sum(volunteers) <= params.limit * staff),
                _conflict(
                    rule_id,
                    sid,
                    f"at most {params.limit} volunteers per social worker",
                    f"每名社工至多带 {params.limit} 名志愿者",
                ),
                guarded=guarded,
            )
        for rule_id, params in _rules(ctx, "minors_accompanied"):
            assert isinstance(params, MinorsAccompanied)  # noqa: S101 - registry type
            grown = [
                self.x[n, p.id]
                for p in s.eligible
                if isinstance(p, Volunteer)
                and p.counts_as_adult_on(day, adult_age=params.adult_age)
            ]
            for p in s.eligible:
                if isinstance(p, Volunteer) and not p.is_adult_on(day, adult_age=params.under_age):
                    self._guard(
                        model.add(self.x[n, p.id] <= staff + sum(grown)),
                        _conflict(rule_id, sid, f"{p.id} with an adult", f"{p.id} 须有成年人陪同"),
                        guarded=guarded,
                    )

    def _one_at_a_time(self) -> None:
        """Nobody on two overlapping sessions (a clique at each session's start)."""
        spans = [(s.roster.start.timestamp(), s.roster.end.timestamp()) for s in self.sessions]
        by_person: dict[str, list[int]] = defaultdict(list)
        for n, p in self.x:
            by_person[p].append(n)
        for person, found in by_person.items():
            for n in found:
                a = spans[n][0]
                clique = [m for m in found if spans[m][0] <= a < spans[m][1]]
                if len(clique) > 1:
                    self.cliques.append((person, clique))
                    self.model.add(sum(self.x[m, person] for m in clique) <= 1)

    def _hours_cap(self, cap: float, *, guarded: bool) -> None:
        by_week: dict[tuple[str, tuple[int, int]], list[tuple[int, Any]]] = defaultdict(list)
        for (n, p), var in self.x.items():
            s = self.sessions[n]
            by_week[p, s.week].append((s.minutes, var))
        for (person, week), found in by_week.items():
            self._guard(
                self.model.add(sum(m * v for m, v in found) <= round(cap * 60)),
                Conflict(
                    "hours_cap",
                    None,
                    person,
                    f"{person} works at most {cap:g} hours in week {week[1]} of {week[0]}",
                    f"{person} 在 {week[0]} 年第 {week[1]} 周至多服务 {cap:g} 小时",
                ),
                guarded=guarded,
            )

    def objective(self, weights: Weights, *, strong: bool = False) -> Any:
        """The weighted aims of the roster, in units of ``1 / _SCALE``.

        A person (or a person and activity) counts as used when any of their
        assignments is made (``x <= used`` for each assignment). With ``strong``, the
        week's cap and each clique of overlapping sessions are stated against ``used``
        too (an unused person has no hours and no session): the same integer solutions
        and a much stronger linear relaxation, which a long term needs for its proof
        (the 4:30 school's autumn term: half the time) and a short one pays for (a
        centre of the synthetic city: twice the time).
        """
        model = self.model
        terms: list[Any] = []
        people: dict[str, list[int]] = defaultdict(list)
        pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
        for n, p in self.x:
            people[p].append(n)
            pairs[p, self.sessions[n].roster.activity.id].append(n)
        if weights.assignments:
            terms.append(round(weights.assignments * _SCALE) * sum(self.x.values()))
        cliques: dict[str, list[list[int]]] = defaultdict(list)
        for person, clique in self.cliques:
            cliques[person].append(clique)
        for groups, weight in ((people, weights.people), (pairs, weights.continuity)):
            if not weight:
                continue
            for key, found in groups.items():
                person = key if isinstance(key, str) else key[0]
                used = model.new_bool_var(f"used:{key}")
                for n in found:
                    model.add_implication(self.x[n, person], used)
                if strong:
                    self._tighten(person, found, used, cliques[person])
                terms.append(round(weight * _SCALE) * used)
        if weights.fairness and people:
            longest = sum(s.minutes for s in self.sessions)
            busiest = model.new_int_var(0, longest, "busiest")
            for p, found in people.items():
                model.add(busiest >= sum(self.sessions[n].minutes * self.x[n, p] for n in found))
            # per hour of the busiest person: per minute, weight * _SCALE / 60
            terms.append(round(weights.fairness * _SCALE / 60) * busiest)
        return sum(terms)

    def _tighten(self, person: str, found: list[int], used: Any, cliques: list[list[int]]) -> None:
        """The cap and the overlaps of ``found`` stated against ``used`` (see objective)."""
        model = self.model
        inside = set(found)
        if self.cap_minutes is not None:
            by_week: dict[tuple[int, int], list[int]] = defaultdict(list)
            for n in found:
                by_week[self.sessions[n].week].append(n)
            for week in by_week.values():
                minutes = [self.sessions[n].minutes for n in week]
                if sum(minutes) > self.cap_minutes:
                    model.add(
                        sum(m * self.x[n, person] for m, n in zip(minutes, week, strict=True))
                        <= self.cap_minutes * used
                    )
        for clique in cliques:
            here = [n for n in clique if n in inside]
            if len(here) > 1:
                model.add(sum(self.x[n, person] for n in here) <= used)

    def fix_relaxation(self, solver: Any) -> None:
        """Keep the phantoms where the first step put them (the roster is built around them)."""
        for var in (*self.phantom_cert, *self.phantom_adult):
            self.model.add(var == solver.value(var))

    def hint(self, solver: Any) -> None:
        """Start the next solve from this solution (in place of any earlier hint)."""
        self.model.clear_hints()
        for var in self.x.values():
            self.model.add_hint(var, solver.value(var))

    def relaxations(self, solver: Any) -> list[Relaxation]:
        """The sessions with phantoms in the solution."""
        out = []
        for n, s in enumerate(self.sessions):
            pc, pa = solver.value(self.phantom_cert[n]), solver.value(self.phantom_adult[n])
            split = self.splits.get(n)
            if pc or pa or split:
                roster = s.roster
                why, why_zh = split or _why(roster, s, pc, pa)
                out.append(
                    Relaxation(
                        roster.session_id, roster.activity.id, roster.start, pc, pa, why, why_zh
                    )
                )
        return out

    def assignments(self, solver: Any) -> list[Assignment]:
        """The solution's person -> session pairs, in time order."""
        out = []
        for (n, p), var in self.x.items():
            if solver.value(var):
                r = self.sessions[n].roster
                role = "worker" if isinstance(self.network.get(p), SocialWorker) else "volunteer"
                out.append(Assignment(r.session_id, r.activity.id, r.start, r.end, p, role))
        out.sort(key=lambda a: (a.start, a.session, a.role != "worker", a.person))
        return out


def _conflict(rule_id: str, session: str, what: str, what_zh: str) -> Conflict:
    return Conflict(
        "session_rule",
        rule_id,
        session,
        f"session {session} needs {what} ({rule_id})",
        f"活动 {session} 需要 {what_zh}（{rule_id}）",
    )


def _why(roster: SessionRoster, s: _Session, pc: int, pa: int) -> tuple[str, str]:
    certified = sum(
        1 for p in s.eligible if isinstance(p, SocialWorker) and p.certification.is_certified
    )
    parts, parts_zh = [], []
    if pc:
        parts.append(f"{pc} more certified social worker(s)")
        parts_zh.append(f"再增加 {pc} 名持证社工")
    if pa:
        parts.append(f"{pa} more adult(s)")
        parts_zh.append(f"再增加 {pa} 名成年人")
    when = f"{roster.start:%Y-%m-%d %H:%M}"
    return (
        (
            f"{' and '.join(parts)} on {when}: "
            f"{len(s.eligible)} people can come, {certified} of them certified"
        ),
        f"{when}：{'，'.join(parts_zh)}；可到场 {len(s.eligible)} 人，其中持证社工 {certified} 人",
    )


def _explain(  # noqa: PLR0917 - one call, from staff_term
    cp: Any,
    network: Network,
    ctx: CheckContext,
    sessions: list[_Session],
    cap_hours: float | None,
    options: SolverOptions,
) -> tuple[Conflict, ...]:
    """Constraints that cannot all hold, from CP-SAT's sufficient assumptions."""
    build = _TermModel(cp, network, ctx, sessions, cap_hours, phantoms=False)
    if not build.guards:
        return ()
    build.model.add_assumptions([lit for lit, _ in build.guards])
    solver = new_solver(SolverOptions(workers=1, seed=options.seed, work_limit=options.work_limit))
    if status_of(solver.solve(build.model)) is not SolveStatus.INFEASIBLE:
        return ()
    core = set(solver.sufficient_assumptions_for_infeasibility())
    return tuple(c for lit, c in build.guards if lit.index in core)


def apply_roster(network: Network, roster: Roster) -> Network:
    """The network with the roster's sessions as one-off activities with their people.

    Each planned activity is replaced by one activity per session of the window (its id
    is the session's id; its start and end the session's; its workers and volunteers
    those rostered; its tasks those of the people rostered). A recurring activity
    keeps its sessions outside the window: the window's local days are excluded from
    its schedule (so a session on the window's first or last day but outside it is
    left out too). ``check(..., between=(roster.start, roster.end))`` of the result
    evaluates exactly the roster.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2013, 11, 18, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
        ...     volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        ...     clients=[sv.Client(id="k", name="K", centre="c", needs=["child_9_12"])],
        ...     programmes=[sv.Programme(id="p", name="P", centre="c",
        ...                              service_area="after_school_care")],
        ...     supervisions=[sv.Supervision(id="s", supervisor="w", supervisee="v",
        ...                                  kind="guidance", start=date(2013, 1, 1))],
        ...     activities=[sv.Activity(id="a", name="A", programme="p", start=at,
        ...                             end=at + timedelta(hours=1), clients=["k"])],
        ... )
        >>> window = (at, at + timedelta(days=1))
        >>> sv.check(net, between=window).ok
        False
        >>> staffed = apply_roster(net, staff_term(net, window))
        >>> sv.check(staffed, between=window).ok
        True
    """
    by_session: dict[str, list[Assignment]] = defaultdict(list)
    for a in roster.assignments:
        by_session[a.session].append(a)
    planned = sorted({activity for _, activity, _, _ in roster.sessions})
    current = network
    for activity_id in planned:
        template = network.activity(activity_id)
        if template.schedule is None:
            continue  # replaced by its one session, same id, below
        schedule = template.schedule
        zone = schedule.zone
        first = roster.start.astimezone(zone).date()
        last = (roster.end - timedelta(microseconds=1)).astimezone(zone).date()
        closed = schedule.model_copy(
            update={"exclude": (*schedule.exclude, Period(start=first, until=last))}
        )
        closed = type(schedule).model_validate(closed.model_dump())
        current = current.with_replaced(template.model_copy(update={"schedule": closed}))
    added = []
    for session, activity_id, start, end in roster.sessions:
        template = network.activity(activity_id)
        here = by_session.get(session, [])
        people = {a.person for a in here}
        added.append(
            template.model_copy(
                update={
                    "id": session,
                    "start": start,
                    "end": end,
                    "schedule": None,
                    "workers": frozenset(a.person for a in here if a.role == "worker"),
                    "volunteers": frozenset(a.person for a in here if a.role == "volunteer"),
                    "tasks": tuple(t for t in template.tasks if t.person in people),
                }
            )
        )
    one_offs = [a for a in added if a.id in current]
    if one_offs:
        current = current.with_replaced(*one_offs)
    return current.with_added(*(a for a in added if a.id not in network))
