"""Networks as pandas DataFrames (re-exported by [`pandas`][sw_volunteer.integrations.pandas]).

Example:
    >>> import sw_volunteer as sv
    >>> from sw_volunteer.integrations.pandas import network_to_frames
    >>> net = sv.Network(
    ...     centres=[sv.Centre(id="liqun", name="利群社会工作服务中心")],
    ...     volunteers=[sv.Volunteer(id="v1", name="陈某", centre="liqun", skills={"music"})],
    ... )
    >>> frames = network_to_frames(net)
    >>> frames["volunteers"].loc["v1", "skills"]
    ('music',)
    >>> "name" in frames["volunteers"].columns
    False
    >>> str(frames["volunteers"]["joined"].dtype)
    'datetime64[s]'
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any

from pydantic import AwareDatetime, BaseModel

from sw_volunteer.errors import MissingDependencyError
from sw_volunteer.models import (
    ENTITY_TYPES,
    Address,
    Entity,
    Network,
    Period,
    Schedule,
    sensitive_fields,
)

try:
    import numpy as np
    import pandas as pd
except ImportError as exc:
    raise MissingDependencyError.for_extra("pandas", "pandas") from exc

__all__ = ["SCHEDULE_COLUMNS", "entity_columns", "network_to_frames"]

SCHEDULE_COLUMNS = (
    "collection",
    "field",
    "start",
    "timezone",
    "duration",
    "rules",
    "extra",
    "exclude",
    "until",
    "count",
)
"""The columns of the ``schedules`` frame (its index is the id of the entity)."""


def entity_columns(kind: type[Entity], *, include_sensitive: bool = False) -> tuple[str, ...]:
    """The columns of the frame for entities of type ``kind``, in field order.

    ``id`` is the index, not a column. A nested period (an insurance, a programme's
    period) becomes ``<field>_start`` and ``<field>_until``. A schedule (a person's
    availability, a programme's, an activity's or an absence's schedule) is not a
    column: it is a row of the ``schedules`` frame. An address is one column of text. A
    sequence of nested records (a service record's corrections, which carry their
    reasons) is not a column either: a frame holds one flat value per cell, and
    ``ServiceRecord.effective()`` gives a record as corrected.

    Args:
        kind: An entity type, such as [`Volunteer`][sw_volunteer.models.Volunteer].
        include_sensitive: Whether to include the fields tagged sensitive.

    Example:
        >>> from sw_volunteer.models import Client, Volunteer
        >>> entity_columns(Client)
        ('centre', 'enrolled')
        >>> entity_columns(Client, include_sensitive=True)
        ('name', 'centre', 'birth_date', 'needs', 'support_level', 'enrolled', 'notes')
        >>> [c for c in entity_columns(Volunteer) if c.startswith(("insurance", "avail"))]
        ['insurance_start', 'insurance_until']
    """
    return tuple(
        column
        for name, nested in _fields(kind, include_sensitive=include_sensitive)
        for column in ([name] if nested is None else [f"{name}_{sub}" for sub in nested])
    )


def network_to_frames(
    network: Network, *, include_sensitive: bool = False
) -> dict[str, pd.DataFrame]:
    """One DataFrame per entity collection of ``network``, indexed by id, and the schedules.

    Every collection gets a frame, empty ones included, and every column has the same
    dtype whatever the network, so code written against one network runs on another:

    - dates are ``datetime64[s]`` and a missing date is ``NaT``; times (an activity's
      start, a schedule's start) are time-zone aware ``datetime64``, in their zone when
      the whole column shares one, else in UTC; durations are ``timedelta64``;
    - an optional whole number is ``Int64`` (missing: ``<NA>``);
    - enums become their stable string values, sets become sorted tuples, and an
      activity's tasks become ``(person, task)`` pairs;
    - a nested period is split into ``<field>_start`` and ``<field>_until``;
    - schedules (availability and recurring sessions, set for few entities) are not
      columns of the entity frames but rows of one more frame, ``schedules``, indexed
      by the entity's id, with the collection and field they come from
      ([`SCHEDULE_COLUMNS`][sw_volunteer.integrations.pandas.SCHEDULE_COLUMNS]).

    Args:
        network: The network.
        include_sensitive: Whether to include the fields tagged sensitive (names,
            birth dates, needs, notes). Off by default, so that a frame can be shown
            or shared without exposing the people it describes.

    Returns:
        A dict from collection name (``"centres"``, ``"workers"``, ``"volunteers"``,
        ..., ``"service_records"``, in the network's order) to its frame, then
        ``"schedules"``.

    Example:
        >>> import sw_volunteer as sv
        >>> frames = network_to_frames(sv.datasets.ruian_2013())
        >>> list(frames)[-1], frames["schedules"]["field"].value_counts().to_dict()
        ('schedules', {'availability': 78, 'schedule': 7})
        >>> frames["schedules"].loc["yucai-v01", ["collection", "timezone"]].tolist()
        ['volunteers', 'Asia/Shanghai']
        >>> frames["workers"]["left"].isna().all(), str(frames["workers"]["left"].dtype)
        (np.True_, 'datetime64[s]')
    """
    frames = {
        kind.collection: _frame(
            kind, getattr(network, kind.collection), include_sensitive=include_sensitive
        )
        for kind in ENTITY_TYPES
    }
    frames["schedules"] = _schedules_frame(network)
    return frames


def _unwrap(annotation: Any) -> Any:
    """The type of a field without ``Annotated`` and without ``| None``."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return annotation


def _is_schedule(annotation: Any) -> bool:
    return _unwrap(annotation) is Schedule


def _holds_records(annotation: Any) -> bool:
    """A field that holds a sequence of nested records (a service record's corrections)."""
    origin = getattr(annotation, "__origin__", None)
    return origin in {tuple, list, frozenset, set} and any(
        isinstance(a, type) and issubclass(a, BaseModel) for a in annotation.__args__
    )


def _fields(
    kind: type[Entity], *, include_sensitive: bool
) -> list[tuple[str, tuple[str, ...] | None]]:
    """Each field shown, with the subfields of a nested model (``None`` if flat)."""
    hidden = set() if include_sensitive else set(sensitive_fields(kind))
    fields: list[tuple[str, tuple[str, ...] | None]] = []
    for name, info in kind.model_fields.items():
        if (
            name == "id"
            or name in hidden
            or _is_schedule(info.annotation)
            or _holds_records(info.annotation)
        ):
            continue
        nested = _nested_model(info.annotation)
        split = nested is not None and issubclass(nested, Period)  # an address is one column
        fields.append((name, tuple(nested.model_fields) if split and nested else None))
    return fields


def _column_types(
    kind: type[BaseModel], fields: list[tuple[str, tuple[str, ...] | None]]
) -> dict[str, Any]:
    """Column name -> the (unwrapped) type of the field or subfield it holds."""
    types_: dict[str, Any] = {}
    for name, subfields in fields:
        annotation = kind.model_fields[name].annotation
        if subfields is None:
            types_[name] = _unwrap(annotation)
        else:
            nested = _nested_model(annotation)
            if nested is None:
                continue
            for sub in subfields:
                types_[f"{name}_{sub}"] = _unwrap(nested.model_fields[sub].annotation)
    return types_


def _frame(
    kind: type[Entity], entities: tuple[Entity, ...], *, include_sensitive: bool
) -> pd.DataFrame:
    fields = _fields(kind, include_sensitive=include_sensitive)
    rows = [_row(entity, fields) for entity in entities]
    index = pd.Index([entity.id for entity in entities], name="id", dtype=object)
    columns = entity_columns(kind, include_sensitive=include_sensitive)
    frame = pd.DataFrame(rows, index=index, columns=list(columns))
    for column, annotation in _column_types(kind, fields).items():
        typed = _typed(frame[column].tolist(), annotation, index)
        if typed is not None:
            frame[column] = typed
    return frame


def _schedules_frame(network: Network) -> pd.DataFrame:
    """One row per schedule set on an entity, in the network's order."""
    ids: list[str] = []
    rows: list[dict[str, Any]] = []
    for kind in ENTITY_TYPES:
        names = [n for n, info in kind.model_fields.items() if _is_schedule(info.annotation)]
        for entity in getattr(network, kind.collection):
            for name in names:
                schedule = getattr(entity, name)
                if schedule is None:
                    continue
                ids.append(entity.id)
                rows.append(
                    {
                        "collection": kind.collection,
                        "field": name,
                        **{sub: _cell(getattr(schedule, sub)) for sub in Schedule.model_fields},
                    }
                )
    index = pd.Index(ids, name="id", dtype=object)
    frame = pd.DataFrame(rows, index=index, columns=list(SCHEDULE_COLUMNS))
    for column in ("start", "duration", "until", "count"):
        annotation = _unwrap(Schedule.model_fields[column].annotation)
        typed = _typed(frame[column].tolist(), annotation, index)
        if typed is not None:
            frame[column] = typed
    return frame


def _typed(values: Sequence[Any], annotation: Any, index: pd.Index) -> pd.Series | None:
    """A column of ``values`` with the dtype its field's type calls for (``None``: as is)."""
    if annotation is AwareDatetime or (
        isinstance(annotation, type) and issubclass(annotation, datetime)
    ):
        return _aware_times(values, index)
    if annotation is date:
        days = np.array(values, dtype="datetime64[D]").astype("datetime64[s]")
        return pd.Series(days, index=index, dtype="datetime64[s]")
    if annotation is timedelta:
        return pd.Series(pd.to_timedelta(list(values)), index=index, dtype="timedelta64[ns]")
    if annotation is int:
        return pd.Series(pd.array(list(values), dtype="Int64"), index=index)
    return None


def _aware_times(values: Sequence[datetime | None], index: pd.Index) -> pd.Series:
    """Aware times as one aware column: in their zone if they share one, else in UTC."""
    zones = {v.tzinfo for v in values if v is not None}
    zone = zones.pop() if len(zones) == 1 else UTC
    naive_utc = np.array(
        [None if v is None else v.astimezone(UTC).replace(tzinfo=None) for v in values],
        dtype="datetime64[us]",
    )
    utc = pd.DatetimeIndex(naive_utc).tz_localize(UTC)
    return pd.Series(utc.tz_convert(zone), index=index)


def _row(entity: Entity, fields: list[tuple[str, tuple[str, ...] | None]]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, subfields in fields:
        value = getattr(entity, name)
        if subfields is None:
            row[name] = _cell(value)
        else:
            for sub in subfields:
                row[f"{name}_{sub}"] = None if value is None else _cell(getattr(value, sub))
    return row


def _cell(value: Any) -> Any:
    """A value as a frame cell: plain strings for enums, sorted tuples for sets."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return tuple(sorted(_cell(v) for v in value))
    if isinstance(value, tuple):
        return tuple(_cell(v) for v in value)
    if isinstance(value, Address):
        parts = (value.street, value.city, value.province, value.postal_code, value.country)
        return ", ".join(parts)
    if isinstance(value, BaseModel):
        return tuple(_cell(getattr(value, name)) for name in type(value).model_fields)
    return value


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model type of a field that holds one nested model, optionally ``None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    args = [a for a in getattr(annotation, "__args__", ()) if a is not type(None)]
    if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0]
    return None
