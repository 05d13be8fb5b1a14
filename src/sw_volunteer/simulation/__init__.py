"""Monte Carlo staffing simulation: scenarios, a vectorised engine, runs and sweeps.

Example:
    >>> from sw_volunteer import simulation as sim
    >>> scenario = sim.Scenario(weeks=12, centres=[sim.CentreStart(
    ...     id="liqun", workers=sim.WorkerCounts(assistant=5, intermediate=1),
    ...     volunteers=20, recruitment_per_week=0.2, clients=30, places=30,
    ...     need="psychiatric_rehabilitation")])
    >>> result = sim.run(scenario, replications=50, seed=2013)
    >>> print(result.seed)
    2013
    >>> 0 <= result.summary("share_within_ratio").overall_mean <= 1
    True
"""

from sw_volunteer.simulation._engine import COUNT_METRICS, HOUR_METRICS, METRICS
from sw_volunteer.simulation._limits import (
    RatioLimit,
    SeverityFloor,
    StaffingLimits,
    counted_rules,
    rules_in_force,
)
from sw_volunteer.simulation._policy import POLICIES, POLICY_LABELS, Policy
from sw_volunteer.simulation._random import SeedRecord
from sw_volunteer.simulation._results import (
    CHECK_CODES,
    DERIVED_METRICS,
    MetricSummary,
    SimulationResult,
    SweepResult,
)
from sw_volunteer.simulation._runner import DEFAULT_CHUNK_SIZE, Progress, run, sweep
from sw_volunteer.simulation._scenario import (
    VOLUNTEER_RATES,
    AddedPlaces,
    CentreStart,
    FundedPosts,
    Intervention,
    RecruitmentCampaign,
    Scenario,
    SupervisorLoad,
    WorkerCounts,
    expected_weeks_on_roster,
)

__all__ = [
    "CHECK_CODES",
    "COUNT_METRICS",
    "DEFAULT_CHUNK_SIZE",
    "DERIVED_METRICS",
    "HOUR_METRICS",
    "METRICS",
    "POLICIES",
    "POLICY_LABELS",
    "VOLUNTEER_RATES",
    "AddedPlaces",
    "CentreStart",
    "FundedPosts",
    "Intervention",
    "MetricSummary",
    "Policy",
    "Progress",
    "RatioLimit",
    "RecruitmentCampaign",
    "Scenario",
    "SeedRecord",
    "SeverityFloor",
    "SimulationResult",
    "StaffingLimits",
    "SupervisorLoad",
    "SweepResult",
    "WorkerCounts",
    "counted_rules",
    "expected_weeks_on_roster",
    "rules_in_force",
    "run",
    "sweep",
]
