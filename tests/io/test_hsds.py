"""HSDS both ways: the export validates against the official HSDS 3.2 JSON Schema (with
extra properties forbidden), and an HSDS document imports into a network."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

import sw_volunteer as sv
from sw_volunteer.errors import HsdsImportError
from sw_volunteer.io import from_hsds, hsds_uuid, to_hsds
from sw_volunteer.io._hsds import _schedules
from sw_volunteer.models import Address
from sw_volunteer.testing.strategies import networks
from sw_volunteer.vocab import ServiceArea, Setting

SCHEMAS = Path(__file__).parent / "data" / "hsds-3.2"


def _missing(uri: str) -> Resource:
    # A $ref to a schema that is not kept here must fail the test, not pass unchecked.
    raise NoSuchResource(ref=uri)


def _closed(node: object) -> object:
    """The schema with ``additionalProperties: false`` on every object that lists properties."""
    if isinstance(node, dict):
        closed = {k: _closed(v) for k, v in node.items()}
        if "properties" in node:
            closed["additionalProperties"] = False
        return closed
    if isinstance(node, list):
        return [_closed(v) for v in node]
    return node


def _validator(name: str) -> Draft202012Validator:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = _closed(json.loads(path.read_text(encoding="utf-8")))
        assert isinstance(contents, dict)
        resources.append((contents["$id"], Resource.opaque(contents)))
    registry: Registry = Registry(retrieve=_missing).with_resources(resources)
    schema = _closed(json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8")))
    assert isinstance(schema, dict)
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


ORGANIZATION = _validator("organization")
SERVICE = _validator("service")


def _assert_valid(export: dict[str, list[dict[str, object]]]) -> None:
    for organization in export["organizations"]:
        errors = [e.message for e in ORGANIZATION.iter_errors(organization)]
        assert not errors, errors
    for service in export["services"]:
        errors = [e.message for e in SERVICE.iter_errors(service)]
        assert not errors, errors


def _network() -> sv.Network:
    return sv.Network(
        info=sv.NetworkInfo(as_of=date(2013, 11, 18)),
        centres=[
            sv.Centre(
                id="liqun", name="利群社会工作服务中心", region="瑞安市", founded=date(2012, 5, 1)
            )
        ],
        programmes=[
            sv.Programme(
                id="happy",
                name="快乐四点半",
                centre="liqun",
                service_area=ServiceArea.DISPUTE_MEDIATION,
                places=40,
            ),
            sv.Programme(
                id="old",
                name="旧项目",
                centre="liqun",
                service_area=ServiceArea.LEGAL_AID,
                period=sv.Period(start=date(2012, 1, 1), until=date(2012, 12, 31)),
            ),
        ],
    )


def test_the_export_is_valid_hsds() -> None:
    export = to_hsds(_network())
    _assert_valid(export)
    (organization,) = export["organizations"]
    assert organization["id"] == hsds_uuid("organization", "liqun")
    assert organization["year_incorporated"] == 2012
    assert [p["name"] for p in organization["programs"]] == ["快乐四点半", "旧项目"]
    happy, old = export["services"]
    assert happy["capacities"][0]["maximum"] == 40
    assert happy["program_id"] == organization["programs"][0]["id"]
    assert (happy["status"], old["status"]) == ("active", "inactive")


def test_a_schema_reached_but_not_kept_fails_loudly() -> None:
    service = to_hsds(_network())["services"][0] | {"cost_options": [{"id": "x"}]}
    with pytest.raises(Exception, match=r"cost_option\.json"):
        list(SERVICE.iter_errors(service))


def test_an_extra_property_is_refused() -> None:
    service = to_hsds(_network())["services"][0] | {"colour": "red"}
    assert any("colour" in e.message for e in SERVICE.iter_errors(service))


def test_ids_are_stable_and_distinct() -> None:
    first, again = to_hsds(_network()), to_hsds(_network())
    assert first == again
    ids = [o["id"] for o in first["organizations"]] + [s["id"] for s in first["services"]]
    ids += [p["id"] for o in first["organizations"] for p in o["programs"]]
    assert len(ids) == len(set(ids))


def test_schedules_become_hsds_schedule_objects_with_their_rrule() -> None:
    schedule = sv.Schedule(
        start=datetime(2013, 9, 2, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        duration=timedelta(minutes=90),
        rules=("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "FREQ=DAILY", "FREQ=YEARLY;BYMONTH=6"),
        until=date(2014, 1, 17),
    )
    records = _schedules("happy", schedule, service_id=hsds_uuid("service", "happy"))
    weekly, daily, yearly = records
    assert weekly["freq"] == "WEEKLY"
    assert weekly["byday"] == "MO,TU,WE,TH,FR"
    assert weekly["description"] == "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert weekly["valid_to"] == "2014-01-17"
    assert weekly["timezone"] == 8
    assert (weekly["opens_at"], weekly["closes_at"]) == ("16:30", "18:00")
    assert (daily["freq"], daily["byday"]) == ("WEEKLY", "MO,TU,WE,TH,FR,SA,SU")
    assert "freq" not in yearly
    assert yearly["description"] == "RRULE:FREQ=YEARLY;BYMONTH=6"
    schedule_validator = _validator("schedule")
    for record in records:
        assert not list(schedule_validator.iter_errors(record))


def _new_york_network() -> sv.Network:
    ny = ZoneInfo("America/New_York")
    return sv.Network(
        centres=[
            sv.Centre(
                id="hall",
                name="Community Hall",
                region="Queens",
                address=Address(
                    street="1 Main Street",
                    city="New York",
                    province="NY",
                    postal_code="11101",
                    country="US",
                ),
                phone="+1 212 555 0100",
                email="hello@hall.example",
            )
        ],
        programmes=[
            sv.Programme(
                id="homework",
                name="Homework club",
                centre="hall",
                service_area=ServiceArea.AFTER_SCHOOL_CARE,
                places=20,
                schedule=sv.Schedule(
                    start=datetime(2013, 9, 9, 16, tzinfo=ny),
                    duration=timedelta(minutes=90),
                    rules=["FREQ=WEEKLY;BYDAY=MO,WE"],
                    until=date(2014, 1, 29),
                ),
            ),
            sv.Programme(
                id="visits",
                name="Home visits",
                centre="hall",
                service_area=ServiceArea.ELDERLY_AND_DISABILITY,
            ),
        ],
        activities=[
            sv.Activity(
                id="visit-1",
                name="Visit",
                programme="visits",
                setting=Setting.HOME_VISIT,
                location="Astoria",
                start=datetime(2013, 11, 15, 9, tzinfo=ny),
                end=datetime(2013, 11, 15, 11, tzinfo=ny),
            )
        ],
    )


def test_a_programme_across_a_clock_change_exports_one_schedule_per_offset() -> None:
    network = _new_york_network()
    export = to_hsds(network)
    _assert_valid(export)
    homework = export["services"][0]
    schedule = network.programmes[0].schedule
    assert schedule is not None
    # The offsets of the sessions, and the first and last session of each, from zoneinfo.
    sessions = schedule.take(500)
    expected = []
    for occurrence in sessions:
        offset = occurrence.start.utcoffset().total_seconds() / 3600
        if not expected or expected[-1][0] != offset:
            expected.append([offset, occurrence.day, occurrence.day])
        expected[-1][2] = occurrence.day
    assert len(expected) == 2  # EDT, then EST from 3 November 2013
    found = [
        [s["timezone"], date.fromisoformat(s["valid_from"]), date.fromisoformat(s["valid_to"])]
        for s in homework["schedules"]
    ]
    assert found == expected
    assert all("IANA zone: America/New_York" in s["notes"] for s in homework["schedules"])
    assert {s["opens_at"] for s in homework["schedules"]} == {"16:00"}


def test_the_export_has_contacts_addresses_and_service_locations() -> None:
    export = to_hsds(_new_york_network())
    _assert_valid(export)
    (organization,) = export["organizations"]
    centre, place = organization["locations"]
    (address,) = centre["addresses"]
    assert (address["address_1"], address["postal_code"], address["country"]) == (
        "1 Main Street",
        "11101",
        "US",
    )
    assert place["name"] == "Astoria"
    assert organization["contacts"][0]["email"] == "hello@hall.example"
    assert organization["phones"][0]["number"] == "+1 212 555 0100"
    homework, visits = export["services"]
    assert homework["contacts"][0]["phones"][0]["number"] == "+1 212 555 0100"
    assert [s["location_id"] for s in homework["service_at_locations"]] == [centre["id"]]
    assert [s["location_id"] for s in visits["service_at_locations"]] == [centre["id"], place["id"]]
    # A programme without a schedule gets the times of its activities.
    (visit,) = visits["schedules"]
    assert (visit["valid_from"], visit["valid_to"], visit["opens_at"]) == (
        "2013-11-15",
        "2013-11-15",
        "09:00",
    )
    assert visit["timezone"] == -5


def test_every_ruian_service_with_times_exports_a_schedule() -> None:
    ruian = sv.datasets.ruian_2013()
    export = to_hsds(ruian)
    _assert_valid(export)
    with_times = {
        p.id
        for p in ruian.programmes
        if p.schedule is not None or any(a.programme == p.id for a in ruian.activities)
    }
    scheduled = {s["id"] for s in export["services"] if s.get("schedules")}
    assert scheduled == {hsds_uuid("service", p) for p in with_times}
    assert len(with_times) == 6  # two programmes have neither a schedule nor an activity


def test_an_export_imports_back_with_its_centres_programmes_and_times() -> None:
    network = _new_york_network()
    back = from_hsds(json.dumps(to_hsds(network)))
    (centre,) = back.network.centres
    original = network.centres[0]
    assert centre.id == hsds_uuid("organization", "hall")
    assert (centre.name, centre.address, centre.phone, centre.email) == (
        original.name,
        original.address,
        original.phone,
        original.email,
    )
    homework, visits = back.network.programmes
    for got, want in zip(back.network.programmes, network.programmes, strict=True):
        assert (got.name, got.service_area, got.places, got.description) == (
            want.name,
            want.service_area,
            want.places,
            want.description,
        )
        assert got.centre == centre.id
    schedule = network.programmes[0].schedule
    assert schedule is not None
    assert homework.schedule is not None
    assert homework.schedule.take(500) == schedule.take(500)
    assert visits.schedule is None
    # What the network cannot hold is listed, not dropped silently.
    assert "services[1].schedules[0]" in back.unmapped  # an activity's time
    assert "organizations[0].locations[1]" in back.unmapped  # the place "Astoria"
    assert "organizations[0].description" in back.unmapped


def test_a_foreign_document_lists_every_unmapped_field() -> None:
    org, svc = str(uuid.uuid4()), str(uuid.uuid4())
    document = {
        "organizations": [
            {"id": org, "name": "Food bank", "website": "https://food.example", "tax_id": ""}
        ],
        "services": [
            {
                "id": svc,
                "organization_id": org,
                "name": "Meals",
                "status": "active",
                "fees_description": "free",
                "eligibility_description": "anyone over 60",
                "attributes": [{"id": str(uuid.uuid4()), "link_type": "audience"}],
                "schedules": [
                    {
                        "id": str(uuid.uuid4()),
                        "dtstart": "2024-01-01",
                        "opens_at": "12:00",
                        "closes_at": "13:00",
                        "freq": "WEEKLY",
                        "byday": "MO,TH",
                        "timezone": -5,
                    }
                ],
            }
        ],
    }
    result = from_hsds(
        document, service_area=ServiceArea.SOCIAL_ASSISTANCE, timezone="America/New_York"
    )
    assert result.unmapped == (
        "organizations[0].website",
        "services[0].fees_description",
        "services[0].eligibility_description",
        "services[0].attributes[0]",
    )
    (meals,) = result.network.programmes
    assert meals.schedule is not None
    assert [o.start.strftime("%a %d %H:%M") for o in meals.schedule.take(3)] == [
        "Mon 01 12:00",
        "Thu 04 12:00",
        "Mon 08 12:00",
    ]
    without_zone = from_hsds(document, service_area=ServiceArea.SOCIAL_ASSISTANCE)
    assert without_zone.network.programmes[0].schedule is None
    assert "services[0].schedules[0]" in without_zone.unmapped


def test_a_service_without_a_service_area_or_centre_is_an_error_naming_it() -> None:
    document = {"services": [{"id": "s", "name": "Meals"}]}
    with pytest.raises(HsdsImportError) as caught:
        from_hsds(document)
    assert [(p.location, p.code) for p in caught.value.problems] == [
        ("services[0].organization_id", "missing"),
        ("services[0].attributes", "missing_service_area"),
    ]


@settings(max_examples=25)
@given(network=networks(max_volunteers=2, max_clients=2))
def test_any_network_exports_valid_hsds_without_people(network: sv.Network) -> None:
    export = to_hsds(network)
    _assert_valid(export)
    # No people data leaves: the export of the network without any person is the same.
    people = [e.id for e in (*network.workers, *network.volunteers, *network.clients)]
    alone = network.with_removed(*people, cascade=True) if people else network
    assert to_hsds(alone) == export


@settings(max_examples=25)
@given(network=networks(max_volunteers=2, max_clients=2))
def test_any_export_imports_back_with_its_centres_and_programmes(network: sv.Network) -> None:
    back = from_hsds(to_hsds(network))
    assert [c.name for c in back.network.centres] == [c.name for c in network.centres]
    assert [
        (p.name, p.service_area, p.places, p.description, p.centre) for p in back.network.programmes
    ] == [
        (p.name, p.service_area, p.places, p.description, hsds_uuid("organization", p.centre))
        for p in network.programmes
    ]
