"""The ``sw-volunteer`` command line.

Exit status: 0 success, 1 the input breaks something (structural errors for
``validate``, rule errors for ``check``), 2 the input cannot be used at all (unreadable
file, bad arguments; for ``check`` also a network with structural errors or a bad rule
pack).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from sw_volunteer import datasets
from sw_volunteer import simulation as sim
from sw_volunteer._version import __version__
from sw_volunteer.errors import DocumentError, InputError, RuleError
from sw_volunteer.io import dump, load
from sw_volunteer.io._documents import write_atomically
from sw_volunteer.models import Network
from sw_volunteer.privacy import aggregate, read_key, redact
from sw_volunteer.rules import check, schedule_report
from sw_volunteer.vocab import Lang, SupervisionKind

__all__ = ["main", "summarise", "summarise_simulation"]

EXIT_OK = 0
EXIT_BREACH = 1
EXIT_UNUSABLE = 2
_SHANGHAI = ZoneInfo("Asia/Shanghai")


def summarise(network: Network, lang: Lang = "en") -> str:
    """A readable summary: centres, staff, volunteers, clients, supervision coverage.

    ``lang="zh"`` words it in Chinese (社工, 持证社工, 志愿者, 服务对象, 督导).

    Example:
        >>> print(summarise(datasets.ruian_2013(), "zh").splitlines()[4])
          社工 6 名（持证 4 名），志愿者 24 名，服务对象 30 名，项目 2 个
    """
    zh = lang == "zh"
    lines = [network.info.title or ("服务网络" if zh else "Network")]
    if network.info.certified_social_workers_in_region is not None:
        region = network.info.region or ("本地区" if zh else "the region")
        count = network.info.certified_social_workers_in_region
        lines.append(
            f"{region}：持证社工共 {count} 名"
            if zh
            else f"{region}: {count} certified social workers in all"
        )
    guided = {s.supervisee for s in network.supervisions if s.kind is SupervisionKind.GUIDANCE}
    supervised = {
        s.supervisee for s in network.supervisions if s.kind is SupervisionKind.PROFESSIONAL
    }
    for centre in network.centres:
        workers = [w for w in network.workers if w.centre == centre.id]
        certified = sum(w.certification.is_certified for w in workers)
        volunteers = [v for v in network.volunteers if v.centre == centre.id]
        clients = sum(c.centre == centre.id for c in network.clients)
        programmes = [p for p in network.programmes if p.centre == centre.id]
        covered = sum(v.id in guided for v in volunteers)
        under = sum(w.id in supervised for w in workers)
        lines.append("")
        if zh:
            lines.append(f"{centre.name} [{centre.id}]（{centre.kind.label('zh')}）")
            lines.append(
                f"  社工 {len(workers)} 名（持证 {certified} 名），志愿者 {len(volunteers)} 名，"
                f"服务对象 {clients} 名，项目 {len(programmes)} 个"
            )
            lines.append(
                f"  有指导社工的志愿者：{covered}/{len(volunteers)}；"
                f"接受专业督导的社工：{under}/{len(workers)}"
            )
            continue
        lines.append(f"{centre.name} [{centre.id}] ({centre.kind.label('en')})")
        lines.append(
            f"  social workers {len(workers)} ({certified} certified), "
            f"volunteers {len(volunteers)}, clients {clients}, programmes {len(programmes)}"
        )
        lines.append(
            f"  volunteers with a guiding social worker: {covered}/{len(volunteers)}; "
            f"social workers under professional supervision: {under}/{len(workers)}"
        )
    return "\n".join(lines)


_SIMULATION_LINES = (
    ("volunteers", "volunteers on the rosters", "在册志愿者"),
    ("certified_workers", "certified social workers", "持证社工"),
    ("share_within_ratio", "share of sessions within every limit", "各项配比均达标的活动场次占比"),
    ("supervision_breaches", "centres breaching a supervision span", "督导幅度超限的中心"),
    ("clients_waiting", "clients on waiting lists", "轮候服务对象"),
    ("client_hours_unserved", "client-hours not served a week", "每周未获服务的服务对象小时数"),
    ("volunteer_hours", "volunteer hours a week", "每周志愿服务时长（小时）"),
    ("leverage", "service hours per social-worker hour", "每社工小时带动的服务时长"),
)
"""Metric, English label, Chinese label."""


def _pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded to ``width`` columns, a Chinese character counting two."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(width - used, 0)
    return fill + text if right else text + fill


def summarise_simulation(result: sim.SimulationResult, lang: Lang = "en") -> str:
    """Key figures of a simulation: mean over the horizon with its 95% CI, and the last week.

    ``lang="zh"`` words it in Chinese (均值, 95% 置信区间, 最后一周).
    """
    scenario = result.scenario
    if lang == "zh":
        pack = f"规则包 {scenario.rule_pack} {scenario.rule_pack_version}；"
        heading = (
            f"重复模拟 {result.replications} 次 × {result.weeks} 周，"
            f"中心 {len(result.centre_ids)} 个；{pack if scenario.rule_pack else ''}"
            f"随机种子 {result.seed[0]}"
        )
        to, columns = " 至 ", ("均值", "95% 置信区间", "最后一周")
    else:
        pack = f"rule pack {scenario.rule_pack} {scenario.rule_pack_version}; "
        heading = (
            f"{result.replications} replications x {result.weeks} weeks, "
            f"{len(result.centre_ids)} centres; {pack if scenario.rule_pack else ''}"
            f"seed {result.seed[0]}"
        )
        to, columns = " to ", ("mean", "95% CI", "last week")
    mean, ci, last = columns
    lines = [
        heading,
        "  "
        + " " * 40
        + _pad(mean, 10, right=True)
        + _pad(ci, 22, right=True)
        + _pad(last, 12, right=True),
    ]
    for metric, label_en, label_zh in _SIMULATION_LINES:
        summary = result.summary(metric)
        low, high = summary.overall_ci
        label = label_zh if lang == "zh" else label_en
        lines.append(
            f"  {_pad(label, 40)}{summary.overall_mean:>10.3g}"
            f"{f'{low:.3g}{to}{high:.3g}':>22}{summary.mean[-1]:>12.3g}"
        )
    return "\n".join(lines)


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    network = datasets.ruian_2013()
    print(summarise(network, args.lang), file=out)
    print(file=out)
    print(check(network).render(args.lang), file=out)
    print(file=out)
    week = (datetime(2013, 11, 18, tzinfo=_SHANGHAI), datetime(2013, 11, 23, tzinfo=_SHANGHAI))
    print(schedule_report(network, *week, lang=args.lang), file=out)
    scenario = sim.Scenario.from_network(network, weeks=26)
    result = sim.run(scenario, replications=200, seed=2013)
    print(file=out)
    if args.lang == "zh":
        print("人员配置模拟：以现有网络为起点，向后模拟 26 周", file=out)
    else:
        print("Staffing simulation: 26 weeks on from the network as it stands", file=out)
    print(summarise_simulation(result, args.lang), file=out)
    print(file=out)
    print(demo_certificate(network, args.lang), file=out)
    return EXIT_OK


# -- the demo's certificate (self-contained: moves as one piece) -----------------------

DEMO_CERTIFICATE = ("yucai-v03", date(2013, 9, 2), date(2014, 1, 17))
"""The volunteer and term of the demo's certificate (the 4:30 school's autumn term)."""


def demo_certificate(network: Network, lang: Lang) -> str:
    """The summary of one volunteer's 志愿服务记录证明 for the autumn term of 2013."""
    from sw_volunteer.paperwork import service_certificate

    volunteer, start, until = DEMO_CERTIFICATE
    certificate = service_certificate(
        network,
        volunteer,
        start=start,
        until=until,
        number="育才志证〔2014〕001号",  # CHOSEN: the studio's numbering
        issued=until + timedelta(days=3),
    )
    return certificate.summary(lang)


def _cmd_sessions(args: argparse.Namespace, out: TextIO) -> int:
    try:
        network = load(args.file)
        zone = ZoneInfo(args.timezone)
        first = datetime.combine(date.fromisoformat(args.start), time(0), zone)
        text = schedule_report(
            network, first, first + timedelta(days=args.days), args.rules, lang=args.lang
        )
    except (InputError, RuleError, ValueError, ZoneInfoNotFoundError) as exc:
        print(exc, file=out)
        return EXIT_UNUSABLE
    print(text, file=out)
    return EXIT_OK


class _ProgressBar:
    """A text progress bar on a stream (stderr), redrawn in place."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        end = "\n" if done >= total else ""
        print(f"\rsimulating [{bar}] {done}/{total} replications", end=end, file=self.stream)
        self.stream.flush()


def _scenario_from(path: str, weeks: int | None) -> sim.Scenario:
    """A scenario document (it has ``weeks``) or a network document, as a scenario."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        document = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        document = None  # let the network reader report the problem precisely
    if isinstance(document, dict) and "weeks" in document:
        scenario = sim.Scenario.model_validate(document)
        return scenario if weeks is None else scenario.with_values({"weeks": weeks})
    return sim.Scenario.from_network(load(path), weeks=52 if weeks is None else weeks)


def _cmd_simulate(args: argparse.Namespace, out: TextIO) -> int:
    try:
        scenario = _scenario_from(args.file, args.weeks)
    except DocumentError as exc:
        print(exc, file=out)
        return EXIT_UNUSABLE
    except (InputError, ValueError) as exc:
        print(exc, file=out)
        return EXIT_UNUSABLE
    progress = None if args.quiet else _ProgressBar(args.err)
    try:
        result = sim.run(
            scenario, replications=args.replications, seed=args.seed, progress=progress
        )
    except ValueError as exc:
        print(exc, file=out)
        return EXIT_UNUSABLE
    print(summarise_simulation(result), file=out)
    if args.out:
        print(f"saved to {result.save(args.out)}", file=out)
    return EXIT_OK


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    try:
        network = load(args.file)
        report = check(network, rules=args.rules, on=args.on, rules_as_of=args.rules_as_of)
    except (InputError, RuleError) as exc:
        print(exc, file=out)
        return EXIT_UNUSABLE
    if args.format == "json":
        print(report.to_json(indent=2), file=out)
    else:
        print(report.render(args.lang), file=out)
    return EXIT_OK if report.ok else EXIT_BREACH


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    try:
        network = load(args.file)
    except DocumentError as exc:
        print(exc, file=out)
        return EXIT_UNUSABLE
    except InputError as exc:
        print(exc, file=out)
        return EXIT_BREACH
    counts = ", ".join(f"{n} {name}" for name, n in network.counts().items() if n)
    print(f"{args.file}: valid network ({counts or 'empty'})", file=out)
    return EXIT_OK


def _report(args: argparse.Namespace, out: TextIO, text: str, fields: dict[str, object]) -> None:
    if getattr(args, "json", False):
        print(json.dumps(fields, ensure_ascii=False, sort_keys=True), file=out)
    else:
        print(text, file=out)


def _load_for(args: argparse.Namespace, out: TextIO) -> Network | int:
    try:
        return load(args.input)
    except DocumentError as exc:
        _report(args, out, str(exc), {"error": str(exc), "codes": list(exc.codes)})
        return EXIT_UNUSABLE
    except InputError as exc:
        _report(args, out, str(exc), {"error": str(exc), "codes": list(exc.codes)})
        return EXIT_BREACH


def _cmd_redact(args: argparse.Namespace, out: TextIO) -> int:
    network = _load_for(args, out)
    if isinstance(network, int):
        return network
    try:
        key = read_key(args.key_file)
        shared = redact(network, key=key, birth_dates=args.birth_dates, on=args.on)
        dump(shared, args.output)
    except InputError as exc:
        _report(args, out, str(exc), {"error": str(exc), "codes": list(exc.codes)})
        return EXIT_UNUSABLE
    changed = sum(a != b for a, b in zip(network.entities(), shared.entities(), strict=True))
    _report(
        args,
        out,
        f"{args.output}: redacted network written ({len(shared)} entities, {changed} changed)",
        {"output": str(args.output), "entities": len(shared), "changed": changed},
    )
    return EXIT_OK


def _cmd_aggregate(args: argparse.Namespace, out: TextIO) -> int:
    network = _load_for(args, out)
    if isinstance(network, int):
        return network
    output = Path(args.output)
    try:
        table = aggregate(network, threshold=args.threshold, on=args.on)
    except InputError as exc:
        _report(args, out, str(exc), {"error": str(exc), "codes": list(exc.codes)})
        return EXIT_UNUSABLE
    text = table.to_csv() if output.suffix.lower() == ".csv" else table.to_json()
    write_atomically(output, text.encode("utf-8"))
    hidden = sum(c.suppressed is not None for c in table.cells)
    _report(
        args,
        out,
        f"{output}: {len(table.cells)} cells written, {hidden} suppressed "
        f"(counts below {table.threshold})",
        {"output": str(output), "cells": len(table.cells), "suppressed": hidden},
    )
    return EXIT_OK


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"not a date (YYYY-MM-DD): {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sw-volunteer",
        description="Model, check and simulate social-work + volunteer programmes.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = sub.add_parser("demo", help="summarise the embedded Rui'an 2013 network")
    demo.add_argument("--lang", choices=("en", "zh"), default="en", help="report language")
    demo.set_defaults(run=_cmd_demo)
    checker = sub.add_parser("check", help="check a network against a rule pack")
    checker.add_argument("file", help="a network document (.json, .yaml or .yml)")
    checker.add_argument(
        "--rules", default=None, help="a packaged rule pack's name or a pack file (cn-default)"
    )
    checker.add_argument(
        "--on", type=_day, help="the day checked, YYYY-MM-DD (the document's as_of, else today)"
    )
    checker.add_argument(
        "--rules-as-of",
        type=_day,
        help="apply the rules in force on this day instead (what-if), YYYY-MM-DD",
    )
    checker.add_argument("--lang", choices=("en", "zh"), default="en", help="report language")
    checker.add_argument("--format", choices=("text", "json"), default="text")
    checker.set_defaults(run=_cmd_check)
    sessions = sub.add_parser(
        "sessions", help="staffing of every scheduled session in a span of days"
    )
    sessions.add_argument("file", help="a network document (.json, .yaml or .yml)")
    sessions.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    sessions.add_argument("--days", type=int, default=7, help="how many days (7)")
    sessions.add_argument("--timezone", default="Asia/Shanghai", help="IANA zone of the days")
    sessions.add_argument("--rules", default=None, help="a rule pack's name or file")
    sessions.add_argument("--lang", choices=("en", "zh"), default="en", help="report language")
    sessions.set_defaults(run=_cmd_sessions)
    validate = sub.add_parser("validate", help="report the structural errors of a file")
    validate.add_argument("file", help="a network document (.json, .yaml or .yml)")
    validate.set_defaults(run=_cmd_validate)
    redact_cmd = sub.add_parser(
        "redact", help="write a copy with keyed pseudonyms, coarse birth dates, no free text"
    )
    redact_cmd.add_argument("input", help="a network document (.json, .yaml or .yml)")
    redact_cmd.add_argument("output", help="where to write the redacted document")
    redact_cmd.add_argument(
        "--key-file", required=True, help="a file holding the pseudonymisation key (>= 16 bytes)"
    )
    redact_cmd.add_argument(
        "--birth-dates", choices=["year", "age_band"], default="year", help="coarsening"
    )
    redact_cmd.add_argument("--on", type=_day, help="the day age bands are taken on")
    redact_cmd.add_argument("--json", action="store_true", help="report as JSON")
    redact_cmd.set_defaults(run=_cmd_redact)
    aggregate_cmd = sub.add_parser(
        "aggregate", help="write counts by centre, role, need, certification and age band"
    )
    aggregate_cmd.add_argument("input", help="a network document (.json, .yaml or .yml)")
    aggregate_cmd.add_argument("output", help="where to write the table (.json or .csv)")
    aggregate_cmd.add_argument(
        "--threshold", type=int, default=5, help="counts below this are suppressed (default 5)"
    )
    aggregate_cmd.add_argument("--on", type=_day, help="the day ages are taken on")
    aggregate_cmd.add_argument("--json", action="store_true", help="report as JSON")
    aggregate_cmd.set_defaults(run=_cmd_aggregate)
    simulate = sub.add_parser("simulate", help="Monte Carlo staffing simulation of a file")
    simulate.add_argument("file", help="a network or scenario document (.json, .yaml, .yml)")
    simulate.add_argument("--weeks", type=int, default=None, help="horizon (default 52)")
    simulate.add_argument("--replications", type=int, default=1000, help="default 1000")
    simulate.add_argument("--seed", type=int, default=None, help="default: fresh entropy")
    simulate.add_argument("--out", default=None, help="save the result (.npz)")
    simulate.add_argument("--quiet", action="store_true", help="no progress bar")
    simulate.set_defaults(run=_cmd_simulate)
    return parser


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Results go to ``out`` (default stdout), progress bars to ``err`` (default stderr).
    """
    stream = out if out is not None else sys.stdout
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help, --version and bad arguments
        return int(exc.code or 0) and EXIT_UNUSABLE
    args.err = err if err is not None else sys.stderr
    run: Callable[[argparse.Namespace, TextIO], int] = args.run
    return run(args, stream)
