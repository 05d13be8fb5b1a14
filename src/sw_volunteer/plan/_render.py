"""Plans and rosters as text (English or Chinese), JSON-ready dicts and CSV.

A Chinese text prints no English: the actions, reasons and headings come in the words
of practice (督导, 持证社工, 监护人书面同意, 意外保险, 违法犯罪记录查询).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime
from typing import Any

from sw_volunteer.plan._fix import FixPlan
from sw_volunteer.plan._kinds import RefusedRule
from sw_volunteer.plan._solver import SolveStatus
from sw_volunteer.plan._term import Roster
from sw_volunteer.rules import RemedyAction, Violation
from sw_volunteer.vocab import Lang, weekday_label

__all__ = [
    "fix_to_csv",
    "fix_to_dict",
    "render_fix",
    "render_roster",
    "roster_to_csv",
    "roster_to_dict",
]

_STATUS_ZH = {
    SolveStatus.OPTIMAL: "最优",
    SolveStatus.FEASIBLE: "可行",
    SolveStatus.INFEASIBLE: "不可行",
    SolveStatus.UNKNOWN: "未知",
}
_SEVERITY_ZH = {"error": "不合规（须整改）", "warning": "风险提示", "info": "提示"}
_MOST = 8
"""Names listed after a grouped action; the rest are counted."""


def _status(status: SolveStatus, gap: float, lang: Lang) -> str:
    if lang == "zh":
        text = _STATUS_ZH[status]
        return f"{text}（与下界差距 {gap:.1%}）" if status is SolveStatus.FEASIBLE else text
    if status is SolveStatus.FEASIBLE:
        return f"feasible (gap to the bound {gap:.1%})"
    return status.value


def _names(people: list[str]) -> str:
    shown = ", ".join(people[:_MOST])
    return shown + (f", … (+{len(people) - _MOST})" if len(people) > _MOST else "")


def _field_action(action: RemedyAction, lang: Lang) -> str:
    who, value = action.entity, action.value
    if action.field in {"guardian_consent_on", "guardian_consent"}:
        return (
            f"收集 {who} 的监护人书面同意" if lang == "zh" else f"collect {who}'s guardian consent"
        )
    if action.field == "background_check_on":
        if lang == "zh":
            return f"为 {who} 办理违法犯罪记录查询（{value}）"
        return f"background check for {who} ({value})"
    if action.field == "insurance" and isinstance(value, dict):
        span = f"{value.get('start')} – {value.get('until')}"
        return f"为 {who} 投保意外保险（{span}）" if lang == "zh" else f"insure {who} ({span})"
    if action.field == "primary":
        return f"督导关系 {who} 改为非主要督导" if lang == "zh" else f"make {who} a secondary edge"
    return action.render(lang)


def _action_lines(plan: FixPlan, lang: Lang) -> list[str]:
    """The actions, moves grouped by (from, to)."""
    moves: dict[tuple[str, str], list[str]] = defaultdict(list)
    edges: dict[str, list[str]] = defaultdict(list)
    lines: list[str] = []
    for a in plan.actions:
        if a.action == "move_supervisee":
            moves[str(a.source), str(a.target)].append(str(a.entity))
        elif a.action == "add_supervision":
            edges[str(a.target)].append(str(a.entity))
        elif a.action == "set_field":
            lines.append(_field_action(a, lang))
        else:
            lines.append(a.render(lang))
    for (source, target), people in moves.items():
        if lang == "zh":
            lines.append(f"将 {len(people)} 人由 {source} 转给 {target}：{_names(people)}")
        else:
            lines.append(f"move {len(people)} from {source} to {target}: {_names(people)}")
    for target, people in edges.items():
        if lang == "zh":
            lines.append(f"由 {target} 督导或指导 {len(people)} 人：{_names(people)}")
        else:
            lines.append(f"{target} takes on {len(people)}: {_names(people)}")
    return lines


def _refused_lines(refused: tuple[RefusedRule, ...], lang: Lang) -> list[str]:
    """The rules the planner refuses, headed, one a line (nothing when there are none)."""
    if not refused:
        return []
    n = len(refused)
    if lang == "zh":
        return [f"规划器无法处理的规则 {n} 条：", *(f"  {r.rule_id}：{r.why_zh}" for r in refused)]
    return [f"Rules the planner refuses ({n}):", *(f"  {r.rule_id}: {r.why}" for r in refused)]


def _breach(v: Violation, lang: Lang) -> str:
    severity = _SEVERITY_ZH[v.severity.value] if lang == "zh" else v.severity.value
    return f"[{severity}] {v.message_zh if lang == 'zh' else v.message} ({v.rule_id})"


def render_fix(plan: FixPlan, lang: Lang = "en") -> str:
    """The plan as text.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> from sw_volunteer.plan import cheapest_fix
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
        ...     volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        ... )
        >>> print(render_fix(cheapest_fix(net, on=date(2013, 11, 18)), "zh"))
        最低成本整改方案，执行日期 2013-11-18：最优，总成本 1.00
        整改动作 1 项：
          由 w 督导或指导 1 人：v
        可消除的问题 1 项：
          [不合规（须整改）] C：1 名志愿者没有指导社工：v (supervision.volunteers_guided)
    """
    zh = lang == "zh"
    status = _status(plan.status, plan.gap, lang)
    if zh:
        out = [f"最低成本整改方案，执行日期 {plan.on}：{status}，总成本 {plan.cost:.2f}"]
    else:
        out = [f"Cheapest fix from {plan.on}: {status}, total cost {plan.cost:.2f}"]
    actions = _action_lines(plan, lang)
    out.append(f"整改动作 {len(plan.actions)} 项：" if zh else f"Actions ({len(plan.actions)}):")
    out.extend(f"  {line}" for line in actions)
    if plan.hires:
        out.append(
            f"新聘社工 {len(plan.hires)} 名：" if zh else f"New social workers ({len(plan.hires)}):"
        )
        for h in plan.hires:
            level = h.level.label(lang)
            out.append(f"  {h.id}（{level}）" if zh else f"  {h.id} ({level}), cost {h.cost:.2f}")
    if plan.cleared:
        out.append(
            f"可消除的问题 {len(plan.cleared)} 项："
            if zh
            else f"Breaches cleared ({len(plan.cleared)}):"
        )
        out.extend(f"  {_breach(v, lang)}" for v in plan.cleared)
    if plan.unfixable:
        n = len(plan.unfixable)
        out.append(f"本方案无法消除的问题 {n} 项：" if zh else f"Breaches not cleared ({n}):")
        for u in plan.unfixable:
            why = u.why_zh if zh else u.why
            out.append(f"  {_breach(u.violation, lang)}{'：' if zh else ': '}{why}")
    out.extend(_refused_lines(plan.refused, lang))
    return "\n".join(out)


def fix_to_dict(plan: FixPlan) -> dict[str, Any]:
    """The plan as JSON-ready data (actions as ``apply_remedy`` reads them).

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> from sw_volunteer.plan import cheapest_fix
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
        ...     volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        ... )
        >>> plan = cheapest_fix(net, on=date(2013, 11, 18))
        >>> data = fix_to_dict(plan)
        >>> data["status"], data["cost"], data["actions"]
        ('optimal', 1.0, [{'action': 'add_supervision', 'entity': 'v', 'target': 'w'}])
        >>> [v["code"] for v in data["cleared"]]
        ['volunteer_unsupervised']
    """
    return {
        "on": plan.on.isoformat(),
        "status": plan.status.value,
        "cost": plan.cost,
        "bound": plan.bound,
        "gap": plan.gap,
        "actions": [a.model_dump(mode="json", exclude_none=True) for a in plan.actions],
        "hires": [
            {
                "id": h.id,
                "centre": h.centre,
                "level": h.level.value,
                "years": h.years,
                "kind": h.kind.value,
                "cost": h.cost,
            }
            for h in plan.hires
        ],
        "cleared": [v.model_dump(mode="json", exclude={"remedy"}) for v in plan.cleared],
        "unfixable": [
            {
                "violation": u.violation.model_dump(mode="json", exclude={"remedy"}),
                "why": u.why,
                "why_zh": u.why_zh,
            }
            for u in plan.unfixable
        ],
        "refused": [
            {"rule_id": r.rule_id, "kind": r.kind, "why": r.why, "why_zh": r.why_zh}
            for r in plan.refused
        ],
    }


def fix_to_csv(plan: FixPlan) -> str:
    """One row per action: ``action, entity, source, target, field, value, count, role``.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> from sw_volunteer.plan import cheapest_fix
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
        ...     volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        ... )
        >>> plan = cheapest_fix(net, on=date(2013, 11, 18))
        >>> print(fix_to_csv(plan), end="")
        action,entity,source,target,field,value,count,role
        add_supervision,v,,w,,,,
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = ["action", "entity", "source", "target", "field", "value", "count", "role"]
    writer.writerow(columns)
    for a in plan.actions:
        row = a.model_dump(mode="json")
        writer.writerow(["" if row[c] is None else row[c] for c in columns])
    return buffer.getvalue()


def _session_label(session: str, activity: str, start: datetime, end: datetime, lang: Lang) -> str:
    """A session as people read it: weekday, local times, activity (the sessions command's way)."""
    del session  # the session's id is the activity and the start, said here in words
    return f"{weekday_label(start, lang)} {start:%Y-%m-%d %H:%M}-{end:%H:%M} {activity}"


def render_roster(roster: Roster, lang: Lang = "en") -> str:
    """The roster as text: one line per session, then what could not be staffed.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2013, 11, 18, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> empty = Roster(start=at, end=at, status=SolveStatus.OPTIMAL, objective=0, bound=0,
        ...                assignments=(), sessions=())
        >>> print(render_roster(empty, "zh"))
        排班 2013-11-18 00:00 至 2013-11-18 00:00：最优，目标值 0.00，场次 0，人员 0
    """
    zh = lang == "zh"
    gap = 0.0 if roster.objective <= 0 else max(0.0, 1 - roster.bound / roster.objective)
    status = _status(roster.status, gap, lang)
    span = f"{roster.start:%Y-%m-%d %H:%M}", f"{roster.end:%Y-%m-%d %H:%M}"
    n, people = len(roster.sessions), len(roster.people)
    if zh:
        head = f"排班 {span[0]} 至 {span[1]}：{status}，目标值 {roster.objective:.2f}"
        out = [f"{head}，场次 {n}，人员 {people}"]
    else:
        head = f"Roster {span[0]} to {span[1]}: {status}, objective {roster.objective:.2f}"
        out = [f"{head}, {n} sessions, {people} people"]
    label = {s[0]: _session_label(*s, lang) for s in roster.sessions}
    colon, comma = ("：", "、") if zh else (": ", ", ")
    for session, who in roster.by_session().items():
        out.append(f"  {label[session]}{colon}{comma.join(who) if who else '—'}")
    if roster.unstaffed:
        k = len(roster.unstaffed)
        out.append(f"无法排满的场次 {k} 个：" if zh else f"Sessions that cannot be staffed ({k}):")
        out.extend(
            f"  {label.get(r.session, r.session)}{colon}{r.why_zh if zh else r.why}"
            for r in roster.unstaffed
        )
    if roster.conflicts:
        k = len(roster.conflicts)
        out.append(f"相互冲突的约束 {k} 条：" if zh else f"Constraints that cannot all hold ({k}):")
        out.extend(f"  {c.text_zh if zh else c.text}" for c in roster.conflicts)
    out.extend(_refused_lines(roster.refused, lang))
    return "\n".join(out)


def roster_to_dict(roster: Roster) -> dict[str, Any]:
    """The roster as JSON-ready data.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import timedelta
        >>> from sw_volunteer.plan import staff_term
        >>> net = sv.datasets.after_school_session(("v",))  # a child of 10, one session
        >>> at = net.activities[0].start
        >>> roster = staff_term(net, (at, at + timedelta(days=1)))
        >>> data = roster_to_dict(roster)
        >>> data["status"], [(a["person"], a["start"]) for a in data["assignments"]]
        ('optimal', [('w', '2013-11-18T16:30:00+08:00'), ('v', '2013-11-18T16:30:00+08:00')])
        >>> data["unstaffed"], data["hours"]
        ([], {'v': 2.0, 'w': 2.0})
    """
    return {
        "start": roster.start.isoformat(),
        "end": roster.end.isoformat(),
        "status": roster.status.value,
        "objective": roster.objective,
        "bound": roster.bound,
        "assignments": [
            {
                "session": a.session,
                "activity": a.activity,
                "start": a.start.isoformat(),
                "end": a.end.isoformat(),
                "person": a.person,
                "role": a.role,
            }
            for a in roster.assignments
        ],
        "unstaffed": [
            {
                "session": r.session,
                "activity": r.activity,
                "start": r.start.isoformat(),
                "certified_workers": r.certified_workers,
                "adults": r.adults,
                "why": r.why,
                "why_zh": r.why_zh,
            }
            for r in roster.unstaffed
        ],
        "conflicts": [
            {
                "kind": c.kind,
                "rule_id": c.rule_id,
                "subject": c.subject,
                "text": c.text,
                "text_zh": c.text_zh,
            }
            for c in roster.conflicts
        ],
        "refused": [
            {"rule_id": r.rule_id, "kind": r.kind, "why": r.why, "why_zh": r.why_zh}
            for r in roster.refused
        ],
        "hours": roster.hours,
    }


def roster_to_csv(roster: Roster) -> str:
    """One row per assignment: ``session, activity, start, end, person, role``.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import timedelta
        >>> from sw_volunteer.plan import staff_term
        >>> net = sv.datasets.after_school_session(("v",))  # a child of 10, one session
        >>> at = net.activities[0].start
        >>> roster = staff_term(net, (at, at + timedelta(days=1)))
        >>> print(roster_to_csv(roster), end="")
        session,activity,start,end,person,role
        a,a,2013-11-18T16:30:00+08:00,2013-11-18T18:30:00+08:00,w,worker
        a,a,2013-11-18T16:30:00+08:00,2013-11-18T18:30:00+08:00,v,volunteer
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["session", "activity", "start", "end", "person", "role"])
    for a in roster.assignments:
        writer.writerow(
            [a.session, a.activity, a.start.isoformat(), a.end.isoformat(), a.person, a.role]
        )
    return buffer.getvalue()
