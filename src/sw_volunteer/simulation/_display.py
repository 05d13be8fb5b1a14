"""The notebook display of a simulation result: a summary table of every metric."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sw_volunteer.simulation._results import SimulationResult

__all__ = ["result_html"]


def _number(value: float) -> str:
    return f"{value:.3g}"


def result_html(result: SimulationResult, *, level: float = 0.95) -> str:
    """An HTML table: each metric's mean over the horizon, its CI and the last week's mean.

    Example:
        >>> from sw_volunteer import simulation as sim
        >>> scenario = sim.Scenario(weeks=4, centres=[sim.CentreStart(id="a", volunteers=9)])
        >>> html = result_html(sim.run(scenario, replications=5, seed=1))
        >>> html.count("<tr>") == 1 + len(sim.METRICS) + len(sim.DERIVED_METRICS)
        True
    """
    heading = (
        f"{result.replications} replications x {result.weeks} weeks, "
        f"{len(result.centre_ids)} centre(s); seed {result.seed[0]}"
    )
    header = (
        "<tr><th>metric</th><th>mean</th>"
        f"<th>{level:.0%} CI of the mean</th><th>last week</th></tr>"
    )
    rows = [header]
    for metric, summary in result.summaries(level=level).items():
        low, high = summary.overall_ci
        rows.append(
            "<tr>"
            f"<td>{escape(metric)}</td>"
            f"<td>{_number(summary.overall_mean)}</td>"
            f"<td>{_number(low)} to {_number(high)}</td>"
            f"<td>{_number(float(summary.mean[-1]))}</td>"
            "</tr>"
        )
    return f"<div><strong>{escape(heading)}</strong><table>{''.join(rows)}</table></div>"
