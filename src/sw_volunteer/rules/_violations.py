"""Violations and remedies: typed records of a breach and of the smallest change that fixes it.

Violations name people by id only: they never carry a client's name, birth date or needs.

Example:
    >>> remedy = Remedy.single(
    ...     "1 more certified social worker", "再增加 1 名持证社工",
    ...     RemedyAction(action="add_people", count=1, role="certified_worker", target="a1"),
    ... )
    >>> str(remedy)
    '1 more certified social worker'
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from sw_volunteer.models import Model
from sw_volunteer.rules._declarations import Severity
from sw_volunteer.vocab import Lang

__all__ = ["Remedy", "RemedyAction", "RemedyOption", "Violation"]

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
    """

    action: ActionKind
    count: int | None = None
    role: str | None = None
    entity: str | None = None
    source: str | None = None
    target: str | None = None
    field: str | None = None
    value: Any = None


class RemedyOption(Model):
    """One way to fix a violation: a few actions, described in English and Chinese."""

    text: str
    text_zh: str
    actions: tuple[RemedyAction, ...] = ()

    def render(self, lang: Lang = "en") -> str:
        """The description in ``lang``."""
        return self.text_zh if lang == "zh" else self.text


class Remedy(Model):
    """The smallest changes that would clear a violation; any one option is enough.

    Attributes:
        options: Alternative fixes, the cheapest first.
    """

    options: tuple[RemedyOption, ...] = Field(min_length=1)

    @classmethod
    def single(cls, text: str, text_zh: str, *actions: RemedyAction) -> Remedy:
        """A remedy with one option."""
        return cls(options=(RemedyOption(text=text, text_zh=text_zh, actions=actions),))

    def render(self, lang: Lang = "en") -> str:
        """Every option in ``lang``, joined by "or"."""
        sep = "；或 " if lang == "zh" else "; or "
        return sep.join(o.render(lang) for o in self.options)

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
        message: What is wrong, in English.
        message_zh: What is wrong, in Chinese.
        remedy: The smallest change that fixes it, when one can be computed.
        session: When the session concerned starts, for per-session checks.
    """

    code: str
    severity: Severity
    rule_id: str
    entities: tuple[str, ...] = ()
    observed: int | float | None = None
    limit: int | float | None = None
    message: str
    message_zh: str
    remedy: Remedy | None = None
    session: datetime | None = None

    def render(self, lang: Lang = "en") -> str:
        """One line, with the remedy when there is one."""
        text = self.message_zh if lang == "zh" else self.message
        if self.remedy is not None:
            lead = "建议：" if lang == "zh" else "remedy: "
            text = f"{text} — {lead}{self.remedy.render(lang)}"
        return text

    def __str__(self) -> str:
        return f"[{self.severity.value}] {self.code}: {self.render('en')}"
