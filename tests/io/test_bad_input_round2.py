"""Bad documents that used to escape the error tree, each refused with a located error."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

import sw_volunteer as sv
from sw_volunteer.errors import (
    MAX_LISTED,
    DocumentError,
    InputError,
    NetworkValidationError,
    RosterImportError,
    SimulationError,
)
from sw_volunteer.io import document_limits, load_scenario, read_roster_csv

_BASE = {
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
            },
        }
    ],
}


def _with_schedule(**changes: object) -> str:
    document = copy.deepcopy(_BASE)
    document["programmes"][0]["schedule"].update(changes)
    return json.dumps(document)


def test_the_base_document_loads() -> None:
    assert sv.loads(_with_schedule()).programme("p").schedule is not None


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"timezone": "America"}, "'America'"),  # a folder of the zone database
        ({"timezone": "A" * 300}, "300 characters"),
        ({"timezone": "Europe/../../etc/passwd"}, "IANA"),
        ({"timezone": 8}, "not int"),
        (
            {"start": "0001-01-01T00:00:00Z", "timezone": "America/New_York"},
            "between 1900-01-01 and 2199-12-31",
        ),
        ({"start": "9999-12-31T23:00:00"}, "between 1900-01-01 and 2199-12-31"),
        ({"duration": "P99999D"}, "at most"),
    ],
)
def test_a_bad_zone_or_date_is_a_network_validation_error(
    changes: dict[str, object], words: str
) -> None:
    with pytest.raises(NetworkValidationError) as caught:
        sv.loads(_with_schedule(**changes))
    message = str(caught.value)
    assert "programmes[0].schedule" in message
    assert words in message
    assert "site-packages" not in message  # no install path leaks


def test_a_far_future_birth_date_does_not_break_check() -> None:
    document = {
        "centres": [{"id": "c", "name": "C"}],
        "volunteers": [{"id": "v", "name": "V", "centre": "c", "birth_date": "9990-12-31"}],
    }
    network = sv.loads(json.dumps(document))
    for day in (date(2013, 11, 19), date(9999, 12, 31)):
        assert isinstance(sv.check(network, on=day), sv.rules.Report)


def test_an_impossible_yaml_date_names_its_line_and_field() -> None:
    text = "centres:\n  - id: a\n    name: b\n    founded: 2015-13-01\n"
    with pytest.raises(DocumentError) as caught:
        sv.loads(text, format="yaml", source="net.yaml")
    (problem,) = caught.value.problems
    assert problem.location.startswith("net.yaml, line 4,")
    assert "'founded'" in problem.message
    assert "YYYY-MM-DD" in problem.message


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("centres: !!timestamp x\n", "bad_yaml"),
        ("centres: !!bool x\n", "bad_yaml"),
        ("centres: !!int x\n", "bad_yaml"),
        ("centres: !!set [a]\n", "unsafe_yaml_tag"),
        ("centres: !!set {a: null}\n", "unsafe_yaml_tag"),
        ("centres: !!binary aGk=\n", "unsafe_yaml_tag"),
        ("centres: !!omap [a: 1]\n", "unsafe_yaml_tag"),
        ("? [a, b]\n: 1\n", "bad_yaml"),
        ("2013-01-01: x\n", "bad_yaml"),
    ],
)
def test_yaml_tags_and_keys_that_are_not_plain_data_are_refused(text: str, code: str) -> None:
    with pytest.raises(DocumentError) as caught:
        sv.loads(text, format="yaml")
    assert caught.value.codes == (code,)
    assert "line 1," in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        '{"clients": [{"张三丰": 1, "张三丰": 2}]}',
        "clients:\n  - 张三丰: 1\n    张三丰: 2\n",
        "clients:\n  - ZhangSanfeng: 1\n    ZhangSanfeng: 2\n",
        '{"clients": [{"ZhangSanfeng": 1, "ZhangSanfeng": 2}]}',
    ],
)
def test_a_repeated_key_that_is_data_is_not_echoed(text: str) -> None:
    with pytest.raises(DocumentError) as caught:
        sv.loads(text)
    assert caught.value.codes == ("duplicate_key",)
    assert "张三丰" not in str(caught.value)
    assert "Zhang" not in str(caught.value)
    assert "line " in str(caught.value)


def test_a_repeated_field_name_is_named_in_yaml_too() -> None:
    with pytest.raises(DocumentError) as caught:
        sv.loads("centres: []\ncentres: []\n", format="yaml")
    assert "the key 'centres'" in str(caught.value)


def test_the_size_limit_counts_bytes_not_characters() -> None:
    name = "社" * 400  # 400 characters, 1200 bytes of UTF-8
    text = json.dumps({"centres": [{"id": "c", "name": name}]}, ensure_ascii=False)
    size = len(text.encode("utf-8"))
    assert len(text) < 1000 < size
    with pytest.raises(DocumentError) as caught:
        sv.loads(text, max_bytes=1000)
    assert caught.value.codes == ("too_large",)
    assert str(size) in str(caught.value)
    with document_limits(max_bytes=1000), pytest.raises(DocumentError):
        sv.loads(text)
    assert sv.loads(text, max_bytes=size).centre("c").name == name


def test_the_size_limit_is_set_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = json.dumps({"centres": [{"id": "c", "name": "C"}]})
    path = tmp_path / "n.json"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SW_VOLUNTEER_MAX_BYTES", str(len(text) - 1))
    with pytest.raises(DocumentError) as caught:
        sv.load(path)
    assert caught.value.codes == ("too_large",)
    assert sv.load(path, max_bytes=len(text)).centre("c").name == "C"  # the argument wins
    monkeypatch.setenv("SW_VOLUNTEER_MAX_BYTES", "1k")
    assert sv.loads(text).centre("c").name == "C"
    monkeypatch.setenv("SW_VOLUNTEER_MAX_BYTES", "lots")
    with pytest.raises(DocumentError) as bad:
        sv.loads(text)
    assert bad.value.codes == ("bad_size",)
    assert "SW_VOLUNTEER_MAX_BYTES" in str(bad.value)


def test_an_error_with_many_problems_lists_the_first_and_counts_the_rest() -> None:
    dangling = 500
    document = {
        "centres": [{"id": "c", "name": "C"}],
        "workers": [{"id": f"w{i}", "name": "W", "centre": "nowhere"} for i in range(dangling)],
    }
    with pytest.raises(NetworkValidationError) as caught:
        sv.loads(json.dumps(document))
    assert len(caught.value.problems) == dangling
    lines = str(caught.value).splitlines()
    assert len(lines) == 1 + MAX_LISTED + 1
    assert lines[-1].strip() == f"\u2026 and {dangling - MAX_LISTED:,} more"


def test_the_simulate_pre_read_uses_the_strict_reader(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("weeks: " + "[" * 5000, encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        load_scenario(deep)
    assert caught.value.codes == ("too_deep",)
    twice = tmp_path / "twice.yaml"
    twice.write_text("weeks: 10\nweeks: 20\n", encoding="utf-8")
    with pytest.raises(DocumentError) as repeated:
        load_scenario(twice)
    assert repeated.value.codes == ("duplicate_key",)
    bad = tmp_path / "bad.yaml"
    bad.write_text("weeks: 10\ncentres: [{id: a, volunteers: yes}]\n", encoding="utf-8")
    with pytest.raises(SimulationError) as values:
        load_scenario(bad)
    assert "centres[0].volunteers" in [p.location for p in values.value.problems]
    large = tmp_path / "large.yaml"
    large.write_text("weeks: 10\n", encoding="utf-8")
    with pytest.raises(DocumentError):
        load_scenario(large, max_bytes=5)


@pytest.mark.parametrize(
    ("tail", "code", "column"),
    [
        ("v1," + "x" * (128 * 1024 + 1) + "\n", "cell_too_large", "name"),
        ("v1,a\rb\n", "bare_carriage_return", "name"),
    ],
)
def test_a_roster_cell_the_csv_reader_refuses_is_located(tail: str, code: str, column: str) -> None:
    roster = "id,name\nv0,甲\n" + tail
    with pytest.raises(RosterImportError) as caught:
        read_roster_csv(roster, centre="c", text=True)
    (problem,) = caught.value.problems
    assert (problem.code, problem.location) == (code, f"row 3, column {column}")
    assert isinstance(caught.value, InputError)
