"""The built-in rule kinds: their registrations and evaluators.

Evaluators name people by id only and compute a concrete remedy wherever they can: who
to move where, how many people to add, which field to set.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from datetime import timedelta

from sw_volunteer.graph import supervision_cycles
from sw_volunteer.models import Activity, SocialWorker, Supervision, Volunteer, first_day_of_age
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
from sw_volunteer.rules._session_check import DayFacts, reads_of_the_day
from sw_volunteer.rules._violations import Remedy, RemedyAction, RemedyOption, Violation
from sw_volunteer.vocab import Qualification, SupervisionKind

__all__: list[str] = []

_KIND_OF_LIMIT = {
    "max_workers_per_supervisor": SupervisionKind.PROFESSIONAL,
    "max_volunteers_per_supervisor": SupervisionKind.GUIDANCE,
}
_SPAN_CODE = {
    SupervisionKind.PROFESSIONAL: "supervisor_overloaded_workers",
    SupervisionKind.GUIDANCE: "supervisor_overloaded_volunteers",
}
_NOUN = {
    SupervisionKind.PROFESSIONAL: ("social worker", "social workers", "名社工"),
    SupervisionKind.GUIDANCE: ("volunteer", "volunteers", "名义工"),
}


def _ids(ids: Sequence[str], most: int = 8) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


def _ids_zh(ids: Sequence[str], most: int = 8) -> str:
    shown = "、".join(ids[:most])
    return shown + (f" 等 {len(ids)} 人" if len(ids) > most else "")


def _violation(
    rule: Rule,
    code: str,
    entities: Sequence[str],
    message: str,
    message_zh: str,
    *,
    observed: float | None = None,
    limit: float | None = None,
    remedy: Remedy | None = None,
    activity: Activity | None = None,
) -> Violation:
    return Violation(
        code=code,
        severity=rule.severity,
        rule_id=rule.id,
        entities=tuple(entities),
        observed=observed,
        limit=limit,
        message=message,
        message_zh=message_zh,
        remedy=remedy,
        session=activity.start if activity is not None else None,
    )


def _session_label(activity: Activity) -> tuple[str, str]:
    """How messages name a session: its id, its setting, its day (English, Chinese)."""
    day = activity.start.date().isoformat()
    setting = activity.setting
    return (
        f"session {activity.id} ({setting.label('en')}) on {day}",
        f"{day} 活动 {activity.id}（{setting.label('zh')}）",
    )


# -- supervision: span of control ------------------------------------------------------


def _qualifies(worker: SocialWorker, kind: SupervisionKind, ctx: CheckContext) -> bool:
    """Whether ``worker`` meets every supervisor-qualification rule for ``kind``."""
    verdicts = ctx.cached("qualifies", dict[tuple[str, SupervisionKind], bool])
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


def _move_text(placed: list[tuple[str, str]], source: str | None) -> tuple[str, str]:
    by_target: dict[str, list[str]] = defaultdict(list)
    for who, target in placed:
        by_target[target].append(who)
    en = "; ".join(f"move {_ids(w)} to {t}" for t, w in by_target.items())
    zh = "；".join(f"将 {_ids_zh(w)} 转给 {t}" for t, w in by_target.items())
    if source is None:
        en = en.replace("move ", "assign ")
        zh = zh.replace("转给", "分配给")
    return en, zh


def _span(rule: Rule, params: MaxSupervisees, ctx: CheckContext) -> Iterator[Violation]:
    kind = _KIND_OF_LIMIT[rule.kind]
    one, many, zh_noun = _NOUN[kind]
    for (supervisor, edge_kind), supervisees in ctx.supervisees_by_supervisor.items():
        if edge_kind is not kind or len(supervisees) <= params.limit:
            continue
        excess = len(supervisees) - params.limit
        centre = ctx.workers_by_id[supervisor].centre
        movers = supervisees[-excess:]
        free = _free_places(centre, kind, ctx, exclude={supervisor, *movers})
        placed, left = _moves(movers, free)
        options = []
        more = math.ceil(excess / (_capacity(kind, ctx) or params.limit))
        options.append(
            RemedyOption(
                text=f"centre {centre}: {more} more supervising social worker"
                f"{'s' * (more != 1)} to take {excess} {one if excess == 1 else many}",
                text_zh=f"中心 {centre}：再增加 {more} 名督导社工，分担 {excess} {zh_noun}",
                actions=(
                    RemedyAction(action="add_people", count=more, role="supervisor", target=centre),
                ),
            )
        )
        if not left:
            en, zh = _move_text(placed, supervisor)
            counts = dict(free)
            targets = sorted({t for _, t in placed})
            en += " (" + ", ".join(f"{t} has {counts[t]} free places" for t in targets) + ")"
            zh += "（" + "，".join(f"{t} 尚有 {counts[t]} 个名额" for t in targets) + "）"
            options.insert(
                0,
                RemedyOption(
                    text=f"centre {centre}: {en}",
                    text_zh=f"中心 {centre}：{zh}",
                    actions=tuple(
                        RemedyAction(
                            action="move_supervisee", entity=who, source=supervisor, target=t
                        )
                        for who, t in placed
                    ),
                ),
            )
        yield _violation(
            rule,
            _SPAN_CODE[kind],
            (supervisor, centre),
            f"{supervisor} supervises {len(supervisees)} {many}; the limit is {params.limit}",
            f"{supervisor} 督导 {len(supervisees)} {zh_noun}，上限为 {params.limit} 名",
            observed=len(supervisees),
            limit=params.limit,
            remedy=Remedy(options=tuple(options)),
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
    codes=("supervisor_underqualified",),
    description="certification and years of practice of supervisors",
)
def _qualification(
    rule: Rule, params: SupervisorQualification, ctx: CheckContext
) -> Iterator[Violation]:
    kind = params.supervisee_kind
    _, many, zh_noun = _NOUN[kind]
    for (supervisor, edge_kind), supervisees in ctx.supervisees_by_supervisor.items():
        if edge_kind is not kind:
            continue
        worker = ctx.workers_by_id[supervisor]
        years = worker.years_of_practice(ctx.on)
        if worker.certification >= params.min_level and years >= params.min_years:
            continue
        need = f"{params.min_level.label('en')}"
        need_zh = params.min_level.label("zh")
        if params.min_years:
            need += f" with {params.min_years:g} years of practice"
            need_zh += f"，执业满 {params.min_years:g} 年"
        free = _free_places(worker.centre, kind, ctx, exclude={supervisor, *supervisees})
        placed, left = _moves(supervisees, free)
        options = [
            RemedyOption(
                text=f"{supervisor} obtains the {need} level, or a qualified supervisor "
                f"at centre {worker.centre} takes over",
                text_zh=f"{supervisor} 取得{need_zh}资格，或由中心 {worker.centre} 的合格督导接手",
            )
        ]
        if not left:
            en, zh = _move_text(placed, supervisor)
            options.insert(
                0,
                RemedyOption(
                    text=en,
                    text_zh=zh,
                    actions=tuple(
                        RemedyAction(
                            action="move_supervisee", entity=who, source=supervisor, target=t
                        )
                        for who, t in placed
                    ),
                ),
            )
        yield _violation(
            rule,
            "supervisor_underqualified",
            (supervisor, *supervisees),
            f"{supervisor} ({worker.certification.label('en')}, {years:.1f} years) supervises "
            f"{len(supervisees)} {many} but needs {need}",
            f"{supervisor}（{worker.certification.label('zh')}，执业 {years:.1f} 年）督导 "
            f"{len(supervisees)} {zh_noun}，但需要{need_zh}",
            observed=worker.certification.rank,
            limit=params.min_level.rank,
            remedy=Remedy(options=tuple(options)),
        )


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
                RemedyOption(
                    text=f"move {worker.id} to {candidates[0]}",
                    text_zh=f"将 {worker.id} 转给 {candidates[0]} 督导",
                    actions=(
                        RemedyAction(
                            action="move_supervisee",
                            entity=worker.id,
                            source=boss.id,
                            target=candidates[0],
                        ),
                    ),
                )
            )
        options.append(
            RemedyOption(
                text=f"a supervisor at level {worker.certification.label('en')} or above "
                f"for {worker.id}",
                text_zh=f"为 {worker.id} 安排{worker.certification.label('zh')}或以上的督导",
            )
        )
        yield _violation(
            rule,
            "supervisor_below_supervisee",
            (boss.id, worker.id),
            f"{boss.id} ({boss.certification.label('en')}) supervises {worker.id} "
            f"({worker.certification.label('en')}), who holds a higher level",
            f"{boss.id}（{boss.certification.label('zh')}）督导等级更高的 {worker.id}"
            f"（{worker.certification.label('zh')}）",
            observed=boss.certification.rank,
            limit=worker.certification.rank,
            remedy=Remedy(options=tuple(options)),
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
        chain = " → ".join([*people, people[0]])
        yield _violation(
            rule,
            "supervision_cycle",
            tuple(people),
            f"supervision goes round in a cycle: {chain}",
            f"督导关系形成循环：{chain}",
            observed=len(people),
            limit=0,
            remedy=Remedy.single(
                f"end the supervision {edge_id} ({last_u} → {last_v})",
                f"结束督导关系 {edge_id}（{last_u} → {last_v}）",
                RemedyAction(action="end_supervision", entity=edge_id),
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
    count = Counter(s.supervisee for s in ctx.active_supervisions if s.primary)
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
            f"{supervisee} has {len(primaries)} primary supervisors: "
            f"{_ids([e.supervisor for e in primaries])}",
            f"{supervisee} 同时有 {len(primaries)} 名主督导："
            f"{_ids_zh([e.supervisor for e in primaries])}",
            observed=len(primaries),
            limit=1,
            remedy=Remedy.single(
                f"keep {keep.supervisor} as primary; make {_ids([e.id for e in demote])} secondary",
                f"保留 {keep.supervisor} 为主督导，将 {_ids_zh([e.id for e in demote])} 改为次要",
                *(
                    RemedyAction(action="set_field", entity=e.id, field="primary", value=False)
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
    guided = {s.supervisee for s in ctx.active_supervisions if s.kind is SupervisionKind.GUIDANCE}
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
            en, zh = _move_text(placed, None)
            text, text_zh = f"centre {centre}: {en}", f"中心 {centre}：{zh}"
            more = math.ceil(len(left) / cap) if left and cap else (1 if left else 0)
            if left:
                text += f"; and {more} more guiding social worker{'s' * (more != 1)} for the rest"
                text_zh += f"；其余再增加 {more} 名指导社工"
            options.append(
                RemedyOption(
                    text=text,
                    text_zh=text_zh,
                    actions=(
                        *(
                            RemedyAction(action="add_supervision", entity=who, target=t)
                            for who, t in placed
                        ),
                        *(
                            (
                                RemedyAction(
                                    action="add_people",
                                    count=more,
                                    role="supervisor",
                                    target=centre,
                                ),
                            )
                            if left
                            else ()
                        ),
                    ),
                )
            )
        else:
            more = math.ceil(len(alone) / cap) if cap else 1
            options.append(
                RemedyOption(
                    text=f"centre {centre}: {more} more certified social worker"
                    f"{'s' * (more != 1)} to guide them",
                    text_zh=f"中心 {centre}：再增加 {more} 名持证社工负责指导",
                    actions=(
                        RemedyAction(
                            action="add_people", count=more, role="supervisor", target=centre
                        ),
                    ),
                )
            )
        yield _violation(
            rule,
            "volunteer_unsupervised",
            (centre, *alone),
            f"centre {centre}: {len(alone)} volunteer{'s' * (len(alone) != 1)} without a "
            f"guiding social worker: {_ids(alone)}",
            f"中心 {centre}：{len(alone)} 名义工没有指导社工：{_ids_zh(alone)}",
            observed=len(alone),
            limit=0,
            remedy=Remedy(options=tuple(options)),
        )


@rule_kind(
    "caseload_limit",
    CaseloadLimit,
    codes=("caseload_exceeded",),
    description="active cases per social worker, by client need",
)
def _caseload(rule: Rule, params: CaseloadLimit, ctx: CheckContext) -> Iterator[Violation]:
    cases = ctx.cases_by_need.get(params.need, {})
    need_en, need_zh = params.need.label("en"), params.need.label("zh")
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
            RemedyOption(
                text=f"centre {worker.centre}: 1 more social worker for {excess} {need_en} cases",
                text_zh=f"中心 {worker.centre}：再增加 1 名社工承接 {excess} 个{need_zh}个案",
                actions=(
                    RemedyAction(action="add_people", count=1, role="worker", target=worker.centre),
                ),
            )
        ]
        if not left:
            en, zh = _move_text(placed, worker_id)
            options.insert(
                0, RemedyOption(text=f"{en.replace('move', 'move the cases of')}", text_zh=zh)
            )
        yield _violation(
            rule,
            "caseload_exceeded",
            (worker_id,),
            f"{worker_id} holds {len(clients)} {need_en} cases; the limit is {params.max_cases}",
            f"{worker_id} 承担 {len(clients)} 个{need_zh}个案，上限为 {params.max_cases} 个",
            observed=len(clients),
            limit=params.max_cases,
            remedy=Remedy(options=tuple(options)),
        )


# -- sessions: who is present -----------------------------------------------------------


def _volunteer(ctx: CheckContext, volunteer_id: str) -> Volunteer:
    return ctx.volunteers_by_id[volunteer_id]


def _counted_adults(activity: Activity, ctx: CheckContext, adults: AdultsPresent) -> float:
    """Social workers count 1; volunteers who count as adults count their weight.

    Who counts is :meth:`~sw_volunteer.models.Volunteer.counts_as_adult_on` with the
    pack's ``adult_age`` (a volunteer with no birth date recorded counts).
    """
    # Several rules ask the same question of each session: answer it once per check.
    known = ctx.cached("counted_adults", dict[tuple[int, float, int], tuple[Activity, float]])
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


def _adults_text(missing: int, certified: int, weight: float) -> tuple[str, str]:
    en = f"{missing} more adult{'s' * (missing != 1)}"
    zh = f"再增加 {missing} 名成年人"
    if certified:
        en += f", at least {certified} of them certified"
        zh += f"，其中至少 {certified} 名持证社工"
    if 0 < weight < 1:
        en += f" (a trained adult volunteer counts {weight:g})"
        zh += f"（受训成年义工按 {weight:g} 人计）"
    return en, zh


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
    label, label_zh = _session_label(activity)
    certified = _certified_present(activity, ctx)
    missing_cert = max(0, params.min_certified_workers - certified)
    counted = _counted_adults(activity, ctx, params)
    if counted < params.min_adults:
        missing = math.ceil(params.min_adults - counted)
        en, zh = _adults_text(missing, missing_cert, params.volunteer_weight)
        yield _violation(
            rule,
            "too_few_adults",
            (activity.id,),
            f"{label}: {counted:g} adult(s) counted with {activity.client_count} clients; "
            f"at least {params.min_adults} needed",
            f"{label_zh}：服务对象 {activity.client_count} 人，在场成年人仅 {counted:g} 名，"
            f"至少需要 {params.min_adults} 名",
            observed=counted,
            limit=params.min_adults,
            remedy=Remedy.single(
                f"{label}: {en}",
                f"{label_zh}：{zh}",
                RemedyAction(action="add_people", count=missing, role="adult", target=activity.id),
            ),
            activity=activity,
        )
    if missing_cert:
        yield _violation(
            rule,
            "no_certified_worker",
            (activity.id,),
            f"{label}: {certified} certified social worker(s) present; "
            f"at least {params.min_certified_workers} needed",
            f"{label_zh}：在场持证社工 {certified} 名，至少需要 {params.min_certified_workers} 名",
            observed=certified,
            limit=params.min_certified_workers,
            remedy=Remedy.single(
                f"{label}: {missing_cert} more certified social worker{'s' * (missing_cert != 1)}",
                f"{label_zh}：再增加 {missing_cert} 名持证社工",
                RemedyAction(
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
    label, label_zh = _session_label(activity)
    adults = ctx.adults
    counted = _counted_adults(activity, ctx, adults)
    required = math.ceil(clients / params.max_clients_per_adult)
    ratio = f"{params.max_clients_per_adult:g}"
    need_en, need_zh = params.need.label("en"), params.need.label("zh")
    if counted < required:
        missing = math.ceil(required - counted)
        if adults.volunteer_weight and adults.volunteer_weight < 1:
            missing = math.ceil(required - counted)  # social workers count fully
        missing_cert = max(0, adults.min_certified_workers - _certified_present(activity, ctx))
        en, zh = _adults_text(missing, min(missing_cert, missing), adults.volunteer_weight)
        most = math.floor(counted * params.max_clients_per_adult)
        options = [
            RemedyOption(
                text=f"{label}: {en}",
                text_zh=f"{label_zh}：{zh}",
                actions=(
                    RemedyAction(
                        action="add_people", count=missing, role="adult", target=activity.id
                    ),
                ),
            )
        ]
        if most > 0:
            options.append(
                RemedyOption(
                    text=f"take at most {most} clients",
                    text_zh=f"服务对象减至 {most} 人以内",
                )
            )
        yield _violation(
            rule,
            "client_adult_ratio_exceeded",
            (activity.id,),
            f"{label}: {clients} clients ({need_en}) need {required} adults at 1:{ratio}; "
            f"{counted:g} counted",
            f"{label_zh}：{clients} 名服务对象（{need_zh}）按 1:{ratio} 需要 {required} 名"
            f"成年人，实际 {counted:g} 名",
            observed=counted,
            limit=required,
            remedy=Remedy(options=tuple(options)),
            activity=activity,
        )
    if params.max_group_size is not None and clients > params.max_group_size:
        groups = math.ceil(clients / params.max_group_size)
        yield _violation(
            rule,
            "group_too_large",
            (activity.id,),
            f"{label}: a group of {clients} clients ({need_en}); at most {params.max_group_size}",
            f"{label_zh}：一组 {clients} 名服务对象（{need_zh}），上限 {params.max_group_size} 名",
            observed=clients,
            limit=params.max_group_size,
            remedy=Remedy.single(
                f"split into {groups} groups of at most {params.max_group_size}",
                f"分为 {groups} 组，每组不超过 {params.max_group_size} 人",
            ),
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
    label, label_zh = _session_label(activity)
    more = math.ceil(volunteers / params.limit) - workers
    surplus = volunteers - params.limit * workers
    options = [
        RemedyOption(
            text=f"{label}: {more} more social worker{'s' * (more != 1)} on shift",
            text_zh=f"{label_zh}：再安排 {more} 名社工在岗",
            actions=(
                RemedyAction(action="add_people", count=more, role="worker", target=activity.id),
            ),
        )
    ]
    if workers:
        off = sorted(activity.volunteers)[-surplus:]
        options.append(
            RemedyOption(
                text=f"take {_ids(off)} off the shift",
                text_zh=f"{_ids_zh(off)} 本次不排班",
                actions=tuple(
                    RemedyAction(action="remove_participant", entity=v, target=activity.id)
                    for v in off
                ),
            )
        )
    yield _violation(
        rule,
        "too_many_volunteers_on_shift",
        (activity.id,),
        f"{label}: {volunteers} volunteers on shift with {workers} social worker(s); "
        f"at most {params.limit} per social worker",
        f"{label_zh}：{volunteers} 名义工在岗，社工 {workers} 名；每名社工至多带 {params.limit} 名",
        observed=volunteers,
        limit=params.limit * workers,
        remedy=Remedy(options=tuple(options)),
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
        when = None if v.birth_date is None else first_day_of_age(v.birth_date, params.min_age)
        yield _violation(
            rule,
            "volunteer_too_young",
            (v.id, v.centre),
            f"volunteer {v.id} is {age}; volunteers must be at least {params.min_age}",
            f"义工 {v.id} 年仅 {age} 岁，义工须年满 {params.min_age} 岁",
            observed=age,
            limit=params.min_age,
            remedy=Remedy.single(
                f"take {v.id} off the roster until {when}",
                f"{v.id} 暂不登记，至 {when} 后再加入",
            ),
        )


@rule_kind(
    "guardian_consent",
    GuardianConsent,
    codes=("guardian_consent_missing",),
    description="a guardian's written consent for minor volunteers",
)
def _consent(rule: Rule, params: GuardianConsent, ctx: CheckContext) -> Iterator[Violation]:
    for v, age in zip(ctx.volunteers_on_roster, ctx.volunteer_ages, strict=True):
        if v.guardian_consent or age is None or age >= params.under_age:
            continue
        yield _violation(
            rule,
            "guardian_consent_missing",
            (v.id, v.centre),
            f"volunteer {v.id} is under {params.under_age} and has no written guardian consent",
            f"义工 {v.id} 未满 {params.under_age} 岁，且无监护人书面同意",
            remedy=Remedy.single(
                f"obtain written consent from {v.id}'s guardian",
                f"取得 {v.id} 监护人的书面同意",
                RemedyAction(action="set_field", entity=v.id, field="guardian_consent", value=True),
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
    label, label_zh = _session_label(activity)
    yield _violation(
        rule,
        "minor_unaccompanied",
        (activity.id, *young),
        f"{label}: {_ids(young)} (under {params.under_age}) serve with no adult present",
        f"{label_zh}：{_ids_zh(young)}（未满 {params.under_age} 岁）在场无成年人陪同",
        observed=0,
        limit=1,
        remedy=Remedy.single(
            f"{label}: 1 adult volunteer or social worker present",
            f"{label_zh}：安排 1 名成年义工或社工陪同",
            RemedyAction(action="add_people", count=1, role="adult", target=activity.id),
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
    label, label_zh = _session_label(activity)
    yield _violation(
        rule,
        "minor_in_risky_activity",
        (activity.id, *young),
        f"{label} is risky and {_ids(young)} are under {params.adult_age}",
        f"{label_zh} 有风险，{_ids_zh(young)} 未满 {params.adult_age} 岁",
        observed=len(young),
        limit=0,
        remedy=Remedy.single(
            f"take {_ids(young)} out of {activity.id}",
            f"{_ids_zh(young)} 不参加活动 {activity.id}",
            *(
                RemedyAction(action="remove_participant", entity=v, target=activity.id)
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
    label, label_zh = _session_label(activity)
    cover = {"start": day.isoformat(), "until": activity.end.date().isoformat()}
    yield _violation(
        rule,
        "insurance_missing",
        (activity.id, *bare),
        f"{label} is risky and {len(bare)} volunteer(s) have no accident insurance for the "
        f"day: {_ids(bare)}",
        f"{label_zh} 有风险，{len(bare)} 名义工当天无意外保险：{_ids_zh(bare)}",
        observed=len(bare),
        limit=0,
        remedy=Remedy.single(
            f"insure {_ids(bare)} for {day}",
            f"为 {_ids_zh(bare)} 购买 {day} 的意外保险",
            *(
                RemedyAction(action="set_field", entity=v, field="insurance", value=cover)
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
    label, label_zh = _session_label(activity)
    yield _violation(
        rule,
        "background_check_missing",
        (activity.id, *unchecked),
        f"{label} serves children and {len(unchecked)} volunteer(s) have no valid background "
        f"check: {_ids(unchecked)}",
        f"{label_zh} 服务儿童，{len(unchecked)} 名义工无有效背景审查：{_ids_zh(unchecked)}",
        observed=len(unchecked),
        limit=0,
        remedy=Remedy.single(
            f"background checks for {_ids(unchecked)} before {day}",
            f"在 {day} 前完成 {_ids_zh(unchecked)} 的背景审查",
            *(
                RemedyAction(
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
    label, label_zh = _session_label(activity)
    staff = sorted(activity.workers | activity.volunteers)
    for task in activity.tasks:
        if _qualifications(ctx, task.person) & task.task.qualifications:
            continue
        holders = [
            p
            for p in staff
            if p != task.person and _qualifications(ctx, p) & task.task.qualifications
        ]
        wanted = " or ".join(sorted(q.label("en") for q in task.task.qualifications))
        wanted_zh = "或".join(sorted(q.label("zh") for q in task.task.qualifications))
        if holders:
            fix = Remedy.single(
                f"give the {task.task.label('en')} task to {holders[0]}, who holds the "
                "qualification",
                f"将{task.task.label('zh')}任务交给具备资格的 {holders[0]}",
            )
        else:
            fix = Remedy.single(
                f"{label}: bring someone who is a {wanted} for the {task.task.label('en')} task",
                f"{label_zh}：安排具备{wanted_zh}的人员承担{task.task.label('zh')}任务",
            )
        yield _violation(
            rule,
            "task_without_qualification",
            (activity.id, task.person),
            f"{label}: {task.person} is given {task.task.label('en')} without being a {wanted}",
            f"{label_zh}：{task.person} 不具备{wanted_zh}，却承担{task.task.label('zh')}任务",
            remedy=fix,
            activity=activity,
        )
