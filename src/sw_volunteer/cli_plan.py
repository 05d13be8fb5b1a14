"""The ``plan`` and ``roster`` commands of the command line (see :mod:`sw_volunteer.plan`).

``sw-volunteer plan FILE``: the cheapest fix of a network on a day; exit 0 when it
clears every breach, 1 when some are left (listed with why), 2 when the input cannot
be used or OR-Tools is missing.

``sw-volunteer roster FILE --start DAY``: a staffed term; exit 0 when every session is
staffed within the rules, 1 when some need a relaxation, 2 as above.

Both print text (``--lang en|zh``), JSON or CSV (``--format``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sw_volunteer import plan
from sw_volunteer.errors import InputError, MissingDependencyError, RuleError
from sw_volunteer.io import dump, load

__all__ = ["add_commands"]

_OK, _BREACH, _UNUSABLE = 0, 1, 2
_COSTS = {f.name for f in dataclasses.fields(plan.CostTable) if f.name not in {"hire", "hire_at"}}
_WEIGHTS = {f.name for f in dataclasses.fields(plan.Weights)}


def _pairs(values: list[str] | None, what: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        try:
            found[key.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise ValueError(f"{what} {item!r}: expected KEY=NUMBER")
    return found


def _costs(values: list[str] | None) -> plan.CostTable:
    """``move=2``, ``hire.assistant=25``, ``hire.yucai.assistant=20`` -> a cost table."""
    flat: dict[str, float] = {}
    hire = dict(plan.DEFAULT_HIRE)
    hire_at: dict[str, dict[str, float]] = {}
    for key, value in _pairs(values, "--cost").items():
        parts = key.split(".")
        if parts[0] == "hire" and len(parts) == 2 and parts[1] in hire:  # noqa: PLR2004 - hire.level
            hire[parts[1]] = value
        elif parts[0] == "hire" and len(parts) == 3 and parts[2] in hire:  # noqa: PLR2004 - hire.centre.level
            hire_at.setdefault(parts[1], {})[parts[2]] = value
        elif key in _COSTS:
            flat[key] = value
        else:
            known = ", ".join(sorted(_COSTS)) + ", hire.LEVEL, hire.CENTRE.LEVEL"
            raise ValueError(f"--cost {key!r}: unknown; known: {known}")
    return plan.CostTable(**flat, hire=hire, hire_at=hire_at)


def _weights(values: list[str] | None) -> plan.Weights:
    found = _pairs(values, "--weight")
    unknown = set(found) - _WEIGHTS
    if unknown:
        raise ValueError(
            f"--weight {min(unknown)!r}: unknown; known: {', '.join(sorted(_WEIGHTS))}"
        )
    return plan.Weights(**found)


def _options(args: argparse.Namespace) -> plan.SolverOptions:
    return plan.SolverOptions(workers=args.workers, seed=args.seed, work_limit=args.work_limit)


def _cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    try:
        network = load(args.file)
        fix = plan.cheapest_fix(
            network, args.rules, on=args.on, costs=_costs(args.cost), options=_options(args)
        )
        if args.apply:
            dump(plan.apply_fix(network, fix), args.apply)
    except (InputError, RuleError, ValueError, MissingDependencyError, TimeoutError) as exc:
        print(exc, file=out)
        return _UNUSABLE
    if args.format == "json":
        print(json.dumps(plan.fix_to_dict(fix), ensure_ascii=False, indent=2), file=out)
    elif args.format == "csv":
        print(plan.fix_to_csv(fix), end="", file=out)
    else:
        print(plan.render_fix(fix, args.lang), file=out)
    return _BREACH if fix.unfixable else _OK


def _cmd_roster(args: argparse.Namespace, out: TextIO) -> int:
    try:
        network = load(args.file)
        zone = ZoneInfo(args.timezone)
        first = datetime.combine(date.fromisoformat(args.start), time(0), zone)
        window = (first, first + timedelta(days=args.days))
        roster = plan.staff_term(
            network,
            window,
            args.rules,
            activities=args.activity,
            weights=_weights(args.weight),
            max_hours_per_week=args.max_hours,
            options=_options(args),
        )
    except (
        InputError,
        RuleError,
        ValueError,
        KeyError,
        ZoneInfoNotFoundError,
        MissingDependencyError,
        TimeoutError,
    ) as exc:
        print(exc.args[0] if isinstance(exc, KeyError) else exc, file=out)
        return _UNUSABLE
    if args.format == "json":
        print(json.dumps(plan.roster_to_dict(roster), ensure_ascii=False, indent=2), file=out)
    elif args.format == "csv":
        print(plan.roster_to_csv(roster), end="", file=out)
    else:
        print(plan.render_roster(roster, args.lang), file=out)
    return _OK if roster.feasible else _BREACH


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"not a date (YYYY-MM-DD): {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a network document (.json, .yaml or .yml)")
    parser.add_argument("--rules", default=None, help="a rule pack's name or file (cn-default)")
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text")
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="text language")
    parser.add_argument("--workers", type=int, default=1, help="solver threads (1)")
    parser.add_argument("--seed", type=int, default=0, help="solver seed (0)")
    parser.add_argument(
        "--work-limit", type=float, default=20.0, help="solver work units, deterministic (20)"
    )


def add_commands(sub: Any) -> None:
    """Register ``plan`` and ``roster`` on the command line's subparsers."""
    fix = sub.add_parser("plan", help="the cheapest set of changes that clears the breaches")
    _common(fix)
    fix.add_argument("--on", type=_day, help="the day the plan is followed, YYYY-MM-DD")
    fix.add_argument(
        "--cost",
        action="append",
        metavar="KEY=NUMBER",
        help="override a cost: move, add_supervision, consent, background_check, insure, "
        "demote, end_supervision, hire.LEVEL, hire.CENTRE.LEVEL (repeatable)",
    )
    fix.add_argument("--apply", default=None, help="write the network after the plan here")
    fix.set_defaults(run=_cmd_plan)
    roster = sub.add_parser("roster", help="staff every session of a span of days")
    _common(roster)
    roster.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    roster.add_argument("--days", type=int, default=7, help="how many days (7)")
    roster.add_argument("--timezone", default="Asia/Shanghai", help="IANA zone of the days")
    roster.add_argument("--activity", action="append", help="an activity to staff (repeatable)")
    roster.add_argument("--max-hours", type=float, default=None, help="hours a week per person")
    roster.add_argument(
        "--weight",
        action="append",
        metavar="KEY=NUMBER",
        help="people, assignments, continuity, fairness (repeatable)",
    )
    roster.set_defaults(run=_cmd_roster)
