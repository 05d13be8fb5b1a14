"""Apply a remedy to a network: the changed copy a user would get by following it.

A remedy is followed on a day and changes nothing before it, so that a check of any
earlier day gives the same answer afterwards (the audit trail stays whole):

- A supervision edge that held before the day is never rewritten: a move ends it on
  the day before and starts a new edge (a new id) to the new supervisor on the day; an
  end sets its last day to the day before. An edge that starts on or after the day held
  on no earlier day, so it is changed in place (a move) or removed (an end).
- A field is set only as a dated fact from the day on: a guardian's consent counts from
  the day (``guardian_consent_on``); a background check is dated; accident insurance
  runs from its start. A value that would count before the day is refused, and so is a
  new value that would erase an old one an earlier session relied on (a volunteer's
  record holds one background-check date and one insurance period).
- Taking someone out of a one-off session changes that session only, and only if it
  starts on or after the day. A recurring activity that began before the day is split:
  the old activity keeps its roster and ends on the day before (its schedule's
  ``until``); a new activity (a new id) takes the sessions from the day on, without the
  person. The new schedule starts at the first session on or after the day; it is
  compared with the old one over two years, and a split that would change a session
  is refused. (An absence from the day on would not do: a check without a window
  evaluates an activity as listed, with its whole roster present.)
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import count
from typing import Any

from pydantic import ValidationError

from sw_volunteer.errors import RuleError
from sw_volunteer.models import (
    Activity,
    Entity,
    Network,
    Period,
    Supervision,
    Volunteer,
)
from sw_volunteer.rules._violations import Remedy, RemedyAction, RemedyOption
from sw_volunteer.vocab import SupervisionKind

__all__ = ["apply_remedy"]

_DAY = timedelta(days=1)
_FAITHFUL = timedelta(days=2 * 366)  # how far a split schedule is compared with the old


def apply_remedy(network: Network, remedy: Remedy | RemedyOption, *, on: date) -> Network:
    """The network after following ``remedy`` (its first option, for a ``Remedy``).

    Moves, new supervision edges, ended edges, field changes and removals from a session
    are applied from ``on``; nothing before ``on`` changes (see the module notes), so a
    check of an earlier day gives the same verdict. Adding people is not applied (who
    they are is the user's choice) and raises.

    Args:
        network: The network the remedy was computed for.
        remedy: A remedy or one of its options.
        on: The day the remedy is followed: moved edges start on it, ended edges end the
            day before, dated fields count from it.

    Raises:
        RuleError: The option adds people, names something that is not there, or would
            change a day before ``on``.

    Example:
        >>> from datetime import date
        >>> import sw_volunteer as sv
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="C")],
        ...     workers=[sv.SocialWorker(id=w, name="W", centre="c") for w in ("w1", "w2")],
        ...     volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        ...     supervisions=[sv.Supervision(id="s", supervisor="w1", supervisee="v",
        ...                                  kind="guidance", start=date(2013, 1, 1))],
        ... )
        >>> move = RemedyAction(action="move_supervisee", entity="v", source="w1", target="w2")
        >>> fixed = apply_remedy(net, RemedyOption(text="", text_zh="", actions=(move,)),
        ...                      on=date(2013, 11, 18))
        >>> [(s.supervisor, str(s.start), str(s.end)) for s in fixed.supervisions]
        [('w1', '2013-01-01', '2013-11-17'), ('w2', '2013-11-18', 'None')]
    """
    option = remedy.options[0] if isinstance(remedy, Remedy) else remedy
    if not option.actions:
        raise RuleError(f"the remedy {option.text!r} has no action that can be applied")
    current = network
    fresh = count(1)
    for action in option.actions:
        current = _apply(current, action, on, fresh)
    return current


def _new_id(network: Network, stem: str, fresh: count[int]) -> str:
    while True:
        candidate = f"{stem}-{next(fresh)}"
        if candidate not in network:
            return candidate


def _apply(network: Network, action: RemedyAction, on: date, fresh: count[int]) -> Network:
    if action.action == "add_people":
        raise RuleError(
            f"add {action.count} {action.role} to {action.target}: adding people is for you "
            "to do; apply a remedy option that moves or changes people instead"
        )
    if action.action == "move_supervisee":
        return _move(network, action, on, fresh)
    if action.action == "add_supervision":
        assert action.entity is not None  # noqa: S101 - set by the evaluator
        assert action.target is not None  # noqa: S101 - set by the evaluator
        supervisee = network.get(action.entity)
        kind = (
            SupervisionKind.GUIDANCE
            if isinstance(supervisee, Volunteer)
            else SupervisionKind.PROFESSIONAL
        )
        return network.with_added(
            Supervision(
                id=_new_id(network, "remedy-supervision", fresh),
                supervisor=action.target,
                supervisee=action.entity,
                kind=kind,
                start=on,
            )
        )
    if action.action == "end_supervision":
        return _end(network, _edge(network, str(action.entity)), on)
    if action.action == "set_field":
        return _set_field(network, action, on, fresh)
    return _remove_participant(network, action, on, fresh)


def _end(network: Network, edge: Supervision, on: date) -> Network:
    """``edge`` not active from ``on``: its last day the day before, or gone if it starts later."""
    if edge.start >= on:
        return network.with_removed(edge.id)  # it held on no day before
    if edge.end is not None and edge.end < on:
        return network  # already over before the day
    return network.with_replaced(edge.model_copy(update={"end": on - _DAY}))


def _edge(network: Network, edge_id: str) -> Supervision:
    try:
        edge = network.get(edge_id)
    except KeyError:
        raise RuleError(f"there is no supervision {edge_id!r}") from None
    if not isinstance(edge, Supervision):
        raise RuleError(f"{edge_id!r} is not a supervision")
    return edge


def _successor(
    network: Network, edge: Supervision, on: date, fresh: count[int], **changes: Any
) -> Network:
    """End ``edge`` the day before ``on`` and start a changed copy (a new id) on ``on``."""
    if edge.end is not None and edge.end < on:
        raise RuleError(f"the supervision {edge.id} ended on {edge.end}, before {on}")
    if edge.start >= on:
        return network.with_replaced(edge.model_copy(update=changes))
    after = edge.model_copy(
        update={"id": _new_id(network, "remedy-supervision", fresh), "start": on, **changes}
    )
    before = edge.model_copy(update={"end": on - _DAY})
    return network.with_replaced(before).with_added(after)


def _move(network: Network, action: RemedyAction, on: date, fresh: count[int]) -> Network:
    for edge in network.supervisions:
        if (
            edge.supervisor == action.source
            and edge.supervisee == action.entity
            and edge.is_active_on(on)
        ):
            return _successor(network, edge, on, fresh, supervisor=action.target)
    raise RuleError(f"{action.source} does not supervise {action.entity} on {on}")


def _day_of(value: object, what: str) -> date:
    try:
        return date.fromisoformat(str(value)) if not isinstance(value, date) else value
    except ValueError:
        raise RuleError(f"{what}: {value!r} is not a day") from None


def _set_field(network: Network, action: RemedyAction, on: date, fresh: count[int]) -> Network:
    entity = network.get(str(action.entity))
    field = str(action.field)
    if isinstance(entity, Supervision):
        # An edge's fields hold for its whole life: change it from the day on only.
        return _successor(network, entity, on, fresh, **{field: action.value})
    if not isinstance(entity, Volunteer):
        raise RuleError(f"set {field} of {entity.id}: only dated facts of volunteers are set")
    if field in {"guardian_consent", "guardian_consent_on"}:
        if action.value is False or action.value is None:
            raise RuleError(f"{entity.id}: a consent on file is not withdrawn by a remedy")
        given = on if action.value is True else _day_of(action.value, field)
        return _replaced(network, entity, {"guardian_consent_on": _not_before(given, on, field)})
    if field == "background_check_on":
        checked = _not_before(_day_of(action.value, field), on, field)
        old = entity.background_check_on
        if old is not None and old < on and _serves_between(network, entity.id, old, on - _DAY):
            raise RuleError(
                f"{entity.id}'s background check of {old} counted for sessions before {on}; "
                "the record holds one date, so replacing it would change those verdicts"
            )
        return _replaced(network, entity, {field: checked})
    if field == "insurance":
        try:
            cover = Period.model_validate(action.value)
        except ValidationError as error:
            raise RuleError(f"insurance of {entity.id}: {error}") from None
        _not_before(cover.start, on, field)
        return _replaced(network, entity, {field: _insured(network, entity, cover, on)})
    raise RuleError(
        f"{field} of {entity.id} is not a dated fact: setting it would change every earlier day"
    )


def _not_before(day: date, on: date, what: str) -> date:
    if day < on:
        raise RuleError(f"{what} from {day}: a remedy followed on {on} cannot date a fact before")
    return day


def _insured(network: Network, volunteer: Volunteer, cover: Period, on: date) -> Period:
    """``cover`` joined to the volunteer's period, unchanged on every day before ``on``."""
    old = volunteer.insurance
    if old is None or old.start >= on:
        # Nothing before the day is covered: the hull changes days from the day on only.
        if old is None:
            return cover
        return _hull(old, cover)
    if old.until is None or old.until >= on - _DAY:
        return _hull(old, cover)
    # A gap before the day: the hull would insure it, a replacement would drop old days.
    if _serves_between(network, volunteer.id, old.until + _DAY, on - _DAY):
        raise RuleError(
            f"{volunteer.id}'s record holds one insurance period; joining {old.until} to "
            f"{cover.start} would insure sessions before {on}"
        )
    return _hull(old, cover)


def _hull(a: Period, b: Period) -> Period:
    until = None if a.until is None or b.until is None else max(a.until, b.until)
    return Period(start=min(a.start, b.start), until=until)


def _serves_between(network: Network, person: str, first: date, last: date) -> bool:
    """Whether ``person`` is listed at a session that starts from ``first`` to ``last``."""
    if last < first:
        return False
    for activity in network.activities:
        if person not in activity.participants:
            continue
        if activity.schedule is None:
            if first <= activity.start.date() <= last:
                return True
            continue
        zone = activity.schedule.zone
        begin = datetime.combine(first, time(), tzinfo=zone)
        stop = datetime.combine(last + _DAY, time(), tzinfo=zone)
        if next(activity.schedule.occurrences(begin, stop), None) is not None:
            return True
    return False


def _replaced(network: Network, entity: Entity, changes: dict[str, object]) -> Network:
    changed = type(entity).model_validate({**entity.model_dump(), **changes})
    return network.with_replaced(changed)


def _without(activity: Activity, who: str) -> dict[str, object]:
    if who not in activity.participants:
        raise RuleError(f"{who} does not take part in {activity.id}")
    return {
        "workers": activity.workers - {who},
        "volunteers": activity.volunteers - {who},
        "clients": activity.clients - {who},
        "tasks": tuple(t for t in activity.tasks if t.person != who),
    }


def _remove_participant(
    network: Network, action: RemedyAction, on: date, fresh: count[int]
) -> Network:
    found = network.get(str(action.target))
    if not isinstance(found, Activity):
        raise RuleError(f"{action.target} is not an activity")
    activity = found
    who = str(action.entity)
    schedule = activity.schedule
    first = activity.start.date()  # the day the checks give the session
    if first >= on:
        return network.with_replaced(activity.model_copy(update=_without(activity, who)))
    if schedule is None:
        raise RuleError(f"{activity.id} took place on {first}, before {on}: it cannot change")
    zone = schedule.zone
    midnight = datetime.combine(on, time(), tzinfo=zone)
    coming = schedule.first_after(midnight)
    if coming is None:
        raise RuleError(f"{activity.id} has no session on or after {on}")
    held = sum(1 for _ in schedule.occurrences(schedule.start, midnight))
    tail = schedule.model_copy(
        update={
            "start": coming.start,
            "extra": tuple(
                x
                for x in schedule.extra
                if (x.astimezone(zone).date() if isinstance(x, datetime) else x) >= on
            ),
            "count": None if schedule.count is None else schedule.count - held,
        }
    )
    tail = type(schedule).model_validate(tail.model_dump())
    # Rules re-anchored on a later occurrence usually repeat the same times; where they
    # would not (a weekly rule anchored on an extra day), the split is refused.
    horizon = midnight + _FAITHFUL
    if list(tail.occurrences(midnight, horizon)) != list(schedule.occurrences(midnight, horizon)):
        raise RuleError(
            f"the schedule of {activity.id} cannot be restarted on {on} with the same "
            "sessions; change its roster by hand"
        )
    old = activity.model_copy(
        update={
            "schedule": type(schedule).model_validate(
                {**schedule.model_dump(), "until": on - _DAY, "count": None}
            )
        }
    )
    new = activity.model_copy(
        update={
            "id": _new_id(network, f"{activity.id}-from-{on.isoformat()}", fresh),
            "start": coming.start,
            "end": coming.start + schedule.duration,
            "schedule": tail,
            **_without(activity, who),
        }
    )
    return network.with_replaced(old).with_added(new)
