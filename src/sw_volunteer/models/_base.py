"""The base of every model: frozen, strict about unknown fields, privacy-aware."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any, ClassVar, NoReturn, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sw_volunteer.errors import Problem, SwVolunteerError
from sw_volunteer.types import EntityId
from sw_volunteer.vocab import Sensitivity

__all__ = [
    "Entity",
    "Model",
    "OwnErrorModel",
    "Period",
    "format_loc",
    "sensitive",
    "sensitive_fields",
    "validation_problems",
]

SENSITIVITY_KEY = "x-sensitivity"
"""The JSON Schema keyword that carries a field's :class:`Sensitivity`."""


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


def format_loc(loc: tuple[int | str, ...], *, empty: str = "(document)") -> str:
    """A pydantic error location as a path: ``("rules", 3, "params")`` -> ``rules[3].params``.

    Example:
        >>> format_loc(("rules", 3, "params", "limit"))
        'rules[3].params.limit'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "tagged-union", "json-or-python")):
            continue  # validator internals, meaningless to a user
        else:
            out += f".{part}" if out else part
    return out or empty


def validation_problems(exc: ValidationError, *, empty: str = "") -> list[Problem]:
    """The library's :class:`~sw_volunteer.errors.Problem` records for a pydantic error.

    This is the one way a validation error becomes the library's: a library error
    raised inside a validator keeps its own problems (located under the field that
    raised it); any other error becomes one problem with pydantic's error type as its
    code. The input is never quoted (models hide it, as it may describe a person).

    Example:
        >>> try:
        ...     Period(start="2013-02-30")
        ... except ValidationError as exc:
        ...     print(validation_problems(exc)[0].location, validation_problems(exc)[0].code)
        start date_from_datetime_parsing
    """
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        where = format_loc(tuple(err["loc"]), empty=empty)
        cause = err.get("ctx", {}).get("error")
        inner = getattr(cause, "problems", None)
        if isinstance(cause, SwVolunteerError) and isinstance(inner, tuple):
            for p in inner:
                joined = f"{where}.{p.location}" if where and p.location else where or p.location
                problems.append(Problem(joined, p.code, p.message))
            continue
        message = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        problems.append(Problem(where, str(err["type"]), message))
    return problems


class OwnErrorModel(Model):
    """A model whose validation failures raise one of the library's own errors.

    Pydantic wraps an error raised inside a validator into its ``ValidationError``;
    subclasses implement :meth:`_raise_own_error` to raise the library's error instead,
    whether the model is built with keywords, :meth:`model_validate` or
    :meth:`model_validate_json` (usually from :func:`validation_problems`).

    ``__init__`` is marked as pydantic's own (``__pydantic_base_init__``), as pydantic's
    ``RootModel`` does, so that pydantic does not treat it as a custom initialiser
    (which it would call from inside validation, validating twice).
    """

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            type(self)._raise_own_error(exc, data)  # noqa: SLF001 - the class's own hook

    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

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

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: Any = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        try:
            return super().model_validate_json(
                json_data,
                strict=strict,
                extra=extra,
                context=context,
                by_alias=by_alias,
                by_name=by_name,
            )
        except ValidationError as exc:
            cls._raise_own_error(exc, None)


def sensitive(kind: Sensitivity, default: Any = None, *, description: str) -> Any:
    """Declare a sensitive field: hidden from ``repr`` and tagged for redaction.

    Adding a field with this tag is all a contributor needs to do for the privacy
    tools (redaction, aggregate export, the leak tests) to handle it.

    Example:
        >>> from sw_volunteer.models import Client
        >>> sensitive_fields(Client)["name"]
        <Sensitivity.IDENTIFYING: 'identifying'>
    """
    return Field(
        default,
        repr=False,
        description=description,
        json_schema_extra={SENSITIVITY_KEY: kind.value},
    )


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
