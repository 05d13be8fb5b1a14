"""Aggregate exports for research: counts with small cells suppressed."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from pydantic import Field, NonNegativeInt, PositiveInt

from sw_volunteer.errors import InputError, Problem
from sw_volunteer.models import Model, Network
from sw_volunteer.privacy._bands import DEFAULT_AGE_BANDS, AgeBands
from sw_volunteer.vocab import CertificationLevel, ClientNeed

__all__ = ["DEFAULT_THRESHOLD", "AggregateCell", "AggregateTable", "Role", "aggregate"]

DEFAULT_THRESHOLD = 5
"""Counts from 1 to ``threshold - 1`` are suppressed."""

Role = Literal["social_worker", "volunteer", "client"]
"""Whom a cell counts."""

Dimension = Literal["total", "certification", "age_band", "need"]
"""What a cell breaks the count down by."""

_PARTITIONS: frozenset[str] = frozenset({"certification", "age_band"})
"""Dimensions whose categories split the total: a lone suppressed cell could be recovered
by subtracting the others from the total, so a second one is suppressed with it."""


class AggregateCell(Model):
    """One count of an aggregate table.

    Attributes:
        centre: The centre's id.
        role: Whom it counts.
        dimension: What the count is broken down by (``total`` for the whole role).
        category: The category within the dimension (``all`` for a total).
        count: The count, or ``None`` when suppressed.
        suppressed: Whether the count is hidden. ``primary`` suppression hides a small
            count; ``secondary`` hides another so that the first cannot be recovered
            from the total.

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.privacy import aggregate
        >>> table = aggregate(sv.datasets.ruian_2013())
        >>> table.cells[0]  # doctest: +NORMALIZE_WHITESPACE
        AggregateCell(centre='liqun', role='social_worker', dimension='total', category='all',
                      count=6, suppressed=None)
        >>> hidden = [c for c in table.cells if c.suppressed][0]
        >>> hidden.count, hidden.suppressed
        (None, 'primary')
    """

    centre: str
    role: Role
    dimension: Dimension
    category: str
    count: NonNegativeInt | None
    suppressed: Literal["primary", "secondary"] | None = None


class AggregateTable(Model):
    """Counts by centre, role and one dimension at a time, with small cells suppressed.

    A client with several needs is counted once under each need, so the ``need``
    cells of a centre may add up to more than its clients.

    Attributes:
        threshold: Counts from 1 to ``threshold - 1`` are suppressed.
        on: The day ages were taken on.
        age_bands: The lower bounds of the age bands.
        cells: The cells, centre by centre.

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.privacy import aggregate
        >>> table = aggregate(sv.datasets.ruian_2013())
        >>> table
        AggregateTable(threshold=5, on=2013-11-19, cells=96, suppressed=14)
        >>> table.to_csv().splitlines()[0]
        'centre,role,dimension,category,count,suppressed'
    """

    threshold: PositiveInt
    on: date
    age_bands: tuple[int, ...]
    cells: tuple[AggregateCell, ...] = Field(repr=False)

    def __repr__(self) -> str:
        hidden = sum(c.suppressed is not None for c in self.cells)
        return (
            f"AggregateTable(threshold={self.threshold}, on={self.on.isoformat()}, "
            f"cells={len(self.cells)}, suppressed={hidden})"
        )

    __str__ = __repr__

    def to_records(self) -> list[dict[str, object]]:
        """The cells as plain dicts, ready for a DataFrame or a CSV writer."""
        return [cell.model_dump(mode="json") for cell in self.cells]

    def to_json(self) -> str:
        """The table as a JSON document (suppressed counts are ``null``)."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        """The cells as CSV (a suppressed count is empty; the ``suppressed`` column says why)."""
        out = io.StringIO()
        columns = list(AggregateCell.model_fields)
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for record in self.to_records():
            writer.writerow({k: "" if v is None else v for k, v in record.items()})
        return out.getvalue()


def aggregate(
    network: Network,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    on: date | None = None,
    age_bands: AgeBands | Sequence[int] = DEFAULT_AGE_BANDS,
) -> AggregateTable:
    """Count people by centre, role, certification, need and age band; hide small cells.

    For every centre: social workers in total and by certification level; volunteers in
    total and by age band; clients in total, by need and by age band. Every category of
    a dimension is listed, zeros included. A count from 1 to ``threshold - 1`` is
    suppressed (``count`` is ``None``, ``suppressed`` says so); where the categories of
    a dimension add up to the total, one more cell is suppressed when only one is, so
    that no hidden count can be recovered by subtraction.

    Args:
        network: The network.
        threshold: The smallest count shown (default 5).
        on: The day ages are taken on; default ``network.info.as_of``, else today.
        age_bands: Lower bounds of the age bands.

    Example:
        >>> from sw_volunteer.models import Centre, Volunteer
        >>> net = Network(
        ...     centres=[Centre(id="liqun", name="利群")],
        ...     volunteers=[Volunteer(id=f"v{i}", name=f"V{i}", centre="liqun") for i in range(7)],
        ... )
        >>> table = aggregate(net, on=date(2013, 11, 18))
        >>> [(c.category, c.count) for c in table.cells if c.role == "volunteer"][:2]
        [('all', 7), ('0-13', 0)]
        >>> hidden = aggregate(net, threshold=8, on=date(2013, 11, 18))
        >>> [(c.category, c.count, c.suppressed) for c in hidden.cells
        ...  if c.role == "volunteer" and c.count != 0]
        [('all', None, 'primary'), ('unknown', None, 'primary')]
    """
    if threshold < 1:
        raise InputError(
            [Problem("threshold", "bad_threshold", f"must be at least 1, got {threshold}")],
            subject="the aggregate export",
        )
    bands = AgeBands.of(age_bands)
    day = on or network.info.as_of or date.today()  # noqa: DTZ011 - a calendar day, not an instant
    categories: dict[Dimension, list[str]] = {
        "certification": [level.value for level in CertificationLevel],
        "age_band": [*bands.labels, "unknown"],
        "need": [need.value for need in ClientNeed],
    }
    cells: list[AggregateCell] = []
    for centre in network.centres:
        workers = [w for w in network.workers if w.centre == centre.id]
        volunteers = [v for v in network.volunteers if v.centre == centre.id]
        clients = [c for c in network.clients if c.centre == centre.id]
        groups: list[tuple[Role, Dimension, Counter[str]]] = [
            ("social_worker", "certification", Counter(w.certification.value for w in workers)),
            (
                "volunteer",
                "age_band",
                Counter(bands.label_on(v.birth_date, day) for v in volunteers),
            ),
            ("client", "need", Counter(n.value for c in clients for n in c.needs)),
            ("client", "age_band", Counter(bands.label_on(c.birth_date, day) for c in clients)),
        ]
        totals: dict[Role, int] = {
            "social_worker": len(workers),
            "volunteer": len(volunteers),
            "client": len(clients),
        }
        for role, total in totals.items():
            cells.append(_cell(centre.id, role, "total", "all", count=total, threshold=threshold))
            for group_role, dimension, counts in groups:
                if group_role != role:
                    continue
                group = [
                    _cell(
                        centre.id,
                        role,
                        dimension,
                        category,
                        count=counts[category],
                        threshold=threshold,
                    )
                    for category in categories[dimension]
                ]
                if dimension in _PARTITIONS:
                    group = _secondary(group)
                cells.extend(group)
    return AggregateTable(threshold=threshold, on=day, age_bands=bands.bounds, cells=tuple(cells))


def _cell(
    centre: str, role: Role, dimension: Dimension, category: str, *, count: int, threshold: int
) -> AggregateCell:
    small = 0 < count < threshold
    return AggregateCell(
        centre=centre,
        role=role,
        dimension=dimension,
        category=category,
        count=None if small else count,
        suppressed="primary" if small else None,
    )


def _secondary(group: Iterable[AggregateCell]) -> list[AggregateCell]:
    """Suppress the smallest shown non-zero cell when exactly one cell is suppressed."""
    cells = list(group)
    if sum(c.suppressed is not None for c in cells) != 1:
        return cells
    shown = [(c.count, i) for i, c in enumerate(cells) if c.count]
    if not shown:
        return cells
    _, index = min(shown)
    cells[index] = cells[index].model_copy(update={"count": None, "suppressed": "secondary"})
    return cells
