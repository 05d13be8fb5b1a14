"""Rosters per session: who is rostered, who can actually come, who could stand in."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from operator import attrgetter
from typing import NamedTuple

from sw_volunteer.models import (
    Activity,
    Network,
    Occurrence,
    SocialWorker,
    Volunteer,
    first_day_of_age,
)
from sw_volunteer.scheduling._availability import Availability, Presence, away_at

__all__ = ["SessionRoster", "Staffing", "session_rosters"]

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
        """The session as an :class:`~sw_volunteer.models.Activity` with who is present.

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

        Who counts is :meth:`~sw_volunteer.models.Volunteer.counts_as_adult_on` (trained,
        and of age or with no birth date recorded).
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
        self, network: Network, *, busy: frozenset[str] | None = None
    ) -> tuple[SocialWorker | Volunteer, ...]:
        """People of the activity's centre who can come to this session and are free.

        Free means: not rostered here, and not rostered for another session that
        overlaps this one. Social workers come first (highest certification first),
        then volunteers; ties by id, so the order is deterministic. Whether each one is
        *qualified* for a given gap is for the rule that found the gap to decide.

        Args:
            network: The network the roster comes from.
            busy: Ids of the people taken by overlapping sessions, when the caller
                knows them (it saves looking through every other activity).
        """
        index = self.availability or Availability(network, self.start, self.end)
        centre = network.centre_of(self.activity.programme).id
        taken = self._busy_elsewhere(network, centre) if busy is None else busy
        rostered = self.rostered | taken
        a, b = self.occurrence.start.timestamp(), self.occurrence.end.timestamp()
        workers = sorted(
            (
                w
                for w in network.workers
                if w.centre == centre
                and w.id not in rostered
                and index.presence_ts(w.id, a, b) is Presence.AVAILABLE
            ),
            key=lambda w: (-w.certification.rank, w.id),
        )
        volunteers = sorted(
            (
                v
                for v in network.volunteers
                if v.centre == centre
                and v.id not in rostered
                and index.presence_ts(v.id, a, b) is Presence.AVAILABLE
            ),
            key=attrgetter("id"),
        )
        return (*workers, *volunteers)

    def _busy_elsewhere(self, network: Network, centre: str) -> frozenset[str]:
        start, end = self.occurrence.start, self.occurrence.end
        busy: set[str] = set()
        for other in network.activities:
            if other.id == self.activity.id or network.centre_of(other.programme).id != centre:
                continue
            if other.schedule is None:
                overlaps = self.occurrence.overlaps(other.start, other.end)  # as instants
            else:
                overlaps = next(other.schedule.overlapping(start, end), None) is not None
            if overlaps:
                busy.update(other.workers, other.volunteers)
        return frozenset(busy)


class Staffing:
    """Counts of adults and certified social workers present, for many sessions at once.

    The same counts as :meth:`SessionRoster.adults_present` and
    :meth:`SessionRoster.certified_present`, with the people's facts looked up once:
    for a year of sessions it is much cheaper than asking each roster.

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
    chosen = [a for a in network.activities if wanted is None or a.id in wanted]
    if wanted is not None:
        missing = wanted - {a.id for a in chosen}
        if missing:
            raise KeyError(f"no activity {min(missing)!r} in the network")
    streams = [_sessions_of(a, n, start, end, index) for n, a in enumerate(chosen)]
    # Merged on (start timestamp, activity position): plain tuple comparisons in C,
    # and ties keep document order.
    return (roster for _, _, roster in heapq.merge(*streams))


def _sessions_of(
    activity: Activity, position: int, start: datetime, end: datetime, index: Availability
) -> Iterator[tuple[float, int, SessionRoster]]:
    if activity.schedule is None:
        # As instants: datetimes with one tzinfo compare by wall clock, ignoring fold.
        if not (start.timestamp() <= activity.start.timestamp() < end.timestamp()):
            return
        occurrences: Iterable[Occurrence] = (Occurrence(activity.start, activity.end),)
    else:
        occurrences = activity.schedule.occurrences(start, end)
    # People with no availability schedule and no absence are present at every session:
    # only the others need a look-up per occurrence.
    lines = index.lines((*sorted(activity.workers), *sorted(activity.volunteers)))
    workers, volunteers = activity.workers, activity.volunteers
    if not lines:
        for occurrence in occurrences:
            yield (
                occurrence.start.timestamp(),
                position,
                SessionRoster(activity, occurrence, workers, volunteers, (), index),
            )
        return
    for occurrence in occurrences:
        a = occurrence.start.timestamp()
        away = away_at(lines, a, occurrence.end.timestamp())
        if away:
            gone = {p for p, _ in away}
            roster = SessionRoster(
                activity, occurrence, workers - gone, volunteers - gone, away, index
            )
        else:
            roster = SessionRoster(activity, occurrence, workers, volunteers, (), index)
        yield a, position, roster
