"""Benchmark the staffed term on CP-SAT against a greedy roster, in the same run.

Two instances:

- the Rui'an 4:30 school (快乐四点半) for its autumn term, 2013-09-02 to 2014-01-17
  (two sessions each school day, staffed from the studio's 4 social workers and 78
  volunteers, with their availability and absences; at most 6 hours a week each);
- a synthetic city of 100 centres (``benchmarks/_city.py``: 5 social workers and 50
  volunteers a centre) with two recurring activities a centre (Monday, Wednesday and
  Friday mornings, 12 clients; Tuesday and Thursday afternoons, 8 clients), for 4 weeks;
  volunteers available mornings, afternoons or any time; at most 8 hours a week.

Baseline, written here: greedy, "fill each session from the first available": sessions
in time order; people in the order substitutes are offered (social workers, highest
certification first, then volunteers; ties by id); skip whoever is booked at an
overlapping session or would pass the weekly cap; take the first certified social
worker while one is missing, then the first adults until the session has the adults
its rules ask (the pack's minimum and every ratio for its clients). Both rosters are
scored with the same weights (10 a person, 1 an assignment, 1 a distinct person and
activity) and applied and checked with ``sv.check(between=...)``.

Printed: objective, people used, sessions left short (by the check) and time of each
roster; for CP-SAT (one run per worker count, ``--workers``, default 1 and 2) its status,
bound and gap (``(objective - bound) / objective``, the solver's own); and the ratios
CP-SAT / greedy with a verdict (not worse: no more sessions short and, when as many, an
objective no higher). Targets (the issue): the Rui'an term to proven optimum in under
5 s; the city within 1% of the solver's bound in under 60 s on 2 cores; the plan never
worse than greedy. ``staff_term`` solves each centre on one CP-SAT worker and, with 2
workers, two centres at a time: the city is solved twice as fast, the school (one
centre) in the same time, and the rosters are the same.

Run: ``python benchmarks/bench_plan.py [--small] [--workers 1,2]`` (``--small``: the
Rui'an school for November only, a city of 10 centres).
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sw_volunteer as sv
from sw_volunteer import plan
from sw_volunteer.rules import AdultsPresent, CheckContext, ClientAdultRatio, resolve_rules
from sw_volunteer.scheduling import Availability, Presence, session_rosters

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _city import synthetic_city

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEIGHTS = plan.Weights()


def city(centres: int) -> sv.Network:
    """The synthetic city with recurring sessions (see the module notes)."""
    doc = synthetic_city(centres * 500, seed=7)
    rng = random.Random(7)
    patterns = [
        ("2013-11-04T08:00:00+08:00", "PT4H", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("2013-11-05T13:00:00+08:00", "PT4H", "FREQ=WEEKLY;BYDAY=TU,TH"),
        None,
    ]
    for v in doc["volunteers"]:
        chosen = rng.choice(patterns)
        if chosen is not None:
            start, duration, rule = chosen
            v["availability"] = {
                "start": start,
                "timezone": "Asia/Shanghai",
                "duration": duration,
                "rules": [rule],
            }
    clients: dict[str, list[str]] = defaultdict(list)
    for k in doc["clients"]:
        clients[k["centre"]].append(k["id"])
    doc["activities"] = []
    for c in range(centres):
        for name, day, hour, rule, size in (
            ("am", "04", 9, "MO,WE,FR", 12),
            ("pm", "05", 14, "TU,TH", 8),
        ):
            first = f"2013-11-{day}T{hour:02d}:00:00+08:00"
            last = f"2013-11-{day}T{hour + 2:02d}:00:00+08:00"
            doc["activities"].append(
                {
                    "id": f"c{c}-{name}",
                    "name": f"Centre {c} {name}",
                    "programme": f"p{c}",
                    "start": first,
                    "end": last,
                    "clients": clients[f"c{c}"][:size],
                    "schedule": {
                        "start": first,
                        "timezone": "Asia/Shanghai",
                        "duration": "PT2H",
                        "rules": [f"FREQ=WEEKLY;BYDAY={rule}"],
                    },
                }
            )
    return sv.Network.model_validate(doc)


def _needs(activity: sv.Activity, ctx: CheckContext) -> tuple[int, int]:
    """Certified social workers and adults the session's rules ask for."""
    clients = activity.client_count
    if not clients:
        return 0, 0
    need_cert = need_adults = 0
    needs = ctx.client_needs(activity)
    for _, p in ctx.rules_with_params("adults_present"):
        if isinstance(p, AdultsPresent):
            need_cert = max(need_cert, p.min_certified_workers)
            need_adults = max(need_adults, math.ceil(p.min_adults))
    for _, p in ctx.rules_with_params("client_adult_ratio"):
        if isinstance(p, ClientAdultRatio) and p.setting is activity.setting and p.need in needs:
            need_adults = max(need_adults, math.ceil(clients / p.max_clients_per_adult))
    return need_cert, need_adults


def greedy(
    network: sv.Network, window: tuple[datetime, datetime], activities: list[str], cap: float
) -> plan.Roster:
    """Fill each session from the first available (see the module notes)."""
    start, end = window
    pack = resolve_rules(None).in_force_on(start.date())[0]
    ctx = CheckContext(network=network, on=start.date(), pack=pack)
    index = Availability(network, start, end)
    people: dict[str, list[sv.SocialWorker | sv.Volunteer]] = defaultdict(list)
    for w in sorted(network.workers, key=lambda w: (-w.certification.rank, w.id)):
        people[w.centre].append(w)
    for v in sorted(network.volunteers, key=lambda v: v.id):
        people[v.centre].append(v)
    booked: dict[str, list[tuple[float, float]]] = defaultdict(list)
    minutes: dict[tuple[str, int], float] = defaultdict(float)
    assignments = []
    sessions = []
    for roster in session_rosters(network, start, end, activities=activities, availability=index):
        activity = roster.activity
        a, b = roster.start.timestamp(), roster.end.timestamp()
        day = roster.start.date()
        week = day.isocalendar().week
        length = (b - a) / 60
        sessions.append((roster.session_id, activity.id, roster.start, roster.end))
        need_cert, need_adults = _needs(activity, ctx)
        cert = adults = 0
        centre = network.centre_of(activity.programme).id
        for person in people[centre]:
            if cert >= need_cert and adults >= need_adults:
                break
            if index.presence_ts(person.id, a, b) is not Presence.AVAILABLE:
                continue
            if any(s < b and a < e for s, e in booked[person.id]):
                continue
            if minutes[person.id, week] + length > cap * 60:
                continue
            is_worker = isinstance(person, sv.SocialWorker)
            certified = is_worker and person.certification.is_certified
            adult = is_worker or person.counts_as_adult_on(day, adult_age=ctx.adults.adult_age)
            if not ((cert < need_cert and certified) or (cert >= need_cert and adult)):
                continue
            cert += certified
            adults += adult
            booked[person.id].append((a, b))
            minutes[person.id, week] += length
            role = "worker" if is_worker else "volunteer"
            assignments.append(
                plan.Assignment(
                    roster.session_id, activity.id, roster.start, roster.end, person.id, role
                )
            )
    return plan.Roster(
        start=start,
        end=end,
        status=plan.SolveStatus.FEASIBLE,
        objective=score(assignments),
        bound=0,
        assignments=tuple(assignments),
        sessions=tuple(sessions),
    )


def score(assignments: list[plan.Assignment] | tuple[plan.Assignment, ...]) -> float:
    """The objective of :class:`plan.Weights` (the default weights) of some assignments."""
    people = {a.person for a in assignments}
    pairs = {(a.person, a.activity) for a in assignments}
    return (
        WEIGHTS.people * len(people)
        + WEIGHTS.assignments * len(assignments)
        + WEIGHTS.continuity * len(pairs)
    )


def short_sessions(network: sv.Network, roster: plan.Roster) -> int:
    """Sessions of the roster with a session-rule violation in the check."""
    report = sv.check(plan.apply_roster(network, roster), between=(roster.start, roster.end))
    ids = {s for s, _, _, _ in roster.sessions}
    return len({v.entities[0] for v in report.violations if v.entities and v.entities[0] in ids})


def compare(
    title: str,
    network: sv.Network,
    window: tuple[datetime, datetime],
    activities: list[str],
    *,
    cap: float,
    options: list[plan.SolverOptions],
) -> None:
    """Print greedy and CP-SAT (once per option set) on one instance, and their ratios."""
    gc.collect()
    began = time.perf_counter()
    base = greedy(network, window, activities, cap)
    greedy_time = time.perf_counter() - began
    runs = []
    for option in options:
        gc.collect()
        began = time.perf_counter()
        best = plan.staff_term(
            network, window, activities=activities, max_hours_per_week=cap, options=option
        )
        runs.append((option, best, time.perf_counter() - began))
    print(f"{title}: {len(base.sessions)} sessions, at most {cap:g} h a week each")
    base_short = short_sessions(network, base)
    print(
        f"  {'greedy (first available)':<28} objective {score(base.assignments):8.1f}  "
        f"people {len(base.people):5d}  short {base_short:4d}  time {greedy_time:7.2f} s"
    )
    for option, best, spent in runs:
        gap = 0.0 if best.objective <= 0 else (best.objective - best.bound) / best.objective
        short = short_sessions(network, best)
        label = f"CP-SAT, {option.workers} worker{'s' if option.workers > 1 else ''}"
        print(
            f"  {label:<28} objective {best.objective:8.1f}  people {len(best.people):5d}  "
            f"short {short:4d}  time {spent:7.2f} s  {best.status.value}, bound "
            f"{best.bound:.1f}, gap {gap:.2%}"
        )
        ratio = score(best.assignments) / max(score(base.assignments), 1)
        people = len(best.people) / max(len(base.people), 1)
        verdict = (
            "not worse than greedy"
            if short <= base_short and (base_short > short or ratio <= 1)
            else "WORSE than greedy"
        )
        print(
            f"    ratios / greedy: objective {ratio:.2f}x, people {people:.2f}x, "
            f"time {spent / max(greedy_time, 1e-9):.0f}x; greedy leaves "
            f"{base_short - short} more sessions short: {verdict}"
        )


def main() -> None:
    """Run both instances (or the small ones) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="November only; 10 centres")
    parser.add_argument("--workers", default="1,2", help="CP-SAT workers, one run each (1,2)")
    parser.add_argument("--work-limit", type=float, default=20.0, help="per centre (20)")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    options = [plan.SolverOptions(workers=w, work_limit=args.work_limit) for w in counts]
    one, five, _ = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {one:.2f} (1 min), {five:.2f} (5 min); "
        f"GC: collected before each run, left on during it; CP-SAT workers {args.workers}, "
        f"seed 0, work limit {args.work_limit:g} per centre"
    )
    ruian = sv.datasets.ruian_2013()
    term = (datetime(2013, 9, 2, tzinfo=SHANGHAI), datetime(2014, 1, 18, tzinfo=SHANGHAI))
    if args.small:
        term = (datetime(2013, 11, 1, tzinfo=SHANGHAI), datetime(2013, 12, 1, tzinfo=SHANGHAI))
    school = ["yucai-430-junior", "yucai-430-senior"]
    label = "Rui'an 4:30 school, " + ("November 2013" if args.small else "autumn term 2013")
    compare(label, ruian, term, school, cap=6.0, options=options)
    centres = 10 if args.small else 100
    town = city(centres)
    four_weeks = (datetime(2013, 11, 4, tzinfo=SHANGHAI), datetime(2013, 12, 2, tzinfo=SHANGHAI))
    compare(
        f"synthetic city, {centres} centres, 4 weeks",
        town,
        four_weeks,
        [a.id for a in town.activities],
        cap=8.0,
        options=options,
    )
    print(
        "targets: Rui'an term proven optimal in < 5 s; city within 1% of the bound in "
        "< 60 s on 2 cores; CP-SAT never worse than greedy"
    )


if __name__ == "__main__":
    main()
