"""Typed results: per-week arrays, summaries with confidence intervals, save and load.

What the compliance metrics mean, in terms of [`sw_volunteer.check`][sw_volunteer.rules.check]
--------------------------------------------------------------------------

The simulation counts the rules of the scenario's pack in force on its start day at or
above its severity floor ([`from_pack`][sw_volunteer.simulation.StaffingLimits.from_pack]):
the same rules whose violations make a check fail (floor ``"error"``) or warn
(``"warning"``). Per week, replication and centre it records:

- ``volunteer_guidance_breach`` (0 or 1): the centre has volunteers beyond what its
  qualified guides may guide. Week 0 of a scenario built by
  [`from_network`][sw_volunteer.simulation.Scenario.from_network] on a day, with every random
  process off, is 1 exactly where the check on that day reports, at or above the floor,
  ``supervisor_overloaded_volunteers`` for a guide of the centre (entities: guide,
  centre), ``volunteer_unsupervised`` for the centre's volunteers (entities: centre,
  volunteers...), or ``supervisor_underqualified`` from a rule on guidance for a guide
  of the centre (entities: guide, volunteers...). Volunteers of the centre guided by
  another centre's social workers take no place of the centre's own; the places they
  take belong to the guide's centre, which the check blames for an overload.
- ``worker_supervision_breach`` (0 or 1): the same for social workers' supervision:
  ``supervisor_overloaded_workers`` and ``supervisor_underqualified`` from a rule on
  professional supervision, for a supervisor of the centre. No rule requires a social
  worker to have a supervisor, so workers without one are no breach; a worker
  supervised by another centre's (or an external) supervisor takes the places of that
  supervisor's centre.
- ``supervision_breaches``: the two added up over the centres.

[`CHECK_CODES`][sw_volunteer.simulation.CHECK_CODES] lists these codes. People outside a qualified
supervisor's span on the start day are not moved by the simulator: a centre with any breaches in
every week, as nothing random changes it (apply the check's remedies to the network first to
simulate the repaired centre). In later weeks each centre keeps the start day's shares
of volunteers guided from outside and unguided (and of workers supervised in the
centre); recruits and hires are guided by the centre's workers of the qualified level
(years of practice are judged on the start day only), each up to the span.

The session metrics (``sessions_within_ratio``, ``sessions_short_of_adults``) apply the
rules ``adults_present``, ``client_adult_ratio`` and
``max_volunteers_on_shift_per_worker`` with the check's definitions (an adult is a
social worker, or a trained volunteer not known to be under the pack's ``adult_age``,
counted with its weight; a certified worker holds any level) to the sessions the model
holds each week, not to the network's listed activities: they have no week-0
counterpart in a check.
"""

from __future__ import annotations

import html
import io
import json
import math
import os
import statistics
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from sw_volunteer._files import write_atomically
from sw_volunteer._version import __version__
from sw_volunteer.errors import DocumentError, Problem, SimulationError
from sw_volunteer.simulation._engine import METRICS
from sw_volunteer.simulation._policy import POLICY_LABELS
from sw_volunteer.simulation._random import SeedRecord
from sw_volunteer.simulation._scenario import Scenario
from sw_volunteer.vocab import Lang

__all__ = [
    "CHECK_CODES",
    "DERIVED_METRICS",
    "MetricSummary",
    "SimulationResult",
    "SweepResult",
]

FloatArray = npt.NDArray[np.float64]

CHECK_CODES: Mapping[str, tuple[str, ...]] = {
    "volunteer_guidance_breach": (
        "supervisor_overloaded_volunteers",
        "volunteer_unsupervised",
        "supervisor_underqualified",
    ),
    "worker_supervision_breach": ("supervisor_overloaded_workers", "supervisor_underqualified"),
}
"""Span metric -> the violation codes of ``sw_volunteer.check`` it measures.

``supervisor_underqualified`` belongs to the metric of the kind of supervision its
rule is about. See the module's documentation for which centre a violation belongs to.
"""

DERIVED_METRICS: tuple[str, ...] = (
    "share_within_ratio",
    "supervision_breaches",
    "leverage",
)
"""Metrics computed from the recorded ones, per week and replication (over all centres).

- ``share_within_ratio``: sessions within every limit / sessions held (NaN: none held).
- ``supervision_breaches``: centres breaching a supervision span (volunteer guidance
  and worker supervision counted separately).
- ``leverage``: service hours (social workers' and volunteers' hours in sessions) per
  social-worker hour in sessions (NaN: no social-worker hours): the "1+1>2".
"""

_TABLE_METRICS: tuple[str, ...] = (
    "workers",
    "certified_workers",
    "volunteers",
    "clients",
    "clients_waiting",
    "sessions",
    "share_within_ratio",
    "supervision_breaches",
    "leverage",
    "volunteer_hours",
    "client_hours_unserved",
)
"""The metrics a result's notebook table shows, in order."""

_SWEEP_TABLE_METRICS: tuple[str, ...] = (
    "volunteers",
    "share_within_ratio",
    "supervision_breaches",
    "clients_waiting",
)
"""The metrics a sweep's notebook table shows for each grid point."""

_FORMAT = "sw-volunteer-simulation"
_FORMAT_VERSION = 1
_META_KEY = "__meta__"


@dataclass(frozen=True, eq=False)
class MetricSummary:
    """A metric summarised over replications, week by week and over the horizon.

    Attributes:
        metric: The metric's name.
        weeks: Week numbers (0 is the first simulated week).
        mean: Mean over replications, per week (NaN where no replication has a value).
        ci_low: Lower end of the confidence interval of the mean, per week.
        ci_high: Upper end, per week.
        quantiles: Quantile level -> per-week quantile over replications.
        level: Confidence level of the intervals.
        replications: Replications summarised.
        overall_mean: Mean over weeks and replications.
        overall_ci: Confidence interval of ``overall_mean``, from the per-replication
            means over the horizon (independent across replications).

    The intervals are normal-approximation intervals of the mean (mean ± z·s/√n over
    the replications), cut to the values the metric can take: a share
    (``share_within_ratio``) stays within [0, 1] and every other metric (counts, hours,
    ``leverage``) at or above 0. With few replications near a bound the normal interval
    would otherwise cross it (``-0.0174 to 0.117`` for a share of 0.05 over 20
    replications); the cut end then reads as the bound itself. The repr shows the
    overall figures and the shape, not the per-week arrays.

    Example:
        >>> import numpy as np
        >>> shares = np.zeros((20, 4))
        >>> shares[:2] = 0.5  # two replications in twenty held half their sessions
        >>> s = _summarise("share_within_ratio", shares, 0.95, ())
        >>> print(s)
        share_within_ratio: 0.05 (95% CI 0 to 0.1174; 20 replications)
        >>> s
        MetricSummary('share_within_ratio', weeks=4, replications=20, overall_mean=0.05,
                      overall_ci=(0, 0.1174), level=0.95)
        >>> bool(s.ci_low.min() >= 0)
        True
    """

    metric: str
    weeks: npt.NDArray[np.int64]
    mean: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    quantiles: Mapping[float, FloatArray]
    level: float
    replications: int
    overall_mean: float
    overall_ci: tuple[float, float]

    def __str__(self) -> str:
        low, high = self.overall_ci
        return (
            f"{self.metric}: {self.overall_mean:.4g} "
            f"({self.level:.0%} CI {low:.4g} to {high:.4g}; {self.replications} replications)"
        )

    def __repr__(self) -> str:
        low, high = self.overall_ci
        return (
            f"MetricSummary({self.metric!r}, weeks={self.weeks.size}, "
            f"replications={self.replications}, overall_mean={self.overall_mean:.4g}, "
            f"overall_ci=({low:.4g}, {high:.4g}), level={self.level:g})"
        )


_SHARE_METRICS: frozenset[str] = frozenset({"share_within_ratio"})
"""Metrics that are shares: their values, means and intervals lie within [0, 1]."""


def _bounds(metric: str) -> tuple[float, float]:
    """The values ``metric`` can take: [0, 1] for a share, [0, inf) for the others."""
    return (0.0, 1.0) if metric in _SHARE_METRICS else (0.0, math.inf)


def _summarise(
    metric: str, values: FloatArray, level: float, quantiles: Sequence[float]
) -> MetricSummary:
    """Summarise ``values`` of shape (replications, weeks), ignoring NaN."""
    if not 0 < level < 1:
        raise SimulationError(f"level must be between 0 and 1, not {level}")
    z = statistics.NormalDist().inv_cdf((1 + level) / 2)
    present = ~np.isnan(values)
    count = present.sum(axis=0)
    filled = np.where(present, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / count
        centred = np.where(present, values - mean, 0.0)
        var = (centred**2).sum(axis=0) / (count - 1)
        half = z * np.sqrt(var / count)
    mean = np.where(count > 0, mean, np.nan)
    half = np.where(count > 1, half, np.nan)
    qs: dict[float, FloatArray] = {}
    for q in quantiles:
        column = np.full(values.shape[1], np.nan)
        for week in np.flatnonzero(count):
            column[week] = float(np.quantile(values[present[:, week], week], q))
        qs[float(q)] = column
    per_rep_count = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_rep = np.where(present, values, 0.0).sum(axis=1) / per_rep_count
    per_rep = per_rep[per_rep_count > 0]
    if per_rep.size:
        overall = float(per_rep.mean())
        spread = (
            z * float(per_rep.std(ddof=1)) / np.sqrt(per_rep.size) if per_rep.size > 1 else np.nan
        )
    else:
        overall, spread = float("nan"), float("nan")
    lowest, highest = _bounds(metric)
    return MetricSummary(
        metric=metric,
        weeks=np.arange(values.shape[1]),
        mean=mean,
        ci_low=np.clip(mean - half, lowest, highest),
        ci_high=np.clip(mean + half, lowest, highest),
        quantiles=qs,
        level=level,
        replications=values.shape[0],
        overall_mean=overall,
        overall_ci=(
            float(np.clip(overall - spread, lowest, highest)),
            float(np.clip(overall + spread, lowest, highest)),
        ),
    )


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """What [`run`][sw_volunteer.simulation.run] returns.

    Attributes:
        scenario: The scenario simulated.
        seed: ``(entropy, spawn_key)`` of the root SeedSequence; replication ``i`` used
            its ``i``-th child. It prints as the seed to pass again (``2013``); running
            the scenario again with ``seed=result.seed.sequence()`` reproduces it.
        replications: How many replications.
        arrays: Metric -> array of shape (replications, weeks, centres); see
            [`METRICS`][sw_volunteer.simulation.METRICS].
        version: The sw_volunteer version that produced it.

    Example:
        >>> from sw_volunteer import simulation as sim
        >>> scenario = sim.Scenario(weeks=6, centres=[sim.CentreStart(id="a", volunteers=12)])
        >>> result = sim.run(scenario, replications=10, seed=2013)
        >>> result
        SimulationResult(weeks=6, centres=1, replications=10, seed=2013, policy='even')
        >>> result.policy, result.policy_label("zh")
        ('even', '均衡分配')
        >>> result["volunteers"].shape, result.series("volunteers").shape
        ((10, 6, 1), (10, 6))
    """

    scenario: Scenario
    seed: SeedRecord
    replications: int
    arrays: Mapping[str, npt.NDArray[np.generic]]
    version: str = __version__
    _cache: dict[str, FloatArray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def weeks(self) -> int:
        """The horizon in weeks."""
        return self.scenario.weeks

    @property
    def centre_ids(self) -> tuple[str, ...]:
        """The centres, in the order of the last axis of the arrays."""
        return self.scenario.centre_ids

    @property
    def policy(self) -> str:
        """Which policy put the people on the sessions: ``"even"`` or ``"planner"``.

        The scenario's [`policy`][sw_volunteer.simulation.Scenario]; saved with the result.
        """
        return self.scenario.policy

    def policy_label(self, lang: Lang = "en") -> str:
        """The policy in words, in English or (``lang="zh"``) Chinese."""
        english, chinese = POLICY_LABELS[self.policy]
        return chinese if lang == "zh" else english

    @property
    def metrics(self) -> tuple[str, ...]:
        """Every metric ``series`` and ``summary`` accept."""
        return (*METRICS, *DERIVED_METRICS)

    def __getitem__(self, metric: str) -> npt.NDArray[np.generic]:
        """The (replications, weeks, centres) array of a recorded metric."""
        try:
            return self.arrays[metric]
        except KeyError:
            raise KeyError(f"no metric {metric!r}; recorded: {', '.join(self.arrays)}") from None

    def series(self, metric: str, *, centre: str | None = None) -> FloatArray:
        """A metric per replication and week, shape (replications, weeks).

        Recorded metrics are summed over centres unless ``centre`` picks one; derived
        metrics ([`DERIVED_METRICS`][sw_volunteer.simulation.DERIVED_METRICS]) are over all centres.
        """
        if metric in DERIVED_METRICS:
            if centre is not None:
                raise SimulationError(f"{metric} is over all centres; do not pass a centre")
            if metric not in self._cache:
                self._cache[metric] = self._derived(metric)
            cached: FloatArray = self._cache[metric]
            return cached
        values = self[metric]
        if centre is None:
            return np.asarray(values.sum(axis=-1, dtype=np.float64), dtype=np.float64)
        try:
            index = self.centre_ids.index(centre)
        except ValueError:
            raise SimulationError(f"no centre {centre!r} in the scenario") from None
        return values[..., index].astype(np.float64)

    def _derived(self, metric: str) -> FloatArray:
        with np.errstate(invalid="ignore", divide="ignore"):
            if metric == "share_within_ratio":
                return self.series("sessions_within_ratio") / self.series("sessions")
            if metric == "supervision_breaches":
                return self.series("volunteer_guidance_breach") + self.series(
                    "worker_supervision_breach"
                )
            worker = self.series("worker_hours")
            service = worker + self.series("volunteer_hours")
            return np.where(worker > 0, service / np.where(worker > 0, worker, 1.0), np.nan)

    def summary(
        self,
        metric: str,
        *,
        centre: str | None = None,
        level: float = 0.95,
        quantiles: Sequence[float] = (0.05, 0.5, 0.95),
    ) -> MetricSummary:
        """Mean, confidence interval and quantiles of a metric, per week and overall."""
        return _summarise(metric, self.series(metric, centre=centre), level, quantiles)

    def summaries(self, *, level: float = 0.95) -> dict[str, MetricSummary]:
        """A summary of every metric over all centres."""
        return {m: self.summary(m, level=level) for m in self.metrics}

    def __repr__(self) -> str:
        return (
            f"SimulationResult(weeks={self.weeks}, centres={len(self.centre_ids)}, "
            f"replications={self.replications}, seed={self.seed[0]!r}, policy={self.policy!r})"
        )

    def _repr_html_(self) -> str:
        """A table for notebooks: the main metrics' means over the horizon, with CIs.

        Each row shows the mean over weeks and replications with its 95% interval,
        and the mean in the first and in the last week (over all centres).
        """
        rows = []
        for metric in _TABLE_METRICS:
            s = self.summary(metric, quantiles=())
            rows.append(
                "<tr>"
                f"<td>{html.escape(metric.replace('_', ' '))}</td>"
                f"<td>{_number(s.overall_mean)}</td>"
                f"<td>{_interval(s.overall_ci)}</td>"
                f"<td>{_number(float(s.mean[0]))}</td>"
                f"<td>{_number(float(s.mean[-1]))}</td>"
                "</tr>"
            )
        centres = html.escape(", ".join(self.centre_ids))
        head = (
            f"Simulation: {self.weeks} weeks, {len(self.centre_ids)} centres ({centres}), "
            f"{self.replications} replications, seed {html.escape(repr(self.seed[0]))}, "
            f"sessions staffed by {html.escape(self.policy_label())}"
        )
        return (
            f"<div class='sw-volunteer-simulation'><p><strong>{head}</strong></p>"
            "<table><thead><tr><th>metric (all centres)</th><th>mean</th><th>95% CI</th>"
            f"<th>week 0</th><th>week {self.weeks - 1}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )

    # -- files ---------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the result to ``path`` (an ``.npz`` file: arrays and JSON metadata).

        The file is written as documents are ([`sw_volunteer.io.dump`][sw_volunteer.io.dump]): whole
        or not at all, nothing left behind by an interrupted save, a new file readable by its owner
        only, an existing file keeping its mode, a symlink written through.

        Example:
            >>> import stat, tempfile
            >>> from pathlib import Path
            >>> from sw_volunteer import simulation as sim
            >>> scenario = sim.Scenario(weeks=2, centres=[sim.CentreStart(id="a")])
            >>> result = sim.run(scenario, replications=2, seed=1)
            >>> folder = Path(tempfile.mkdtemp())
            >>> oct(stat.S_IMODE(result.save(folder / "run.npz").stat().st_mode))
            '0o600'
            >>> sim.SimulationResult.load(folder / "run.npz").seed == result.seed
            True
        """
        target = Path(path)
        meta = {
            "format": _FORMAT,
            "format_version": _FORMAT_VERSION,
            "version": self.version,
            "replications": self.replications,
            "policy": self.policy,
            "seed": {"entropy": self.seed[0], "spawn_key": list(self.seed[1])},
            "scenario": self.scenario.model_dump(mode="json"),
        }
        payload: dict[str, Any] = {name: np.asarray(a) for name, a in self.arrays.items()}
        payload[_META_KEY] = np.array(json.dumps(meta, ensure_ascii=False))
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **payload)
        write_atomically(target, buffer.getvalue())
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SimulationResult:
        """Read a result written by [`save`][sw_volunteer.simulation.SimulationResult.save].

        Raises:
            DocumentError: The file cannot be read or is not a saved simulation.
        """
        where = str(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError, zipfile.BadZipFile) as exc:
            raise DocumentError(
                [Problem(where, "unreadable", f"not a saved simulation: {exc}")]
            ) from None
        raw = arrays.pop(_META_KEY, None)
        try:
            meta = json.loads(str(raw)) if raw is not None else {}
        except json.JSONDecodeError:
            meta = {}
        if meta.get("format") != _FORMAT:
            raise DocumentError(
                [Problem(where, "not_a_simulation", "the file holds no simulation metadata")]
            )
        if meta.get("format_version") != _FORMAT_VERSION:
            raise DocumentError(
                [
                    Problem(
                        where,
                        "unsupported_version",
                        f"format version {meta.get('format_version')!r}; this release reads "
                        f"{_FORMAT_VERSION}",
                    )
                ]
            )
        missing = [m for m in METRICS if m not in arrays]
        if missing:
            raise DocumentError(
                [Problem(where, "missing_metric", f"no array for {', '.join(missing)}")]
            )
        entropy = meta["seed"]["entropy"]
        return cls(
            scenario=Scenario.model_validate(meta["scenario"]),
            seed=SeedRecord(
                entropy if isinstance(entropy, int) else tuple(entropy),
                tuple(meta["seed"]["spawn_key"]),
            ),
            replications=int(meta["replications"]),
            arrays=arrays,
            version=str(meta["version"]),
        )


@dataclass(frozen=True, eq=False)
class SweepResult:
    """What [`sweep`][sw_volunteer.simulation.sweep] returns: one result per grid point.

    Attributes:
        grid: Parameter path -> the values swept, in the order given.
        points: Each point of the grid: path -> value.
        results: The result at each point, in the same order.

    Example:
        >>> from sw_volunteer import simulation as sim
        >>> scenario = sim.Scenario(weeks=4, centres=[sim.CentreStart(id="a", volunteers=10)])
        >>> results = sim.sweep(scenario, {"no_show": [0.0, 0.5]}, replications=5, seed=1)
        >>> len(results), [point["no_show"] for point, _ in results]
        (2, [0.0, 0.5])
        >>> [round(s.overall_mean, 3) for _, s in results.summary("volunteers")][0] > 0
        True
    """

    grid: Mapping[str, tuple[Any, ...]]
    points: tuple[Mapping[str, Any], ...]
    results: tuple[SimulationResult, ...]

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[tuple[Mapping[str, Any], SimulationResult]]:
        return iter(zip(self.points, self.results, strict=True))

    def summary(
        self, metric: str, *, level: float = 0.95
    ) -> list[tuple[Mapping[str, Any], MetricSummary]]:
        """The summary of ``metric`` at every point."""
        return [(p, r.summary(metric, level=level)) for p, r in self]

    def _repr_html_(self) -> str:
        """A table for notebooks: one row per grid point, the main metrics with CIs."""
        params = list(self.grid)
        head = "".join(f"<th>{html.escape(p)}</th>" for p in params) + "".join(
            f"<th>{html.escape(m.replace('_', ' '))}<br><small>mean [95% CI]</small></th>"
            for m in _SWEEP_TABLE_METRICS
        )
        rows = []
        for point, result in self:
            cells = "".join(f"<td>{html.escape(str(point[p]))}</td>" for p in params)
            for metric in _SWEEP_TABLE_METRICS:
                s = result.summary(metric, quantiles=())
                cells += f"<td>{_number(s.overall_mean)} {_interval(s.overall_ci)}</td>"
            rows.append(f"<tr>{cells}</tr>")
        replications = {r.replications for r in self.results}
        title = (
            f"Sweep: {len(self)} points over {', '.join(params) or 'no parameter'}; "
            f"{', '.join(str(n) for n in sorted(replications))} replications each"
        )
        return (
            f"<div class='sw-volunteer-sweep'><p><strong>{html.escape(title)}</strong></p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )


def _number(value: float) -> str:
    """A figure for a table: four significant digits, a dash for "no value" (NaN)."""
    return "—" if math.isnan(value) else html.escape(f"{value:.4g}")


def _interval(bounds: tuple[float, float]) -> str:
    low, high = bounds
    if math.isnan(low) or math.isnan(high):
        return "—"
    return html.escape(f"[{low:.4g}, {high:.4g}]")
