"""Same seed, same results: across chunk sizes, executors and run lengths."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from sw_volunteer import datasets
from sw_volunteer import simulation as sim
from sw_volunteer.errors import SimulationError
from sw_volunteer.simulation._engine import pack_counts


@pytest.fixture(scope="module")
def scenario() -> sim.Scenario:
    return sim.Scenario.from_network(
        datasets.ruian_2013(),
        weeks=20,
        interventions=[sim.RecruitmentCampaign(week=4, extra_per_week=3.0, centre="liqun")],
    )


@pytest.fixture(scope="module")
def serial(scenario) -> sim.SimulationResult:
    return sim.run(scenario, replications=60, seed=2013)


def _identical(a: sim.SimulationResult, b: sim.SimulationResult) -> bool:
    return a.arrays.keys() == b.arrays.keys() and all(
        a[m].dtype == b[m].dtype and np.array_equal(a[m], b[m]) for m in a.arrays
    )


@pytest.mark.parametrize("chunk_size", [1, 7, 59, 60, 1000])
def test_chunking_does_not_change_any_number(scenario, serial, chunk_size):
    assert _identical(serial, sim.run(scenario, replications=60, seed=2013, chunk_size=chunk_size))


def test_a_thread_pool_and_a_process_pool_give_the_serial_result(scenario, serial):
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert _identical(
            serial, sim.run(scenario, replications=60, seed=2013, executor=pool, chunk_size=13)
        )
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert _identical(
            serial, sim.run(scenario, replications=60, seed=2013, executor=pool, chunk_size=25)
        )


def test_the_first_replications_do_not_depend_on_how_many_follow(scenario, serial):
    short = sim.run(scenario, replications=10, seed=2013)
    assert all(np.array_equal(short[m], serial[m][:10]) for m in serial.arrays)


def test_different_seeds_give_different_results(scenario, serial):
    other = sim.run(scenario, replications=60, seed=2014)
    assert not np.array_equal(other["volunteers"], serial["volunteers"])
    # ... and the replications of one run differ from each other.
    finals = serial["volunteers"][:, -1].sum(axis=-1)
    assert np.unique(finals).size > 1


def test_the_recorded_seed_reproduces_a_run_without_a_seed(scenario):
    first = sim.run(scenario, replications=5)
    entropy, spawn_key = first.seed
    again = sim.run(
        scenario,
        replications=5,
        seed=np.random.SeedSequence(entropy, spawn_key=spawn_key),
    )
    assert _identical(first, again)


def test_sweep_points_use_common_random_numbers(scenario):
    result = sim.sweep(scenario, {"no_show": [0.1, 0.1]}, replications=8, seed=3, chunk_size=3)
    a, b = result.results
    assert _identical(a, b)
    alone = sim.run(scenario.with_values({"no_show": 0.1}), replications=8, seed=3)
    assert _identical(a, alone)


def test_progress_reports_every_chunk_up_to_the_total(scenario):
    calls: list[tuple[int, int]] = []
    sim.run(
        scenario, replications=25, seed=1, chunk_size=10, progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(0, 25), (10, 25), (20, 25), (25, 25)]
    calls.clear()
    with ThreadPoolExecutor(max_workers=2) as pool:
        sim.run(
            scenario,
            replications=25,
            seed=1,
            chunk_size=10,
            executor=pool,
            progress=lambda d, t: calls.append((d, t)),
        )
    assert calls[0] == (0, 25)
    assert calls[-1] == (25, 25)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"replications": 0}, "replications must be a positive int"),
        ({"replications": 5, "chunk_size": 0}, "chunk_size must be a positive int"),
    ],
)
def test_bad_run_arguments_are_named(scenario, kwargs, message):
    with pytest.raises(SimulationError, match=message):
        sim.run(scenario, **kwargs)


@given(
    counts=arrays(
        np.int32,
        array_shapes(min_dims=3, max_dims=3, max_side=4),
        elements=st.integers(-(2**31), 2**31 - 1) | st.integers(0, 300) | st.just(0),
    )
)
def test_counts_packed_for_the_way_back_from_a_worker_are_unchanged(counts):
    # What a worker sends is narrowed to the smallest type that holds the chunk; the
    # arrays assembled from it must be the recorded int32 counts, value for value.
    packed = pack_counts({"workers": counts})["workers"]
    assert packed.nbytes <= counts.nbytes
    restored = np.concatenate([packed], axis=0, dtype=np.int32)
    assert np.array_equal(restored, counts)
