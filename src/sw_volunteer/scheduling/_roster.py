"""Rosters per session: who is rostered, who can actually come, who could stand in."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple

from sw_volunteer.models import (
    Activity,
    Network,
    Occurrence,
    SocialWorker,
    Volunteer,
    first_day_of_age,
    gc_paused,
)
from sw_volunteer.scheduling._availability import (
    Availability,
    Presence,
    PresenceLine,
    Timeline,
    away_at,
)
from sw_volunteer.scheduling._booking import SessionTimes, double_bookings

__all__ = [
    "SessionRoster",
    "Staffing",
    "StandInLine",
    "can_stand_in",
    "centre_people",
    "free_at",
    "session_rosters",
]

_new: Callable[..., Any] = tuple.__new__
"""``_new(NamedTupleClass, fields)``: a named tuple from an iterable, in C (``_make`` is Python)."""

ADULT_AGE = 18
"""Age from which a volunteer counts as an adult (the rule packs may say otherwise)."""


class SessionRoster(NamedTuple):
    """One occurrence of a session and its staffing: rostered, present, away, substitutes.

    Attributes:
        activity: The activity (for a recurring one, its first session and roster).
        occurrence: When this session takes place.
        workers: Ids of the rostered social workers who can come.
        volunteers: Ids of the rostered volunteers who can come.
        away: Each rostered person who cannot come, with why.
        availability: The index the roster was built with (reused for substitutes).

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> net = sv.datasets.ruian_2013()
        >>> day = datetime(2013, 11, 18, tzinfo=tz), datetime(2013, 11, 19, tzinfo=tz)
        >>> roster = next(iter(session_rosters(net, *day)))
        >>> roster.session_id, roster.start.isoformat()
        ('liqun-farm-2013-11-18', '2013-11-18T13:30:00+08:00')
        >>> len(roster.present), roster.away
        (28, ())
    """

    # A named tuple rather than a frozen dataclass: a year of sessions for a city
    # creates hundreds of thousands of these, and tuple construction is several
    # times cheaper.
    activity: Activity
    occurrence: Occurrence
    workers: frozenset[str]
    volunteers: frozenset[str]
    away: tuple[tuple[str, Presence], ...] = ()
    availability: Availability | None = None

    @property
    def session_id(self) -> str:
        """The session's id: the activity's id, plus the local start for a recurring one.

        For example ``a430@2013-11-18T16:30``.
        """
        if self.activity.schedule is None:
            return self.activity.id
        return f"{self.activity.id}@{self.occurrence.start:%Y-%m-%dT%H:%M}"

    @property
    def start(self) -> datetime:
        """When the session starts."""
        return self.occurrence.start

    @property
    def end(self) -> datetime:
        """When the session ends."""
        return self.occurrence.end

    @property
    def rostered(self) -> frozenset[str]:
        """Ids of every rostered social worker and volunteer."""
        return self.activity.workers | self.activity.volunteers

    @property
    def present(self) -> frozenset[str]:
        """Ids of every social worker and volunteer who can come."""
        return self.workers | self.volunteers

    def as_activity(self) -> Activity:
        """The session as an [`Activity`][sw_volunteer.models.Activity] with who is present.

        It is what rule checks evaluate: the same activity, at this occurrence's time,
        with the people who are away left out (and their tasks with them).
        """
        template = self.activity
        if template.schedule is None and not self.away:
            return template
        present = self.workers | self.volunteers
        update: dict[str, object] = {
            "id": self.session_id,
            "start": self.occurrence.start,
            "end": self.occurrence.end,
            "workers": self.workers,
            "volunteers": self.volunteers,
            "schedule": None,
        }
        if template.tasks and self.away:
            update["tasks"] = tuple(t for t in template.tasks if t.person in present)
        return template.model_copy(update=update)

    def adults_present(self, network: Network, *, adult_age: int = ADULT_AGE) -> int:
        """Social workers plus volunteers who count as adults on the day.

        Who counts is [`counts_as_adult_on`][sw_volunteer.models.Volunteer.counts_as_adult_on]
        (trained, and of age or with no birth date recorded).
        """
        day = self.occurrence.start.date()
        adults = len(self.workers)
        for vid in self.volunteers:
            if network.volunteer(vid).counts_as_adult_on(day, adult_age=adult_age):
                adults += 1
        return adults

    def certified_present(self, network: Network) -> int:
        """Certified social workers present."""
        return sum(network.worker(w).certification.is_certified for w in self.workers)

    def substitutes(
        self, network: Network, *, busy: Collection[str] | None = None
    ) -> tuple[SocialWorker | Volunteer, ...]:
        """People of the activity's centre who can come to this session and are free.

        Free means: not rostered here, and not present at another session that
        overlaps this one (see [`free_at`][sw_volunteer.scheduling.free_at]). Social workers come
        first (highest certification first), then volunteers; ties by id, so the order is
        deterministic. Whether each one is *qualified* for a given gap is
        [`can_stand_in`][sw_volunteer.scheduling.can_stand_in].

        Args:
            network: The network the roster comes from.
            busy: Ids of the people present at overlapping sessions, when the caller
                knows them (it saves expanding every other activity).
        """
        a, b = self.occurrence.start.timestamp(), self.occurrence.end.timestamp()
        index = self.availability
        if index is None or not index.start.timestamp() <= a < b <= index.end.timestamp():
            index = Availability(network, self.start, self.end)
        centre = network.centre_of(self.activity.programme).id
        taken = self._busy_elsewhere(network) if busy is None else busy
        people = centre_people(
            (w for w in network.workers if w.centre == centre),
            (v for v in network.volunteers if v.centre == centre),
            index,
        )
        return free_at(people, self.rostered, taken, a, b)

    def _busy_elsewhere(self, network: Network) -> frozenset[str]:
        """Who is present at the other sessions that overlap this one."""
        longest = max((x.end - x.start for x in network.activities), default=timedelta(0))
        for x in network.activities:
            if x.schedule is not None:
                longest = max(longest, x.schedule.duration)
        a, b = self.occurrence.start.timestamp(), self.occurrence.end.timestamp()
        busy: set[str] = set()
        for other in session_rosters(network, self.start - longest, self.end):
            if other.end.timestamp() > a and other.start.timestamp() < b:
                if other.activity.id == self.activity.id and other.start == self.start:
                    continue
                busy.update(other.present)
        return frozenset(busy)


StandInLine = tuple[SocialWorker | Volunteer, Timeline | None, Timeline | None]
"""A person who might stand in, with their absences and availability (``None``: none)."""


def centre_people(
    workers: Iterable[SocialWorker], volunteers: Iterable[Volunteer], index: Availability
) -> list[StandInLine]:
    """People of a centre in the order substitutes are offered, with their timelines.

    Social workers first (highest certification first), then volunteers; ties by id.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from sw_volunteer.scheduling import Availability
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> net = sv.datasets.ruian_2013()
        >>> november = datetime(2013, 11, 1, tzinfo=tz), datetime(2013, 12, 1, tzinfo=tz)
        >>> index = Availability(net, *november)
        >>> people = centre_people(
        ...     [w for w in net.workers if w.centre == "yucai"],
        ...     [v for v in net.volunteers if v.centre == "yucai"],
        ...     index,
        ... )
        >>> len(people), people[0][0].id, people[-1][0].id
        (82, 'yucai-w01', 'yucai-v78')
    """
    ordered: list[SocialWorker | Volunteer] = [
        *sorted(workers, key=lambda w: (-w.certification.rank, w.id)),
        *sorted(volunteers, key=lambda v: v.id),
    ]
    return [(p, *index.timelines(p.id)) for p in ordered]


def free_at(
    people: Iterable[StandInLine],
    rostered: Collection[str],
    busy: Collection[str],
    a: float,
    b: float,
) -> tuple[SocialWorker | Volunteer, ...]:
    """Who of ``people`` is free to stand in at ``[a, b)`` (UTC timestamps), in order.

    The one definition of "free": not ``rostered`` on the session, not ``busy``
    (present at another session that overlaps it), not absent at any instant of it,
    and available (if they registered availability) for all of it.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from sw_volunteer.scheduling import Availability
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> net = sv.datasets.ruian_2013()
        >>> november = datetime(2013, 11, 1, tzinfo=tz), datetime(2013, 12, 1, tzinfo=tz)
        >>> index = Availability(net, *november)
        >>> people = centre_people(
        ...     [w for w in net.workers if w.centre == "yucai"],
        ...     [v for v in net.volunteers if v.centre == "yucai"],
        ...     index,
        ... )
        >>> a = datetime(2013, 11, 12, 9, tzinfo=tz).timestamp()
        >>> free = free_at(people, rostered={"yucai-w02"}, busy=set(), a=a, b=a + 7200)
        >>> [p.id for p in free[:3]]  # yucai-w01 is on leave, yucai-w02 already rostered
        ['yucai-w03', 'yucai-w04', 'yucai-v49']
    """
    free: list[SocialWorker | Volunteer] = []
    for person, off, on in people:
        if person.id in rostered or person.id in busy:
            continue
        if off is not None and off.overlaps_ts(a, b):
            continue
        if on is not None and not on.covers_ts(a, b):
            continue
        free.append(person)
    return tuple(free)


def can_stand_in(
    person: SocialWorker | Volunteer, role: str, day: date, *, adult_age: int = ADULT_AGE
) -> bool:
    """Whether ``person`` fills a gap of ``role`` (a remedy's ``add_people`` role) on ``day``.

    Example:
        >>> import sw_volunteer as sv
        >>> w = sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")
        >>> can_stand_in(w, "certified_worker", date(2013, 11, 18))
        True
        >>> v = sv.Volunteer(id="v", name="V", centre="c", birth_date=date(2000, 1, 1))
        >>> can_stand_in(v, "adult", date(2013, 11, 18))
        False
    """
    if role == "certified_worker":
        return isinstance(person, SocialWorker) and person.certification.is_certified
    if role == "worker":
        return isinstance(person, SocialWorker)
    if role == "adult":
        # the one definition of who counts as an adult (models)
        return isinstance(person, SocialWorker) or person.counts_as_adult_on(
            day, adult_age=adult_age
        )
    return False


class Staffing:
    """Counts of adults and certified social workers present, for many sessions at once.

    The same counts as
    [`SessionRoster.adults_present`][sw_volunteer.scheduling.SessionRoster.adults_present] and
    [`SessionRoster.certified_present`][sw_volunteer.scheduling.SessionRoster.certified_present],
    with the people's facts looked up once: for a year of sessions it is much cheaper than asking
    each roster.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import timedelta
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2013, 11, 18, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
        ...     volunteers=[
        ...         sv.Volunteer(id="v", name="V", centre="c", birth_date=date(1995, 11, 19))
        ...     ],
        ...     programmes=[
        ...         sv.Programme(id="p", name="P", centre="c", service_area="after_school_care")
        ...     ],
        ...     activities=[sv.Activity(id="a", name="A", programme="p", start=at,
        ...                             end=at + timedelta(hours=1),
        ...                             workers=["w"], volunteers=["v"])],
        ... )
        >>> (roster,) = session_rosters(net, at, at + timedelta(days=1))
        >>> Staffing(net).adults(roster), Staffing(net).certified(roster)  # v is 18 the next day
        (1, 1)
    """

    def __init__(self, network: Network, *, adult_age: int = ADULT_AGE) -> None:
        self._certified = frozenset(w.id for w in network.workers if w.certification.is_certified)
        # The first day each volunteer counts as an adult, as counts_as_adult_on says:
        # trained volunteers only; no birth date recorded counts as adult from the start.
        adult_from: dict[str, date] = {}
        for v in network.volunteers:
            if not v.trained:
                continue
            if v.birth_date is None:
                adult_from[v.id] = date.min
            else:
                first = first_day_of_age(v.birth_date, adult_age)
                if first is not None:
                    adult_from[v.id] = first
        self._adult_from = adult_from

    def adults(self, roster: SessionRoster) -> int:
        """Social workers plus volunteers who count as adults on the session's day."""
        day = roster.occurrence.start.date()
        adult_from = self._adult_from
        return len(roster.workers) + sum(
            1 for v in roster.volunteers if v in adult_from and adult_from[v] <= day
        )

    def certified(self, roster: SessionRoster) -> int:
        """Certified social workers present."""
        return len(roster.workers & self._certified)


def session_rosters(
    network: Network,
    start: datetime,
    end: datetime,
    *,
    activities: Iterable[str] | None = None,
    availability: Availability | None = None,
) -> Iterator[SessionRoster]:
    """Every session starting in ``[start, end)``, with who can come, in time order.

    A recurring activity gives one session per occurrence of its schedule; a one-off
    activity gives one session if it starts in the window. Ties in time keep the
    activities' document order, so the result is deterministic.

    Args:
        network: The network.
        start: Start of the window (aware).
        end: End of the window (aware, exclusive).
        activities: Ids of the activities to consider (default: all).
        availability: A prepared index (built for the window if not given).

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import timedelta
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> first = datetime(2013, 11, 4, 16, 30, tzinfo=tz)
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="Centre")],
        ...     workers=[sv.SocialWorker(id="w", name="W", centre="c")],
        ...     programmes=[
        ...         sv.Programme(id="p", name="P", centre="c", service_area="after_school_care")
        ...     ],
        ...     activities=[sv.Activity(
        ...         id="a", name="homework club", programme="p", start=first,
        ...         end=first + timedelta(minutes=90), workers=["w"],
        ...         schedule=sv.Schedule(start=first, duration=timedelta(minutes=90),
        ...                              rules=["FREQ=WEEKLY;BYDAY=MO,WE"]))],
        ... )
        >>> [r.session_id for r in session_rosters(net, first, first + timedelta(days=7))]
        ['a@2013-11-04T16:30', 'a@2013-11-06T16:30']
    """
    index = availability if availability is not None else Availability(network, start, end)
    wanted = None if activities is None else set(activities)
    every = network.activities
    if wanted is not None:
        missing = wanted - {a.id for a in every}
        if missing:
            raise KeyError(f"no activity {min(missing)!r} in the network")
    with gc_paused():  # a roster per session: none of them is garbage
        sessions = [_Expanded(a, start, end, index) for a in every]
        # Someone rostered on overlapping sessions counts at one of them only.
        booked = double_bookings(
            [SessionTimes(s.order, s.times) for s in sessions],
            lambda i, n: sessions[i].present(n),
        )
        for (i, n), bookings in booked.items():
            sessions[i].book_elsewhere(n, [b.person for b in bookings])
        entries: list[tuple[float, int, SessionRoster]] = []
        for position, s in enumerate(sessions):
            if s.occurrences and (wanted is None or s.activity.id in wanted):
                count = len(s.occurrences)
                entries.extend(zip(s.starts, repeat(position, count), s.rosters(), strict=True))
        # In time order. Appended in document order: a stable sort on the start alone
        # keeps ties in that order (and compares floats, not tuples).
        entries.sort(key=itemgetter(0))
    return map(itemgetter(2), entries)


class _Expanded:
    """One activity's sessions in a window, with who is away from each."""

    def __init__(
        self, activity: Activity, start: datetime, end: datetime, index: Availability
    ) -> None:
        self.activity = activity
        self.index = index
        self.people = activity.workers | activity.volunteers
        if activity.schedule is None:
            # As instants: datetimes with one tzinfo compare by wall clock, ignoring fold.
            within = start.timestamp() <= activity.start.timestamp() < end.timestamp()
            self.occurrences = [Occurrence(activity.start, activity.end)] if within else []
        else:
            self.occurrences = list(activity.schedule.occurrences(start, end))
        self.order = (*sorted(activity.workers), *sorted(activity.volunteers))
        # People with no availability schedule and no absence are present at every
        # session: only the others need a look-up per occurrence.
        self.lines: tuple[PresenceLine, ...] = index.lines(self.order)
        self._schedule = activity.schedule
        self.starts = self._timestamps(list(map(itemgetter(0), self.occurrences)))
        self._ends: list[float] | None = None
        self.away: list[tuple[tuple[str, Presence], ...]] | None = None
        if self.lines:
            ends = self.ends()
            self.away = [away_at(self.lines, a, b) for a, b in zip(self.starts, ends, strict=True)]

    def ends(self) -> list[float]:
        if self._ends is None:
            self._ends = self._timestamps(list(map(itemgetter(1), self.occurrences)))
        return self._ends

    def _timestamps(self, moments: list[datetime]) -> list[float]:
        if self._schedule is None:
            return list(map(datetime.timestamp, moments))
        return self._schedule.timestamps(moments)

    def times(self) -> tuple[Sequence[float], Sequence[float]]:
        return self.starts, self.ends()

    def present(self, n: int) -> frozenset[str]:
        away = None if self.away is None else self.away[n]
        return self.people - {p for p, _ in away} if away else self.people

    def book_elsewhere(self, n: int, people: Sequence[str]) -> None:
        """Mark ``people`` as counted at another session, in the roster's order."""
        if self.away is None:
            self.away = [()] * len(self.occurrences)
        rank = {p: k for k, p in enumerate(self.order)}
        merged = [*self.away[n], *((p, Presence.BOOKED_ELSEWHERE) for p in people)]
        self.away[n] = tuple(sorted(merged, key=lambda pair: rank[pair[0]]))

    def rosters(self) -> list[SessionRoster]:
        """The roster of every session, in the order expanded.

        Built a column at a time with C-level calls; sessions with the same people
        away share the sets of who is present.
        """
        activity, index = self.activity, self.index
        count = len(self.occurrences)
        staffed: Iterable[tuple[frozenset[str], frozenset[str], tuple[tuple[str, Presence], ...]]]
        if self.away is None:
            staffed = repeat((activity.workers, activity.volunteers, ()), count)
        else:
            kinds: dict[
                tuple[tuple[str, Presence], ...],
                tuple[frozenset[str], frozenset[str], tuple[tuple[str, Presence], ...]],
            ] = {}
            for away in set(self.away):
                gone = {p for p, _ in away}
                kinds[away] = (activity.workers - gone, activity.volunteers - gone, away)
            staffed = map(kinds.__getitem__, self.away)
        workers, volunteers, away = zip(*staffed, strict=True) if count else ((), (), ())
        return list(
            map(
                _new,
                repeat(SessionRoster),
                zip(
                    repeat(activity, count),
                    self.occurrences,
                    workers,
                    volunteers,
                    away,
                    repeat(index, count),
                    strict=True,
                ),
            )
        )
