"""Age bands: the coarse ages used by redaction and by aggregate exports."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sw_volunteer.errors import InputError, Problem
from sw_volunteer.models import age_on

__all__ = ["DEFAULT_AGE_BANDS", "AgeBands"]

DEFAULT_AGE_BANDS: tuple[int, ...] = (0, 14, 18, 30, 45, 60)
"""Lower bounds of the default bands: children, minors, young adults, adults, older."""


@dataclass(frozen=True, slots=True)
class AgeBands:
    """Half-open age bands given by their lower bounds; the last band is open-ended.

    Args:
        bounds: Strictly increasing lower bounds, the first of them 0.

    Example:
        >>> bands = AgeBands((0, 14, 18, 60))
        >>> bands.labels
        ('0-13', '14-17', '18-59', '60+')
        >>> bands.label_of(17), bands.label_of(18), bands.label_of(75)
        ('14-17', '18-59', '60+')
    """

    bounds: tuple[int, ...] = DEFAULT_AGE_BANDS

    def __post_init__(self) -> None:
        bounds = tuple(self.bounds)
        problems: list[Problem] = []
        if not bounds or bounds[0] != 0:
            problems.append(Problem("age_bands", "bad_age_bands", "the first band must start at 0"))
        if any(b <= a for a, b in itertools.pairwise(bounds)):
            problems.append(
                Problem("age_bands", "bad_age_bands", "band bounds must be strictly increasing")
            )
        if problems:
            raise InputError(problems, subject="the age bands")
        object.__setattr__(self, "bounds", bounds)

    @classmethod
    def of(cls, bands: AgeBands | Sequence[int]) -> AgeBands:
        """``bands`` as ``AgeBands`` (a sequence gives the lower bounds)."""
        return bands if isinstance(bands, AgeBands) else cls(tuple(bands))

    @property
    def labels(self) -> tuple[str, ...]:
        """The label of every band, youngest first."""
        return tuple(self._label(i) for i in range(len(self.bounds)))

    def index_of(self, age: int) -> int:
        """The position of the band that holds ``age`` (negative ages: the first band)."""
        index = 0
        for i, lower in enumerate(self.bounds):
            if age >= lower:
                index = i
        return index

    def label_of(self, age: int) -> str:
        """The label of the band that holds ``age``."""
        return self._label(self.index_of(age))

    def label_on(self, birth_date: date | None, day: date) -> str:
        """The band label on ``day`` of someone born on ``birth_date`` (``"unknown"``)."""
        return "unknown" if birth_date is None else self.label_of(age_on(birth_date, day))

    def representative_age(self, index: int) -> int:
        """The age that stands for band ``index``: its middle, or its start if open-ended."""
        lower = self.bounds[index]
        if index + 1 == len(self.bounds):
            return lower
        return (lower + self.bounds[index + 1] - 1) // 2

    def _label(self, index: int) -> str:
        lower = self.bounds[index]
        if index + 1 == len(self.bounds):
            return f"{lower}+"
        return f"{lower}-{self.bounds[index + 1] - 1}"
