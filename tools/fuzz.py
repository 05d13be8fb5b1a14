"""The long fuzzing run (``make fuzz``): generated inputs, no traceback, no hang.

Each part draws its inputs from a fixed seed, runs them and lists every failure; the
script exits 1 if any part found one. Parts:

- ``--cli``: argument lists for every command, run through ``sw_volunteer.cli.main``
  (generator and rules in ``tests/fuzz/cli_inputs.py``).
- ``--documents``, ``--packs``, ``--rosters``: mutated network documents, rule packs
  and CSV rosters fed to the library (``tools/_fuzz_inputs.py``); a failure is an
  exception outside the documented tree (``sw_volunteer.errors``) or a hang.

With no part named, every part runs. ``--count`` is per part (20,000 by default);
``--seed`` picks another set of inputs. A single input that takes longer than
``--timeout`` seconds is reported as a hang.

Run: ``python tools/fuzz.py [--cli] [--count 20000] [--seed 14] [--timeout 60]``
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


class Hang(Exception):  # noqa: N818 - raised by the alarm, reported as a hang
    """One input ran past the time limit."""


def _alarm(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001 - a signal handler
    raise Hang


def run_cli(count: int, seed: int, timeout: int) -> list[str]:
    """Run ``count`` generated argument lists; the failures, as lines."""
    import random

    from tests.fuzz.cli_inputs import check_run, make_files, random_argv

    failures: list[str] = []
    statuses: dict[int | None, int] = {}
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="sw-volunteer-fuzz-") as folder:
        files = make_files(Path(folder))
        for index in range(count):
            argv = random_argv(rng, files)
            signal.alarm(timeout)
            try:
                code, failure = check_run(argv)
            except Hang:
                code, failure = None, f"hang (over {timeout} s): {argv!r}"
            finally:
                signal.alarm(0)
            statuses[code] = statuses.get(code, 0) + 1
            if failure is not None:
                failures.append(str(failure))
            if (index + 1) % 1000 == 0:
                print(f"  cli: {index + 1}/{count}, {len(failures)} failures", flush=True)
    print(f"  cli: exit statuses {dict(sorted(statuses.items(), key=str))}")
    return failures


def _library_part(target: str) -> Callable[[int, int, int], list[str]]:
    """A part that feeds ``target`` inputs from ``tools/_fuzz_inputs.py`` to the library."""

    def run(count: int, seed: int, timeout: int) -> list[str]:
        sys.path.insert(0, str(ROOT / "tools"))
        import _fuzz_inputs

        outcome = _fuzz_inputs.run(target, count, seed=seed, time_limit=float(timeout))
        kinds = ", ".join(f"{k} {n}" for k, n in outcome.kinds.most_common())
        print(f"  {target}: {kinds} (slowest input {outcome.slowest:.2f} s)")
        return [f"{kind}: {error}; input {text[:300]!r}" for kind, error, text in outcome.failures]

    return run


PARTS: dict[str, Callable[[int, int, int], list[str]]] = {
    "cli": run_cli,
    "documents": _library_part("documents"),
    "packs": _library_part("packs"),
    "rosters": _library_part("rosters"),
}
"""Every part: a function (count, seed, timeout) -> failures. Add a part here."""


def main(argv: list[str] | None = None) -> int:
    """Run the parts asked for (all by default); exit 1 on any failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in PARTS:
        parser.add_argument(f"--{name}", action="store_true", help=f"run the {name} part")
    parser.add_argument("--count", type=int, default=20_000, help="inputs per part (20,000)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--timeout", type=int, default=60, help="seconds for one input (60)")
    args = parser.parse_args(argv)
    chosen = [name for name in PARTS if getattr(args, name)] or list(PARTS)
    signal.signal(signal.SIGALRM, _alarm)
    found = 0
    for name in chosen:
        started = time.perf_counter()
        print(f"{name}: {args.count} inputs, seed {args.seed}", flush=True)
        failures = PARTS[name](args.count, args.seed, args.timeout)
        spent = time.perf_counter() - started
        print(f"{name}: {len(failures)} failures in {args.count} inputs ({spent:.0f} s)")
        for line in failures[:50]:
            print(f"  {line}")
        found += len(failures)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
