"""``redact`` (a shareable copy of a network) and ``aggregate`` (a table of counts)."""

from __future__ import annotations

import argparse
import warnings

from sw_volunteer._files import write_atomically
from sw_volunteer.cli._common import (
    EXIT_OK,
    Context,
    SubParsers,
    add_format,
    add_lang,
    add_network,
    bounded,
    day,
    output_file,
    read_network,
)
from sw_volunteer.io import dump
from sw_volunteer.privacy import KeyFileWarning, aggregate, read_key, redact_with_report


def register(sub: SubParsers) -> None:
    """Add ``redact`` and ``aggregate``."""
    redact_cmd = sub.add_parser(
        "redact", help="write a copy with keyed pseudonyms, coarse birth dates, no free text"
    )
    add_network(redact_cmd, "input")
    redact_cmd.add_argument(
        "output",
        type=output_file(".json", ".yaml", ".yml"),
        help="where to write the redacted document (.json, .yaml or .yml)",
    )
    redact_cmd.add_argument(
        "--key-file", required=True, help="a file holding the pseudonymisation key (>= 16 bytes)"
    )
    redact_cmd.add_argument(
        "--birth-dates", choices=["year", "age_band"], default="year", help="coarsening"
    )
    redact_cmd.add_argument("--on", type=day, help="the day age bands are taken on")
    redact_cmd.add_argument(
        "--drop-health",
        dest="health",
        action="store_const",
        const="drop",
        default="keep",
        help="leave out needs, support levels and reasons for absence",
    )
    add_lang(redact_cmd)
    add_format(redact_cmd, deprecated_json=True)
    redact_cmd.set_defaults(run=run_redact)
    aggregate_cmd = sub.add_parser(
        "aggregate", help="write counts by centre, role, need, certification and age band"
    )
    add_network(aggregate_cmd, "input")
    aggregate_cmd.add_argument(
        "output", type=output_file(".json", ".csv"), help="where to write the table (.json or .csv)"
    )
    aggregate_cmd.add_argument(
        "--threshold",
        type=bounded(1, 1_000_000),
        default=5,
        help="counts below this are suppressed (default 5)",
    )
    aggregate_cmd.add_argument("--on", type=day, help="the day ages are taken on")
    add_lang(aggregate_cmd)
    add_format(aggregate_cmd, deprecated_json=True)
    aggregate_cmd.set_defaults(run=run_aggregate)


def run_redact(args: argparse.Namespace, ctx: Context) -> int:
    """Write the k-anonymous copy; report the k achieved and who was withheld."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", KeyFileWarning)
        key = read_key(args.key_file)  # a missing or weak key: InputError, exit 2
    for warning in caught:
        ctx.warn(str(warning.message))
    network = read_network(args.input)
    shared = redact_with_report(
        network, key=key, birth_dates=args.birth_dates, on=args.on, health=args.health
    )
    dump(shared.network, args.output)
    text = (
        f"{args.output}：已写入脱敏后的网络（{shared.describe('zh')}）"
        if ctx.lang == "zh"
        else f"{args.output}: redacted network written ({shared.describe()})"
    )
    ctx.result(text, {"output": str(args.output), **shared.to_dict()})
    return EXIT_OK


def run_aggregate(args: argparse.Namespace, ctx: Context) -> int:
    """Write the table; report how many cells, and how many were suppressed."""
    network = read_network(args.input)
    table = aggregate(network, threshold=args.threshold, on=args.on)
    output = args.output
    text = table.to_csv() if output.suffix.lower() == ".csv" else table.to_json()
    write_atomically(output, text.encode("utf-8"))
    hidden = sum(c.suppressed for c in table.cells)
    report = (
        f"{output}：已写入 {len(table.cells)} 个单元格，"
        f"{hidden} 个不公开（人数少于 {table.threshold} 的单元格及保护它们的单元格）"
        if ctx.lang == "zh"
        else f"{output}: {len(table.cells)} cells written, {hidden} suppressed "
        f"(counts below {table.threshold} and the cells that protect them)"
    )
    ctx.result(report, {"output": str(output), "cells": len(table.cells), "suppressed": hidden})
    return EXIT_OK
