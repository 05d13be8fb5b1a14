"""An attacker who does the arithmetic recovers no suppressed aggregate cell.

The attacker here is written independently of the library's audit: from the published
cells alone, plus the outside knowledge that every client has one need (so the need cells
of a centre add up to its clients), it solves, for every suppressed cell, the smallest
and largest whole number the cell can be (integer programmes on SciPy's HiGHS), and
counts the cells whose two bounds meet. If the published mark told small cells from the
others, it would use that too (a small cell is at most ``threshold - 1``).
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from scipy import optimize

import sw_volunteer as sv
from sw_volunteer.models import Centre, Client, Network, SocialWorker, Volunteer
from sw_volunteer.vocab import CertificationLevel, ClientNeed

ON = date(2013, 11, 18)
_NEEDS = list(ClientNeed)
_WEIGHTS = [8, 4, 3, 3, 2, 2, 2, 2, 1, 1, 1]  # psychiatric rehabilitation is the commonest


def random_centres(n: int, seed: int) -> Network:
    """``n`` centres of 0-12 social workers, 0-30 volunteers and 0-30 clients, one need each."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    centres, workers, volunteers, clients = [], [], [], []
    for i in range(n):
        centre = f"c{i}"
        centres.append(Centre(id=centre, name=centre))
        workers += [
            SocialWorker(
                id=f"{centre}-w{j}",
                name="W",
                centre=centre,
                certification=rng.choice(list(CertificationLevel)),
            )
            for j in range(rng.randint(0, 12))
        ]
        volunteers += [
            Volunteer(
                id=f"{centre}-v{j}",
                name="V",
                centre=centre,
                birth_date=None if rng.random() < 0.1 else date(rng.randint(1940, 2008), 1, 1),
            )
            for j in range(rng.randint(0, 30))
        ]
        clients += [
            Client(
                id=f"{centre}-k{j}",
                name="K",
                centre=centre,
                birth_date=None if rng.random() < 0.1 else date(rng.randint(1930, 2010), 1, 1),
                needs={rng.choices(_NEEDS, _WEIGHTS)[0]},
            )
            for j in range(rng.randint(0, 30))
        ]
    return Network(centres=centres, workers=workers, volunteers=volunteers, clients=clients)


def recovered(records: list[dict[str, object]], threshold: int) -> list[tuple[object, ...]]:
    """The suppressed cells whose count the attacker works out exactly."""
    groups: dict[tuple[object, object], list[dict[str, object]]] = {}
    for record in records:
        groups.setdefault((record["centre"], record["role"]), []).append(record)
    return [
        (group[0]["centre"], group[0]["role"], *key)
        for group in groups.values()
        for key in _recovered_in(group, threshold)
    ]


def _recovered_in(group: list[dict[str, object]], threshold: int) -> list[tuple[object, object]]:
    """The hidden cells of one centre's role that the attacker works out."""
    shown = {(r["dimension"], r["category"]): r["count"] for r in group}
    marks = {(r["dimension"], r["category"]): r["suppressed"] for r in group}
    hidden = [key for key, count in shown.items() if count is None]
    index = {key: i for i, key in enumerate(hidden)}

    def row(terms: list[tuple[tuple[object, object], int]]) -> tuple[list[float], float]:
        coefficients, rhs = [0.0] * len(hidden), 0.0
        for key, a in terms:
            if key in index:
                coefficients[index[key]] += a
            else:
                rhs -= a * float(shown[key])  # type: ignore[arg-type]
        return coefficients, rhs

    total = ("total", "all")
    equal = [
        row([(total, 1)] + [(key, -1) for key in shown if key[0] == dimension])
        for dimension in ("certification", "age_band", "need")
        if any(key[0] == dimension for key in shown)
    ]
    at_most = [row([(key, 1), (total, -1)]) for key in shown if key[0] == "need"]
    small = {"primary", "small"}  # a mark that gave the size away
    bounds = [(1, threshold - 1) if marks[key] in small else (1, None) for key in hidden]
    found = []
    for key in hidden:
        cost = [0.0] * len(hidden)
        cost[index[key]] = 1.0
        problem = {
            "A_eq": [r for r, _ in equal] or None,
            "b_eq": [b for _, b in equal] or None,
            "A_ub": [r for r, _ in at_most] or None,
            "b_ub": [b for _, b in at_most] or None,
            "bounds": bounds,
            "method": "highs",
            "integrality": [1] * len(hidden),
        }
        low = optimize.linprog(cost, **problem)
        high = optimize.linprog([-c for c in cost], **problem)
        if low.status == 0 and high.status == 0 and round(low.fun) == round(-high.fun):
            found.append(key)
    return found


def test_no_suppressed_cell_of_random_centres_is_recovered() -> None:
    network = random_centres(12, seed=0)
    table = sv.privacy.aggregate(network, on=ON)
    hidden = [c for c in table.cells if c.count is None]
    assert len(hidden) > 100  # there is something to attack
    assert recovered(table.to_records(), table.threshold) == []


@pytest.mark.parametrize("threshold", [5, 10])
def test_no_suppressed_cell_of_the_ruian_data_is_recovered(threshold: int) -> None:
    table = sv.privacy.aggregate(sv.datasets.ruian_2013(), threshold=threshold)
    assert any(c.count is None for c in table.cells)
    assert recovered(table.to_records(), threshold) == []


def test_the_attacker_recovers_a_lone_hidden_need() -> None:
    # the attack can succeed: one cell hidden, the others and the total shown
    records: list[dict[str, object]] = [
        {"centre": "c", "role": "client", "dimension": d, "category": k, "count": n,
         "suppressed": n is None}
        for d, k, n in [
            ("total", "all", 8),
            ("need", "psychiatric_rehabilitation", 7),
            ("need", "drug_rehabilitation", None),
        ]
    ]  # fmt: skip
    assert recovered(records, 5) == [("c", "client", "need", "drug_rehabilitation")]
