"""Per-session checks: the rule pack applied to every scheduled session, as it will happen.

Each occurrence of a recurring activity (and each one-off activity) in a window becomes
an :class:`~sw_volunteer.models.Activity` holding only the people who can actually come
(availability minus absences); the same rule declarations as :func:`check` evaluate it.
A violation about missing people gets a remedy naming the available, qualified people of
the centre who could fill the gap.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sw_volunteer.models import Network, SocialWorker, Volunteer
from sw_volunteer.rules._declarations import Severity
from sw_volunteer.rules._messages import render_remedy
from sw_volunteer.rules._violations import Remedy, RemedyOption, Violation
from sw_volunteer.scheduling import (
    SessionRoster,
    service_hours,
    session_rosters,
    supervision_cover,
)
from sw_volunteer.vocab import Lang

__all__ = [
    "SessionStatus",
    "check_schedule",
    "name_substitutes",
    "named_option",
    "schedule_report",
    "session_status",
    "sessions_between",
]


def sessions_between(
    network: Network,
    start: datetime,
    end: datetime,
    *,
    activities: Iterable[str] | None = None,
) -> list[SessionRoster]:
    """The sessions starting in ``[start, end)`` with who can come, in time order.

    See :func:`sw_volunteer.scheduling.session_rosters`.
    """
    return list(session_rosters(network, start, end, activities=activities))


def _qualified(
    person: SocialWorker | Volunteer, role: str, roster: SessionRoster, adult_age: int
) -> bool:
    if role == "certified_worker":
        return isinstance(person, SocialWorker) and person.certification.is_certified
    if role == "worker":
        return isinstance(person, SocialWorker)
    if role == "adult":
        if isinstance(person, SocialWorker):
            return True
        return person.counts_as_adult_on(roster.start.date(), adult_age=adult_age)
    return False


def named_option(
    option: RemedyOption,
    roster: SessionRoster,
    substitutes: Callable[[], Sequence[SocialWorker | Volunteer]],
    *,
    adult_age: int = 18,
) -> RemedyOption | None:
    """``option`` naming who could fill its gap, if it adds people (else ``None``).

    ``substitutes()`` gives the people who can come to the session and are free, in
    order of preference; the option names the qualified ones (an adult as the pack's
    ``adult_age`` says: :meth:`~sw_volunteer.models.Volunteer.counts_as_adult_on`).
    """
    wanted = [a for a in option.actions if a.action == "add_people" and a.role is not None]
    if not wanted:
        return None
    role = wanted[0].role or ""
    people = [p.id for p in substitutes() if _qualified(p, role, roster, adult_age)]
    texts = {
        lang: render_remedy(
            "substitutes" if people else "no_substitutes",
            {"text": option.render(lang), "people": people},
            lang,
        )
        for lang in ("en", "zh")
    }
    return option.model_copy(
        update={
            "context": {**option.context, "available": people},
            "text": texts["en"],
            "text_zh": texts["zh"],
        }
    )


def name_substitutes(
    violations: Sequence[Violation],
    rosters: Sequence[SessionRoster],
    network: Network,
    *,
    adult_age: int = 18,
) -> list[Violation]:
    """``violations`` with each "add people" remedy naming who could come to that session.

    Violations about other things, or about sessions not in ``rosters``, are unchanged.
    A session violation also names its recurring activity's id after the session's.
    """
    by_session = {r.session_id: r for r in rosters}
    timeline = _Sessions(rosters)
    out: list[Violation] = []
    for violation in violations:
        roster = by_session.get(violation.entities[0]) if violation.entities else None
        if roster is None:
            out.append(violation)
            continue
        update: dict[str, object] = {}
        if roster.activity.id not in violation.entities:
            update["entities"] = (*violation.entities, roster.activity.id)
        if violation.remedy is not None:
            busy = timeline.busy_besides(roster)
            options = [
                named_option(
                    o,
                    roster,
                    partial(roster.substitutes, network, busy=busy),
                    adult_age=adult_age,
                )
                or o
                for o in violation.remedy.options
            ]
            update["remedy"] = Remedy(options=tuple(options))
        out.append(violation.model_copy(update=update) if update else violation)
    return out


class _Sessions:
    """The sessions of a check in time order, to find who is taken at a given time."""

    def __init__(self, rosters: Sequence[SessionRoster]) -> None:
        self._rosters = sorted(rosters, key=lambda r: r.start.timestamp())
        self._starts = [r.start.timestamp() for r in self._rosters]
        self._longest = max((r.end.timestamp() - r.start.timestamp() for r in rosters), default=0.0)

    def busy_besides(self, roster: SessionRoster) -> frozenset[str]:
        """People present at the other sessions that overlap ``roster``."""
        a, b = roster.start.timestamp(), roster.end.timestamp()
        lo = bisect_left(self._starts, a - self._longest)
        hi = bisect_left(self._starts, b)
        busy: set[str] = set()
        for other in self._rosters[lo:hi]:
            if other.activity.id != roster.activity.id and other.end.timestamp() > a:
                busy.update(other.workers, other.volunteers)
        return frozenset(busy)


@dataclass(frozen=True, slots=True)
class SessionStatus:
    """A session and the violations found in it.

    Attributes:
        roster: The session with who is rostered, present and away.
        violations: What the rule pack found wrong with it, errors first.
    """

    roster: SessionRoster
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        """Whether the session breaks no error-level rule."""
        return not any(v.severity is Severity.ERROR for v in self.violations)

    def render(self, network: Network) -> str:
        """One line: when, what, who is present and away, and the staffing verdict."""
        r = self.roster
        away = ", ".join(f"{p} ({why.value})" for p, why in r.away)
        codes = sorted({v.code for v in self.violations})
        verdict = "ok" if not codes else ("SHORT: " if not self.ok else "warn: ") + ", ".join(codes)
        return (
            f"{r.start:%a %Y-%m-%d %H:%M}-{r.end:%H:%M} {r.activity.name} "
            f"[{r.activity.id}]: {len(r.workers)} worker(s), {len(r.volunteers)} volunteer(s), "
            f"{r.adults_present(network)} adult(s) known"
            + (f"; away: {away}" if away else "")
            + f" -> {verdict}"
        )


def session_status(
    violations: Sequence[Violation], rosters: Sequence[SessionRoster]
) -> list[SessionStatus]:
    """Group per-session ``violations`` by session, one status per roster, in order."""
    by_session: dict[str, list[Violation]] = {r.session_id: [] for r in rosters}
    for v in violations:
        if v.entities and v.entities[0] in by_session:
            by_session[v.entities[0]].append(v)
    return [SessionStatus(r, tuple(by_session[r.session_id])) for r in rosters]


def check_schedule(
    network: Network,
    start: datetime,
    end: datetime,
    rules: object = None,
    *,
    activities: Iterable[str] | None = None,
) -> list[SessionStatus]:
    """Every session starting in ``[start, end)`` with its staffing verdict, in time order.

    The sessions are the occurrences of recurring activities and the one-off activities
    in the window, each with the people who can actually come; ``rules`` is anything
    :func:`~sw_volunteer.rules.check` accepts (default ``cn-default``).
    """
    from sw_volunteer.rules._check import RulesLike, check_sessions, resolve_rules
    from sw_volunteer.rules._context import adults_of

    rosters = sessions_between(network, start, end, activities=activities)
    pack: RulesLike = rules  # type: ignore[assignment]
    found = check_sessions(network, [r.as_activity() for r in rosters], pack)
    adult_age = adults_of(resolve_rules(pack)).adult_age
    return session_status(name_substitutes(found, rosters, network, adult_age=adult_age), rosters)


def schedule_report(
    network: Network, start: datetime, end: datetime, rules: object = None, *, lang: Lang = "en"
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
    lines = [f"Sessions {start:%Y-%m-%d} to {last_day}: {len(statuses)}"]
    for status in statuses:
        lines.append(f"  {status.render(network)}")
        lines.extend(
            f"      [{v.severity.value}] {v.render(lang)}"
            for v in status.violations
            if v.severity is Severity.ERROR
        )
    short = sum(not s.ok for s in statuses)
    lines.append(f"  {short} of {len(statuses)} sessions break an error-level rule")
    lines.append("")
    lines.append(supervision_cover(network, start.date(), last_day).render())
    hours = service_hours(network, start=start, end=end)
    lines.append("")
    lines.append(
        f"Service hours recorded {start:%Y-%m-%d} to {last_day}: "
        f"{sum(t.records for t in hours.totals)} records, "
        f"{sum(t.minutes for t in hours.totals) / 60:.2f} h by {len(hours.totals)} volunteers"
    )
    lines.extend(f"  not counted: {issue.message}" for issue in hours.issues)
    return "\n".join(lines)
