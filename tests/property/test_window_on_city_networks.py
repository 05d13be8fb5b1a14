"""The window check on whole networks equals the session-by-session reference, byte for byte.

The generated networks of ``test_session_check_equivalence`` are small; these are the
shapes the window is tuned for: many weekly programmes over months (centres of ten,
some of them in a zone with daylight saving, holidays excluded, a social worker on
leave, volunteers who come two weekdays only) and the Rui'an data set. Every
violation must be the one the reference builds: same fields, same JSON, same fields
set and field order, so a faster path that changes a record is caught here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from tests.property.session_reference import reference_check, reference_schedule

import sw_volunteer as sv
from sw_volunteer.rules import SessionStatus, Violation

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")
DAYS = ["MO", "TU", "WE", "TH", "FR"]
HOLIDAYS = [date(2013, 10, d) for d in range(1, 8)]
TERM = (datetime(2013, 9, 1, tzinfo=SHANGHAI), datetime(2014, 1, 1, tzinfo=SHANGHAI))


def _city(centres: int) -> sv.Network:
    """Centres of 10 weekly programmes (the benchmark's network, smaller)."""
    kinds: dict[str, list[object]] = {
        k: [] for k in ("centres", "workers", "volunteers", "programmes", "activities", "absences")
    }
    for c in range(centres):
        cid = f"c{c}"
        kinds["centres"].append(sv.Centre(id=cid, name=f"Centre {c}"))
        workers = [f"{cid}w{i}" for i in range(4)]
        kinds["workers"].extend(
            sv.SocialWorker(id=w, name=w, centre=cid, certification="assistant") for w in workers
        )
        volunteers = [f"{cid}v{i}" for i in range(20)]
        for i, v in enumerate(volunteers):
            two_days = sv.Schedule(
                start=datetime(2013, 9, 2, 16, tzinfo=SHANGHAI),
                duration=timedelta(hours=3),
                rules=[f"FREQ=WEEKLY;BYDAY={DAYS[i % 5]},{DAYS[(i + 2) % 5]}"],
            )
            kinds["volunteers"].append(
                sv.Volunteer(
                    id=v,
                    name=v,
                    centre=cid,
                    birth_date=date(1990, 1, 1),
                    availability=two_days if i % 4 == 0 else None,
                )
            )
        kinds["absences"].append(
            sv.Absence(
                id=f"{cid}-leave",
                person=workers[0],
                schedule=sv.Schedule.days(
                    date(2013, 11, 4), date(2013, 11, 15), timezone="Asia/Shanghai"
                ),
            )
        )
        for p in range(10):
            n = c * 10 + p
            first = datetime(2013, 9, 2, 16, 30, tzinfo=LONDON if n % 4 == 0 else SHANGHAI)
            first += timedelta(days=n % 5)
            pid = f"{cid}p{p}"
            kinds["programmes"].append(
                sv.Programme(id=pid, name=pid, centre=cid, service_area="after_school_care")
            )
            kinds["activities"].append(
                sv.Activity(
                    id=f"{pid}a",
                    name="session",
                    programme=pid,
                    start=first,
                    end=first + timedelta(minutes=90),
                    workers=[workers[p % 4]],
                    volunteers=[volunteers[(p * 2 + k) % 20] for k in range(3)],
                    extra_clients=10,
                    schedule=sv.Schedule(
                        start=first,
                        duration=timedelta(minutes=90),
                        rules=[f"FREQ=WEEKLY;BYDAY={DAYS[n % 5]}"],
                        exclude=HOLIDAYS,
                    ),
                )
            )
    return sv.Network.model_validate(kinds)


def _record(v: Violation) -> tuple[object, ...]:
    """Everything of a violation a user or a file can see, down to the fields set."""
    options = () if v.remedy is None else v.remedy.options
    return (
        v.model_dump_json(),
        v.model_dump(),
        sorted(v.model_fields_set),
        list(v.__dict__),
        [(sorted(o.model_fields_set), list(o.__dict__)) for o in options],
    )


def _status(s: SessionStatus) -> tuple[object, ...]:
    r = s.roster
    seen = (r.session_id, r.start, r.end, r.workers, r.volunteers, r.away, s.ok)
    return (*seen, *(_record(v) for v in s.violations))


CASES = {
    "city": (lambda: _city(2), TERM),
    "ruian": (
        sv.datasets.ruian_2013,
        (datetime(2013, 9, 1, tzinfo=SHANGHAI), datetime(2014, 2, 1, tzinfo=SHANGHAI)),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_schedule_equals_session_by_session(name):
    build, window = CASES[name]
    network = build()
    fast = sv.rules.check_schedule(network, *window)
    slow = reference_schedule(network, None, window)
    assert [_status(s) for s in fast] == [_status(s) for s in slow]
    # the case means something: sessions break rules and remedies name substitutes
    named = [
        o.context["available"]
        for s in fast
        for v in s.violations
        if v.remedy is not None
        for o in v.remedy.options
        if "available" in o.context
    ]
    assert sum(not s.ok for s in fast) > 0
    assert any(named)


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_between_equals_session_by_session(name):
    build, window = CASES[name]
    network = build()
    day = window[0].date()
    fast = sv.check(network, on=day, between=window)
    slow = reference_check(network, on=day, between=window)
    assert fast.sessions_checked == slow.sessions_checked > 0
    assert [_record(v) for v in fast.violations] == [_record(v) for v in slow.violations]
    assert fast.model_dump_json() == slow.model_dump_json()
