"""Who is rostered at two overlapping sessions, and at which one they count.

A person can be at one place at a time. When someone who can come to two sessions is
rostered on both and the sessions overlap, they count at the session that starts first
(on a tie, the activity listed first in the network, then the session expanded first)
and are away from the other one, as
[`Presence.BOOKED_ELSEWHERE`][sw_volunteer.scheduling.Presence.BOOKED_ELSEWHERE]. The choice is
greedy in time order: a later session that overlaps only a session the person was already taken away
from counts them again.

This is the one definition used by [`session_rosters`][sw_volunteer.scheduling.session_rosters]
and by the rule check over a window (``sv.check(between=...)``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import floordiv, gt, lt, sub

__all__ = ["Booking", "SessionTimes", "double_bookings"]

_BUCKET = 6 * 3600.0
"""Width (seconds) of the time buckets that rule out pairs of activities that never meet."""


@dataclass(frozen=True, slots=True)
class SessionTimes:
    """The sessions of one activity, for ``double_bookings``.

    Attributes:
        people: Ids of everyone rostered on the activity, in the roster's order
            (social workers, then volunteers, each by id): bookings come in that order.
        times: Gives the sessions' start and end UTC timestamps, in the order the
            sessions are numbered (called only when the activity shares someone).

    Example:
        >>> times = SessionTimes(["w1", "v1"], lambda: ([0.0, 86400.0], [7200.0, 93600.0]))
        >>> sorted(times.people), times.times()
        (['v1', 'w1'], ([0.0, 86400.0], [7200.0, 93600.0]))
    """

    people: Sequence[str]
    times: Callable[[], tuple[Sequence[float], Sequence[float]]]


@dataclass(frozen=True, slots=True)
class Booking:
    """Someone rostered on a session who counts at an overlapping one instead.

    Attributes:
        person: The person's id.
        counted_at: (activity position, session number) of the session where they count.

    Example:
        >>> first = SessionTimes(["w"], lambda: ([0.0], [7200.0]))
        >>> second = SessionTimes(["w"], lambda: ([3600.0], [10800.0]))
        >>> clashes = double_bookings([first, second], lambda activity, n: {"w"})
        >>> (booking,) = clashes[(1, 0)]
        >>> booking.person, booking.counted_at
        ('w', (0, 0))
    """

    person: str
    counted_at: tuple[int, int]


def _buckets(starts: Sequence[float], ends: Sequence[float]) -> frozenset[float]:
    """Every time bucket some session touches (two sessions that overlap share one).

    Buckets are numbered by ``timestamp // width`` (floats: no conversion needed).
    """
    width = repeat(_BUCKET)
    found = set(map(floordiv, starts, width))
    found.update(map(floordiv, ends, width))
    # Only a session longer than a bucket can span a whole one between its first and last.
    if max(map(sub, ends, starts), default=0.0) > _BUCKET:
        firsts = list(map(floordiv, starts, width))
        lasts = list(map(floordiv, ends, width))
        for first, last in zip(firsts, lasts, strict=True):
            found.update(first + k for k in range(1, int(last - first)))
    return frozenset(found)


def _overlaps_itself(starts: Sequence[float], ends: Sequence[float]) -> bool:
    """Whether two sessions of one activity overlap (in C-level passes over the columns)."""
    if any(map(gt, starts[:-1], starts[1:])):
        order = sorted(range(len(starts)), key=starts.__getitem__)
        starts, ends = [starts[n] for n in order], [ends[n] for n in order]
    if not any(map(gt, ends[:-1], ends[1:])):
        # Ends in order too (sessions of one length): the latest end so far is the last.
        return any(map(lt, starts[1:], ends))
    return any(map(lt, starts[1:], accumulate(ends, max)))


def double_bookings(
    activities: Sequence[SessionTimes],
    present: Callable[[int, int], Collection[str]],
) -> dict[tuple[int, int], tuple[Booking, ...]]:
    """The people taken away from each session by an overlapping one where they count.

    Args:
        activities: Each activity's people and sessions, in the network's order.
        present: ``present(activity, session)``: who can come to that session
            (availability minus absences), before double bookings are settled.

    Returns:
        For each (activity position, session number) with someone booked elsewhere,
        the bookings, in the order of the activity's ``people``.

    Example:
        >>> morning = SessionTimes(["w"], lambda: ([0.0, 86400.0], [7200.0, 93600.0]))
        >>> overlapping = SessionTimes(["w", "v"], lambda: ([3600.0], [10800.0]))
        >>> people = [{"w"}, {"w", "v"}]
        >>> double_bookings([morning, overlapping], lambda a, n: people[a])
        {(1, 0): (Booking(person='w', counted_at=(0, 0)),)}
    """
    of_person: dict[str, list[int]] = defaultdict(list)
    for i, activity in enumerate(activities):
        for person in activity.people:
            of_person[person].append(i)
    times: dict[int, tuple[Sequence[float], Sequence[float]]] = {}
    buckets: dict[int, frozenset[float]] = {}
    selfish: dict[int, bool] = {}
    meets: dict[tuple[int, int], bool] = {}

    def timed(i: int) -> tuple[Sequence[float], Sequence[float]]:
        if i not in times:
            times[i] = activities[i].times()
        return times[i]

    def touched(i: int) -> frozenset[float]:
        if i not in buckets:
            buckets[i] = _buckets(*timed(i))
        return buckets[i]

    def may_meet(i: int, j: int) -> bool:
        if i == j:
            if i not in selfish:
                selfish[i] = _overlaps_itself(*timed(i))
            return selfish[i]
        key = (i, j) if i < j else (j, i)
        if key not in meets:
            meets[key] = not touched(i).isdisjoint(touched(j))
        return meets[key]

    found: dict[tuple[int, int], list[Booking]] = defaultdict(list)
    for person, mine in of_person.items():  # each person on their own: any order
        if len(mine) == 1:
            if not may_meet(mine[0], mine[0]):
                continue
            candidates = mine
        else:
            candidates = [i for i in mine if any(may_meet(i, j) for j in mine)]
            if not candidates:
                continue
        sessions: list[tuple[float, int, int, float]] = []
        for i in candidates:
            starts, ends = timed(i)
            sessions.extend(
                (a, i, n, b)
                for n, (a, b) in enumerate(zip(starts, ends, strict=True))
                if person in present(i, n)
            )
        sessions.sort()
        kept_end = float("-inf")
        kept: tuple[int, int] = (-1, -1)
        for a, i, n, b in sessions:
            if a < kept_end:
                found[i, n].append(Booking(person, kept))
            else:
                kept_end, kept = b, (i, n)
    out: dict[tuple[int, int], tuple[Booking, ...]] = {}
    for (i, n), bookings in found.items():
        rank = {p: k for k, p in enumerate(activities[i].people)}
        out[i, n] = tuple(sorted(bookings, key=lambda b: rank[b.person]))
    return out
