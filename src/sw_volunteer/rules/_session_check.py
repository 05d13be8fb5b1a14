"""Per-session checks over a window, each distinct kind of session evaluated once.

Most sessions of a recurring activity are alike: the same people come, and their ages,
insurance and background checks do not change from one week to the next. The built-in
session rules see a session only through those facts (and the activity's fixed fields),
so *which* rules a session breaks is a function of the activity, who is away, and the
stretch of days ("era") in which none of those facts changes. That set is found once per
distinct key. A session that breaks nothing then costs a dictionary look-up; a session
that breaks something is built as an [`Activity`][sw_volunteer.models.Activity] and given to
the same evaluators that fired for its key, so its violations (messages, remedies,
times) are exactly those a session-by-session check finds.

Rules of kinds that do not declare what they read of the day (a user's own kinds, or a
built-in kind registered again) are evaluated on every session.

This is the one place sessions are evaluated: ``sv.check(between=...)`` runs it, and
[`check_schedule`][sw_volunteer.rules.check_schedule] (the ``sessions`` command, the heatmap) is
a view of the same window, grouped by session (``SessionWindow.statuses``). Who is
away from a session includes the people rostered on an overlapping session that starts
first ([`double_bookings`][sw_volunteer.scheduling.double_bookings]), and who is free to stand in
is [`free_at`][sw_volunteer.scheduling.free_at].
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from itertools import repeat
from operator import itemgetter, or_, sub
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from sw_volunteer.models import (
    Activity,
    Network,
    Occurrence,
    Schedule,
    SocialWorker,
    Volunteer,
    first_day_of_age,
    gc_paused,
)
from sw_volunteer.rules._booking import BookedAt, SessionKey, record_bookings
from sw_volunteer.rules._day_facts import (
    DayFacts,
    FactsOfRule,
    ScopeOfRule,
    declared_facts,
    declared_scope,
    reads_of_the_day,
)
from sw_volunteer.rules._messages import code_title, render_remedy
from sw_volunteer.rules._violations import RemedyOption, Violation, copied, trusted_remedy
from sw_volunteer.scheduling import (
    ADULT_AGE,
    Availability,
    Presence,
    PresenceLine,
    SessionRoster,
    SessionTimes,
    StandInLine,
    can_stand_in,
    centre_people,
    double_bookings,
    free_at,
)
from sw_volunteer.vocab import Lang, weekday_label

if TYPE_CHECKING:
    from pydantic import BaseModel

    from sw_volunteer.rules._context import CheckContext
    from sw_volunteer.rules._declarations import ActivityEvaluator, Rule

__all__ = ["DayFacts", "SessionStatus", "SessionWindow", "named_option", "reads_of_the_day"]

_MOST_NAMED = 5
"""Substitutes named in a remedy; more would not help a coordinator on the phone."""

_AWAY = (None, Presence.ABSENT, Presence.NOT_AVAILABLE, Presence.BOOKED_ELSEWHERE)
"""Why someone is away, by the two bits of their place in a mask."""

_AWAY_ZH = {
    Presence.AVAILABLE: "在岗",
    Presence.ABSENT: "缺勤",
    Presence.NOT_AVAILABLE: "未登记可服务时间",
    Presence.BOOKED_ELSEWHERE: "时间冲突",
}
"""Why someone is away, in the words of a coordinator (``SessionStatus.render(lang="zh")``)."""


class SessionStatus(NamedTuple):
    """A session and the violations found in it.

    A named tuple, as [`SessionRoster`][sw_volunteer.scheduling.SessionRoster] is: a year of
    sessions for a city makes hundreds of thousands of them.

    Attributes:
        roster: The session with who is rostered, present and away.
        violations: What the rule pack found wrong with it, errors first.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> day = datetime(2013, 11, 18, tzinfo=tz), datetime(2013, 11, 19, tzinfo=tz)
        >>> statuses = sv.rules.check_schedule(sv.datasets.ruian_2013(), *day)
        >>> status = statuses[0]
        >>> status.ok, status.roster.activity.id, status.violations
        (True, 'liqun-farm-2013-11-18', ())
    """

    roster: SessionRoster
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        """Whether the session breaks no error-level rule."""
        return not any(v.severity.value == "error" for v in self.violations)

    def render(self, network: Network, lang: Lang = "en") -> str:
        """One line: when, what, who is present and away, and the staffing verdict.

        ``lang="zh"`` words it in Chinese (weekday 周一…周日, ids kept, codes by their
        short Chinese names).

        Example:
            >>> import sw_volunteer as sv
            >>> from zoneinfo import ZoneInfo
            >>> tz = ZoneInfo("Asia/Shanghai")
            >>> friday = (datetime(2013, 11, 22, tzinfo=tz), datetime(2013, 11, 23, tzinfo=tz))
            >>> network = sv.datasets.ruian_2013()
            >>> status = sv.rules.check_schedule(network, *friday)[0]
            >>> print(status.render(network, "zh").split("：")[1])
            社工 1 名，志愿者 1 名，已知在场成年人 1 名；未到岗
        """
        r = self.roster
        codes = sorted({v.code for v in self.violations})
        if lang == "zh":
            away = "、".join(f"{p}（{_AWAY_ZH[why]}）" for p, why in r.away)
            verdict = (
                "正常"
                if not codes
                else ("人手不足：" if not self.ok else "风险提示：")
                + "、".join(code_title(c, "zh") for c in codes)
            )
            return (
                f"{weekday_label(r.start, 'zh')} {r.start:%Y-%m-%d %H:%M}-{r.end:%H:%M} "
                f"{r.activity.name} [{r.activity.id}]：社工 {len(r.workers)} 名，"
                f"志愿者 {len(r.volunteers)} 名，已知在场成年人 {r.adults_present(network)} 名"
                + (f"；未到岗：{away}" if away else "")
                + f" → {verdict}"
            )
        away = ", ".join(f"{p} ({why.value})" for p, why in r.away)
        verdict = "ok" if not codes else ("SHORT: " if not self.ok else "warn: ") + ", ".join(codes)
        return (
            f"{weekday_label(r.start)} {r.start:%Y-%m-%d %H:%M}-{r.end:%H:%M} {r.activity.name} "
            f"[{r.activity.id}]: {len(r.workers)} worker(s), {len(r.volunteers)} volunteer(s), "
            f"{r.adults_present(network)} adult(s) known"
            + (f"; away: {away}" if away else "")
            + f" -> {verdict}"
        )


def named_option(
    option: RemedyOption,
    roster: SessionRoster,
    substitutes: Callable[[], Sequence[SocialWorker | Volunteer]],
    *,
    adult_age: int = ADULT_AGE,
) -> RemedyOption | None:
    """``option`` naming who could fill its gap, if it adds people (else ``None``).

    ``substitutes()`` gives the people who are free to stand in at the session, in
    order of preference ([`free_at`][sw_volunteer.scheduling.free_at]); the option names
    those who can fill the gap's role ([`can_stand_in`][sw_volunteer.scheduling.can_stand_in]).
    """
    wanted = [a for a in option.actions if a.action == "add_people" and a.role is not None]
    if not wanted:
        return None
    role = wanted[0].role or ""
    day = roster.start.date()
    people = [p.id for p in substitutes() if can_stand_in(p, role, day, adult_age=adult_age)]
    texts = {
        lang: render_remedy(
            "substitutes" if people else "no_substitutes",
            {"text": option.render(lang), "people": people},
            lang,
        )
        for lang in ("en", "zh")
    }
    return copied(
        option,
        {
            "context": {**option.context, "available": people},
            "text": texts["en"],
            "text_zh": texts["zh"],
        },
    )


def _days_after(day: date, days: int) -> date | None:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def _changes(v: Volunteer, facts: DayFacts) -> Iterable[date | None]:
    """Days on which one of ``facts`` about ``v`` may change (a superset is harmless)."""
    if v.birth_date is not None:
        for age in facts.ages:
            yield first_day_of_age(v.birth_date, age)
    if facts.insurance and v.insurance is not None:
        yield v.insurance.start
        if v.insurance.until is not None:
            yield _days_after(v.insurance.until, 1)
    checked = v.background_check_on
    if facts.background_checks and checked is not None:
        yield checked
        for years in facts.background_checks:
            if years is not None:
                whole = int(365.25 * years)
                yield _days_after(checked, whole)
                yield _days_after(checked, whole + 1)
                yield _days_after(checked, whole + 2)


_TaggedViolation = tuple[tuple[int, int, float, int], Violation]
"""A violation with where a session-by-session check lists it.

The tag is (rule position, 0, session start, activity position).
"""

_Away = tuple[tuple[str, Presence], ...]


@dataclass(slots=True)
class _Sessions:
    """What the window keeps of one activity's sessions.

    When each session is, who is away, and the rosters built for sessions that broke
    a rule. Times are kept in plain lists and who is away as bit masks over the
    activity's people whose presence varies (two bits each: 1 absent, 2 not available,
    3 booked at an overlapping session):
    a year of sessions for a city is kept without objects the garbage collector has
    to walk.
    """

    activity: Activity
    position: int
    availability: Availability
    lines: tuple[PresenceLine, ...]
    starts: list[datetime] = field(default_factory=list)
    ends: list[datetime] = field(default_factory=list)
    start_ts: list[float] | None = None
    end_ts: list[float] | None = None
    masks: list[int] | None = None
    rosters: dict[int, SessionRoster] = field(default_factory=dict)
    _timed: tuple[list[float], list[float], list[int], float] | None = None
    occurrences: list[Occurrence] = field(default_factory=list)
    _present: dict[int, frozenset[str]] = field(default_factory=dict)
    _twins: bool | None = None
    _by_session_id: dict[str, int] | None = None

    def who_is_away(self, mask: int) -> _Away:
        """The ``away`` of a roster from a mask (as ``away_at`` gives it)."""
        away: _Away = ()
        for i, (person, _, _) in enumerate(self.lines):
            why = _AWAY[mask >> (2 * i) & 3]
            if why is not None:
                away = (*away, (person, why))
        return away

    def session_id(self, n: int) -> str:
        """The id of session ``n`` (as ``SessionRoster.session_id`` gives it)."""
        if self.activity.schedule is None:
            return self.activity.id
        return f"{self.activity.id}@{self.starts[n]:%Y-%m-%dT%H:%M}"

    def book_elsewhere(self, booked: dict[int, list[str]]) -> None:
        """Mark the people of ``booked[n]`` as away from session ``n``, booked elsewhere.

        People not yet among ``lines`` get a line, in the roster's order (social
        workers, then volunteers, by id) as ``session_rosters`` lists them away.
        """
        count = len(self.starts)
        masks = self.masks if self.masks is not None else [0] * count
        known = {p for p, _, _ in self.lines}
        new = {p for people in booked.values() for p in people} - known
        if new:
            activity = self.activity
            order = (*sorted(activity.workers), *sorted(activity.volunteers))
            old = {p: i for i, (p, _, _) in enumerate(self.lines)}
            lines = tuple(
                (p, *self.availability.timelines(p)) for p in order if p in old or p in new
            )
            moved = [(old[p], k) for k, (p, _, _) in enumerate(lines) if p in old]
            masks = [
                sum((m >> (2 * i) & 3) << (2 * k) for i, k in moved) if m else 0 for m in masks
            ]
            self.lines = lines
        place = {p: k for k, (p, _, _) in enumerate(self.lines)}
        for n, people in booked.items():
            for p in people:
                masks[n] |= 3 << (2 * place[p])
        self.masks = masks
        self._present.clear()  # the masks (and perhaps the lines) have changed

    def mask(self, n: int) -> int:
        """Who is away from session ``n``, as a mask."""
        return 0 if self.masks is None else self.masks[n]

    def roster(self, n: int) -> SessionRoster:
        """The roster of session ``n`` (numbered in the order expanded), built once."""
        found = self.rosters.get(n)
        if found is not None:
            return found
        activity = self.activity
        occurrence = self.occurrences[n]
        away = self.who_is_away(self.mask(n))
        if away:
            gone = {p for p, _ in away}
            found = SessionRoster(
                activity,
                occurrence,
                activity.workers - gone,
                activity.volunteers - gone,
                away,
                self.availability,
            )
        else:
            found = SessionRoster(
                activity, occurrence, activity.workers, activity.volunteers, (), self.availability
            )
        self.rosters[n] = found
        return found

    def all_rosters(self) -> list[SessionRoster]:
        """The roster of every session, in the order expanded (those built kept).

        Sessions with the same people away share the sets of who is present. Built a
        column at a time with C-level calls: a year of sessions costs little more than
        the tuples themselves.
        """
        activity, index = self.activity, self.availability
        count = len(self.starts)
        occurrences = self.occurrences
        masks = self.masks
        staffed: Iterable[tuple[frozenset[str], frozenset[str], _Away]]
        if masks is None:
            staffed = repeat((activity.workers, activity.volunteers, ()), count)
        else:
            kinds: dict[int, tuple[frozenset[str], frozenset[str], _Away]] = {}
            for mask in set(masks):
                away = self.who_is_away(mask)
                gone = {p for p, _ in away}
                kinds[mask] = (activity.workers - gone, activity.volunteers - gone, away)
            staffed = map(kinds.__getitem__, masks)
        columns = zip(*staffed, strict=True) if count else iter(((), (), ()))
        workers, volunteers, away = columns
        out = list(
            map(
                _new,
                repeat(SessionRoster),
                zip(
                    repeat(activity, count),
                    occurrences,
                    workers,
                    volunteers,
                    away,
                    repeat(index, count),
                    strict=True,
                ),
            )
        )
        for n, built in self.rosters.items():
            out[n] = built
        return out

    def present(self, n: int) -> frozenset[str]:
        """Who can come to session ``n`` (one set per distinct mask, made once)."""
        mask = 0 if self.masks is None else self.masks[n]
        known = self._present.get(mask)
        if known is None:
            everyone = self.activity.workers | self.activity.volunteers
            known = everyone - {p for p, _ in self.who_is_away(mask)} if mask else everyone
            self._present[mask] = known
        return known

    def timestamps(self) -> tuple[list[float], list[float]]:
        """The sessions' start and end timestamps, in the order expanded."""
        if self.start_ts is None or self.end_ts is None:
            schedule = self.activity.schedule
            self.start_ts = _timestamps(schedule, self.starts)
            self.end_ts = _timestamps(schedule, self.ends)
        return self.start_ts, self.end_ts

    def timed(self) -> tuple[list[float], list[float], list[int], float]:
        """Start and end timestamps by start, the sessions' numbers, the longest span."""
        if self._timed is None:
            starts, ends = self.timestamps()
            numbers = list(range(len(starts)))
            if sorted(starts) != starts:
                numbers.sort(key=starts.__getitem__)
                starts = [starts[n] for n in numbers]
                ends = [ends[n] for n in numbers]
            longest = max(map(sub, ends, starts), default=0.0)
            self._timed = (starts, ends, numbers, longest)
        return self._timed

    def numbered(self, session_id: str) -> int | None:
        """The number of the last session whose id is ``session_id``, if any."""
        if self.activity.schedule is None:
            return 0 if self.starts and session_id == self.activity.id else None
        if self._by_session_id is None:
            stem = self.activity.id
            self._by_session_id = {
                f"{stem}@{s:%Y-%m-%dT%H:%M}": n for n, s in enumerate(self.starts)
            }
        return self._by_session_id.get(session_id)

    def has_twins(self) -> bool:
        """Whether two sessions start within a minute of each other (and may share an id)."""
        if self._twins is None:
            starts = self.timed()[0]
            self._twins = min(map(sub, starts[1:], starts[:-1]), default=60.0) < 60  # noqa: PLR2004
        return self._twins


_SessionRule = tuple[int, "Rule", "BaseModel", "ActivityEvaluator"]

_new: Callable[..., Any] = tuple.__new__
"""``_new(NamedTupleClass, fields)``: a named tuple from an iterable, in C (``_make`` is Python)."""


def _timestamps(schedule: Schedule | None, moments: list[datetime]) -> list[float]:
    """``datetime.timestamp`` of each of ``moments`` (a schedule's times: fast)."""
    if schedule is None:
        return list(map(datetime.timestamp, moments))
    return schedule.timestamps(moments)


class SessionWindow:
    """Every session starting in ``[start, end)``, checked with a pack's session rules.

    Args:
        network: The network.
        start: Start of the window (aware).
        end: End of the window (aware, exclusive).
        rules: The pack's activity-level rules with their position in the pack, parsed
            parameters and evaluators.
        context: The check's context (shared look-ups).
    """

    def __init__(
        self,
        network: Network,
        start: datetime,
        end: datetime,
        rules: Sequence[_SessionRule],
        context: CheckContext,
    ) -> None:
        self.network = network
        self._adult_age = context.adults.adult_age
        self.availability = Availability(network, start, end)
        self.violations: list[_TaggedViolation] = []
        self.sessions = 0
        self._activities: list[_Sessions] = []
        self._origin: dict[int, tuple[_Sessions, int]] = {}
        self._substitutes: dict[int, tuple[SocialWorker | Volunteer, ...]] = {}
        self._taken_by_time: dict[tuple[str, float, float], frozenset[str]] = {}
        self._centre_index: _Centres | None = None
        known = [r for r in rules if declared_facts(r[3]) is not None]
        every = [r for r in rules if declared_facts(r[3]) is None]
        ages: set[int] = set()
        insurance = False
        checks: set[float | None] = set()
        for _, _, params, evaluate in known:
            facts = cast("FactsOfRule", declared_facts(evaluate))(params, context)
            ages.update(facts.ages)
            insurance = insurance or facts.insurance
            checks.update(facts.background_checks)
        facts = DayFacts(tuple(sorted(ages)), insurance, tuple(checks))
        self.adult_age = context.adults.adult_age
        for position, activity in enumerate(network.activities):
            kept = _Sessions(
                activity,
                position,
                self.availability,
                self.availability.lines((*sorted(activity.workers), *sorted(activity.volunteers))),
            )
            self._activities.append(kept)
            self._expand(kept, start, end)
        self._book(context)
        first, last = start.date() - timedelta(days=2), end.date() + timedelta(days=2)
        scoped_known = [(r, declared_scope(r[3])) for r in known]
        scoped_every = [(r, declared_scope(r[3])) for r in every]
        volunteers = context.volunteers_by_id
        changes_of: dict[str, list[date]] = {}  # a volunteer's, found once for every activity
        for kept in self._activities:
            if not kept.starts:
                continue
            changes: set[date] = set()
            for vid in kept.activity.volunteers:
                found = changes_of.get(vid)
                if found is None:
                    found = changes_of[vid] = [
                        d
                        for d in _changes(volunteers[vid], facts)
                        if d is not None and first < d <= last
                    ]
                changes.update(found)
            self._check_activity(kept, sorted(changes), scoped_known, scoped_every, context)

    def _expand(self, kept: _Sessions, start: datetime, end: datetime) -> None:
        """The sessions of ``kept`` in ``[start, end)``, and who is away from each."""
        activity = kept.activity
        schedule = activity.schedule
        if schedule is None:
            # As instants: datetimes with one tzinfo compare by wall clock, ignoring fold.
            if not start.timestamp() <= activity.start.timestamp() < end.timestamp():
                return
            kept.starts, kept.ends = [activity.start], [activity.end]
            kept.occurrences = [Occurrence(activity.start, activity.end)]
        else:
            # Whole columns at a time: list comprehensions and map() over a year of
            # sessions cost a fraction of a Python loop doing the same per session.
            occurrences = kept.occurrences = list(schedule.occurrences(start, end))
            kept.starts = list(map(itemgetter(0), occurrences))
            kept.ends = list(map(itemgetter(1), occurrences))
        self.sessions += len(kept.starts)
        if kept.starts and kept.lines:
            kept.masks = self._masks(kept, schedule)

    def _book(self, context: CheckContext) -> None:
        """Settle who is booked at overlapping sessions; tell the rules of ``context``."""
        activities = self._activities
        booked = double_bookings(
            [
                SessionTimes(
                    (*sorted(k.activity.workers), *sorted(k.activity.volunteers)), k.timestamps
                )
                for k in activities
            ],
            lambda i, n: activities[i].present(n),
        )
        if not booked:
            return
        by_activity: dict[int, dict[int, list[str]]] = defaultdict(dict)
        table: dict[SessionKey, tuple[BookedAt, ...]] = {}
        for (i, n), bookings in sorted(booked.items()):
            by_activity[i][n] = [b.person for b in bookings]
            kept = activities[i]
            table[kept.session_id(n), kept.starts[n]] = tuple(
                (b.person, activities[j].session_id(m), activities[j].starts[m])
                for b in bookings
                for j, m in (b.counted_at,)
            )
        for i, sessions in by_activity.items():
            activities[i].book_elsewhere(sessions)
        record_bookings(context, table)

    def _check_activity(
        self,
        kept: _Sessions,
        changes: list[date],
        scoped_known: list[tuple[_SessionRule, ScopeOfRule | None]],
        scoped_every: list[tuple[_SessionRule, ScopeOfRule | None]],
        context: CheckContext,
    ) -> None:
        count = len(kept.starts)
        # Only the rules that can fire on this activity (``session_scope``); those that
        # read the day in undeclared ways evaluate every session.
        activity = kept.activity
        known = [r for r, applies in scoped_known if applies is None or applies(r[2], activity)]
        every = [r for r, applies in scoped_every if applies is None or applies(r[2], activity)]
        keys = self._keys(kept, changes)
        if keys is None:
            fired = self._evaluate(kept, 0, None, known, every, context)
            if fired or every:
                for n in range(1, count):
                    self._evaluate(kept, n, fired, known, every, context)
            return
        for key in dict.fromkeys(keys):
            first = keys.index(key)
            fired = self._evaluate(kept, first, None, known, every, context)
            if fired or every:
                for n in range(first + 1, count):
                    if keys[n] == key:
                        self._evaluate(kept, n, fired, known, every, context)

    def _keys(self, kept: _Sessions, changes: list[date]) -> list[int] | None:
        """Each session's key: the era of its day and who is away, as one int.

        ``era << (2 * len(lines)) | mask``; ``None`` when every session has the same.
        """
        keys = kept.masks
        if changes:
            width = 2 * len(kept.lines)
            eras = [bisect_right(changes, d) << width for d in map(datetime.date, kept.starts)]
            keys = eras if keys is None else list(map(or_, eras, keys))
        return keys

    def _masks(self, kept: _Sessions, schedule: Schedule | None) -> list[int]:
        """Who is away from each session of ``kept``, as masks (see ``_Sessions``)."""
        starts = kept.start_ts = _timestamps(schedule, kept.starts)
        # Under a day long, a schedule's occurrences last exactly its duration in
        # elapsed time (whole days are nominal): the ends' timestamps are additions,
        # not time-zone look-ups (in whole seconds, so no rounding).
        duration = None if schedule is None else schedule.duration
        if (
            duration is not None
            and duration.days == 0
            and not duration.microseconds
            and all(map(float.is_integer, starts))
        ):
            span = duration.total_seconds()
            ends = kept.end_ts = [a + span for a in starts]
        else:
            ends = kept.end_ts = _timestamps(schedule, kept.ends)
        masks = [0] * len(starts)
        for i, (_, off, on) in enumerate(kept.lines):
            # An absence wins over availability, as in away_at().
            absent = off.overlaps_each(starts, ends) if off is not None else None
            covered = on.covers_each(starts, ends) if on is not None else None
            # Most people are away from none of an activity's sessions or from all of them
            # (on leave elsewhere, or never free on its weekday): no pass per session.
            if absent is not None and not any(absent):
                absent = None
            if covered is not None and all(covered):
                covered = None
            bit_absent, bit_unavailable = 1 << (2 * i), 2 << (2 * i)
            if absent is None and covered is not None and not any(covered):
                masks = list(map(or_, masks, repeat(bit_unavailable, len(masks))))
            elif absent is not None and covered is not None:
                masks = [
                    m | (bit_absent if x else 0 if c else bit_unavailable)
                    for m, x, c in zip(masks, absent, covered, strict=True)
                ]
            elif absent is not None:
                masks = [m | bit_absent if x else m for m, x in zip(masks, absent, strict=True)]
            elif covered is not None:
                masks = [
                    m if c else m | bit_unavailable for m, c in zip(masks, covered, strict=True)
                ]
        return masks

    def _evaluate(  # noqa: PLR0917 - one session, with the loop's state
        self,
        kept: _Sessions,
        n: int,
        fired: tuple[int, ...] | None,
        known: list[_SessionRule],
        every: list[_SessionRule],
        context: CheckContext,
    ) -> tuple[int, ...]:
        """Evaluate session ``n`` of ``kept``; return which rules of ``known`` fired.

        Evaluates the ``fired`` rules of ``known`` (all of them if ``None``) and every
        rule of ``every``.
        """
        session = kept.roster(n).as_activity()
        at = kept.timestamps()[0][n]
        found = []
        for i in range(len(known)) if fired is None else fired:
            index, rule, params, evaluate = known[i]
            these = list(evaluate(rule, params, session, context))
            if these:
                found.append(i)
                self._found(these, index, at, kept, n)
        for index, rule, params, evaluate in every:
            these = list(evaluate(rule, params, session, context))
            if these:
                self._found(these, index, at, kept, n)
        return tuple(found)

    def _found(
        self, violations: list[Violation], index: int, at: float, kept: _Sessions, n: int
    ) -> None:
        """Keep ``violations`` of rule ``index`` at session ``n`` of ``kept`` (starting ``at``)."""
        tag = (index, 0, at, kept.position)
        self.violations.extend((tag, v) for v in violations)
        origin = (kept, n)
        for v in violations:
            self._origin[id(v)] = origin

    # -- remedies naming substitutes ------------------------------------------------

    def statuses(
        self, violations: Sequence[Violation], activities: Iterable[str] | None = None
    ) -> list[SessionStatus]:
        """Every session of the window with its violations, in time order.

        ``violations`` are the window's own (from ``violations``, perhaps filtered);
        they are grouped by the session they were found in, keeping their order, and
        name substitutes (``name_substitutes``). Ties in time keep the activities'
        document order. ``activities`` keeps only the sessions of those activity ids.
        """
        wanted = None if activities is None else set(activities)
        if wanted is not None:
            missing = wanted - {k.activity.id for k in self._activities}
            if missing:
                raise KeyError(f"no activity {min(missing)!r} in the network")
        found: dict[int, dict[int, list[Violation]]] = defaultdict(lambda: defaultdict(list))
        named = self.name_substitutes(violations)
        for original, violation in zip(violations, named, strict=True):
            origin = self._origin.get(id(original))
            if origin is not None:
                kept, n = origin
                found[kept.position][n].append(violation)
        with gc_paused():  # a status per session: none of them is garbage
            return self._statuses(found, wanted)

    def _statuses(
        self, found: dict[int, dict[int, list[Violation]]], wanted: set[str] | None
    ) -> list[SessionStatus]:
        none: tuple[Violation, ...] = ()
        statuses: list[SessionStatus] = []
        times: list[float] = []
        for kept in self._activities:
            if not kept.starts or (wanted is not None and kept.activity.id not in wanted):
                continue
            these = [none] * len(kept.starts)
            for n, listed in found.get(kept.position, {}).items():
                these[n] = tuple(listed)
            statuses.extend(
                map(_new, repeat(SessionStatus), zip(kept.all_rosters(), these, strict=True))
            )
            times.extend(kept.timestamps()[0])
        # Appended in document order, then the order expanded: a stable sort on the
        # start alone keeps ties in that order (and compares floats, not tuples).
        order = sorted(range(len(times)), key=times.__getitem__)
        return list(map(statuses.__getitem__, order))

    def name_substitutes(self, violations: Sequence[Violation]) -> list[Violation]:
        """``violations`` with each "add people" remedy naming who could stand in.

        Violations about other things, or about no session of the window, are unchanged;
        a session's violation also names its recurring activity's id.
        """
        out: list[Violation] = []
        for violation in violations:
            roster = self._roster_of(violation)
            if roster is None:
                out.append(violation)
                continue
            update: dict[str, object] = {}
            if roster.activity.id not in violation.entities:
                update["entities"] = (*violation.entities, roster.activity.id)
            if violation.remedy is not None:
                options = [
                    named_option(o, roster, partial(self._free, roster), adult_age=self.adult_age)
                    or o
                    for o in violation.remedy.options
                ]
                update["remedy"] = trusted_remedy(tuple(options))
            out.append(copied(violation, update) if update else violation)
        return out

    def _roster_of(self, violation: Violation) -> SessionRoster | None:
        """The session whose id is the violation's first entity (the last one, if several)."""
        if not violation.entities:
            return None
        session_id = violation.entities[0]
        stems = [session_id]
        at = session_id.find("@")
        while at >= 0:
            stems.append(session_id[:at])
            at = session_id.find("@", at + 1)
        by_id = self._centres().by_activity_id
        candidates = [by_id[stem] for stem in stems if stem in by_id]
        origin = self._origin.get(id(violation))
        if origin is not None:
            kept, n = origin
            # A violation names its own session, unless another one has the same id.
            if candidates == [kept] and not kept.has_twins():
                return kept.roster(n)
        found: list[tuple[float, int, _Sessions, int]] = []
        for kept in candidates:
            number = kept.numbered(session_id)
            if number is not None:
                found.append((kept.starts[number].timestamp(), kept.position, kept, number))
        if not found:
            return None
        _, _, kept, n = max(found, key=lambda f: f[:2])
        return kept.roster(n)

    def _centres(self) -> _Centres:
        if self._centre_index is None:
            self._centre_index = _Centres(self.network, self._activities)
        return self._centre_index

    def _free(self, roster: SessionRoster) -> tuple[SocialWorker | Volunteer, ...]:
        """Who is free to stand in at ``roster`` ([`free_at`][sw_volunteer.scheduling.free_at]).

        Who is taken is found among the window's sessions: the people present at a
        session that overlaps this one. Sessions of the same activity are counted too:
        their people are rostered here, so they are left out either way. Many sessions
        of a centre start together, so who is taken is kept for each (centre, start, end).
        """
        known = self._substitutes.get(id(roster))
        if known is None:
            centres = self._centres()
            centre = centres.centre_of_programme[roster.activity.programme]
            a, b = roster.occurrence.start.timestamp(), roster.occurrence.end.timestamp()
            known = free_at(
                centres.people(centre, self.availability),
                roster.rostered,
                self._taken(centre, a, b),
                a,
                b,
            )
            self._substitutes[id(roster)] = known
        return known

    def _taken(self, centre: str, a: float, b: float) -> frozenset[str]:
        """Who is present at a session overlapping ``[a, b)`` that may hold ``centre``'s people."""
        key = (centre, a, b)
        known = self._taken_by_time.get(key)
        if known is not None:
            return known
        taken: set[str] = set()
        for other in self._centres().activities_near(centre):
            starts, ends, numbers, longest = other.timed()
            for j in range(bisect_left(starts, a - longest), bisect_left(starts, b)):
                if ends[j] > a:
                    taken.update(other.present(numbers[j]))
        known = self._taken_by_time[key] = frozenset(taken)
        return known


class _Centres:
    """Who belongs to which centre, and which activities can take a centre's people."""

    def __init__(self, network: Network, activities: list[_Sessions]) -> None:
        self.centre_of_programme = {p.id: p.centre for p in network.programmes}
        self.by_activity_id = {a.activity.id: a for a in activities}
        self._people: dict[str, list[StandInLine]] = {}
        self._workers: dict[str, list[SocialWorker]] = defaultdict(list)
        self._volunteers: dict[str, list[Volunteer]] = defaultdict(list)
        centre_of_person: dict[str, str] = {}
        for w in network.workers:
            self._workers[w.centre].append(w)
            centre_of_person[w.id] = w.centre
        for v in network.volunteers:
            self._volunteers[v.centre].append(v)
            centre_of_person[v.id] = v.centre
        # Only sessions that hold some of a centre's people can make them busy.
        self._near: dict[str, list[_Sessions]] = defaultdict(list)
        for a in activities:
            centres = {
                centre_of_person[p]
                for p in a.activity.workers | a.activity.volunteers
                if p in centre_of_person
            }
            for c in centres:
                self._near[c].append(a)

    def people(self, centre: str, availability: Availability) -> list[StandInLine]:
        """The centre's people in the order substitutes are offered, with their timelines."""
        found = self._people.get(centre)
        if found is None:
            found = centre_people(
                self._workers.get(centre, ()), self._volunteers.get(centre, ()), availability
            )
            self._people[centre] = found
        return found

    def activities_near(self, centre: str) -> list[_Sessions]:
        """The activities rostering some of ``centre``'s people."""
        return self._near.get(centre, [])
