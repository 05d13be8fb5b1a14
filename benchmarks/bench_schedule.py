"""Benchmark schedule expansion and per-session staffing over one year of sessions.

1,000 weekly programmes (one recurring session each, 16:30-18:00; a quarter of them in
Europe/London so that daylight-saving changes are crossed; national holidays excluded),
one year. Baseline, measured in the same run: plain ``dateutil.rrule`` expansion of the
same rules (pre-built rule objects, ``between``), which gives bare start times only.

Measured against it:

- ``expand``: :meth:`Schedule.occurrences` for every programme (start and end, local
  time kept across DST, exclusions applied);
- ``rosters``: :func:`session_rosters` over the whole network (expansion plus who can
  come to each session: availability minus absences, minus double bookings), in time
  order and by activity; the public roster path;
- ``rosters+staffing``: the same plus a staffing check of every session (adults and
  certified social workers present against the pack's ``adults_present`` minimum);
- ``check_schedule``: the same window as the headline, as a status (roster and
  violations) for every session: the view the ``sessions`` command and the heatmap use;
- ``full pack`` (the headline): ``sv.check(network, between=year)`` — expansion, who
  can come to each session, and every activity-level rule of cn-default on every
  session (plus the pack's network-level rules and remedies naming substitutes);
- ``session by session`` (``--reference``): every rule evaluated on every session
  built as an activity (:func:`check_sessions` over the rosters; informational, slow).

Targets (the issue): the full-pack window check, ``check_schedule`` and the public
roster path each ≤ 3x the plain expansion.
Figures are medians of ``--repeat`` runs, printed as ratios to the baseline.

Run: ``python benchmarks/bench_schedule.py [--programmes 1000] [--repeat 5] [--reference]``
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

import sw_volunteer as sv
from sw_volunteer.rules import check_schedule, check_sessions
from sw_volunteer.scheduling import Availability, Staffing, session_rosters

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")
DAYS = ["MO", "TU", "WE", "TH", "FR"]
HOLIDAYS = [date(2013, 10, d) for d in range(1, 8)] + [date(2013, 9, 19), date(2013, 9, 20)]
YEAR = (datetime(2013, 9, 1, tzinfo=SHANGHAI), datetime(2014, 9, 1, tzinfo=SHANGHAI))
PER_CENTRE = 10  # programmes per centre


def network(programmes: int) -> sv.Network:
    """``programmes`` weekly programmes in centres of 10, each with a recurring session."""
    centres, workers, volunteers, progs, activities, absences = [], [], [], [], [], []
    for c in range(programmes // PER_CENTRE):
        cid = f"c{c}"
        centres.append(sv.Centre(id=cid, name=f"Centre {c}"))
        ws = [f"{cid}w{i}" for i in range(4)]
        workers.extend(
            sv.SocialWorker(id=w, name=w, centre=cid, certification="assistant") for w in ws
        )
        vs = [f"{cid}v{i}" for i in range(20)]
        for i, v in enumerate(vs):
            availability = None
            if i % 4 == 0:  # a quarter registered two weekdays only
                availability = sv.Schedule(
                    start=datetime(2013, 9, 2, 16, tzinfo=SHANGHAI),
                    duration=timedelta(hours=3),
                    rules=[f"FREQ=WEEKLY;BYDAY={DAYS[i % 5]},{DAYS[(i + 2) % 5]}"],
                )
            volunteers.append(
                sv.Volunteer(
                    id=v, name=v, centre=cid, birth_date=date(1990, 1, 1), availability=availability
                )
            )
        absences.append(
            sv.Absence(
                id=f"{cid}-leave",
                person=ws[0],
                schedule=sv.Schedule.days(
                    date(2013, 11, 4), date(2013, 11, 15), timezone="Asia/Shanghai"
                ),
            )
        )
        for p in range(PER_CENTRE):
            n = c * PER_CENTRE + p
            zone = LONDON if n % 4 == 0 else SHANGHAI
            first = datetime(2013, 9, 2, 16, 30, tzinfo=zone) + timedelta(days=n % 5)
            schedule = sv.Schedule(
                start=first,
                duration=timedelta(minutes=90),
                rules=[f"FREQ=WEEKLY;BYDAY={DAYS[n % 5]}"],
                exclude=HOLIDAYS,
            )
            pid = f"{cid}p{p}"
            progs.append(
                sv.Programme(id=pid, name=pid, centre=cid, service_area="after_school_care")
            )
            activities.append(
                sv.Activity(
                    id=f"{pid}a",
                    name="session",
                    programme=pid,
                    start=first,
                    end=first + timedelta(minutes=90),
                    workers=[ws[p % 4]],
                    volunteers=[vs[(p * 2 + k) % 20] for k in range(3)],
                    extra_clients=10,
                    schedule=schedule,
                )
            )
    return sv.Network(
        centres=centres,
        workers=workers,
        volunteers=volunteers,
        programmes=progs,
        activities=activities,
        absences=absences,
    )


def median_time(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    """Median wall time of ``run`` over ``repeat`` runs, and what it returned."""
    times, result = [], 0
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--reference", action="store_true", help="also time the session-by-session check"
    )
    args = parser.parse_args()

    net = network(args.programmes)
    schedules = [a.schedule for a in net.activities if a.schedule is not None]
    plain = [rrulestr(s.rules[0], dtstart=s.start) for s in schedules]
    lo, hi = YEAR

    def baseline() -> int:
        return sum(len(r.between(lo, hi, inc=True)) for r in plain)

    def expand() -> int:
        return sum(sum(1 for _ in s.occurrences(lo, hi)) for s in schedules)

    def rosters_by_activity() -> int:
        index = Availability(net, lo, hi)
        wanted = [a.id for a in net.activities]
        return sum(1 for _ in session_rosters(net, lo, hi, activities=wanted, availability=index))

    def rosters_in_time_order() -> int:
        return sum(1 for _ in session_rosters(net, lo, hi))

    adults = sv.rules.pack("cn-default").rules_of_kind("adults_present")[0].parsed_params

    def rosters_and_staffing() -> int:
        staffing = Staffing(net)
        short = 0
        for roster in session_rosters(net, lo, hi):
            if (
                staffing.adults(roster) < adults.min_adults
                or staffing.certified(roster) < adults.min_certified_workers
            ):
                short += 1
        return short

    def full_pack() -> int:
        return len(sv.check(net, between=YEAR).violations)

    def schedule_view() -> int:
        return sum(len(s.violations) for s in check_schedule(net, *YEAR))

    def session_by_session() -> int:
        sessions = [r.as_activity() for r in session_rosters(net, lo, hi)]
        return len(check_sessions(net, sessions))

    base, sessions = median_time(baseline, args.repeat)
    one, five, _ = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {one:.2f} (1 min), {five:.2f} (5 min); "
        "GC: collected before each run, left on during it (the library pauses it while it "
        "builds a window's sessions; the baseline makes few objects)"
    )
    print(f"{args.programmes} weekly programmes, one year: {sessions} plain rule occurrences")
    print(f"  plain dateutil.rrule.between             {base * 1000:8.1f} ms   1.00x")
    rows = [
        ("expand (Schedule.occurrences)", expand, args.repeat),
        ("rosters (index built apart)", rosters_by_activity, args.repeat),
        ("rosters (session_rosters, public path)", rosters_in_time_order, args.repeat),
        ("rosters + staffing check", rosters_and_staffing, args.repeat),
        ("check_schedule (statuses, full pack)", schedule_view, args.repeat),
    ]
    if args.reference:
        rows.append(("session by session (check_sessions)", session_by_session, 1))
    for label, run, repeat in rows:
        spent, found = median_time(run, repeat)
        print(f"  {label:<40} {spent * 1000:8.1f} ms {spent / base:6.2f}x   ({found})")
    spent, found = median_time(full_pack, args.repeat)
    print(
        f"headline: full cn-default pack, every session "
        f"{spent * 1000:8.1f} ms {spent / base:6.2f}x   ({found} violations)"
    )
    print(
        "target: the full-pack window check, check_schedule and session_rosters "
        "each <= 3x the plain expansion"
    )


if __name__ == "__main__":
    main()
