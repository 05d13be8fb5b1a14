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
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel

from sw_volunteer.errors import MissingDependencyError
from sw_volunteer.models import ENTITY_TYPES, Entity, Network, sensitive_fields

try:
    import pandas as pd
except ImportError as exc:
    raise MissingDependencyError.for_extra("pandas", "pandas") from exc

__all__ = ["entity_columns", "network_to_frames"]


def entity_columns(kind: type[Entity], *, include_sensitive: bool = False) -> tuple[str, ...]:
    """The columns of the frame for entities of type ``kind``, in field order.

    ``id`` is the index, not a column. A nested model field (an insurance period, a
    programme's period) becomes one column per subfield, ``<field>_<subfield>``.

    Args:
        kind: An entity type, such as [`Volunteer`][sw_volunteer.models.Volunteer].
        include_sensitive: Whether to include the fields tagged sensitive.

    Example:
        >>> from sw_volunteer.models import Client, Volunteer
        >>> entity_columns(Client)
        ('centre', 'enrolled')
        >>> entity_columns(Client, include_sensitive=True)
        ('name', 'centre', 'birth_date', 'needs', 'support_level', 'enrolled', 'notes')
        >>> [c for c in entity_columns(Volunteer) if c.startswith("insurance")]
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
    """One DataFrame per entity collection of ``network``, indexed by entity id.

    Every collection gets a frame, empty ones included, so code written against one
    network runs on another. Values are made easy to analyse: enums become their
    stable string values, sets become sorted tuples, nested periods are split into
    ``<field>_start`` and ``<field>_until`` columns, and an activity's tasks become
    ``(person, task)`` pairs. Dates stay ``datetime.date`` objects.

    Args:
        network: The network.
        include_sensitive: Whether to include the fields tagged sensitive (names,
            birth dates, needs, notes). Off by default, so that a frame can be shown
            or shared without exposing the people it describes.

    Returns:
        A dict from collection name (``"centres"``, ``"workers"``, ``"volunteers"``,
        ``"clients"``, ``"programmes"``, ``"activities"``, ``"supervisions"``,
        ``"assignments"``) to its frame.
    """
    return {
        kind.collection: _frame(
            kind, getattr(network, kind.collection), include_sensitive=include_sensitive
        )
        for kind in ENTITY_TYPES
    }


def _fields(
    kind: type[Entity], *, include_sensitive: bool
) -> list[tuple[str, tuple[str, ...] | None]]:
    """Each field shown, with the subfields of a nested model (``None`` if flat)."""
    hidden = set() if include_sensitive else set(sensitive_fields(kind))
    fields: list[tuple[str, tuple[str, ...] | None]] = []
    for name, info in kind.model_fields.items():
        if name == "id" or name in hidden:
            continue
        nested = _nested_model(info.annotation)
        fields.append((name, None if nested is None else tuple(nested.model_fields)))
    return fields


def _frame(
    kind: type[Entity], entities: tuple[Entity, ...], *, include_sensitive: bool
) -> pd.DataFrame:
    fields = _fields(kind, include_sensitive=include_sensitive)
    rows = [_row(entity, fields) for entity in entities]
    index = pd.Index([entity.id for entity in entities], name="id", dtype=object)
    columns = entity_columns(kind, include_sensitive=include_sensitive)
    return pd.DataFrame(rows, index=index, columns=list(columns))


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
