"""Corrections of service records: the original and the reason always stay."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.scheduling import counted_records, record_minutes, service_hours

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2013, 12, 9, 16, 30, tzinfo=TZ)


def _record(**fields: object) -> sv.ServiceRecord:
    base: dict[str, object] = {
        "id": "r1",
        "volunteer": "v",
        "activity": "a",
        "start": START,
        "end": START + timedelta(minutes=90),
    }
    return sv.ServiceRecord.model_validate(base | fields)


def _network(*records: sv.ServiceRecord) -> sv.Network:
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=[sv.SocialWorker(id="w", name="W", centre="c")],
        volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        programmes=[sv.Programme(id="p", name="P", centre="c", service_area="after_school_care")],
        activities=[
            sv.Activity(
                id="a",
                name="四点半学校",
                programme="p",
                start=START,
                end=START + timedelta(hours=2),
            )
        ],
        service_records=records,
    )


def test_a_correction_changes_the_effective_value_and_keeps_the_original():
    record = _record()
    fix = sv.RecordCorrection(
        at=START + timedelta(days=3),
        requested_by="v",
        reason="left at 17:00",
        end=START + timedelta(minutes=30),
    )
    corrected = record.corrected(fix)
    assert record.corrections == ()  # the record corrected is a new one
    assert corrected.end == record.end  # the original value stays in the record
    assert corrected.corrections == (fix,)
    assert corrected.corrections[0].reason == "left at 17:00"
    assert corrected.effective().end == fix.end
    assert record_minutes(corrected.effective()) == 30
    # the totals read the records as corrected
    assert service_hours(_network(corrected))["v"].minutes == 30


def test_the_latest_correction_wins_whatever_the_order_listed():
    later = sv.RecordCorrection(
        at=START + timedelta(days=5), requested_by="w", reason="second", place="活动室"
    )
    earlier = sv.RecordCorrection(
        at=START + timedelta(days=4), requested_by="v", reason="first", place="操场"
    )
    record = _record(corrections=(later, earlier))
    assert record.effective().place == "活动室"
    assert record.place is None


def test_a_void_correction_removes_the_record_from_every_total_and_a_later_one_restores_it():
    void = sv.RecordCorrection(
        at=START + timedelta(days=1), requested_by="w", reason="entered twice", void=True
    )
    gone = _record().corrected(void)
    assert counted_records(_network(gone)) == ()
    assert service_hours(_network(gone))["v"].minutes == 0
    back = gone.corrected(
        sv.RecordCorrection(
            at=START + timedelta(days=2), requested_by="v", reason="not a twin", void=False
        )
    )
    assert service_hours(_network(back))["v"].minutes == 90


def test_travel_noted_in_a_record_is_never_counted():
    record = _record(end=START + timedelta(minutes=120), travel_minutes=35)
    assert record_minutes(record) == 120 - 35
    with pytest.raises(ValueError, match="travel_minutes"):
        _record(travel_minutes=90)


def test_a_correction_that_would_end_the_record_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="end <= start"):
        _record().corrected(sv.RecordCorrection(at=START, requested_by="v", reason="x", end=START))


def test_the_reason_and_the_free_text_never_show_in_repr():
    fix = sv.RecordCorrection(at=START, requested_by="v", reason="病假补记", evaluation="差")
    record = _record(recipients="社区矫正对象", evaluation="良好", corrections=(fix,))
    for text in (repr(record), str(record), repr(fix)):
        assert "病假补记" not in text
        assert "社区矫正对象" not in text
        assert "良好" not in text


_ENDS = st.lists(
    st.tuples(st.integers(1, 240), st.integers(0, 30), st.text(max_size=5)), max_size=6
)


@given(_ENDS)
def test_a_correction_never_loses_the_original(changes):
    """Whatever corrections follow, the original, each reason and each request stay."""
    record = _record()
    corrections = []
    for i, (minutes, hours_later, reason) in enumerate(changes):
        fix = sv.RecordCorrection(
            at=START + timedelta(days=1, hours=hours_later, seconds=i),
            requested_by="v",
            reason=reason,
            end=START + timedelta(minutes=minutes),
        )
        corrections.append(fix)
        record = record.corrected(fix)
        assert (record.start, record.end) == (START, START + timedelta(minutes=90))
        assert record.corrections == tuple(corrections)
    latest = max(corrections, key=lambda c: c.at, default=None)
    expected_end = START + timedelta(minutes=90) if latest is None else latest.end
    assert record.effective().end == expected_end
    assert [c.reason for c in record.corrections] == [reason for _, _, reason in changes]
