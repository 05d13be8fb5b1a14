"""Incident records and the rule ``incident_follow_up``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import sw_volunteer as sv
from sw_volunteer.errors import NetworkValidationError
from sw_volunteer.rules import Rule, RulePack, pack
from sw_volunteer.vocab import IncidentSeverity

SHANGHAI = ZoneInfo("Asia/Shanghai")
RULE = pack("cn-default").rule("incidents.follow_up")
WITHIN = int(RULE.params["within_days"])
DAY = date(2013, 11, 15)


def alone(rule: Rule, **params: object) -> RulePack:
    if params:
        rule = rule.model_copy(update={"params": {**rule.params, **params}})
    return RulePack(
        id="p", version="1", jurisdiction="t", effective=date(2000, 1, 1), rules=(rule,)
    )


def network(severity: str = "serious", followed_up_on: date | None = None) -> sv.Network:
    return sv.Network(
        centres=[sv.Centre(id="c", name="中心")],
        clients=[sv.Client(id="k1", name="王某某", centre="c")],
        incidents=[
            sv.Incident(
                id="inc-1",
                at=datetime.combine(DAY, time(10, 15), SHANGHAI),
                centre="c",
                severity=severity,
                involved=["k1"],
                description="王某某跌倒",
                followed_up_on=followed_up_on,
            )
        ],
    )


def reported(net: sv.Network, on: date, **params: object) -> list[sv.Violation]:
    return list(sv.check(net, rules=alone(RULE, **params), on=on).violations)


def test_the_pack_allows_a_week_for_a_serious_incident() -> None:
    days = WITHIN
    assert RULE.params["min_severity"] == IncidentSeverity.SERIOUS.value
    deadline = DAY + timedelta(days=days)
    assert reported(network(), on=deadline) == []  # the last day allowed has not passed
    (late,) = reported(network(), on=deadline + timedelta(days=1))
    assert late.code == "incident_not_followed_up"
    assert late.context["within_days"] == days
    assert late.context["day"] == DAY.isoformat()


def test_a_follow_up_on_the_last_day_clears_it_and_one_after_does_not() -> None:
    deadline = DAY + timedelta(days=WITHIN)
    after = deadline + timedelta(days=3)
    assert reported(network(followed_up_on=deadline), on=after) == []
    (late,) = reported(network(followed_up_on=deadline + timedelta(days=1)), on=after)
    assert late.observed == WITHIN + 1  # the days the follow-up took


def test_less_serious_incidents_count_only_when_the_pack_says_so() -> None:
    on = DAY + timedelta(days=30)
    assert reported(network("moderate"), on=on) == []
    assert len(reported(network("moderate"), on=on, min_severity="moderate")) == 1
    assert reported(network("minor"), on=on, min_severity="moderate") == []


def test_the_violation_names_the_incident_never_the_people_or_the_text() -> None:
    (v,) = reported(network(), on=DAY + timedelta(days=30))
    assert set(v.entities) == {"inc-1", "c"}
    text = v.render("zh") + v.render("en") + repr(v) + str(v.context)
    assert "k1" not in text
    assert "王某某" not in text
    assert "严重" in v.render("zh")


def test_an_incident_hides_its_people_and_text_and_a_follow_up_cannot_precede_it() -> None:
    incident = network().incidents[0]
    assert "王某某" not in repr(incident)
    assert "k1" not in repr(incident)
    with pytest.raises(ValidationError, match="followed_up_on"):
        network(followed_up_on=DAY - timedelta(days=1))
    document = network().model_dump(mode="json")
    document["incidents"][0]["followed_up_on"] = (DAY - timedelta(days=1)).isoformat()
    with pytest.raises(NetworkValidationError, match=r"incidents\[0\].*followed_up_on"):
        sv.Network.model_validate(document)


@given(
    severity=st.sampled_from(list(IncidentSeverity)),
    floor=st.sampled_from(list(IncidentSeverity)),
    within=st.integers(0, 20),
    took=st.none() | st.integers(0, 40),
    checked=st.integers(0, 40),
)
def test_reported_exactly_when_the_deadline_passed_without_a_follow_up(
    severity: IncidentSeverity, floor: IncidentSeverity, within: int, took: int | None, checked: int
) -> None:
    order = list(IncidentSeverity)
    net = network(severity.value, None if took is None else DAY + timedelta(days=took))
    found = reported(net, on=DAY + timedelta(days=checked), within_days=within, min_severity=floor)
    expected = (
        order.index(severity) >= order.index(floor)
        and checked > within
        and (took is None or took > within)
    )
    assert len(found) == int(expected)


def test_an_edit_of_an_incident_is_rechecked_as_a_whole_check_would() -> None:
    on = DAY + timedelta(days=30)
    net = network()
    checker = sv.Checker(net, alone(RULE), on=on)
    assert len(checker.report.violations) == 1
    followed = net.incidents[0].model_copy(update={"followed_up_on": DAY + timedelta(days=2)})
    net = net.with_replaced(followed)
    assert checker.update(net) == sv.check(net, alone(RULE), on=on)
    assert checker.report.violations == ()
    second = net.incidents[0].model_copy(update={"id": "inc-2", "followed_up_on": None})
    net = net.with_added(second)
    report = checker.update(net)
    assert report == sv.check(net, alone(RULE), on=on)
    assert [v.entities[0] for v in report.violations] == ["inc-2"]
