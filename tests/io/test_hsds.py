"""The HSDS export validates against the official HSDS 3.2 JSON Schema."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

import sw_volunteer as sv
from sw_volunteer.io import hsds_uuid, to_hsds
from sw_volunteer.io._hsds import _schedules
from sw_volunteer.testing.strategies import networks
from sw_volunteer.vocab import ServiceArea

SCHEMAS = Path(__file__).parent / "data" / "hsds-3.2"


def _missing(uri: str) -> Resource:
    # A $ref to a schema that is not kept here must fail the test, not pass unchecked.
    raise NoSuchResource(ref=uri)


def _validator(name: str) -> Draft202012Validator:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.opaque(contents)))
    registry: Registry = Registry(retrieve=_missing).with_resources(resources)
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
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
    service = to_hsds(_network())["services"][0] | {"phones": [{"id": "x"}]}
    with pytest.raises(Exception, match=r"phone\.json"):
        list(SERVICE.iter_errors(service))


def test_ids_are_stable_and_distinct() -> None:
    first, again = to_hsds(_network()), to_hsds(_network())
    assert first == again
    ids = [o["id"] for o in first["organizations"]] + [s["id"] for s in first["services"]]
    ids += [p["id"] for o in first["organizations"] for p in o["programs"]]
    assert len(ids) == len(set(ids))


def test_schedules_become_hsds_schedule_objects_with_their_rrule() -> None:
    start = datetime(2013, 9, 2, 16, 30, tzinfo=UTC) + timedelta(hours=8)
    schedule = SimpleNamespace(
        start=start.astimezone(UTC),
        duration=timedelta(minutes=90),
        rules=("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "FREQ=DAILY", "FREQ=YEARLY;BYMONTH=6"),
        until=date(2014, 1, 17),
    )
    records = _schedules("happy", schedule)
    weekly, daily, yearly = records
    assert weekly["freq"] == "WEEKLY"
    assert weekly["byday"] == "MO,TU,WE,TH,FR"
    assert weekly["description"] == "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert weekly["valid_to"] == "2014-01-17"
    assert (daily["freq"], daily["byday"]) == ("WEEKLY", "MO,TU,WE,TH,FR,SA,SU")
    assert "freq" not in yearly
    assert yearly["description"] == "RRULE:FREQ=YEARLY;BYMONTH=6"
    schedule_validator = _validator("schedule")
    for record in records:
        assert not list(schedule_validator.iter_errors(record))


@settings(max_examples=25)
@given(network=networks(max_volunteers=2, max_clients=2))
def test_any_network_exports_valid_hsds_without_people(network: sv.Network) -> None:
    export = to_hsds(network)
    _assert_valid(export)
    # No people data leaves: the export of the network without any person is the same.
    people = [e.id for e in (*network.workers, *network.volunteers, *network.clients)]
    alone = network.with_removed(*people, cascade=True) if people else network
    assert to_hsds(alone) == export
