"""Rule declarations (data) and the registry that maps a rule's kind to its evaluator.

A [`Rule`][sw_volunteer.rules.Rule] says *what* must hold (``kind`` plus parameters, a severity,
where the number comes from); the evaluator registered for its kind says *how* to check it.
Declarations are frozen, comparable and serialisable; evaluators are plain functions.

A rule may carry the dates it is in force (``effective``, ``repealed``); a rule without
dates (a practice norm, a project assumption) is in force on every day.

Example:
    >>> rule = Rule(id="span", kind="max_workers_per_supervisor", params={"limit": 8})
    >>> rule.params
    {'limit': 8}
    >>> rule.in_force_on(date(1990, 1, 1))
    True
    >>> Rule(id="span", kind="max_workers_per_supervisor", params={"limit": -1})
    Traceback (most recent call last):
    ...
    sw_volunteer.errors.RuleConfigurationError: rule 'span' (max_workers_per_supervisor): ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, NoReturn, Self

from pydantic import BaseModel, Field, PrivateAttr, ValidationError, model_validator

from sw_volunteer.errors import (
    Problem,
    RuleConfigurationError,
    RuleError,
    UnknownRuleKindError,
)
from sw_volunteer.models import Model, OwnErrorModel, validation_problems
from sw_volunteer.vocab import LabelledEnum, Lang

if TYPE_CHECKING:
    from sw_volunteer.models import Activity
    from sw_volunteer.rules._context import CheckContext
    from sw_volunteer.rules._violations import Violation

__all__ = [
    "ActivityEvaluator",
    "NetworkEvaluator",
    "Rule",
    "RuleKind",
    "Scope",
    "Severity",
    "SkippedRule",
    "get_rule_kind",
    "register_rule_kind",
    "rule_kind",
    "rule_kinds",
]


class Severity(LabelledEnum):
    """How serious a breach is. ``error`` makes a report fail; the others inform.

    Ordered: ``info < warning < error``.

    Example:
        >>> Severity.ERROR.label("zh"), Severity.WARNING.label("zh")
        ('不合规（须整改）', '风险提示')
        >>> Severity.WARNING < Severity.ERROR
        True
    """

    ERROR = ("error", "error", "不合规（须整改）")
    WARNING = ("warning", "warning", "风险提示")
    INFO = ("info", "info", "提示")

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return ("info", "warning", "error").index(self.value)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    __hash__ = LabelledEnum.__hash__


Scope = Literal["network", "activity"]
"""What an evaluator looks at: the whole network once, or one activity (session) at a time."""

NetworkEvaluator = Callable[["Rule", Any, "CheckContext"], Iterable["Violation"]]
"""``evaluator(rule, params, context)``: every breach of ``rule`` in the network."""

ActivityEvaluator = Callable[["Rule", Any, "Activity", "CheckContext"], Iterable["Violation"]]
"""``evaluator(rule, params, activity, context)``: every breach of ``rule`` in one session.

The activity need not belong to the network (a scheduled occurrence, a planned outing);
the people it names must.
"""


@dataclass(frozen=True, slots=True)
class RuleKind:
    """A registered kind of rule: its parameters, its evaluator and the codes it reports.

    Attributes:
        kind: The registry key, used as ``Rule.kind``.
        params_model: The pydantic model that validates a rule's ``params``.
        evaluator: The function that finds breaches (see [`Scope`][sw_volunteer.rules.Scope]).
        scope: ``"network"`` or ``"activity"``.
        codes: Every violation code the evaluator may report.
        description: One line on what the kind checks.

    Example:
        >>> kind = get_rule_kind("caseload_limit")
        >>> kind.scope, kind.params_model.__name__
        ('network', 'CaseloadLimit')
    """

    kind: str
    params_model: type[BaseModel]
    evaluator: NetworkEvaluator | ActivityEvaluator
    scope: Scope
    codes: tuple[str, ...]
    description: str = ""


_REGISTRY: dict[str, RuleKind] = {}


def register_rule_kind(
    kind: str,
    params_model: type[BaseModel],
    evaluator: NetworkEvaluator | ActivityEvaluator,
    *,
    scope: Scope = "network",
    codes: Iterable[str] = (),
    description: str = "",
    replace: bool = False,
) -> RuleKind:
    """Register a kind of rule so that ``Rule`` declarations of that kind can be checked.

    Args:
        kind: The key rules use in their ``kind`` field.
        params_model: Validates a rule's ``params``; bad params raise at once.
        evaluator: ``(rule, params, context)`` for ``scope="network"``, or
            ``(rule, params, activity, context)`` for ``scope="activity"``; returns
            the violations found (``params`` is an instance of ``params_model``).
        scope: Whether the evaluator checks the network or one activity at a time.
        codes: The violation codes the evaluator may report (for the code catalogue).
        description: One line on what it checks.
        replace: Allow replacing an existing registration.

    Raises:
        RuleError: ``kind`` is already registered and ``replace`` is false.

    Example:
        >>> from pydantic import BaseModel
        >>> class NoParams(BaseModel):
        ...     pass
        >>> def never(rule, params, context):
        ...     return ()
        >>> registered = register_rule_kind("never_breached", NoParams, never, replace=True)
        >>> Rule(id="x", kind="never_breached").kind
        'never_breached'
    """
    if kind in _REGISTRY and not replace:
        raise RuleError(f"rule kind {kind!r} is already registered; pass replace=True")
    if scope not in ("network", "activity"):
        raise RuleError(f"scope must be 'network' or 'activity', not {scope!r}")
    registered = RuleKind(kind, params_model, evaluator, scope, tuple(codes), description)
    _REGISTRY[kind] = registered
    return registered


def rule_kind(
    kind: str,
    params_model: type[BaseModel],
    *,
    scope: Scope = "network",
    codes: Iterable[str] = (),
    description: str = "",
    replace: bool = False,
) -> Callable[[Callable[..., Iterable[Violation]]], Callable[..., Iterable[Violation]]]:
    """Decorator form of ``register_rule_kind``; returns the evaluator unchanged.

    Example:
        >>> from pydantic import BaseModel
        >>> class Threshold(BaseModel):
        ...     limit: int
        >>> @rule_kind("never_over", Threshold, replace=True)
        ... def never_over(rule, params, context):
        ...     return ()
        >>> Rule(id="x", kind="never_over", params={"limit": 3}).params
        {'limit': 3}
    """

    def decorate(
        evaluator: Callable[..., Iterable[Violation]],
    ) -> Callable[..., Iterable[Violation]]:
        register_rule_kind(
            kind,
            params_model,
            evaluator,
            scope=scope,
            codes=codes,
            description=description,
            replace=replace,
        )
        return evaluator

    return decorate


def get_rule_kind(kind: str) -> RuleKind:
    """The registration of ``kind``.

    Raises:
        UnknownRuleKindError: Nothing is registered under ``kind``; the message lists
            the kinds that are.

    Example:
        >>> get_rule_kind("adults_present").scope
        'activity'
    """
    try:
        return _REGISTRY[kind]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownRuleKindError(f"unknown rule kind {kind!r}; known kinds: {known}") from None


def rule_kinds() -> dict[str, RuleKind]:
    """Every registered kind, by key (a copy).

    Example:
        >>> kinds = rule_kinds()
        >>> "caseload_limit" in kinds, kinds["no_supervision_cycles"].scope
        (True, 'network')
    """
    return dict(_REGISTRY)


def raise_rule_error(exc: ValidationError, rule_id: object = None) -> NoReturn:
    """Raise the RuleError wrapped in ``exc``, or one RuleConfigurationError listing all."""
    errors = exc.errors(include_url=False)
    causes = [e.get("ctx", {}).get("error") for e in errors]
    rule_errors = [c for c in causes if isinstance(c, RuleError)]
    if len(rule_errors) == len(errors) == 1:
        raise rule_errors[0] from None
    where = f"rule {rule_id!r}" if isinstance(rule_id, str) else "rule"
    raise RuleConfigurationError(validation_problems(exc, empty="(rule)"), subject=where) from None


class Rule(OwnErrorModel):
    """A rule declaration: what must hold, how serious a breach is, and where it comes from.

    ``params`` is validated against the parameter model registered for ``kind`` when
    the rule is built; a bad value raises
    [`RuleConfigurationError`][sw_volunteer.errors.RuleConfigurationError] (an unknown kind raises
    [`UnknownRuleKindError`][sw_volunteer.errors.UnknownRuleKindError]). The stored ``params`` are
    the validated values in JSON form, defaults included, so two rules that mean the same
    compare equal.

    Attributes:
        id: Unique within a rule pack, e.g. ``"supervision.volunteers_per_worker.error"``.
        kind: The registry key of the check.
        severity: How serious a breach is.
        params: The check's parameters.
        source: Where the number(s) come from (a regulation, a standard, an assumption),
            and where the rule's dates come from.
        description: What the rule says, in words.
        effective: The first day the rule is in force (the day its instrument took
            effect); ``None``: in force since ever.
        repealed: The first day the rule is no longer in force (the day its instrument
            was repealed or replaced); ``None``: still in force. Later than
            ``effective``.
        superseded_by: The id of the rule that replaced it, where known (informative:
            the successor carries its own dates).

    Example:
        >>> insurance = Rule(
        ...     id="insurance",
        ...     kind="insurance_for_risky_activities",
        ...     effective=date(2017, 12, 1),
        ... )
        >>> insurance.in_force_on(date(2017, 11, 30)), insurance.in_force_on(date(2017, 12, 1))
        (False, True)
    """

    id: str = Field(min_length=1)
    kind: str = Field(min_length=1)
    severity: Severity = Severity.ERROR
    params: dict[str, Any] = Field(default_factory=dict)
    source: str | None = None
    description: str = ""
    effective: date | None = None
    repealed: date | None = None
    superseded_by: str | None = Field(default=None, min_length=1)

    _parsed: BaseModel | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _validate_params(self) -> Self:
        registered = get_rule_kind(self.kind)
        try:
            parsed = registered.params_model.model_validate(self.params)
        except ValidationError as exc:
            failure: ValidationError | None = exc
        else:
            failure = None
        if failure is not None:  # raised outside the handler: no pydantic error as context
            problems = [
                Problem(f"params.{p.location}" if p.location else "params", p.code, p.message)
                for p in validation_problems(failure)
            ]
            raise RuleConfigurationError(
                problems, subject=f"rule {self.id!r} ({self.kind})"
            ) from None
        # The normalised form keeps declarations comparable and serialisable.
        object.__setattr__(self, "params", parsed.model_dump(mode="json"))
        self._parsed = parsed
        return self

    @model_validator(mode="after")
    def _validate_dates(self) -> Self:
        if (
            self.effective is not None
            and self.repealed is not None
            and self.repealed <= self.effective
        ):
            raise RuleConfigurationError(
                f"rule {self.id!r}: repealed ({self.repealed.isoformat()}) must be later "
                f"than effective ({self.effective.isoformat()})"
            )
        if self.superseded_by == self.id:
            raise RuleConfigurationError(f"rule {self.id!r} cannot supersede itself")
        return self

    def in_force_on(self, day: date) -> bool:
        """Whether the rule is in force on ``day``: ``effective <= day < repealed``.

        Example:
            >>> old = Rule(
            ...     id="old",
            ...     kind="insurance_for_risky_activities",
            ...     effective=date(2008, 3, 5),
            ...     repealed=date(2018, 9, 1),
            ... )
            >>> [old.in_force_on(date(y, 9, 1)) for y in (2007, 2013, 2018)]
            [False, True, False]
        """
        if self.effective is not None and day < self.effective:
            return False
        return self.repealed is None or day < self.repealed

    @classmethod
    def _raise_own_error(cls, exc: ValidationError, data: Any) -> NoReturn:
        raise_rule_error(exc, data.get("id") if isinstance(data, Mapping) else None)

    @property
    def parsed_params(self) -> BaseModel:
        """The parameters as an instance of the kind's parameter model."""
        # The private store read directly: pydantic's attribute hook is slow, and checks
        # and re-checks ask for the parameters of every rule.
        parsed: BaseModel | None = self.__pydantic_private__["_parsed"]  # type: ignore[index]
        if parsed is None:  # a copy made without validation
            parsed = get_rule_kind(self.kind).params_model.model_validate(self.params)
            self._parsed = parsed
        return parsed

    @property
    def registration(self) -> RuleKind:
        """The registered kind this rule belongs to."""
        return get_rule_kind(self.kind)

    def with_params(self, **changes: Any) -> Rule:
        """A copy with some parameters changed, validated again.

        Example:
            >>> Rule(id="s", kind="max_workers_per_supervisor", params={"limit": 8}).with_params(
            ...     limit=10
            ... ).params
            {'limit': 10}
        """
        return Rule(
            id=self.id,
            kind=self.kind,
            severity=self.severity,
            params={**self.params, **changes},
            source=self.source,
            description=self.description,
            effective=self.effective,
            repealed=self.repealed,
            superseded_by=self.superseded_by,
        )

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"Rule({self.id!r}, {self.kind}({params}), {self.severity.value})"

    __str__ = __repr__


class SkippedRule(Model):
    """A rule of the pack that a check did not apply because it was not in force that day.

    Attributes:
        rule_id: The rule's id.
        effective: Its first day in force, if it has one.
        repealed: Its first day no longer in force, if it has one.
        superseded_by: The rule that replaced it, where known.
        reason: ``"not_yet_in_force"`` (the day is before ``effective``) or
            ``"no_longer_in_force"`` (the day is on or after ``repealed``).

    Example:
        >>> rule = Rule(
        ...     id="checks", kind="background_check_for_children", effective=date(2021, 6, 1)
        ... )
        >>> skipped = SkippedRule.of(rule, date(2013, 11, 19))
        >>> skipped.reason, skipped.render("en")
        ('not_yet_in_force', 'checks: in force from 2021-06-01, not yet in force')
        >>> skipped.render("zh")
        'checks：自 2021-06-01 起施行，尚未施行'
    """

    rule_id: str
    effective: date | None = None
    repealed: date | None = None
    superseded_by: str | None = None
    reason: Literal["not_yet_in_force", "no_longer_in_force"]

    @classmethod
    def of(cls, rule: Rule, day: date) -> SkippedRule:
        """Why ``rule`` is not in force on ``day``.

        Raises:
            RuleError: The rule is in force on ``day``.
        """
        if rule.in_force_on(day):
            raise RuleError(f"rule {rule.id!r} is in force on {day.isoformat()}")
        early = rule.effective is not None and day < rule.effective
        return cls(
            rule_id=rule.id,
            effective=rule.effective,
            repealed=rule.repealed,
            superseded_by=rule.superseded_by,
            reason="not_yet_in_force" if early else "no_longer_in_force",
        )

    def render(self, lang: Lang = "en") -> str:
        """One line: the rule, its dates and why it was skipped."""
        if lang == "zh":
            dates = "，".join(
                part
                for part in (
                    f"自 {self.effective.isoformat()} 起施行" if self.effective else "",
                    f"{self.repealed.isoformat()} 起不再施行" if self.repealed else "",
                    f"由 {self.superseded_by} 取代" if self.superseded_by else "",
                )
                if part
            )
            why = "尚未施行" if self.reason == "not_yet_in_force" else "已不再施行"
            return f"{self.rule_id}：{dates}，{why}"
        dates = ", ".join(
            part
            for part in (
                f"in force from {self.effective.isoformat()}" if self.effective else "",
                f"no longer in force from {self.repealed.isoformat()}" if self.repealed else "",
                f"superseded by {self.superseded_by}" if self.superseded_by else "",
            )
            if part
        )
        why = "not yet in force" if self.reason == "not_yet_in_force" else "no longer in force"
        return f"{self.rule_id}: {dates}, {why}"
