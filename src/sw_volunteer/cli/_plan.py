"""``plan`` and ``roster``: the cheapest fix of a network, a staffed term (CP-SAT).

``sw-volunteer plan FILE``: the cheapest set of changes that clears the breaches of a
network on a day (exit 0 when it clears every one, 1 when some are left, listed with
why). ``sw-volunteer roster FILE --start DAY``: every session of a span of days staffed
within the rules (exit 0 when every session is staffed, 1 when some need a relaxation).
Both need the ``plan`` extra (OR-Tools; exit 2 with the install command without it)
and print text (``--lang en|zh``), JSON or CSV (``--format``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import datetime, time, timedelta

from sw_volunteer import plan
from sw_volunteer.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    LATEST,
    Context,
    SubParsers,
    Unusable,
    add_lang,
    add_network,
    bounded,
    day,
    output_file,
    read_network,
    timezone,
)
from sw_volunteer.cli._messages import say
from sw_volunteer.io import dump

MAX_DAYS = 366
"""The longest span ``roster`` staffs."""

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
            msg = say("not_key_number", option=what, item=repr(item))
            raise Unusable(msg, code="bad_argument", location=what)
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
            known = (*sorted(_COSTS), "hire.LEVEL", "hire.CENTRE.LEVEL")
            msg = say("unknown_key", option="--cost", key=repr(key), known=known)
            raise Unusable(msg, code="bad_argument", location="--cost")
    return plan.CostTable(**flat, hire=hire, hire_at=hire_at)


def _weights(values: list[str] | None) -> plan.Weights:
    found = _pairs(values, "--weight")
    unknown = set(found) - _WEIGHTS
    if unknown:
        known = tuple(sorted(_WEIGHTS))
        msg = say("unknown_key", option="--weight", key=repr(min(unknown)), known=known)
        raise Unusable(msg, code="bad_argument", location="--weight")
    return plan.Weights(**found)


def _options(args: argparse.Namespace) -> plan.SolverOptions:
    return plan.SolverOptions(workers=args.workers, seed=args.seed, work_limit=args.work_limit)


def _print(ctx: Context, text: str, document: object, csv: str) -> None:
    if ctx.format == "csv":
        print(csv, end="", file=ctx.out)
    elif ctx.json:
        print(json.dumps(document, ensure_ascii=False, indent=2), file=ctx.out)
    else:
        print(text, file=ctx.out)


def run_plan(args: argparse.Namespace, ctx: Context) -> int:
    """Solve the cheapest fix; print it; write the network after it with ``--apply``."""
    costs = _costs(args.cost)
    network = read_network(args.file)
    try:
        fix = plan.cheapest_fix(
            network, args.rules, on=args.on, costs=costs, options=_options(args)
        )
    except TimeoutError as exc:
        raise Unusable(str(exc), code="solver_timeout") from None
    if args.apply:
        dump(plan.apply_fix(network, fix), args.apply)
    _print(ctx, plan.render_fix(fix, ctx.lang), plan.fix_to_dict(fix), plan.fix_to_csv(fix))
    return EXIT_FINDINGS if fix.unfixable else EXIT_OK


def run_roster(args: argparse.Namespace, ctx: Context) -> int:
    """Staff the sessions of the span; print the roster and what could not be staffed."""
    if args.start + timedelta(days=args.days) > LATEST:
        msg = say("span_too_late", start=args.start, days=args.days, latest=LATEST)
        raise Unusable(msg, code="bad_argument", location="--days")
    weights = _weights(args.weight)
    network = read_network(args.file)
    first = datetime.combine(args.start, time(0), args.timezone)
    window = (first, first + timedelta(days=args.days))
    try:
        roster = plan.staff_term(
            network,
            window,
            args.rules,
            activities=args.activity,
            weights=weights,
            max_hours_per_week=args.max_hours,
            options=_options(args),
        )
    except KeyError as exc:  # an activity that is not in the network
        raise Unusable(str(exc.args[0]), code="unknown_activity", location="--activity") from None
    except TimeoutError as exc:
        raise Unusable(str(exc), code="solver_timeout") from None
    text = plan.render_roster(roster, ctx.lang)
    _print(ctx, text, plan.roster_to_dict(roster), plan.roster_to_csv(roster))
    return EXIT_OK if roster.feasible else EXIT_FINDINGS


def _shared(parser: argparse.ArgumentParser) -> None:
    add_network(parser)
    parser.add_argument("--rules", default=None, help="a rule pack's name or file (cn-default)")
    parser.add_argument(
        "--format", choices=("text", "json", "csv"), default="text", help="text, json or csv"
    )
    add_lang(parser)
    parser.add_argument("--workers", type=bounded(1, 64), default=1, help="solver threads (1)")
    parser.add_argument("--seed", type=bounded(0, 2**31 - 1), default=0, help="solver seed (0)")
    parser.add_argument(
        "--work-limit", type=float, default=20.0, help="solver work units, deterministic (20)"
    )


def register(sub: SubParsers) -> None:
    """Add ``plan`` and ``roster``."""
    fix = sub.add_parser("plan", help="the cheapest set of changes that clears the breaches")
    _shared(fix)
    fix.add_argument("--on", type=day, help="the day the plan is followed, YYYY-MM-DD")
    fix.add_argument(
        "--cost",
        action="append",
        metavar="KEY=NUMBER",
        help="override a cost: move, add_supervision, consent, background_check, insure, "
        "demote, end_supervision, hire.LEVEL, hire.CENTRE.LEVEL (repeatable)",
    )
    fix.add_argument(
        "--apply",
        type=output_file(".json", ".yaml", ".yml"),
        default=None,
        help="write the network after the plan here (.json, .yaml or .yml)",
    )
    fix.set_defaults(run=run_plan)
    roster = sub.add_parser("roster", help="staff every session of a span of days")
    _shared(roster)
    roster.add_argument("--start", required=True, type=day, help="first day, YYYY-MM-DD")
    roster.add_argument(
        "--days", type=bounded(1, MAX_DAYS), default=7, help=f"how many days, 1 to {MAX_DAYS} (7)"
    )
    roster.add_argument(
        "--timezone", type=timezone, default="Asia/Shanghai", help="IANA zone of the days"
    )
    roster.add_argument("--activity", action="append", help="an activity to staff (repeatable)")
    roster.add_argument(
        "--max-hours", type=float, default=None, help="hours a week per person (no cap)"
    )
    roster.add_argument(
        "--weight",
        action="append",
        metavar="KEY=NUMBER",
        help="people, assignments, continuity, fairness (repeatable)",
    )
    roster.set_defaults(run=run_roster)
