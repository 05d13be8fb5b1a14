"""Speed of the staffing simulation, against baselines measured in the same run.

Prints replications per second of ``sw_volunteer.simulation.run`` on the Rui'an 2013
scenario (52 weeks) and of two baselines of the same weekly dynamics:

- a minimal hand-written numpy loop: one shared Generator, ``binomial``/``poisson``
  across replications (no per-replication streams, so no reproducibility per
  replication across chunks; target: ``run`` at least 0.5x its speed);
- a plain-Python loop: one replication at a time, one Bernoulli draw per person
  (target: ``run`` at least 20x faster);

and a parameter sweep on a two-worker Dask ``LocalCluster`` against the same sweep run
serially. Run it alone (``python benchmarks/bench_simulation.py``); it uses both cores.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from sw_volunteer import datasets
from sw_volunteer import simulation as sim
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


def _best_rate(label: str, reps: int, call: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    best = min(times)
    rate = reps / best
    print(f"  {label:<44} {rate:>10.0f} replications/s  (best of {repeat}: {best:.3f} s)")
    return rate


def main() -> None:
    """Measure and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replications", type=int, default=4000)
    parser.add_argument("--python-replications", type=int, default=20)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()

    scenario = sim.Scenario.from_network(datasets.ruian_2013(), weeks=52)
    model = CompiledScenario.from_scenario(scenario)
    reps = args.replications
    print(f"Rui'an 2013 scenario: {len(scenario.centres)} centres, {scenario.weeks} weeks")
    sim.run(scenario, replications=50, seed=1)  # warm-up
    engine = _best_rate(
        "sw_volunteer.simulation.run", reps, lambda: sim.run(scenario, replications=reps, seed=1)
    )
    baseline = _best_rate(
        "hand-written numpy loop (shared Generator)", reps, lambda: numpy_baseline(model, reps, 1)
    )
    python = _best_rate(
        "plain-Python loop",
        args.python_replications,
        lambda: python_baseline(model, args.python_replications, 1),
        repeat=1,
    )
    print(f"  run / numpy loop:  {engine / baseline:.2f}x  (target >= 0.5x)")
    print(f"  run / Python loop: {engine / python:.1f}x  (target >= 20x)")

    check = numpy_baseline(model, 2000, 3).mean()
    ours = sim.run(scenario, replications=2000, seed=3).series("volunteers").mean()
    print(f"  sanity: mean volunteers, numpy loop {check:.2f} vs run {ours:.2f}")

    grid = {"no_show": [0.1, 0.2, 0.3], "volunteer_dropout_late": [0.035, 0.06]}
    sweep_reps = 2000
    start = time.perf_counter()
    serial = sim.sweep(scenario, grid, replications=sweep_reps, seed=5)
    serial_time = time.perf_counter() - start
    print(f"Sweep: {len(serial)} points x {sweep_reps} replications")
    print(f"  serial                                   {serial_time:8.2f} s")
    with ProcessPoolExecutor(max_workers=2) as pool:
        sim.sweep(scenario, {"no_show": [0.1]}, replications=100, seed=5, executor=pool)
        start = time.perf_counter()
        pooled = sim.sweep(
            scenario, grid, replications=sweep_reps, seed=5, executor=pool, chunk_size=1000
        )
        pool_time = time.perf_counter() - start
    same = all(
        (a[m] == b[m]).all()
        for a, b in zip(serial.results, pooled.results, strict=True)
        for m in a.arrays
    )
    print(f"  ProcessPoolExecutor (2 processes)        {pool_time:8.2f} s")
    print(f"  speed-up: {serial_time / pool_time:.2f}x; identical results: {same}")
    if args.no_dask:
        return
    from distributed import Client, LocalCluster

    from sw_volunteer.integrations.dask import executor_from_client

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        executor = executor_from_client(client)
        sim.sweep(scenario, {"no_show": [0.1]}, replications=100, seed=5, executor=executor)
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            parallel = sim.sweep(
                scenario, grid, replications=sweep_reps, seed=5, executor=executor, chunk_size=1000
            )
            timings.append(time.perf_counter() - start)
    dask_time = min(timings)
    same = all(
        (a[m] == b[m]).all()
        for a, b in zip(serial.results, parallel.results, strict=True)
        for m in a.arrays
    )
    print(f"  Dask LocalCluster (2 workers)            {dask_time:8.2f} s (cluster already up)")
    print(f"  speed-up: {serial_time / dask_time:.2f}x; identical results: {same}")


if __name__ == "__main__":
    main()
