"""Plans on a solver: the cheapest fix of a network and a fully staffed term.

A check says what is wrong; a plan says what to do. Both use the same rule definitions,
so that a plan, applied, checks clean for the breaches it claims to clear:

- [`cheapest_fix`][sw_volunteer.plan.cheapest_fix]: the least costly set of changes (moves, guidance
  edges, hires, consents, insurance, background checks) that clears every breach it can on a day,
  with the solver's status, the total cost and, for the rest, why not.
- [`staff_term`][sw_volunteer.plan.staff_term]: who comes to each session of a window so that every
  session rule holds, honouring availability, absences and a weekly cap on hours; sessions that
  cannot be staffed come with the smallest relaxation, and the conflicting rules are named (CP-SAT's
  sufficient assumptions for infeasibility).

The solver is OR-Tools' CP-SAT, an optional dependency (``pip install
'sw-volunteer[plan]'``): this package imports without it, and solving raises
[`MissingDependencyError`][sw_volunteer.errors.MissingDependencyError] when it is missing. Results
are deterministic for a given seed and worker count
([`SolverOptions`][sw_volunteer.plan.SolverOptions]).

Example:
    >>> from sw_volunteer import plan
    >>> sorted(plan.FIX_KINDS)[:2]
    ['background_check_for_children', 'every_volunteer_supervised']
"""

from sw_volunteer.plan._costs import DEFAULT_HIRE, CostTable
from sw_volunteer.plan._fix import (
    FixPlan,
    Hire,
    Unfixable,
    actions_by_kind,
    apply_fix,
    cheapest_fix,
)
from sw_volunteer.plan._kinds import FIX_KINDS, NOT_FIXED, TERM_KINDS, RefusedRule
from sw_volunteer.plan._render import (
    fix_to_csv,
    fix_to_dict,
    render_fix,
    render_roster,
    roster_to_csv,
    roster_to_dict,
)
from sw_volunteer.plan._solver import SolverOptions, SolveStatus
from sw_volunteer.plan._term import (
    Assignment,
    Conflict,
    Relaxation,
    Roster,
    Weights,
    apply_roster,
    staff_term,
)

__all__ = [
    "DEFAULT_HIRE",
    "FIX_KINDS",
    "NOT_FIXED",
    "TERM_KINDS",
    "Assignment",
    "Conflict",
    "CostTable",
    "FixPlan",
    "Hire",
    "RefusedRule",
    "Relaxation",
    "Roster",
    "SolveStatus",
    "SolverOptions",
    "Unfixable",
    "Weights",
    "actions_by_kind",
    "apply_fix",
    "apply_roster",
    "cheapest_fix",
    "fix_to_csv",
    "fix_to_dict",
    "render_fix",
    "render_roster",
    "roster_to_csv",
    "roster_to_dict",
    "staff_term",
]
