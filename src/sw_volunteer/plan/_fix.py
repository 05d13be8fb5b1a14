"""The cheapest fix: the least costly set of changes that clears every breach it can.

One CP-SAT model covers every centre and both kinds of supervision (professional
supervision of social workers, guidance of volunteers):

- the people to move are each overloaded supervisor's last supervisees beyond the
  strictest limit of the pack (as the check's own plan, ``sw_volunteer.rules._capacity``),
  every supervisee of a supervisor who lacks the qualification for the kind, and the
  volunteers with no guiding social worker;
- they go to qualified colleagues of the same centre with room under the limit (a
  colleague who is being moved, or is overloaded, takes nobody), or to hires: a hire of
  the level the pack asks of supervisors of the kind, at the cost of
  [`CostTable`][sw_volunteer.plan.CostTable];
- the model chooses how many go from each supervisor to each colleague or hire; which
  people move is the last ones (most recent edges), as in the check;
- with a ``supervisor_level_at_least_supervisee`` rule in the pack, a social worker
  moves only to a colleague of at least their level, and hires are of the highest level
  among the people moved (so the plan creates no breach of that rule).

Other breaches the planner knows ([`FIX_KINDS`][sw_volunteer.plan.FIX_KINDS]: a consent, an
insurance, a background check, a second primary supervisor, a cycle) have one change
each, the evaluator's own remedy, and add its cost. Every other breach is listed with
why no action of the plan clears it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any

from sw_volunteer.models import Network, SocialWorker
from sw_volunteer.plan._costs import CostTable, cents
from sw_volunteer.plan._kinds import (
    FIX_KINDS,
    NOT_FIXED,
    NOT_FIXED_ZH,
    RefusedRule,
    refused_rules,
    unknown_kind,
)
from sw_volunteer.plan._solver import (
    SolverOptions,
    SolveStatus,
    load_cp_model,
    new_solver,
    status_of,
)
from sw_volunteer.rules import (
    CheckContext,
    MaxSupervisees,
    RemedyAction,
    RemedyOption,
    RulesLike,
    SupervisorQualification,
    Violation,
    apply_remedy,
    check,
    resolve_rules,
)
from sw_volunteer.vocab import CertificationLevel, SupervisionKind

__all__ = ["FixPlan", "Hire", "Unfixable", "actions_by_kind", "apply_fix", "cheapest_fix"]

_LIMIT_KIND = {
    SupervisionKind.PROFESSIONAL: "max_workers_per_supervisor",
    SupervisionKind.GUIDANCE: "max_volunteers_per_supervisor",
}
_SPAN_KINDS = {*_LIMIT_KIND.values(), "supervisor_qualification", "every_volunteer_supervised"}
_OWN_REMEDY = set(FIX_KINDS) - _SPAN_KINDS


@dataclass(frozen=True)
class Hire:
    """A new social worker the plan asks for.

    Attributes:
        id: The id [`apply_fix`][sw_volunteer.plan.apply_fix] gives them (moves in the plan
            name it as target).
        centre: Where.
        level: The certification level the pack asks of supervisors of ``kind``.
        years: The years of practice it asks.
        kind: Whom they supervise (``guidance``: volunteers; ``professional``: workers).
        cost: What the hire costs.

    Example:
        >>> import sw_volunteer as sv
        >>> net = sv.Network(  # volunteers, and no social worker to guide them
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     volunteers=[sv.Volunteer(id=f"v{i}", name="V", centre="c") for i in range(3)],
        ... )
        >>> plan = cheapest_fix(net, on=date(2013, 11, 18))
        >>> [(h.id, h.level.value, h.kind.value, h.cost) for h in plan.hires]
        [('c-new-guidance-1', 'assistant', 'guidance', 30.0)]
        >>> sorted(a.entity for a in plan.actions if a.target == plan.hires[0].id)
        ['v0', 'v1', 'v2']
    """

    id: str
    centre: str
    level: CertificationLevel
    years: float
    kind: SupervisionKind
    cost: float


@dataclass(frozen=True)
class Unfixable:
    """A breach the plan does not clear, and why.

    Attributes:
        violation: The breach.
        why: Why no action of the plan clears it.
        why_zh: The same, in Chinese.

    Example:
        >>> import sw_volunteer as sv
        >>> plan = cheapest_fix(sv.datasets.ruian_2013())
        >>> session = [u for u in plan.unfixable if u.violation.code == "no_certified_worker"]
        >>> session[0].why  # who comes to a session is the roster's business
        "a session's staffing: staff_term plans who comes"
    """

    violation: Violation
    why: str
    why_zh: str = ""


@dataclass(frozen=True)
class FixPlan:
    """The cheapest fix found, and what it does not fix.

    Attributes:
        on: The day the plan is followed.
        status: What the solver proved (optimal, or feasible with a gap).
        cost: The total cost of the actions.
        bound: The solver's lower bound on the cost.
        actions: The changes, in the order [`apply_fix`][sw_volunteer.plan.apply_fix] applies them;
            ``add_people`` actions name the hires (see ``hires``).
        hires: The new social workers.
        cleared: The breaches the plan clears.
        unfixable: The breaches it does not, with why.
        refused: Rules of the pack the planner cannot plan for.

    Example:
        >>> import sw_volunteer as sv
        >>> network = sv.datasets.ruian_2013()
        >>> plan = cheapest_fix(network)
        >>> plan.status.value, plan.gap
        ('optimal', 0.0)
        >>> after = sv.check(apply_fix(network, plan), on=plan.on)
        >>> cleared = {(v.rule_id, v.entities) for v in plan.cleared}
        >>> cleared & {(v.rule_id, v.entities) for v in after.violations}
        set()
    """

    on: date
    status: SolveStatus
    cost: float
    bound: float
    actions: tuple[RemedyAction, ...]
    hires: tuple[Hire, ...] = ()
    cleared: tuple[Violation, ...] = ()
    unfixable: tuple[Unfixable, ...] = ()
    refused: tuple[RefusedRule, ...] = ()

    @property
    def gap(self) -> float:
        """The relative gap between the cost and the solver's bound (0 when optimal)."""
        return 0.0 if self.cost <= 0 else max(0.0, (self.cost - self.bound) / self.cost)


@dataclass
class _Pool:
    """One centre's problem for one kind of supervision."""

    centre: str
    kind: SupervisionKind
    cap: int | None
    level: CertificationLevel
    years: float
    sources: list[tuple[str, list[str]]]  # supervisor -> the people to move off them
    alone: list[str]  # volunteers with no guide (guidance only)
    room: dict[str, int]  # colleague -> free places
    # With a level-order rule: a supervisee's level, and each colleague's (else empty).
    levels: dict[str, CertificationLevel] = field(default_factory=dict)

    @property
    def movers(self) -> int:
        return sum(len(p) for _, p in self.sources) + len(self.alone)

    def groups(self) -> list[tuple[str, CertificationLevel | None, list[str]]]:
        """(supervisor, level, people): the people to move, by level when levels count."""
        out: list[tuple[str, CertificationLevel | None, list[str]]] = []
        for source, people in self.sources:
            if not self.levels:
                out.append((source, None, people))
                continue
            by_level: dict[CertificationLevel, list[str]] = {}
            for who in people:
                by_level.setdefault(self.levels[who], []).append(who)
            out.extend((source, level, found) for level, found in sorted(by_level.items()))
        if self.alone:
            out.append(("", None, self.alone))
        return out

    def may_take(self, target: str, level: CertificationLevel | None) -> bool:
        """Whether a colleague may take a supervisee of ``level``."""
        return level is None or self.levels[target] >= level


def _requirement(ctx: CheckContext, kind: SupervisionKind) -> tuple[CertificationLevel, float]:
    level, years = CertificationLevel.ASSISTANT, 0.0
    for _, params in ctx.rules_with_params("supervisor_qualification"):
        assert isinstance(params, SupervisorQualification)  # noqa: S101 - registry type
        if params.supervisee_kind is kind:
            level = max(level, params.min_level)
            years = max(years, float(params.min_years))
    return level, years


def _qualified(worker: SocialWorker, ctx: CheckContext, kind: SupervisionKind) -> bool:
    for _, params in ctx.rules_with_params("supervisor_qualification"):
        assert isinstance(params, SupervisorQualification)  # noqa: S101 - registry type
        if params.supervisee_kind is kind and (
            worker.certification < params.min_level
            or worker.years_of_practice(ctx.on) < params.min_years
        ):
            return False
    return True


def _cap(ctx: CheckContext, kind: SupervisionKind) -> int | None:
    limits = []
    for _, params in ctx.rules_with_params(_LIMIT_KIND[kind]):
        assert isinstance(params, MaxSupervisees)  # noqa: S101 - registry type
        limits.append(params.limit)
    return min(limits) if limits else None


def _pools(ctx: CheckContext, kind: SupervisionKind) -> list[_Pool]:
    cap = _cap(ctx, kind)
    plans_qualification = any(
        isinstance(p, SupervisorQualification) and p.supervisee_kind is kind
        for _, p in ctx.rules_with_params("supervisor_qualification")
    )
    load = ctx.supervisees_by_supervisor
    sources: dict[str, list[tuple[str, list[str]]]] = {}
    for (supervisor, edge_kind), supervisees in load.items():
        if edge_kind is not kind:
            continue
        worker = ctx.workers_by_id[supervisor]
        if plans_qualification and not _qualified(worker, ctx, kind):
            sources.setdefault(worker.centre, []).append((supervisor, list(supervisees)))
        elif cap is not None and len(supervisees) > cap:
            excess = len(supervisees) - cap
            sources.setdefault(worker.centre, []).append((supervisor, supervisees[-excess:]))
    alone: dict[str, list[str]] = {}
    if kind is SupervisionKind.GUIDANCE and ctx.rules_with_params("every_volunteer_supervised"):
        guided = {p for (_, k), found in load.items() if k is kind for p in found}
        for v in ctx.volunteers_on_roster:
            if v.id not in guided:
                alone.setdefault(v.centre, []).append(v.id)
    level, years = _requirement(ctx, kind)
    pools = []
    for centre in sorted({*sources, *alone}):
        busy = {s for s, _ in sources.get(centre, [])}
        moving = {p for _, people in sources.get(centre, []) for p in people}
        room = {}
        for worker in ctx.workers_by_centre.get(centre, ()):
            if worker.id in busy or worker.id in moving or not _qualified(worker, ctx, kind):
                continue
            free = (cap if cap is not None else 10**6) - len(load.get((worker.id, kind), ()))
            if free > 0:
                room[worker.id] = free
        levels: dict[str, CertificationLevel] = {}
        hire_level = level
        if kind is SupervisionKind.PROFESSIONAL and ctx.rules_with_params(
            "supervisor_level_at_least_supervisee"
        ):
            levels = {w.id: w.certification for w in ctx.workers_by_centre.get(centre, ())}
            levels |= {p: ctx.workers_by_id[p].certification for p in moving}
            hire_level = max([level, *(levels[p] for p in moving)])
        pools.append(
            _Pool(
                centre,
                kind,
                cap,
                hire_level,
                years,
                sources.get(centre, []),
                alone.get(centre, []),
                room,
                levels,
            )
        )
    return pools


def cheapest_fix(
    network: Network,
    pack: RulesLike = None,
    *,
    on: date | None = None,
    costs: CostTable | None = None,
    options: SolverOptions | None = None,
) -> FixPlan:
    """The least costly set of changes that clears every breach it can on ``on``.

    Args:
        network: The network.
        pack: The rules (as [`check`][sw_volunteer.rules.check] takes them).
        on: The day the plan is followed (default: the network's ``as_of``, else today).
        costs: What each change costs (default: [`CostTable`][sw_volunteer.plan.CostTable]).
        options: How the solver runs (default: deterministic, one worker).

    Returns:
        The plan: its actions (apply them with [`apply_fix`][sw_volunteer.plan.apply_fix]), the
        solver's status, the total cost, the breaches cleared, and those it does not clear with why.

    Raises:
        MissingDependencyError: OR-Tools (the ``plan`` extra) is not installed.
        TimeoutError: The solver's limits were reached before any plan was found.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
        ...     volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        ... )
        >>> plan = cheapest_fix(net, on=date(2013, 11, 18))
        >>> plan.status.value, plan.cost, [a.action for a in plan.actions]
        ('optimal', 1.0, ['add_supervision'])
    """
    cp = load_cp_model()
    table = costs if costs is not None else CostTable()
    resolved = resolve_rules(pack)
    day = on if on is not None else (network.info.as_of or datetime.now(tz=UTC).date())
    in_force, _ = resolved.in_force_on(day)
    report = check(network, resolved, on=day)
    ctx = CheckContext(network=network, on=day, pack=in_force)
    span = _SpanModel(cp.CpModel(), table, [p for k in SupervisionKind for p in _pools(ctx, k)])
    solver = new_solver(options if options is not None else SolverOptions())
    status = status_of(solver.solve(span.model))
    if status not in {SolveStatus.OPTIMAL, SolveStatus.FEASIBLE}:
        # Hires are unlimited: the model always has a plan; no plan means no time.
        raise TimeoutError("the solver found no plan in its time: raise the work limit")
    actions, hires = span.read(solver)
    kinds = {r.id: r.kind for r in in_force.rules}
    cleared, unfixable, extra = _sort_breaches(report.violations, kinds, day, table, actions)
    cost = (solver.objective_value + extra) / 100
    bound = (solver.best_objective_bound + extra) / 100
    return FixPlan(
        on=day,
        status=status,
        cost=round(cost, 2),
        bound=round(min(bound, cost), 2),
        actions=tuple(actions),
        hires=tuple(hires),
        cleared=tuple(cleared),
        unfixable=tuple(unfixable),
        refused=refused_rules(in_force.rules, {**FIX_KINDS, **NOT_FIXED}),
    )


class _SpanModel:
    """The moves and hires of every pool, as one CP-SAT model."""

    def __init__(self, model: Any, table: CostTable, pools: list[_Pool]) -> None:
        self.model = model
        self.pools = pools
        # pool number, source ("": nobody's), target (a colleague, or a hire's number), var
        self.flows: list[tuple[int, tuple[str, CertificationLevel | None], str | int, Any]] = []
        self.hires: list[tuple[int, int, Any, float]] = []
        objective: list[Any] = []
        for n, pool in enumerate(pools):
            objective.extend(self._add(n, pool, table))
        model.minimize(sum(objective))

    def _add(self, n: int, pool: _Pool, table: CostTable) -> list[Any]:
        model = self.model
        capacity = pool.cap if pool.cap is not None else max(pool.movers, 1)
        slots = math.ceil(pool.movers / capacity)
        hire_cost = table.hire_cost(pool.centre, pool.level.value)
        used = [model.new_bool_var(f"hire:{pool.centre}:{pool.kind}:{h}") for h in range(slots)]
        for a, b in pairwise(used):
            model.add_implication(b, a)  # hires in order: no symmetric plans
        into: dict[str | int, list[Any]] = {t: [] for t in [*pool.room, *range(slots)]}
        terms = []
        for source, level, people in pool.groups():
            out = []
            unit = cents(table.move if source else table.add_supervision)
            for target, found in into.items():
                if isinstance(target, str) and not pool.may_take(target, level):
                    continue
                top = len(people) if isinstance(target, int) else pool.room[target]
                var = model.new_int_var(0, min(top, len(people)), f"n:{source}:{target}")
                out.append(var)
                found.append(var)
                self.flows.append((n, (source, level), target, var))
                terms.append(unit * var)
            model.add(sum(out) == len(people))
        for target, found in into.items():
            if isinstance(target, int):
                model.add(sum(found) <= capacity * used[target])
            else:
                model.add(sum(found) <= pool.room[target])
        for h, var in enumerate(used):
            self.hires.append((n, h, var, hire_cost))
            terms.append(cents(hire_cost) * var)
        return terms

    def read(self, solver: Any) -> tuple[list[RemedyAction], list[Hire]]:
        """The actions and hires of the solution."""
        actions: list[RemedyAction] = []
        hires: list[Hire] = []
        hire_ids: dict[tuple[int, int], str] = {}
        for n, pool in enumerate(self.pools):
            mine = [(h, cost) for m, h, var, cost in self.hires if m == n and solver.value(var)]
            for h, cost in mine:
                hire_ids[n, h] = f"{pool.centre}-new-{pool.kind.value}-{h + 1}"
                hires.append(
                    Hire(hire_ids[n, h], pool.centre, pool.level, pool.years, pool.kind, cost)
                )
            if mine:
                actions.append(
                    RemedyAction(
                        action="add_people", count=len(mine), role="supervisor", target=pool.centre
                    )
                )
        queues = {
            (n, (source, level)): list(people)
            for n, p in enumerate(self.pools)
            for source, level, people in p.groups()
        }
        for n, group, target, var in self.flows:
            moved = solver.value(var)
            if not moved:
                continue
            goes_to = hire_ids[n, target] if isinstance(target, int) else target
            source = group[0]
            for _ in range(moved):
                who = queues[n, group].pop(0)
                if source:
                    actions.append(
                        RemedyAction(
                            action="move_supervisee", entity=who, source=source, target=goes_to
                        )
                    )
                else:
                    actions.append(
                        RemedyAction(action="add_supervision", entity=who, target=goes_to)
                    )
        return actions, hires


def _sort_breaches(
    violations: tuple[Violation, ...],
    kinds: dict[str, str],
    day: date,
    table: CostTable,
    actions: list[RemedyAction],
) -> tuple[list[Violation], list[Unfixable], int]:
    """The breaches cleared and not, and the cost (cents) of the own-remedy actions."""
    cleared: list[Violation] = []
    unfixable: list[Unfixable] = []
    extra = 0
    seen: set[str] = set()
    for violation in violations:
        kind = kinds.get(violation.rule_id, "")
        if kind in _SPAN_KINDS:
            cleared.append(violation)
            continue
        if kind in _OWN_REMEDY:
            found = _own_actions(violation, day, table, actions, seen)
            if not isinstance(found, tuple):
                extra += found
                cleared.append(violation)
                continue
            why, why_zh = found
        elif kind in NOT_FIXED:
            why, why_zh = NOT_FIXED[kind], NOT_FIXED_ZH[kind]
        else:
            why, why_zh = unknown_kind(kind)
        unfixable.append(Unfixable(violation, why, why_zh))
    return cleared, unfixable, extra


def _own_actions(
    violation: Violation, day: date, table: CostTable, actions: list[RemedyAction], seen: set[str]
) -> int | tuple[str, str]:
    """Add the evaluator's remedy to ``actions``; its cost in cents, or why it cannot."""
    if violation.remedy is None or not violation.remedy.options[0].actions:
        return ("the rule gives no change that can be applied", "该规则没有可自动执行的整改动作")
    chosen = violation.remedy.options[0].actions
    if any(a.action == "add_people" for a in chosen):
        return (
            "it needs more people at a session: staff_term plans who comes",
            "需要增加活动场次的人员：由排班安排",
        )
    if violation.session is not None and violation.session.date() < day:
        held = violation.session.date()
        return (
            f"the session took place on {held}, before {day}",
            f"该场次已于 {held} 举行，早于 {day}",
        )
    total = 0
    for action in chosen:
        key = action.model_dump_json()
        if key in seen:
            continue
        seen.add(key)
        actions.append(action)
        if action.action == "set_field":
            total += cents(table.of_field(str(action.field)))
        else:
            total += cents(table.end_supervision)
    return total


def apply_fix(network: Network, plan: FixPlan) -> Network:
    """The network after following ``plan`` on its day.

    Hires join on the day, certified at the level asked and with the years of practice
    asked; every other action is applied as [`apply_remedy`][sw_volunteer.rules.apply_remedy]
    applies it (nothing before the day changes).

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        ... )
        >>> plan = cheapest_fix(net, on=date(2013, 11, 18))
        >>> fixed = apply_fix(net, plan)
        >>> [w.id for w in fixed.workers], sv.check(fixed, on=date(2013, 11, 18)).ok
        (['c-new-guidance-1'], True)
    """
    current = network
    for hire in plan.hires:
        since = plan.on - timedelta(days=math.ceil(hire.years * 365.25) + 1)
        current = current.with_added(
            SocialWorker(
                id=hire.id,
                name="new social worker",
                centre=hire.centre,
                certification=hire.level,
                certified_on=since if hire.level.is_certified else None,
                practice_since=since,
                joined=plan.on,
            )
        )
    rest = tuple(a for a in plan.actions if a.action != "add_people")
    if rest:
        current = apply_remedy(current, RemedyOption(actions=rest), on=plan.on)
    return current


def actions_by_kind(plan: FixPlan) -> dict[str, int]:
    """How many actions of each kind (hires counted one by one).

    Example:
        >>> actions_by_kind(FixPlan(on=date(2013, 1, 1), status=SolveStatus.OPTIMAL, cost=0,
        ...                         bound=0, actions=()))
        {}
    """
    counts: dict[str, int] = {}
    for a in plan.actions:
        counts[a.action] = counts.get(a.action, 0) + (a.count or 1)
    return counts
