"""Benchmark ``sv.check`` with cn-default on synthetic cities, against baselines in the same run.

Baselines: (a) building the ``Network`` from the same dicts, (b) plain pydantic validation
of the same dicts (one ``TypeAdapter(list[Model])`` per collection). Sizes: 10k and 100k
people by default; ``--full`` adds 1M (several minutes, several GB of memory). Also times
the supervisor assignment of 10k volunteers to 1k supervisors (per-centre arithmetic and
max-flow, with networkx's Dinitz on the same problem as a reference). Figures are medians
of ``--repeat`` runs, printed as ratios.

Run: ``python benchmarks/bench_check.py [--full] [--repeat 3] [--sizes 10000 100000]``
"""

from __future__ import annotations

import argparse
import gc
import itertools
import math
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import networkx as nx
from networkx.algorithms.flow import dinitz
from pydantic import TypeAdapter

import sw_volunteer as sv
from sw_volunteer.graph import assign_supervisors
from sw_volunteer.models import ENTITY_TYPES, SocialWorker, gc_paused

Compatible = Callable[[SocialWorker, str], bool]

# One centre of 100 people: 5 social workers, 45 volunteers, 50 clients.
WORKERS, VOLUNTEERS, CLIENTS = 5, 45, 50
PER_CENTRE = WORKERS + VOLUNTEERS + CLIENTS
NEEDS = ["psychiatric_rehabilitation", "intellectual_disability", "elderly_independent"]


def city(people: int) -> dict[str, list[dict[str, Any]]]:
    """A synthetic city of about ``people`` people, as the dicts of a network document."""
    doc: dict[str, list[dict[str, Any]]] = {t.collection: [] for t in ENTITY_TYPES}
    start = datetime(2013, 11, 18, 8, tzinfo=UTC)
    for c in range(max(1, people // PER_CENTRE)):
        cid = f"c{c}"
        doc["centres"].append({"id": cid, "name": f"Centre {c}"})
        ws = [f"{cid}w{i}" for i in range(WORKERS)]
        for i, w in enumerate(ws):
            doc["workers"].append(
                {
                    "id": w,
                    "name": f"Worker {i}",
                    "centre": cid,
                    "certification": "intermediate" if i == 0 else "assistant",
                    "practice_since": "2005-01-01",
                }
            )
            if i:
                doc["supervisions"].append(
                    {
                        "id": f"{w}s",
                        "supervisor": ws[0],
                        "supervisee": w,
                        "kind": "professional",
                        "start": "2012-01-01",
                    }
                )
        vs = [f"{cid}v{i}" for i in range(VOLUNTEERS)]
        for i, v in enumerate(vs):
            doc["volunteers"].append(
                {"id": v, "name": "V", "centre": cid, "birth_date": f"{1960 + i % 40}-03-04"}
            )
            doc["supervisions"].append(
                {
                    "id": f"{v}s",
                    "supervisor": ws[1 + i % (WORKERS - 1)],
                    "supervisee": v,
                    "kind": "guidance",
                    "start": "2012-01-01",
                }
            )
        ks = [f"{cid}k{i}" for i in range(CLIENTS)]
        for i, k in enumerate(ks):
            doc["clients"].append(
                {"id": k, "name": "K", "centre": cid, "needs": [NEEDS[i % len(NEEDS)]]}
            )
            doc["assignments"].append(
                {"id": f"{k}a", "worker": ws[i % WORKERS], "client": k, "start": "2013-01-01"}
            )
        doc["programmes"].append(
            {"id": f"{cid}p", "name": "P", "centre": cid, "service_area": "rehabilitation"}
        )
        doc["activities"].append(
            {
                "id": f"{cid}act",
                "name": "Session",
                "programme": f"{cid}p",
                "start": start.isoformat(),
                "end": (start + timedelta(hours=2)).isoformat(),
                "workers": ws[:2],
                "volunteers": vs[:6],
                "clients": ks[:20],
            }
        )
    return doc


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``fn`` over ``repeat`` runs, with the cyclic GC paused."""
    times = []
    for _ in range(repeat):
        gc.collect()
        with gc_paused():
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_size(people: int, repeat: int) -> tuple[float, float]:
    """Print the check against its two baselines for one city size."""
    doc = city(people)
    adapters = {t.collection: TypeAdapter(list[t]) for t in ENTITY_TYPES}

    def validate_plain() -> None:
        for name, items in doc.items():
            adapters[name].validate_python(items)

    def build() -> sv.Network:
        return sv.Network.model_validate(doc)

    t_plain = median_time(validate_plain, repeat)
    t_build = median_time(build, repeat)
    network = build()
    cn = sv.rules.pack("cn-default")
    t_check = median_time(lambda: sv.check(network, rules=cn, on=date(2013, 11, 18)), repeat)
    report = sv.check(network, rules=cn, on=date(2013, 11, 18))
    print(
        f"{people:>9,} people | plain pydantic (b) {t_plain:7.3f} s | Network build (a) "
        f"{t_build:7.3f} s | check {t_check:7.3f} s | check/(b) {t_check / t_plain:5.2f} | "
        f"check/(a) {t_check / t_build:5.2f} | {len(report.violations)} violations"
    )
    return t_plain, t_check


def _dinitz_size(network: sv.Network, capacity: int, compatible: Compatible | None) -> int:
    """The size of a maximum assignment by networkx's Dinitz, one flow per centre."""
    size = 0
    for centre in network.centres:
        workers = [w for w in network.workers if w.centre == centre.id]
        flow: nx.DiGraph[object] = nx.DiGraph()
        for v in network.volunteers:
            if v.centre != centre.id:
                continue
            for w in workers:
                if compatible is None or compatible(w, v.id):
                    flow.add_edge("source", ("v", v.id), capacity=1)
                    flow.add_edge(("v", v.id), ("w", w.id), capacity=1)
        for w in workers:
            flow.add_edge(("w", w.id), "sink", capacity=capacity)
        if "source" in flow:
            size += int(dinitz(flow, "source", "sink").graph["flow_value"])
    return size


def _three_suit_each(worker: SocialWorker, volunteer: str) -> bool:
    """A compatibility that leaves the greedy pass short (3 people per centre).

    Worker i suits volunteers j = i, i+1, i+3 (mod 10): three supervisors suit each.
    """
    i, j = int(worker.id.rsplit("w", 1)[1]), int(volunteer.rsplit("v", 1)[1])
    return (j - i) % 10 in {0, 1, 3}


def bench_assignment(repeat: int, budget: float | None) -> None:
    """Print the supervisor assignment against plain validation of the same data."""
    # 1k supervisors (10 per centre) and 10k volunteers (100 per centre), 12 places each.
    doc: dict[str, list[dict[str, Any]]] = {"centres": [], "workers": [], "volunteers": []}
    for c in range(100):
        doc["centres"].append({"id": f"c{c}", "name": "C"})
        doc["workers"] += [
            {"id": f"c{c}w{i}", "name": "W", "centre": f"c{c}", "certification": "assistant"}
            for i in range(10)
        ]
        doc["volunteers"] += [
            {"id": f"c{c}v{i}", "name": "V", "centre": f"c{c}"} for i in range(100)
        ]
    network = sv.Network.model_validate(doc)
    adapters = {name: TypeAdapter(list[t]) for t in ENTITY_TYPES for name in [t.collection]}
    t_plain = median_time(
        lambda: [adapters[n].validate_python(items) for n, items in doc.items()], repeat
    )
    t_arith = median_time(lambda: assign_supervisors(network, capacity=12), repeat)
    print(
        f"assignment 10k volunteers -> 1k supervisors, 12 places each | plain pydantic of "
        f"the same data {t_plain:6.3f} s | arithmetic {t_arith:6.3f} s "
        f"({t_arith / t_plain:5.2f}x)"
    )
    for label, compatible in (("same centre", None), ("3 suit each", _three_suit_each)):
        t_flow = median_time(
            lambda c=compatible: assign_supervisors(
                network, capacity=12, method="max_flow", compatible=c
            ),
            repeat,
        )
        t_dinitz = median_time(lambda c=compatible: _dinitz_size(network, 12, c), 1)
        result = assign_supervisors(network, capacity=12, method="max_flow", compatible=compatible)
        maximum = _dinitz_size(network, 12, compatible)
        budget_text = "" if budget is None else f" | {t_flow / budget:.2f} of the budget"
        print(
            f"  max-flow, compatibility {label:<11}: {t_flow:6.3f} s "
            f"({t_flow / t_plain:6.2f}x plain){budget_text} | networkx Dinitz {t_dinitz:6.3f} s "
            f"| placed {len(result.assignment)} (Dinitz maximum {maximum}), "
            f"extra supervisors {sum(result.extra_supervisors.values())}"
        )
    if budget is not None:
        print(f"  budget: 2x plain pydantic at 100k people = {budget:.3f} s (target <= 1)")


def main() -> None:
    """Run every size and the assignment."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="also run 1M people (slow)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000], help="people per city"
    )
    args = parser.parse_args()
    sizes = args.sizes + ([1_000_000] if args.full else [])
    one, five, _ = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {one:.2f} (1 min), {five:.2f} (5 min); "
        "GC: collected before each run and paused during it, baseline and check alike"
    )
    checks: dict[int, float] = {}
    plains: dict[int, float] = {}
    for people in sizes:
        plains[people], checks[people] = bench_size(
            people, 1 if people >= 1_000_000 else args.repeat
        )
    for small, large in itertools.pairwise(sizes):
        growth = (checks[large] / checks[small]) / (large / small)
        nlogn = math.log(large) / math.log(small)
        print(
            f"check time per person, {large:,} vs {small:,}: {growth:.2f}x "
            f"(linear 1.00, n log n {nlogn:.2f})"
        )
    bench_assignment(args.repeat, 2 * plains[100_000] if 100_000 in plains else None)


if __name__ == "__main__":
    main()
