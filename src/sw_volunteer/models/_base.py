"""The base of every model: frozen, strict about unknown fields, privacy-aware."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any, ClassVar, NoReturn, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic._internal._model_construction import ModelMetaclass

from sw_volunteer.types import EntityId
from sw_volunteer.vocab import Sensitivity

__all__ = ["Entity", "Model", "OwnErrorModel", "Period", "sensitive", "sensitive_fields"]

SENSITIVITY_KEY = "x-sensitivity"
"""The JSON Schema keyword that carries a field's :class:`Sensitivity`."""

REDACTED_AS_KEY = "x-redacted-as"
"""The JSON Schema keyword of what redaction puts in a dropped field that held a value."""


class Model(BaseModel):
    """Base of all models: frozen, ``extra="forbid"``, input never echoed in errors.

    Inputs are hidden from pydantic's error text because some fields describe
    vulnerable people; :class:`~sw_volunteer.errors.NetworkValidationError` adds the
    input back for fields that are not sensitive.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        hide_input_in_errors=True,
        validate_default=False,
        use_enum_values=False,
        str_strip_whitespace=False,
    )


class _OwnErrorMeta(ModelMetaclass):
    """Calls the model's ``_raise_own_error`` when building it by keyword arguments fails.

    Overriding ``__init__`` instead would make pydantic validate twice (it calls a
    custom ``__init__`` from inside validation).
    """

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - a metaclass method
        try:
            return super().__call__(*args, **kwargs)
        except ValidationError as exc:
            cls._raise_own_error(exc, kwargs)  # type: ignore[attr-defined]


class OwnErrorModel(Model, metaclass=_OwnErrorMeta):
    """A model whose validation failures raise one of the library's own errors.

    Pydantic wraps an error raised inside a validator into its ``ValidationError``;
    subclasses implement :meth:`_raise_own_error` to raise the library's error instead,
    whether the model is built with keywords or with :meth:`model_validate`.
    """

    @classmethod
    def _raise_own_error(cls, exc: ValidationError, data: Any) -> NoReturn:
        """Raise the library's error for ``exc``; ``data`` is what was validated."""
        raise NotImplementedError

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        extra: Any = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        try:
            return super().model_validate(
                obj,
                strict=strict,
                extra=extra,
                from_attributes=from_attributes,
                context=context,
                by_alias=by_alias,
                by_name=by_name,
            )
        except ValidationError as exc:
            cls._raise_own_error(exc, obj)


def sensitive(
    kind: Sensitivity, default: Any = None, *, description: str, redacted_as: str | None = None
) -> Any:
    """Declare a sensitive field: hidden from ``repr`` and tagged for redaction.

    Adding a field with this tag is all a contributor needs to do for the privacy
    tools (redaction, aggregate export, the leak tests) to handle it. ``redacted_as``
    is what redaction puts in place of a dropped value that was there (instead of the
    default), for fields whose presence a rule checks: the verdict survives, the text
    does not.

    Example:
        >>> from sw_volunteer.models import Client
        >>> sensitive_fields(Client)["name"]
        <Sensitivity.IDENTIFYING: 'identifying'>
    """
    extra: dict[str, Any] = {SENSITIVITY_KEY: kind.value}
    if redacted_as is not None:
        extra[REDACTED_AS_KEY] = redacted_as
    return Field(default, repr=False, description=description, json_schema_extra=extra)


@cache
def sensitive_fields(model: type[BaseModel]) -> dict[str, Sensitivity]:
    """The sensitive fields of ``model`` and how each is sensitive."""
    found: dict[str, Sensitivity] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and SENSITIVITY_KEY in extra:
            found[name] = Sensitivity(str(extra[SENSITIVITY_KEY]))
    return found


class Entity(Model):
    """Something with an id, unique across a whole network.

    Attributes:
        id: The entity's id.
    """

    collection: ClassVar[str] = ""
    """The name of the :class:`~sw_volunteer.models.Network` field that holds this kind."""

    id: EntityId


class Period(Model):
    """A closed range of dates; ``until`` ``None`` means open-ended.

    Example:
        >>> p = Period(start=date(2013, 1, 1), until=date(2013, 12, 31))
        >>> p.contains(date(2013, 11, 18))
        True
        >>> Period(start=date(2013, 2, 1), until=date(2013, 1, 1))
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for Period
        ...
    """

    start: date
    until: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.until is not None and self.until < self.start:
            msg = "the period ends before it starts (until < start)"
            raise ValueError(msg)
        return self

    def contains(self, day: date) -> bool:
        """Whether ``day`` is within the period, both ends included."""
        return self.start <= day and (self.until is None or day <= self.until)
