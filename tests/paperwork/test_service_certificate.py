"""The 志愿服务记录证明: totals from the valid records, checked, printable."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.errors import CertificateError
from sw_volunteer.paperwork import (
    CertificateLine,
    ServiceCertificate,
    certificate_html,
    service_certificate,
)
from sw_volunteer.rules import parse_pack
from sw_volunteer.scheduling import service_hours

TZ = ZoneInfo("Asia/Shanghai")
FIRST = date(2022, 3, 1)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=TZ)


def _network(spans: list[tuple[int, int, bool]], *, name: str = "王某") -> sv.Network:
    """One record a day from FIRST: (minutes, travel minutes, withdrawn), each in a session."""
    days = [FIRST + timedelta(days=i) for i in range(len(spans))]
    records = []
    for i, (day, (minutes, travel, void)) in enumerate(zip(days, spans, strict=True)):
        record = sv.ServiceRecord(
            id=f"r{i}",
            volunteer="v",
            activity=f"a{i}",
            start=_at(day),
            end=_at(day) + timedelta(minutes=minutes + travel),
            travel_minutes=travel,
            content="陪伴长者",
        )
        if void:
            record = record.corrected(
                sv.RecordCorrection(
                    at=_at(day) + timedelta(days=1), requested_by="w", reason="重复录入", void=True
                )
            )
        records.append(record)
    return sv.Network(
        centres=[sv.Centre(id="c", name="幸福社工站", phone="0577-00000000")],
        workers=[sv.SocialWorker(id="w", name="W", centre="c")],
        volunteers=[sv.Volunteer(id="v", name=name, centre="c", volunteer_number="33038100001")],
        programmes=[
            sv.Programme(id="p", name="P", centre="c", service_area="elderly_and_disability")
        ],
        activities=[
            sv.Activity(
                id=f"a{i}",
                name="长者探访",
                programme="p",
                start=_at(day),
                end=_at(day) + timedelta(hours=10),
            )
            for i, day in enumerate(days)
        ],
        service_records=records,
    )


def _certificate(net: sv.Network, until: date | None = None) -> ServiceCertificate:
    last = until or FIRST + timedelta(days=len(net.service_records))
    return service_certificate(
        net, "v", start=FIRST, until=last, number="No.1", issued=last, handled_by="张某"
    )


def test_a_certificate_counts_the_valid_records_with_travel_excluded():
    # 90 min; 60 min of service with 30 of travel; 45 min withdrawn as entered twice
    net = _network([(90, 0, False), (60, 30, False), (45, 0, True)])
    cert = _certificate(net)
    assert [line.record for line in cert.lines] == ["r0", "r1"]
    assert [line.minutes for line in cert.lines] == [90, 60]
    assert cert.total_minutes == 90 + 60
    assert str(cert.hours) == "2.50"
    assert cert.issuer == "幸福社工站"  # the centre that kept the records
    assert cert.contact == "0577-00000000"
    assert cert.stars == 0
    # the period's last day is included, the day after is not
    assert _certificate(net, until=FIRST).total_minutes == 90


def test_records_that_contradict_the_schedule_are_left_out_and_named():
    net = _network([(90, 0, False), (60, 0, False)])
    twin = net.service_records[0].model_copy(update={"id": "r0-twin"})
    cert = _certificate(net.with_added(twin))
    assert cert.left_out == ("r0", "r0-twin")
    assert cert.total_minutes == 60
    assert "未计入（待核实）：r0、r0-twin" in cert.summary("zh")


def test_a_total_that_is_not_the_sum_of_its_records_is_refused_naming_them():
    lines = (
        CertificateLine(record="r0", day=FIRST, activity="A", content="C", minutes=90),
        CertificateLine(record="r1", day=FIRST, activity="A", content="C", minutes=60),
    )
    with pytest.raises(CertificateError, match=r"total 100 min.*150 min\): r0, r1"):
        ServiceCertificate(
            number="No.1",
            issued=FIRST,
            issuer="站",
            volunteer="v",
            start=FIRST,
            until=FIRST,
            lines=lines,
            total_minutes=100,
        )


def test_a_correction_after_issue_makes_the_certificate_disagree_with_the_records():
    net = _network([(90, 0, False), (60, 0, False)])
    cert = _certificate(net)
    cert.verify(net)  # agrees when issued
    shorter = net.service_records[1].corrected(
        sv.RecordCorrection(
            at=_at(FIRST) + timedelta(days=5),
            requested_by="v",
            reason="提前离开",
            end=_at(FIRST + timedelta(days=1)) + timedelta(minutes=30),
        )
    )
    with pytest.raises(CertificateError, match=r"minutes differ.*: r1$"):
        cert.verify(net.with_replaced(shorter))
    extra = net.service_records[0].model_copy(
        update={
            "id": "r9",
            "start": _at(FIRST) + timedelta(hours=2),
            "end": _at(FIRST) + timedelta(hours=3),
        }
    )
    with pytest.raises(CertificateError, match=r"missing from the certificate.*: r9$"):
        cert.verify(net.with_added(extra))


def test_the_star_level_follows_the_pack():
    net = _network([(600, 0, False)] * 4)  # 40 hours
    national = _certificate(net)
    zhangjiagang = parse_pack(
        """
id: zhangjiagang
version: "1"
jurisdiction: 张家港
effective: 2014-05-26
extends: cn-default
rules:
  - id: volunteers.star_levels
    params: {thresholds_hours: [30, 60, 100, 200, 300]}
    source: 张家港市志愿者协会 星级志愿者认定奖励通知 (2014-05-26)
"""
    )
    local = service_certificate(
        net,
        "v",
        start=FIRST,
        until=FIRST + timedelta(days=4),
        number="1",
        issued=FIRST,
        rules=zhangjiagang,
    )
    assert (national.stars, local.stars) == (0, 1)


def test_the_html_is_printable_escaped_and_states_what_a_certificate_states():
    net = _network([(90, 0, False)], name="<b>王某</b>")
    page = certificate_html(_certificate(net))
    assert "@media print" in page
    assert "&lt;b&gt;王某&lt;/b&gt;" in page
    assert "<b>王某" not in page
    # 民发〔2015〕149号: identity, service (hours, content), issuer, number and date
    for label in (
        "志愿者姓名",
        "志愿者编号",
        "33038100001",
        "志愿服务时长",
        "1.50 小时",
        "服务内容",
        "陪伴长者",
        "出具单位",
        "幸福社工站",
        "经办人",
        "张某",
        "证明编号",
        "No.1",
        "出具日期",
        "2022年3月2日",
    ):
        assert label in page, label
    english = certificate_html(_certificate(net), lang="en")
    assert "Service hours" in english
    assert "志愿者姓名" not in english


_SPANS = st.lists(
    st.tuples(st.integers(1, 300), st.integers(0, 60), st.booleans()), min_size=1, max_size=8
)


@given(_SPANS)
def test_a_certificate_total_is_the_sum_of_the_valid_records(spans):
    net = _network(spans)
    cert = _certificate(net)
    valid = [minutes for minutes, _, void in spans if not void]
    assert cert.total_minutes == sum(valid)
    assert len(cert.lines) == len(valid)
    assert cert.total_minutes == service_hours(net)["v"].minutes
    cert.verify(net)
