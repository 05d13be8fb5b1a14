"""Double booking: a person counts towards at most one session at a time.

Someone rostered (and able to come) on two overlapping sessions is counted at the one
that starts first (on a tie, the activity listed first in the network) and is away from
the other one: the adults-present and ratio rules of the other session do not count
them ([`BOOKED_ELSEWHERE`][sw_volunteer.scheduling.Presence.BOOKED_ELSEWHERE]). The rule kind
``no_double_booking`` (code ``double_booked``) reports each such session, naming the
person, the session where they are missing and the session where they count.

Who is booked where is settled once, by
[`sw_volunteer.scheduling.double_bookings`][sw_volunteer.scheduling.double_bookings]: over the
scheduled sessions of a window in ``sv.check(between=...)`` (and so in ``check_schedule``), over the
activities as listed in a plain ``sv.check``. The check records it in the context
(``record_bookings``) before the rules run; the evaluator only reads it.

Example:
    >>> import sw_volunteer as sv
    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> at = datetime(2013, 11, 18, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> def session(id, start):
    ...     return sv.Activity(id=id, name=id, programme="p", start=start,
    ...                        end=start + timedelta(hours=2), workers=["w"])
    >>> net = sv.Network(
    ...     centres=[sv.Centre(id="c", name="C")],
    ...     workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
    ...     programmes=[
    ...         sv.Programme(id="p", name="P", centre="c", service_area="elderly_and_disability")
    ...     ],
    ...     activities=[session("a", at), session("b", at + timedelta(hours=1))],
    ... )
    >>> [v.entities for v in sv.check(net).violations if v.code == "double_booked"]
    [('b', 'w', 'a')]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from functools import partial

from sw_volunteer.models import Activity, SocialWorker
from sw_volunteer.rules._context import CheckContext
from sw_volunteer.rules._day_facts import DayFacts, reads_of_the_day
from sw_volunteer.rules._declarations import Rule, rule_kind
from sw_volunteer.rules._params import NoParams
from sw_volunteer.rules._violations import Remedy, RemedyAction, RemedyOption, Violation
from sw_volunteer.scheduling import SessionTimes, can_stand_in, double_bookings

__all__ = ["BookedAt", "SessionKey", "counted_once", "record_bookings"]

SessionKey = tuple[str, datetime]
"""A session as the rules see it: its id and its start."""

BookedAt = tuple[str, str, datetime]
"""Someone booked elsewhere: their id, and the id and start of the session where they count."""

_KEY = "double_bookings"
"""Where a check keeps who is booked elsewhere, in its context."""

_Table = dict[SessionKey, tuple[BookedAt, ...]]
"""What is kept there (the type spelt once: it is read for every session)."""


def record_bookings(context: CheckContext, booked: Mapping[SessionKey, Sequence[BookedAt]]) -> None:
    """Tell the ``no_double_booking`` rule of ``context`` who is booked elsewhere.

    Args:
        context: The check's context.
        booked: For each session (id, start) that misses someone, who, and where they
            count instead.
    """
    table = context.cached(_KEY, _Table)
    for key, found in booked.items():
        table[key] = (*table.get(key, ()), *found)


def counted_once(activities: Sequence[Activity], context: CheckContext) -> list[Activity]:
    """``activities`` as listed, each person counted at one of any overlapping ones.

    Someone rostered on overlapping activities stays on the one that starts first and is
    left out of the others (and their tasks with them); the bookings are recorded in
    ``context`` for the ``no_double_booking`` rule.
    """
    listed = list(activities)
    seen: set[str] = set()
    for activity in listed:  # usually nobody is on two activities: nothing to settle
        people = activity.workers | activity.volunteers
        if not seen.isdisjoint(people):
            break
        seen |= people
    else:
        return listed
    booked = double_bookings(
        [
            SessionTimes((*sorted(a.workers), *sorted(a.volunteers)), partial(_times, a))
            for a in listed
        ],
        lambda i, _: listed[i].workers | listed[i].volunteers,
    )
    if not booked:
        return listed
    table: dict[SessionKey, tuple[BookedAt, ...]] = {}
    for (i, _), bookings in sorted(booked.items()):
        activity = listed[i]
        gone = {b.person for b in bookings}
        table[activity.id, activity.start] = tuple(
            (b.person, listed[b.counted_at[0]].id, listed[b.counted_at[0]].start) for b in bookings
        )
        listed[i] = activity.model_copy(
            update={
                "workers": activity.workers - gone,
                "volunteers": activity.volunteers - gone,
                "tasks": tuple(t for t in activity.tasks if t.person not in gone),
            }
        )
    record_bookings(context, table)
    return listed


def _times(activity: Activity) -> tuple[list[float], list[float]]:
    return [activity.start.timestamp()], [activity.end.timestamp()]


def _stand_in_role(person: str, activity: Activity, context: CheckContext) -> str | None:
    """The role a stand-in for ``person`` must fill (``None``: nobody needs to)."""
    worker = context.workers_by_id.get(person)
    if isinstance(worker, SocialWorker):
        return "certified_worker" if worker.certification.is_certified else "worker"
    volunteer = context.volunteers_by_id.get(person)
    adult_age = context.adults.adult_age
    if volunteer is not None and can_stand_in(
        volunteer, "adult", activity.start.date(), adult_age=adult_age
    ):
        return "adult"
    return None


# Reads who is away from the session (the people booked elsewhere are): nothing of the day.
def _names(activity: Activity) -> dict[str, str]:
    """The session's name and start, for the Chinese messages."""
    return {"activity_name": activity.name, "start": activity.start.isoformat(timespec="minutes")}


@reads_of_the_day(DayFacts())
@rule_kind(
    "no_double_booking",
    NoParams,
    scope="activity",
    codes=("double_booked",),
    description="a person counts towards at most one session at a time",
)
def _double_booked(
    rule: Rule, params: NoParams, activity: Activity, ctx: CheckContext
) -> Iterator[Violation]:
    del params
    table = ctx.cached(_KEY, _Table)
    for person, other, other_start in table.get((activity.id, activity.start), ()):
        options = []
        role = _stand_in_role(person, activity, ctx)
        if role is not None:
            options.append(
                RemedyOption(
                    kind="stand_in",
                    context={"activity": activity.id, "person": person, **_names(activity)},
                    actions=(
                        RemedyAction(action="add_people", count=1, role=role, target=activity.id),
                    ),
                )
            )
        options.append(
            RemedyOption(
                kind="off_roster",
                context={"activity": activity.id, "person": person, **_names(activity)},
                actions=(
                    RemedyAction(action="remove_participant", entity=person, target=activity.id),
                ),
            )
        )
        yield Violation(
            code="double_booked",
            severity=rule.severity,
            rule_id=rule.id,
            entities=(activity.id, person, other),
            context={
                "person": person,
                "activity": activity.id,
                "day": activity.start.date().isoformat(),
                "time": f"{activity.start:%H:%M}",
                **_names(activity),
                "other": other,
                "other_start": f"{other_start:%Y-%m-%d %H:%M}",
            },
            remedy=Remedy(options=tuple(options)),
            session=activity.start,
        )
