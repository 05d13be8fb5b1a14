from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rules_networks import DAY, liqun_outing, yucai

import sw_volunteer as sv
from sw_volunteer.cli import main
from sw_volunteer.errors import PolicyViolationError
from sw_volunteer.graph import assign_supervisors, supervision_graph, unsupervised


def test_report_renders_in_both_languages_without_client_details():
    net = liqun_outing(volunteers=0)
    report = sv.check(net, on=DAY)
    en, zh = report.render("en"), report.render("zh")
    assert "client_adult_ratio_exceeded" in en
    assert "不合规（须整改）" in zh
    assert "错误" not in zh
    assert "警告" not in zh
    assert "intellectual disability" in en  # the need named by the rule, not a person
    for client in net.clients:
        assert client.name not in en + zh
    records = report.to_records()
    assert {r["code"] for r in records} == set(report.counts_by_code())
    assert all(set(r["entities"]) <= {a.id for a in net.activities} for r in records)
    assert "<table>" in report._repr_html_()


def test_raise_for_violations_raises_only_on_errors():
    sv.check(yucai(), on=DAY).raise_for_violations()
    report = sv.check(yucai(n_workers=3), on=DAY)
    with pytest.raises(PolicyViolationError) as caught:
        report.raise_for_violations()
    assert caught.value.report is report


def test_cli_check_exit_codes_and_json(tmp_path: Path):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    sv.dump(yucai().model_copy(update={"info": sv.NetworkInfo(as_of=DAY)}), good)
    sv.dump(yucai(n_workers=3).model_copy(update={"info": sv.NetworkInfo(as_of=DAY)}), bad)
    out = io.StringIO()
    assert main(["check", str(good)], out=out) == 0
    out = io.StringIO()
    assert main(["check", str(bad), "--format", "json"], out=out) == 1
    assert json.loads(out.getvalue())["pack_id"] == "cn-default"
    out = io.StringIO()
    assert main(["check", str(bad), "--lang", "zh", "--rules", "us-default"], out=out) == 0
    assert "规则包 us-default" in out.getvalue()
    assert main(["check", str(tmp_path / "missing.json")], out=io.StringIO()) == 2
    assert main(["check", str(good), "--rules", "atlantis"], out=io.StringIO()) == 2


def test_assignment_places_everyone_when_capacity_allows_and_counts_the_shortfall():
    net = yucai(n_workers=3, guided=0)
    graph = supervision_graph(net, on=DAY)
    assert len(unsupervised(graph)) == 78
    exact = assign_supervisors(net, capacity=20)
    flow = assign_supervisors(net, capacity=20, method="max_flow")
    # 3 x 20 = 60 places for 78 volunteers: 18 left, ceil(18 / 20) = 1 more supervisor
    for result in (exact, flow):
        assert len(result.assignment) == 60
        assert len(result.unassigned) == 18
        assert result.extra_supervisors == {"yucai": 1}
        assert max(list(result.assignment.values()).count(w) for w in ("w1", "w2", "w3")) == 20
