"""Outings and risky activities: guardians' consent, risk papers and transport."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import sw_volunteer as sv
from sw_volunteer.datasets import ruian_2013
from sw_volunteer.io import dumps, loads
from sw_volunteer.models import Activity, ClientConsent, Vehicle
from sw_volunteer.rules import Rule, RulePack, pack

CN = pack("cn-default")
CONSENT = CN.rule("outings.guardian_consent")
PAPERS = CN.rule("outings.risk_papers")
TRANSPORT = CN.rule("outings.transport")
TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2019, 5, 20)
START = datetime(DAY.year, DAY.month, DAY.day, 13, 30, tzinfo=TZ)


def alone(rule: Rule) -> RulePack:
    return RulePack(
        id="p", version="1", jurisdiction="t", effective=date(1980, 1, 1), rules=(rule,)
    )


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


CLIENTS = {
    # id: (birth date, needs)
    "psych": (years_before(DAY, 40), {"psychiatric_rehabilitation"}),
    "intel": (years_before(DAY, 25), {"intellectual_disability"}),
    "child": (years_before(DAY, 17), set()),  # 17 on the day: a minor
    "just18": (years_before(DAY, 18), set()),  # 18 on the day: an adult
    "elder": (years_before(DAY, 70), {"elderly_independent"}),
    "unknown": (None, set()),  # no birth date: not taken for a minor
}


def network(activity: Activity) -> sv.Network:
    return sv.Network(
        centres=[sv.Centre(id="c", name="中心")],
        workers=[
            sv.SocialWorker(id="w1", name="社工甲", centre="c", qualifications={"driving"}),
            sv.SocialWorker(id="w2", name="社工乙", centre="c"),
        ],
        volunteers=[
            sv.Volunteer(
                id="v1",
                name="志愿者甲",
                centre="c",
                birth_date=years_before(DAY, 30),
                qualifications={"driving"},
            ),
            sv.Volunteer(
                id="v17",
                name="志愿者乙",
                centre="c",
                birth_date=years_before(DAY, 17),
                qualifications={"driving"},
            ),
        ],
        clients=[
            sv.Client(id=cid, name=cid, centre="c", birth_date=born, needs=needs)
            for cid, (born, needs) in CLIENTS.items()
        ],
        programmes=[sv.Programme(id="p", name="农疗", centre="c", service_area="rehabilitation")],
        activities=[activity],
    )


def outing(**fields: object) -> Activity:
    base: dict[str, object] = {
        "id": "trip",
        "name": "农疗外出",
        "programme": "p",
        "setting": "outing",
        "start": START,
        "end": START + timedelta(hours=3),
        "workers": {"w1", "w2"},
        "volunteers": {"v1"},
        "clients": set(CLIENTS),
    }
    return Activity.model_validate(base | fields)


def found(activity: Activity, rule: Rule, code: str, on: date = DAY) -> list[sv.Violation]:
    report = sv.check(network(activity), rules=alone(rule), on=on)
    return [v for v in report.violations if v.code == code]


def papers_missing(activity: Activity) -> list[str]:
    """The papers the risk-paper rule finds missing, each as its code says."""
    report = sv.check(network(activity), rules=alone(PAPERS), on=DAY)
    assert all(v.code == f"{v.context['paper']}_missing" for v in report.violations)
    return [v.context["paper"] for v in report.violations]


def needs_consent(cid: str) -> bool:
    """The pack's rule, worked by hand: a minor, or a need the pack names."""
    born, needs = CLIENTS[cid]
    minor = (
        born is not None
        and (DAY.year - born.year) - ((DAY.month, DAY.day) < (born.month, born.day))
        < CONSENT.params["adult_age"]
    )
    return minor or bool(needs & set(CONSENT.params["needs"]))


# -- guardian consent ------------------------------------------------------------------


def test_consent_by_hand():
    signed = {"psych": DAY - timedelta(days=7), "child": DAY, "intel": DAY + timedelta(days=1)}
    activity = outing(
        guardian_consents=[ClientConsent(client=c, signed_on=d) for c, d in signed.items()]
    )
    # signed on or before the day counts; signed the day after does not
    on_file = {c for c, d in signed.items() if d <= DAY}
    expected = {c for c in CLIENTS if needs_consent(c)} - on_file
    assert expected == {"intel"}  # psych and child signed in time; the others need none
    missing = found(activity, CONSENT, "client_consent_missing")
    assert [v.context["client"] for v in missing] == sorted(expected)
    (v,) = missing
    assert v.entities == ("trip", "intel")
    assert v.context["paper"] == "guardian_consent"
    assert "intel" in v.render("en")
    assert "监护人知情同意书" in v.render("zh")
    assert "最迟于 2019-05-20" in v.render("zh")


def test_no_consent_at_all_names_each_client_who_needs_one():
    missing = found(outing(), CONSENT, "client_consent_missing")
    assert sorted(v.context["client"] for v in missing) == sorted(
        c for c in CLIENTS if needs_consent(c)
    )
    assert {"psych", "intel", "child"} == {v.context["client"] for v in missing}


def test_an_activity_in_the_centre_needs_no_consent_unless_risky():
    assert found(outing(setting="in_centre"), CONSENT, "client_consent_missing") == []
    risky = found(outing(setting="in_centre", risky=True), CONSENT, "client_consent_missing")
    assert len(risky) == sum(needs_consent(c) for c in CLIENTS)


def test_a_consent_for_a_client_not_on_the_activity_is_refused():
    with pytest.raises(ValidationError, match="not among the activity's clients"):
        outing(clients={"psych"}, guardian_consents=[{"client": "intel", "signed_on": DAY}])


# -- risk assessment and emergency plan ------------------------------------------------


def test_risk_papers_by_hand():
    late = DAY + timedelta(days=1)
    activity = outing(risk_assessment_on=DAY - timedelta(days=3), emergency_plan_on=late)
    assert papers_missing(activity) == ["emergency_plan"]  # dated the day after: missing
    (v,) = found(activity, PAPERS, "emergency_plan_missing")
    assert v.entities == ("trip",)
    assert "应急预案" in v.render("zh")
    assert "emergency plan" in v.render("en")
    assert papers_missing(outing()) == list(PAPERS.params["papers"])
    assert papers_missing(outing(risk_assessment_on=DAY, emergency_plan_on=DAY)) == []
    assert papers_missing(outing(setting="community")) == []
    assert len(papers_missing(outing(setting="community", risky=True))) == 2


# -- transport -------------------------------------------------------------------------


def test_seats_by_hand():
    activity = outing(
        extra_clients=2,
        transport=[
            Vehicle(name="面包车", seats=7, driver="w1"),  # driven by a participant
            Vehicle(name="小车", seats=3, driver="v1"),
        ],
    )
    going = 2 + 1 + len(CLIENTS) + 2  # workers, volunteers, clients, extra clients
    passengers = going - 2  # the two drivers are participants with a seat of their own
    seats = (7 - 1) + (3 - 1)
    assert passengers > seats
    (v,) = found(activity, TRANSPORT, "transport_seats_short")
    assert (v.context["going"], v.context["seats"], v.context["short"]) == (
        passengers,
        seats,
        passengers - seats,
    )
    assert "车辆座位" in v.render("zh")
    roomy = outing(transport=[Vehicle(name="大巴车", seats=passengers + 1, hired_driver=True)])
    assert found(roomy, TRANSPORT, "transport_seats_short") == []
    tight = outing(transport=[Vehicle(name="大巴车", seats=passengers, hired_driver=True)])
    (short,) = found(tight, TRANSPORT, "transport_seats_short")
    assert short.context["short"] == 1


def test_every_vehicle_has_a_qualified_driver():
    activity = outing(
        transport=[
            Vehicle(name="甲车", seats=40, driver="w1"),  # holds a licence
            Vehicle(name="乙车", seats=9, driver="w2"),  # holds none
            Vehicle(name="丙车", seats=9, driver="v17"),  # licence, but 17
            Vehicle(name="丁车", seats=9),  # nobody drives
            Vehicle(name="戊车", seats=9, hired_driver=True),
        ]
    )
    bad = found(activity, TRANSPORT, "vehicle_driver_missing")
    assert [(v.context["vehicle"], v.context["driver"]) for v in bad] == [
        ("乙车", "w2"),
        ("丙车", "v17"),
        ("丁车", ""),
    ]
    assert "驾驶员" in bad[0].render("zh")
    assert "w2" in bad[0].render("en")


def test_a_vehicle_cannot_have_two_kinds_of_driver():
    with pytest.raises(ValidationError, match="hired driver"):
        Vehicle(name="车", seats=5, driver="w1", hired_driver=True)


# -- in force ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "code", "activity"),
    [
        (CONSENT, "client_consent_missing", outing()),
        (PAPERS, "risk_assessment_missing", outing()),
        (TRANSPORT, "vehicle_driver_missing", outing(transport=[Vehicle(name="车", seats=60)])),
    ],
)
def test_each_rule_applies_from_its_day(rule: Rule, code: str, activity: Activity):
    start = rule.effective
    assert start is not None
    net = network(activity)

    def codes_on(day: date) -> int:
        return sum(v.code == code for v in sv.check(net, rules=CN, on=day).violations)

    assert codes_on(start - timedelta(days=1)) == 0
    assert codes_on(start) > 0
    assert codes_on(start + timedelta(days=1)) == codes_on(start)


def test_the_in_force_dates_are_those_the_pack_documents():
    assert (CONSENT.effective, PAPERS.effective, TRANSPORT.effective) == (
        date(1987, 1, 1),
        date(2017, 12, 1),
        date(2004, 5, 1),
    )


# -- the Rui'an outing -----------------------------------------------------------------


def test_the_pingyang_outing_carries_its_papers():
    net = ruian_2013()
    trip = net.get("liqun-farm-2013-11-18")
    assert isinstance(trip, Activity)
    assert {c.client for c in trip.guardian_consents} == set(trip.clients)
    assert trip.risk_assessment_on is not None
    assert trip.emergency_plan_on is not None
    going = len(trip.participants) + trip.extra_clients
    assert sum(v.passenger_seats for v in trip.transport) >= going
    outings = (
        "client_consent_missing",
        "risk_assessment_missing",
        "emergency_plan_missing",
        "transport_seats_short",
        "vehicle_driver_missing",
    )
    report = sv.check(net, rules="cn-default", on=date(2018, 1, 1))
    assert not [v for v in report.violations if v.code in outings]
    # without one trainee's consent, that trainee is named
    first = min(trip.clients)
    fewer = trip.model_copy(
        update={"guardian_consents": tuple(c for c in trip.guardian_consents if c.client != first)}
    )
    again = sv.check(net.with_replaced(fewer), rules="cn-default", on=date(2018, 1, 1))
    assert [v.context["client"] for v in again.of_code("client_consent_missing")] == [first]


def test_papers_and_transport_survive_a_round_trip():
    activity = outing(
        guardian_consents=[{"client": "psych", "signed_on": DAY}],
        risk_assessment_on=DAY,
        transport=[{"name": "大巴车", "seats": 20, "hired_driver": True}],
    )
    net = network(activity)
    assert loads(dumps(net)) == net


def test_removing_a_client_or_driver_drops_their_consent_and_seat():
    activity = outing(
        guardian_consents=[{"client": "psych", "signed_on": DAY}],
        transport=[{"name": "面包车", "seats": 7, "driver": "v1"}],
    )
    net = network(activity).with_removed("psych", "v1", cascade=True)
    trip = net.get("trip")
    assert isinstance(trip, Activity)
    assert trip.guardian_consents == ()
    assert trip.transport[0].driver is None


# -- a property --------------------------------------------------------------------------


@given(
    clients=st.sets(st.sampled_from(sorted(CLIENTS)), min_size=1),
    signed=st.dictionaries(st.sampled_from(sorted(CLIENTS)), st.integers(-3, 3)),
)
def test_every_missing_consent_names_a_client_of_the_activity(
    clients: set[str], signed: dict[str, int]
):
    consents = [
        ClientConsent(client=c, signed_on=DAY + timedelta(days=d))
        for c, d in signed.items()
        if c in clients
    ]
    activity = outing(clients=clients, guardian_consents=consents)
    missing = found(activity, CONSENT, "client_consent_missing")
    named = [v.context["client"] for v in missing]
    assert set(named) <= clients
    assert len(named) == len(set(named))  # one violation per client
    on_file = {c.client for c in consents if c.signed_on <= DAY}
    assert set(named) == {c for c in clients if needs_consent(c)} - on_file


# -- after edits -------------------------------------------------------------------------


def test_the_checker_follows_edits_of_papers_clients_and_drivers():
    rules = [CONSENT, PAPERS, TRANSPORT]
    net = network(outing(transport=[Vehicle(name="面包车", seats=7, driver="w1")]))
    checker = sv.Checker(net, rules, on=DAY)
    trip = net.get("trip")
    assert isinstance(trip, Activity)
    client = net.get("elder")
    assert isinstance(client, sv.Client)
    worker = net.get("w1")
    assert isinstance(worker, sv.SocialWorker)
    edits = [
        trip.model_copy(
            update={"guardian_consents": (ClientConsent(client="psych", signed_on=DAY),)}
        ),
        trip.model_copy(update={"risk_assessment_on": DAY}),
        client.model_copy(
            update={"needs": frozenset({sv.vocab.ClientNeed.INTELLECTUAL_DISABILITY})}
        ),
        worker.model_copy(update={"qualifications": frozenset()}),  # the driver loses the licence
    ]
    for edit in edits:
        net = net.with_replaced(edit)
        assert checker.update(net) == sv.check(net, rules=rules, on=DAY)
    assert [v.code for v in checker.report.violations].count("vehicle_driver_missing") == 1


def test_the_outing_rules_are_not_run_on_sessions_of_activities_they_cannot_apply_to():
    """The window skips them on other activities; a recurring outing is still checked."""
    from sw_volunteer.rules import get_rule_kind
    from sw_volunteer.rules._day_facts import applies_to

    centre = outing(setting="in_centre", transport=[])
    trip = outing()
    for kind in ("outing_guardian_consent", "outing_risk_papers"):
        registered = get_rule_kind(kind)
        params = registered.params_model()
        assert not applies_to(registered.evaluator, params, centre)
        assert applies_to(registered.evaluator, params, trip)
    weekly = Activity.model_validate(
        trip.model_dump()
        | {
            "schedule": sv.Schedule(
                start=START,
                duration=timedelta(hours=3),
                rules=["FREQ=WEEKLY"],
                timezone="Asia/Shanghai",
            )
        }
    )
    rule = pack("cn-default").rule("outings.guardian_consent")
    window = (START - timedelta(days=1), START + timedelta(days=20))
    report = sv.check(network(weekly), rules=alone(rule), between=window)
    sessions = {v.session for v in report.violations if v.code == "client_consent_missing"}
    assert len(sessions) == 3  # every weekly session of the outing, none skipped
