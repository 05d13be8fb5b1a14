"""What a session rule reads of the session's day: the declaration the window check trusts.

An activity evaluator declared with ``reads_of_the_day`` promises that two sessions
of one activity with the same people away and the same facts break the same rules (see
``sw_volunteer.rules._session_check``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sw_volunteer.rules._violations import Violation

if TYPE_CHECKING:
    from sw_volunteer.rules._context import CheckContext

__all__ = [
    "DayFacts",
    "FactsOfRule",
    "applies_to",
    "declared_facts",
    "declared_scope",
    "reads_of_the_day",
    "session_scope",
]


@dataclass(frozen=True, slots=True)
class DayFacts:
    """What a session rule reads of the session's day, besides the people present.

    Attributes:
        ages: Ages at which each volunteer's being a minor (``is_minor_on``) matters.
        insurance: Whether volunteers' accident insurance on the day matters.
        background_checks: Validity (years; ``None``: no expiry) of the volunteers'
            background checks that matters.
    """

    ages: tuple[int, ...] = ()
    insurance: bool = False
    background_checks: tuple[float | None, ...] = ()


FactsOfRule = Callable[[Any, "CheckContext"], DayFacts]
"""``facts(params, context)``: what a rule with ``params`` reads of the day."""

_READS: dict[Callable[..., Iterable[Violation]], FactsOfRule] = {}


def reads_of_the_day(
    facts: DayFacts | FactsOfRule,
) -> Callable[[Callable[..., Iterable[Violation]]], Callable[..., Iterable[Violation]]]:
    """Declare that an activity evaluator reads nothing of a session's day but ``facts``.

    ``facts`` is fixed, or computed from a rule's parameters and the check's context.

    Besides the facts named, the evaluator may read only the session's fixed fields
    (programme, setting, risk, clients, tasks of the people present), who is present,
    the people's undated fields and the pack: then two sessions of one activity with
    the same people away and the same facts break the same rules.
    """

    def declare(
        evaluator: Callable[..., Iterable[Violation]],
    ) -> Callable[..., Iterable[Violation]]:
        _READS[evaluator] = facts if callable(facts) else (lambda _, __: facts)
        return evaluator

    return declare


def declared_facts(evaluator: Callable[..., Iterable[Violation]]) -> FactsOfRule | None:
    """What ``evaluator`` declared it reads of the day (``None``: nothing declared)."""
    return _READS.get(evaluator)


ScopeOfRule = Callable[[Any, Any], bool]
"""``applies(params, activity)``: whether a rule with ``params`` can fire on ``activity``."""

_SCOPES: dict[Callable[..., Iterable[Violation]], ScopeOfRule] = {}


def session_scope(
    applies: ScopeOfRule,
) -> Callable[[Callable[..., Iterable[Violation]]], Callable[..., Iterable[Violation]]]:
    """Declare which activities a session evaluator can fire on, from their fixed fields.

    ``applies(params, activity)`` reads only the activity's fixed fields (setting, risk,
    transport, ...): the window then evaluates the rule on no session of the other
    activities. A rule that reads the day in ways ``DayFacts`` cannot say is evaluated
    on every session of the activities it applies to.
    """

    def declare(
        evaluator: Callable[..., Iterable[Violation]],
    ) -> Callable[..., Iterable[Violation]]:
        _SCOPES[evaluator] = applies
        return evaluator

    return declare


def declared_scope(evaluator: Callable[..., Iterable[Violation]]) -> ScopeOfRule | None:
    """The activities ``evaluator`` declared it can fire on (``None``: every activity)."""
    return _SCOPES.get(evaluator)


def applies_to(evaluator: Callable[..., Iterable[Violation]], params: Any, activity: Any) -> bool:
    """Whether ``evaluator`` with ``params`` can fire on ``activity`` (no scope: yes)."""
    scope = _SCOPES.get(evaluator)
    return scope is None or scope(params, activity)
