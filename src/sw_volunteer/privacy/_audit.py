"""The disclosure audit of a published table: what a reader can work out of each hidden cell.

As statistical agencies audit a table before release: for every suppressed cell, the
smallest and largest value it can take in a table of whole numbers that agrees with
everything published (the shown counts, the relations between cells, hidden counts at
least 1 since zeros are shown). Each bound is an integer programme solved with SciPy's
HiGHS (``scipy.optimize.milp``), the programme
[`sw_volunteer.privacy.suppress`][sw_volunteer.privacy.suppress] builds to find its witnesses.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from sw_volunteer.errors import InputError, Problem
from sw_volunteer.privacy._programme import Programme
from sw_volunteer.privacy._suppression import Relation

if TYPE_CHECKING:
    from sw_volunteer.privacy._aggregate import AggregateTable, CellKey

__all__ = ["Audit", "CellRange", "audit", "audit_counts"]

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class CellRange(Generic[K]):
    """The values a hidden cell can take, given everything published.

    Attributes:
        cell: The cell.
        lower: The smallest value.
        upper: The largest value (``None``: no upper bound).

    Example:
        >>> shown_as_fewer_than_5 = CellRange("drug_rehabilitation", lower=1, upper=7)
        >>> shown_as_fewer_than_5.exact, shown_as_fewer_than_5.protected(5)
        (False, True)
        >>> CellRange("b", lower=1, upper=1).protected(5)  # worked out exactly
        False
    """

    cell: K
    lower: int
    upper: int | None

    @property
    def exact(self) -> bool:
        """Whether the cell is worked out exactly."""
        return self.upper == self.lower

    def protected(self, threshold: int) -> bool:
        """Whether the range reaches ``threshold`` and holds more than one value."""
        return not self.exact and (self.upper is None or self.upper >= threshold)


@dataclass(frozen=True, slots=True)
class Audit(Generic[K]):
    """The feasible range of every suppressed cell of a table.

    Attributes:
        threshold: The smallest count the table shows.
        ranges: One range per suppressed cell, in the table's order.

    Example:
        >>> result = Audit(threshold=5, ranges=(CellRange("a", 1, 7), CellRange("b", 2, 2)))
        >>> result.passed, [r.cell for r in result.failures], [r.cell for r in result.recovered]
        (False, ['b'], ['b'])
    """

    threshold: int
    ranges: tuple[CellRange[K], ...]

    @property
    def passed(self) -> bool:
        """Whether every suppressed cell is protected."""
        return not self.failures

    @property
    def failures(self) -> tuple[CellRange[K], ...]:
        """The suppressed cells that are not protected."""
        return tuple(r for r in self.ranges if not r.protected(self.threshold))

    @property
    def recovered(self) -> tuple[CellRange[K], ...]:
        """The suppressed cells whose value can be worked out exactly."""
        return tuple(r for r in self.ranges if r.exact)


def audit(table: AggregateTable) -> Audit[CellKey]:
    """Audit an aggregate table: the feasible range of each of its suppressed cells.

    The reader is assumed to know the relations the table was protected against
    (``table.relations``): each total is the sum of its certification or age-band cells,
    each need count is at most the clients' total, and the need counts add up to between
    the fewest and the most needs a client of the centre has times the total.

    Args:
        table: A table made by [`sw_volunteer.privacy.aggregate`][sw_volunteer.privacy.aggregate].

    Returns:
        The audit; ``passed`` is true when every suppressed cell is protected.

    Example:
        >>> from datetime import date
        >>> from sw_volunteer.models import Centre, Client, Network
        >>> from sw_volunteer.privacy import aggregate
        >>> from sw_volunteer.vocab import ClientNeed
        >>> needs = [ClientNeed.PSYCHIATRIC_REHABILITATION] * 7 + [ClientNeed.DRUG_REHABILITATION]
        >>> net = Network(
        ...     centres=[Centre(id="liqun", name="利群")],
        ...     clients=[Client(id=f"c{i}", name=f"C{i}", centre="liqun", needs={need})
        ...              for i, need in enumerate(needs)],
        ... )
        >>> result = audit(aggregate(net, on=date(2013, 11, 18)))
        >>> result.passed, len(result.recovered)
        (True, 0)
        >>> [(r.cell[3], r.lower, r.upper) for r in result.ranges if r.cell[2] == "need"]
        [('psychiatric_rehabilitation', 1, 7), ('drug_rehabilitation', 1, 7)]
    """
    published = {(c.centre, c.role, c.dimension, c.category): c.count for c in table.cells}
    return audit_counts(published, table.relations, threshold=table.threshold)


def audit_counts(
    published: Mapping[K, int | None], relations: Sequence[Relation[K]], *, threshold: int
) -> Audit[K]:
    """The feasible range of every hidden cell (``None``) of a published table of counts.

    Args:
        published: Every cell's shown count, ``None`` where suppressed.
        relations: The linear relations between cells a reader knows.
        threshold: The smallest count shown.

    Returns:
        The audit, with the cells in the order of ``published``.

    Raises:
        InputError: A relation names an unknown cell, or no table of whole numbers
            agrees with what is published.

    Example:
        >>> rel = [Relation.total("all", ["a", "b", "c"])]
        >>> result = audit_counts({"all": 8, "a": 7, "b": None, "c": 0}, rel, threshold=5)
        >>> result.recovered
        (CellRange(cell='b', lower=1, upper=1),)
        >>> audit_counts({"all": 8, "a": None, "b": None, "c": 0}, rel, threshold=5).passed
        True
    """
    for i, relation in enumerate(relations):
        unknown = [k for k, _ in relation.terms if k not in published]
        if unknown:
            raise InputError(
                [Problem(f"relations[{i}]", "unknown_cell", f"no such cell: {unknown[0]!s}")],
                subject="the audited table",
            )
    hidden = [k for k, v in published.items() if v is None]
    position = {k: i for i, k in enumerate(hidden)}
    ranges: dict[K, CellRange[K]] = {}
    for component in _components(hidden, relations):
        programme = Programme(component, published, relations)
        for k in component:
            low = programme.solve(minimise=k).point
            high = programme.solve(maximise=k) if low is not None else None
            if low is None or high is None or high.status == "infeasible":
                raise InputError(
                    [Problem(str(k), "inconsistent_table", "no table of counts agrees")],
                    subject="the audited table",
                )
            ranges[k] = CellRange(k, low[k], None if high.point is None else high.point[k])
    return Audit(threshold, tuple(ranges[k] for k in sorted(ranges, key=position.__getitem__)))


def _components(hidden: list[K], relations: Sequence[Relation[K]]) -> list[list[K]]:
    """The hidden cells grouped by the relations that link them, in the given order."""
    parent = {k: k for k in hidden}

    def root(k: K) -> K:
        while parent[k] != k:
            k = parent[k]
        return k

    for relation in relations:
        linked = [k for k, _ in relation.terms if k in parent]
        for other in linked[1:]:
            parent[root(other)] = root(linked[0])
    groups: dict[K, list[K]] = {}
    for k in hidden:
        groups.setdefault(root(k), []).append(k)
    return list(groups.values())
