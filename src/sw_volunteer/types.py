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

import re
from collections.abc import Hashable, Iterator, Sequence
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil.rrule import rrule, rrulestr
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
    "EARLIEST",
    "LATEST",
    "MAX_ZONE_NAME",
    "EntityId",
    "Hours",
    "RRuleText",
    "Ratio",
    "SeedLike",
    "UniqueSet",
    "parse_rrule_text",
    "rrule_starts",
    "zone_named",
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

EARLIEST = date(1900, 1, 1)
"""The earliest day a schedule may start or refer to."""

LATEST = date(2199, 12, 31)
"""The latest day a schedule may start or refer to (far from ``date.max``, so that
converting between zones and adding durations never leaves the calendar)."""

MAX_ZONE_NAME = 64
"""The longest IANA zone name accepted (the longest real one has 32 characters)."""

_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,3}$")


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_named(name: object) -> ZoneInfo:
    """The IANA time zone called ``name``: the one check of a zone name in the library.

    Only names of real zones are accepted (not a folder of the zone database such as
    ``America``, not a path, not a number).

    Example:
        >>> zone_named("Asia/Shanghai").key
        'Asia/Shanghai'
        >>> zone_named("America")
        Traceback (most recent call last):
        ...
        ValueError: unknown IANA time zone 'America' (expected e.g. 'Asia/Shanghai')

    Raises:
        ValueError: ``name`` is not text or names no zone.
    """
    if not isinstance(name, str):
        kind = type(name).__name__
        msg = f"a time zone is text naming an IANA zone such as 'Asia/Shanghai', not {kind}"
        raise ValueError(msg)  # noqa: TRY004 - pydantic reports ValueError as a field error
    if len(name) > MAX_ZONE_NAME or not _ZONE_NAME.match(name):
        shown = repr(name) if len(name) <= MAX_ZONE_NAME else f"of {len(name)} characters"
        msg = f"not an IANA time zone name {shown} (expected e.g. 'Asia/Shanghai')"
        raise ValueError(msg)
    if name not in _known_zones() and name != "UTC":
        msg = f"unknown IANA time zone {name!r} (expected e.g. 'Asia/Shanghai')"
        raise ValueError(msg)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        msg = f"unknown IANA time zone {name!r} (expected e.g. 'Asia/Shanghai')"
        raise ValueError(msg) from None


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
    _check_parts(body)
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

REFUSED_FREQUENCIES = frozenset({"SECONDLY", "MINUTELY"})
"""Frequencies refused in a schedule: a session lasts longer than a minute, and a rule
that recurs every second or minute makes any window of a week a million occurrences."""

_FREQUENCIES = frozenset({"YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY"})
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^(?P<n>[+-]?\d{1,2})?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^\d{8}T\d{6}Z$")
# part -> (smallest, largest, zero allowed)
_RANGES: dict[str, tuple[int, int, bool]] = {
    "BYSECOND": (0, 59, True),
    "BYMINUTE": (0, 59, True),
    "BYHOUR": (0, 23, True),
    "BYMONTH": (1, 12, False),
    "BYMONTHDAY": (-31, 31, False),
    "BYYEARDAY": (-366, 366, False),
    "BYWEEKNO": (-53, 53, False),
    "BYSETPOS": (-366, 366, False),
    "BYEASTER": (-366, 366, True),
}
_MAX_INTERVAL = 1000
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _invalid(reason: str, body: str) -> PydanticCustomError:
    return PydanticCustomError(
        "invalid_rrule",
        "not a usable RRULE ({reason}): {rule}",
        {"reason": reason, "rule": body[:200]},
    )


def _int(value: str, part: str, body: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,9}", value):
        raise _invalid(f"{part} takes whole numbers, not {value[:20]!r}", body)
    return int(value)


def _check_parts(body: str) -> None:  # noqa: PLR0912 - one check per RRULE part
    """Check each part of the rule against RFC 5545 and the library's limits."""
    parts: dict[str, str] = {}
    for piece in body.split(";"):
        name, sep, value = piece.partition("=")
        name = name.strip().upper()
        if not sep or not name:
            raise _invalid(f"{piece[:20]!r} is not NAME=VALUE", body)
        if name in parts:
            raise _invalid(f"{name} is given twice", body)
        parts[name] = value.strip()
    freq = parts.get("FREQ", "").upper()
    if freq in REFUSED_FREQUENCIES:
        raise _invalid(f"FREQ={freq} is refused: a schedule recurs at most hourly", body)
    if freq not in _FREQUENCIES:
        raise _invalid("FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY", body)
    if "INTERVAL" in parts:
        interval = _int(parts["INTERVAL"], "INTERVAL", body)
        if not 1 <= interval <= _MAX_INTERVAL:
            raise _invalid(f"INTERVAL must be between 1 and {_MAX_INTERVAL}", body)
    if "COUNT" in parts and _int(parts["COUNT"], "COUNT", body) < 1:
        raise _invalid("COUNT must be at least 1", body)
    if "UNTIL" in parts:
        if "COUNT" in parts:
            raise _invalid("give UNTIL or COUNT, not both", body)
        if not _UNTIL.match(parts["UNTIL"].upper()):
            raise _invalid(
                "UNTIL must be a UTC time such as 20131231T235959Z (or use the "
                "schedule's own until, a local day)",
                body,
            )
    values: dict[str, list[int]] = {}
    for part, (low, high, zero) in _RANGES.items():
        if part not in parts:
            continue
        numbers = [_int(v, part, body) for v in parts[part].split(",")]
        for n in numbers:
            if not low <= n <= high or (n == 0 and not zero):
                raise _invalid(f"{part} values are between {low} and {high}, not {n}", body)
        values[part] = numbers
    if "BYDAY" in parts:
        for item in parts["BYDAY"].upper().split(","):
            found = _BYDAY.match(item.strip())
            if found is None or (found.group("n") and not 1 <= abs(int(found.group("n"))) <= 53):  # noqa: PLR2004 - weeks in a year
                raise _invalid(f"BYDAY takes MO..SU, optionally numbered, not {item[:12]!r}", body)
    if "WKST" in parts and parts["WKST"].upper() not in _DAYS:
        raise _invalid("WKST must be one of MO..SU", body)
    if (
        "BYMONTH" in values
        and "BYMONTHDAY" in values
        and not any(
            abs(day) <= _DAYS_IN_MONTH[month - 1]
            for month in values["BYMONTH"]
            for day in values["BYMONTHDAY"]
        )
    ):
        raise _invalid("no month of BYMONTH has a day of BYMONTHDAY: it never occurs", body)


def _probe(body: str) -> None:
    try:
        rrulestr(body, dtstart=_RRULE_PROBE_START)
    except ValueError as exc:
        # An UNTIL in UTC (...Z) is valid RFC 5545 but dateutil accepts it only with an
        # aware start; schedules always expand from an aware start.
        if "UTC" not in str(exc):
            raise
        rrulestr(body, dtstart=_RRULE_PROBE_START.replace(tzinfo=UTC))


_GREGORIAN_CYCLE = 400  # years after which the calendar, weekdays included, repeats


@lru_cache(maxsize=4096)
def first_start_within(text: str, wall_start: datetime, years: int = 8) -> bool:
    """Whether the RRULE ``text`` counted from ``wall_start`` occurs within ``years`` years.

    dateutil looks for a rule's next time until year 9999 without a bound on its work:
    a rule that never occurs from a 2013 start spins through eight thousand years. The
    calendar repeats every 400 years, so the rule is tried from the same start moved
    forward by whole cycles, close to year 9999, where that search ends soon. ``UNTIL``
    and ``COUNT`` are left out (they only end a rule that does occur).

    Example:
        >>> first_start_within("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", datetime(2013, 1, 1))
        True
        >>> first_start_within("FREQ=DAILY;INTERVAL=7;BYDAY=TU", datetime(2013, 1, 7))
        False
    """
    wall = wall_start.replace(tzinfo=None)
    cycles = (9999 - years - wall.year) // _GREGORIAN_CYCLE
    try:
        moved = wall.replace(year=wall.year + cycles * _GREGORIAN_CYCLE)
        parsed = rrulestr(text, dtstart=moved.replace(tzinfo=UTC))
        if not isinstance(parsed, rrule):
            return False
        first = next(iter(parsed.replace(until=None, count=None, dtstart=moved)), None)
    except (ValueError, OverflowError, TypeError, KeyError, IndexError):
        return False
    return first is not None and first.year - moved.year <= years


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
