"""``simulate``: a Monte Carlo staffing simulation of a network or scenario file."""

from __future__ import annotations

import argparse
import csv
import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm  # type: ignore[import-untyped]  # tqdm ships no type stubs

from sw_volunteer import simulation as sim
from sw_volunteer._files import write_atomically
from sw_volunteer.cli._common import (
    DATASETS,
    EXIT_OK,
    Context,
    Findings,
    SubParsers,
    Unusable,
    add_format,
    add_lang,
    add_max_bytes,
    bounded,
    network_source,
    output_file,
    read_network,
)
from sw_volunteer.cli._messages import say
from sw_volunteer.cli._summary import simulation_figures, summarise_simulation
from sw_volunteer.errors import DocumentError, InputError, SimulationError
from sw_volunteer.io import load_scenario

MAX_WEEKS = 1040
"""The longest horizon, twenty years."""
MAX_REPLICATIONS = 100_000
MAX_CELLS = 10_000_000
"""The most replications x weeks x centres one run may hold (memory grows with it)."""


def register(sub: SubParsers) -> None:
    """Add ``simulate``."""
    simulate = sub.add_parser("simulate", help="Monte Carlo staffing simulation of a file")
    simulate.add_argument(
        "file",
        type=network_source,
        help="a network or scenario document (.json, .yaml, .yml) or a dataset name "
        f"({', '.join(DATASETS)})",
    )
    simulate.add_argument(
        "--weeks", type=bounded(1, MAX_WEEKS), default=None, help=f"horizon, 1 to {MAX_WEEKS} (52)"
    )
    simulate.add_argument(
        "--replications",
        type=bounded(1, MAX_REPLICATIONS),
        default=1000,
        help=f"1 to {MAX_REPLICATIONS:,} (1000)",
    )
    simulate.add_argument(
        "--seed", type=bounded(0, 2**128), default=None, help="default: fresh entropy"
    )
    simulate.add_argument(
        "--out",
        type=output_file(".npz", ".csv"),
        default=None,
        help="save the result: .npz (every array, for SimulationResult.load) or .csv "
        "(weekly mean and 95%% CI of each metric)",
    )
    simulate.add_argument(
        "--policy",
        choices=sim.POLICIES,
        default=None,
        help="how each week's people are put on the sessions: even (spread evenly, the "
        "default) or planner (re-rostered weekly by CP-SAT; needs the plan extra); "
        "default: the scenario's own",
    )
    simulate.add_argument("--quiet", action="store_true", help="no progress bar")
    add_max_bytes(simulate)
    add_lang(simulate)
    add_format(simulate)
    simulate.set_defaults(run=run)


def scenario_from(path: str, weeks: int | None) -> sim.Scenario:
    """A scenario document (it has ``weeks``) or a network, as a scenario.

    The file is read by the library's hardened reader
    ([`sw_volunteer.io.load_scenario`][sw_volunteer.io.load_scenario]); an embedded dataset's name
    gives its network.
    """
    if path in DATASETS and not Path(path).exists():
        network = read_network(path)
        return sim.Scenario.from_network(network, weeks=52 if weeks is None else weeks)
    try:
        return load_scenario(path, weeks=weeks)
    except DocumentError:
        raise  # unusable: exit 2
    except (InputError, SimulationError) as exc:  # read, but not a usable scenario: exit 1
        raise Findings(exc) from exc


class _Bar:
    """tqdm on the error stream, shown only when it is a terminal; left complete at the end."""

    def __init__(self, stream: TextIO, *, quiet: bool) -> None:
        self.stream = stream
        self.shown = not quiet and getattr(stream, "isatty", lambda: False)()
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.shown:
            return
        if self.bar is None:
            self.bar = tqdm(total=total, file=self.stream, desc="simulating", unit=" replications")
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _write_csv(result: sim.SimulationResult, path: Path) -> None:
    """Each metric's weekly mean and 95% CI, one row per metric and week."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["metric", "week", "mean", "ci_low", "ci_high"])
    for metric in result.metrics:
        summary = result.summary(metric)
        for row in zip(summary.weeks, summary.mean, summary.ci_low, summary.ci_high, strict=True):
            week, *values = row
            writer.writerow([metric, int(week), *(_cell(v) for v in values)])
    write_atomically(path, text.getvalue().encode("utf-8"))


def _cell(value: float) -> str:
    return "" if math.isnan(value) else repr(float(value))


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Run the replications, print the key figures, save the result if asked."""
    scenario = scenario_from(args.file, args.weeks)
    if args.policy is not None:
        scenario = scenario.model_copy(update={"policy": args.policy})
    cells = args.replications * scenario.weeks * max(len(scenario.centres), 1)
    if cells > MAX_CELLS:
        msg = say(
            "too_many_cells",
            replications=args.replications,
            weeks=scenario.weeks,
            centres=len(scenario.centres),
            limit=f"{MAX_CELLS:,}",
        )
        raise Unusable(msg, code="too_large", location="--replications")
    bar = _Bar(ctx.err, quiet=args.quiet)
    try:
        result = sim.run(scenario, replications=args.replications, seed=args.seed, progress=bar)
    finally:
        bar.close()
    saved: Path | None = None
    if args.out is not None:
        save: Callable[[], object] = (
            (lambda: _write_csv(result, args.out))
            if args.out.suffix.lower() == ".csv"
            else (lambda: result.save(args.out))
        )
        save()
        saved = args.out
    text = summarise_simulation(result, ctx.lang)
    if saved is not None:
        text += f"\n已保存到 {saved}" if ctx.lang == "zh" else f"\nsaved to {saved}"
    ctx.result(text, {**simulation_figures(result), "saved": str(saved) if saved else None})
    return EXIT_OK
