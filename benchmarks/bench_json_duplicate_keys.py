"""What refusing duplicate JSON keys costs the JSON fast path.

Prints the time of each way to read one synthetic document as a ratio to the fast path
(``Network.model_validate_json``) measured in the same run; medians of a few repeats.

Run: ``.venv/bin/python benchmarks/bench_json_duplicate_keys.py [people]``
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date

from sw_volunteer.models import Centre, Client, Network, Volunteer, gc_paused


def _document(people: int) -> bytes:
    network = Network(
        centres=[Centre(id="liqun", name="利群")],
        volunteers=[
            Volunteer(id=f"v{i}", name=f"志愿者{i}", centre="liqun", birth_date=date(1990, 1, 1))
            for i in range(people // 2)
        ],
        clients=[Client(id=f"c{i}", name=f"学员{i}", centre="liqun") for i in range(people // 2)],
    )
    return network.model_dump_json().encode()


def _median(run: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        with gc_paused():
            run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Measure and print the ratios."""
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    data = _document(people)
    import jiter
    from pydantic_core import from_json

    def pairs_hook(pairs: list[tuple[str, object]]) -> dict[str, object]:
        out = dict(pairs)
        if len(out) != len(pairs):
            raise ValueError("duplicate key")
        return out

    ways: dict[str, Callable[[], object]] = {
        "validate_json (fast path, keeps the last duplicate)": lambda: Network.model_validate_json(
            data
        ),
        "jiter catch_duplicate_keys + model_validate": lambda: Network.model_validate(
            jiter.from_json(data, catch_duplicate_keys=True)
        ),
        "pydantic_core.from_json + model_validate (no check)": lambda: Network.model_validate(
            from_json(data)
        ),
        "json.loads object_pairs_hook + model_validate": lambda: Network.model_validate(
            json.loads(data, object_pairs_hook=pairs_hook)
        ),
        "jiter catch_duplicate_keys alone (parse only)": lambda: jiter.from_json(
            data, catch_duplicate_keys=True
        ),
    }
    baseline = _median(next(iter(ways.values())))
    print(f"{people} people, {len(data) / 1e6:.1f} MB; fast path {baseline:.3f} s")
    for name, run in ways.items():
        print(f"  {_median(run) / baseline:5.2f}x  {name}")


if __name__ == "__main__":
    main()
