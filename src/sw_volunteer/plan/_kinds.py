"""Which rule kinds the planner turns into constraints, and how: the explicit list.

The rules layer does not know the planner; this table, next to the planner, says for
each built-in rule kind how it becomes part of a plan. A pack rule of a kind in neither
table (a user's own kind) is *refused*: the plan's result lists it with why, and the
plan does not claim to clear its breaches.

- [`FIX_KINDS`][sw_volunteer.plan.FIX_KINDS]: kinds whose breaches
  [`cheapest_fix`][sw_volunteer.plan.cheapest_fix] clears.
- [`TERM_KINDS`][sw_volunteer.plan.TERM_KINDS]: session kinds
  [`staff_term`][sw_volunteer.plan.staff_term] keeps on every session (the same rules
  ``check(between=...)`` evaluates).
- [`NOT_FIXED`][sw_volunteer.plan.NOT_FIXED]: known kinds the cheapest fix leaves alone, with why.

Example:
    >>> sorted(TERM_KINDS)[:3]
    ['adults_present', 'background_check_for_children', 'client_adult_ratio']
    >>> "caseload_limit" in NOT_FIXED
    True
"""

from __future__ import annotations

from dataclasses import dataclass

from sw_volunteer.rules import Rule

__all__ = [
    "FIX_KINDS",
    "NOT_FIXED",
    "NOT_FIXED_ZH",
    "NOT_STAFFED",
    "TERM_KINDS",
    "RefusedRule",
    "refused_rules",
    "unknown_kind",
]

FIX_KINDS: dict[str, str] = {
    "max_volunteers_per_supervisor": "span of control: moves to colleagues with room, or hires",
    "max_workers_per_supervisor": "span of control: moves to colleagues with room, or hires",
    "supervisor_qualification": "the supervisees move to qualified colleagues, or hires",
    "every_volunteer_supervised": "a guidance edge to a colleague with room, or a hire",
    "guardian_consent": "collect the guardian's written consent",
    "insurance_for_risky_activities": "insure the volunteer from the session's day",
    "background_check_for_children": "a background check dated the session's day",
    "single_primary_supervisor": "keep one primary supervisor, demote the others",
    "no_supervision_cycles": "end one edge of the cycle",
}
"""Kind -> how the cheapest fix clears its breaches."""

TERM_KINDS: dict[str, str] = {
    "adults_present": "adults and certified social workers per session",
    "client_adult_ratio": "adults per client, by need and setting (the strictest rule)",
    "max_volunteers_on_shift_per_worker": "volunteers per social worker present",
    "minors_accompanied": "a young volunteer only with an adult present",
    "no_minors_in_risky_activities": "no minor volunteers at risky sessions",
    "insurance_for_risky_activities": "only insured volunteers at risky sessions",
    "background_check_for_children": "only checked volunteers where children are served",
    "professional_tasks_qualified": "a person with a task only if qualified for it",
    "no_double_booking": "one session at a time per person",
}
"""Session kind -> the constraint a staffed term keeps."""

_SESSION = "a session's staffing: staff_term plans who comes"
_RECORDS = "a service record's content: its recorder corrects it (a correction keeps the original)"
NOT_FIXED: dict[str, str] = {
    "minimum_volunteer_age": "only time clears it (the volunteer's birthday)",
    "caseload_limit": "moving cases is not an action apply_remedy applies",
    "supervisor_level_at_least_supervisee": (
        "not planned: follow the check's remedy (a colleague of the supervisee's level); "
        "the plan's own moves and hires keep the order"
    ),
    "adults_present": _SESSION,
    "client_adult_ratio": _SESSION,
    "max_volunteers_on_shift_per_worker": _SESSION,
    "minors_accompanied": _SESSION,
    "no_minors_in_risky_activities": _SESSION,
    "professional_tasks_qualified": _SESSION,
    "no_double_booking": _SESSION,
    "service_record_fields": _RECORDS,
    "service_time_excludes_travel": _RECORDS,
    "record_correction_reason": _RECORDS,
    "volunteer_star_levels": "information only: nothing to clear",
    "supervision_hours_per_month": "only supervision sessions held clear it",
    "continuing_education_hours": "only continuing-education courses completed clear it",
    "volunteer_induction_hours": "only induction training completed clears it",
    "outing_guardian_consent": "only a guardian's signature clears it",
    "outing_risk_papers": "only the papers written by the centre clear it",
    "outing_transport": "vehicles and drivers are not planned: add seats or a driver",
    "incident_follow_up": "only a follow-up of the incident, recorded, clears it",
}
"""Known kind -> why the cheapest fix leaves its breaches to someone else."""

NOT_STAFFED = frozenset({"outing_guardian_consent", "outing_risk_papers", "outing_transport"})
"""Session kinds a staffed term leaves alone (refused with their ``NOT_FIXED`` reason)."""

_SESSION_ZH = "属于活动场次的人员配置：由排班安排到场人员"
_RECORDS_ZH = "属于志愿服务记录的内容：由记录人更正（更正保留原记录）"
NOT_FIXED_ZH: dict[str, str] = {
    "minimum_volunteer_age": "只能等志愿者达到年龄",
    "caseload_limit": "转移个案不是可自动执行的整改动作",
    "supervisor_level_at_least_supervisee": (
        "规划器未处理：请按检查给出的建议转给等级不低于被督导者的同事；本方案的转移和新聘不违反此规则"
    ),
    **{kind: _SESSION_ZH for kind, why in NOT_FIXED.items() if why == _SESSION},
    **{kind: _RECORDS_ZH for kind, why in NOT_FIXED.items() if why == _RECORDS},
    "volunteer_star_levels": "仅为提示信息，无须整改",
    "supervision_hours_per_month": "只能通过实际开展督导补足",
    "continuing_education_hours": "只能通过参加继续教育补足学时",
    "volunteer_induction_hours": "只能通过参加岗前培训补足学时",
    "outing_guardian_consent": "只能由监护人签署知情同意书",
    "outing_risk_papers": "只能由机构完成风险评估和应急预案",
    "outing_transport": "规划器不安排车辆和驾驶员：请增派车辆或安排驾驶员",
    "incident_follow_up": "只能通过跟进该意外事件并记录跟进日期消除",
}
"""The same reasons, in Chinese."""


def unknown_kind(kind: str) -> tuple[str, str]:
    """Why a rule of ``kind`` is refused, in English and Chinese."""
    return (
        f"the planner has no constraint for the rule kind {kind}",
        f"规划器没有规则类型 {kind} 的约束",
    )


@dataclass(frozen=True)
class RefusedRule:
    """A rule of the pack the planner cannot plan for (its breaches are not claimed).

    Attributes:
        rule_id: The rule.
        kind: Its kind.
        why: Why it is refused.
        why_zh: The same, in Chinese.

    Example:
        >>> age = Rule(id="volunteers.min_age", kind="minimum_volunteer_age", params={"min_age": 6})
        >>> (refused,) = refused_rules((age,), TERM_KINDS)
        >>> refused.rule_id, refused.kind
        ('volunteers.min_age', 'minimum_volunteer_age')
        >>> refused.why_zh
        '规划器没有规则类型 minimum_volunteer_age 的约束'
    """

    rule_id: str
    kind: str
    why: str
    why_zh: str = ""


def refused_rules(rules: tuple[Rule, ...], known: dict[str, str]) -> tuple[RefusedRule, ...]:
    """The rules whose kind the planner does not know (neither planned nor explained).

    Example:
        >>> r = Rule(id="age", kind="minimum_volunteer_age", params={"min_age": 6})
        >>> refused_rules((r,), TERM_KINDS)[0].why
        'the planner has no constraint for the rule kind minimum_volunteer_age'
    """
    return tuple(
        RefusedRule(r.id, r.kind, *unknown_kind(r.kind)) for r in rules if r.kind not in known
    )
