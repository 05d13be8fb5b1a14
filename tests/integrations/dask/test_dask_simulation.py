"""Simulations on a real two-worker Dask cluster give the serial results bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("distributed")

from distributed import Client, LocalCluster

from sw_volunteer import datasets
from sw_volunteer import simulation as sim
from sw_volunteer.integrations.dask import executor_from_client


@pytest.fixture(scope="module")
def executor():
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield executor_from_client(client)


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


def test_only_a_client_makes_an_executor():
    with pytest.raises(TypeError, match=r"distributed\.Client"):
        executor_from_client(object())
