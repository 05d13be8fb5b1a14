"""The base of every model: frozen, strict about unknown fields, privacy-aware."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any, ClassVar, Literal, NoReturn, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sw_volunteer.errors import Problem, SwVolunteerError
from sw_volunteer.types import EntityId
from sw_volunteer.vocab import Sensitivity

__all__ = [
    "Entity",
    "Model",
    "OwnErrorModel",
    "Period",
    "QuasiIdentifier",
    "format_loc",
    "quasi_identifier",
    "quasi_identifiers",
    "sensitive",
    "sensitive_fields",
    "validation_problems",
]

SENSITIVITY_KEY = "x-sensitivity"
"""The JSON Schema keyword that carries a field's ``Sensitivity``."""

QUASI_IDENTIFIER_KEY = "x-quasi-identifier"
"""The JSON Schema keyword that marks a field as a quasi-identifier, and of which kind."""

QuasiIdentifier = Literal[
    "date", "birth_date", "affiliation", "location", "tags", "needs", "schedule", "link"
]
"""How a quasi-identifying field is generalised by a redaction profile.

``date``: to the month, the quarter, then the year; ``birth_date``: to the year, then
age bands, then the bands of the age rules only (0, 14, 18, 60); ``affiliation``: to its
kind (the name is dropped); ``location``: to the region of the centre; ``tags``: rare
tags, then all, dropped; ``needs``: rare needs to "other" (left out); ``schedule``:
dropped; ``link``: a reference that ties a person to others (the case worker, a service
record): the record holding it is dropped.
"""

REDACTED_AS_KEY = "x-redacted-as"
"""The JSON Schema keyword of what redaction puts in a dropped field that held a value."""


class Model(BaseModel):
    """Base of all models: frozen, ``extra="forbid"``, input never echoed in errors.

    Inputs are hidden from pydantic's error text because some fields describe
    vulnerable people; [`NetworkValidationError`][sw_volunteer.errors.NetworkValidationError] adds
    the input back for fields that are not sensitive.

    Example:
        >>> class Note(Model):
        ...     text: str
        >>> note = Note(text="家访")
        >>> note.model_config["frozen"], note.model_config["extra"]
        (True, 'forbid')
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        hide_input_in_errors=True,
        validate_default=False,
        use_enum_values=False,
        str_strip_whitespace=False,
    )

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            super().__setattr__(name, value)
        except ValidationError as exc:
            raise _without_input(exc) from None

    def __delattr__(self, name: str) -> None:
        try:
            super().__delattr__(name)
        except ValidationError as exc:
            raise _without_input(exc) from None


def _without_input(exc: ValidationError) -> ValidationError:
    """``exc`` with its inputs hidden: pydantic shows them for assignments to frozen models.

    Example:
        >>> from sw_volunteer.models import Client
        >>> client = Client(id="c1", name="x", centre="c")
        >>> client.name = "张三丰"
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for Client
        name
          Instance is frozen [type=frozen_instance]
        ...
    """
    details: list[Any] = [
        {"type": err["type"], "loc": err["loc"], "input": None, **_ctx(err)}
        for err in exc.errors(include_url=False, include_input=False)
    ]
    return ValidationError.from_exception_data(exc.title, details, hide_input=True)


def _ctx(err: Any) -> dict[str, Any]:
    return {"ctx": err["ctx"]} if "ctx" in err else {}


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
    """The library's [`Problem`][sw_volunteer.errors.Problem] records for a pydantic error.

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
    subclasses implement ``_raise_own_error`` to raise the library's error instead,
    whether the model is built with keywords, ``model_validate`` or
    ``model_validate_json`` (usually from
    [`validation_problems`][sw_volunteer.models.validation_problems]).

    ``__init__`` is marked as pydantic's own (``__pydantic_base_init__``), as pydantic's
    ``RootModel`` does, so that pydantic does not treat it as a custom initialiser
    (which it would call from inside validation, validating twice).

    Example:
        >>> import sw_volunteer as sv
        >>> try:
        ...     sv.Network.model_validate({"workers": [{"id": "w", "name": "A", "centre": "x"}]})
        ... except sv.NetworkValidationError as exc:  # the library's error, not pydantic's
        ...     print(exc.codes)
        ('dangling_reference',)
    """

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            failure = exc
        else:
            return
        # Raised outside the handler: the library's error carries no pydantic context
        # (which some pickle extensions, such as tblib's under dask, cannot serialise).
        type(self)._raise_own_error(failure, data)  # noqa: SLF001 - the class's own hook

    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def _raise_own_error(cls, exc: ValidationError, data: Any) -> NoReturn:
        """Raise the library's error for ``exc``; ``data`` is what was validated.

        ``data`` is the keyword arguments, the object given to ``model_validate``, or the
        JSON text given to ``model_validate_json``.
        """
        raise NotImplementedError

    @classmethod  # noqa: RET503 - _raise_own_error never returns
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
            failure = exc
        # Outside the handler, as in __init__; _raise_own_error never returns.
        cls._raise_own_error(failure, obj)

    @classmethod  # noqa: RET503 - _raise_own_error never returns
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
            failure = exc
        # Outside the handler, as in __init__; _raise_own_error never returns.
        cls._raise_own_error(failure, json_data)


def sensitive(
    kind: Sensitivity,
    default: Any = None,
    *,
    description: str,
    quasi: QuasiIdentifier | None = None,
    redacted_as: str | None = None,
) -> Any:
    """Declare a sensitive field: hidden from ``repr`` and tagged for redaction.

    Adding a field with this tag is all a contributor needs to do for the privacy
    tools (redaction, aggregate export, the leak tests) to handle it. ``quasi`` also
    declares it a quasi-identifier (see [`quasi_identifier`][sw_volunteer.models.quasi_identifier]).
    ``redacted_as`` is what redaction puts in place of a dropped value that was there (instead of
    the default), for fields whose presence a rule checks: the verdict survives, the text does not.

    Example:
        >>> from sw_volunteer.models import Client
        >>> sensitive_fields(Client)["name"]
        <Sensitivity.IDENTIFYING: 'identifying'>
    """
    extra: dict[str, Any] = {SENSITIVITY_KEY: kind.value}
    if quasi is not None:
        extra[QUASI_IDENTIFIER_KEY] = quasi
    if redacted_as is not None:
        extra[REDACTED_AS_KEY] = redacted_as
    return Field(default, repr=False, description=description, json_schema_extra=extra)


def quasi_identifier(kind: QuasiIdentifier, default: Any = None, **field: Any) -> Any:
    """Declare a quasi-identifier: a value that, with others, can single a person out.

    Redaction generalises these fields (by ``kind``) until every released person shares
    everything released about them with at least k - 1 others.

    Example:
        >>> from sw_volunteer.models import Client
        >>> quasi_identifiers(Client)["enrolled"]
        'date'
    """
    return Field(default, json_schema_extra={QUASI_IDENTIFIER_KEY: kind}, **field)


@cache
def quasi_identifiers(model: type[BaseModel]) -> dict[str, QuasiIdentifier]:
    """The quasi-identifying fields of ``model`` and how each is generalised."""
    found: dict[str, QuasiIdentifier] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and QUASI_IDENTIFIER_KEY in extra:
            found[name] = extra[QUASI_IDENTIFIER_KEY]  # type: ignore[assignment]
    return found


@cache
def sensitive_fields(model: type[BaseModel]) -> dict[str, Sensitivity]:
    """The sensitive fields of ``model`` and how each is sensitive.

    Example:
        >>> from sw_volunteer.models import Client
        >>> sorted(sensitive_fields(Client))
        ['birth_date', 'name', 'needs', 'notes', 'support_level']
    """
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

    Example:
        >>> from sw_volunteer.models import ENTITY_TYPES, Volunteer
        >>> issubclass(Volunteer, Entity), Volunteer.collection
        (True, 'volunteers')
        >>> [kind.collection for kind in ENTITY_TYPES][:3]
        ['centres', 'workers', 'volunteers']
    """

    collection: ClassVar[str] = ""
    """The name of the [`Network`][sw_volunteer.models.Network] field that holds this kind."""

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
