"""The ``sw-volunteer`` command line.

Exit status: 0 success, 1 the input breaks something (structural errors for
``validate``, rule errors for ``check``), 2 the input cannot be used at all (unreadable
file, bad arguments; for ``check`` also a network with structural errors or a bad rule
pack).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from sw_volunteer import datasets
from sw_volunteer._version import __version__
from sw_volunteer.errors import DocumentError, InputError, RuleError
from sw_volunteer.io import load
from sw_volunteer.models import Network
from sw_volunteer.rules import check
from sw_volunteer.vocab import SupervisionKind

__all__ = ["main", "summarise"]

EXIT_OK = 0
EXIT_BREACH = 1
EXIT_UNUSABLE = 2


def summarise(network: Network) -> str:
    """A readable summary: centres, staff, volunteers, clients, supervision coverage."""
    lines = [network.info.title or "Network"]
    if network.info.certified_social_workers_in_region is not None:
        region = network.info.region or "the region"
        lines.append(
            f"{region}: {network.info.certified_social_workers_in_region} certified "
            "social workers in all"
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
        lines.append("")
        lines.append(f"{centre.name} [{centre.id}] ({centre.kind.label('en')})")
        lines.append(
            f"  social workers {len(workers)} ({certified} certified), "
            f"volunteers {len(volunteers)}, clients {clients}, programmes {len(programmes)}"
        )
        lines.append(
            f"  volunteers with a guiding social worker: {covered}/{len(volunteers)}; "
            f"social workers under professional supervision: "
            f"{sum(w.id in supervised for w in workers)}/{len(workers)}"
        )
    return "\n".join(lines)


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    network = datasets.ruian_2013()
    print(summarise(network), file=out)
    print(file=out)
    print(check(network).render(args.lang), file=out)
    return EXIT_OK


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    try:
        network = load(args.file)
        report = check(network, rules=args.rules)
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
    checker.add_argument("--lang", choices=("en", "zh"), default="en", help="report language")
    checker.add_argument("--format", choices=("text", "json"), default="text")
    checker.set_defaults(run=_cmd_check)
    validate = sub.add_parser("validate", help="report the structural errors of a file")
    validate.add_argument("file", help="a network document (.json, .yaml or .yml)")
    validate.set_defaults(run=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    stream = out if out is not None else sys.stdout
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help, --version and bad arguments
        return int(exc.code or 0) and EXIT_UNUSABLE
    run: Callable[[argparse.Namespace, TextIO], int] = args.run
    return run(args, stream)
