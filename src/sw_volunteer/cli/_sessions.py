"""``sessions``: the staffing of every scheduled session in a span of days."""

from __future__ import annotations

import argparse
from datetime import datetime, time, timedelta

from sw_volunteer.cli._common import (
    EXIT_OK,
    LATEST,
    Context,
    SubParsers,
    Unusable,
    add_format,
    add_lang,
    add_network,
    bounded,
    day,
    read_network,
    timezone,
)
from sw_volunteer.cli._messages import say
from sw_volunteer.rules import check_schedule, schedule_report

MAX_DAYS = 366
"""The longest span ``sessions`` lists."""


def register(sub: SubParsers) -> None:
    """Add ``sessions``."""
    sessions = sub.add_parser(
        "sessions", help="staffing of every scheduled session in a span of days"
    )
    add_network(sessions)
    sessions.add_argument("--start", required=True, type=day, help="first day, YYYY-MM-DD")
    sessions.add_argument(
        "--days", type=bounded(1, MAX_DAYS), default=7, help=f"how many days, 1 to {MAX_DAYS} (7)"
    )
    sessions.add_argument(
        "--timezone",
        type=timezone,
        default="Asia/Shanghai",
        help="IANA zone of the days (Asia/Shanghai)",
    )
    sessions.add_argument("--rules", default=None, help="a rule pack's name or file")
    add_lang(sessions)
    add_format(sessions)
    sessions.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Print the sessions, their staffing, the supervision cover and the hours."""
    if args.start + timedelta(days=args.days) > LATEST:
        msg = say("span_too_late", start=args.start, days=args.days, latest=LATEST)
        raise Unusable(msg, code="bad_argument", location="--days")
    network = read_network(args.file)
    first = datetime.combine(args.start, time(0), args.timezone)
    last = first + timedelta(days=args.days)
    if not ctx.json:
        print(schedule_report(network, first, last, args.rules, lang=ctx.lang), file=ctx.out)
        return EXIT_OK
    statuses = check_schedule(network, first, last, args.rules)
    sessions = [
        {
            "session": s.roster.session_id,
            "activity": s.roster.activity.id,
            "start": s.roster.occurrence.start.isoformat(),
            "end": s.roster.occurrence.end.isoformat(),
            "workers": sorted(s.roster.workers),
            "volunteers": sorted(s.roster.volunteers),
            "away": sorted(person for person, _ in s.roster.away),
            "ok": s.ok,
            "violations": [v.model_dump(mode="json") for v in s.violations],
        }
        for s in statuses
    ]
    ctx.result(
        "",
        {
            "start": first.isoformat(),
            "end": last.isoformat(),
            "timezone": str(args.timezone),
            "sessions": sessions,
        },
    )
    return EXIT_OK
