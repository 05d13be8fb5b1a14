"""Building a Network from JSON against plain pydantic validation of the same entity lists.

Run: ``python benchmarks/bench_load.py [--sizes 10000 100000] [--repeat 3]``

Both sides validate every entity with the same models; the Network also checks that ids
are unique and every reference resolves, and builds its id index. Python's cyclic garbage
collector dominates bulk object creation, so the baseline is reported both with the
collector running and paused. Two figures for the library:

- ``Network`` (paused): ``Network.model_validate_json`` with the collector paused: building
  the network from its JSON, integrity included. The target (<= 1.5x plain pydantic,
  paused, at 100k people) is measured on this one.
- ``sv.loads``: the hardened reader users call. It pauses the collector itself and adds the
  refusal of repeated JSON keys (a plain parse silently keeps the last value), which needs a
  separate parse with jiter before validation; its cost is shown, not hidden.

Figures are medians; ratios are what to compare, since absolute times on a shared machine
are noisy.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typing_extensions import TypedDict

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _city import city_json

import sw_volunteer as sv
from sw_volunteer.models import gc_paused


class PlainLists(TypedDict, total=False):
    """The same entity lists as a network document, with no integrity checks."""

    centres: list[sv.Centre]
    workers: list[sv.SocialWorker]
    volunteers: list[sv.Volunteer]
    clients: list[sv.Client]
    programmes: list[sv.Programme]
    activities: list[sv.Activity]
    supervisions: list[sv.Supervision]
    assignments: list[sv.CaseAssignment]


def median_time(fn: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs, collecting garbage between runs."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the figures and ratios for each size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from pydantic import TypeAdapter

    plain = TypeAdapter(PlainLists)
    per_person: dict[int, float] = {}
    print(
        f"{'people':>8} {'plain GC on':>12} {'plain paused':>13} {'Network GC on':>14} "
        f"{'Network paused':>15} {'sv.loads':>9} | {'Network/plain':>14} {'(GC on)':>8} "
        f"{'loads/plain':>12}"
    )
    for size in args.sizes:
        payload = city_json(size)

        def plain_paused(payload: bytes = payload) -> None:
            with gc_paused():
                plain.validate_json(payload)

        t_plain_on = median_time(lambda payload=payload: plain.validate_json(payload), args.repeat)
        t_plain_off = median_time(plain_paused, args.repeat)
        t_net_on = median_time(
            lambda payload=payload: sv.Network.model_validate_json(payload), args.repeat
        )

        def network_paused(payload: bytes = payload) -> None:
            with gc_paused():
                sv.Network.model_validate_json(payload)

        t_net_off = median_time(network_paused, args.repeat)
        t_loads = median_time(lambda payload=payload: sv.loads(payload, format="json"), args.repeat)
        per_person[size] = t_net_off / size
        print(
            f"{size:>8} {t_plain_on:>11.3f}s {t_plain_off:>12.3f}s {t_net_on:>13.3f}s "
            f"{t_net_off:>14.3f}s {t_loads:>8.3f}s | {t_net_off / t_plain_off:>13.2f}x "
            f"{t_net_on / t_plain_on:>7.2f}x {t_loads / t_plain_off:>11.2f}x"
        )
    sizes = sorted(per_person)
    if len(sizes) > 1:
        growth = per_person[sizes[-1]] / per_person[sizes[0]]
        print(
            f"Network time per person at {sizes[-1]} / at {sizes[0]}: {growth:.2f} "
            "(1.0 = linear growth; target: no worse than linear)"
        )
    print("target: Network (paused) <= 1.5x plain pydantic (paused) at 100k people")


if __name__ == "__main__":
    main()
