"""Shared fixtures: one hypothesis profile, the same on every machine.

The profile does not depend on the environment (``CI`` or anything else): examples
are derandomised (drawn from a fixed seed per test) and no example database is read
or written, so a fresh clone, a busy machine and CI run the same examples and reach
the same verdict. ``max_examples`` is sized for two cores.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "sw_volunteer",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
    database=None,
    print_blob=True,
)
settings.load_profile("sw_volunteer")
