"""Typed results: summaries, derived metrics, files and frames."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sw_volunteer import simulation as sim
from sw_volunteer.errors import DocumentError, SimulationError
from sw_volunteer.integrations.pandas import results_to_frame, sweep_to_frame


@pytest.fixture(scope="module")
def result() -> sim.SimulationResult:
    scenario = sim.Scenario(
        weeks=10,
        centres=[
            sim.CentreStart(
                id="liqun",
                workers=sim.WorkerCounts(assistant=5, intermediate=1),
                volunteers=20,
                recruitment_per_week=0.3,
                clients=30,
                need="psychiatric_rehabilitation",
            ),
            sim.CentreStart(id="yucai", workers=sim.WorkerCounts(assistant=4), volunteers=78),
        ],
    )
    return sim.run(scenario, replications=40, seed=7)


def test_arrays_have_one_row_per_replication_week_and_centre(result):
    assert set(result.arrays) == set(sim.METRICS)
    for metric in sim.METRICS:
        assert result[metric].shape == (40, 10, 2)
    assert result.centre_ids == ("liqun", "yucai")
    with pytest.raises(KeyError, match="no metric 'nope'"):
        result["nope"]


def test_totals_are_sums_over_centres_and_a_centre_can_be_picked(result):
    assert np.array_equal(result.series("volunteers"), result["volunteers"].sum(axis=-1))
    assert np.array_equal(result.series("volunteers", centre="yucai"), result["volunteers"][..., 1])
    with pytest.raises(SimulationError, match="no centre 'x'"):
        result.series("volunteers", centre="x")


def test_derived_metrics_follow_their_definitions(result):
    share = result.series("share_within_ratio")
    assert np.allclose(share, result["sessions_within_ratio"].sum(-1) / result["sessions"].sum(-1))
    worker = result["worker_hours"].sum(-1)
    assert np.allclose(
        result.series("leverage"), (worker + result["volunteer_hours"].sum(-1)) / worker
    )
    breaches = result.series("supervision_breaches")
    assert ((breaches >= 0) & (breaches <= 4)).all()


def test_summary_mean_interval_and_quantiles_are_consistent(result):
    summary = result.summary("volunteers", level=0.9, quantiles=(0.1, 0.5, 0.9))
    values = result.series("volunteers")
    assert np.allclose(summary.mean, values.mean(axis=0))
    half = (summary.ci_high - summary.ci_low) / 2
    z = 1.6448536269514722
    assert np.allclose(half, z * values.std(axis=0, ddof=1) / math.sqrt(40))
    assert (summary.quantiles[0.1] <= summary.quantiles[0.5]).all()
    assert (summary.quantiles[0.5] <= summary.quantiles[0.9]).all()
    low, high = summary.overall_ci
    assert low <= summary.overall_mean <= high
    assert "volunteers:" in str(summary)
    with pytest.raises(SimulationError, match="level"):
        result.summary("volunteers", level=1.5)


def test_summary_ignores_weeks_without_sessions():
    scenario = sim.Scenario(weeks=3, centres=[sim.CentreStart(id="a", sessions_per_week=0)])
    summary = sim.run(scenario, replications=3, seed=1).summary("share_within_ratio")
    assert np.isnan(summary.mean).all()
    assert math.isnan(summary.overall_mean)


def test_save_and_load_give_the_same_result(result, tmp_path):
    path = result.save(tmp_path / "run.npz")
    loaded = sim.SimulationResult.load(path)
    assert loaded.scenario == result.scenario
    assert loaded.seed == result.seed == (7, ())
    assert loaded.replications == 40
    for metric in sim.METRICS:
        assert loaded[metric].dtype == result[metric].dtype
        assert np.array_equal(loaded[metric], result[metric])
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]  # no temporary left


def test_save_replaces_a_file_whole(result, tmp_path):
    path = tmp_path / "run.npz"
    path.write_bytes(b"old")
    result.save(path)
    assert sim.SimulationResult.load(path).replications == 40


def test_loading_something_else_names_the_file(tmp_path):
    bad = tmp_path / "notes.npz"
    bad.write_text("not a zip")
    with pytest.raises(DocumentError, match=r"notes\.npz"):
        sim.SimulationResult.load(bad)
    other = tmp_path / "other.npz"
    np.savez(other, x=np.arange(3))
    with pytest.raises(DocumentError, match="no simulation metadata"):
        sim.SimulationResult.load(other)


def test_to_frame_has_one_row_per_replication_week_and_centre(result):
    frame = results_to_frame(result)
    assert len(frame) == 40 * 10 * 2
    assert list(frame.columns[:3]) == ["replication", "week", "centre"]
    yucai = frame[(frame.centre == "yucai") & (frame.replication == 3)]
    assert yucai["volunteers"].tolist() == result["volunteers"][3, :, 1].tolist()


def test_sweep_gives_one_result_per_point_in_grid_order(result):
    sweep = sim.sweep(
        result.scenario,
        {"no_show": [0.0, 0.5], "centres.yucai.volunteers": [10, 20, 30]},
        replications=4,
        seed=1,
    )
    assert len(sweep) == 6
    assert [dict(p) for p in sweep.points][:3] == [
        {"no_show": 0.0, "centres.yucai.volunteers": v} for v in (10, 20, 30)
    ]
    for point, run in sweep:
        assert run.scenario.no_show == point["no_show"]
    frame = sweep_to_frame(sweep)
    assert set(frame.columns) >= {"no_show", "centres.yucai.volunteers", "metric", "mean"}
    assert len(frame) == 6 * len(result.metrics)


def test_a_bad_grid_is_refused_with_every_problem():
    scenario = sim.Scenario(centres=[sim.CentreStart(id="a")])
    with pytest.raises(SimulationError, match="at least one"):
        sim.sweep(scenario, {}, replications=2, seed=1)
    with pytest.raises(SimulationError) as info:
        sim.sweep(scenario, {"no_show": [0.1, 2.0], "nope": [1]}, replications=2, seed=1)
    assert "nope" in str(info.value)
