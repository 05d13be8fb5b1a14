from __future__ import annotations

import json
import os

import pytest

import sw_volunteer as sv
from sw_volunteer.errors import DocumentError, NetworkValidationError

DOC = {
    "centres": [{"id": "yucai", "name": "市育才社会工作室", "kind": "community_studio"}],
    "workers": [{"id": "w1", "name": "王某", "centre": "yucai", "certification": "assistant"}],
}


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml"])
def test_load_and_dump_by_extension(tmp_path, suffix):
    net = sv.Network.model_validate(DOC)
    path = tmp_path / f"net{suffix}"
    sv.dump(net, path)
    assert sv.load(path) == net
    text = path.read_text(encoding="utf-8")
    assert "市育才社会工作室" in text  # Chinese is written as text, not escapes
    if suffix == ".json":
        assert json.loads(text)["centres"][0]["id"] == "yucai"


def test_the_format_can_override_the_extension(tmp_path):
    path = tmp_path / "net.txt"
    sv.dump(sv.Network.model_validate(DOC), path, format="yaml")
    assert sv.load(path, format="yaml").centre("yucai").name == "市育才社会工作室"
    with pytest.raises(DocumentError, match=r"cannot tell the format .*'\.txt'"):
        sv.load(path)


def test_a_dump_replaces_the_file_atomically_and_keeps_its_permissions(tmp_path):
    path = tmp_path / "net.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    sv.dump(sv.Network.model_validate(DOC), path)
    assert (path.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]  # no temporary file left


def test_a_failed_dump_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "net.json"
    path.write_text("old", encoding="utf-8")

    def broken_fsync(_fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        sv.dump(sv.Network.model_validate(DOC), path)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]


@pytest.mark.parametrize(
    ("payload", "code", "words"),
    [
        (b"", "empty_document", "empty"),
        (b"   \n", "empty_document", "empty"),
        (b"\xff\xfe{}", "not_utf8", "byte 0xff at offset 0"),
        (b"{not json", "not_json", "JSON"),
        (b"centres: [unclosed", "not_yaml", "line 2, column 1"),
        (b"- a\n- b\n", "not_a_mapping", "mapping"),
        (b"!!python/object/apply:os.system ['echo hi']", "unsafe_yaml_tag", "not allowed"),
        (b"centres: []\ncentres: []\n", "duplicate_key", "appears twice"),
        (b"[1, 2]", "not_a_mapping", "mapping"),
    ],
)
def test_unusable_documents_get_a_clear_error(payload, code, words):
    with pytest.raises(DocumentError) as caught:
        sv.loads(payload, source="input.doc")
    assert caught.value.codes == (code,)
    assert words in str(caught.value)
    assert "input.doc" in str(caught.value)


def test_a_json_array_document_is_not_a_network():
    with pytest.raises(DocumentError, match="must be an object"):
        sv.loads(b"[]", format="json")


def test_structural_errors_name_the_source(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("centres:\n- id: c\n  name: c\n  colour: red\n", encoding="utf-8")
    with pytest.raises(NetworkValidationError) as caught:
        sv.load(path)
    assert str(path) in str(caught.value)
    assert caught.value.problems[0].location == "centres[0].colour"


def test_a_missing_file_is_a_document_error(tmp_path):
    with pytest.raises(DocumentError, match="No such file"):
        sv.load(tmp_path / "missing.json")


def test_a_bom_is_accepted():
    net = sv.loads("\ufeff" + json.dumps(DOC).encode("utf-8").decode("utf-8"))
    assert net.worker("w1").name == "王某"


def test_the_json_schema_validates_a_real_document_and_rejects_a_bad_one():
    jsonschema = pytest.importorskip("jsonschema")
    schema = sv.json_schema()
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(DOC)
    bad = {**DOC, "workers": [{**DOC["workers"][0], "certification": "master"}]}
    assert list(validator.iter_errors(bad))
    assert list(validator.iter_errors({**DOC, "unknown": 1}))


@pytest.mark.parametrize("text", ["\x85", "a\rb", " \u2028 ", "x\r\n", "\u2029end"])
def test_yaml_keeps_line_break_characters_exactly(text):
    net = sv.Network(info=sv.NetworkInfo(title=text))
    assert sv.loads(sv.dumps(net, format="yaml"), format="yaml") == net
