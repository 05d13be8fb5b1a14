"""The integer programme of a published table of counts, solved with SciPy's HiGHS.

Suppression and the audit ask the same question of a table: over the tables of whole
numbers that agree with the shown counts and the relations between cells (hidden counts
at least 1, since zeros are shown), can a hidden cell take some value, and what are its
smallest and largest values? Both build the programme here, from the hidden cells (the
variables), the shown counts and the relations, and solve it with
``scipy.optimize.milp`` (HiGHS's branch and bound, every variable integral). SciPy
is imported on the first solve, not with the package.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from sw_volunteer.privacy._suppression import Relation

__all__ = ["Programme", "Solution"]

K = TypeVar("K", bound=Hashable)

Status = Literal["solved", "infeasible", "unbounded"]
"""``unbounded`` also stands for HiGHS's "infeasible or unbounded": callers ask for an
optimum only of a programme they know to be feasible."""

_STATUS: dict[int, Status] = {0: "solved", 2: "infeasible", 3: "unbounded", 4: "unbounded"}
"""The answers of ``scipy.optimize.milp`` by its status (1, a limit, is none)."""


@dataclass(frozen=True, slots=True)
class Solution(Generic[K]):
    """What HiGHS found.

    Attributes:
        status: ``"solved"``, ``"infeasible"`` or ``"unbounded"``.
        point: The value of every variable, rounded to whole numbers (``None`` unless
            solved).
    """

    status: Status
    point: Mapping[K, int] | None = None


class Programme(Generic[K]):
    """Hidden cells as integer variables of at least 1, under the relations of a table.

    Args:
        variables: The hidden cells.
        shown: The count of every other cell a relation names (hidden cells may be
            ``None``).
        relations: The relations; those naming no variable are left out.

    Raises:
        ValueError: A relation names a hidden cell that is not a variable.

    Example:
        >>> from sw_volunteer.privacy import Relation
        >>> total = [Relation.total("all", ["a", "b", "c"])]
        >>> programme = Programme(["a", "b"], {"all": 8, "a": None, "b": None, "c": 0}, total)
        >>> programme.solve(maximise="b").point
        {'a': 1, 'b': 7}
        >>> programme.solve(bounds={"a": (8, None)}).status
        'infeasible'
    """

    def __init__(
        self,
        variables: Sequence[K],
        shown: Mapping[K, int | None],
        relations: Iterable[Relation[K]],
    ) -> None:
        self.variables = tuple(variables)
        self.index = {k: i for i, k in enumerate(self.variables)}
        # One row per relation: lower <= row . x <= upper.
        self.rows: list[list[float]] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        for relation in relations:
            if not any(k in self.index for k, _ in relation.terms):
                continue
            row = [0.0] * len(self.variables)
            rhs = float(relation.rhs)
            for k, a in relation.terms:
                if k in self.index:
                    row[self.index[k]] += a
                else:
                    count = shown[k]
                    if count is None:
                        raise ValueError(f"{k!s} is hidden but not a variable")
                    rhs -= a * count
            self.rows.append(row)
            self.lower.append(-math.inf if relation.sense == "<=" else rhs)
            self.upper.append(math.inf if relation.sense == ">=" else rhs)

    def solve(
        self,
        *,
        minimise: K | None = None,
        maximise: K | None = None,
        bounds: Mapping[K, tuple[int, int | None]] | None = None,
    ) -> Solution[K]:
        """A whole-number point, the one that minimises or maximises a variable if asked.

        Args:
            minimise: The variable to minimise.
            maximise: The variable to maximise (not with ``minimise``).
            bounds: Bounds other than ``(1, None)`` (at least 1, no upper bound).

        Returns:
            The solution.

        Raises:
            RuntimeError: HiGHS stopped without an answer.
        """
        from scipy.optimize import Bounds, LinearConstraint, milp

        n = len(self.variables)
        low, high = [1.0] * n, [math.inf] * n
        for k, (at_least, at_most) in (bounds or {}).items():
            low[self.index[k]] = float(at_least)
            high[self.index[k]] = math.inf if at_most is None else float(at_most)
        if any(a > b for a, b in zip(low, high, strict=True)):
            return Solution("infeasible")
        cost = [0.0] * n
        if minimise is not None:
            cost[self.index[minimise]] = 1.0
        if maximise is not None:
            cost[self.index[maximise]] = -1.0
        result = milp(
            cost,
            integrality=[1] * n,
            bounds=Bounds(low, high),
            constraints=LinearConstraint(self.rows, self.lower, self.upper) if self.rows else None,
            # An optimum must be exact, not within HiGHS's default gap of 0.01%.
            options={"mip_rel_gap": 0.0} if minimise is not None or maximise is not None else {},
        )
        status = _STATUS.get(result.status)
        if status is None:
            raise RuntimeError(f"HiGHS stopped without an answer: {result.message}")
        if status != "solved":
            return Solution(status)
        point = {k: round(float(v)) for k, v in zip(self.variables, result.x, strict=True)}
        return Solution(status, point)
