"""Hostile documents: fuzzing, alias bombs, size and depth limits, repeated keys."""

from __future__ import annotations

import json
import threading
import tracemalloc

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.errors import DocumentError, NetworkValidationError
from sw_volunteer.io import DocumentLimits, document_limits
from sw_volunteer.testing.strategies import networks

DOCUMENTED = (DocumentError, NetworkValidationError)


def _billion_laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append(f"centres: *a{levels - 1}")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_it_is_expanded() -> None:
    text = _billion_laughs()  # 10**10 strings once expanded, 1 kB as text
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError) as caught:
            sv.loads(text, format="yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.codes == ("alias_bomb",)
    # a4 (line 5) stands for 11111 nodes: its eighth alias passes the 100000 budget, so
    # the walk stops there, long before the expansion of the last line
    assert "line 5," in str(caught.value)
    # Nothing near the expansion was built: the peak stays within a small multiple of
    # what parsing a 1 kB document needs.
    assert peak < 2**20


def test_a_few_honest_aliases_still_load() -> None:
    text = (
        "centres: [{id: liqun, name: 利群}]\n"
        "volunteers:\n"
        "  - {id: v1, name: 甲, centre: liqun, insurance: &cover {start: 2013-01-01}}\n"
        "  - {id: v2, name: 乙, centre: liqun, insurance: *cover}\n"
    )
    network = sv.loads(text, format="yaml")
    assert network.volunteer("v1").insurance == network.volunteer("v2").insurance


def test_the_alias_budget_is_configurable() -> None:
    text = _billion_laughs(levels=3)  # 1000 strings through aliases
    with pytest.raises(DocumentError) as caught, document_limits(max_yaml_alias_nodes=100):
        sv.loads(text, format="yaml")
    assert caught.value.codes == ("alias_bomb",)
    with pytest.raises(NetworkValidationError):  # within budget: it parses, then is no network
        sv.loads(text, format="yaml")


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(DocumentError) as caught:
        sv.loads("centres: &loop [*loop]\n", format="yaml")
    assert caught.value.codes == ("recursive_alias",)


@pytest.mark.parametrize(
    "text",
    [
        "centres: " + "[" * 5000 + "]" * 5000,
        "centres:\n" + "".join("  " * i + "- \n" for i in range(1, 200)),
        "a: &deep "
        + "[" * 40
        + "]" * 40
        + "\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[*deep]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
    ],
    ids=["flow", "block", "through-an-alias"],
)
def test_deep_yaml_is_refused(text: str) -> None:
    with pytest.raises(DocumentError) as caught:
        sv.loads(text, format="yaml")
    assert caught.value.codes == ("too_deep",)


def test_deep_json_is_refused() -> None:
    with pytest.raises(DocumentError) as caught:
        sv.loads('{"centres": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert caught.value.codes == ("too_deep",)


def test_size_limit_for_strings_bytes_and_files(tmp_path) -> None:
    document = sv.dumps(sv.Network(centres=[sv.Centre(id="liqun", name="利群")]))
    path = tmp_path / "net.json"
    path.write_text(document, encoding="utf-8")
    with document_limits(max_bytes=len(document) - 1):
        for attempt in (lambda: sv.loads(document), lambda: sv.loads(document.encode())):
            with pytest.raises(DocumentError) as caught:
                attempt()
            assert caught.value.codes == ("too_large",)
        with pytest.raises(DocumentError) as from_file:
            sv.load(path)
        assert from_file.value.codes == ("too_large",)
    assert sv.load(path).counts()["centres"] == 1


def test_limits_are_local_to_the_thread_that_sets_them() -> None:
    seen: list[DocumentLimits] = []
    with document_limits(max_bytes=10) as inside:
        worker = threading.Thread(target=lambda: seen.append(sv.io._documents._limits()))
        worker.start()
        worker.join()
    assert inside.max_bytes == 10
    assert seen == [DocumentLimits()]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('{"centres": [], "centres": []}', "'centres'"),
        ('{"centres": [{"id": "a", "name": "x", "name": "y"}]}', "'name'"),
        ('{"centres": [{"id": "a", "张三": 1, "张三": 2}]}', "a key"),
    ],
)
def test_a_repeated_json_key_is_refused_not_dropped(text: str, shown: str) -> None:
    with pytest.raises(DocumentError) as caught:
        sv.loads(text)
    assert caught.value.codes == ("duplicate_key",)
    assert shown in str(caught.value)
    assert "张三" not in str(caught.value)
    assert "line 1, column" in str(caught.value)


def test_an_impossible_yaml_date_is_a_document_error() -> None:
    with pytest.raises(DocumentError) as caught:
        sv.loads("centres: [{id: a, name: b, founded: 2013-02-30}]\n", format="yaml")
    assert caught.value.codes == ("bad_yaml",)


# -- fuzzing ---------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)

fields = st.sampled_from(
    ["id", "name", "centre", "birth_date", "needs", "workers", "start", "end", "kind", "places"]
)
network_shaped = st.fixed_dictionaries(
    {},
    optional={
        name: st.lists(st.dictionaries(fields, json_values, max_size=6), max_size=3)
        for name in sv.Network.collections
    },
)


def _loads_only_documented(data: str | bytes, **kwargs: object) -> None:
    try:
        result = sv.loads(data, **kwargs)  # type: ignore[arg-type]
    except DOCUMENTED:
        return
    assert isinstance(result, sv.Network)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
@example(b"\xef\xbb\xbf")
@example(b"{")
@example(b"- &a [*a]")
@example(b"!!binary aGVsbG8=")
@example(b"? [a, b]\n: c\n")
@example(b"centres: [{id: a, name: b, founded: 2013-13-45}]")
@example(b"{1: 2}")
@example(b"'centres': !!set {a, b}")
@example(b"centres: 1e999999")
def test_fuzz_bytes(data: bytes) -> None:
    _loads_only_documented(data)
    _loads_only_documented(data, format="yaml")
    _loads_only_documented(data, format="json")


@given(json_values | network_shaped)
def test_fuzz_json_values(value: object) -> None:
    _loads_only_documented(json.dumps(value), format="json")
    _loads_only_documented(yaml.safe_dump(value, allow_unicode=True), format="yaml")


@given(st.text(max_size=300))
def test_fuzz_text_as_yaml(text: str) -> None:
    _loads_only_documented(text, format="yaml")


@settings(max_examples=30)
@given(network=networks(max_volunteers=3, max_clients=3), data=st.data())
def test_fuzz_mutated_real_documents(network: sv.Network, data: st.DataObject) -> None:
    for fmt in ("json", "yaml"):
        document = bytearray(sv.dumps(network, format=fmt).encode())
        for _ in range(data.draw(st.integers(1, 4))):
            position = data.draw(st.integers(0, len(document) - 1))
            document[position] = data.draw(st.integers(0, 255))
        _loads_only_documented(bytes(document), format=fmt)
