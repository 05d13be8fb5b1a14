"""The rules that check service records, on the days around their instruments' dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import sw_volunteer as sv
from sw_volunteer.rules import pack, parse_pack, star_level, star_thresholds

TZ = ZoneInfo("Asia/Shanghai")
ORDER_67 = date(2021, 2, 1)  # 民政部令第67号 in force
MEASURES_2012 = date(2012, 10, 23)  # 志愿服务记录办法 (民函〔2012〕340号)
ONE_DAY = timedelta(days=1)
COMPLETE = {
    "content": "作业辅导",
    "place": "活动室",
    "recipients": "四点半学校学生",
    "evaluation": "良好",
    "in_charge": "w",
    "recorder": "w",
}


def _at(day: date, hour: int = 16, minute: int = 30) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _network(records: list[dict[str, object]], *, hours: float = 1.5) -> sv.Network:
    """A volunteer and one activity a day for each record's day, with the records."""
    days = sorted({r["start"].date() for r in records})  # type: ignore[attr-defined]
    return sv.Network(
        centres=[sv.Centre(id="c", name="社工站")],
        workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
        volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        programmes=[sv.Programme(id="p", name="P", centre="c", service_area="after_school_care")],
        activities=[
            sv.Activity(
                id=f"a{d:%Y%m%d}",
                name="四点半学校",
                programme="p",
                start=_at(d),
                end=_at(d) + timedelta(hours=hours),
            )
            for d in days
        ],
        service_records=[
            sv.ServiceRecord.model_validate(
                {"volunteer": "v", "activity": f"a{r['start']:%Y%m%d}", **r}  # type: ignore[str-format]
            )
            for r in records
        ],
    )


def _record(day: date, rid: str = "r", minutes: int = 90, **fields: object) -> dict[str, object]:
    start = _at(day)
    return {"id": rid, "start": start, "end": start + timedelta(minutes=minutes), **fields}


@pytest.mark.parametrize(
    ("day", "rule_id", "severity"),
    [
        (MEASURES_2012 - ONE_DAY, None, None),
        (MEASURES_2012, "records.fields.2012", "warning"),
        (ORDER_67 - ONE_DAY, "records.fields.2012", "warning"),
        (ORDER_67, "records.fields", "error"),
        (ORDER_67 + ONE_DAY, "records.fields", "error"),
    ],
)
def test_a_record_without_its_recorder_is_reported_by_the_rule_of_the_day(day, rule_id, severity):
    items = dict(COMPLETE)
    del items["recorder"]
    net = _network([_record(day, **items)])
    report = sv.check(net, rules="cn-default", on=day)
    found = report.of_code("service_record_incomplete")
    if rule_id is None:
        assert found == ()
        return
    (violation,) = found
    assert (violation.rule_id, violation.severity.value) == (rule_id, severity)
    assert violation.entities == ("r", "v")
    assert violation.context["missing"] == ["recorder"]
    assert "记录人" in violation.message_zh
    assert "志愿服务记录 r" in violation.message_zh
    assert violation.remedy is not None
    assert "补全" in violation.remedy.render("zh")


def test_a_complete_record_and_a_record_made_after_the_day_checked_are_not_reported():
    late = _record(ORDER_67 + ONE_DAY, rid="late")
    net = _network([_record(ORDER_67, **COMPLETE), late])
    report = sv.check(net, rules="cn-default", on=ORDER_67)
    assert report.of_code("service_record_incomplete") == ()


def test_every_missing_item_is_named_in_the_terms_of_the_order():
    net = _network([_record(ORDER_67)])
    (violation,) = sv.check(net, rules="cn-default", on=ORDER_67).of_code(
        "service_record_incomplete"
    )
    assert violation.observed == len(COMPLETE)
    for term in ("服务内容", "服务地点", "服务对象", "服务质量评价", "活动负责人", "记录人"):
        assert term in violation.message_zh


def _tolerance() -> int:
    return int(pack("cn-default").rule("records.travel_excluded").params["tolerance_minutes"])


@pytest.mark.parametrize("beyond", [0, 1, 0.5, 2])
def test_a_record_beyond_its_session_by_more_than_the_tolerance_counts_travel(beyond):
    tolerance = _tolerance()
    extra = int(tolerance * beyond)  # minutes after the 90-minute session
    day = date(2022, 3, 1)
    net = _network([_record(day, minutes=90 + extra, **COMPLETE)])
    found = sv.check(net, rules="cn-default", on=day).of_code("service_time_includes_travel")
    if extra <= tolerance:
        assert found == ()
        return
    (violation,) = found
    assert (violation.observed, violation.limit) == (extra, tolerance)
    assert "往返交通时间不计入志愿服务时长" in violation.message_zh


def test_travel_noted_as_such_is_not_reported():
    day = date(2022, 3, 1)
    extra = _tolerance() + 25
    net = _network([_record(day, minutes=90 + extra, travel_minutes=extra, **COMPLETE)])
    assert sv.check(net, rules="cn-default", on=day).of_code("service_time_includes_travel") == ()


@pytest.mark.parametrize("day", [ORDER_67 - ONE_DAY, ORDER_67, ORDER_67 + ONE_DAY])
def test_a_correction_without_reason_is_reported_from_the_order_s_day(day):
    fix = sv.RecordCorrection(at=_at(day, 20), requested_by="v", place="操场")
    explained = fix.model_copy(update={"reason": "地点记错"})
    net = _network(
        [
            _record(day, rid="bare", corrections=(fix,), **COMPLETE),
            _record(day - ONE_DAY, rid="told", corrections=(explained,), **COMPLETE),
        ]
    )
    report = sv.check(net, rules="cn-default", on=day)
    found = report.of_code("record_correction_without_reason")
    if day < ORDER_67:
        assert found == ()
        assert "records.correction_reason" in {s.rule_id for s in report.skipped_rules}
        return
    (violation,) = found
    assert violation.entities == ("bare", "v")
    assert violation.context == {"record": "bare", "day": day.isoformat(), "requested_by": "v"}
    assert "未注明更正理由" in violation.message_zh


def test_the_star_levels_are_read_from_the_pack_and_a_local_pack_overrides_them():
    national = star_thresholds("cn-default")
    assert national == (100, 300, 600, 1000, 1500)
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
    local = star_thresholds(zhangjiagang)
    minutes = 60 * 60  # 60 hours: two local stars, no national one
    assert star_level(minutes, "cn-default") == sum(minutes >= h * 60 for h in national) == 0
    assert star_level(minutes, zhangjiagang) == sum(minutes >= h * 60 for h in local) == 2
    with pytest.raises(sv.RuleConfigurationError, match="volunteer_star_levels"):
        star_thresholds("us-default")
    with pytest.raises(sv.RulePackError, match="thresholds_hours must increase"):
        parse_pack(
            """
id: bad
version: "1"
jurisdiction: x
effective: 2014-01-01
extends: cn-default
rules:
  - id: volunteers.star_levels
    params: {thresholds_hours: [30, 30]}
    source: a mistake
"""
        )


def test_a_volunteer_whose_hours_reach_a_level_is_named_for_information():
    day = date(2022, 3, 1)
    first_star = star_thresholds("cn-default")[0]
    net = _network([_record(day, minutes=first_star * 60, **COMPLETE)], hours=first_star)
    report = sv.check(net, rules="cn-default", on=day)
    (info,) = report.of_code("star_level_reached")
    assert info.severity is sv.Severity.INFO
    assert (info.context["stars"], info.context["threshold"]) == (1, first_star)
    assert "可申请1星级志愿者认定" in info.remedy.render("zh")  # type: ignore[union-attr]
    short = _network([_record(day, minutes=first_star * 60 - 1, **COMPLETE)], hours=first_star)
    assert sv.check(short, rules="cn-default", on=day).of_code("star_level_reached") == ()
