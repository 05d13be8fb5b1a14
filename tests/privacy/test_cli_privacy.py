from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sw_volunteer.cli import main
from sw_volunteer.datasets import ruian_2013
from sw_volunteer.io import dump, load
from sw_volunteer.privacy import pseudonymous_ids

from .conftest import KEY, build_network


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out, err=io.StringIO()), out.getvalue()


def _run_err(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    return main(list(argv), out=io.StringIO(), err=err), err.getvalue()


def test_redact_writes_a_valid_pseudonymised_network(tmp_path: Path) -> None:
    source = tmp_path / "net.yaml"
    dump(build_network(), source)
    key = tmp_path / "key"
    key.write_bytes(KEY)
    key.chmod(0o600)
    target = tmp_path / "shared.json"
    status, text = _run("redact", str(source), str(target), "--key-file", str(key))
    assert status == 0, text
    shared = load(target)
    ids = pseudonymous_ids(build_network(), key=KEY)
    # the fixture is too small for groups of 5: everyone is withheld, not exposed
    assert {v.id for v in shared.volunteers} <= {ids[v.id] for v in build_network().volunteers}
    assert "redacted network written" in text
    assert "k = 5 asked" in text


def test_redact_can_drop_health_data(tmp_path: Path) -> None:
    source = tmp_path / "net.yaml"
    dump(ruian_2013(), source)
    key = tmp_path / "key"
    key.write_bytes(KEY)
    key.chmod(0o600)
    kept, dropped = tmp_path / "kept.json", tmp_path / "dropped.json"
    assert _run("redact", str(source), str(kept), "--key-file", str(key))[0] == 0
    status, text = _run(
        "redact", str(source), str(dropped), "--key-file", str(key), "--drop-health", "--json"
    )
    assert status == 0, text
    assert any(c.needs for c in load(kept).clients)
    assert load(dropped).clients
    assert not any(c.needs for c in load(dropped).clients)
    assert json.loads(text)["achieved_k"] >= json.loads(text)["k"]


def test_redact_json_report_and_bad_key(tmp_path: Path) -> None:
    source = tmp_path / "net.json"
    dump(build_network(), source)
    key = tmp_path / "key"
    key.write_bytes(b"too short")
    key.chmod(0o600)
    status, text = _run(
        "redact", str(source), str(tmp_path / "out.json"), "--key-file", str(key), "--json"
    )
    assert status == 2
    assert [p["code"] for p in json.loads(text)["problems"]] == ["weak_key"]
    assert not (tmp_path / "out.json").exists()


def test_aggregate_writes_csv_or_json(tmp_path: Path) -> None:
    source = tmp_path / "net.json"
    dump(build_network(), source)
    status, text = _run("aggregate", str(source), str(tmp_path / "t.csv"), "--on", "2013-11-18")
    assert status == 0, text
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8"))))
    assert {r["role"] for r in rows} == {"social_worker", "volunteer", "client", "incident"}
    status, text = _run(
        "aggregate", str(source), str(tmp_path / "t.json"), "--threshold", "3", "--json"
    )
    assert status == 0
    report = json.loads(text)
    table = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert table["threshold"] == 3
    assert report["suppressed"] == sum(c["suppressed"] for c in table["cells"])


def test_unreadable_input_is_reported(tmp_path: Path) -> None:
    status, text = _run_err("aggregate", str(tmp_path / "absent.json"), str(tmp_path / "t.json"))
    assert status == 2
    assert "absent.json" in text
