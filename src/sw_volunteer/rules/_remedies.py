"""Apply a remedy to a network: the changed copy a user would get by following it."""

from __future__ import annotations

from datetime import date
from itertools import count

from sw_volunteer.errors import RuleError
from sw_volunteer.models import Activity, Entity, Network, Supervision, Volunteer
from sw_volunteer.rules._violations import Remedy, RemedyAction, RemedyOption
from sw_volunteer.vocab import SupervisionKind

__all__ = ["apply_remedy"]


def apply_remedy(network: Network, remedy: Remedy | RemedyOption, *, on: date) -> Network:
    """The network after following ``remedy`` (its first option, for a :class:`Remedy`).

    Moves, new supervision edges, ended edges, field changes and removals from a session
    are applied; adding people is not (who they are is the user's choice) and raises.

    Args:
        network: The network the remedy was computed for.
        remedy: A remedy or one of its options.
        on: The day of the check: moved edges start, ended edges end, on this day.

    Raises:
        RuleError: The option adds people, or names something that is not there.
    """
    option = remedy.options[0] if isinstance(remedy, Remedy) else remedy
    if not option.actions:
        raise RuleError(f"the remedy {option.text!r} has no action that can be applied")
    current = network
    fresh = count(1)
    for action in option.actions:
        current = _apply(current, action, on, fresh)
    return current


def _new_id(network: Network, fresh: count[int]) -> str:
    while True:
        candidate = f"remedy-supervision-{next(fresh)}"
        if candidate not in network:
            return candidate


def _apply(network: Network, action: RemedyAction, on: date, fresh: count[int]) -> Network:
    if action.action == "add_people":
        raise RuleError(
            f"add {action.count} {action.role} to {action.target}: adding people is for you "
            "to do; apply a remedy option that moves or changes people instead"
        )
    if action.action == "move_supervisee":
        for edge in network.supervisions:
            if (
                edge.supervisor == action.source
                and edge.supervisee == action.entity
                and edge.is_active_on(on)
            ):
                return network.with_replaced(edge.model_copy(update={"supervisor": action.target}))
        raise RuleError(f"{action.source} does not supervise {action.entity} on {on}")
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
                id=_new_id(network, fresh),
                supervisor=action.target,
                supervisee=action.entity,
                kind=kind,
                start=on,
            )
        )
    if action.action == "end_supervision":
        return network.with_removed(str(action.entity))
    if action.action == "set_field":
        entity = network.get(str(action.entity))
        changed: Entity = type(entity).model_validate(
            {**entity.model_dump(), str(action.field): action.value}
        )
        return network.with_replaced(changed)
    activity = network.get(str(action.target))
    assert isinstance(activity, Activity)  # noqa: S101 - remove_participant names an activity
    who = str(action.entity)
    return network.with_replaced(
        activity.model_copy(
            update={
                "workers": activity.workers - {who},
                "volunteers": activity.volunteers - {who},
                "clients": activity.clients - {who},
                "tasks": tuple(t for t in activity.tasks if t.person != who),
            }
        )
    )
