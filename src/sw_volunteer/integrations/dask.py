"""Run simulations on a Dask cluster through the standard Executor interface.

Needs the ``dask`` extra (``pip install -e '.[dask]'``); importing this module
without it raises [`MissingDependencyError`][sw_volunteer.errors.MissingDependencyError].

[`sw_volunteer.simulation.run`][sw_volunteer.simulation.run] and
[`sweep`][sw_volunteer.simulation.sweep] take any ``concurrent.futures.Executor``; this module turns
a ``distributed.Client`` into one. Results are bit-identical to a serial run, because every
replication draws from its own stream whatever worker runs it::

    from distributed import Client
    from sw_volunteer import simulation as sim
    from sw_volunteer.integrations.dask import executor_from_client, local_cluster

    with local_cluster(n_workers=2) as cluster, Client(cluster) as client:
        result = sim.run(scenario, replications=10_000, seed=7,
                         executor=executor_from_client(client))

Speed: a worker needs a core of its own (two workers on two cores already busy with
other work are no faster than one process), and its process must start with the
allocator settings of [`WORKER_ENVIRONMENT`][sw_volunteer.integrations.dask.WORKER_ENVIRONMENT].
Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which hands freed memory back to
the system at once; the simulator frees and allocates arrays of a few hundred kilobytes every
simulated week, so each of them comes back as fresh pages and the worker runs at about half
speed. [`local_cluster`][sw_volunteer.integrations.dask.local_cluster] starts workers with the right
settings; for other clusters, set the variables where the workers start (``dask worker``, a job
script) or in the ``distributed.nanny.pre-spawn-environ`` configuration.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import Executor
from typing import Any

from sw_volunteer.errors import MissingDependencyError

try:
    import dask
    import distributed
except ImportError as exc:
    raise MissingDependencyError.for_extra("distributed", "dask") from exc

__all__ = ["WORKER_ENVIRONMENT", "executor_from_client", "local_cluster"]

WORKER_ENVIRONMENT: Mapping[str, str] = {
    "MALLOC_TRIM_THRESHOLD_": str(128 * 1024 * 1024),
    "MALLOC_MMAP_THRESHOLD_": str(32 * 1024 * 1024),
}
"""Environment a simulation worker process should start with (glibc's allocator).

Freed memory is kept for reuse up to 128 MiB instead of being returned at once, and
arrays up to 32 MiB come from that reusable memory instead of fresh pages. A worker
then holds up to that much more memory than it uses; in exchange it runs the
simulator about twice as fast as with Dask's default.
"""


def local_cluster(n_workers: int | None = None, **cluster_options: Any) -> distributed.LocalCluster:
    """A ``distributed.LocalCluster`` set up for simulations.

    One process per worker with one thread each (the engine is numpy across
    replications: threads in one process would share its interpreter), started with
    [`WORKER_ENVIRONMENT`][sw_volunteer.integrations.dask.WORKER_ENVIRONMENT]. Give at most one
    worker per idle core.

    Args:
        n_workers: Worker processes (``None``: Dask's default, one per core).
        **cluster_options: Passed to ``LocalCluster`` (``dashboard_address=``,
            ``memory_limit=``, ...); ``threads_per_worker`` and ``processes`` may be
            overridden too.

    Example:
        >>> cluster = local_cluster(1, processes=False, dashboard_address=None)
        >>> len(cluster.workers), cluster.workers[0].state.nthreads
        (1, 1)
        >>> cluster.close()
    """
    cluster_options.setdefault("threads_per_worker", 1)
    cluster_options.setdefault("processes", True)
    settings = {
        f"distributed.nanny.pre-spawn-environ.{name}": value
        for name, value in WORKER_ENVIRONMENT.items()
    }
    # The nanny lets this process's environment override its configuration, and a
    # cluster started earlier leaves Dask's defaults there: set both while starting.
    before = {name: os.environ.get(name) for name in WORKER_ENVIRONMENT}
    os.environ.update(WORKER_ENVIRONMENT)
    try:
        with dask.config.set(settings):
            cluster: distributed.LocalCluster = distributed.LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=n_workers, **cluster_options
            )
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return cluster


def executor_from_client(client: distributed.Client, **submit_options: Any) -> Executor:
    """A ``concurrent.futures.Executor`` that runs tasks on ``client``'s cluster.

    Args:
        client: A connected ``distributed.Client``.
        **submit_options: Passed to every submission (``workers=``, ``resources=``,
            ``retries=``, ...). ``pure`` defaults to ``False``: two chunks with the same
            arguments are still two tasks to run.

    Raises:
        TypeError: ``client`` is not a ``distributed.Client``.

    Example:
        >>> import numpy as np
        >>> from sw_volunteer import simulation as sim
        >>> scenario = sim.Scenario(weeks=4, centres=[sim.CentreStart(id="a", volunteers=10)])
        >>> with (
        ...     local_cluster(1, processes=False, dashboard_address=None) as cluster,
        ...     distributed.Client(cluster) as client,
        ... ):
        ...     executor = executor_from_client(client)
        ...     remote = sim.run(scenario, replications=4, seed=1, executor=executor, chunk_size=2)
        >>> here = sim.run(scenario, replications=4, seed=1)
        >>> bool(np.array_equal(remote["volunteers"], here["volunteers"]))
        True
    """
    if not isinstance(client, distributed.Client):
        raise TypeError(f"expected a distributed.Client, not {type(client).__name__}")
    submit_options.setdefault("pure", False)
    executor: Executor = client.get_executor(**submit_options)  # type: ignore[no-untyped-call]
    return executor
