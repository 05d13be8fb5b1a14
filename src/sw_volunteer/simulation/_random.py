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

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

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


class SeedRecord(NamedTuple):
    """``(entropy, spawn_key)``: enough to rebuild the root SeedSequence of a run.

    A tuple, so ``entropy, spawn_key = result.seed`` works; it prints as the seed a
    user would pass again (``2013``), with the spawn key only when there is one.

    Example:
        >>> seed = SeedRecord(2013, ())
        >>> print(seed)
        2013
        >>> seed
        SeedRecord(entropy=2013, spawn_key=())
        >>> print(SeedRecord(2013, (0, 3)))
        2013, spawn key (0, 3)
        >>> seed == (2013, ()), seed.sequence().entropy
        (True, 2013)
    """

    entropy: int | tuple[int, ...]
    """The root entropy: the ``seed`` given to the run (or drawn from the system)."""
    spawn_key: tuple[int, ...]
    """The spawn key of the root SeedSequence (empty for a seed given as a number)."""

    def __str__(self) -> str:
        if not self.spawn_key:
            return str(self.entropy)
        return f"{self.entropy}, spawn key {self.spawn_key}"

    def sequence(self) -> np.random.SeedSequence:
        """The root SeedSequence: pass it as ``seed`` to reproduce the run."""
        return np.random.SeedSequence(self.entropy, spawn_key=self.spawn_key)


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
    return SeedRecord(value, tuple(int(k) for k in root.spawn_key))


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


def _gather(values: npt.NDArray[Any], idx: IntArray, shape: tuple[int, ...]) -> npt.NDArray[Any]:
    """``values`` broadcast to ``shape``, at the flat positions ``idx``, without a full copy."""
    if values.shape == shape and values.flags.c_contiguous:
        return values.reshape(-1)[idx]
    return np.broadcast_to(values, shape)[np.unravel_index(idx, shape)]


def _binomial_walk(n: IntArray, p: FloatArray, u: FloatArray) -> IntArray:
    """Binomial(n, p) counts from uniforms ``u`` by inversion, stepping up each CDF.

    ``u`` has the shape of ``n``; ``p`` broadcasts to it (a probability per slot is
    cheaper than one per element). The count is the smallest ``k`` with
    ``P(X <= k) >= u``, so the same uniform always gives the same count and a larger
    uniform never a smaller one. Works on the smaller of ``p`` and ``1 - p`` and mirrors
    the count back, so the walk up the CDF stays short.
    """
    n = np.asarray(n, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    u = np.asarray(u, dtype=np.float64)
    flip = p > 0.5  # noqa: PLR2004 - the symmetry point of the binomial
    mirrored = bool(flip.any())
    q = np.where(flip, 1.0 - p, p) if mirrored else p
    if mirrored:
        # Mirrored counts invert the mirrored uniform, so counts still grow with ``u``.
        u = np.where(flip, 1.0 - u, u)
    log_q0 = np.log1p(-q)  # q <= 0.5: finite
    x = np.zeros(n.shape, dtype=np.int64)
    if n.size == 0:
        return x
    ratio = q / (1.0 - q)
    if float(n.max()) * float(q.max()) > _FAR_START_MEAN:
        qf = np.broadcast_to(q, n.shape)
        far = n * qf > _FAR_START_MEAN
        near_idx = np.flatnonzero(~far)
        _walk_from(x, near_idx, start=0, n=n, log_q0=log_q0, u=u, ratio=ratio)
        far_idx = np.flatnonzero(far)
        nf, qv = n.reshape(-1)[far_idx], qf.reshape(-1)[far_idx]
        mean = nf * qv
        k0 = np.maximum(0, np.floor(mean - _FAR_START_SDS * np.sqrt(mean * (1 - qv)))).astype(
            np.int64
        )
        log_pmf = (
            _lgamma(nf + 1.0)
            - _lgamma(k0 + 1.0)
            - _lgamma((nf - k0) + 1.0)
            + k0 * np.log(qv)
            + (nf - k0) * np.log1p(-qv)
        )
        _walk_from(x, far_idx, start=k0, n=n, log_q0=None, u=u, ratio=ratio, log_pmf=log_pmf)
    else:
        pmf = np.exp(n * log_q0)
        idx = np.flatnonzero(u > pmf)  # n == 0 or q == 0: pmf is 1, nothing to walk
        if idx.size:
            _walk(
                x,
                idx,
                ka=np.zeros(idx.size, dtype=np.int64),
                pa=pmf.reshape(-1)[idx],
                n=n,
                u=u,
                ratio=ratio,
            )
    if mirrored:
        return np.where(flip, n - x, x)
    return x


def _walk_from(
    x: IntArray,
    idx: IntArray,
    *,
    start: IntArray | int,
    n: IntArray,
    log_q0: FloatArray | None,
    u: FloatArray,
    ratio: FloatArray,
    log_pmf: FloatArray | None = None,
) -> None:
    """Walk the elements ``idx`` from ``start`` (probability from ``log_pmf`` or ``log_q0``)."""
    if idx.size == 0:
        return
    if log_pmf is None:
        if log_q0 is None:  # pragma: no cover - callers pass one of the two
            raise ValueError("give log_q0 or log_pmf")
        log_pmf = _gather(n, idx, x.shape) * _gather(log_q0, idx, x.shape)
    pmf = np.exp(log_pmf)
    ks = np.broadcast_to(np.asarray(start, dtype=np.int64), idx.shape).copy()
    x.reshape(-1)[idx] = ks
    ua = _gather(u, idx, x.shape)
    go = ua > pmf
    if go.any():
        _walk(x, idx[go], ka=ks[go], pa=pmf[go], n=n, u=u, ratio=ratio)


def _walk(
    x: IntArray,
    idx: IntArray,
    *,
    ka: IntArray,
    pa: FloatArray,
    n: IntArray,
    u: FloatArray,
    ratio: FloatArray,
) -> None:
    """Step up the CDF for the elements ``idx`` (each at count ``ka`` with mass ``pa``).

    The cumulative probability starts at ``pa``: below the start count it is taken as
    zero, which is exact from 0 and below 1e-30 from a far start.
    """
    flat_x = x.reshape(-1)
    ca = pa.copy()
    ua = _gather(u, idx, x.shape)
    na = _gather(n, idx, x.shape)
    ra = _gather(ratio, idx, x.shape)
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


def _poisson_walk(lam: FloatArray, u: FloatArray) -> IntArray:
    """Poisson(lam) counts from uniforms ``u`` by inversion, stepping up each CDF."""
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


# Inversion through cached CDF tables ------------------------------------------------
#
# The engine inverts the same few probabilities week after week, for counts that
# repeat. So the CDFs are built once, with exactly the arithmetic of the walks above
# (the same products, in the same order), and each count becomes the number of table
# entries below its uniform: the walks' results, bit for bit, without recomputing
# every step for every element. Counts beyond the tables (or far starts) still walk.

_TABLE_MIN_SIZE = 32  # tables cover counts below a power of two, at least this
_TABLE_MAX_SIZE = 512  # larger counts walk (the rows of all counts below n hold n²/2)
_MAX_TABLES = 64  # more distinct probabilities in one call than this: walk
_CACHE_SIZE = 64  # tables kept: at most 1 MiB of rows per probability
_FEW = 512  # elements still scanning below which a scan step looks at a whole window
_WINDOW = np.arange(8, dtype=np.int64)
_PADDING = np.full(_WINDOW.size, np.inf)  # after the last row, so a window never runs off


@dataclass(frozen=True)
class _Tables:
    """The CDF rows of every distinct parameter of a call, end to end in ``rows``.

    The row of the ``key``-th (parameter, count) pair starts at ``row_start[key]`` and
    its first entry is ``first[key]``, kept apart because most uniforms stop there.
    Binomial keys are ``value index * size + n`` for counts ``n < size``; Poisson keys
    are the value index. Each row is sorted and ends with an entry no uniform passes.
    ``flip[i]``: the ``i``-th binomial probability is above one half and its rows are
    those of ``1 - p``. Counts from ``limit`` on are not in the rows (they walk).
    """

    rows: FloatArray
    first: FloatArray
    row_start: IntArray
    flip: npt.NDArray[np.bool_]
    size: int
    limit: int

    @functools.cached_property
    def flip_any(self) -> bool:
        """Some probability is mirrored."""
        return bool(self.flip.any())

    @functools.cached_property
    def flip_all(self) -> bool:
        """Every probability is mirrored."""
        return bool(self.flip.all())


def _frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.flags.writeable = False
    return array


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _binomial_rows(q: float, size: int) -> tuple[FloatArray, int]:
    """The CDFs of Binomial(n, q), ``q <= 0.5``, for ``n < size``, as ``_walk`` sums them.

    Row ``n`` starts at ``n (n + 1) / 2`` and has ``n + 1`` entries: entry ``k`` is
    ``P(X <= k)``, or +inf where the walk stops whatever the uniform (at ``k = n``, and
    from the first count whose mass underflows to zero). Also returns the first ``n``
    that the walk starts far from zero: its rows are not the walk's.
    """
    qa = np.array([q], dtype=np.float64)
    ns = np.arange(size, dtype=np.int64)
    ratio = qa / (1.0 - qa)
    pa = np.exp(ns * np.log1p(-qa))
    ca = pa.copy()
    table = np.empty((size, size), dtype=np.float64)
    table[:, 0] = ca
    stopped = np.zeros(size, dtype=bool)
    for k in range(1, size):
        pa = pa * ((ns - (k - 1)) / ((k - 1) + 1.0)) * ratio
        ca = ca + pa
        stopped |= ~(pa > 0.0)
        table[:, k] = np.where(stopped, np.inf, ca)
    counts = np.arange(size)
    table[counts[None, :] >= ns[:, None]] = np.inf
    far = np.flatnonzero(ns * qa > _FAR_START_MEAN)
    return _frozen(table[counts[None, :] <= ns[:, None]]), int(far[0]) if far.size else size


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _poisson_row(lam: float) -> FloatArray:
    """The CDF of Poisson(lam), ``0 <= lam <= _FAR_START_MEAN``, as the walk sums it.

    Entry ``k`` is ``P(X <= k)``, or +inf from the first count whose mass underflows;
    the row ends at the first entry of at least 1, which no uniform passes.
    """
    pa = float(np.exp(-np.array([lam], dtype=np.float64))[0])
    ca = pa
    entries = [ca]
    k = 0
    while ca < 1.0:
        k += 1
        pa = pa * lam / k
        ca = ca + pa
        if not pa > 0.0:
            entries.append(math.inf)
            break
        entries.append(ca)
    return _frozen(np.array(entries, dtype=np.float64))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _binomial_tables(values: bytes, size: int) -> _Tables:
    p = np.frombuffer(values, dtype=np.float64)
    flip = p > 0.5  # noqa: PLR2004 - the symmetry point of the binomial
    q = np.where(flip, 1.0 - p, p)
    triangle = np.arange(size, dtype=np.int64) * np.arange(1, size + 1, dtype=np.int64) // 2
    parts, starts, limit, offset = [], [], size, 0
    for value in q.tolist():
        rows, far = _binomial_rows(value, size)
        parts.append(rows)
        starts.append(offset + triangle)
        offset += rows.size
        limit = min(limit, far)
    flat = np.concatenate([*parts, _PADDING])
    row_start = np.concatenate(starts)
    return _Tables(_frozen(flat), _frozen(flat[row_start]), _frozen(row_start), flip, size, limit)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _poisson_tables(values: bytes) -> _Tables:
    parts = [_poisson_row(lam) for lam in np.frombuffer(values, dtype=np.float64).tolist()]
    row_start = np.cumsum([0] + [row.size for row in parts[:-1]], dtype=np.int64)
    flat = np.concatenate([*parts, _PADDING])
    none = np.zeros(len(parts), dtype=bool)
    return _Tables(_frozen(flat), _frozen(flat[row_start]), _frozen(row_start), none, 0, 0)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _distinct(values: bytes, shape: tuple[int, ...]) -> tuple[bytes, IntArray]:
    """The distinct values of a small array and, per element, the index of its value."""
    array = np.frombuffer(values, dtype=np.float64).reshape(shape)
    distinct, inverse = np.unique(array, return_inverse=True)
    return distinct.tobytes(), _frozen(inverse.reshape(shape))


def _slots(values: FloatArray) -> tuple[bytes, IntArray] | None:
    """``_distinct`` of ``values``, cached for small arrays; ``None``: too many values."""
    values = np.ascontiguousarray(values, dtype=np.float64)
    if values.size <= _MAX_TABLES:
        return _distinct(values.tobytes(), values.shape)
    distinct, inverse = np.unique(values, return_inverse=True)
    if distinct.size > _MAX_TABLES:
        return None
    return distinct.tobytes(), inverse.reshape(values.shape)


def _picked(
    values: npt.NDArray[Any], chosen: npt.NDArray[np.bool_], idx: IntArray
) -> npt.NDArray[Any]:
    """``values[chosen]`` (``idx`` are the flat positions of ``chosen``), cheaply."""
    if values.flags.c_contiguous:
        return values.reshape(-1)[idx]
    return values[chosen]


def _count_below(tables: _Tables, key: IntArray, u: FloatArray) -> IntArray:
    """Per element, how many entries of the row ``key`` are below ``u``.

    ``key`` has the shape of ``u``, or of its last axes (one row per slot, the same for
    every replication). Rows are sorted and end with an entry no uniform passes, so
    this is where ``u`` falls in its row: the walk's count. Elements leave the scan as
    soon as they stop, and most stop at the first entry.
    """
    per_slot = key.shape != u.shape
    u = np.ascontiguousarray(u)  # a copy of a strided slice is cheaper than picking from it
    below = (tables.first[key] if per_slot else np.take(tables.first, key)) < u
    x = below.astype(np.int64)
    idx = np.flatnonzero(below)
    if not idx.size:
        return x
    flat_x = x.reshape(-1)
    keys = key.reshape(-1)[idx % key.size] if per_slot else _picked(key, below, idx)
    at = np.take(tables.row_start, keys) + 1
    ua = u.reshape(-1)[idx]
    # Step every element still scanning in place while most of them are; drop the
    # finished ones once few remain (picking them out costs more than a step).
    passed = at.copy()
    while idx.size > _FEW:
        more = np.take(tables.rows, at) < ua
        at += more
        if np.count_nonzero(more) * 4 >= idx.size:
            continue
        flat_x[idx] += at - passed
        idx, at, ua = idx[more], at[more], ua[more]
        passed = at.copy()
    flat_x[idx] += at - passed
    return _scan_windows(tables, x, idx, at, ua)


def _scan_windows(
    tables: _Tables, x: IntArray, idx: IntArray, at: IntArray, ua: FloatArray
) -> IntArray:
    """Finish the scan of the elements ``idx`` (at entry ``at``), a window at a time."""
    flat_x = x.reshape(-1)
    while idx.size:
        window = np.take(tables.rows, at[:, None] + _WINDOW) < ua[:, None]
        steps = window.argmin(axis=1)  # the first entry not below: the end of the scan
        done = ~window[np.arange(idx.size), steps]
        flat_x[idx] += np.where(done, steps, _WINDOW.size)
        idx, at, ua = idx[~done], at[~done] + _WINDOW.size, ua[~done]
    return x


def _table_size(nmax: int) -> int:
    size = _TABLE_MIN_SIZE
    while size <= nmax and size < _TABLE_MAX_SIZE:
        size *= 2
    return size


def binomial_from_uniform(n: IntArray, p: FloatArray, u: FloatArray) -> IntArray:
    """Binomial(n, p) counts from uniforms ``u`` by inversion.

    ``n >= 0`` and ``u`` have the same shape; ``p`` broadcasts to it (a probability per
    slot is cheaper than one per element). The count is the smallest ``k`` with
    ``P(X <= k) >= u``, so the same uniform always gives the same count and a larger
    uniform never a smaller one. Works on the smaller of ``p`` and ``1 - p`` and mirrors
    the count back, so the search stays short. The CDFs of the probabilities seen are
    kept between calls: a week inverts against the tables earlier weeks built.
    """
    n = np.asarray(n, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    u = np.asarray(u, dtype=np.float64)
    if n.size == 0:
        return np.zeros(n.shape, dtype=np.int64)
    slots = _slots(p)
    if slots is None:
        return _binomial_walk(n, p, u)
    values, inverse = slots
    nmax = int(n.max())
    tables = _binomial_tables(values, _table_size(nmax))
    if nmax >= tables.limit:
        inside = n < tables.limit
        shape = n.shape
        x = np.empty(shape, dtype=np.int64)
        x[~inside] = _binomial_walk(n[~inside], np.broadcast_to(p, shape)[~inside], u[~inside])
        x[inside] = _binomial_lookup(
            tables, n[inside], np.broadcast_to(inverse, shape)[inside], u[inside]
        )
        return x
    return _binomial_lookup(tables, n, inverse, u)


def _binomial_lookup(tables: _Tables, n: IntArray, inverse: IntArray, u: FloatArray) -> IntArray:
    key = n + inverse * tables.size if tables.flip.size > 1 else n
    if not tables.flip_any:
        return _count_below(tables, key, u)
    if tables.flip_all:
        return n - _count_below(tables, key, 1.0 - u)
    # Mirrored counts invert the mirrored uniform, so counts still grow with ``u``.
    flip = tables.flip[inverse]
    x = _count_below(tables, key, np.where(flip, 1.0 - u, u))
    return np.where(flip, n - x, x)


def poisson_from_uniform(lam: FloatArray, u: FloatArray) -> IntArray:
    """Poisson(lam) counts from uniforms ``u`` by inversion; ``lam`` broadcasts to ``u``.

    Like ``binomial_from_uniform``, the CDFs of the rates seen are kept between
    calls.
    """
    u = np.asarray(u, dtype=np.float64)
    lam = np.asarray(lam, dtype=np.float64)
    slots = _slots(lam) if u.size else None
    if slots is None:
        return _poisson_walk(lam, u)
    values, inverse = slots
    distinct = np.frombuffer(values, dtype=np.float64)
    if not ((distinct >= 0.0) & (distinct <= _FAR_START_MEAN)).all():
        return _poisson_walk(lam, u)
    if inverse.shape != u.shape[u.ndim - inverse.ndim :]:
        inverse = np.broadcast_to(inverse, u.shape)
    return _count_below(_poisson_tables(values), inverse, u)
