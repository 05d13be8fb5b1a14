"""Simulations on a real two-worker Dask cluster give the serial results bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("distributed")

import os

from distributed import Client

from sw_volunteer import datasets
from sw_volunteer import simulation as sim
from sw_volunteer.integrations.dask import WORKER_ENVIRONMENT, executor_from_client, local_cluster


@pytest.fixture(scope="module")
def client():
    with (
        local_cluster(n_workers=2, dashboard_address=":0") as cluster,
        Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def executor(client):
    return executor_from_client(client)


def _worker_environment() -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in WORKER_ENVIRONMENT}


def test_local_cluster_workers_start_with_the_allocator_settings(client):
    # Set before each worker process started (Dask's default would be 65536), and
    # one thread per worker.
    seen = client.run(_worker_environment)
    assert len(seen) == 2
    assert all(env == dict(WORKER_ENVIRONMENT) for env in seen.values())
    assert set(client.nthreads().values()) == {1}


@pytest.fixture(scope="module")
def scenario():
    return sim.Scenario.from_network(datasets.ruian_2013(), weeks=12)


def _identical(a, b):
    return all(np.array_equal(a[m], b[m]) and a[m].dtype == b[m].dtype for m in a.arrays)


def test_run_on_the_cluster_equals_the_serial_run(executor, scenario):
    serial = sim.run(scenario, replications=48, seed=2013)
    distributed_run = sim.run(
        scenario, replications=48, seed=2013, executor=executor, chunk_size=10
    )
    assert _identical(serial, distributed_run)
    assert distributed_run.seed == serial.seed


def test_sweep_on_the_cluster_equals_the_serial_sweep(executor, scenario):
    grid = {"no_show": [0.1, 0.3]}
    serial = sim.sweep(scenario, grid, replications=16, seed=9)
    on_cluster = sim.sweep(scenario, grid, replications=16, seed=9, executor=executor, chunk_size=5)
    assert all(_identical(a, b) for a, b in zip(serial.results, on_cluster.results, strict=True))


def test_the_planner_policy_on_the_cluster_equals_the_serial_run(executor, scenario):
    pytest.importorskip("ortools")
    planner = scenario.with_values({"policy": "planner"})
    serial = sim.run(planner, replications=12, seed=2013)
    on_cluster = sim.run(planner, replications=12, seed=2013, executor=executor, chunk_size=4)
    assert _identical(serial, on_cluster)
    assert on_cluster.policy == serial.policy == "planner"
    even = sim.run(scenario, replications=12, seed=2013)  # the policy did run on the workers
    within = "sessions_within_ratio"
    assert (on_cluster[within] >= even[within]).all()
    assert (on_cluster[within] > even[within]).any()


def test_only_a_client_makes_an_executor():
    with pytest.raises(TypeError, match=r"distributed\.Client"):
        executor_from_client(object())
