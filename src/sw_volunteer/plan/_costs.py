"""What each change costs: the cheapest fix minimises the sum.

The defaults are an assumption of this project, in "effort units" where moving one
supervisee to a colleague is 1: a guidance or supervision edge for someone who has none
is 1, collecting a guardian's consent 1, a background check 2, insuring a volunteer 3
(a premium and the paperwork), demoting a second primary supervisor or ending an edge 1,
and a hire 30 for an assistant social worker (助理社会工作师), 40 intermediate, 60
senior, 20 uncertified. Every figure is overridable, and a hire can cost differently at
each centre. Costs are rounded to hundredths for the solver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sw_volunteer.vocab import CertificationLevel

__all__ = ["DEFAULT_HIRE", "CostTable"]

DEFAULT_HIRE: Mapping[str, float] = {
    CertificationLevel.NONE.value: 20.0,
    CertificationLevel.ASSISTANT.value: 30.0,
    CertificationLevel.INTERMEDIATE.value: 40.0,
    CertificationLevel.SENIOR.value: 60.0,
}
"""A new social worker of each certification level (effort units)."""


@dataclass(frozen=True)
class CostTable:
    """The cost of each kind of change (see the module notes for the defaults).

    Attributes:
        move: Moving one supervisee to another supervisor.
        add_supervision: A supervision or guidance edge for someone who has none.
        consent: Collecting a guardian's written consent (监护人书面同意).
        background_check: A background check (违法犯罪记录查询).
        insure: Accident insurance (意外保险) for one volunteer.
        demote: Making a second primary supervisor secondary.
        end_supervision: Ending a supervision edge.
        hire: A new social worker, by certification level.
        hire_at: Per centre, a hire's cost by level where it differs from ``hire``.

    Example:
        >>> CostTable().hire_cost("yucai", "assistant")
        30.0
        >>> CostTable(hire_at={"yucai": {"assistant": 25.0}}).hire_cost("yucai", "assistant")
        25.0
    """

    move: float = 1.0
    add_supervision: float = 1.0
    consent: float = 1.0
    background_check: float = 2.0
    insure: float = 3.0
    demote: float = 1.0
    end_supervision: float = 1.0
    hire: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_HIRE))
    hire_at: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def hire_cost(self, centre: str, level: str) -> float:
        """A hire of ``level`` at ``centre``."""
        return self.hire_at.get(centre, {}).get(level, self.hire.get(level, DEFAULT_HIRE[level]))

    def of_field(self, name: str) -> float:
        """The cost of a ``set_field`` action on ``name``."""
        return {
            "guardian_consent_on": self.consent,
            "guardian_consent": self.consent,
            "background_check_on": self.background_check,
            "insurance": self.insure,
            "primary": self.demote,
        }.get(name, self.end_supervision)


def cents(value: float) -> int:
    """A cost in hundredths, for the solver's integer objective."""
    return round(value * 100)
