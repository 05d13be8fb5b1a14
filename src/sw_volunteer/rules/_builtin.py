"""The built-in rule kinds: their registrations and evaluators.

Evaluators name people by id only and compute a concrete remedy wherever they can: who
to move where, how many people to add, which field to set.

They detect only: each violation and remedy option carries a code (or kind) and the
values found, and its English and Chinese text is rendered from the template table
in ``sw_volunteer.rules._messages``. No message text is written here.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from datetime import timedelta
from itertools import chain, compress
from operator import attrgetter
from typing import Any

from sw_volunteer.graph import fewest_supervisors, supervision_cycles
from sw_volunteer.models import Activity, SocialWorker, Supervision, Volunteer
from sw_volunteer.rules._capacity import span_plan
from sw_volunteer.rules._context import CheckContext
from sw_volunteer.rules._day_facts import session_scope
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
from sw_volunteer.rules._practice_records import external_supervisors
from sw_volunteer.rules._session_check import DayFacts, reads_of_the_day
from sw_volunteer.rules._violations import (
    RemedyAction,
    RemedyOption,
    Violation,
    trusted_action,
    trusted_option,
    trusted_remedy,
)
from sw_volunteer.rules._violations import rule_violation as _violation
from sw_volunteer.rules._violations import session_context as _session
from sw_volunteer.rules._violations import simple_remedy as _remedy_of
from sw_volunteer.vocab import Qualification, SupervisionKind

__all__: list[str] = []

_KIND_OF_LIMIT = {
    "max_workers_per_supervisor": SupervisionKind.PROFESSIONAL,
    "max_volunteers_per_supervisor": SupervisionKind.GUIDANCE,
}
# The types of two look-ups kept in the context (spelt once: a subscripted type is
# built anew at each evaluation).
_Verdicts = dict[tuple[str, SupervisionKind], bool]
_CountedAdults = dict[tuple[int, float, int], tuple[Activity, float]]
_supervisee = attrgetter("supervisee")
_primary_edge = attrgetter("primary")
_SPAN_CODE = {
    SupervisionKind.PROFESSIONAL: "supervisor_overloaded_workers",
    SupervisionKind.GUIDANCE: "supervisor_overloaded_volunteers",
}


def _option(kind: str, context: dict[str, Any], *actions: RemedyAction) -> RemedyOption:
    return trusted_option(kind, context, actions)


def _centre_name(ctx: CheckContext, centre: str) -> str:
    """The name of centre ``centre`` (its id when the network has no such centre)."""
    try:
        return ctx.network.centre(centre).name or centre
    except KeyError:
        return centre


# -- supervision: span of control ------------------------------------------------------


def _qualifies(worker: SocialWorker, kind: SupervisionKind, ctx: CheckContext) -> bool:
    """Whether ``worker`` meets every supervisor-qualification rule for ``kind``."""
    verdicts = ctx.cached("qualifies", _Verdicts)
    verdict = verdicts.get((worker.id, kind))
    if verdict is None:
        verdict = True
        for _, params in ctx.rules_with_params("supervisor_qualification"):
            assert isinstance(params, SupervisorQualification)  # noqa: S101 - registry type
            if params.supervisee_kind is kind and (
                worker.certification < params.min_level
                or worker.years_of_practice(ctx.on) < params.min_years
            ):
                verdict = False
                break
        verdicts[worker.id, kind] = verdict
    return verdict


def _capacity(kind: SupervisionKind, ctx: CheckContext) -> int | None:
    """The strictest limit of supervisees of ``kind`` in the pack (None: unlimited)."""
    rule_kind_name = next(k for k, v in _KIND_OF_LIMIT.items() if v is kind)
    limits = []
    for _, params in ctx.rules_with_params(rule_kind_name):
        assert isinstance(params, MaxSupervisees)  # noqa: S101 - registry type
        limits.append(params.limit)
    return min(limits) if limits else None


def _free_places(
    centre: str, kind: SupervisionKind, ctx: CheckContext, *, exclude: set[str]
) -> list[tuple[str, int]]:
    """Qualified supervisors at ``centre`` with free places under the strictest limit."""
    cap = _capacity(kind, ctx)
    load = ctx.supervisees_by_supervisor
    free: list[tuple[str, int]] = []
    for worker in ctx.workers_by_centre.get(centre, ()):
        if worker.id in exclude or not _qualifies(worker, kind, ctx):
            continue
        places = (cap if cap is not None else 10**9) - len(load.get((worker.id, kind), ()))
        if places > 0:
            free.append((worker.id, places))
    return free


def _moves(
    movers: Sequence[str], free: list[tuple[str, int]]
) -> tuple[list[tuple[str, str]], list[str]]:
    """Place ``movers`` on supervisors with free places, most free first.

    Greedy is exact here: every supervisor offered is compatible with every mover.
    """
    placed: list[tuple[str, str]] = []
    remaining = list(movers)
    for supervisor, places in sorted(free, key=lambda f: (-f[1], f[0])):
        taken, remaining = remaining[:places], remaining[places:]
        placed.extend((who, supervisor) for who in taken)
    return placed, remaining


def _by_target(placed: list[tuple[str, str]]) -> dict[str, list[str]]:
    """``{target: [who, ...]}`` of the moves, targets in order of first move."""
    by_target: dict[str, list[str]] = defaultdict(list)
    for who, target in placed:
        by_target[target].append(who)
    return dict(by_target)


def _span(rule: Rule, params: MaxSupervisees, ctx: CheckContext) -> Iterator[Violation]:
    kind = _KIND_OF_LIMIT[rule.kind]
    for (supervisor, edge_kind), supervisees in ctx.supervisees_by_supervisor.items():
        if edge_kind is not kind or len(supervisees) <= params.limit:
            continue
        # One plan per centre: the excesses of its overloaded supervisors share its free
        # places, and its new supervisors are counted once (see rules/_capacity.py).
        share = span_plan(
            ctx,
            kind,
            limit=params.limit,
            cap=_capacity(kind, ctx),
            eligible=lambda w: _qualifies(w, kind, ctx),
        )[supervisor]
        centre = share.centre
        actions = [
            trusted_action(action="move_supervisee", entity=who, source=supervisor, target=t)
            for who, t in share.moves
        ]
        context: dict[str, Any] = {"centre": centre, "centre_name": _centre_name(ctx, centre)}
        if share.moves:
            targets = sorted({t for _, t in share.moves})
            context["moves"] = _by_target(list(share.moves))
            context["free"] = {t: share.places[t] for t in targets}
        option_kind = "move_supervisees"
        if share.left:
            option_kind = (
                f"move_and_add_supervisors.{kind.value}"
                if share.moves
                else f"add_supervisors.{kind.value}"
            )
            context |= {
                "count": share.hires,
                "excess": len(share.left),
                "shared": list(share.shared_with),
            }
            actions.append(
                trusted_action(
                    action="add_people", count=share.hires, role="supervisor", target=centre
                )
            )
        yield _violation(
            rule,
            _SPAN_CODE[kind],
            (supervisor, centre),
            {
                "supervisor": supervisor,
                "centre": centre,
                "centre_name": _centre_name(ctx, centre),
                "count": len(supervisees),
                "limit": params.limit,
            },
            observed=len(supervisees),
            limit=params.limit,
            remedy=trusted_remedy((_option(option_kind, context, *actions),)),
        )


rule_kind(
    "max_workers_per_supervisor",
    MaxSupervisees,
    codes=("supervisor_overloaded_workers",),
    description="social workers per supervisor",
)(_span)
rule_kind(
    "max_volunteers_per_supervisor",
    MaxSupervisees,
    codes=("supervisor_overloaded_volunteers",),
    description="volunteers guided per social worker",
)(_span)


@rule_kind(
    "supervisor_qualification",
    SupervisorQualification,
    codes=(
        "supervisor_underqualified",
        "external_supervisor_underqualified",
        "external_supervisor_undeclared",
    ),
    description="certification and years of practice of supervisors",
)
def _qualification(
    rule: Rule, params: SupervisorQualification, ctx: CheckContext
) -> Iterator[Violation]:
    kind = params.supervisee_kind
    for (supervisor, edge_kind), supervisees in ctx.supervisees_by_supervisor.items():
        if edge_kind is not kind:
            continue
        worker = ctx.workers_by_id[supervisor]
        years = worker.years_of_practice(ctx.on)
        if worker.certification >= params.min_level and years >= params.min_years:
            continue
        need = {"need_level": params.min_level.value, "need_years": params.min_years}
        free = _free_places(worker.centre, kind, ctx, exclude={supervisor, *supervisees})
        placed, left = _moves(supervisees, free)
        options = [
            _option(
                "obtain_level",
                {
                    "supervisor": supervisor,
                    "centre": worker.centre,
                    "centre_name": _centre_name(ctx, worker.centre),
                    **need,
                },
            )
        ]
        moves = [
            trusted_action(action="move_supervisee", entity=who, source=supervisor, target=t)
            for who, t in placed
        ]
        context: dict[str, Any] = {"moves": _by_target(placed)}
        option_kind = "move"
        if left:
            # The qualified colleagues' places are used first; new supervisors take the rest.
            more = fewest_supervisors(len(left), _capacity(kind, ctx))
            option_kind = "move_and_add_qualified" if placed else "add_qualified_supervisors"
            context |= {"count": more, "supervisees": list(left)}
            moves.append(
                trusted_action(
                    action="add_people", count=more, role="supervisor", target=worker.centre
                ),
            )
        options.insert(0, _option(option_kind, context, *moves))
        yield _violation(
            rule,
            "supervisor_underqualified",
            (supervisor, *supervisees),
            {
                "supervisor": supervisor,
                "level": worker.certification.value,
                "years": years,
                "count": len(supervisees),
                "kind": kind.value,
                **need,
            },
            observed=worker.certification.rank,
            limit=params.min_level.rank,
            remedy=trusted_remedy(tuple(options)),
        )
    yield from external_supervisors(rule, params, ctx)


@rule_kind(
    "supervisor_level_at_least_supervisee",
    NoParams,
    codes=("supervisor_below_supervisee",),
    description="a supervisor's level is at least the supervisee's",
)
def _level(rule: Rule, params: NoParams, ctx: CheckContext) -> Iterator[Violation]:
    del params
    workers = ctx.workers_by_id
    for edge in ctx.professional_supervisions:
        boss, worker = workers[edge.supervisor], workers[edge.supervisee]
        if boss.certification >= worker.certification:
            continue
        candidates = [
            w.id
            for w in ctx.workers_by_centre.get(worker.centre, ())
            if w.certification >= worker.certification and w.id not in {worker.id, boss.id}
        ]
        options = []
        if candidates:
            options.append(
                _option(
                    "move",
                    {"moves": {candidates[0]: [worker.id]}},
                    trusted_action(
                        action="move_supervisee",
                        entity=worker.id,
                        source=boss.id,
                        target=candidates[0],
                    ),
                )
            )
        options.append(
            _option(
                "find_supervisor",
                {"supervisee": worker.id, "level": worker.certification.value},
            )
        )
        yield _violation(
            rule,
            "supervisor_below_supervisee",
            (boss.id, worker.id),
            {
                "supervisor": boss.id,
                "supervisor_level": boss.certification.value,
                "supervisee": worker.id,
                "supervisee_level": worker.certification.value,
            },
            observed=boss.certification.rank,
            limit=worker.certification.rank,
            remedy=trusted_remedy(tuple(options)),
        )


@rule_kind(
    "no_supervision_cycles",
    NoParams,
    codes=("supervision_cycle",),
    description="no cycles in the supervision graph",
)
def _cycles(rule: Rule, params: NoParams, ctx: CheckContext) -> Iterator[Violation]:
    del params
    # Volunteers supervise nobody, so a cycle can only run through professional edges.
    edges = ctx.professional_supervisions
    pairs = [(s.supervisor, s.supervisee) for s in edges]
    edge_ids = dict(zip(pairs, (s.id for s in edges), strict=True))
    for people in supervision_cycles(pairs, (w.id for w in ctx.workers_on_roster)):
        last_u, last_v = people[-1], people[0]
        edge_id = edge_ids[last_u, last_v]
        yield _violation(
            rule,
            "supervision_cycle",
            tuple(people),
            {"people": people},
            observed=len(people),
            limit=0,
            remedy=_remedy_of(
                "end_supervision",
                {"edge": edge_id, "supervisor": last_u, "supervisee": last_v},
                trusted_action(action="end_supervision", entity=edge_id),
            ),
        )


@rule_kind(
    "single_primary_supervisor",
    NoParams,
    codes=("multiple_primary_supervisors",),
    description="at most one primary supervisor at a time",
)
def _primary(rule: Rule, params: NoParams, ctx: CheckContext) -> Iterator[Violation]:
    del params
    # Count first: only the few people with two primary supervisors need their edges.
    # Two primary supervisors take two active edges: usually nobody has two at all.
    edges = list(chain.from_iterable(ctx.supervisees_by_supervisor.values()))
    if len(set(edges)) == len(edges):
        return
    active = ctx.active_supervisions
    count = Counter(compress(map(_supervisee, active), map(_primary_edge, active)))
    doubled = {person for person, n in count.items() if n > 1}
    if not doubled:
        return
    # In order of each supervisee's first active edge, as supervisors_by_supervisee lists.
    primaries_of: dict[str, list[Supervision]] = {}
    for s in ctx.active_supervisions:
        if s.supervisee in doubled:
            found = primaries_of.setdefault(s.supervisee, [])
            if s.primary:
                found.append(s)
    for supervisee, primaries in primaries_of.items():
        keep, *demote = primaries
        yield _violation(
            rule,
            "multiple_primary_supervisors",
            (supervisee, *(e.supervisor for e in primaries)),
            {"supervisee": supervisee, "supervisors": [e.supervisor for e in primaries]},
            observed=len(primaries),
            limit=1,
            remedy=_remedy_of(
                "keep_one_primary",
                {"keep": keep.supervisor, "demote": [e.id for e in demote]},
                *(
                    trusted_action(action="set_field", entity=e.id, field="primary", value=False)
                    for e in demote
                ),
            ),
        )


@rule_kind(
    "every_volunteer_supervised",
    NoParams,
    codes=("volunteer_unsupervised",),
    description="every volunteer has a guiding social worker",
)
def _guided(rule: Rule, params: NoParams, ctx: CheckContext) -> Iterator[Violation]:
    del params
    # The supervisees of the active guidance edges, from the look-up the span rules built.
    guidance = SupervisionKind.GUIDANCE
    guided = set(
        chain.from_iterable(
            found for (_, kind), found in ctx.supervisees_by_supervisor.items() if kind is guidance
        )
    )
    by_centre: dict[str, list[str]] = defaultdict(list)
    for v in ctx.volunteers_on_roster:
        if v.id not in guided:
            by_centre[v.centre].append(v.id)
    kind = SupervisionKind.GUIDANCE
    cap = _capacity(kind, ctx)
    for centre, alone in by_centre.items():
        free = _free_places(centre, kind, ctx, exclude=set())
        placed, left = _moves(alone, free)
        options = []
        if placed:
            more = fewest_supervisors(len(left), cap)
            options.append(
                _option(
                    "assign_guidance",
                    {
                        "centre": centre,
                        "centre_name": _centre_name(ctx, centre),
                        "moves": _by_target(placed),
                        "rest": more,
                    },
                    *(
                        trusted_action(action="add_supervision", entity=who, target=t)
                        for who, t in placed
                    ),
                    *(
                        (
                            trusted_action(
                                action="add_people",
                                count=more,
                                role="supervisor",
                                target=centre,
                            ),
                        )
                        if left
                        else ()
                    ),
                )
            )
        else:
            more = fewest_supervisors(len(alone), cap)
            options.append(
                _option(
                    "add_guiding_workers",
                    {"centre": centre, "centre_name": _centre_name(ctx, centre), "count": more},
                    trusted_action(
                        action="add_people", count=more, role="supervisor", target=centre
                    ),
                )
            )
        yield _violation(
            rule,
            "volunteer_unsupervised",
            (centre, *alone),
            {"centre": centre, "centre_name": _centre_name(ctx, centre), "volunteers": alone},
            observed=len(alone),
            limit=0,
            remedy=trusted_remedy(tuple(options)),
        )


@rule_kind(
    "caseload_limit",
    CaseloadLimit,
    codes=("caseload_exceeded",),
    description="active cases per social worker, by client need",
)
def _caseload(rule: Rule, params: CaseloadLimit, ctx: CheckContext) -> Iterator[Violation]:
    cases = ctx.cases_with_need(params.need)
    need = params.need.value
    for worker_id, clients in cases.items():
        if len(clients) <= params.max_cases:
            continue
        excess = len(clients) - params.max_cases
        worker = ctx.workers_by_id[worker_id]
        free = [
            (w.id, params.max_cases - len(cases.get(w.id, ())))
            for w in ctx.workers_by_centre.get(worker.centre, ())
            if w.id != worker_id and len(cases.get(w.id, ())) < params.max_cases
        ]
        placed, left = _moves(clients[-excess:], free)
        options = [
            _option(
                "add_caseworker",
                {
                    "centre": worker.centre,
                    "centre_name": _centre_name(ctx, worker.centre),
                    "excess": excess,
                    "need": need,
                },
                trusted_action(action="add_people", count=1, role="worker", target=worker.centre),
            )
        ]
        if not left:
            options.insert(0, _option("move_cases", {"moves": _by_target(placed)}))
        yield _violation(
            rule,
            "caseload_exceeded",
            (worker_id,),
            {"worker": worker_id, "count": len(clients), "need": need, "limit": params.max_cases},
            observed=len(clients),
            limit=params.max_cases,
            remedy=trusted_remedy(tuple(options)),
        )


# -- sessions: who is present -----------------------------------------------------------


def _volunteer(ctx: CheckContext, volunteer_id: str) -> Volunteer:
    return ctx.volunteers_by_id[volunteer_id]


def _counted_adults(activity: Activity, ctx: CheckContext, adults: AdultsPresent) -> float:
    """Social workers count 1; volunteers who count as adults count their weight.

    Who counts is [`counts_as_adult_on`][sw_volunteer.models.Volunteer.counts_as_adult_on] with the
    pack's ``adult_age`` (a volunteer with no birth date recorded counts).
    """
    # Several rules ask the same question of each session: answer it once per check.
    known = ctx.cached("counted_adults", _CountedAdults)
    key = (id(activity), adults.volunteer_weight, adults.adult_age)
    if key in known and known[key][0] is activity:
        return known[key][1]
    day = activity.start.date()
    counted = float(len(activity.workers))
    if adults.volunteer_weight:
        volunteers = ctx.volunteers_by_id
        adult_age = adults.adult_age
        for vid in activity.volunteers:
            if volunteers[vid].counts_as_adult_on(day, adult_age=adult_age):
                counted += adults.volunteer_weight
    known[key] = (activity, counted)
    return counted


def _certified_present(activity: Activity, ctx: CheckContext) -> int:
    workers = ctx.workers_by_id
    return sum(workers[w].certification.is_certified for w in activity.workers)


@session_scope(lambda _, activity: activity.client_count > 0)
@reads_of_the_day(lambda p, _: DayFacts(ages=(p.adult_age,)))
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
    if activity.client_count == 0:
        return
    need = params.staffing(activity.kind)
    certified = _certified_present(activity, ctx)
    missing_cert = max(0, need.min_certified_workers - certified)
    counted = _counted_adults(activity, ctx, params)
    if counted < need.min_adults:
        missing = math.ceil(need.min_adults - counted)
        yield _violation(
            rule,
            "too_few_adults",
            (activity.id,),
            _session(
                activity,
                counted=counted,
                clients=activity.client_count,
                min_adults=need.min_adults,
            ),
            observed=counted,
            limit=need.min_adults,
            remedy=_remedy_of(
                "add_adults",
                _session(
                    activity,
                    count=missing,
                    certified=missing_cert,
                    weight=params.volunteer_weight,
                ),
                trusted_action(
                    action="add_people", count=missing, role="adult", target=activity.id
                ),
            ),
            activity=activity,
        )
    if missing_cert:
        yield _violation(
            rule,
            "no_certified_worker",
            (activity.id,),
            _session(activity, certified=certified, required=need.min_certified_workers),
            observed=certified,
            limit=need.min_certified_workers,
            remedy=_remedy_of(
                "add_certified_workers",
                _session(activity, count=missing_cert),
                trusted_action(
                    action="add_people",
                    count=missing_cert,
                    role="certified_worker",
                    target=activity.id,
                ),
            ),
            activity=activity,
        )


def _governs(rule: Rule, params: ClientAdultRatio, activity: Activity, ctx: CheckContext) -> bool:
    """Whether ``rule`` is the strictest ratio rule for this session.

    The most dependent clients set the ratio for the whole group, so only the
    strictest applicable rule of each severity speaks.
    """
    if params.setting is not activity.setting:
        return False
    needs = ctx.client_needs(activity)
    if params.need not in needs:
        return False
    for other, p in ctx.rules_with_params("client_adult_ratio"):
        if other.severity is not rule.severity:
            continue
        assert isinstance(p, ClientAdultRatio)  # noqa: S101 - registry type
        if p.setting is activity.setting and p.need in needs:
            return other.id == rule.id or p.max_clients_per_adult >= params.max_clients_per_adult
    return True


# A ratio rule speaks for the needs of named clients (``_governs``): none named, no ratio.
@session_scope(
    lambda params, activity: params.setting is activity.setting and bool(activity.clients)
)
@reads_of_the_day(lambda _, ctx: DayFacts(ages=(ctx.adults.adult_age,)))
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
    clients = activity.client_count
    if clients == 0 or not _governs(rule, params, activity, ctx):
        return
    adults = ctx.adults
    counted = _counted_adults(activity, ctx, adults)
    required = math.ceil(clients / params.max_clients_per_adult)
    need = params.need.value
    if counted < required:
        missing = math.ceil(required - counted)
        if adults.volunteer_weight and adults.volunteer_weight < 1:
            missing = math.ceil(required - counted)  # social workers count fully
        missing_cert = max(0, adults.min_certified_workers - _certified_present(activity, ctx))
        most = math.floor(counted * params.max_clients_per_adult)
        options = [
            _option(
                "add_adults",
                _session(
                    activity,
                    count=missing,
                    certified=min(missing_cert, missing),
                    weight=adults.volunteer_weight,
                ),
                trusted_action(
                    action="add_people", count=missing, role="adult", target=activity.id
                ),
            )
        ]
        if most > 0:
            options.append(_option("fewer_clients", {"most": most}))
        yield _violation(
            rule,
            "client_adult_ratio_exceeded",
            (activity.id,),
            _session(
                activity,
                clients=clients,
                need=need,
                required=required,
                ratio=params.max_clients_per_adult,
                counted=counted,
            ),
            observed=counted,
            limit=required,
            remedy=trusted_remedy(tuple(options)),
            activity=activity,
        )
    if params.max_group_size is not None and clients > params.max_group_size:
        groups = math.ceil(clients / params.max_group_size)
        yield _violation(
            rule,
            "group_too_large",
            (activity.id,),
            _session(activity, clients=clients, need=need, limit=params.max_group_size),
            observed=clients,
            limit=params.max_group_size,
            remedy=_remedy_of("split_group", {"groups": groups, "size": params.max_group_size}),
            activity=activity,
        )


@reads_of_the_day(DayFacts())
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
    del ctx
    volunteers, workers = len(activity.volunteers), len(activity.workers)
    if volunteers <= params.limit * workers:
        return
    more = math.ceil(volunteers / params.limit) - workers
    surplus = volunteers - params.limit * workers
    options = [
        _option(
            "add_shift_workers",
            _session(activity, count=more),
            trusted_action(action="add_people", count=more, role="worker", target=activity.id),
        )
    ]
    if workers:
        off = sorted(activity.volunteers)[-surplus:]
        options.append(
            _option(
                "off_shift",
                {"volunteers": off},
                *(
                    trusted_action(action="remove_participant", entity=v, target=activity.id)
                    for v in off
                ),
            )
        )
    yield _violation(
        rule,
        "too_many_volunteers_on_shift",
        (activity.id,),
        _session(activity, volunteers=volunteers, workers=workers, limit=params.limit),
        observed=volunteers,
        limit=params.limit * workers,
        remedy=trusted_remedy(tuple(options)),
        activity=activity,
    )


# -- volunteers: minors, insurance, checks, qualifications ------------------------------


@rule_kind(
    "minimum_volunteer_age",
    MinimumVolunteerAge,
    codes=("volunteer_too_young",),
    description="the youngest age a volunteer may be",
)
def _min_age(rule: Rule, params: MinimumVolunteerAge, ctx: CheckContext) -> Iterator[Violation]:
    for v, age in zip(ctx.volunteers_on_roster, ctx.volunteer_ages, strict=True):
        if age is None or age >= params.min_age:
            continue
        yield _violation(
            rule,
            "volunteer_too_young",
            (v.id, v.centre),
            {"volunteer": v.id, "age": age, "min_age": params.min_age},
            observed=age,
            limit=params.min_age,
            # the birthday itself would give the birth date away: the remedy names the age
            remedy=_remedy_of("wait_until_age", {"volunteer": v.id, "age": params.min_age}),
        )


@rule_kind(
    "guardian_consent",
    GuardianConsent,
    codes=("guardian_consent_missing",),
    description="a guardian's written consent for minor volunteers",
)
def _consent(rule: Rule, params: GuardianConsent, ctx: CheckContext) -> Iterator[Violation]:
    for v, age in zip(ctx.volunteers_on_roster, ctx.volunteer_ages, strict=True):
        if age is None or age >= params.under_age or v.has_guardian_consent_on(ctx.on):
            continue
        yield _violation(
            rule,
            "guardian_consent_missing",
            (v.id, v.centre),
            {"volunteer": v.id, "under_age": params.under_age},
            remedy=_remedy_of(
                "obtain_consent",
                {"volunteer": v.id},
                trusted_action(
                    action="set_field",
                    entity=v.id,
                    field="guardian_consent_on",
                    value=ctx.on.isoformat(),
                ),
            ),
        )


def _minors(activity: Activity, ctx: CheckContext, under: int) -> list[str]:
    """The volunteers present under ``under`` on the day (an unknown age is not under)."""
    day = activity.start.date()
    volunteers = ctx.volunteers_by_id
    return sorted(
        vid for vid in activity.volunteers if not volunteers[vid].is_adult_on(day, adult_age=under)
    )


@reads_of_the_day(lambda p, _: DayFacts(ages=(p.under_age, p.adult_age)))
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
    young = _minors(activity, ctx, params.under_age)
    if not young or activity.workers:
        return
    day = activity.start.date()
    if any(
        _volunteer(ctx, vid).counts_as_adult_on(day, adult_age=params.adult_age)
        for vid in activity.volunteers
    ):
        return
    yield _violation(
        rule,
        "minor_unaccompanied",
        (activity.id, *young),
        _session(activity, minors=young, under_age=params.under_age),
        observed=0,
        limit=1,
        remedy=_remedy_of(
            "add_companion",
            _session(activity),
            trusted_action(action="add_people", count=1, role="adult", target=activity.id),
        ),
        activity=activity,
    )


@reads_of_the_day(lambda p, _: DayFacts(ages=(p.adult_age,)))
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
    if not activity.risky:
        return
    young = _minors(activity, ctx, params.adult_age)
    if not young:
        return
    yield _violation(
        rule,
        "minor_in_risky_activity",
        (activity.id, *young),
        _session(activity, minors=young, adult_age=params.adult_age),
        observed=len(young),
        limit=0,
        remedy=_remedy_of(
            "remove_minors",
            {"activity": activity.id, "minors": young},
            *(
                trusted_action(action="remove_participant", entity=v, target=activity.id)
                for v in young
            ),
        ),
        activity=activity,
    )


@reads_of_the_day(DayFacts(insurance=True))
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
    del params
    if not activity.risky:
        return
    day = activity.start.date()
    volunteers = ctx.volunteers_by_id
    bare = sorted(v for v in activity.volunteers if not volunteers[v].is_insured_on(day))
    if not bare:
        return
    cover = {"start": day.isoformat(), "until": activity.end.date().isoformat()}
    yield _violation(
        rule,
        "insurance_missing",
        (activity.id, *bare),
        _session(activity, volunteers=bare),
        observed=len(bare),
        limit=0,
        remedy=_remedy_of(
            "insure",
            {"volunteers": bare, "day": day.isoformat()},
            *(
                trusted_action(action="set_field", entity=v, field="insurance", value=cover)
                for v in bare
            ),
        ),
        activity=activity,
    )


def _qualifications(ctx: CheckContext, person_id: str) -> frozenset[Qualification]:
    person: SocialWorker | Volunteer | None = ctx.workers_by_id.get(person_id)
    if person is None:
        person = ctx.volunteers_by_id[person_id]
    return person.qualifications


def _serves_children(activity: Activity, ctx: CheckContext) -> bool:
    programme_needs = ctx.programme_needs.get(activity.programme, frozenset())
    return any(n.is_child for n in programme_needs) or any(
        n.is_child for n in ctx.client_needs(activity)
    )


@reads_of_the_day(lambda p, _: DayFacts(background_checks=(p.valid_years,)))
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
    if not activity.volunteers or not _serves_children(activity, ctx):
        return
    day = activity.start.date()
    valid = None if params.valid_years is None else timedelta(days=365.25 * params.valid_years)

    def checked(v: Volunteer) -> bool:
        if v.background_check_on is None or v.background_check_on > day:
            return False
        return valid is None or day - v.background_check_on <= valid

    unchecked = sorted(v for v in activity.volunteers if not checked(_volunteer(ctx, v)))
    if not unchecked:
        return
    yield _violation(
        rule,
        "background_check_missing",
        (activity.id, *unchecked),
        _session(activity, volunteers=unchecked),
        observed=len(unchecked),
        limit=0,
        remedy=_remedy_of(
            "background_checks",
            {"volunteers": unchecked, "day": day.isoformat()},
            *(
                trusted_action(
                    action="set_field",
                    entity=v,
                    field="background_check_on",
                    value=day.isoformat(),
                )
                for v in unchecked
            ),
        ),
        activity=activity,
    )


@reads_of_the_day(DayFacts())
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
    del params
    if not activity.tasks:
        return
    staff = sorted(activity.workers | activity.volunteers)
    for task in activity.tasks:
        if _qualifications(ctx, task.person) & task.task.qualifications:
            continue
        holders = [
            p
            for p in staff
            if p != task.person and _qualifications(ctx, p) & task.task.qualifications
        ]
        wanted = sorted(q.value for q in task.task.qualifications)
        if holders:
            fix = _remedy_of("reassign_task", {"task": task.task.value, "holder": holders[0]})
        else:
            fix = _remedy_of(
                "bring_qualified",
                _session(activity, task=task.task.value, qualifications=wanted),
            )
        yield _violation(
            rule,
            "task_without_qualification",
            (activity.id, task.person),
            _session(activity, person=task.person, task=task.task.value, qualifications=wanted),
            remedy=fix,
            activity=activity,
        )
