"""Violations and remedies: typed records of a breach and of the smallest change that fixes it.

Violations name people by id only: they never carry a client's name, birth date or needs.

Their text is not written by the evaluators: a violation carries its ``code`` and a
``context``, a remedy option its ``kind`` and a context, and the English and Chinese
text is rendered from the template table (``sw_volunteer.rules._messages``).

Example:
    >>> option = RemedyOption(
    ...     kind="add_certified_workers",
    ...     context={"activity": "a1", "setting": "in_centre", "day": "2013-11-18", "count": 1},
    ...     actions=(RemedyAction(action="add_people", count=1, role="certified_worker",
    ...                           target="a1"),),
    ... )
    >>> str(Remedy(options=(option,)))
    'session a1 (in the centre) on 2013-11-18: 1 more certified social worker'
    >>> option.text_zh
    '活动 a1 11月18日（中心内）：再增加 1 名持证社工'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, model_validator

from sw_volunteer.models import Activity, Model
from sw_volunteer.rules._declarations import Rule, Severity
from sw_volunteer.rules._messages import connector, message_template, remedy_template
from sw_volunteer.vocab import Lang

__all__ = [
    "Remedy",
    "RemedyAction",
    "RemedyOption",
    "Violation",
    "copied",
    "rule_violation",
    "session_context",
    "simple_remedy",
    "trusted_action",
    "trusted_option",
    "trusted_remedy",
    "trusted_violation",
]

_M = TypeVar("_M", bound=Model)

ActionKind = Literal[
    "add_people",
    "move_supervisee",
    "add_supervision",
    "end_supervision",
    "set_field",
    "remove_participant",
]


class RemedyAction(Model):
    """One concrete change to the network, in a form a program can apply.

    Attributes:
        action: What to do:

            - ``add_people``: add ``count`` people of ``role`` (``supervisor``,
              ``worker``, ``certified_worker``, ``adult``) to ``target`` (a centre
              or an activity).
            - ``move_supervisee``: make ``target`` supervise ``entity`` instead of
              ``source``.
            - ``add_supervision``: make ``target`` supervise ``entity``.
            - ``end_supervision``: end the supervision ``entity``.
            - ``set_field``: set ``field`` of ``entity`` to ``value``.
            - ``remove_participant``: take ``entity`` out of the activity ``target``.
        count: How many, for ``add_people``.
        role: Who, for ``add_people``.
        entity: The person or relation changed.
        source: Where ``entity`` moves from.
        target: Where ``entity`` moves to, or where people are added.
        field: The field set by ``set_field``.
        value: The value set by ``set_field`` (JSON).

    Example:
        >>> import sw_volunteer as sv
        >>> report = sv.check(sv.datasets.ruian_2013())
        >>> remedy = report.of_code("supervisor_overloaded_volunteers")[0].remedy
        >>> action = remedy.options[0].actions[0]
        >>> action.action, action.entity, action.source, action.target
        ('move_supervisee', 'yucai-v21', 'yucai-w01', 'yucai-w04')
    """

    action: ActionKind
    count: int | None = None
    role: str | None = None
    entity: str | None = None
    source: str | None = None
    target: str | None = None
    field: str | None = None
    value: Any = None

    def render(self, lang: Lang = "en") -> str:
        """The action in words, from the template of its kind (``action.<kind>``).

        Example:
            >>> RemedyAction(action="move_supervisee", entity="v1", source="w1",
            ...              target="w2").render("zh")
            '将 v1 由 w1 转给 w2'
        """
        return remedy_template(f"action.{self.action}").render(self.model_dump(), lang)


class RemedyOption(Model):
    """One way to fix a violation: a few actions, described in English and Chinese.

    Attributes:
        kind: The remedy template the text is rendered from (see
            [`register_remedy_text`][sw_volunteer.rules.register_remedy_text]). Without a kind, the
            text is given as is or, when not given, rendered from the actions, each from the
            template of its action kind.
        context: The template's values (JSON values).
        text: The description in English (rendered from ``kind`` when not given).
        text_zh: The description in Chinese (likewise).
        actions: The concrete changes, for a program to apply.

    Example:
        >>> import sw_volunteer as sv
        >>> report = sv.check(sv.datasets.ruian_2013())
        >>> option = report.of_code("supervisor_overloaded_volunteers")[0].remedy.options[0]
        >>> [(a.action, a.entity, a.target) for a in option.actions]
        [('move_supervisee', 'yucai-v21', 'yucai-w04'),
         ('move_supervisee', 'yucai-v22', 'yucai-w04')]
    """

    kind: str | None = None
    context: dict[str, Any] = Field(default_factory=dict)
    text: str = ""
    text_zh: str = ""
    actions: tuple[RemedyAction, ...] = ()

    @model_validator(mode="after")
    def _rendered(self) -> RemedyOption:
        if self.text or self.text_zh:
            return self
        if self.kind is not None:
            template = remedy_template(self.kind)
            object.__setattr__(self, "text", template.render(self.context, "en"))
            object.__setattr__(self, "text_zh", template.render(self.context, "zh"))
        elif self.actions:
            langs: tuple[tuple[str, Lang], ...] = (("text", "en"), ("text_zh", "zh"))
            for attr, lang in langs:
                words = connector("and", lang).join(a.render(lang) for a in self.actions)
                object.__setattr__(self, attr, words)
        return self

    def render(self, lang: Lang = "en") -> str:
        """The description in ``lang``."""
        return self.text_zh if lang == "zh" else self.text


class Remedy(Model):
    """The smallest changes that would clear a violation; any one option is enough.

    Attributes:
        options: Alternative fixes, the cheapest first.

    Example:
        >>> import sw_volunteer as sv
        >>> report = sv.check(sv.datasets.ruian_2013())
        >>> remedy = report.of_code("supervisor_overloaded_volunteers")[0].remedy
        >>> len(remedy.options)
        1
        >>> print(remedy.render("en"))
        centre yucai: move yucai-v21, yucai-v22 to yucai-w04 (yucai-w04 has 3 free places)
    """

    options: tuple[RemedyOption, ...] = Field(min_length=1)

    @classmethod
    def single(cls, text: str, text_zh: str, *actions: RemedyAction) -> Remedy:
        """A remedy with one option, its text given as is."""
        return cls(options=(RemedyOption(text=text, text_zh=text_zh, actions=actions),))

    @classmethod
    def of(cls, kind: str, context: dict[str, Any], *actions: RemedyAction) -> Remedy:
        """A remedy with one option, its text rendered from the template of ``kind``."""
        return cls(options=(RemedyOption(kind=kind, context=context, actions=actions),))

    def render(self, lang: Lang = "en") -> str:
        """Every option in ``lang``, joined by "or"."""
        return connector("or", lang).join(o.render(lang) for o in self.options)

    def __str__(self) -> str:
        return self.render("en")


class Violation(Model):
    """One breach of one rule, as a value.

    Attributes:
        code: A stable slug naming what is wrong (listed on the violation-codes page).
        severity: Copied from the rule.
        rule_id: The id of the rule that fired.
        entities: Ids of the entities involved, the one at fault first.
        observed: The value found (a count, a ratio), if the rule measures one.
        limit: The value the rule allows.
        context: The values the messages are written from (JSON values), as the
            code's template declares them (listed on the violation-codes page).
        message: What is wrong, in English (rendered from the code's template when
            not given).
        message_zh: What is wrong, in Chinese (likewise).
        remedy: The smallest change that fixes it, when one can be computed.
        session: When the session concerned starts, for per-session checks.

    Example:
        >>> import sw_volunteer as sv
        >>> report = sv.check(sv.datasets.ruian_2013())
        >>> v = report.of_code("supervisor_overloaded_volunteers")[0]
        >>> v.severity, v.entities, v.observed, v.limit
        (<Severity.WARNING: 'warning'>, ('yucai-w01', 'yucai'), 22, 20)
        >>> print(v.render("zh"))
        yucai-w01 负责指导 22 名志愿者，上限为 20 名 — 建议：瑞安市育才社会工作室：将
        yucai-v21、yucai-v22 转给 yucai-w04（yucai-w04 尚有 3 个名额）
    """

    code: str
    severity: Severity
    rule_id: str
    entities: tuple[str, ...] = ()
    observed: int | float | None = None
    limit: int | float | None = None
    context: dict[str, Any] = Field(default_factory=dict)
    message: str = ""
    message_zh: str = ""
    remedy: Remedy | None = None
    session: datetime | None = None

    @model_validator(mode="after")
    def _rendered(self) -> Violation:
        if not self.message and not self.message_zh:
            template = message_template(self.code)
            object.__setattr__(self, "message", template.render(self.context, "en"))
            object.__setattr__(self, "message_zh", template.render(self.context, "zh"))
        return self

    def render(self, lang: Lang = "en") -> str:
        """One line, with the remedy when there is one."""
        text = self.message_zh if lang == "zh" else self.message
        if self.remedy is not None:
            text = f"{text} — {connector('remedy', lang)}{self.remedy.render(lang)}"
        return text

    def __str__(self) -> str:
        return f"[{self.severity.value}] {self.code}: {self.render('en')}"


# -- built from trusted parts ------------------------------------------------------------
#
# A check may report thousands of violations, each with a remedy, its options and their
# actions: four validations apiece. The built-in evaluators make every value themselves,
# of the field's type already, so they build these records without a validation pass:
# the functions below fill ``__dict__`` in field order, set ``model_fields_set`` to the
# fields given (as the keyword constructor does) and render the text as the validators
# above do. The result equals, dumps and serialises as ``Model(**the same fields)``;
# tests/rules/test_trusted_records.py holds them to that. Values from elsewhere (a
# user's evaluator, a document) go through the constructors.


_new = object.__new__
_set_dict = object.__setattr__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _assemble(cls: type[_M], data: dict[str, Any], fields_set: set[str]) -> _M:
    """An instance of ``cls`` with ``data`` as its fields (every field, in order).

    What ``model_construct`` does, for a model without private
    attributes or extra fields, with the fields' defaults already in ``data``.
    """
    obj = _new(cls)
    _set_dict(obj, "__dict__", data)
    _set_fields_set(obj, fields_set)
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


def copied(model: _M, update: dict[str, Any]) -> _M:
    """``model.model_copy(update=update)`` for a model without private or extra fields.

    The same ``__dict__`` (in the same order), ``model_fields_set`` and equality; without
    pydantic's generic path, which costs a few times more (a window names substitutes
    in every remedy of every session).

    Example:
        >>> option = trusted_option("split_group", {"groups": 2, "size": 8})
        >>> update = {"text": "two groups of eight", "text_zh": "分成两组，每组八人"}
        >>> fast, slow = copied(option, update), option.model_copy(update=update)
        >>> fast == slow, fast.model_fields_set == slow.model_fields_set
        (True, True)
    """
    return _assemble(
        type(model), {**model.__dict__, **update}, model.__pydantic_fields_set__ | update.keys()
    )


_ACTION_FIELDS = tuple(RemedyAction.model_fields)
_ACTION_DEFAULTS = dict.fromkeys(_ACTION_FIELDS)  # every field but action defaults to None


def trusted_action(action: ActionKind, **given: Any) -> RemedyAction:
    """``RemedyAction(action=action, **given)`` for values of the fields' types, unvalidated.

    Example:
        >>> trusted_action("add_people", count=2, role="adult", target="a1") == RemedyAction(
        ...     action="add_people", count=2, role="adult", target="a1")
        True
    """
    if not given.keys() <= _ACTION_DEFAULTS.keys():
        return RemedyAction(action=action, **given)  # the constructor names the unknown field
    data = _ACTION_DEFAULTS.copy()
    data["action"] = action
    data.update(given)
    return _assemble(RemedyAction, data, {"action", *given})


_OPTION_GIVEN = frozenset({"kind", "context", "actions"})


def trusted_option(
    kind: str, context: dict[str, Any], actions: tuple[RemedyAction, ...] = ()
) -> RemedyOption:
    """``RemedyOption(kind=kind, context=context, actions=actions)``, unvalidated.

    ``context`` is kept as given (not copied): the caller makes a new one for each option.

    Example:
        >>> trusted_option("split_group", {"groups": 2, "size": 8}) == RemedyOption(
        ...     kind="split_group", context={"groups": 2, "size": 8}, actions=())
        True
    """
    template = remedy_template(kind)
    data = {
        "kind": kind,
        "context": context,
        "text": template.render(context, "en"),
        "text_zh": template.render(context, "zh"),
        "actions": actions,
    }
    return _assemble(RemedyOption, data, set(_OPTION_GIVEN))


def trusted_remedy(options: tuple[RemedyOption, ...]) -> Remedy:
    """``Remedy(options=options)`` for one option or more, unvalidated.

    Example:
        >>> option = trusted_option("split_group", {"groups": 2, "size": 8})
        >>> trusted_remedy((option,)) == Remedy(options=(option,))
        True
    """
    if not options:
        return Remedy(options=options)  # the constructor says why not
    return _assemble(Remedy, {"options": options}, {"options"})


def trusted_violation(
    code: str,
    severity: Severity,
    rule_id: str,
    entities: tuple[str, ...],
    context: dict[str, Any],
    *,
    observed: float | None = None,
    limit: float | None = None,
    remedy: Remedy | None = None,
    session: datetime | None = None,
) -> Violation:
    """A violation with every field but the text given, unvalidated; the text rendered.

    Equal to ``Violation(code=..., severity=..., rule_id=..., entities=..., observed=...,
    limit=..., context=..., remedy=..., session=...)``, whose ``model_fields_set`` is
    those nine fields. ``context`` is kept as given (not copied).

    Example:
        >>> from sw_volunteer.rules._declarations import Severity
        >>> values = {"volunteer": "v1", "under_age": 18}
        >>> fast = trusted_violation("guardian_consent_missing", Severity.ERROR, "r",
        ...                          ("v1", "c"), values)
        >>> fast == Violation(code="guardian_consent_missing", severity=Severity.ERROR,
        ...                   rule_id="r", entities=("v1", "c"), observed=None,
        ...                   limit=None, context=values, remedy=None, session=None)
        True
        >>> fast.message
        'volunteer v1 is under 18 and has no written guardian consent'
    """
    template = message_template(code)
    data = {
        "code": code,
        "severity": severity,
        "rule_id": rule_id,
        "entities": entities,
        "observed": observed,
        "limit": limit,
        "context": context,
        "message": template.render(context, "en"),
        "message_zh": template.render(context, "zh"),
        "remedy": remedy,
        "session": session,
    }
    return _assemble(Violation, data, set(_VIOLATION_GIVEN))


_VIOLATION_GIVEN = frozenset(
    {"code", "severity", "rule_id", "entities", "observed", "limit", "context", "remedy", "session"}
)


def rule_violation(
    rule: Rule,
    code: str,
    entities: Sequence[str],
    context: dict[str, Any],
    *,
    observed: float | None = None,
    limit: float | None = None,
    remedy: Remedy | None = None,
    activity: Activity | None = None,
) -> Violation:
    """A violation of ``rule`` from parts an evaluator made (no validation pass).

    The one way built-in evaluators build their violations: every value is made by the
    evaluator, of its field's type. ``activity`` is the session it is about, if any.
    """
    return trusted_violation(
        code,
        rule.severity,
        rule.id,
        tuple(entities),
        context,
        observed=observed,
        limit=limit,
        remedy=remedy,
        session=activity.start if activity is not None else None,
    )


def simple_remedy(kind: str, context: dict[str, Any], *actions: RemedyAction) -> Remedy:
    """A remedy of one option, ``kind`` with ``context`` and ``actions``."""
    return trusted_remedy((trusted_option(kind, context, actions),))


def session_context(activity: Activity, **values: Any) -> dict[str, Any]:
    """The context of a session's message: its id, name, setting, day and time, and ``values``."""
    return {
        "activity": activity.id,
        "setting": activity.setting.value,
        "day": activity.start.date().isoformat(),
        "activity_name": activity.name,
        "start": activity.start.isoformat(timespec="minutes"),
        **values,
    }
