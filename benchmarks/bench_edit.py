"""Edits and re-checks against a full load and check of the same synthetic city, same run.

Run: ``python benchmarks/bench_edit.py [--small] [--repeat 5]``

The city is ``benchmarks/_city.py`` at 100,000 people (``--small``: 10,000). Baselines:
a full ``sv.loads`` of its JSON, and ``sv.loads`` plus ``sv.check`` on one day. Each edit
is timed alone (``with_...``) and followed by a re-check (``Checker.update``); a batch
applies 1,000 edits in one ``Network.edit()`` and re-checks once. The checker follows
the network through all the runs (each run edits the network the previous one made).
Memory per person is the memory ``tracemalloc`` sees held by the loaded network.

Figures are medians of ``--repeat`` runs (the collector is run before each one and left
on during it, as an application would have it); ratios are what to compare, since
absolute times on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _city import city_json

import sw_volunteer as sv

DAY = date(2013, 11, 18)


def median_time(fn: Callable[[int], Any], repeat: int) -> float:
    """Median wall time of ``fn(run)`` over ``repeat`` runs, collecting garbage before each."""
    times = []
    for run in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn(run)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class Session:
    """A network and its checker, edited run after run as an application would."""

    def __init__(self, network: sv.Network) -> None:
        self.network = network
        self.checker = sv.Checker(network, on=DAY)
        self.serial = 0

    def fresh(self, prefix: str) -> str:
        """A new id."""
        self.serial += 1
        return f"{prefix}{self.serial}"


def _volunteer(session: Session) -> list[sv.Volunteer | sv.Supervision]:
    vid = session.fresh("bench-v")
    return [
        sv.Volunteer(id=vid, name="新志愿者", centre="c0", birth_date=date(1990, 5, 1)),
        sv.Supervision(
            id=f"{vid}-g", supervisor="w0", supervisee=vid, kind="guidance", start=date(2013, 3, 1)
        ),
    ]


def _client(session: Session) -> list[sv.Client | sv.CaseAssignment]:
    kid = session.fresh("bench-k")
    return [
        sv.Client(id=kid, name="服务对象", centre="c1", needs=["elderly_frail"]),
        sv.CaseAssignment(id=f"{kid}-a", worker="w1", client=kid, start=date(2013, 1, 1)),
    ]


def _edits(session: Session) -> dict[str, Callable[[], sv.Network]]:
    """One edit of each kind, each on the session's current network."""

    def add_volunteer() -> sv.Network:
        return session.network.with_added(*_volunteer(session))

    def add_client() -> sv.Network:
        return session.network.with_added(*_client(session))

    def replace_volunteer() -> sv.Network:
        v = session.network.volunteers[len(session.network.volunteers) // 2]
        skills = frozenset() if v.skills else frozenset({"music"})
        return session.network.with_replaced(v.model_copy(update={"skills": skills}))

    def replace_worker() -> sv.Network:
        w = session.network.workers[len(session.network.workers) // 3]
        level = "senior" if w.certification.value != "senior" else "intermediate"
        return session.network.with_replaced(
            sv.SocialWorker.model_validate({**w.model_dump(), "certification": level})
        )

    def remove_client() -> sv.Network:
        return session.network.with_removed(session.network.clients[-1].id, cascade=True)

    def remove_volunteer() -> sv.Network:
        return session.network.with_removed(session.network.volunteers[0].id, cascade=True)

    return {
        "add a volunteer and their guidance": add_volunteer,
        "add a client and their case": add_client,
        "replace a volunteer": replace_volunteer,
        "replace a social worker": replace_worker,
        "remove a client (cascade)": remove_client,
        "remove a volunteer (cascade)": remove_volunteer,
    }


def _batch(session: Session, size: int) -> sv.Network:
    """``size`` edits in one draft: additions, replacements and removals with cascade."""
    net = session.network
    with net.edit() as draft:
        for _ in range(size // 2):
            draft.add(*_volunteer(session))
        for v in net.volunteers[100 : 100 + size // 4]:
            draft.replace(v.model_copy(update={"skills": frozenset({"calligraphy"})}))
        for c in net.clients[-(size - size // 2 - size // 4) :]:
            draft.remove(c.id, cascade=True)
    return draft.network


def main() -> None:
    """Print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="10,000 people instead of 100,000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    people = 10_000 if args.small else 100_000
    one, five, _ = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {one:.2f} (1 min), {five:.2f} (5 min); "
        f"GC: collected before each run, on during edits (sv.loads and the checker pause it)"
    )
    payload = city_json(people)
    t_load = median_time(lambda _: sv.loads(payload, format="json"), args.repeat)
    loaded = sv.loads(payload, format="json")
    t_check = median_time(lambda _, net=loaded: sv.check(net, on=DAY), args.repeat)
    full = t_load + t_check
    print(
        f"{people:,} people | sv.loads {t_load:.3f} s | sv.check {t_check:.3f} s | "
        f"both {full:.3f} s"
    )
    session = Session(loaded)
    print(f"{'edit':<36} {'edit':>9} {'/loads':>7} {'+re-check':>10} {'/(loads+check)':>15}")
    for label, edit in _edits(session).items():
        edit_times, total_times = [], []
        for _ in range(args.repeat):
            gc.collect()
            start = time.perf_counter()
            edited = edit()
            middle = time.perf_counter()
            report = session.checker.update(edited)
            end = time.perf_counter()
            session.network = edited
            edit_times.append(middle - start)
            total_times.append(end - start)
        t_edit, t_total = statistics.median(edit_times), statistics.median(total_times)
        print(
            f"{label:<36} {t_edit * 1000:7.1f}ms {t_edit / t_load:7.2%} "
            f"{t_total * 1000:8.1f}ms {t_total / full:15.2%}"
        )
    if report != sv.check(session.network, on=DAY):
        raise SystemExit("the re-check differs from a check")
    batch_times = []
    for _ in range(max(1, args.repeat // 2)):
        gc.collect()
        start = time.perf_counter()
        edited = _batch(session, 1000)
        session.checker.update(edited)
        batch_times.append(time.perf_counter() - start)
        session.network = edited
    t_batch = statistics.median(batch_times)
    print(
        f"{'batch of 1,000 edits + re-check':<36} {'':>9} {'':>7} {t_batch * 1000:8.1f}ms "
        f"{t_batch / full:15.2%}"
    )
    print("targets: one with_added <= 1% of sv.loads; one edit + re-check <= 1% of both;")
    print("         a batch of 1,000 edits + re-check <= 10% of both")
    del loaded, session, edited
    gc.collect()
    tracemalloc.start()
    measured = sv.loads(payload, format="json")
    held = tracemalloc.get_traced_memory()[0]
    measured.with_removed(measured.clients[-1].id, cascade=True)  # builds the reverse look-up
    with_referrers = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(
        f"memory per person (tracemalloc): network {held / people / 1000:.2f} kB; with the "
        f"look-up of referrers built by a first removal {with_referrers / people / 1000:.2f} kB"
    )


if __name__ == "__main__":
    main()
