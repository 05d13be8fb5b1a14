"""The check's fast paths give what the slow ones give.

The built-in evaluators build violations, remedies and their options and actions from
trusted parts, without a validation pass (``rules._violations.trusted_*``); the check
reads ages, active edges and who is off the roster in one expression each. Here each
record of a check is rebuilt through the validating constructors and each look-up is
recomputed from the models' own methods, and they must agree.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.rules import CheckContext, Remedy, RemedyAction, RemedyOption, Violation
from sw_volunteer.vocab import ClientNeed

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2013, 11, 18)


def _busy_network() -> sv.Network:
    """One centre where most built-in rules fire, some people dated."""
    at = datetime(2013, 11, 18, 9, tzinfo=TZ)
    workers = [
        sv.SocialWorker(id="w0", name="W", centre="c", certification="assistant"),
        sv.SocialWorker(
            id="w1", name="W", centre="c", certification="intermediate", left=date(2013, 1, 1)
        ),
        sv.SocialWorker(id="w2", name="W", centre="c", certification="intermediate"),
    ]
    volunteers = [
        sv.Volunteer(id=f"v{i}", name="V", centre="c", birth_date=date(1990 + 2 * i, 5, 6))
        for i in range(12)
    ]
    volunteers.append(
        sv.Volunteer(
            id="late", name="V", centre="c", birth_date=date(1980, 1, 1), joined=date(2014, 1, 1)
        )
    )
    clients = [
        sv.Client(id=f"k{i}", name="K", centre="c", needs=["drug_rehabilitation"])
        for i in range(40)
    ]
    edges = [
        sv.Supervision(
            id=f"s{i}",
            supervisor="w0",
            supervisee=f"v{i}",
            kind="guidance",
            start=date(2012, 1, 1),
        )
        for i in range(10)
    ]
    edges.append(
        sv.Supervision(
            id="prof", supervisor="w0", supervisee="w2", kind="professional", start=date(2012, 1, 1)
        )
    )
    cases = [
        sv.CaseAssignment(id=f"a{i}", worker="w2", client=f"k{i}", start=date(2013, 1, 1))
        for i in range(40)
    ]
    sessions = [
        sv.Activity(
            id=f"act{d}",
            name="A",
            programme="p",
            start=at + timedelta(days=d),
            end=at + timedelta(days=d, hours=2),
            risky=True,
            workers=["w1"],
            volunteers=["v2", "v10", "late"],
            clients=[f"k{i}" for i in range(12)],
        )
        for d in (0, 1)
    ]
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=workers,
        volunteers=volunteers,
        clients=clients,
        programmes=[sv.Programme(id="p", name="P", centre="c", service_area="rehabilitation")],
        activities=sessions,
        supervisions=edges,
        assignments=cases,
    )


def _validated_action(action: RemedyAction) -> RemedyAction:
    return RemedyAction(**{name: getattr(action, name) for name in action.model_fields_set})


def _validated_option(option: RemedyOption) -> RemedyOption:
    given = {name: getattr(option, name) for name in option.model_fields_set}
    given["actions"] = tuple(_validated_action(a) for a in option.actions)
    return RemedyOption(**given)


def _validated(violation: Violation) -> Violation:
    given = {name: getattr(violation, name) for name in violation.model_fields_set}
    if violation.remedy is not None:
        given["remedy"] = Remedy(
            options=tuple(_validated_option(o) for o in violation.remedy.options)
        )
    return Violation(**given)


def test_every_record_of_a_check_is_what_the_constructors_build():
    network = _busy_network()
    found = [
        v
        for rules in ("cn-default", "cn-zhejiang", "us-default")
        for on in (DAY, date(2024, 1, 1))
        for v in sv.check(network, rules=rules, on=on).violations
    ]
    codes = {v.code for v in found}
    assert codes >= {"guardian_consent_missing", "caseload_exceeded", "volunteer_unsupervised"}
    for v in found:
        rebuilt = _validated(v)
        assert v == rebuilt
        assert rebuilt == v
        assert v.model_fields_set == rebuilt.model_fields_set
        assert v.model_dump() == rebuilt.model_dump()
        assert v.model_dump(exclude_unset=True) == rebuilt.model_dump(exclude_unset=True)
        assert v.model_dump_json() == rebuilt.model_dump_json()
        assert repr(v) == repr(rebuilt)
        assert str(v) == str(rebuilt)
        assert v.render("zh") == rebuilt.render("zh")
        assert v.message
        assert v.message_zh
        assert Violation.model_validate_json(v.model_dump_json()) == v
        assert v.remedy is None or all(o.text and o.text_zh for o in v.remedy.options)


def test_a_report_round_trips_through_json():
    report = sv.check(_busy_network(), on=DAY)
    again = sv.Report.from_json(report.to_json())
    assert again == report
    assert json.loads(again.to_json()) == json.loads(report.to_json())


def test_people_off_the_roster_leave_the_sessions_of_every_day():
    network = _busy_network()
    for on in (DAY, DAY + timedelta(days=1), date(2014, 6, 1)):
        report = sv.check(network, rules="cn-default", on=on)
        named = {e for v in report.violations if v.session is not None for e in v.entities}
        # w1 left before both sessions, "late" joins after them: neither is counted or named.
        assert not named & {"w1", "late"}
        adults = [v for v in report.violations if v.code == "too_few_adults"]
        assert {v.session for v in adults} == {a.start for a in network.activities}
        for v in adults:
            # Only v2 (an adult) and v10 (a child) remain: w1 and "late" (adults) would
            # count, v2 does.
            day = v.session.date()
            volunteers = [network.volunteer(p) for p in ("v2", "v10")]
            assert v.observed == sum(p.counts_as_adult_on(day) for p in volunteers)


@given(
    born=st.lists(st.one_of(st.none(), st.dates(date(1996, 2, 20), date(2000, 3, 5))), max_size=6),
    on=st.dates(date(2013, 2, 25), date(2016, 3, 2)),
)
def test_the_ages_of_the_day_are_age_on(born, on):
    network = sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        volunteers=[
            sv.Volunteer(id=f"v{i}", name="V", centre="c", birth_date=b) for i, b in enumerate(born)
        ],
    )
    context = CheckContext(network=network, on=on, pack=sv.rules.pack("cn-default"))
    on_roster = [v for v in network.volunteers if v.on_roster_on(on)]
    assert list(context.volunteers_on_roster) == on_roster
    assert list(context.volunteer_ages) == [v.age_on(on) for v in on_roster]


@given(
    spans=st.lists(
        st.tuples(st.integers(0, 6), st.one_of(st.none(), st.integers(0, 6))), max_size=5
    ),
    day=st.integers(0, 6),
)
def test_the_active_edges_are_those_is_active_on_keeps(spans, day):
    start = date(2013, 11, 12)
    edges = [
        sv.Supervision(
            id=f"s{i}",
            supervisor="w",
            supervisee=f"v{i}",
            kind="guidance",
            start=start + timedelta(days=a),
            end=None if b is None else start + timedelta(days=max(a, b)),
        )
        for i, (a, b) in enumerate(spans)
    ]
    network = sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
        volunteers=[sv.Volunteer(id=f"v{i}", name="V", centre="c") for i in range(len(spans))],
        supervisions=edges,
    )
    on = start + timedelta(days=day)
    context = CheckContext(network=network, on=on, pack=sv.rules.pack("cn-default"))
    assert list(context.active_supervisions) == [e for e in edges if e.is_active_on(on)]


def test_caseloads_of_one_need_are_those_of_every_need():
    network = _busy_network()
    for on in (DAY, date(2012, 6, 1)):
        pack = sv.rules.pack("cn-default")
        every = CheckContext(network=network, on=on, pack=pack).cases_by_need
        one = CheckContext(network=network, on=on, pack=pack)
        for need in ClientNeed:
            assert one.cases_with_need(need) == every.get(need, {})
