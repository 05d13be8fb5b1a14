"""Simulation results as pandas DataFrames (re-exported by ``pandas``)."""

from __future__ import annotations

from typing import Any

from sw_volunteer.errors import MissingDependencyError
from sw_volunteer.simulation import METRICS, SimulationResult, SweepResult

try:
    import numpy as np
    import pandas as pd
except ImportError as exc:
    raise MissingDependencyError.for_extra("pandas", "pandas") from exc

__all__ = ["results_to_frame", "sweep_to_frame"]


def results_to_frame(result: SimulationResult) -> pd.DataFrame:
    """A long DataFrame: one row per replication, week and centre; one column per metric.

    Example:
        >>> from sw_volunteer import simulation as sim
        >>> scenario = sim.Scenario(weeks=4, centres=[
        ...     sim.CentreStart(id="a", volunteers=10), sim.CentreStart(id="b")])
        >>> frame = results_to_frame(sim.run(scenario, replications=3, seed=1))
        >>> frame.shape[0], list(frame.columns[:4])
        (24, ['replication', 'week', 'centre', 'workers'])
    """
    reps, weeks, centres = result.replications, result.weeks, len(result.centre_ids)
    columns: dict[str, Any] = {
        "replication": np.repeat(np.arange(reps), weeks * centres),
        "week": np.tile(np.repeat(np.arange(weeks), centres), reps),
        "centre": pd.Categorical(
            np.tile(np.array(result.centre_ids, dtype=object), reps * weeks),
            categories=list(result.centre_ids),
        ),
    }
    for metric in METRICS:
        columns[metric] = np.asarray(result[metric]).reshape(-1)
    return pd.DataFrame(columns)


def sweep_to_frame(sweep: SweepResult, *, level: float = 0.95) -> pd.DataFrame:
    """One row per grid point and metric: the point's values, the mean and its CI.

    The mean and interval are over the whole horizon (see
    [`MetricSummary`][sw_volunteer.simulation.MetricSummary]).

    Example:
        >>> from sw_volunteer import simulation as sim
        >>> scenario = sim.Scenario(weeks=4, centres=[sim.CentreStart(id="a", volunteers=10)])
        >>> sweep = sim.sweep(scenario, {"no_show": [0.0, 0.5]}, replications=5, seed=1)
        >>> frame = sweep_to_frame(sweep)
        >>> list(frame.columns)
        ['no_show', 'metric', 'mean', 'ci_low', 'ci_high']
        >>> frame[frame.metric == "volunteers"].shape[0]
        2
    """
    rows: list[dict[str, Any]] = []
    for point, result in sweep:
        for metric in result.metrics:
            summary = result.summary(metric, level=level)
            rows.append(
                {
                    **point,
                    "metric": metric,
                    "mean": summary.overall_mean,
                    "ci_low": summary.overall_ci[0],
                    "ci_high": summary.overall_ci[1],
                }
            )
    return pd.DataFrame(rows)
