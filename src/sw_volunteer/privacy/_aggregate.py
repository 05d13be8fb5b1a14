"""Aggregate exports for research: counts with small cells suppressed."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import Field, NonNegativeInt, PositiveInt

from sw_volunteer.errors import InputError, Problem
from sw_volunteer.models import Model, Network
from sw_volunteer.privacy._bands import DEFAULT_AGE_BANDS, AgeBands
from sw_volunteer.privacy._suppression import Relation, suppress
from sw_volunteer.vocab import CertificationLevel, ClientNeed, IncidentSeverity

__all__ = [
    "DEFAULT_THRESHOLD",
    "AggregateCell",
    "AggregateTable",
    "CellKey",
    "Dimension",
    "Role",
    "aggregate",
]

DEFAULT_THRESHOLD = 5
"""Counts from 1 to ``threshold - 1`` are suppressed."""

Role = Literal["social_worker", "volunteer", "client", "incident"]
"""Whom (or, for ``incident``, what) a cell counts."""

Dimension = Literal["total", "certification", "age_band", "need", "severity"]
"""What a cell breaks the count down by."""

CellKey = tuple[str, Role, Dimension, str]
"""A cell of an aggregate table: ``(centre, role, dimension, category)``."""


class AggregateCell(Model):
    """One count of an aggregate table.

    Attributes:
        centre: The centre's id.
        role: Whom it counts.
        dimension: What the count is broken down by (``total`` for the whole role).
        category: The category within the dimension (``all`` for a total).
        count: The count, or ``None`` when suppressed.
        suppressed: Whether the count is hidden. A small count and a count hidden so
            that a small one cannot be worked out carry the same mark.

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.privacy import aggregate
        >>> table = aggregate(sv.datasets.ruian_2013())
        >>> shown = [c for c in table.cells if c.count][0]  # the first non-zero count shown
        >>> shown.centre, shown.role, shown.dimension, shown.count
        ('liqun', 'volunteer', 'total', 24)
        >>> hidden = [c for c in table.cells if c.suppressed][0]
        >>> hidden.count, hidden.suppressed
        (None, True)
    """

    centre: str
    role: Role
    dimension: Dimension
    category: str
    count: NonNegativeInt | None
    suppressed: bool = False


class AggregateTable(Model):
    """Counts by centre, role and one dimension at a time, with small cells suppressed.

    A client with several needs is counted once under each need, so the ``need``
    cells of a centre may add up to more than its clients.

    Attributes:
        threshold: Counts from 1 to ``threshold - 1`` are suppressed.
        on: The day ages were taken on.
        age_bands: The lower bounds of the age bands.
        cells: The cells, centre by centre.
        relations: The linear relations between cells that a reader is assumed to know
            and that the suppression protects against (see
            [`sw_volunteer.privacy.audit`][sw_volunteer.privacy.audit]); not written by ``to_json``
            or ``to_csv``.

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.privacy import aggregate
        >>> table = aggregate(sv.datasets.ruian_2013())
        >>> table
        AggregateTable(threshold=5, on=2013-11-19, cells=108, suppressed=22)
        >>> table.to_csv().splitlines()[0]
        'centre,role,dimension,category,count,suppressed'
    """

    threshold: PositiveInt
    on: date
    age_bands: tuple[int, ...]
    cells: tuple[AggregateCell, ...] = Field(repr=False)
    relations: tuple[Relation[CellKey], ...] = Field(default=(), repr=False, exclude=True)

    def __repr__(self) -> str:
        hidden = sum(c.suppressed for c in self.cells)
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
        """The cells as CSV (a suppressed count is empty, its ``suppressed`` column ``true``)."""
        out = io.StringIO()
        columns = list(AggregateCell.model_fields)
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for record in self.to_records():
            record["suppressed"] = "true" if record["suppressed"] else "false"
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
    total and by age band; clients in total, by need and by age band; incidents (recorded up
    to ``on``) in total and by severity, with nothing about who was involved. Every category
    of a dimension is listed, zeros included. A count from 1 to ``threshold - 1`` is
    suppressed (``count`` is ``None``, ``suppressed`` is true), and so are as many other
    counts as it takes for every hidden count to be protected against a reader who knows the
    relations between the cells (``relations``): a total is the sum of its certification or
    age-band cells, a need count is at most the clients' total, and the need counts add up
    to between the fewest and the most needs a client of the centre has times the total
    (exactly the total when every client has one need). Protected means: the largest value
    consistent with everything published reaches the threshold, and the cell is never
    determined exactly (the rule of
    [`sw_volunteer.privacy.suppress`][sw_volunteer.privacy.suppress];
    [`sw_volunteer.privacy.audit`][sw_volunteer.privacy.audit] checks it).

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
        [('all', None, True), ('unknown', None, True)]
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
        "severity": [severity.value for severity in IncidentSeverity],
    }
    counts: dict[CellKey, int] = {}
    relations: list[Relation[CellKey]] = []
    for centre in network.centres:
        workers = [w for w in network.workers if w.centre == centre.id]
        volunteers = [v for v in network.volunteers if v.centre == centre.id]
        clients = [c for c in network.clients if c.centre == centre.id]
        incidents = [i for i in network.incidents if i.centre == centre.id and i.at.date() <= day]
        groups: list[tuple[Role, Dimension, Counter[str]]] = [
            ("social_worker", "certification", Counter(w.certification.value for w in workers)),
            (
                "volunteer",
                "age_band",
                Counter(bands.label_on(v.birth_date, day) for v in volunteers),
            ),
            ("client", "need", Counter(n.value for c in clients for n in c.needs)),
            ("client", "age_band", Counter(bands.label_on(c.birth_date, day) for c in clients)),
            ("incident", "severity", Counter(i.severity.value for i in incidents)),
        ]
        totals: dict[Role, int] = {
            "social_worker": len(workers),
            "volunteer": len(volunteers),
            "client": len(clients),
            "incident": len(incidents),
        }
        for role, total in totals.items():
            whole: CellKey = (centre.id, role, "total", "all")
            counts[whole] = total
            for group_role, dimension, tally in groups:
                if group_role != role:
                    continue
                keys: list[CellKey] = [
                    (centre.id, role, dimension, c) for c in categories[dimension]
                ]
                counts.update({key: tally[key[3]] for key in keys})
                if dimension == "need":
                    per_client = [len(c.needs) for c in clients] or [0]
                    relations.extend(_need_relations(whole, keys, min(per_client), max(per_client)))
                else:
                    relations.append(Relation.total(whole, keys))
    hidden = suppress(counts, relations, threshold=threshold)
    cells = tuple(
        AggregateCell(
            centre=key[0],
            role=key[1],
            dimension=key[2],
            category=key[3],
            count=None if key in hidden else count,
            suppressed=key in hidden,
        )
        for key, count in counts.items()
    )
    return AggregateTable(
        threshold=threshold,
        on=day,
        age_bands=bands.bounds,
        cells=cells,
        relations=tuple(relations),
    )


def _need_relations(
    total: CellKey, needs: list[CellKey], fewest: int, most: int
) -> list[Relation[CellKey]]:
    """What a reader may know of the need cells.

    Each is at most the total; their sum is between ``fewest`` and ``most`` needs per
    client times the total.
    """
    relations = [Relation.at_most(need, total) for need in needs]
    terms = tuple((need, 1) for need in needs)
    if fewest == most:
        relations.append(Relation(((total, -fewest), *terms), "=="))
        return relations
    if fewest > 0:
        relations.append(Relation(((total, -fewest), *terms), ">="))
    relations.append(Relation(((total, -most), *terms), "<="))
    return relations
