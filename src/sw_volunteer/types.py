"""Validated primitive types shared by the models: ids, hours, ratios, seeds, RRULEs.

Example:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(EntityId).validate_python("liqun")
    'liqun'
    >>> TypeAdapter(RRuleText).validate_python("FREQ=WEEKLY;BYDAY=MO,TU")
    'FREQ=WEEKLY;BYDAY=MO,TU'
    >>> TypeAdapter(RRuleText).validate_python("FREQ=SOMETIMES")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for ...
    ...invalid_rrule...
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, TypeVar

from dateutil.rrule import rrulestr
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "EntityId",
    "Hours",
    "RRuleText",
    "Ratio",
    "SeedLike",
    "UniqueSet",
    "parse_rrule_text",
    "rrule_starts",
]

EntityId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=128, pattern=r"^[^\s/\\]+$"),
    Field(description="An id, unique across the whole network: no spaces or slashes."),
]
"""An entity id: 1-128 characters, no whitespace or slashes, unique in a network.

Use a stable, non-personal key (a staff number, the national volunteer number);
never a national ID-card number.
"""

Hours = Annotated[float, Field(ge=0, allow_inf_nan=False)]
"""A non-negative, finite number of hours."""

Ratio = Annotated[float, Field(gt=0, allow_inf_nan=False)]
"""A strictly positive, finite ratio (for example clients per adult)."""

SeedLike: TypeAlias = "int | Sequence[int] | np.random.SeedSequence | None"
"""What a ``seed`` parameter accepts: an int, a sequence of ints, a SeedSequence or None."""

_T = TypeVar("_T", bound=Hashable)


def _reject_duplicates(value: Any) -> Any:
    if type(value) is list and len(value) < 2:  # noqa: PLR2004 - the common case, kept cheap
        return value
    if isinstance(value, list | tuple):
        seen: set[Any] = set()
        first: int | None = None
        for position, item in enumerate(value):
            try:
                if item in seen and first is None:
                    first = position
                seen.add(item)
            except TypeError:
                return value  # unhashable: let the item validator report it
        if first is not None:
            # The values are not named: the field may be sensitive (a client's needs).
            raise PydanticCustomError(
                "duplicate_items",
                "each value may appear once; the item at position {position} repeats an "
                "earlier one",
                {"position": first},
            )
    return value


def _sorted_list(value: frozenset[Any]) -> list[Any]:
    return sorted(value)


UniqueSet = Annotated[
    frozenset[_T],
    BeforeValidator(_reject_duplicates),
    PlainSerializer(_sorted_list, when_used="always"),
]
"""A set of values, given as a list without repeats, written back as a sorted list.

Sorting on output makes serialisation deterministic; a repeated value in the input is an
error rather than a silent drop.
"""


def parse_rrule_text(text: str) -> str:
    """Check that ``text`` is one RFC 5545 RRULE and return it normalised.

    The ``RRULE:`` prefix is accepted and removed; ``DTSTART`` does not belong in the
    rule (a schedule carries its own start).

    Raises:
        pydantic_core.PydanticCustomError: ``invalid_rrule`` naming what is wrong.
    """
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if not body:
        raise PydanticCustomError("invalid_rrule", "empty recurrence rule")
    if "\n" in body or "DTSTART" in body.upper():
        raise PydanticCustomError(
            "invalid_rrule",
            "give one RRULE line without DTSTART (the schedule carries its start): {rule}",
            {"rule": body},
        )
    try:
        _probe(body)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise PydanticCustomError(
            "invalid_rrule",
            "not a valid RFC 5545 RRULE ({reason}): {rule}",
            {"reason": str(exc) or type(exc).__name__, "rule": body},
        ) from None
    return body


_RRULE_PROBE_START = datetime(2000, 1, 1)  # noqa: DTZ001 - naive on purpose, see _probe


def _probe(body: str) -> None:
    try:
        rrulestr(body, dtstart=_RRULE_PROBE_START)
    except ValueError as exc:
        # An UNTIL in UTC (...Z) is valid RFC 5545 but dateutil accepts it only with an
        # aware start; schedules always expand from an aware start.
        if "UTC" not in str(exc):
            raise
        rrulestr(body, dtstart=_RRULE_PROBE_START.replace(tzinfo=UTC))


def rrule_starts(text: str, dtstart: datetime) -> Iterator[datetime]:
    """The start times of the RRULE ``text`` counted from the aware ``dtstart``, lazily.

    The times keep ``dtstart``'s wall-clock time and carry its ``tzinfo`` unchanged
    (16:30 stays 16:30 across a daylight-saving change); a time that falls into a gap
    is left for the caller to normalise. Compiled rules are cached, so expanding many
    windows of one schedule parses its rule once.

    Example:
        >>> from zoneinfo import ZoneInfo
        >>> start = datetime(2013, 10, 25, 16, 30, tzinfo=ZoneInfo("Europe/London"))
        >>> [d.isoformat() for d in rrule_starts("FREQ=DAILY;COUNT=2", start)]
        ['2013-10-25T16:30:00+01:00', '2013-10-26T16:30:00+01:00']

    Raises:
        ValueError: ``dtstart`` is naive.
    """
    if dtstart.tzinfo is None:
        raise ValueError("rrule_starts needs an aware dtstart")
    # Keyed on wall time and zone apart: aware datetimes in different zones that name
    # the same instant compare (and hash) equal, and must not share a compiled rule.
    return iter(_compiled(text, dtstart.replace(tzinfo=None), dtstart.tzinfo))


@lru_cache(maxsize=4096)
def _compiled(text: str, wall_start: datetime, zone: Any) -> Any:
    return rrulestr(text, dtstart=wall_start.replace(tzinfo=zone), cache=False)


RRuleText = Annotated[
    str,
    AfterValidator(parse_rrule_text),
    Field(
        description="An RFC 5545 RRULE without DTSTART, e.g. FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        examples=["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
    ),
]
"""An RFC 5545 recurrence rule, validated with python-dateutil (error code ``invalid_rrule``)."""
