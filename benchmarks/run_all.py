"""Run every benchmark script at a small size and print the lines that carry a ratio.

``make bench`` runs this. Each script is run in its own process (so one's memory and
imports do not colour the next), with arguments that keep the whole run to a few
minutes on two cores; the lines printed are those with a ratio (``1.23x``) or a
target, under the script's name. ``--verbose`` prints everything each script printed;
``--full`` runs the scripts at their own default sizes instead.

Run: ``python benchmarks/run_all.py [--verbose] [--full]``
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

SMALL: dict[str, list[str]] = {
    "bench_check.py": ["--sizes", "2000", "10000", "--repeat", "1"],
    "bench_load.py": ["--sizes", "2000", "10000", "--repeat", "1"],
    "bench_schedule.py": ["--programmes", "100", "--repeat", "1"],
    "bench_simulation.py": [
        "--replications",
        "400",
        "--python-seconds",
        "0.2",
        "--repeat",
        "1",
        "--sweep-replications",
        "200",
        "--no-dask",
    ],
    "bench_edit.py": ["--small", "--repeat", "1"],
    "bench_plan.py": ["--small"],
}
"""The small-size arguments of each script; a script not listed runs with none."""

RATIO = re.compile(r"\d(?:\.\d+)?x\b|target|budget")


def scripts() -> list[Path]:
    """Every ``bench_*.py`` next to this file, by name."""
    return sorted(HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    """Run each script; return 1 if any of them failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every line")
    parser.add_argument("--full", action="store_true", help="the scripts' default sizes")
    args = parser.parse_args(argv)
    failed = []
    for script in scripts():
        extra = [] if args.full else SMALL.get(script.name, [])
        print(f"== {script.name} {' '.join(extra)}".rstrip(), flush=True)
        done = subprocess.run(  # noqa: S603 - our own scripts, run with this interpreter
            [sys.executable, str(script), *extra],
            capture_output=True,
            text=True,
            check=False,
        )
        for line in done.stdout.splitlines():
            if args.verbose or RATIO.search(line):
                print(f"  {line}")
        if done.returncode:
            failed.append(script.name)
            print(f"  FAILED (exit {done.returncode}):\n{done.stderr}", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
