"""What a user reads of a result: the seed, bounded intervals, short reprs."""

from __future__ import annotations

import math
import statistics
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sw_volunteer import simulation as sim

REPLICATIONS = 20


@pytest.fixture(scope="module")
def result() -> sim.SimulationResult:
    scenario = sim.Scenario(
        weeks=6,
        centres=[sim.CentreStart(id="a", workers=sim.WorkerCounts(assistant=2), volunteers=12)],
    )
    return sim.run(scenario, replications=REPLICATIONS, seed=2013)


def _with_sessions(result: sim.SimulationResult, held: int, within: np.ndarray):
    """The result with ``held`` sessions a week and ``within[r]`` of them within limits."""
    arrays = dict(result.arrays)
    shape = arrays["sessions"].shape
    arrays["sessions"] = np.full(shape, held, dtype=arrays["sessions"].dtype)
    arrays["sessions_within_ratio"] = np.broadcast_to(within.reshape(-1, 1, 1), shape).astype(
        arrays["sessions_within_ratio"].dtype
    )
    return replace(result, arrays=arrays, _cache={})


def test_the_seed_prints_as_the_seed_given(result):
    assert str(result.seed) == "2013"
    assert repr(result.seed) == "SeedRecord(entropy=2013, spawn_key=())"
    entropy, spawn_key = result.seed
    assert (entropy, spawn_key) == (2013, ())
    assert "2013" in repr(result)


def test_the_seed_reproduces_the_run(result):
    again = sim.run(result.scenario, replications=REPLICATIONS, seed=result.seed.sequence())
    for metric in sim.METRICS:
        np.testing.assert_array_equal(again[metric], result[metric])


def test_a_saved_result_keeps_its_readable_seed(result, tmp_path):
    loaded = sim.SimulationResult.load(result.save(tmp_path / "r.npz"))
    assert str(loaded.seed) == "2013"
    assert isinstance(loaded.seed, sim.SeedRecord)


def test_a_rare_share_over_twenty_replications_has_an_interval_within_0_and_1(result):
    within = np.zeros(REPLICATIONS, dtype=int)
    within[:2] = 5  # two replications in twenty hold half their ten sessions within limits
    summary = _with_sessions(result, 10, within).summary("share_within_ratio")
    shares = [w / 10 for w in within]
    mean = statistics.fmean(shares)
    half = statistics.NormalDist().inv_cdf(0.975) * statistics.stdev(shares) / math.sqrt(20)
    assert mean - half < 0  # the plain normal interval would cross 0 ...
    assert summary.overall_mean == pytest.approx(mean)
    assert summary.overall_ci == (0.0, pytest.approx(mean + half))  # ... the share's does not
    assert "CI 0 to" in str(summary)
    assert "-" not in str(summary).split("CI")[1]
    assert np.all(summary.ci_low >= 0)
    assert np.all(summary.ci_high <= 1)


def test_a_share_near_one_stays_at_or_below_one(result):
    within = np.full(REPLICATIONS, 10, dtype=int)
    within[0] = 2
    summary = _with_sessions(result, 10, within).summary("share_within_ratio")
    assert summary.overall_ci[1] == 1.0
    assert 0 < summary.overall_ci[0] < summary.overall_mean < 1
    assert np.all(summary.ci_high <= 1)


@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(2, 12), st.integers(1, 4)),
        elements=st.floats(0, 1) | st.just(math.nan),
    ),
    st.sampled_from([0.5, 0.9, 0.95, 0.99]),
)
def test_every_share_interval_lies_within_0_and_1(values, level):
    from sw_volunteer.simulation._results import _summarise

    s = _summarise("share_within_ratio", values, level, ())
    low, high = s.overall_ci
    assert math.isnan(low) or 0 <= low <= high <= 1
    finite = ~np.isnan(s.ci_low)
    assert np.all((s.ci_low[finite] >= 0) & (s.ci_high[finite] <= 1))


def test_count_intervals_do_not_go_below_zero(result):
    for metric in ("volunteers", "clients_waiting", "supervision_breaches", "leverage"):
        summary = result.summary(metric)
        assert math.isnan(summary.overall_ci[0]) or summary.overall_ci[0] >= 0
        assert np.all(summary.ci_low[~np.isnan(summary.ci_low)] >= 0)


def test_a_metric_summary_repr_is_one_short_line_without_arrays():
    scenario = sim.Scenario(weeks=520, centres=[sim.CentreStart(id="a", volunteers=5)])
    summary = sim.run(scenario, replications=3, seed=1).summary("volunteers")
    text = repr(summary)
    assert "array" not in text
    assert "\n" not in text
    assert len(text) < 160
    assert "weeks=520" in text
    assert "replications=3" in text
    assert f"{summary.overall_mean:.4g}" in text
