"""check() on one shared Network from many threads gives what it gives alone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import sw_volunteer as sv
from sw_volunteer.privacy import aggregate, redact

from .conftest import KEY, build_network


def test_check_is_safe_on_a_shared_network_from_a_thread_pool() -> None:
    network = build_network()
    packs = list(sv.rules.available_packs())
    expected = {p: sv.check(network, rules=p, on=date(2016, 3, 1)).to_records() for p in packs}
    assert any(expected.values())  # there is something to get wrong

    def one(i: int) -> tuple[str, list[dict[str, object]]]:
        pack = packs[i % len(packs)]
        return pack, sv.check(network, rules=pack, on=date(2016, 3, 1)).to_records()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(200)))
    assert all(records == expected[pack] for pack, records in results)


def test_redaction_and_aggregates_are_safe_from_a_thread_pool() -> None:
    network = build_network()
    expected = (redact(network, key=KEY), aggregate(network))
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda _: (redact(network, key=KEY), aggregate(network)), range(50))
        )
    assert all(result == expected for result in results)
