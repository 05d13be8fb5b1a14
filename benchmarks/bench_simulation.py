"""Speed of the staffing simulation, against baselines measured in the same run.

Prints replications per second of ``sw_volunteer.simulation.run`` on the Rui'an 2013
scenario (52 weeks) and of two baselines of the same weekly dynamics:

- a minimal hand-written numpy loop: one shared Generator, ``binomial``/``poisson``
  across replications (no per-replication streams, so no reproducibility per
  replication across chunks; target: ``run`` at least 0.5x its speed);
- a plain-Python loop: one replication at a time, one Bernoulli draw per person
  (target: ``run`` at least 20x faster);

each timed as the best of several runs (``--repeat``), the Python loop on enough
replications to run for at least half a second. Then a parameter sweep run serially,
on a two-process ``ProcessPoolExecutor`` and on a two-worker Dask ``LocalCluster``
(from ``sw_volunteer.integrations.dask.local_cluster``), each repeated and
interleaved so they see the same machine; the load average and core count are
printed with them.

A parallel sweep is faster than the serial one only when the machine has idle cores
for its workers: two workers on two cores already busy with other work are no faster
than one process. Run it alone on an idle machine (``python
benchmarks/bench_simulation.py``); it uses both cores.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import random
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from sw_volunteer import datasets
from sw_volunteer import simulation as sim
from sw_volunteer.simulation import _policy
from sw_volunteer.simulation._engine import CompiledScenario


def numpy_baseline(model: CompiledScenario, reps: int, seed: int) -> np.ndarray:  # noqa: PLR0915 - the whole week, as in the engine
    """The weekly dynamics of the engine with a single Generator; volunteers per week."""
    rng = np.random.default_rng(seed)
    c, e, s = model.centres, model.early_weeks, model.sessions_max
    workers = np.broadcast_to(model.workers, (reps, c, 4)).copy()
    new = np.broadcast_to(model.new_volunteers, (reps, c, e)).copy()
    est = np.broadcast_to(model.volunteers, (reps, c)).copy()
    clients = np.broadcast_to(model.clients, (reps, c)).copy()
    waiting = np.broadcast_to(model.waiting, (reps, c)).copy()
    held_slot = np.arange(s) < model.sessions[:, None]
    per = np.maximum(model.sessions, 1)
    within_total = np.zeros((reps, model.weeks))
    volunteers_out = np.zeros((reps, model.weeks))
    p_w, p_e, p_l, p_x = (
        model.stage1_p[0],
        model.stage1_p[4],
        model.stage1_p[-2],
        model.stage1_p[-1],
    )
    for t in range(model.weeks):
        workers -= rng.binomial(workers, p_w)
        up = rng.binomial(workers[..., :3], model.upgrade_p)
        workers[..., :3] -= up
        workers[..., 1:] += up
        vac = np.maximum(model.posts[t] - workers.sum(-1), 0)
        hired = rng.binomial(vac, model.hire_p)
        for level in range(3):
            got = rng.binomial(hired, model.mix_p[level])
            workers[..., level] += got
            hired -= got
        workers[..., 3] += hired
        survivors = new - rng.binomial(new, p_e)
        est = est - rng.binomial(est, p_l) + survivors[..., -1]
        new[..., 1:] = survivors[..., :-1]
        new[..., 0] = rng.poisson(model.recruitment[t], (reps, c))
        volunteers = est + new.sum(-1)
        clients -= rng.binomial(clients, p_x)
        waiting += rng.poisson(model.arrivals, (reps, c))
        admitted = np.minimum(waiting, np.maximum(model.places[t] - clients, 0))
        clients += admitted
        waiting -= admitted
        total = workers.sum(-1)
        cert = total - workers[..., 0]
        rostered = np.minimum(total, model.workers_per_session)
        rc = np.minimum(cert, rostered)
        shifts = np.floor(volunteers * model.shifts_per_volunteer + 0.5).astype(np.int64)
        roster = (shifts // per)[..., None] + (np.arange(s) < (shifts % per)[..., None])
        roster = np.where(held_slot, roster, 0)
        pc = rng.binomial(np.where(held_slot, rc[..., None], 0), model.present_p[0, 0])
        pu = rng.binomial(np.where(held_slot, (rostered - rc)[..., None], 0), model.present_p[1, 0])
        pv = rng.binomial(roster, model.present_p[2, 0])
        invited = np.minimum(clients, model.clients_per_session)
        att = rng.binomial(np.where(held_slot, invited[..., None], 0), model.present_p[3, 0])
        adults = pc + pu + model.volunteer_weight * rng.binomial(pv, model.adult_share[:, None])
        limited = np.isfinite(model.ratio)[:, None]
        ratio = np.where(limited, model.ratio[:, None], 1.0)
        capacity = np.where(limited, np.floor(adults * ratio + 1e-9), np.inf)
        ok = (adults >= model.min_adults) & (capacity >= att) & (pc >= model.min_certified)
        ok &= att <= model.group[:, None]
        within_total[:, t] = (held_slot & (att > 0) & ok).sum((-1, -2))
        volunteers_out[:, t] = volunteers.sum(-1)
    return volunteers_out


def _binomial(n: int, p: float) -> int:
    return sum(random.random() < p for _ in range(n))


def _poisson(lam: float) -> int:
    # Knuth's product of uniforms: plain Python, as a hand-written loop would do it.
    limit, k, prod = np.exp(-lam), 0, random.random()
    while prod > limit:
        k += 1
        prod *= random.random()
    return k


def python_baseline(model: CompiledScenario, reps: int, seed: int) -> list[list[int]]:
    """The same dynamics, one replication and one person at a time."""
    random.seed(seed)
    out = []
    p_w, p_e, p_l, p_x = (float(x) for x in model.stage1_p[[0, 4, -2, -1]])
    for _ in range(reps):
        workers = model.workers.tolist()
        new = model.new_volunteers.tolist()
        est = model.volunteers.tolist()
        clients = model.clients.tolist()
        waiting = model.waiting.tolist()
        series = []
        for t in range(model.weeks):
            total_v = 0
            for c in range(model.centres):
                w = [x - _binomial(x, p_w) for x in workers[c]]
                up = [_binomial(w[i], float(model.upgrade_p[i])) for i in range(3)]
                for i in range(3):
                    w[i] -= up[i]
                    w[i + 1] += up[i]
                hired = _binomial(max(int(model.posts[t, c]) - sum(w), 0), model.hire_p)
                for level in range(3):
                    got = _binomial(hired, float(model.mix_p[level]))
                    w[level] += got
                    hired -= got
                w[3] += hired
                workers[c] = w
                survivors = [x - _binomial(x, p_e) for x in new[c]]
                est[c] = est[c] - _binomial(est[c], p_l) + survivors[-1]
                new[c] = [_poisson(float(model.recruitment[t, c])), *survivors[:-1]]
                volunteers = est[c] + sum(new[c])
                clients[c] -= _binomial(clients[c], p_x)
                waiting[c] += _poisson(float(model.arrivals[c]))
                admitted = min(waiting[c], max(int(model.places[t, c]) - clients[c], 0))
                clients[c] += admitted
                waiting[c] -= admitted
                total = sum(w)
                cert = total - w[0]
                rostered = min(total, int(model.workers_per_session[c]))
                rc = min(cert, rostered)
                sessions = int(model.sessions[c])
                shifts = int(volunteers * float(model.shifts_per_volunteer[c]) + 0.5)
                for s in range(sessions):
                    roster = shifts // sessions + (s < shifts % sessions)
                    pc = _binomial(rc, float(model.present_p[0, 0]))
                    pu = _binomial(rostered - rc, float(model.present_p[1, 0]))
                    pv = _binomial(roster, float(model.present_p[2, 0]))
                    invited = min(clients[c], int(model.clients_per_session[c]))
                    _binomial(invited, float(model.present_p[3, 0]))
                    _binomial(pv, float(model.adult_share[c]))
                    del pc, pu
                total_v += volunteers
            series.append(total_v)
        out.append(series)
    return out


def _best_time(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def _best_rate(label: str, reps: int, call: Callable[[], object], repeat: int) -> float:
    best = _best_time(call, repeat)
    rate = reps / best
    print(
        f"  {label:<44} {rate:>8.0f} replications/s  "
        f"({reps} replications, best of {repeat}: {best:.3f} s)"
    )
    return rate


def _python_replications(model: CompiledScenario, seconds: float) -> int:
    """Enough replications for the Python loop to run ``seconds`` (from a short probe)."""
    probe = 5
    start = time.perf_counter()
    python_baseline(model, probe, 1)
    per_replication = (time.perf_counter() - start) / probe
    return max(probe, math.ceil(seconds / per_replication))


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min); {os.cpu_count()} cores"


def main() -> None:
    """Measure and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replications", type=int, default=4000)
    parser.add_argument("--python-seconds", type=float, default=0.6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sweep-replications", type=int, default=2000)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    repeat = max(3, args.repeat)

    scenario = sim.Scenario.from_network(datasets.ruian_2013(), weeks=52)
    model = CompiledScenario.from_scenario(scenario)
    reps = args.replications
    print(f"Rui'an 2013 scenario: {len(scenario.centres)} centres, {scenario.weeks} weeks")
    print(f"  {_load()}")
    sim.run(scenario, replications=50, seed=1)  # warm-up
    numpy_baseline(model, 50, 1)
    engine = _best_rate(
        "sw_volunteer.simulation.run",
        reps,
        lambda: sim.run(scenario, replications=reps, seed=1),
        repeat,
    )
    baseline = _best_rate(
        "hand-written numpy loop (shared Generator)",
        reps,
        lambda: numpy_baseline(model, reps, 1),
        repeat,
    )
    python_reps = _python_replications(model, args.python_seconds)
    python = _best_rate(
        "plain-Python loop",
        python_reps,
        lambda: python_baseline(model, python_reps, 1),
        repeat,
    )
    print(f"  run / numpy loop:  {engine / baseline:.2f}x  (target >= 0.5x)")
    print(f"  run / Python loop: {engine / python:.1f}x  (target >= 20x)")

    check = numpy_baseline(model, 2000, 3).mean()
    ours = sim.run(scenario, replications=2000, seed=3).series("volunteers").mean()
    print(f"  sanity: mean volunteers, numpy loop {check:.2f} vs run {ours:.2f}")
    _policies(scenario, min(reps, 500))
    _sweeps(scenario, args.sweep_replications, repeat, dask=not args.no_dask)


def _policies(scenario: sim.Scenario, reps: int) -> None:
    """The planner policy's run time against the even policy's, same scenario and seed.

    The planner's first run starts from an empty memo (every distinct week solved by
    CP-SAT); the second finds the weeks it has seen.
    """
    planner = scenario.model_copy(update={"policy": "planner"})
    _policy.forget_weeks()
    even = _best_time(lambda: sim.run(scenario, replications=reps, seed=1), 1)
    cold = _best_time(lambda: sim.run(planner, replications=reps, seed=1), 1)
    weeks = _policy.remembered_weeks()
    warm = _best_time(lambda: sim.run(planner, replications=reps, seed=1), 1)
    print(
        f"  planner / even policy, {reps} replications: {cold / even:.0f}x the time "
        f"({cold:.2f} s, {weeks} distinct weeks solved; {warm / even:.0f}x with them remembered)"
    )


def _sweeps(scenario: sim.Scenario, reps: int, repeat: int, *, dask: bool) -> None:
    """Serial, process-pool and Dask sweeps, interleaved ``repeat`` times; best of each."""
    grid = {"no_show": [0.1, 0.2, 0.3], "volunteer_dropout_late": [0.035, 0.06]}
    chunk = 1000  # 12 tasks of about 0.2 s for two workers
    print(f"Sweep: 6 points x {reps} replications, chunks of {chunk}")
    print(f"  before: {_load()}")
    with contextlib.ExitStack() as stack:
        runners: dict[str, Callable[[], sim.SweepResult]] = {
            "serial": lambda: sim.sweep(scenario, grid, replications=reps, seed=5)
        }
        pool = stack.enter_context(ProcessPoolExecutor(max_workers=2))
        runners["ProcessPoolExecutor (2 processes)"] = lambda: sim.sweep(
            scenario, grid, replications=reps, seed=5, executor=pool, chunk_size=chunk
        )
        if dask:
            from distributed import Client

            from sw_volunteer.integrations.dask import executor_from_client, local_cluster

            cluster = stack.enter_context(local_cluster(n_workers=2, dashboard_address=None))
            client = stack.enter_context(Client(cluster))
            on_dask = executor_from_client(client)
            runners["Dask local_cluster (2 workers)"] = lambda: sim.sweep(
                scenario, grid, replications=reps, seed=5, executor=on_dask, chunk_size=chunk
            )
        for label, runner in runners.items():  # warm-up: processes started, tables built
            if label != "serial":
                runner()
        times: dict[str, list[float]] = {label: [] for label in runners}
        results: dict[str, sim.SweepResult] = {}
        for _ in range(repeat):
            for label, runner in runners.items():
                start = time.perf_counter()
                results[label] = runner()
                times[label].append(time.perf_counter() - start)
    serial_time = min(times["serial"])
    serial = results["serial"]
    for label, measured in times.items():
        best = min(measured)
        line = f"  {label:<36} {best:6.2f} s (best of {len(measured)})"
        if label != "serial":
            same = all(
                np.array_equal(a[m], b[m])
                for a, b in zip(serial.results, results[label].results, strict=True)
                for m in a.arrays
            )
            line += f"  speed-up {serial_time / best:.2f}x; identical results: {same}"
        print(line)
    print(f"  after:  {_load()}")


if __name__ == "__main__":
    main()
