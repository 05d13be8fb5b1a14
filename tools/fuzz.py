"""Fuzz the library with generated hostile inputs; exit 1 if anything escapes.

Usage::

    python tools/fuzz.py --documents --packs --rosters --count 20000

``--documents``, ``--packs`` and ``--rosters`` feed mutated network documents, rule
packs and CSV rosters to the library (see ``tools/_fuzz_inputs.py``); ``--count`` is
the number of inputs in all, shared between the parts chosen. A failure is an
exception outside the documented tree (``sw_volunteer.errors``) or an input that runs
past the time limit; each is printed, and written to ``--keep`` if given.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _fuzz_inputs


def main(argv: list[str] | None = None) -> int:
    """Run the parts asked for; print a summary; 1 if anything failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in _fuzz_inputs.TARGETS:
        parser.add_argument(f"--{name}", action="store_true", help=f"fuzz {name}")
    parser.add_argument("--count", type=int, default=20_000, help="inputs in all")
    parser.add_argument("--seed", type=int, default=2013, help="the generator's seed")
    parser.add_argument("--time-limit", type=float, default=_fuzz_inputs.TIME_LIMIT)
    parser.add_argument("--keep", type=Path, help="a folder for the failing inputs")
    args = parser.parse_args(argv)
    chosen = [name for name in _fuzz_inputs.TARGETS if getattr(args, name)]
    if not chosen:
        chosen = list(_fuzz_inputs.TARGETS)
    total = _fuzz_inputs.Outcome()
    for i, name in enumerate(chosen):
        share = args.count // len(chosen) + (1 if i < args.count % len(chosen) else 0)
        began = time.perf_counter()
        outcome = _fuzz_inputs.run(
            name, share, seed=args.seed, time_limit=args.time_limit, keep=args.keep
        )
        took = time.perf_counter() - began
        kinds = ", ".join(f"{k} {n}" for k, n in outcome.kinds.most_common())
        print(
            f"{name}: {outcome.inputs} inputs in {took:.0f} s "
            f"(slowest {outcome.slowest:.2f} s): {kinds}"
        )
        total.add(outcome)
    for kind, error, text in total.failures:
        print(f"FAILURE {kind}: {error}\n  input: {text[:300]!r}")
    print(f"total: {total.inputs} inputs, {len(total.failures)} failures")
    return 1 if total.failures else 0


if __name__ == "__main__":
    sys.exit(main())
