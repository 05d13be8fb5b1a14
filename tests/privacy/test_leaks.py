"""Plant a marker in every sensitive field and look for it everywhere it could leak."""

from __future__ import annotations

import io
import json
import logging
import typing
from collections.abc import Iterator
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

import sw_volunteer as sv
from sw_volunteer.cli import main
from sw_volunteer.errors import SwVolunteerError
from sw_volunteer.io import dump, dumps, loads
from sw_volunteer.models import ENTITY_TYPES, Model, Network, sensitive_fields
from sw_volunteer.privacy import aggregate, redact

from .conftest import KEY, build_network

MARKER = "ZZLEAK泄露"
MARKER_DATE = date(1987, 6, 5)
MINOR_BIRTH = date(2011, 8, 17)  # a volunteer too young on the day checked
ON = date(2016, 3, 1)


def _date_markers(day: date) -> tuple[str, ...]:
    """A planted date, and its day of the year: a birthday in any year gives it away."""
    return (
        day.isoformat(),
        day.strftime("%Y%m%d"),
        f"{day.month:02d}-{day.day:02d}",
        f"{day.month:02d}/{day.day:02d}",
        f"{day.month}月{day.day}日",
    )


MARKERS = (MARKER, *_date_markers(MARKER_DATE), *_date_markers(MINOR_BIRTH))


def _planted() -> Network:
    """The fixture network with the marker in every sensitive text and date field."""
    base = build_network(MARKER)
    replaced = []
    for entity in base.entities():
        updates: dict[str, Any] = {}
        for name in sensitive_fields(type(entity)):
            value = getattr(entity, name)
            if isinstance(value, date) or (value is None and _holds(type(entity), name, date)):
                updates[name] = MARKER_DATE
            elif value is None and _holds(type(entity), name, str):
                updates[name] = f"{MARKER}-{name}"
        if entity.id == "v-3":
            updates["birth_date"] = MINOR_BIRTH
        if updates:
            replaced.append(entity.model_copy(update=updates))
    return base.with_replaced(*replaced)


def _holds(model: type[Model], name: str, kind: type) -> bool:
    annotation = model.model_fields[name].annotation
    return annotation is kind or kind in typing.get_args(annotation)


def test_every_sensitive_field_carries_a_marker() -> None:
    """If a new tagged field has a type this test cannot plant, it must be extended."""
    network = _planted()
    for model in ENTITY_TYPES:
        entities = [e for e in network.entities() if type(e) is model]
        for name in sensitive_fields(model):
            values = [getattr(e, name) for e in entities]
            planted = any(
                (isinstance(v, str) and MARKER in v)
                or v == MARKER_DATE
                or (isinstance(v, frozenset) and any(MARKER in str(x) for x in v))
                for v in values
            )
            categorical = all(
                isinstance(v, Enum)
                or (isinstance(v, frozenset) and all(isinstance(x, Enum) for x in v))
                for v in values
            )
            assert planted or categorical, f"{model.__name__}.{name}: no marker planted"


def _leaks(text: str) -> list[str]:
    return [m for m in MARKERS if m in text]


def _objects(network: Network) -> Iterator[object]:
    yield network
    for entity in network.entities():
        yield entity
        for value in entity.__dict__.values():
            if isinstance(value, Model):
                yield value
            if isinstance(value, tuple):
                yield from (v for v in value if isinstance(v, Model))
    table = aggregate(network)
    yield table
    yield from table.cells
    for pack in sv.rules.available_packs():
        report = sv.check(network, rules=pack, on=ON)
        yield report
        for violation in report.violations:
            yield violation
            if violation.remedy is not None:
                yield violation.remedy


def test_no_marker_in_repr_str_or_html_repr() -> None:
    network = _planted()
    shared = redact(network, key=KEY)
    for obj in (*_objects(network), *_objects(shared)):
        assert not _leaks(repr(obj)), type(obj).__name__
        assert not _leaks(str(obj)), type(obj).__name__
        html = getattr(obj, "_repr_html_", None)
        if callable(html):
            assert not _leaks(str(html())), type(obj).__name__
        for lang in ("en", "zh"):
            render = getattr(obj, "render", None)
            if callable(render):
                assert not _leaks(str(render(lang))), type(obj).__name__
        records = getattr(obj, "to_records", None)
        if callable(records):
            assert not _leaks(json.dumps(records(), default=str, ensure_ascii=False))


def _bad_documents() -> Iterator[tuple[str, str]]:
    good = json.loads(dumps(_planted()))
    dangling = json.loads(json.dumps(good))
    for person in (*dangling["volunteers"], *dangling["clients"]):
        person["centre"] = "nowhere"
    yield "dangling references", json.dumps(dangling, ensure_ascii=False)
    wrong_types = json.loads(json.dumps(good))
    wrong_types["clients"][0]["birth_date"] = MARKER
    wrong_types["clients"][1]["name"] = [MARKER]
    wrong_types["clients"][2]["needs"] = [MARKER]
    wrong_types["clients"][3]["support_level"] = MARKER
    wrong_types["volunteers"][0]["volunteer_number"] = {"x": MARKER}
    wrong_types["volunteers"][1]["birth_date"] = f"1987-06-05{MARKER}"
    wrong_types["clients"][4]["notes"] = 12
    yield "wrong types", json.dumps(wrong_types, ensure_ascii=False)
    text = dumps(_planted(), format="yaml")
    yield "broken yaml", text.replace(f"name: {MARKER}", f'name: "{MARKER}', 1)
    yield "tab in yaml", text.replace(f"name: {MARKER}", f"name:\t{MARKER}\n\t- {MARKER}", 1)
    yield "broken json", dumps(_planted())[:-40]
    yield "duplicate key", text.replace("- id: c-0\n", f"- id: c-0\n  name: {MARKER}\n", 1)


@pytest.mark.parametrize("case", [name for name, _ in _bad_documents()])
def test_no_marker_in_errors_or_logs(case: str, caplog: pytest.LogCaptureFixture) -> None:
    document = dict(_bad_documents())[case]
    assert MARKER in document
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SwVolunteerError) as caught:
        loads(document)
    assert not _leaks(str(caught.value)), str(caught.value)
    assert not _leaks(repr(caught.value))
    for problem in getattr(caught.value, "problems", ()):
        assert not _leaks(str(problem))
    assert not _leaks(caplog.text)


def test_no_marker_in_exports_cli_output_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    source = tmp_path / "planted.yaml"
    dump(_planted(), source)
    key = tmp_path / "key"
    key.write_bytes(KEY)
    key.chmod(0o600)
    bad = tmp_path / "bad.json"
    bad.write_text(dict(_bad_documents())["wrong types"], encoding="utf-8")
    runs = [
        ["validate", str(source)],
        ["validate", str(bad)],
        ["redact", str(source), str(tmp_path / "shared.json"), "--key-file", str(key)],
        ["redact", str(source), str(tmp_path / "shared.yaml"), "--key-file", str(key), "--json"],
        ["redact", str(bad), str(tmp_path / "never.json"), "--key-file", str(key), "--json"],
        ["aggregate", str(source), str(tmp_path / "counts.json")],
        ["aggregate", str(source), str(tmp_path / "counts.csv"), "--json"],
        ["aggregate", str(bad), str(tmp_path / "never.csv")],
    ]
    for argv in runs:
        out = io.StringIO()
        main(argv, out=out)
        assert not _leaks(out.getvalue()), (argv, out.getvalue())
    for name in ("shared.json", "shared.yaml", "counts.json", "counts.csv"):
        assert not _leaks((tmp_path / name).read_text(encoding="utf-8")), name
    assert not (tmp_path / "never.json").exists()
    assert not _leaks(caplog.text)


def test_the_planted_minor_is_found_too_young() -> None:
    """The dated markers reach the outputs that could leak them: a remedy about an age."""
    report = sv.check(_planted(), rules="cn-default", on=ON)
    assert "volunteer_too_young" in {v.code for v in report.violations}


def test_no_marker_or_date_in_reports_frames_or_figures(caplog: pytest.LogCaptureFixture) -> None:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    from sw_volunteer.integrations.pandas import network_to_frames, report_to_frame
    from sw_volunteer.integrations.plotting import plot_supervision_graph

    caplog.set_level(logging.DEBUG)
    network = _planted()
    for shared in (network, redact(network, key=KEY, profile=None), redact(network, key=KEY)):
        for pack in sv.rules.available_packs():
            report = sv.check(shared, rules=pack, on=ON)
            texts = [
                report.model_dump_json(),
                report.render("en"),
                report.render("zh"),
                str(report._repr_html_()),
                report_to_frame(report).to_csv(),
            ]
            for violation in report.violations:
                texts.append(violation.message + violation.message_zh)
                if violation.remedy is not None:
                    texts.extend((violation.remedy.render("en"), violation.remedy.render("zh")))
            for text in texts:
                assert not _leaks(text), (pack, _leaks(text))
            figure, ax = plt.subplots()
            plot_supervision_graph(shared, report=report, on=ON, ax=ax)
            svg = io.StringIO()
            figure.savefig(svg, format="svg")
            plt.close(figure)
            assert not _leaks(svg.getvalue()), pack
        for name, frame in network_to_frames(shared).items():
            assert not _leaks(frame.to_csv()), name
    assert not _leaks(caplog.text)


def test_no_marker_or_date_in_the_check_command(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    source = tmp_path / "planted.json"
    dump(_planted(), source)
    for extra in (["--format", "json"], ["--lang", "zh"], []):
        out = io.StringIO()
        main(["check", str(source), "--on", ON.isoformat(), *extra], out=out)
        assert "v-3" in out.getvalue() or extra == ["--lang", "zh"]
        assert not _leaks(out.getvalue()), (extra, _leaks(out.getvalue()))
    for lang in ("en", "zh"):
        out = io.StringIO()
        main(["sessions", str(source), "--start", "2013-11-18", "--lang", lang], out=out)
        assert not _leaks(out.getvalue()), (lang, _leaks(out.getvalue()))
    assert not _leaks(caplog.text)


def test_no_value_in_the_error_of_an_assignment_or_a_repeated_need() -> None:
    client = _planted().clients[0]
    with pytest.raises(ValueError, match="frozen") as frozen:
        client.name = f"{MARKER}张三丰"  # type: ignore[misc]
    assert not _leaks(str(frozen.value))
    assert not _leaks(repr(frozen.value.errors()))  # type: ignore[attr-defined]
    document = json.loads(dumps(_planted()))
    document["clients"][0]["needs"] = ["drug_rehabilitation", "drug_rehabilitation"]
    with pytest.raises(SwVolunteerError) as repeated:
        loads(json.dumps(document))
    assert "needs" in str(repeated.value)
    assert "drug" not in str(repeated.value)
    with pytest.raises(ValueError, match="repeats") as direct:
        type(client)(**{**client.model_dump(), "needs": ["drug_rehabilitation"] * 2})
    assert "drug" not in str(direct.value)
