"""Per-session checks: the rule pack applied to every scheduled session, as it will happen.

[`check_schedule`][sw_volunteer.rules.check_schedule] is a view of ``sv.check(network,
between=(start, end))``: the same window evaluates the pack's session rules once (see
``_session_check``), and its violations are grouped by session. Each occurrence of a recurring
activity (and each one-off activity) in the window is a session holding only the people who can
actually come (availability minus absences, minus anyone counted at an overlapping session that
starts first). A violation about missing people gets a remedy naming the available,
qualified people of the centre who could fill the gap.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sw_volunteer.models import Network, gc_paused
from sw_volunteer.rules._check import RulesLike, resolve_rules, session_window, window_violations
from sw_volunteer.rules._context import CheckContext
from sw_volunteer.rules._session_check import SessionStatus
from sw_volunteer.scheduling import (
    RecordIssue,
    RecordIssueCode,
    service_hours,
    supervision_cover,
)
from sw_volunteer.vocab import Lang

__all__ = ["SessionStatus", "check_schedule", "schedule_report"]


def check_schedule(
    network: Network,
    start: datetime,
    end: datetime,
    rules: RulesLike = None,
    *,
    activities: Iterable[str] | None = None,
) -> list[SessionStatus]:
    """Every session starting in ``[start, end)`` with its staffing verdict, in time order.

    The sessions are the occurrences of recurring activities and the one-off activities
    in the window, each with the people who can actually come; ``rules`` is anything
    [`check`][sw_volunteer.rules.check] accepts (default ``cn-default``). The verdicts are
    those of ``sv.check(network, rules, between=(start, end))``, session by session
    (the pack's network-level rules are left out). ``activities`` keeps the sessions of
    those activity ids only; who is busy elsewhere is still found among every activity.

    Example:
        >>> import sw_volunteer as sv
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> friday = (datetime(2013, 11, 22, tzinfo=tz), datetime(2013, 11, 23, tzinfo=tz))
        >>> statuses = check_schedule(sv.datasets.ruian_2013(), *friday)
        >>> statuses[0].roster.session_id
        'yucai-430-junior@2013-11-22T16:30'
    """
    day = start.date()
    resolved, _ = resolve_rules(rules).in_force_on(day)  # the rules in force, as check()
    context = CheckContext(network=network, on=day, pack=resolved)
    with gc_paused():  # a roster and a status per session: none of them is garbage
        window = session_window(network, resolved, context, (start, end))
        statuses = window.statuses(window_violations(window), activities)
        # Freed before the collector runs again, it has nothing of the window to walk.
        del window, context
    return statuses


def schedule_report(
    network: Network, start: datetime, end: datetime, rules: RulesLike = None, *, lang: Lang = "en"
) -> str:
    """Plain text: the sessions of ``[start, end)`` with their staffing, cover and hours.

    Every session with its staffing verdict (and the errors, with remedies), the
    supervision cover for those days, and the service hours recorded in the window.

    Example:
        >>> import sw_volunteer as sv
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> text = schedule_report(
        ...     sv.datasets.ruian_2013(),
        ...     datetime(2013, 11, 22, tzinfo=tz),
        ...     datetime(2013, 11, 23, tzinfo=tz),
        ... )
        >>> print(text.splitlines()[1])
          Fri 2013-11-22 16:30-18:00 四点半学校·低年级 [yucai-430-junior]: 1 worker(s), ...
    """
    statuses = check_schedule(network, start, end, rules)
    last_day = (end - timedelta(microseconds=1)).date()
    zh = lang == "zh"
    if zh:
        lines = [f"活动场次 {start:%Y-%m-%d} 至 {last_day}：共 {len(statuses)} 场"]
    else:
        lines = [f"Sessions {start:%Y-%m-%d} to {last_day}: {len(statuses)}"]
    for status in statuses:
        lines.append(f"  {status.render(network, lang)}")
        lines.extend(
            f"      [{v.severity.label(lang) if zh else v.severity.value}] {v.render(lang)}"
            for v in status.violations
            if v.severity.value == "error"
        )
    short = sum(not s.ok for s in statuses)
    if zh:
        lines.append(f"  {len(statuses)} 场中有 {short} 场存在不合规（须整改）项")
    else:
        lines.append(f"  {short} of {len(statuses)} sessions break an error-level rule")
    lines.append("")
    lines.append(supervision_cover(network, start.date(), last_day).render(lang))
    hours = service_hours(network, start=start, end=end)
    records = sum(t.records for t in hours.totals)
    total = sum(t.minutes for t in hours.totals) / 60
    lines.append("")
    if zh:
        lines.append(
            f"服务时长 {start:%Y-%m-%d} 至 {last_day}：服务记录 {records} 条，"
            f"共 {total:.2f} 小时，志愿者 {len(hours.totals)} 名"
        )
        lines.extend(f"  未计入：{_issue_zh(network, issue)}" for issue in hours.issues)
    else:
        lines.append(
            f"Service hours recorded {start:%Y-%m-%d} to {last_day}: "
            f"{records} records, {total:.2f} h by {len(hours.totals)} volunteers"
        )
        lines.extend(f"  not counted: {issue.message}" for issue in hours.issues)
    return "\n".join(lines)


def _issue_zh(network: Network, issue: RecordIssue) -> str:
    """A service record's issue in Chinese (the English is ``issue.message``)."""
    record = next(r for r in network.service_records if r.id == issue.records[-1])
    when = f"{record.start:%Y-%m-%d %H:%M}"
    ids = "、".join(issue.records)
    if issue.code is RecordIssueCode.SESSION_NOT_HELD:
        return f"{ids}：活动 {record.activity} 在 {when} 未开展"
    if issue.code is RecordIssueCode.VOLUNTEER_ABSENT:
        return f"{ids}：志愿者 {issue.volunteer} 在 {when} 登记为缺勤"
    return f"{ids}：志愿者 {issue.volunteer} 在 {when} 有两条时间重叠的服务记录"
