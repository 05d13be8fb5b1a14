"""Pictures of networks, simulations and sessions, drawn with matplotlib.

Needs the ``plot`` extra (``pip install 'sw-volunteer[plot]'``); importing this module
without it raises :class:`~sw_volunteer.errors.MissingDependencyError`.

Each function draws on the ``ax`` it is given, or on a new figure that is not attached
to pyplot (so nothing global changes and no display is needed), and returns the axes.
People are labelled by id only, never by name.

- :func:`plot_supervision`: the supervision graph, one column per centre, social
  workers placed by certification level above the volunteers they guide, the people and
  edges involved in breaches highlighted;
- :func:`plot_fan_chart`: a simulated metric over the weeks, its median and quantile
  bands;
- :func:`plot_compliance_heatmap`: the share of each activity's sessions that keep
  every error-level rule, week by week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Literal

import numpy as np

from sw_volunteer.errors import MissingDependencyError
from sw_volunteer.models import Network, SocialWorker, Volunteer
from sw_volunteer.rules import Report, SessionStatus, Severity, Violation
from sw_volunteer.simulation import SimulationResult
from sw_volunteer.vocab import CertificationLevel

try:
    from matplotlib.axes import Axes
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
except ImportError as exc:
    raise MissingDependencyError.for_extra("matplotlib", "plot") from exc

__all__ = [
    "BREACH_COLOUR",
    "LEVEL_COLOURS",
    "plot_compliance_heatmap",
    "plot_fan_chart",
    "plot_supervision",
]

LEVEL_COLOURS: dict[CertificationLevel, str] = {
    CertificationLevel.NONE: "#bdbdbd",
    CertificationLevel.ASSISTANT: "#9ecae1",
    CertificationLevel.INTERMEDIATE: "#3182bd",
    CertificationLevel.SENIOR: "#08519c",
}
"""The fill colour of a social worker of each certification level."""

VOLUNTEER_COLOUR = "#a1d99b"
BREACH_COLOUR = "#d62728"
"""The colour of the outline of people, and of edges, involved in a breach."""

_LEVEL_ROWS = {
    CertificationLevel.SENIOR: 4.0,
    CertificationLevel.INTERMEDIATE: 3.0,
    CertificationLevel.ASSISTANT: 2.0,
    CertificationLevel.NONE: 1.0,
}
_VOLUNTEER_ROW = 0.0


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    figure = Figure(figsize=size, layout="constrained")
    return figure.add_subplot()


def _breached(violations: Iterable[Violation]) -> set[str]:
    return {entity for v in violations for entity in v.entities}


def plot_supervision(
    network: Network,
    *,
    report: Report | None = None,
    on: date | None = None,
    labels: Literal["id", "name"] = "id",
    ax: Axes | None = None,
) -> Axes:
    """Draw the supervision graph: centres side by side, breaches highlighted.

    Each centre gets a column. Its social workers sit on rows by certification level
    (senior on top) and its volunteers on the bottom row; an arrow-less line joins a
    supervisor to each supervisee, solid for professional supervision and dotted for
    guidance. People and supervision edges named by a violation of ``report`` are
    outlined in :data:`BREACH_COLOUR`.

    Args:
        network: The network.
        report: A report from :func:`sw_volunteer.check`; its violations are
            highlighted.
        on: Draw only supervision that holds on this day (default: the document's
            ``as_of`` date, or every edge that has not ended).
        labels: Label each centre's column with its ``"id"`` or its ``"name"``. Ids
            are the default because matplotlib's default fonts have no Chinese glyphs;
            choose names once a CJK font is configured (``rcParams["font.family"]``).
            Either way the title is the document's title only with names.
        ax: Axes to draw on; by default a new figure's.

    Returns:
        The axes. The people are in two scatter collections labelled
        ``"social workers"`` and ``"volunteers"`` (in network order), the edges in one
        line collection labelled ``"supervision"``.

    Example:
        >>> import sw_volunteer as sv
        >>> net = sv.datasets.ruian_2013()
        >>> ax = plot_supervision(net, report=sv.check(net))
        >>> [t.get_text() for t in ax.texts]
        ['liqun', 'huaxia', 'yucai']
    """
    ax = _axes(ax, (11, 5))
    day = on if on is not None else network.info.as_of
    flagged = _breached(report.violations) if report is not None else set()
    position: dict[str, tuple[float, float]] = {}
    for column, centre in enumerate(network.centres):
        rows: dict[float, list[str]] = defaultdict(list)
        for worker in network.workers:
            if worker.centre == centre.id:
                rows[_LEVEL_ROWS[worker.certification]].append(worker.id)
        rows[_VOLUNTEER_ROW] = [v.id for v in network.volunteers if v.centre == centre.id]
        for y, ids in rows.items():
            for i, person in enumerate(ids):
                # Spread a row across 80% of the column, centred on it.
                x = column + (0.0 if len(ids) == 1 else 0.8 * (i / (len(ids) - 1) - 0.5))
                position[person] = (x, y)
        label = centre.name if labels == "name" else centre.id
        ax.text(column, 4.6, label, ha="center", va="bottom", fontsize=9)
    edges, edge_colours, edge_styles = [], [], []
    for supervision in network.supervisions:
        current = supervision.is_active_on(day) if day is not None else supervision.end is None
        if not current or supervision.supervisor not in position:
            continue
        if supervision.supervisee not in position:
            continue
        edges.append([position[supervision.supervisor], position[supervision.supervisee]])
        hit = supervision.id in flagged or supervision.supervisor in flagged
        edge_colours.append(BREACH_COLOUR if hit else "#969696")
        edge_styles.append("solid" if supervision.kind.value == "professional" else "dotted")
    lines = LineCollection(
        edges, colors=edge_colours, linestyles=edge_styles, linewidths=0.8, zorder=1
    )
    lines.set_label("supervision")
    ax.add_collection(lines)
    groups: tuple[tuple[str, Sequence[SocialWorker | Volunteer], str | None], ...] = (
        ("social workers", network.workers, None),
        ("volunteers", network.volunteers, VOLUNTEER_COLOUR),
    )
    for label, people, fill in groups:
        placed = [p for p in people if p.id in position]
        if not placed:
            continue
        xy = np.array([position[p.id] for p in placed], dtype=float)
        fills = [
            LEVEL_COLOURS[p.certification] if isinstance(p, SocialWorker) else VOLUNTEER_COLOUR
            for p in placed
        ]
        outlines = [BREACH_COLOUR if p.id in flagged else "white" for p in placed]
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=90 if fill is None else 30,
            c=fills,
            edgecolors=outlines,
            linewidths=1.5,
            zorder=2,
            label=label,
        )
    ax.set_xlim(-0.6, max(len(network.centres), 1) - 0.4)
    ax.set_ylim(-0.6, 5.2)
    levels = sorted(_LEVEL_ROWS, key=_LEVEL_ROWS.__getitem__)
    ax.set_yticks(
        [_VOLUNTEER_ROW, *(_LEVEL_ROWS[level] for level in levels)],
        ["volunteers", *(level.label("en") for level in levels)],
    )
    ax.set_xticks([])
    title = network.info.title if labels == "name" and network.info.title else "supervision"
    ax.set_title(title)
    return ax


def plot_fan_chart(
    result: SimulationResult,
    metric: str,
    *,
    centre: str | None = None,
    quantiles: Sequence[tuple[float, float]] = ((0.05, 0.95), (0.25, 0.75)),
    ax: Axes | None = None,
) -> Axes:
    """Draw a simulated metric over the weeks: the median and quantile bands.

    Args:
        result: A simulation result.
        metric: One of ``result.metrics``.
        centre: One centre's series instead of the sum over centres.
        quantiles: The bands, widest first, as (lower, upper) quantiles.
        ax: Axes to draw on; by default a new figure's.

    Returns:
        The axes: one line labelled ``"median"`` and one filled band per pair of
        quantiles, labelled like ``"5%-95%"``.

    Example:
        >>> from sw_volunteer import simulation as sim
        >>> scenario = sim.Scenario(weeks=10, centres=[sim.CentreStart(id="a", volunteers=20)])
        >>> ax = plot_fan_chart(sim.run(scenario, replications=30, seed=1), "volunteers")
        >>> [line.get_label() for line in ax.lines]
        ['median']
    """
    ax = _axes(ax, (7, 4))
    series = np.asarray(result.series(metric, centre=centre), dtype=float)
    weeks = np.arange(1, series.shape[1] + 1)
    for k, (low, high) in enumerate(quantiles):
        lower, upper = np.quantile(series, [low, high], axis=0)
        ax.fill_between(
            weeks,
            lower,
            upper,
            color="#3182bd",
            alpha=0.2 + 0.2 * k,
            linewidth=0,
            label=f"{low:.0%}-{high:.0%}",
        )
    ax.plot(weeks, np.median(series, axis=0), color="#08519c", linewidth=2, label="median")
    ax.set_xlabel("week")
    ax.set_ylabel(metric.replace("_", " "))
    scope = f" ({centre})" if centre is not None else ""
    ax.set_title(f"{metric.replace('_', ' ')}{scope}: {result.replications} replications")
    ax.legend(loc="best", fontsize=8)
    return ax


def plot_compliance_heatmap(
    statuses: Sequence[SessionStatus],
    *,
    severity: Severity = Severity.ERROR,
    ax: Axes | None = None,
) -> Axes:
    """Draw the share of each activity's sessions that keep the rules, week by week.

    Rows are activities, columns are weeks (starting on Mondays); a cell's colour is
    the share of that week's sessions of that activity with no violation at or above
    ``severity``; weeks without a session are left blank.

    Args:
        statuses: Session statuses, as from :func:`sw_volunteer.rules.check_schedule`.
        severity: The lowest severity that counts as a breach.
        ax: Axes to draw on; by default a new figure's.

    Returns:
        The axes, with one image whose array is the grid of shares (masked where a
        week has no session), activity ids as row labels and each week's Monday as
        column labels.
    """
    ax = _axes(ax, (9, 3))
    rank = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
    kept: dict[tuple[str, date], list[bool]] = defaultdict(list)
    for status in statuses:
        start = status.roster.start.date()
        monday = start - timedelta(days=start.weekday())
        ok = all(rank[Severity(v.severity)] < rank[severity] for v in status.violations)
        kept[(status.roster.activity.id, monday)].append(ok)
    activities = sorted({a for a, _ in kept})
    mondays = sorted({m for _, m in kept})
    grid = np.full((len(activities), len(mondays)), np.nan)
    for (activity, monday), oks in kept.items():
        grid[activities.index(activity), mondays.index(monday)] = sum(oks) / len(oks)
    image = ax.imshow(np.ma.masked_invalid(grid), vmin=0.0, vmax=1.0, cmap="RdYlGn", aspect="auto")
    ax.set_yticks(range(len(activities)), activities)
    ax.set_xticks(range(len(mondays)), [m.isoformat() for m in mondays], rotation=45, ha="right")
    ax.set_title(f"share of sessions with no {severity.value}-level violation, by week")
    ax.figure.colorbar(image, ax=ax, label="share of sessions")
    return ax
