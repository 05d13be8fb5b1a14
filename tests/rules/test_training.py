"""Training records: social workers' continuing education and volunteers' induction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.errors import NetworkValidationError
from sw_volunteer.io import dumps, loads
from sw_volunteer.rules import Rule, RulePack, pack
from sw_volunteer.rules._practice_records import _plus_years, registration_period

CE_RULE = pack("cn-default").rule("training.continuing_education")
INDUCTION_RULE = pack("cn-default").rule("training.volunteer_induction")


def alone(rule: Rule) -> RulePack:
    return RulePack(
        id="p", version="1", jurisdiction="t", effective=date(2000, 1, 1), rules=(rule,)
    )


def course(person: str, day: date, hours: float, kind: str = "continuing_education") -> object:
    return sv.TrainingRecord(
        id=f"t-{person}-{day.isoformat()}", person=person, kind=kind, completed_on=day, hours=hours
    )


def workers_network(*records: sv.TrainingRecord) -> sv.Network:
    """An assistant and an intermediate social worker, both certified on 2010-06-01."""
    certified = date(2010, 6, 1)
    return sv.Network(
        centres=[sv.Centre(id="c", name="中心")],
        workers=[
            sv.SocialWorker(
                id="a", name="助理", centre="c", certification="assistant", certified_on=certified
            ),
            sv.SocialWorker(
                id="m",
                name="中级",
                centre="c",
                certification="intermediate",
                certified_on=certified,
            ),
            sv.SocialWorker(id="n", name="未持证", centre="c"),
        ],
        training_records=records,
    )


def short_by(report: sv.Report, code: str, who: str) -> dict[str, float]:
    return {v.context[who]: v.context["short"] for v in report.violations if v.code == code}


# -- continuing education ---------------------------------------------------------------


def test_continuing_education_by_hand():
    # the period 2010-06-01 to 2013-05-31: the assistant took 3 courses of 20 hours, the
    # intermediate worker 2 of 30 and one just after the period
    records = (
        course("a", date(2010, 9, 1), 20),
        course("a", date(2011, 9, 1), 20),
        course("a", date(2013, 5, 31), 20),
        course("m", date(2011, 3, 1), 30),
        course("m", date(2012, 3, 1), 30),
        course("m", date(2013, 6, 1), 30),  # the next period's
        course("n", date(2012, 3, 1), 5, kind="induction"),  # not continuing education
    )
    report = sv.check(workers_network(*records), rules=alone(CE_RULE), on=date(2013, 6, 1))
    assistant_needs, intermediate_needs = 72, 90
    assert short_by(report, "continuing_education_short", "worker") == {
        "a": assistant_needs - 3 * 20,
        "m": intermediate_needs - 2 * 30,
    }
    found = {v.context["worker"]: v for v in report.violations}
    assert found["a"].context["period_start"] == "2010-06-01"
    assert found["a"].context["period_end"] == "2013-05-31"
    assert found["a"].message_zh == (
        "a（助理社会工作师）登记有效期 2010-06-01 至 2013-05-31 内继续教育学时 60 学时，"
        "应不少于 72 学时，尚差 12 学时"
    )
    assert found["a"].remedy is not None
    assert "补足 12 学时继续教育" in found["a"].remedy.options[0].text_zh


def test_nothing_is_owed_before_the_first_period_ends():
    period_end = date(2013, 5, 31)
    net = workers_network()
    before = sv.check(net, rules=alone(CE_RULE), on=period_end - timedelta(days=1))
    on_the_day = sv.check(net, rules=alone(CE_RULE), on=period_end)
    assert before.violations == ()
    assert set(short_by(on_the_day, "continuing_education_short", "worker")) == {"a", "m"}


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_the_rule_applies_from_the_day_of_the_notice(offset):
    assert CE_RULE.effective == date(2009, 9, 7)
    day = CE_RULE.effective + timedelta(days=offset)
    old = sv.Network(
        centres=[sv.Centre(id="c", name="中心")],
        workers=[
            sv.SocialWorker(
                id="a",
                name="助理",
                centre="c",
                certification="assistant",
                certified_on=date(2006, 9, 1),
            )
        ],
    )
    report = sv.check(old, rules="cn-default", on=day)
    fired = [v for v in report.violations if v.rule_id == CE_RULE.id]
    assert len(fired) == (0 if offset < 0 else 1)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=1, max_value=5),
)
def test_the_period_checked_is_the_last_that_ended_by_the_day(certified, day, years):
    period = registration_period(certified, day, years)
    first_end = _plus_years(certified, years) - timedelta(days=1)
    if period is None:
        assert day < first_end
        return
    start, end = period
    assert certified <= start <= end <= day
    # a period is `years` long and starts on the anniversary of certified_on
    assert _plus_years(start, years) - timedelta(days=1) == end
    assert (start.month, start.day) == (certified.month, certified.day) or (
        (certified.month, certified.day) == (2, 29)
    )
    # the next period has not ended by the day
    next_end = _plus_years(end + timedelta(days=1), years) - timedelta(days=1)
    assert next_end > day


@given(hours=st.lists(st.integers(min_value=1, max_value=40), max_size=6))
def test_the_shortfall_is_the_hours_required_less_the_hours_of_the_period(hours):
    records = [
        course("a", date(2011, 1, 1) + timedelta(days=30 * i), h) for i, h in enumerate(hours)
    ]
    report = sv.check(workers_network(*records), rules=alone(CE_RULE), on=date(2013, 6, 1))
    short = short_by(report, "continuing_education_short", "worker").get("a")
    if sum(hours) >= 72:
        assert short is None
    else:
        assert short == 72 - sum(hours)


def test_the_ruian_dataset_shows_one_worker_short_at_re_registration():
    net = sv.datasets.ruian_2013()
    assert sv.check(net, on=net.info.as_of).of_code("continuing_education_short") == ()
    report = sv.check(net, on=date(2014, 6, 1))
    (found,) = report.of_code("continuing_education_short")
    recorded = sum(
        r.hours
        for r in net.training_records
        if r.person == "huaxia-w04" and r.kind.value == "continuing_education"
    )
    assert found.context["worker"] == "huaxia-w04"
    assert found.context["short"] == 72 - recorded


# -- volunteers' induction --------------------------------------------------------------


def volunteers_network(*records: sv.TrainingRecord) -> sv.Network:
    return sv.Network(
        centres=[sv.Centre(id="c", name="中心")],
        volunteers=[
            sv.Volunteer(id="old", name="老", centre="c"),  # trained: true, no record
            sv.Volunteer(id="new", name="新", centre="c", trained=False),
            sv.Volunteer(id="part", name="半", centre="c"),
        ],
        training_records=records,
    )


def test_induction_by_hand_and_how_trained_true_maps():
    records = (
        course("part", date(2018, 3, 1), 1.5, kind="induction"),
        course("part", date(2018, 3, 8), 1, kind="induction"),
        course("part", date(2018, 4, 1), 8, kind="induction"),  # after the day checked
    )
    net = volunteers_network(*records)
    day = date(2018, 3, 31)
    report = sv.check(net, rules=alone(INDUCTION_RULE), on=day)
    needed = INDUCTION_RULE.params["min_hours"]
    # `old` says trained: true with no record: accepted; `new` is untrained: all of it
    assert short_by(report, "induction_hours_short", "volunteer") == {
        "new": needed,
        "part": needed - (1.5 + 1),
    }
    strict = INDUCTION_RULE.with_params(records_required=True)
    report = sv.check(net, rules=alone(strict), on=day)
    assert set(short_by(report, "induction_hours_short", "volunteer")) == {"old", "new", "part"}
    (part,) = [v for v in report.violations if v.context["volunteer"] == "part"]
    assert part.message_zh == "志愿者 part 岗前培训 2.5 学时，应不少于 4 学时，尚差 1.5 学时"


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_induction_applies_from_the_volunteer_service_regulation(offset):
    day = date(2017, 12, 1) + timedelta(days=offset)
    report = sv.check(volunteers_network(), rules="cn-default", on=day)
    fired = {v.context["volunteer"] for v in report.violations if v.rule_id == INDUCTION_RULE.id}
    assert fired == (set() if offset < 0 else {"new"})  # "part" has trained: true, no record


def test_an_old_document_with_trained_true_still_loads():
    old = """
centres: [{id: c, name: 中心}]
volunteers:
  - {id: old, name: 老, centre: c, trained: true}
"""
    net = loads(old, format="yaml")
    assert net.volunteer("old").trained is True
    assert net.training_records == ()
    report = sv.check(net, rules=alone(INDUCTION_RULE), on=date(2018, 1, 1))
    assert report.violations == ()  # trained, hours not recorded
    again = loads(dumps(net, format="yaml"), format="yaml")
    assert again == net


def test_a_record_names_a_person_of_the_network():
    with pytest.raises(NetworkValidationError) as caught:
        volunteers_network(course("nobody", date(2018, 1, 1), 2, kind="induction"))
    assert [(p.location, p.code) for p in caught.value.problems] == [
        ("training_records[0].person", "dangling_reference")
    ]
    with pytest.raises(ValueError, match="hours"):
        sv.TrainingRecord(
            id="t", person="old", kind="induction", completed_on=date(2018, 1, 1), hours=0
        )


@given(
    records=st.lists(
        st.tuples(st.integers(min_value=-30, max_value=30), st.integers(min_value=1, max_value=6)),
        max_size=5,
    ),
    trained=st.booleans(),
    required=st.booleans(),
)
def test_an_induction_shortfall_is_the_minimum_less_the_hours_by_the_day(
    records, trained, required
):
    day = date(2018, 6, 1)
    net = sv.Network(
        centres=[sv.Centre(id="c", name="中心")],
        volunteers=[sv.Volunteer(id="v", name="甲", centre="c", trained=trained)],
        training_records=[
            course("v", day + timedelta(days=offset), hours, kind="induction")
            for offset, hours in dict(records).items()  # one record a day
        ],
    )
    rule = INDUCTION_RULE.with_params(records_required=required)
    short = short_by(sv.check(net, rules=alone(rule), on=day), "induction_hours_short", "volunteer")
    by_the_day = [h for offset, h in dict(records).items() if offset <= 0]
    needed = rule.params["min_hours"]
    if not dict(records) and trained and not required:
        assert short == {}  # trained: true, hours not recorded
    elif sum(by_the_day) >= needed:
        assert short == {}
    else:
        assert short == {"v": needed - sum(by_the_day)}
