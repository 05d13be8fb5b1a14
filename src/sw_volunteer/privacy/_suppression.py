"""Cell suppression that holds against a reader who does the arithmetic.

A table of counts is a set of cells linked by linear relations every reader knows: a
total is the sum of its parts, a part is at most its total. Hiding the small counts is
not enough: a hidden cell can often be worked out from the shown ones through these
relations. [`suppress`][sw_volunteer.privacy.suppress] hides the small counts (the *primary* cells)
and then more cells (*complementary* suppression) until every hidden cell is protected.

The protection rule. A reader knows every shown count, every relation, that counts are
whole numbers, and that zeros are always shown (so every hidden count is at least 1).
The *feasible range* of a hidden cell is the smallest and largest value it can take in
a table of whole numbers consistent with all of that. A hidden cell is **protected**
when its feasible range

- reaches the threshold (``upper >= threshold``): nothing published rules out that the
  cell holds as many people as a shown count, so it cannot be told apart from one; and
- is not a single value (``lower < upper``): the cell is never worked out exactly.

For a cell hidden for being small (from 1 to ``threshold - 1``) the first condition
implies the second. The range is the one of whole numbers (an integer programme), which
is never wider than the range of its linear relaxation, so the rule holds against a
reader who solves either.

Every hidden cell is shown to be protected by *witnesses*: whole-number tables that
satisfy every relation and put the cell at or above the threshold (or elsewhere than its
true value), found by SciPy's HiGHS solver (an integer programme, built as for the
audit) and checked in exact integer arithmetic. A witness HiGHS does not find, or that
fails the check, leaves the cell unprotected: one more cell is hidden, never the other
way round. [`sw_volunteer.privacy.audit_counts`][sw_volunteer.privacy.audit_counts] computes the
feasible ranges themselves.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from sw_volunteer.errors import InputError, Problem
from sw_volunteer.privacy._programme import Programme

__all__ = ["Relation", "Sense", "suppress"]

K = TypeVar("K", bound=Hashable)

Sense = Literal["==", "<=", ">="]
"""How the left-hand side of a relation compares with its right-hand side."""


@dataclass(frozen=True, slots=True)
class Relation(Generic[K]):
    """A linear relation between cells that every reader of the table knows.

    ``sum(coefficient * cell) <sense> rhs``.

    Attributes:
        terms: ``(cell, coefficient)`` pairs.
        sense: ``"=="``, ``"<="`` or ``">="``.
        rhs: The right-hand side.

    Example:
        >>> Relation.total("all", ["a", "b"])
        Relation(terms=(('all', 1), ('a', -1), ('b', -1)), sense='==', rhs=0)
        >>> Relation.at_most("a", "all").holds({"a": 3, "all": 5})
        True
    """

    terms: tuple[tuple[K, int], ...]
    sense: Sense = "=="
    rhs: int = 0

    @classmethod
    def total(cls, total: K, parts: Iterable[K]) -> Relation[K]:
        """``total`` is the sum of ``parts``."""
        return cls(((total, 1), *((part, -1) for part in parts)))

    @classmethod
    def at_most(cls, part: K, whole: K) -> Relation[K]:
        """``part`` is at most ``whole``."""
        return cls(((part, 1), (whole, -1)), "<=")

    def holds(self, counts: Mapping[K, int]) -> bool:
        """Whether ``counts`` satisfy the relation."""
        return _compare(sum(a * counts[k] for k, a in self.terms), self.sense, self.rhs)


def suppress(
    counts: Mapping[K, int], relations: Sequence[Relation[K]], *, threshold: int
) -> frozenset[K]:
    """The cells to hide so that every hidden cell is protected.

    A hidden cell is protected when, over the tables of whole numbers that agree with
    the shown counts and the relations (hidden counts at least 1, since zeros are
    shown), its largest value is at least ``threshold`` and it takes more than one
    value. Counts from 1 to ``threshold - 1`` are hidden first. Then, while a hidden
    cell is not protected, the first such cell in the order of ``counts`` gets a
    complement: the smallest shown non-zero count in a relation with it (ties: the
    first in order), else in a relation with a hidden cell linked to it. Zeros are
    never hidden. The result depends only on the arguments.

    Args:
        counts: The true count of every cell; their order breaks ties.
        relations: The linear relations between cells that readers know; each must hold.
        threshold: The smallest count shown.

    Returns:
        The hidden cells.

    Raises:
        InputError: A negative count, a relation on an unknown cell or one that does not
            hold, a threshold below 1, or a table no suppression can protect.

    Example:
        Eight clients, seven in psychiatric rehabilitation, one in drug rehabilitation,
        none in anything else: hiding the 1 alone would give it away (8 - 7 - 0), so the
        7 is hidden with it.

        >>> counts = {"all": 8, "psychiatric": 7, "drug": 1, "elderly": 0}
        >>> sorted(suppress(counts, [Relation.total("all", ["psychiatric", "drug", "elderly"])],
        ...                 threshold=5))
        ['drug', 'psychiatric']
    """
    _validate(counts, relations, threshold)
    table = _Table(counts, relations, threshold)
    todo = [(table.order[k], k) for k in table.hidden]
    heapq.heapify(todo)
    while todo:
        _, cell = heapq.heappop(todo)
        # Hiding more cells only widens every feasible range, so a cell once protected
        # stays protected: each is checked until it is, then never again.
        while not table.protected(cell):
            extra = table.complement(cell)
            if extra is None:
                raise InputError(
                    [
                        Problem(
                            str(cell),
                            "unprotectable_cell",
                            "no complementary suppression can protect this cell",
                        )
                    ],
                    subject="the table of counts",
                )
            table.hidden.add(extra)
            heapq.heappush(todo, (table.order[extra], extra))
    return frozenset(table.hidden)


class _Table(Generic[K]):
    """A table being suppressed: the counts, the relations and the cells hidden so far."""

    def __init__(
        self, counts: Mapping[K, int], relations: Sequence[Relation[K]], threshold: int
    ) -> None:
        self.counts = counts
        self.relations = relations
        self.threshold = threshold
        self.order = {k: i for i, k in enumerate(counts)}
        self.hidden = {k for k in counts if 0 < counts[k] < threshold}
        self.touching: dict[K, list[int]] = {}
        # The values each cell takes in the witnesses found so far. A witness stays a
        # table that agrees with everything published when more cells are hidden (they
        # keep their true counts, at least 1), so it can protect other cells later.
        self.seen: dict[K, set[int]] = {}
        for i, relation in enumerate(relations):
            for k, _ in relation.terms:
                self.touching.setdefault(k, []).append(i)

    def linked(self, cell: K) -> tuple[list[K], list[Relation[K]]]:
        """The hidden cells connected to ``cell`` through relations, and those relations."""
        component = {cell}
        frontier = [cell]
        used: set[int] = set()
        while frontier:
            current = frontier.pop()
            for i in self.touching.get(current, []):
                if i in used:
                    continue
                used.add(i)
                for k, _ in self.relations[i].terms:
                    if k in self.hidden and k not in component:
                        component.add(k)
                        frontier.append(k)
        return sorted(component, key=self.order.__getitem__), [
            self.relations[i] for i in sorted(used)
        ]

    def complement(self, cell: K) -> K | None:
        """The next cell to hide for ``cell``: the smallest shown non-zero count nearby."""
        _, linked = self.linked(cell)
        direct = [r for r in linked if any(k == cell for k, _ in r.terms)]
        for group in (direct, linked):
            candidates = {
                k for r in group for k, _ in r.terms if k not in self.hidden and self.counts[k] > 0
            }
            if candidates:
                return min(candidates, key=lambda k: (self.counts[k], self.order[k]))
        return None

    def protected(self, cell: K) -> bool:
        """Whether witnesses show the cell's feasible range meets the rule.

        A witness with the cell at or above the threshold and above its true count, or
        (for a cell not small) one with the cell below its true count; a witness found
        earlier serves without solving again.
        """
        true = self.counts[cell]
        goals: list[tuple[int, int | None]] = [(max(self.threshold, true + 1), None)]
        if true >= self.threshold:
            goals.append((1, true - 1))
        seen = self.seen.get(cell, set())
        if any(_within(v, goal) for v in seen for goal in goals):
            return True
        variables, relations = self.linked(cell)
        programme = Programme(variables, self.counts, relations)
        return any(self.witness(programme, relations, cell, goal) for goal in goals)

    def witness(
        self,
        programme: Programme[K],
        relations: list[Relation[K]],
        cell: K,
        bounds: tuple[int, int | None],
    ) -> bool:
        """Whether a whole-number table satisfies every relation with ``cell`` in ``bounds``.

        Every hidden cell is at least 1; shown cells keep their counts. The table HiGHS
        finds is checked here in integer arithmetic.
        """
        point = programme.solve(bounds={cell: bounds}).point
        if point is None:
            return False
        values = {k: point.get(k, self.counts[k]) for r in relations for k, _ in r.terms}
        if not (
            all(v >= 1 for v in point.values())
            and _within(point[cell], bounds)
            and all(r.holds(values) for r in relations)
        ):
            return False
        for k, v in point.items():
            self.seen.setdefault(k, set()).add(v)
        return True


def _within(value: int, bounds: tuple[int, int | None]) -> bool:
    at_least, at_most = bounds
    return at_least <= value and (at_most is None or value <= at_most)


def _validate(counts: Mapping[K, int], relations: Sequence[Relation[K]], threshold: int) -> None:
    problems: list[Problem] = []
    if threshold < 1:
        problems.append(
            Problem("threshold", "bad_threshold", f"must be at least 1, got {threshold}")
        )
    problems.extend(
        Problem(str(k), "bad_count", f"must be a whole number of at least 0, got {v!r}")
        for k, v in counts.items()
        if type(v) is not int or v < 0
    )
    for i, relation in enumerate(relations):
        unknown = [k for k, _ in relation.terms if k not in counts]
        if unknown:
            problems.append(
                Problem(f"relations[{i}]", "unknown_cell", f"no such cell: {unknown[0]!s}")
            )
        elif not relation.holds(counts):
            problems.append(
                Problem(f"relations[{i}]", "relation_fails", "the counts do not satisfy it")
            )
    if problems:
        raise InputError(problems, subject="the table of counts")


def _compare(lhs: int, sense: Sense, rhs: int) -> bool:
    if sense == "==":
        return lhs == rhs
    if sense == "<=":
        return lhs <= rhs
    return lhs >= rhs
