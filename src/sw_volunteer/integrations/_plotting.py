"""The figures of ``sw_volunteer.integrations.plotting`` (re-exported there)."""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from sw_volunteer.errors import MissingDependencyError
from sw_volunteer.models import Network, SocialWorker
from sw_volunteer.rules import Report, SessionStatus, Severity
from sw_volunteer.simulation import SimulationResult
from sw_volunteer.vocab import CertificationLevel, Lang, SupervisionKind

try:
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.collections import LineCollection
    from matplotlib.colors import ListedColormap
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Patch
except ImportError as exc:
    raise MissingDependencyError.for_extra("matplotlib", "plot") from exc

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "ComplianceGrid",
    "compliance_grid",
    "plot_compliance_heatmap",
    "plot_fan_chart",
    "plot_supervision_graph",
]

# -- Chinese text -------------------------------------------------------------------

_CJK_PROBE = "社工义工瑞安"
# Families known to carry Chinese glyphs, tried first so that the scan below is short.
_CJK_HINTS = (
    "Noto Sans CJK",
    "Noto Serif CJK",
    "Source Han",
    "WenQuanYi",
    "Droid Sans Fallback",
    "AR PL",
    "SimHei",
    "Microsoft YaHei",
    "PingFang",
    "Hiragino",
    "Heiti",
)


@functools.cache
def _cjk_font() -> FontProperties | None:
    """A font installed here that can draw Chinese, or ``None``.

    Looked up once per process: first among the fonts matplotlib knows (hinted families
    first), then among the system's font files, in case matplotlib's font cache is older
    than a font installed since. A font counts only if its character map holds every
    probe character, so that no glyph is ever missing (matplotlib would warn and draw
    boxes).
    """
    known = sorted(
        font_manager.fontManager.ttflist,
        key=lambda e: (not any(h.lower() in e.name.lower() for h in _CJK_HINTS), e.fname),
    )
    seen: set[str] = set()
    for path in [e.fname for e in known] + sorted(font_manager.findSystemFonts()):
        if path in seen:
            continue
        seen.add(path)
        if _draws_chinese(path):
            return FontProperties(fname=path)
    return None


def _draws_chinese(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    # matplotlib's own last-resort font maps every character to a box.
    if "lastresort" in path.lower():
        return False
    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(c) in charmap for c in _CJK_PROBE)


def _is_ascii(text: str) -> bool:
    return text.isascii()


def _text_style(label: str) -> dict[str, Any]:
    """The ``fontproperties`` a label needs, if any (only non-ASCII labels need one)."""
    font = None if _is_ascii(label) else _cjk_font()
    return {"fontproperties": font} if font is not None else {}


def _name_or_id(name: str, entity_id: str) -> str:
    """``name`` if it can be drawn here, otherwise the id (always ASCII-safe)."""
    if _is_ascii(name) or _cjk_font() is not None:
        return name
    return entity_id


def _sized(font: FontProperties | None, size: float) -> FontProperties | None:
    if font is None:
        return None
    sized = font.copy()
    sized.set_size(size)
    return sized


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


# -- the supervision graph ----------------------------------------------------------

_LEVEL_COLOURS = {
    CertificationLevel.SENIOR: "#3b0f70",
    CertificationLevel.INTERMEDIATE: "#1f5fa8",
    CertificationLevel.ASSISTANT: "#4fa3d9",
    CertificationLevel.NONE: "#b8c7d6",
}
_VOLUNTEER_COLOUR = "#9ccf8a"
_BREACH_COLOUR = "#c62828"
_SHORT_LABEL = 4  # characters a worker's label may take without crowding its neighbours
_OVERLOAD_CODES = {
    "supervisor_overloaded_volunteers": "volunteer",
    "supervisor_overloaded_workers": "worker",
}


def _layout(
    network: Network, edges: Sequence[tuple[str, str, SupervisionKind]]
) -> tuple[dict[str, tuple[float, float]], list[tuple[str, str, float, float]]]:
    """Positions of people, one block per centre; and each centre's name, id and place.

    In a block, social workers who supervise other workers sit on the top row, the
    other workers below them, and volunteers in a grid underneath, grouped by the
    worker who guides them so that edges run mostly straight down.
    """
    supervises_workers = {a for a, _, kind in edges if kind is SupervisionKind.PROFESSIONAL}
    guide_of: dict[str, str] = {}
    for supervisor, supervisee, kind in edges:
        if kind is SupervisionKind.GUIDANCE:
            guide_of.setdefault(supervisee, supervisor)
    positions: dict[str, tuple[float, float]] = {}
    centres: list[tuple[str, str, float, float]] = []
    workers_by_centre: dict[str, list[SocialWorker]] = defaultdict(list)
    for w in network.workers:
        workers_by_centre[w.centre].append(w)
    volunteers_by_centre: dict[str, list[str]] = defaultdict(list)
    for v in network.volunteers:
        volunteers_by_centre[v.centre].append(v.id)
    left = 0.0
    for centre in network.centres:
        workers = sorted(workers_by_centre[centre.id], key=lambda w: (-w.certification.rank, w.id))
        top = [w.id for w in workers if w.id in supervises_workers]
        rest = [w.id for w in workers if w.id not in supervises_workers]
        order = {w: i for i, w in enumerate(top + rest)}
        volunteers = sorted(
            volunteers_by_centre[centre.id],
            key=lambda v: (order.get(guide_of.get(v, ""), len(order)), v),
        )
        columns = max(len(top), len(rest), math.ceil(math.sqrt(2 * len(volunteers))), 1)
        for row, ids in enumerate((top, rest)):
            offset = left + (columns - len(ids)) / 2
            for i, person in enumerate(ids):
                positions[person] = (offset + i, -float(row))
        for i, person in enumerate(volunteers):
            row, column = divmod(i, columns)
            positions[person] = (left + column, -2.5 - row * 0.8)
        centres.append((centre.name, centre.id, left + (columns - 1) / 2, 1.0))
        left += columns + 2.0
    return positions, centres


def plot_supervision_graph(
    network: Network,
    *,
    report: Report | None = None,
    on: date | None = None,
    ax: Axes | None = None,
    lang: Lang = "en",
) -> Axes:
    """Draw who supervises whom, one block per centre, coloured by certification.

    Social workers are squares coloured by their certification level, volunteers are
    green dots; grey lines are volunteer guidance (志愿者指导), dark dashed lines are
    professional supervision (专业督导). With a ``report``, everyone named in a
    violation is ringed in red and labelled, and the edges of supervisors found
    overloaded (``supervisor_overloaded_*``) are drawn in red.

    Args:
        network: The network to draw.
        report: A report of [`check`][sw_volunteer.rules.check] on it, to highlight breaches.
        on: Draw the supervision edges active on this day (default: the report's day,
            or every edge when there is no report).
        ax: Draw here; by default on a new figure sized to the network.
        lang: Language of the legend and title (``"zh"`` needs a Chinese font; without
            one the English labels are used).

    Returns:
        The axes drawn on. Artists carry a ``gid``: ``"people:<level>"`` and
        ``"people:volunteer"`` for the people, ``"edges:guidance"``,
        ``"edges:professional"`` and ``"edges:overloaded"`` for the lines,
        ``"breaches"`` for the red rings.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")  # draw off-screen
        >>> import sw_volunteer as sv
        >>> net = sv.datasets.ruian_2013()
        >>> ax = plot_supervision_graph(net, report=sv.check(net))
        >>> ax.get_title()
        'Supervision graph on 2013-11-19 — 2 errors, 2 warnings, 0 info'
        >>> import io
        >>> ax.figure.savefig(io.BytesIO(), format="png")
        >>> matplotlib.pyplot.close(ax.figure)
    """
    if lang == "zh" and _cjk_font() is None:
        lang = "en"
    day = on if on is not None else (report.on if report is not None else None)
    edges = [
        (s.supervisor, s.supervisee, s.kind)
        for s in network.supervisions
        if day is None or s.is_active_on(day)
    ]
    positions, centres = _layout(network, edges)
    width = max(x for x, _ in positions.values()) + 2 if positions else 4.0
    depth = -min((y for _, y in positions.values()), default=0.0) + 1.2
    ax = _new_axes(ax, (min(max(8.0, width * 0.42), 30.0), max(5.0, depth * 0.75)))

    named = {e for v in report.violations for e in v.entities} if report is not None else set()
    overloaded = (
        {
            (v.entities[0], _OVERLOAD_CODES[v.code])
            for v in report.violations
            if v.code in _OVERLOAD_CODES and v.entities
        }
        if report is not None
        else set()
    )
    worker_ids = {w.id for w in network.workers}
    _draw_edges(ax, edges, positions, overloaded=overloaded, worker_ids=worker_ids, lang=lang)
    breached = sorted(p for p in named if p in positions)
    _draw_people(ax, network, positions, breached, lang)
    _draw_names(ax, network, positions, breached, centres)
    ax.set_xlim(-1.0, width)
    ax.set_ylim(-depth, 2.2)
    ax.set_axis_off()
    title = f"Supervision graph{f' on {day.isoformat()}' if day else ''}"
    if lang == "zh":
        title = f"督导关系图{f'（{day.isoformat()}）' if day else ''}"
    if report is not None:
        title += f" — {report.summary(lang)}"
    ax.set_title(title, **_text_style(title))
    legend = ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=4,
        frameon=False,
        fontsize=8,
        markerscale=0.8,
        prop=_sized(_cjk_font(), 8) if lang == "zh" else None,
    )
    legend.set_gid("legend")
    return ax


def _draw_edges(
    ax: Axes,
    edges: Sequence[tuple[str, str, SupervisionKind]],
    positions: dict[str, tuple[float, float]],
    *,
    overloaded: set[tuple[str, str]],
    worker_ids: set[str],
    lang: Lang,
) -> None:
    def hot(supervisor: str, supervisee: str) -> bool:
        return (supervisor, "worker" if supervisee in worker_ids else "volunteer") in overloaded

    segments: dict[str, list[list[tuple[float, float]]]] = {
        "guidance": [],
        "professional": [],
        "overloaded": [],
    }

    for supervisor, supervisee, kind in edges:
        if supervisor not in positions or supervisee not in positions:
            continue
        line = [positions[supervisor], positions[supervisee]]
        if hot(supervisor, supervisee):
            segments["overloaded"].append(line)
        elif kind is SupervisionKind.PROFESSIONAL:
            segments["professional"].append(line)
        else:
            segments["guidance"].append(line)
    edge_styles = {
        "guidance": {"colors": "#9e9e9e", "linewidths": 0.7, "alpha": 0.6},
        "professional": {"colors": "#263238", "linewidths": 1.1, "linestyles": "dashed"},
        "overloaded": {"colors": _BREACH_COLOUR, "linewidths": 1.6},
    }
    edge_labels = {
        "guidance": SupervisionKind.GUIDANCE.label(lang),
        "professional": SupervisionKind.PROFESSIONAL.label(lang),
        "overloaded": "超负荷督导的连线" if lang == "zh" else "edges of an overloaded supervisor",
    }
    for name, lines in segments.items():
        if lines:
            collection = LineCollection(
                lines, label=edge_labels[name], zorder=1, **edge_styles[name]
            )
            collection.set_gid(f"edges:{name}")
            ax.add_collection(collection)


def _draw_people(
    ax: Axes,
    network: Network,
    positions: dict[str, tuple[float, float]],
    breached: Sequence[str],
    lang: Lang,
) -> None:
    by_level: dict[CertificationLevel, list[str]] = defaultdict(list)
    for w in network.workers:
        by_level[w.certification].append(w.id)
    for level in sorted(by_level, reverse=True):
        xy = np.array([positions[p] for p in by_level[level]])
        points = ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=90,
            marker="s",
            c=_LEVEL_COLOURS[level],
            edgecolors="#263238",
            linewidths=0.6,
            zorder=3,
            label=level.label(lang) if lang == "zh" else f"{level.label(lang)} ({level.value})",
        )
        points.set_gid(f"people:{level.value}")
    if network.volunteers:
        xy = np.array([positions[v.id] for v in network.volunteers])
        points = ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=28,
            c=_VOLUNTEER_COLOUR,
            edgecolors="#33691e",
            linewidths=0.4,
            zorder=3,
            label="志愿者" if lang == "zh" else "volunteer",
        )
        points.set_gid("people:volunteer")
    if breached:
        xy = np.array([positions[p] for p in breached])
        rings = ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=230,
            facecolors="none",
            edgecolors=_BREACH_COLOUR,
            linewidths=1.8,
            zorder=4,
            label="违规涉及的人" if lang == "zh" else "named in a violation",
        )
        rings.set_gid("breaches")


def _draw_names(
    ax: Axes,
    network: Network,
    positions: dict[str, tuple[float, float]],
    breached: Sequence[str],
    centres: Sequence[tuple[str, str, float, float]],
) -> None:
    worker_ids = {w.id for w in network.workers}
    # Long labels (ids standing in for names) alternate between two heights along a
    # row, so that neighbours do not run into each other.
    in_order = sorted(network.workers, key=lambda w: (positions[w.id][1], positions[w.id][0]))
    for i, w in enumerate(in_order):
        x, y = positions[w.id]
        label = _name_or_id(w.name, w.id)
        ax.annotate(
            label,
            (x, y),
            xytext=(0, 7 + 9 * (i % 2) if len(label) > _SHORT_LABEL else 7),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            zorder=5,
            bbox={
                "boxstyle": "round,pad=0.1",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.8,
            },
            **_text_style(label),
        )
    # Neighbours in a row alternate between two label heights so that ids do not run
    # into each other.
    ringed = sorted((p for p in breached if p not in worker_ids), key=lambda p: positions[p])
    for i, person in enumerate(ringed):
        x, y = positions[person]
        ax.annotate(
            person,
            (x, y),
            xytext=(0, -11 - 8 * (i % 2)),
            textcoords="offset points",
            ha="center",
            fontsize=6,
            color=_BREACH_COLOUR,
            zorder=5,
        )
    for name, centre_id, x, y in centres:
        label = _name_or_id(name, centre_id)
        ax.text(
            x, y, label, ha="center", va="bottom", fontsize=10, weight="bold", **_text_style(label)
        )


# -- fan charts ---------------------------------------------------------------------


def plot_fan_chart(
    result: SimulationResult,
    metric: str,
    *,
    centre: str | None = None,
    quantiles: Sequence[float] = (0.05, 0.25, 0.75, 0.95),
    ax: Axes | None = None,
) -> Axes:
    """The median of a metric over weeks, with shaded bands between quantiles.

    The quantiles pair from the outside in: with the default, a light band from the
    5th to the 95th percentile and a darker one from the 25th to the 75th, over
    replications, week by week.

    Args:
        result: A result of [`run`][sw_volunteer.simulation.run].
        metric: Any of ``result.metrics``.
        centre: One centre's values (recorded metrics only); by default all centres.
        quantiles: An even number of levels in (0, 1), each band's low and high ends;
            they pair up in sorted order, outermost first.
        ax: Draw here; by default on a new figure.

    Returns:
        The axes, with one filled band per pair (``gid`` ``"band:<low>-<high>"``) and
        the median line (``gid`` ``"median"``).

    Raises:
        ValueError: The quantiles are not an even number of distinct levels in (0, 1).

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")  # draw off-screen
        >>> from sw_volunteer import simulation as sim
        >>> scenario = sim.Scenario(weeks=8, centres=[sim.CentreStart(id="a", volunteers=12)])
        >>> ax = plot_fan_chart(sim.run(scenario, replications=20, seed=1), "volunteers")
        >>> ax.get_title(), ax.get_xlabel()
        ('volunteers: all centres, 20 replications, seed 1', 'week')
        >>> len(ax.lines), len(ax.collections)  # the median, and two shaded bands
        (1, 2)
        >>> matplotlib.pyplot.close(ax.figure)
    """
    levels = sorted(float(q) for q in quantiles)
    if len(levels) % 2 or len(set(levels)) != len(levels) or not all(0 < q < 1 for q in levels):
        raise ValueError(
            f"quantiles must be an even number of distinct levels in (0, 1), not {list(quantiles)}"
        )
    summary = result.summary(metric, centre=centre, quantiles=(*levels, 0.5))
    ax = _new_axes(ax, (8.0, 4.5))
    weeks = summary.weeks
    pairs = [(levels[i], levels[-1 - i]) for i in range(len(levels) // 2)]
    for depth, (low, high) in enumerate(pairs):
        band = ax.fill_between(
            weeks,
            summary.quantiles[low],
            summary.quantiles[high],
            color="#1f5fa8",
            alpha=0.18 + 0.22 * depth / max(len(pairs) - 1, 1) if len(pairs) > 1 else 0.3,
            linewidth=0,
            label=f"{low:.0%}–{high:.0%}",
        )
        band.set_gid(f"band:{low:g}-{high:g}")
    (median,) = ax.plot(
        weeks, summary.quantiles[0.5], color="#0d2b52", linewidth=1.8, label="median"
    )
    median.set_gid("median")
    ax.set_xlabel("week")
    ax.set_ylabel(metric.replace("_", " "))
    where = f"centre {centre}" if centre is not None else "all centres"
    ax.set_title(
        f"{metric.replace('_', ' ')}: {where}, {result.replications} replications, "
        f"seed {result.seed[0]}"
    )
    ax.set_xlim(float(weeks[0]), float(weeks[-1]) if len(weeks) > 1 else 1.0)
    ax.grid(visible=True, alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    return ax


# -- compliance heatmap -------------------------------------------------------------

Grouping = Literal["weekday", "programme", "activity"]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
NO_SESSION, STAFFED, WARNED, SHORT = 0, 1, 2, 3
_STATUS_LABELS = {
    STAFFED: "every session staffed",
    WARNED: "warnings only",
    SHORT: "a session short of staff (error)",
}
_STATUS_COLOURS = ("#4caf50", "#ffb300", "#c62828")


@dataclass(frozen=True, eq=False)
class ComplianceGrid:
    """Sessions counted by week and column, with the worst staffing verdict in each cell.

    Attributes:
        weeks: The Monday of each week (rows), in order.
        columns: The column keys: weekday names, programme ids or activity ids.
        labels: What to print for each column (names where they can be drawn).
        sessions: Sessions per cell, shape (weeks, columns).
        short: Sessions per cell that break an error-level rule.
        warned: Sessions per cell with warnings but no error.
        status: The worst verdict per cell: 0 no session, 1 every session staffed,
            2 warnings only, 3 at least one session short of staff.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> month = datetime(2013, 11, 4, tzinfo=tz), datetime(2013, 12, 2, tzinfo=tz)
        >>> statuses = sv.rules.check_schedule(sv.datasets.ruian_2013(), *month)
        >>> grid = compliance_grid(statuses)
        >>> grid.columns, [d.isoformat() for d in grid.weeks][:2]
        (('Mon', 'Tue', 'Wed', 'Thu', 'Fri'), ['2013-11-04', '2013-11-11'])
        >>> int(grid.sessions.sum()), int(grid.short.sum()), int(grid.status.max())
        (45, 6, 3)
    """

    weeks: tuple[date, ...]
    columns: tuple[str, ...]
    labels: tuple[str, ...]
    sessions: npt.NDArray[np.int64]
    short: npt.NDArray[np.int64]
    warned: npt.NDArray[np.int64]

    @property
    def status(self) -> npt.NDArray[np.int64]:
        """The worst verdict per cell (see the class attributes)."""
        return np.where(
            self.short > 0,
            SHORT,
            np.where(self.warned > 0, WARNED, np.where(self.sessions > 0, STAFFED, NO_SESSION)),
        ).astype(np.int64)


def compliance_grid(
    statuses: Iterable[SessionStatus], *, network: Network | None = None, by: Grouping = "weekday"
) -> ComplianceGrid:
    """Count the sessions of a schedule check by week and weekday, programme or activity.

    Args:
        statuses: What [`sw_volunteer.rules.check_schedule`][sw_volunteer.rules.check_schedule]
            returns.
        network: The network checked; with it, programme columns are labelled by name.
        by: The columns: ``"weekday"`` (Mon-Sun, the days that have sessions),
            ``"programme"`` or ``"activity"`` (a recurring activity is one column).

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> net = sv.datasets.ruian_2013()
        >>> statuses = sv.rules.check_schedule(
        ...     net, datetime(2013, 11, 18, tzinfo=tz), datetime(2013, 12, 2, tzinfo=tz))
        >>> grid = compliance_grid(statuses)
        >>> grid.sessions.shape, int(grid.sessions.sum()) == len(statuses)
        ((2, 5), True)
    """
    items = list(statuses)

    def key(status: SessionStatus) -> str:
        if by == "weekday":
            return _WEEKDAYS[status.roster.start.weekday()]
        if by == "programme":
            return status.roster.activity.programme
        return status.roster.activity.id

    if by not in ("weekday", "programme", "activity"):
        raise ValueError(f"by must be 'weekday', 'programme' or 'activity', not {by!r}")
    day_of = {id(s): s.roster.start.date() for s in items}
    weeks = sorted({d - timedelta(days=d.weekday()) for d in day_of.values()})
    if by == "weekday":
        columns = [d for d in _WEEKDAYS if any(key(s) == d for s in items)]
        labels = list(columns)
    else:
        columns = sorted({key(s) for s in items})
        names: dict[str, str] = {}
        for s in items:
            activity = s.roster.activity
            names.setdefault(activity.id, activity.name)
        if by == "programme" and network is not None:
            names = {p.id: p.name for p in network.programmes}
        labels = [_name_or_id(names.get(c, c), c) for c in columns]
    row = {w: i for i, w in enumerate(weeks)}
    column = {c: j for j, c in enumerate(columns)}
    shape = (len(weeks), len(columns))
    sessions = np.zeros(shape, dtype=np.int64)
    short = np.zeros(shape, dtype=np.int64)
    warned = np.zeros(shape, dtype=np.int64)
    for s in items:
        d = day_of[id(s)]
        i, j = row[d - timedelta(days=d.weekday())], column[key(s)]
        sessions[i, j] += 1
        if not s.ok:
            short[i, j] += 1
        elif any(v.severity is Severity.WARNING for v in s.violations):
            warned[i, j] += 1
    return ComplianceGrid(
        weeks=tuple(weeks),
        columns=tuple(columns),
        labels=tuple(labels),
        sessions=sessions,
        short=short,
        warned=warned,
    )


def plot_compliance_heatmap(
    statuses: Iterable[SessionStatus] | ComplianceGrid,
    *,
    network: Network | None = None,
    by: Grouping = "weekday",
    ax: Axes | None = None,
) -> Axes:
    """Sessions by week (rows) and weekday, programme or activity, coloured by staffing.

    Each cell shows its worst verdict: green when every session in it is staffed, amber
    when some break only warning-level rules, red when at least one breaks an
    error-level rule (too few adults, no certified worker, ...); grey means no session.
    The text in a cell is ``short/sessions``.

    Built on the per-session checks rather than on simulation results because they
    name real sessions a coordinator can act on; for simulated compliance, draw
    ``share_within_ratio`` with
    [`plot_fan_chart`][sw_volunteer.integrations.plotting.plot_fan_chart].

    Args:
        statuses: What [`sw_volunteer.rules.check_schedule`][sw_volunteer.rules.check_schedule]
            returns, or a grid made by
            [`compliance_grid`][sw_volunteer.integrations.plotting.compliance_grid].
        network: The network checked, to label programmes by name.
        by: The columns, as in
            [`compliance_grid`][sw_volunteer.integrations.plotting.compliance_grid].
        ax: Draw here; by default on a new figure.

    Returns:
        The axes; its image (``ax.images[0]``, ``gid`` ``"compliance"``) holds the
        status of each cell, masked where there is no session.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")  # draw off-screen
        >>> import sw_volunteer as sv
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> month = datetime(2013, 11, 4, tzinfo=tz), datetime(2013, 12, 2, tzinfo=tz)
        >>> statuses = sv.rules.check_schedule(sv.datasets.ruian_2013(), *month)
        >>> ax = plot_compliance_heatmap(statuses)
        >>> ax.get_title()
        'Session staffing: 6 of 45 sessions short (cells: short/sessions)'
        >>> len(ax.images), len(ax.texts)  # one coloured grid, a count in each of 4 x 5 cells
        (1, 20)
        >>> matplotlib.pyplot.close(ax.figure)
    """
    grid = (
        statuses
        if isinstance(statuses, ComplianceGrid)
        else compliance_grid(statuses, network=network, by=by)
    )
    rows, cols = grid.sessions.shape
    ax = _new_axes(ax, (max(7.0, 1.1 * cols + 5.0), max(3.0, 0.45 * rows + 2.0)))
    colours = ListedColormap(_STATUS_COLOURS).with_extremes(bad="#eeeeee")
    values = np.ma.masked_equal(grid.status, NO_SESSION)
    image = ax.imshow(values, cmap=colours, vmin=STAFFED - 0.5, vmax=SHORT + 0.5, aspect="auto")
    image.set_gid("compliance")
    for i in range(rows):
        for j in range(cols):
            if grid.sessions[i, j]:
                ax.text(
                    j,
                    i,
                    f"{grid.short[i, j]}/{grid.sessions[i, j]}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if grid.status[i, j] == SHORT else "black",
                )
    ax.set_xticks(range(cols))
    ax.set_xticklabels(
        grid.labels,
        rotation=30 if by != "weekday" else 0,
        ha="right" if by != "weekday" else "center",
    )
    for tick, label in zip(ax.get_xticklabels(), grid.labels, strict=True):
        style = _text_style(label)
        if style:
            tick.set_fontproperties(style["fontproperties"])
    ax.set_yticks(range(rows))
    ax.set_yticklabels([f"{w:%Y-%m-%d}" for w in grid.weeks])
    ax.set_xlabel({"weekday": "weekday", "programme": "programme", "activity": "activity"}[by])
    ax.set_ylabel("week of")
    ax.set_title(
        f"Session staffing: {int(grid.short.sum())} of {int(grid.sessions.sum())} sessions "
        "short (cells: short/sessions)"
    )
    handles = [
        Patch(facecolor=colour, label=_STATUS_LABELS[status])
        for status, colour in zip((STAFFED, WARNED, SHORT), _STATUS_COLOURS, strict=True)
    ]
    handles.append(Patch(facecolor="#eeeeee", edgecolor="#bdbdbd", label="no session"))
    ax.legend(
        handles=handles,
        loc="center left",
        bbox_to_anchor=(1.01, 0.5),
        frameon=False,
        fontsize=8,
    )
    return ax
