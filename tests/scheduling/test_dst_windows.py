"""Schedule windows and look-ups compare instants, not wall clocks, around clock changes.

Two aware datetimes with the same ``tzinfo`` compare by wall clock and ignore ``fold``,
so a bound in the schedule's own zone is where a wall-clock comparison goes wrong: a
start moved out of a spring-forward gap, or the first of a repeated autumn hour. The
oracle everywhere is a filter over :meth:`Schedule.take` by UTC instant.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

import sw_volunteer as sv
from sw_volunteer.models import Occurrence, Schedule
from sw_volunteer.scheduling import service_hours, session_rosters

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
# New York's two offsets from UTC, as fixed zones: a time read at a given offset.
EST, EDT = timezone(timedelta(hours=-5)), timezone(timedelta(hours=-4))


def instants(found: list[Occurrence]) -> list[tuple[datetime, datetime]]:
    """Start and end of each occurrence in UTC: what equality should compare."""
    return [(o.start.astimezone(UTC), o.end.astimezone(UTC)) for o in found]


def nightly(wall: str, first: date, minutes: int = 30, zone: ZoneInfo = NEW_YORK) -> Schedule:
    hour, minute = map(int, wall.split(":"))
    return Schedule(
        start=datetime(first.year, first.month, first.day, hour, minute, tzinfo=zone),
        duration=timedelta(minutes=minutes),
        rules=["FREQ=DAILY"],
    )


# -- the three cases of the issue, worked by hand ---------------------------------------


def test_a_window_in_edt_holds_the_start_moved_out_of_the_spring_gap():
    # On 10 March 2013 New York's clocks go from 02:00 EST to 03:00 EDT; a 02:30 start
    # is read at the offset before the gap (RFC 5545), i.e. 03:30 EDT.
    schedule = nightly("02:30", date(2013, 3, 8))
    moved = datetime(2013, 3, 10, 2, 30, tzinfo=EST)
    assert moved == datetime(2013, 3, 10, 3, 30, tzinfo=EDT)
    taken = [o for o in schedule.take(10) if o.start.astimezone(UTC) == moved]
    assert len(taken) == 1
    window = schedule.occurrences(
        datetime(2013, 3, 10, 3, 30, tzinfo=NEW_YORK), datetime(2013, 3, 10, 3, 45, tzinfo=NEW_YORK)
    )
    assert instants(list(window)) == instants(taken)


def test_first_after_the_gap_is_the_moved_start_not_the_next_day():
    schedule = nightly("02:30", date(2013, 3, 8))
    found = schedule.first_after(datetime(2013, 3, 10, 3, tzinfo=NEW_YORK))
    assert found is not None
    assert found.start.astimezone(UTC) == datetime(2013, 3, 10, 2, 30, tzinfo=EST)
    assert found.day == date(2013, 3, 10)


def test_a_window_in_the_second_0130_does_not_hold_the_first_one():
    # On 3 November 2013 New York's clocks go back from 02:00 EDT to 01:00 EST: 01:30
    # happens twice, and the schedule's start is the first (EDT) one.
    schedule = nightly("01:30", date(2013, 11, 1))
    first = datetime(2013, 11, 3, 1, 30, tzinfo=EDT)
    second = datetime(2013, 11, 3, 1, 30, tzinfo=EST)
    assert second - first == timedelta(hours=1)
    assert first in [o.start.astimezone(UTC) for o in schedule.take(5)]
    late = schedule.occurrences(
        datetime(2013, 11, 3, 1, 30, fold=1, tzinfo=NEW_YORK),
        datetime(2013, 11, 3, 1, 45, fold=1, tzinfo=NEW_YORK),
    )
    assert list(late) == []
    early = schedule.occurrences(
        datetime(2013, 11, 3, 1, 30, tzinfo=NEW_YORK), datetime(2013, 11, 3, 1, 45, tzinfo=NEW_YORK)
    )
    assert [o.start.astimezone(UTC) for o in early] == [first]
    after = schedule.first_after(datetime(2013, 11, 3, 1, 30, fold=1, tzinfo=NEW_YORK))
    assert after is not None
    assert after.start.astimezone(UTC) == datetime(2013, 11, 4, 1, 30, tzinfo=EST)


def test_an_occurrence_ending_in_the_repeated_hour_overlaps_a_later_wall_time():
    # 01:30 EDT for 30 minutes ends at 02:00 EDT = 01:00 EST: after 01:45 EDT although
    # 01:00 is earlier on the wall clock.
    schedule = nightly("01:30", date(2013, 11, 1))
    end = datetime(2013, 11, 3, 1, 30, tzinfo=EDT) + timedelta(minutes=30)
    assert end == datetime(2013, 11, 3, 1, 0, tzinfo=EST)
    found = list(
        schedule.overlapping(
            datetime(2013, 11, 3, 1, 45, tzinfo=NEW_YORK),
            datetime(2013, 11, 3, 1, 50, tzinfo=NEW_YORK),
        )
    )
    assert [o.end.astimezone(UTC) for o in found] == [end]
    assert found[0].overlaps(
        datetime(2013, 11, 3, 1, 45, tzinfo=NEW_YORK), datetime(2013, 11, 3, 1, 50, tzinfo=NEW_YORK)
    )
    assert not found[0].overlaps(
        datetime(2013, 11, 3, 1, 0, fold=1, tzinfo=NEW_YORK),
        datetime(2013, 11, 3, 1, 50, fold=1, tzinfo=NEW_YORK),
    )


def test_starts_around_a_gap_come_in_instant_order_without_repeats():
    # 02:15 and 02:45 fall in the gap and take place at 03:15 and 03:45 EDT: the same
    # instants as the 03:15 and 03:45 starts, and later than 03:15 on the wall clock.
    schedule = Schedule(
        start=datetime(2013, 3, 9, 1, 15, tzinfo=NEW_YORK),
        duration=timedelta(minutes=20),
        rules=["FREQ=DAILY;BYHOUR=1,2,3;BYMINUTE=15,45"],
    )
    day = [o for o in schedule.take(20) if o.day == date(2013, 3, 10)]
    walls = [(1, 15, EST), (1, 45, EST), (3, 15, EDT), (3, 45, EDT)]
    expected = [datetime(2013, 3, 10, h, m, tzinfo=off) for h, m, off in walls]
    assert [o.start.astimezone(UTC) for o in day] == expected
    assert all(o.duration == timedelta(minutes=20) for o in day)


def test_a_count_counts_each_instant_once():
    schedule = Schedule(
        start=datetime(2013, 3, 10, 1, 30, tzinfo=NEW_YORK),
        duration=timedelta(minutes=10),
        rules=["FREQ=HOURLY;COUNT=4"],
        count=3,
    )
    # 01:30 EST, then 02:30 (in the gap: 03:30 EDT) and 03:30 EDT are one instant.
    assert [o.start.astimezone(UTC) for o in schedule.take(5)] == [
        datetime(2013, 3, 10, 1, 30, tzinfo=EST),
        datetime(2013, 3, 10, 3, 30, tzinfo=EDT),
        datetime(2013, 3, 10, 4, 30, tzinfo=EDT),
    ]


def test_naive_bounds_are_refused():
    schedule = nightly("02:30", date(2013, 3, 8))
    with pytest.raises(ValueError, match="timezone-aware"):
        list(schedule.occurrences(datetime(2013, 3, 10), datetime(2013, 3, 11)))  # noqa: DTZ001 - on purpose
    occurrence = schedule.take(1)[0]
    with pytest.raises(ValueError, match="timezone-aware"):
        occurrence.overlaps(datetime(2013, 3, 10), datetime(2013, 3, 11))  # noqa: DTZ001 - on purpose


# -- every window on a 15-minute grid around the 2013 US and UK changes -----------------

CHANGES = [  # (zone, the local day of the change)
    (NEW_YORK, date(2013, 3, 10)),
    (NEW_YORK, date(2013, 11, 3)),
    (LONDON, date(2013, 3, 31)),
    (LONDON, date(2013, 10, 27)),
]
# (rule, wall time of the start, minutes): 01:30 and 02:30 are in a gap or a repeated
# hour in one of the zones; 04:15 is an ordinary time in both.
SHAPES = [
    *(("FREQ=DAILY", wall, 90) for wall in ("01:30", "02:30", "04:15")),
    *(("FREQ=WEEKLY", wall, 30) for wall in ("01:30", "02:30", "04:15")),
    ("FREQ=HOURLY", "00:30", 45),
    ("FREQ=DAILY;BYHOUR=0,1,2,3;BYMINUTE=15,45", "00:15", 20),
]
STEP = timedelta(minutes=15)


def _grid(zone: ZoneInfo, day: date) -> list[datetime]:
    """UTC instants every 15 minutes, from 3 hours before local midnight to 6 after.

    The changes are at 01:00 or 02:00 local time: well inside.
    """
    midnight = datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
    first = midnight - timedelta(hours=3)
    return [first + k * STEP for k in range(37)]


@pytest.mark.parametrize(("zone", "day"), CHANGES, ids=str)
@pytest.mark.parametrize(("rule", "wall", "minutes"), SHAPES, ids=str)
def test_every_grid_window_agrees_with_a_filter_over_take(
    zone: ZoneInfo, day: date, rule: str, wall: str, minutes: int
):
    grid = _grid(zone, day)
    # Daily and hourly from the day before; weekly from three Sundays before (each
    # change is on a Sunday).
    first = day - timedelta(days=21 if rule == "FREQ=WEEKLY" else 1)
    hour, minute = map(int, wall.split(":"))
    schedule = Schedule(
        start=datetime(first.year, first.month, first.day, hour, minute, tzinfo=zone),
        duration=timedelta(minutes=minutes),
        rules=[rule],
    )
    horizon = grid[-1] + timedelta(days=8)
    taken = schedule.take(2000)
    assert taken[-1].start.astimezone(UTC) > horizon  # the oracle reaches past the grid
    every = instants(taken)
    starts = [s for s, _ in every]
    assert all(a < b for a, b in pairwise(starts))  # instant order, no repeats

    near = [(s, e) for s, e in every if s < grid[-1] and e > grid[0]]  # all a window sees
    local = [g.astimezone(zone) for g in grid]  # bounds in the schedule's own zone
    for i, lo in enumerate(grid):
        for j in range(i + 1, len(grid)):
            hi = grid[j]
            want = [(s, e) for s, e in near if lo <= s < hi]
            got = instants(list(schedule.occurrences(local[i], local[j])))
            assert got == want, (local[i], local[j])
            want = [(s, e) for s, e in near if s < hi and e > lo]
            got = instants(list(schedule.overlapping(local[i], local[j])))
            assert got == want, ("overlapping", local[i], local[j])
        after = schedule.first_after(local[i])
        assert after is not None
        assert instants([after]) == [next((s, e) for s, e in every if s >= lo)], local[i]


# -- the same mistake outside Schedule: one-off sessions, records, model checks -----------


def _network(
    activities: list[sv.Activity], service_records: tuple[sv.ServiceRecord, ...] = ()
) -> sv.Network:
    """A centre, a volunteer, one programme, and ``activities`` and ``service_records``."""
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        volunteers=[sv.Volunteer(id="v", name="V", centre="c", birth_date=date(1990, 1, 1))],
        programmes=[sv.Programme(id="p", name="P", centre="c", service_area="after_school_care")],
        activities=activities,
        service_records=service_records,
    )


# The first and the second 01:30 of 3 November 2013 in New York, and 15 minutes later.
FIRST_0130 = datetime(2013, 11, 3, 1, 30, tzinfo=NEW_YORK)
SECOND_0130 = datetime(2013, 11, 3, 1, 30, fold=1, tzinfo=NEW_YORK)
QUARTER = timedelta(minutes=15)


def test_a_one_off_session_is_in_the_window_of_its_instant():
    start = FIRST_0130 + timedelta(minutes=10)  # 01:40 EDT, before the second 01:30
    assert start.astimezone(UTC) < SECOND_0130.astimezone(UTC)
    net = _network(
        activities=[
            sv.Activity(
                id="a", name="A", programme="p", start=start, end=start + QUARTER, volunteers=["v"]
            )
        ]
    )
    late = (SECOND_0130, SECOND_0130 + 2 * QUARTER)  # the hour after the clocks went back
    early = (FIRST_0130, FIRST_0130 + 2 * QUARTER)
    assert [r.activity.id for r in session_rosters(net, *late)] == []
    assert [r.activity.id for r in session_rosters(net, *early)] == ["a"]
    assert sv.check(net, between=late).sessions_checked == 0
    assert sv.check(net, between=early).sessions_checked == 1


def test_service_hours_count_a_record_in_the_window_of_its_instant():
    start = FIRST_0130 + timedelta(minutes=10)  # 01:40 EDT
    net = _network(
        activities=[sv.Activity(id="a", name="A", programme="p", start=start, end=start + QUARTER)],
        service_records=(
            sv.ServiceRecord(id="r", volunteer="v", activity="a", start=start, end=start + QUARTER),
        ),
    )
    assert service_hours(net, start=SECOND_0130).totals == ()
    assert service_hours(net, start=FIRST_0130)["v"].minutes == QUARTER.seconds // 60


def test_a_session_ending_in_the_second_0130_hour_is_valid_and_lasts_its_elapsed_time():
    # 01:30 EDT to 01:15 EST: 45 minutes, though 01:15 is earlier on the wall clock.
    end = datetime(2013, 11, 3, 1, 15, fold=1, tzinfo=NEW_YORK)
    elapsed = end.astimezone(UTC) - FIRST_0130.astimezone(UTC)
    assert elapsed == 3 * QUARTER
    activity = sv.Activity(id="a", name="A", programme="p", start=FIRST_0130, end=end)
    record = sv.ServiceRecord(id="r", volunteer="v", activity="a", start=FIRST_0130, end=end)
    assert record.duration == elapsed
    recurring = sv.Activity(
        id="b",
        name="B",
        programme="p",
        start=FIRST_0130,
        end=end,
        schedule=Schedule(start=FIRST_0130, duration=elapsed, rules=["FREQ=DAILY"]),
    )
    assert recurring.schedule is not None
    assert activity.end == recurring.end
    with pytest.raises(ValueError, match="first session"):
        # 02:15 is 45 minutes after 01:30 on the wall clock but 1 h 45 min in elapsed
        # time: not the schedule's first session.
        sv.Activity(
            id="c",
            name="C",
            programme="p",
            start=FIRST_0130,
            end=FIRST_0130 + 3 * QUARTER,  # 02:15 EST: an hour and 45 minutes later
            schedule=Schedule(start=FIRST_0130, duration=elapsed, rules=["FREQ=DAILY"]),
        )
