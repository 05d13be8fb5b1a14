"""The example service's database: networks, edits and history in a real SQLite file."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

import sw_volunteer as sv

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")

from fastapi.testclient import TestClient

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "web_api.py"
SOURCE = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def web_api() -> ModuleType:
    spec = importlib.util.spec_from_file_location("web_api_store", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["web_api_store"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("web_api_store", None)


class Clock:
    """The time of the next change, set by the test."""

    def __init__(self) -> None:
        self.now = datetime(2013, 11, 1, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'networks.db'}"


@pytest.fixture
def client(web_api: ModuleType, database: str, clock: Clock):
    web_api.app.state.store = web_api.Store(database, clock=clock)
    try:
        yield TestClient(web_api.app, raise_server_exceptions=False)
    finally:
        web_api.app.state.store.engine.dispose()
        web_api.app.state.store = None


def _small() -> sv.Network:
    return sv.Network(
        info=sv.NetworkInfo(as_of=date(2013, 11, 1)),
        centres=[sv.Centre(id="c", name="育才社会工作室")],
        workers=[sv.SocialWorker(id="w", name="林社工", centre="c", certification="intermediate")],
        volunteers=[sv.Volunteer(id="v1", name="陈某", centre="c")],
        supervisions=[
            sv.Supervision(
                id="s1", supervisor="w", supervisee="v1", kind="guidance", start=date(2013, 1, 1)
            )
        ],
    )


def _volunteer(n: int) -> dict[str, object]:
    return {
        "op": "add",
        "collection": "volunteers",
        "entity": {"id": f"v{n}", "name": "新志愿者", "centre": "c"},
    }


def _create(client: TestClient, network: sv.Network | None = None) -> str:
    body = sv.dumps(network or _small(), format="json")
    response = client.post(
        "/networks",
        content=body,
        headers={"content-type": "application/json", "x-author": "admin"},
    )
    assert response.status_code == 201, response.text
    assert response.headers["etag"] == '"1"'
    network_id: str = response.json()["id"]
    return network_id


def _patch(client: TestClient, network_id: str, version: int | None, *ops: object, who="staff-017"):
    headers = {"content-type": "application/json", "x-author": who}
    if version is not None:
        headers["if-match"] = f'"{version}"'
    return client.patch(
        f"/networks/{network_id}",
        content=json.dumps({"operations": list(ops)}, ensure_ascii=False),
        headers=headers,
    )


def _stored(client: TestClient, network_id: str, **params: str) -> sv.Network:
    response = client.get(f"/networks/{network_id}", params=params)
    assert response.status_code == 200, response.text
    return sv.loads(response.content, format="json")


def test_a_network_is_stored_edited_and_its_history_kept(client: TestClient, clock: Clock) -> None:
    network_id = _create(client)
    assert _stored(client, network_id) == _small()
    clock.now += timedelta(days=1)
    supervision = {
        "op": "add",
        "collection": "supervisions",
        "entity": {
            "id": "s2",
            "supervisor": "w",
            "supervisee": "v2",
            "kind": "guidance",
            "start": "2013-11-02",
        },
    }
    response = _patch(client, network_id, 1, _volunteer(2), supervision)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    stored = _stored(client, network_id)
    assert {v.id for v in stored.volunteers} == {"v1", "v2"}
    assert {s.id for s in stored.supervisions} == {"s1", "s2"}
    history = client.get(f"/networks/{network_id}/history").json()
    assert [(h["version"], h["author"]) for h in history] == [(1, "admin"), (2, "staff-017")]
    assert history[1]["at"] == clock.now.isoformat(timespec="microseconds")
    assert [op["op"] for op in history[1]["operations"]] == ["add", "add"]


def test_a_stale_version_is_a_409_and_nothing_is_written(client: TestClient) -> None:
    network_id = _create(client)
    assert _patch(client, network_id, 1, _volunteer(2)).status_code == 200
    response = _patch(client, network_id, 1, _volunteer(3))
    assert response.status_code == 409
    [problem] = response.json()["detail"]
    assert problem["type"] == "version_conflict"
    assert "version 2" in problem["msg"]
    assert "version 1" in problem["msg"]
    assert response.headers["etag"] == '"2"'
    assert {v.id for v in _stored(client, network_id).volunteers} == {"v1", "v2"}
    assert len(client.get(f"/networks/{network_id}/history").json()) == 2


def test_concurrent_edits_one_wins_the_other_gets_a_conflict(
    web_api: ModuleType, client: TestClient
) -> None:
    network_id = _create(client)
    start = threading.Barrier(2)
    statuses: dict[int, int] = {}

    def edit(n: int) -> None:
        # Each thread its own client (and connection) on the same database file.
        own = TestClient(web_api.app, raise_server_exceptions=False)
        start.wait()
        statuses[n] = _patch(own, network_id, 1, _volunteer(n)).status_code

    threads = [threading.Thread(target=edit, args=(n,)) for n in (2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses.values()) == [200, 409]
    winner = next(n for n, status in statuses.items() if status == 200)
    assert {v.id for v in _stored(client, network_id).volunteers} == {"v1", f"v{winner}"}
    assert len(client.get(f"/networks/{network_id}/history").json()) == 2


def test_an_edit_without_if_match_is_refused(client: TestClient) -> None:
    network_id = _create(client)
    assert _patch(client, network_id, None, _volunteer(2)).status_code == 428


def test_a_batch_with_a_bad_edit_writes_nothing_and_lists_every_problem(
    client: TestClient,
) -> None:
    network_id = _create(client)
    bad = {
        "op": "add",
        "collection": "volunteers",
        "entity": {"id": "v9", "name": "某", "centre": "c", "shoe_size": 42},
    }
    unknown = {"op": "remove", "id": "nobody"}
    response = _patch(client, network_id, 1, _volunteer(2), bad, {"op": "rename"})
    assert response.status_code == 422
    assert [(d["loc"][1], d["type"]) for d in response.json()["detail"]] == [
        ("operations[1].entity.shoe_size", "extra_forbidden"),
        ("operations[2].op", "unknown_op"),
    ]
    response = _patch(client, network_id, 1, _volunteer(2), unknown)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "unknown_id"
    dangling = {
        "op": "add",
        "collection": "volunteers",
        "entity": {"id": "v4", "name": "某", "centre": "nowhere"},
    }
    response = _patch(client, network_id, 1, dangling)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "dangling_reference"
    assert _stored(client, network_id) == _small()
    assert len(client.get(f"/networks/{network_id}/history").json()) == 1


def test_a_crash_inside_the_transaction_leaves_nothing_half_written(
    web_api: ModuleType, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    network_id = _create(client)

    def crash(_store: object) -> None:
        raise RuntimeError("the server died between the two writes")

    monkeypatch.setattr(web_api.Store, "_between_writes", crash)
    assert _patch(client, network_id, 1, _volunteer(2)).status_code == 500
    monkeypatch.undo()
    # The new version was written before the crash, and rolled back with the rest.
    response = client.get(f"/networks/{network_id}")
    assert response.headers["etag"] == '"1"'
    assert sv.loads(response.content, format="json") == _small()
    assert len(client.get(f"/networks/{network_id}/history").json()) == 1
    assert _patch(client, network_id, 1, _volunteer(2)).status_code == 200


def test_a_killed_process_leaves_nothing_half_written(
    client: TestClient, database: str, tmp_path: Path
) -> None:
    network_id = _create(client)
    script = tmp_path / "die.py"
    script.write_text(
        f"""
import importlib.util, os, sys
spec = importlib.util.spec_from_file_location("web_api_dies", {str(EXAMPLE)!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
module.Store._between_writes = lambda self: os._exit(3)  # killed mid-transaction
store = module.Store({database!r})
store.edit({network_id!r}, expected=1, operations=[{json.dumps(_volunteer(2))}], author="x")
""",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(SOURCE)}
    command = [sys.executable, str(script)]
    died = subprocess.run(command, env=env, check=False, timeout=120)  # noqa: S603 - our script
    assert died.returncode == 3
    response = client.get(f"/networks/{network_id}")
    assert response.headers["etag"] == '"1"'
    assert sv.loads(response.content, format="json") == _small()
    assert len(client.get(f"/networks/{network_id}/history").json()) == 1
    assert _patch(client, network_id, 1, _volunteer(2)).status_code == 200


def test_the_network_of_a_past_day_is_rebuilt(client: TestClient, clock: Clock) -> None:
    created = clock.now
    network_id = _create(client)
    clock.now = datetime(2013, 11, 10, 9, tzinfo=UTC)
    assert _patch(client, network_id, 1, _volunteer(2)).status_code == 200
    clock.now = datetime(2013, 11, 20, 9, tzinfo=UTC)
    removal = {"op": "remove", "id": "v1", "cascade": True}
    assert _patch(client, network_id, 2, removal).status_code == 200
    added = _small().with_added(sv.Volunteer(id="v2", name="新志愿者", centre="c"))
    expected = {
        "2013-11-05T00:00:00+08:00": _small(),
        "2013-11-10T09:00:00+00:00": added,  # the instant of the change: included
        "2013-11-15T12:00:00+00:00": added,
        "2013-12-01T00:00:00+00:00": added.with_removed("v1", cascade=True),
    }
    for at, network in expected.items():
        assert _stored(client, network_id, at=at) == network, at
    assert _stored(client, network_id) == added.with_removed("v1", cascade=True)
    earlier = (created - timedelta(seconds=1)).isoformat()
    before = client.get(f"/networks/{network_id}", params={"at": earlier})
    assert before.status_code == 404
    # The check of a past state on a day.
    report = client.get(
        f"/networks/{network_id}/check",
        params={"at": "2013-11-15T12:00:00+00:00", "on": "2013-11-15"},
    )
    assert report.status_code == 200
    assert sv.rules.Report.model_validate(report.json()) == sv.check(added, on=date(2013, 11, 15))
    naive = client.get(f"/networks/{network_id}", params={"at": "2013-11-15T12:00:00"})
    assert naive.status_code == 422
    assert naive.json()["detail"][0]["loc"] == ["query", "at"]


def test_an_unknown_network_is_a_404(client: TestClient) -> None:
    assert client.get("/networks/nowhere").status_code == 404
    assert client.get("/networks/nowhere/history").status_code == 404
    assert _patch(client, "nowhere", 1, _volunteer(2)).status_code == 404


def test_the_database_file_is_created_on_start(
    web_api: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "started.db"
    monkeypatch.setenv(web_api.DATABASE_URL_VARIABLE, f"sqlite:///{path}")
    web_api.app.state.store = None
    assert not path.exists()
    with TestClient(web_api.app) as started:
        assert path.exists()
        network_id = _create(started)
        assert _stored(started, network_id) == _small()
    web_api.app.state.store.engine.dispose()
    web_api.app.state.store = None
