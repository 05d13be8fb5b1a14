"""``check`` (a network against a rule pack) and ``validate`` (its structure only)."""

from __future__ import annotations

import argparse

from sw_volunteer.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Context,
    Findings,
    SubParsers,
    add_format,
    add_lang,
    add_network,
    day,
    read_network,
)
from sw_volunteer.rules import check

_COLLECTIONS_ZH = {
    "centres": "机构",
    "workers": "社工",
    "volunteers": "志愿者",
    "clients": "服务对象",
    "programmes": "项目",
    "activities": "活动",
    "supervisions": "督导关系",
    "assignments": "排班",
    "absences": "缺勤",
    "service_records": "服务记录",
    "supervision_sessions": "督导记录",
    "training_records": "培训记录",
    "incidents": "意外事件记录",
    "projects": "购买服务项目",
}


def register(sub: SubParsers) -> None:
    """Add ``check`` and ``validate``."""
    checker = sub.add_parser("check", help="check a network against a rule pack")
    add_network(checker)
    checker.add_argument(
        "--rules", default=None, help="a packaged rule pack's name or a pack file (cn-default)"
    )
    checker.add_argument(
        "--on", type=day, help="the day checked, YYYY-MM-DD (the document's as_of, else today)"
    )
    checker.add_argument(
        "--rules-as-of",
        type=day,
        help="apply the rules in force on this day instead (what-if), YYYY-MM-DD",
    )
    add_lang(checker)
    add_format(checker)
    checker.set_defaults(run=run_check)
    validate = sub.add_parser("validate", help="report the structural errors of a file")
    add_network(validate)
    add_lang(validate)
    add_format(validate)
    validate.set_defaults(run=run_validate)


def run_check(args: argparse.Namespace, ctx: Context) -> int:
    """Exit 0 without rule errors, 1 with some."""
    network = read_network(args.file)
    report = check(network, rules=args.rules, on=args.on, rules_as_of=args.rules_as_of)
    if ctx.json:
        print(report.to_json(indent=2), file=ctx.out)
    else:
        print(report.render(ctx.lang), file=ctx.out)
    return EXIT_OK if report.ok else EXIT_FINDINGS


def run_validate(args: argparse.Namespace, ctx: Context) -> int:
    """Exit 0 for a valid network, 1 with its structural problems listed on stdout."""
    try:
        network = read_network(args.file)
    except Findings as found:
        records = [
            {"location": p.location, "code": p.code, "message": p.message} for p in found.problems
        ]
        ctx.result(found.render(ctx.lang), {"file": args.file, "valid": False, "problems": records})
        return EXIT_FINDINGS
    counts = network.counts()
    if ctx.lang == "zh":
        listed = "，".join(f"{_COLLECTIONS_ZH.get(k, k)} {n}" for k, n in counts.items() if n)
        text = f"{args.file}：网络有效（{listed or '空'}）"
    else:
        listed = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
        text = f"{args.file}: valid network ({listed or 'empty'})"
    ctx.result(text, {"file": args.file, "valid": True, "counts": counts})
    return EXIT_OK


__all__ = ["register"]
