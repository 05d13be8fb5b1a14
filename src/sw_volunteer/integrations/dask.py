"""Run simulations on a Dask cluster through the standard Executor interface.

Needs the ``dask`` extra (``pip install 'sw-volunteer[dask]'``); importing this module
without it raises :class:`~sw_volunteer.errors.MissingDependencyError`.

:func:`sw_volunteer.simulation.run` and :func:`~sw_volunteer.simulation.sweep` take
any :class:`concurrent.futures.Executor`; this module turns a ``distributed.Client``
into one. Results are bit-identical to a serial run, because every replication draws
from its own stream whatever worker runs it::

    from distributed import Client, LocalCluster
    from sw_volunteer import simulation as sim
    from sw_volunteer.integrations.dask import executor_from_client

    with LocalCluster(n_workers=2) as cluster, Client(cluster) as client:
        result = sim.run(scenario, replications=10_000, seed=7,
                         executor=executor_from_client(client))
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from sw_volunteer.errors import MissingDependencyError

try:
    import distributed
except ImportError as exc:
    raise MissingDependencyError.for_extra("distributed", "dask") from exc

__all__ = ["executor_from_client"]


def executor_from_client(client: distributed.Client, **submit_options: Any) -> Executor:
    """A ``concurrent.futures.Executor`` that runs tasks on ``client``'s cluster.

    Args:
        client: A connected ``distributed.Client``.
        **submit_options: Passed to every submission (``workers=``, ``resources=``,
            ``retries=``, ...). ``pure`` defaults to ``False``: two chunks with the same
            arguments are still two tasks to run.

    Raises:
        TypeError: ``client`` is not a ``distributed.Client``.
    """
    if not isinstance(client, distributed.Client):
        raise TypeError(f"expected a distributed.Client, not {type(client).__name__}")
    submit_options.setdefault("pure", False)
    executor: Executor = client.get_executor(**submit_options)  # type: ignore[no-untyped-call]
    return executor
