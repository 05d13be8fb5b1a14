"""The simulator gives the same verdicts on a redacted network, and is thread-safe."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import numpy as np

import sw_volunteer as sv
from sw_volunteer import simulation as sim
from sw_volunteer.privacy import redact

from .conftest import KEY

ON = date(2013, 11, 19)


def _at_redaction_precision(network: sv.Network) -> sv.Network:
    """Birth dates already at the precision redaction keeps (1 July of the year)."""
    people = [
        p.model_copy(update={"birth_date": p.birth_date.replace(month=7, day=1)})
        for p in (*network.volunteers, *network.clients)
        if p.birth_date is not None
    ]
    return network.with_replaced(*people)


def _run(network: sv.Network) -> sim.SimulationResult:
    scenario = sim.Scenario.from_network(network, weeks=12, on=ON)
    return sim.run(scenario, replications=64, seed=2013)


def test_the_simulation_of_a_redacted_network_is_identical():
    network = _at_redaction_precision(sv.datasets.ruian_2013())
    redacted = redact(network, key=KEY, profile=None)
    assert {v.name for v in redacted.volunteers}.isdisjoint({v.name for v in network.volunteers})
    original, after = _run(network), _run(redacted)
    assert original.metrics == after.metrics
    for metric in original.metrics:
        np.testing.assert_array_equal(original.series(metric), after.series(metric), metric)


def test_the_simulator_is_safe_on_a_shared_network_from_a_thread_pool():
    network = sv.datasets.ruian_2013()
    expected = _run(network)
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: _run(network), range(12)))
    for result in results:
        for metric in expected.metrics:
            np.testing.assert_array_equal(result.series(metric), expected.series(metric), metric)
