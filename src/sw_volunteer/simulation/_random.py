"""Replication streams and the samplers that turn their uniforms into counts.

Each replication owns one stream: the ``i``-th child of ``SeedSequence(seed)``, exactly
what ``SeedSequence(seed).spawn(n)[i]`` returns, driving its own PCG64 generator. The
engine draws every replication's uniforms from that replication's stream alone, in a
layout fixed by the scenario, and turns them into binomial and Poisson counts by
inversion, vectorised across replications. So a replication's results depend on its
seed and its index only: not on which other replications share its chunk, on the size of
the chunk, or on the process that runs it.

Example:
    >>> root = normalise_seed(7)
    >>> child = replication_seed(root, 2)
    >>> child.spawn_key == np.random.SeedSequence(7).spawn(3)[2].spawn_key
    True
    >>> u = np.array([0.05, 0.5, 0.999])
    >>> binomial_from_uniform(np.array([10, 10, 10]), np.array([0.5, 0.5, 0.5]), u).tolist()
    [2, 5, 9]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from sw_volunteer.types import SeedLike

__all__ = [
    "SeedRecord",
    "binomial_from_uniform",
    "normalise_seed",
    "poisson_from_uniform",
    "replication_seed",
    "seed_record",
    "uniform_block",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SeedRecord = tuple[int | tuple[int, ...], tuple[int, ...]]
"""``(entropy, spawn_key)``: enough to rebuild the root SeedSequence of a run."""

# Above this mean, inversion starts from far below the mean instead of from zero: the
# probability of zero would underflow to 0.0 and the walk up from zero would be long.
_FAR_START_MEAN = 200.0
_FAR_START_SDS = 12.0


def normalise_seed(seed: SeedLike) -> np.random.SeedSequence:
    """The root SeedSequence for ``seed`` (an int, ints, a SeedSequence or ``None``).

    ``None`` draws fresh entropy from the operating system; the entropy is kept on the
    SeedSequence, so a result can still record a seed that reproduces it.

    Raises:
        TypeError: ``seed`` is of another type (a float, a Generator, ...).
    """
    given: object = seed  # checked as any object: callers may pass anything at run time
    if isinstance(given, np.random.SeedSequence):
        return given
    if given is None:
        return np.random.SeedSequence()
    if isinstance(given, int | np.integer) and not isinstance(given, bool):
        return np.random.SeedSequence(int(given))
    if (
        isinstance(given, Sequence)
        and not isinstance(given, str | bytes)
        and all(isinstance(s, int | np.integer) and not isinstance(s, bool) for s in given)
    ):
        return np.random.SeedSequence([int(s) for s in given])
    raise TypeError(
        f"seed must be an int, a sequence of ints, a numpy SeedSequence or None, "
        f"not {type(given).__name__}"
    )


def seed_record(root: np.random.SeedSequence) -> SeedRecord:
    """``(entropy, spawn_key)`` of ``root``, as plain ints for JSON."""
    entropy = root.entropy
    if entropy is None:  # pragma: no cover - SeedSequence always fills its entropy
        raise ValueError("a SeedSequence without entropy cannot be recorded")
    value: int | tuple[int, ...] = (
        int(entropy) if isinstance(entropy, int | np.integer) else tuple(int(e) for e in entropy)
    )
    return value, tuple(int(k) for k in root.spawn_key)


def replication_seed(root: np.random.SeedSequence, index: int) -> np.random.SeedSequence:
    """The stream of replication ``index``: ``root.spawn(index + 1)[index]``, built directly.

    ``spawn`` is stateful (it counts the children already made); building the child
    from the root's entropy and spawn key gives the same stream without that state, so
    any process can build any replication's stream.
    """
    return np.random.SeedSequence(
        root.entropy, spawn_key=(*root.spawn_key, index), pool_size=root.pool_size
    )


def uniform_block(generators: Sequence[np.random.Generator], out: FloatArray) -> FloatArray:
    """Fill ``out[i]`` with the next uniforms of ``generators[i]``; return ``out``.

    Drawing a horizon in several blocks gives the same uniforms as drawing it at once,
    so the block size can follow the memory available without changing any result.
    """
    for i, generator in enumerate(generators):
        generator.random(out=out[i])
    return out


def _lgamma(values: npt.NDArray[np.floating[Any]]) -> FloatArray:
    return np.array([math.lgamma(float(v)) for v in values.ravel()], dtype=np.float64).reshape(
        values.shape
    )


def binomial_from_uniform(n: IntArray, p: FloatArray, u: FloatArray) -> IntArray:
    """Binomial(n, p) counts from uniforms ``u`` by inversion; all arrays of one shape.

    The count is the smallest ``k`` with ``P(X <= k) >= u``, so the same uniform always
    gives the same count, and a larger uniform never a smaller one. Works on the smaller
    of ``p`` and ``1 - p`` and mirrors the count back, so the walk is short.
    """
    n = np.asarray(n, dtype=np.int64)
    p = np.broadcast_to(np.asarray(p, dtype=np.float64), n.shape)
    u = np.asarray(u, dtype=np.float64)
    flip = p > 0.5  # noqa: PLR2004 - the symmetry point of the binomial
    q = np.where(flip, 1.0 - p, p)
    mean = n * q
    start = np.zeros(n.shape, dtype=np.int64)
    with np.errstate(divide="ignore"):
        log_pmf = n * np.log1p(-q)
    far = mean > _FAR_START_MEAN
    if far.any():
        nf, qf, mf = n[far], q[far], mean[far]
        k0 = np.maximum(0, np.floor(mf - _FAR_START_SDS * np.sqrt(mf * (1 - qf)))).astype(np.int64)
        start[far] = k0
        log_pmf[far] = (
            _lgamma(nf + 1.0)
            - _lgamma(k0 + 1.0)
            - _lgamma((nf - k0) + 1.0)
            + k0 * np.log(qf)
            + (nf - k0) * np.log1p(-qf)
        )
    pmf = np.exp(log_pmf)
    # Mirrored counts invert the mirrored uniform, so counts still grow with ``u``.
    x = _walk(start, pmf, np.where(flip, 1.0 - u, u), n, q)
    return np.where(flip, n - x, x)


def _walk(start: IntArray, pmf: FloatArray, u: FloatArray, n: IntArray, q: FloatArray) -> IntArray:
    x = start.copy()
    cdf = pmf.copy()
    idx = np.flatnonzero((u > cdf) & (x < n))
    if idx.size == 0:
        return x
    flat_x = x.reshape(-1)
    pa = pmf.reshape(-1)[idx]
    ca = cdf.reshape(-1)[idx]
    ua = u.reshape(-1)[idx]
    na = n.reshape(-1)[idx]
    ka = flat_x[idx]
    qa = q.reshape(-1)[idx]
    ra = qa / (1.0 - qa)
    while idx.size:
        pa = pa * ((na - ka) / (ka + 1.0)) * ra
        ca = ca + pa
        ka = ka + 1
        flat_x[idx] = ka
        keep = (ua > ca) & (ka < na) & (pa > 0.0)
        if not keep.all():
            idx, pa, ca, ua, na, ka, ra = (
                idx[keep],
                pa[keep],
                ca[keep],
                ua[keep],
                na[keep],
                ka[keep],
                ra[keep],
            )
    return x


def poisson_from_uniform(lam: FloatArray, u: FloatArray) -> IntArray:
    """Poisson(lam) counts from uniforms ``u`` by inversion; arrays of one shape."""
    u = np.asarray(u, dtype=np.float64)
    lam = np.broadcast_to(np.asarray(lam, dtype=np.float64), u.shape)
    start = np.zeros(u.shape, dtype=np.int64)
    log_pmf = -lam.copy()
    far = lam > _FAR_START_MEAN
    if far.any():
        lf = lam[far]
        k0 = np.maximum(0, np.floor(lf - _FAR_START_SDS * np.sqrt(lf))).astype(np.int64)
        start[far] = k0
        log_pmf[far] = k0 * np.log(lf) - lf - _lgamma(k0 + 1.0)
    x = start.copy()
    pmf = np.exp(log_pmf)
    cdf = pmf.copy()
    idx = np.flatnonzero(u > cdf)
    flat_x = x.reshape(-1)
    pa = pmf.reshape(-1)[idx]
    ca = cdf.reshape(-1)[idx]
    ua = u.reshape(-1)[idx]
    la = lam.reshape(-1)[idx]
    ka = flat_x[idx]
    while idx.size:
        ka = ka + 1
        pa = pa * la / ka
        ca = ca + pa
        flat_x[idx] = ka
        keep = (ua > ca) & (pa > 0.0)
        if not keep.all():
            idx, pa, ca, ua, la, ka = idx[keep], pa[keep], ca[keep], ua[keep], la[keep], ka[keep]
    return x
