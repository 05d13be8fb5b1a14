"""A synthetic city for benchmarks: ~1% social workers, ~10% volunteers, the rest clients."""

from __future__ import annotations

import json
import random
from typing import Any

LEVELS = ["assistant", "assistant", "assistant", "intermediate", "senior", "none"]
NEEDS = [
    "psychiatric_rehabilitation",
    "intellectual_disability",
    "elderly_independent",
    "elderly_frail",
    "child_6_8",
    "child_9_12",
    "drug_rehabilitation",
]


def _day(rng: random.Random, first_year: int, last_year: int) -> str:
    return f"{rng.randint(first_year, last_year)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"


def synthetic_city(people: int, *, seed: int = 0, people_per_centre: int = 500) -> dict[str, Any]:
    """A valid network document with ``people`` people, supervision and case assignments."""
    rng = random.Random(seed)
    doc: dict[str, list[dict[str, Any]]] = {
        k: []
        for k in (
            "centres",
            "workers",
            "volunteers",
            "clients",
            "programmes",
            "activities",
            "supervisions",
            "assignments",
        )
    }
    n_centres = max(1, people // people_per_centre)
    n_workers = max(n_centres, people // 100)
    n_volunteers = people // 10
    n_clients = people - n_workers - n_volunteers
    for c in range(n_centres):
        doc["centres"].append({"id": f"c{c}", "name": f"Centre {c}", "kind": "service_centre"})
        doc["programmes"].append(
            {
                "id": f"p{c}",
                "name": f"Programme {c}",
                "centre": f"c{c}",
                "service_area": "rehabilitation",
            }
        )
    workers_of: dict[int, list[str]] = {c: [] for c in range(n_centres)}
    for w in range(n_workers):
        c = w % n_centres
        level = "intermediate" if not workers_of[c] else rng.choice(LEVELS)
        doc["workers"].append(
            {
                "id": f"w{w}",
                "name": f"Worker {w}",
                "centre": f"c{c}",
                "certification": level,
                "practice_since": f"{rng.randint(2000, 2012)}-03-01",
            }
        )
        if workers_of[c]:
            doc["supervisions"].append(
                {
                    "id": f"s{w}",
                    "supervisor": workers_of[c][0],
                    "supervisee": f"w{w}",
                    "kind": "professional",
                    "start": "2013-01-01",
                }
            )
        workers_of[c].append(f"w{w}")
    for v in range(n_volunteers):
        c = v % n_centres
        doc["volunteers"].append(
            {
                "id": f"v{v}",
                "name": f"Volunteer {v}",
                "centre": f"c{c}",
                "birth_date": _day(rng, 1950, 2000),
                "skills": ["music"] if v % 3 else [],
                "insurance": {"start": "2013-01-01", "until": "2013-12-31"},
            }
        )
        doc["supervisions"].append(
            {
                "id": f"g{v}",
                "supervisor": rng.choice(workers_of[c]),
                "supervisee": f"v{v}",
                "kind": "guidance",
                "start": "2013-03-01",
            }
        )
    for k in range(n_clients):
        c = k % n_centres
        doc["clients"].append(
            {
                "id": f"k{k}",
                "name": f"Client {k}",
                "centre": f"c{c}",
                "birth_date": _day(rng, 1930, 2007),
                "needs": [rng.choice(NEEDS)],
            }
        )
        doc["assignments"].append(
            {
                "id": f"a{k}",
                "worker": rng.choice(workers_of[c]),
                "client": f"k{k}",
                "start": "2013-01-01",
            }
        )
    for c in range(n_centres):
        day = 1 + c % 28
        doc["activities"].append(
            {
                "id": f"act{c}",
                "name": f"Session {c}",
                "programme": f"p{c}",
                "start": f"2013-11-{day:02d}T09:00:00+08:00",
                "end": f"2013-11-{day:02d}T11:00:00+08:00",
                "workers": workers_of[c][:2],
                "volunteers": [
                    f"v{v}" for v in range(c, min(n_volunteers, c + 4 * n_centres), n_centres)
                ],
                "clients": [
                    f"k{k}" for k in range(c, min(n_clients, c + 12 * n_centres), n_centres)
                ],
            }
        )
    return doc


def city_json(people: int, *, seed: int = 0) -> bytes:
    """The synthetic city as JSON bytes."""
    return json.dumps(synthetic_city(people, seed=seed), ensure_ascii=False).encode("utf-8")
