"""The replication streams and the samplers that invert their uniforms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sw_volunteer.simulation._random import (
    _binomial_walk,
    _poisson_walk,
    binomial_from_uniform,
    normalise_seed,
    poisson_from_uniform,
    replication_seed,
    seed_record,
)


def _binomial_cdf(n: int, p: float) -> np.ndarray:
    k = np.arange(n + 1)
    log_pmf = np.array(
        [
            math.lgamma(n + 1)
            - math.lgamma(i + 1)
            - math.lgamma(n - i + 1)
            + (i * math.log(p) if i else 0.0)
            + ((n - i) * math.log1p(-p) if n - i else 0.0)
            for i in k
        ]
    )
    return np.cumsum(np.exp(log_pmf))


def _poisson_cdf(lam: float, top: int) -> np.ndarray:
    k = np.arange(top + 1)
    log_pmf = np.array([i * math.log(lam) - lam - math.lgamma(i + 1) for i in k])
    return np.cumsum(np.exp(log_pmf))


EPS = 1e-9  # well above the rounding of either CDF (lgamma of 5000 carries ~1e-12)


def _distinct_steps(cdf: np.ndarray) -> list[int]:
    """Counts whose CDF step is far enough from its neighbours to probe at ±EPS."""
    pmf = np.diff(cdf, prepend=0.0)
    return [
        k
        for k in range(1, cdf.size - 1)
        if pmf[k] > 10 * EPS and pmf[k + 1] > 10 * EPS and 1 - cdf[k] > 10 * EPS
    ]


def test_each_replication_has_the_stream_spawn_would_give_it():
    for seed in (0, 7, [1, 2, 3]):
        children = np.random.SeedSequence(seed).spawn(5)
        root = normalise_seed(seed)
        for i, child in enumerate(children):
            built = replication_seed(root, i)
            assert built.spawn_key == child.spawn_key
            assert (built.generate_state(4) == child.generate_state(4)).all()


def test_a_seed_sequence_with_a_spawn_key_is_kept_and_recorded():
    parent = np.random.SeedSequence(11).spawn(3)[2]
    root = normalise_seed(parent)
    assert root is parent
    assert seed_record(root) == (11, (2,))


def test_no_seed_draws_entropy_that_is_recorded():
    root = normalise_seed(None)
    entropy, key = seed_record(root)
    assert isinstance(entropy, int)
    assert key == ()
    again = normalise_seed(entropy)
    assert (again.generate_state(4) == root.generate_state(4)).all()


@pytest.mark.parametrize("bad", [1.5, "7", True, np.random.default_rng(1), [1, "x"]])
def test_seeds_of_other_types_are_refused(bad):
    with pytest.raises(TypeError, match="seed must be"):
        normalise_seed(bad)


@pytest.mark.parametrize(
    ("n", "p"), [(1, 0.5), (6, 0.1), (6, 0.7), (30, 0.9), (200, 0.01), (5000, 0.3)]
)
def test_binomial_inversion_gives_the_quantile_of_the_uniform(n, p):
    # Just below and just above each step of the exact CDF the count must change.
    cdf = _binomial_cdf(n, p)
    steps = _distinct_steps(cdf)
    below = np.array([cdf[k] - EPS for k in steps])
    above = np.array([cdf[k] + EPS for k in steps])
    nn = np.full(len(steps), n)
    pp = np.full(len(steps), p)
    assert binomial_from_uniform(nn, pp, below).tolist() == steps
    assert binomial_from_uniform(nn, pp, above).tolist() == [k + 1 for k in steps]


@pytest.mark.parametrize("lam", [0.2, 3.0, 40.0, 900.0])
def test_poisson_inversion_gives_the_quantile_of_the_uniform(lam):
    top = int(lam + 20 * math.sqrt(lam) + 20)
    cdf = _poisson_cdf(lam, top)
    steps = _distinct_steps(cdf)
    below = np.array([cdf[k] - EPS for k in steps])
    above = np.array([cdf[k] + EPS for k in steps])
    lams = np.full(len(steps), lam)
    assert poisson_from_uniform(lams, below).tolist() == steps
    assert poisson_from_uniform(lams, above).tolist() == [k + 1 for k in steps]


@given(
    n=st.integers(0, 400),
    p=st.floats(0, 1),
    u=st.lists(st.floats(0, 1, exclude_max=True), min_size=2, max_size=20),
)
def test_binomial_counts_are_within_range_and_grow_with_the_uniform(n, p, u):
    us = np.sort(np.array(u))
    counts = binomial_from_uniform(np.full(us.size, n), np.full(us.size, p), us)
    assert ((counts >= 0) & (counts <= n)).all()
    assert (np.diff(counts) >= 0).all()
    if p == 0:
        assert (counts == 0).all()
    if p == 1:
        assert (counts == n).all()


def test_the_samplers_reproduce_numpy_moments():
    # Mean and variance of 200k inverted draws within 5 standard errors of the truth.
    rng = np.random.default_rng(3)
    u = rng.random(200_000)
    counts = binomial_from_uniform(np.full(u.size, 40), np.full(u.size, 0.3), u)
    mean, var = 40 * 0.3, 40 * 0.3 * 0.7
    assert abs(counts.mean() - mean) < 5 * math.sqrt(var / u.size)
    fourth = var * (1 + 3 * (40 - 2) * 0.3 * 0.7) / 1  # kurtosis of the binomial
    assert abs(counts.var() - var) < 5 * math.sqrt((fourth - var**2) / u.size)
    draws = poisson_from_uniform(np.full(u.size, 2.5), u)
    assert abs(draws.mean() - 2.5) < 5 * math.sqrt(2.5 / u.size)


_EDGE_PROBABILITIES = st.sampled_from([0.0, 1.0, 0.5, 1e-12, 1 - 1e-12, 0.95, 0.05])


@given(
    n=st.lists(st.integers(0, 1100), min_size=1, max_size=30),
    p=st.lists(st.floats(0, 1) | _EDGE_PROBABILITIES, min_size=1, max_size=4),
    u=st.lists(st.floats(0, 1, exclude_max=True), min_size=30, max_size=30),
)
def test_cached_binomial_tables_give_the_step_by_step_counts(n, p, u):
    # The tables are an acceleration only: every count must be the walk's, bit for bit,
    # whatever mixture of probabilities (mirrored or not) and counts (in the tables or
    # past them) one call holds.
    counts = np.array(n)
    probs = np.array(p)[np.arange(counts.size) % len(p)]
    us = np.array(u[: counts.size])
    expected = _binomial_walk(counts, probs, us)
    assert binomial_from_uniform(counts, probs, us).tolist() == expected.tolist()
    # ... and the same with one probability per slot, broadcast across replications.
    grid = np.broadcast_to(counts, (3, counts.size))
    uniforms = np.stack([us, us[::-1], np.sort(us)])
    assert np.array_equal(
        binomial_from_uniform(grid, probs, uniforms), _binomial_walk(grid, probs, uniforms)
    )


@given(
    lam=st.lists(st.floats(0, 250) | st.sampled_from([0.0, 200.0, 1e-9]), min_size=1, max_size=4),
    u=st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=30),
)
def test_cached_poisson_tables_give_the_step_by_step_counts(lam, u):
    rates = np.array(lam)
    us = np.repeat(np.array(u)[:, None], rates.size, axis=1)  # every rate, every uniform
    assert np.array_equal(poisson_from_uniform(rates, us), _poisson_walk(rates, us))
