"""The FastAPI example, driven through FastAPI's own test client."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path

import pytest

import sw_volunteer as sv
from sw_volunteer.errors import Problem, RuleError

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "web_api.py"


@pytest.fixture(scope="module")
def client():
    spec = importlib.util.spec_from_file_location("web_api", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["web_api"] = module
    spec.loader.exec_module(module)
    try:
        yield TestClient(module.app)
    finally:
        sys.modules.pop("web_api", None)


def _post(client, path, body, **params):
    content = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return client.post(
        path, content=content, params=params, headers={"content-type": "application/json"}
    )


def test_a_valid_network_gets_the_same_report_as_checking_it_directly(client):
    ruian = sv.datasets.ruian_2013()
    response = _post(client, "/check", json.loads(sv.dumps(ruian, format="json")))
    assert response.status_code == 200
    assert sv.rules.Report.model_validate(response.json()) == sv.check(ruian)


def test_the_pack_and_the_day_can_be_chosen(client):
    ruian = json.loads(sv.dumps(sv.datasets.ruian_2013(), format="json"))
    response = _post(client, "/check", ruian, pack="us-default", on="2013-12-01")
    assert response.status_code == 200
    assert response.json()["pack_id"] == "us-default"
    assert response.json()["on"] == "2013-12-01"
    expected = sv.check(
        sv.datasets.ruian_2013(), rules=sv.rules.pack("us-default"), on=date(2013, 12, 1)
    )
    assert len(response.json()["violations"]) == len(expected.violations)


@pytest.mark.parametrize(
    ("body", "codes"),
    [
        (b"{not json", ["not_json"]),
        (b"", ["empty_document"]),
        (b"[1, 2]", ["not_a_mapping"]),
        (
            {"centres": [{"id": "c", "name": "C", "colour": "red"}]},
            ["extra_forbidden"],
        ),
        (
            {
                "centres": [{"id": "c", "name": "C"}],
                "volunteers": [
                    {"id": "v1", "name": "陈某", "centre": "nowhere"},
                    {"id": "c", "name": "林某", "centre": "c"},
                ],
            },
            ["duplicate_id", "dangling_reference"],
        ),
        (
            {"centres": [{"id": "c", "name": "C"}], "workers": [{"id": "w", "centre": "c"}]},
            ["missing"],
        ),
    ],
    ids=["not-json", "empty", "not-an-object", "unknown-field", "integrity", "missing-field"],
)
def test_each_kind_of_bad_document_is_a_422_listing_the_librarys_problems(client, body, codes):
    response = _post(client, "/check", body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert sorted(d["type"] for d in detail) == sorted(codes)
    for problem in detail:
        assert problem["loc"][0] == "body"
        assert problem["msg"]


def _programme(**schedule):
    return {
        "centres": [{"id": "c", "name": "C"}],
        "programmes": [
            {
                "id": "p",
                "name": "P",
                "centre": "c",
                "service_area": "legal_aid",
                "schedule": {
                    "start": "2013-01-01T10:00:00",
                    "timezone": "Asia/Shanghai",
                    "duration": "PT1H",
                    **schedule,
                },
            }
        ],
    }


@pytest.mark.parametrize(
    "body",
    [
        _programme(timezone="America"),
        _programme(timezone="A" * 300),
        _programme(timezone=8),
        _programme(start="0001-01-01T00:00:00Z", timezone="America/New_York"),
        _programme(rules=["FREQ=DAILY;INTERVAL=-1"]),
        _programme(rules=["FREQ=DAILY;BYHOUR=25"]),
        _programme(rules=["FREQ=YEARLY;BYEASTER=100000"]),
        _programme(rules=["FREQ=DAILY;UNTIL=20131231T000000"]),
        _programme(rules=["FREQ=SECONDLY"]),
        _programme(rules=["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"]),
        '{"clients": [{"张三": 1, "张三": 2}]}'.encode(),
        ('{"centres": ' + "[" * 300 + "]" * 300 + "}").encode(),
    ],
    ids=[
        "zone-folder",
        "zone-too-long",
        "zone-number",
        "start-year-1",
        "interval-negative",
        "byhour-25",
        "byeaster-huge",
        "until-not-utc",
        "secondly",
        "never-occurs",
        "repeated-data-key",
        "deep-json",
    ],
)
def test_each_class_of_hostile_input_is_a_422_not_a_500(client, body):
    response = _post(client, "/check", body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail
    assert all(d["msg"] and d["type"] for d in detail)
    assert "site-packages" not in response.text
    assert "张三" not in response.text


def test_a_far_future_birth_year_is_checked_not_a_500(client):
    body = {
        "centres": [{"id": "c", "name": "C"}],
        "volunteers": [{"id": "v", "name": "V", "centre": "c", "birth_date": "9990-01-01"}],
    }
    assert _post(client, "/check", body).status_code == 200


def test_a_sensitive_value_is_not_echoed_in_the_error(client):
    body = {
        "centres": [{"id": "c", "name": "C"}],
        "clients": [{"id": "k", "name": "赵某", "centre": "c", "support_level": "秘密值"}],
    }
    response = _post(client, "/check", body)
    assert response.status_code == 422
    assert "秘密值" not in response.text


def test_an_unknown_pack_is_a_422_on_the_query(client):
    response = _post(client, "/check", {}, pack="nowhere")
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", "pack"]
    assert "cn-default" in problem["msg"]
    with pytest.raises(RuleError) as raised:
        sv.rules.pack("nowhere")
    [expected] = raised.value.problems
    assert (problem["type"], problem["msg"]) == (expected.code, expected.message)


def test_a_rule_error_is_a_422_listing_its_problem_records(client, monkeypatch):
    problems = [
        Problem("rules[2].params.max_cases", "bad_parameter", "must be at least 0"),
        Problem("rules[5]", "unknown_kind", "no rule kind 'caseload'"),
    ]

    def broken_pack(name: str) -> None:
        raise RuleError(problems, subject=f"the pack {name}")

    monkeypatch.setattr(sv.rules, "pack", broken_pack)
    response = _post(client, "/check", {}, pack="mine")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [(d["loc"], d["type"], d["msg"]) for d in detail] == [
        (["query", "pack", p.location], p.code, p.message) for p in problems
    ]


def test_a_large_network_is_checked(client):
    centres = [{"id": f"c{i}", "name": f"Centre {i}"} for i in range(20)]
    workers = [
        {"id": f"c{i}-w{j}", "name": "社工", "centre": f"c{i}", "certification": "intermediate"}
        for i in range(20)
        for j in range(5)
    ]
    volunteers = [
        {"id": f"c{i}-v{j}", "name": "义工", "centre": f"c{i}"}
        for i in range(20)
        for j in range(150)
    ]
    supervisions = [
        {
            "id": f"s-c{i}-v{j}",
            "supervisor": f"c{i}-w{j % 5}",
            "supervisee": f"c{i}-v{j}",
            "kind": "guidance",
            "start": "2013-01-01",
        }
        for i in range(20)
        for j in range(150)
    ]
    body = {
        "info": {"as_of": "2013-11-19"},
        "centres": centres,
        "workers": workers,
        "volunteers": volunteers,
        "supervisions": supervisions,
    }
    counts = _post(client, "/validate", body)
    assert counts.status_code == 200
    assert counts.json()["volunteers"] == 3000
    report = _post(client, "/check", body)
    assert report.status_code == 200
    # 150 volunteers per centre over 5 workers: 30 each, above the error limit of 25.
    overloaded = [
        v for v in report.json()["violations"] if v["code"] == "supervisor_overloaded_volunteers"
    ]
    assert {v["entities"][0] for v in overloaded} == {w["id"] for w in workers}


def test_the_openapi_schema_publishes_the_librarys_models(client):
    schema = client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    assert {"Network", "Volunteer", "Client", "Report", "Violation"} <= set(components)
    body = schema["paths"]["/check"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Network"}
    response = schema["paths"]["/check"]["post"]["responses"]["200"]["content"]
    assert response["application/json"]["schema"] == {"$ref": "#/components/schemas/Report"}
    assert components["Client"]["properties"]["name"]["x-sensitivity"] == "identifying"
    refs = json.dumps(components)
    assert "#/$defs/" not in refs


def test_a_repeated_need_is_a_422_that_does_not_name_the_need(client):
    document = json.loads(sv.dumps(sv.datasets.ruian_2013(), format="json"))
    document["clients"][0]["needs"] = ["drug_rehabilitation", "drug_rehabilitation"]
    response = _post(client, "/validate", document)
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["type"] == "duplicate_items"
    assert problem["loc"] == ["body", "clients[0].needs"]
    assert "drug" not in response.text
    assert sv.vocab.ClientNeed.DRUG_REHABILITATION.label("zh") not in response.text
