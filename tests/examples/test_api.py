"""The example FastAPI app, driven through FastAPI's own test client."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

import sw_volunteer as sv

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2013, 11, 18)


def _load_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "sw_volunteer_example_api", ROOT / "examples" / "api" / "app.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(_load_app().app) as test_client:
        yield test_client


def team(minor_without_consent: bool = True) -> sv.Network:
    """One centre: a social worker guiding three volunteers, one of them 16."""
    born = date(1997, 5, 1) if minor_without_consent else date(1990, 5, 1)
    return sv.Network(
        centres=[sv.Centre(id="yucai", name="市育才社会工作室")],
        workers=[
            sv.SocialWorker(
                id="w1",
                name="郑某",
                centre="yucai",
                certification="intermediate",
                practice_since=date(2008, 1, 1),
            )
        ],
        volunteers=[
            sv.Volunteer(id="v1", name="x", centre="yucai", birth_date=date(1990, 1, 1)),
            sv.Volunteer(id="v2", name="y", centre="yucai", birth_date=date(1988, 1, 1)),
            sv.Volunteer(id="v3", name="z", centre="yucai", birth_date=born),
        ],
        supervisions=[
            sv.Supervision(
                id=f"s{i}",
                supervisor="w1",
                supervisee=f"v{i}",
                kind="guidance",
                start=date(2013, 1, 1),
            )
            for i in (1, 2, 3)
        ],
    )


def post(client: TestClient, body: str | bytes, **params: str) -> Any:
    return client.post(
        "/check", content=body, params=params, headers={"content-type": "application/json"}
    )


def document() -> dict[str, Any]:
    return json.loads(sv.dumps(team()))


def problems(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    return [(p["location"], p["code"]) for p in response.json()["problems"]]


# -- valid input ----------------------------------------------------------------------


def test_a_valid_network_gets_its_report(client: TestClient) -> None:
    response = post(client, sv.dumps(team()), on=DAY.isoformat())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    report = sv.Report.from_json(response.content)
    assert {v.code for v in report.violations} == {"guardian_consent_missing"}
    assert report.of_code("guardian_consent_missing")[0].entities[0] == "v3"
    assert report == sv.check(team(), on=DAY)


def test_the_rule_pack_and_day_come_from_the_query(client: TestClient) -> None:
    response = post(client, sv.dumps(team()), rules="cn-zhejiang", on="2015-06-01")
    assert response.status_code == 200
    body = response.json()
    assert body["pack_id"] == "cn-zhejiang"
    assert body["on"] == "2015-06-01"
    # On that day the volunteer born in 1997 is 18: no consent needed any more.
    assert body["violations"] == []


def test_a_compliant_network_gets_an_empty_report(client: TestClient) -> None:
    response = post(client, sv.dumps(team(minor_without_consent=False)), on=DAY.isoformat())
    assert response.status_code == 200
    assert response.json()["violations"] == []


# -- bad input: each kind, with the library's details ---------------------------------


def test_unknown_field(client: TestClient) -> None:
    doc = document()
    doc["volunteers"][0]["colour"] = "red"
    response = post(client, json.dumps(doc))
    assert problems(response) == [("volunteers[0].colour", "extra_forbidden")]
    body = response.json()
    assert body["error"] == "NetworkValidationError"
    assert "unknown field 'colour'" in body["problems"][0]["message"]
    assert "birth_date" in body["problems"][0]["message"]  # lists the fields expected


def test_wrong_enum_value_lists_the_allowed_values(client: TestClient) -> None:
    doc = document()
    doc["workers"][0]["certification"] = "master"
    response = post(client, json.dumps(doc))
    assert problems(response) == [("workers[0].certification", "enum")]
    message = response.json()["problems"][0]["message"]
    for level in sv.CertificationLevel:
        assert repr(level.value) in message
    assert "'master'" in message


def test_duplicate_id(client: TestClient) -> None:
    doc = document()
    doc["volunteers"][1]["id"] = "v1"
    assert ("volunteers[1].id", "duplicate_id") in problems(post(client, json.dumps(doc)))


def test_dangling_reference(client: TestClient) -> None:
    doc = document()
    doc["supervisions"][0]["supervisor"] = "w9"
    found = problems(post(client, json.dumps(doc)))
    assert found == [("supervisions[0].supervisor", "dangling_reference")]


def test_end_before_start(client: TestClient) -> None:
    doc = document()
    doc["supervisions"][0]["end"] = "2012-01-01"
    response = post(client, json.dumps(doc))
    (found,) = response.json()["problems"]
    assert found["location"].startswith("supervisions[0]")
    assert "before" in found["message"]


def test_every_problem_is_listed_at_once(client: TestClient) -> None:
    doc = document()
    doc["volunteers"][0]["colour"] = "red"
    doc["workers"][0]["certification"] = "master"
    doc["supervisions"][2]["supervisee"] = "v9"
    found = problems(post(client, json.dumps(doc)))
    assert {code for _, code in found} >= {"extra_forbidden", "enum", "dangling_reference"}


@pytest.mark.parametrize("body", [b"{not json", b"", b"\xff\xfe{}", b'{"centres": [}'])
def test_a_body_that_is_not_json(client: TestClient, body: bytes) -> None:
    response = post(client, body)
    assert response.status_code == 422
    payload = response.json()
    assert payload["error"] == "DocumentError"
    assert payload["problems"]
    assert all(p["location"].startswith("request body") for p in payload["problems"])


def test_an_unknown_rule_pack_is_refused_and_no_file_is_read(client: TestClient) -> None:
    response = post(client, sv.dumps(team()), rules=str(ROOT / "pyproject.toml"))
    assert problems(response) == [("query.rules", "unknown_rule_pack")]
    assert "cn-default" in response.json()["problems"][0]["message"]


def test_a_bad_query_parameter_keeps_fastapis_own_answer(client: TestClient) -> None:
    response = post(client, sv.dumps(team()), on="yesterday")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "on"]


# -- the schema and a large network ---------------------------------------------------


def test_the_openapi_schema_publishes_the_librarys_models(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    for model in (
        "Network",
        "Centre",
        "SocialWorker",
        "Volunteer",
        "Client",
        "Supervision",
        "Activity",
        "Report",
        "Violation",
    ):
        assert model in components, model
    body = schema["paths"]["/check"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"] == "#/components/schemas/Network"
    ok = schema["paths"]["/check"]["post"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"]["$ref"] == "#/components/schemas/Report"
    assert set(components["CertificationLevel"]["enum"]) == {c.value for c in sv.CertificationLevel}
    assert set(components["Network"]["properties"]) >= set(sv.Network.collections)


def test_a_large_network_is_accepted(client: TestClient) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from _city import city_json
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    body = city_json(20_000)
    expected = sv.check(sv.loads(body))
    response = post(client, body)
    assert response.status_code == 200
    report = sv.Report.from_json(response.content)
    assert report.counts_by_code() == expected.counts_by_code()
    assert report.rules_checked == expected.rules_checked > 0
