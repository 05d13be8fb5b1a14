from __future__ import annotations

from pathlib import Path

import pytest

from sw_volunteer.errors import RuleConfigurationError, RulePackError, UnknownRuleKindError
from sw_volunteer.rules import (
    Rule,
    RulePack,
    Severity,
    available_packs,
    load_pack,
    pack,
    parse_pack,
    rule_kinds,
)


def test_packaged_packs_cover_cn_default_and_another_jurisdiction():
    names = available_packs()
    assert "cn-default" in names
    jurisdictions = {pack(n).jurisdiction for n in names}
    assert len(jurisdictions) >= 2


@pytest.mark.parametrize("name", available_packs())
def test_every_number_in_a_packaged_pack_has_a_source(name):
    for rule in pack(name).rules:
        numbers = [v for v in rule.params.values() if isinstance(v, int | float)]
        if numbers:
            assert rule.source, rule.id


@pytest.mark.parametrize("name", available_packs())
def test_packaged_packs_use_only_registered_kinds(name):
    assert {r.kind for r in pack(name).rules} <= set(rule_kinds())


def test_cn_default_numbers_match_the_domain_table():
    cn = pack("cn-default")
    ratios = {
        (r.params["need"], r.params["setting"]): r.params["max_clients_per_adult"]
        for r in cn.rules_of_kind("client_adult_ratio")
    }
    assert ratios["psychiatric_rehabilitation", "in_centre"] == 6
    assert ratios["intellectual_disability", "outing"] == 2
    assert ratios["child_9_12", "in_centre"] == 12
    limits = {
        r.severity: r.params["limit"] for r in cn.rules_of_kind("max_volunteers_per_supervisor")
    }
    assert limits == {Severity.WARNING: 20, Severity.ERROR: 25}


def test_extending_pack_keeps_the_base_and_adds_the_provincial_rules():
    zj = pack("cn-zhejiang")
    cn = pack("cn-default")
    assert zj.extends == "cn-default"
    assert zj.rules[: len(cn.rules)] == cn.rules
    added = zj.rules[len(cn.rules) :]
    # the provincial rule on minors is stricter than the national one
    (minors,) = [r for r in added if r.kind == "no_minors_in_risky_activities"]
    assert minors.severity is Severity.ERROR
    assert cn.rule("volunteers.no_minors_in_risky").severity is Severity.WARNING


def test_user_pack_extends_a_file_and_merges_params(tmp_path: Path):
    (tmp_path / "base.yaml").write_text(
        "id: base\nversion: '1'\njurisdiction: X\neffective: 2020-01-01\n"
        "rules:\n  - id: r\n    kind: adults_present\n"
        "    params: {min_adults: 3, volunteer_weight: 0.5}\n    source: s\n",
        encoding="utf-8",
    )
    (tmp_path / "local.yaml").write_text(
        "id: local\nversion: '2'\nextends: base.yaml\n"
        "rules:\n  - id: r\n    params: {min_adults: 4}\n    source: local rule\n",
        encoding="utf-8",
    )
    local = load_pack(tmp_path / "local.yaml")
    assert local.rule("r").params["min_adults"] == 4
    assert local.rule("r").params["volunteer_weight"] == 0.5
    assert local.jurisdiction == "X"


def test_override_without_source_is_refused():
    with pytest.raises(RulePackError, match="needs its own 'source'"):
        parse_pack(
            "id: x\nversion: '1'\nextends: cn-default\n"
            "rules:\n  - id: supervision.workers.warning\n    params: {limit: 3}\n"
        )


def test_a_number_without_source_is_refused_and_every_problem_listed():
    with pytest.raises(RulePackError) as info:
        parse_pack(
            "id: x\nversion: '1'\njurisdiction: X\neffective: 2020-01-01\n"
            "rules:\n  - id: a\n    kind: max_workers_per_supervisor\n    params: {limit: 3}\n"
            "  - id: b\n    kind: no_such_kind\n"
        )
    text = str(info.value)
    assert "give a 'source'" in text
    assert "no_such_kind" in text


def test_extends_an_unknown_pack():
    with pytest.raises(RulePackError, match="cannot find the base pack"):
        parse_pack("id: x\nversion: '1'\nextends: atlantis\n")


def test_disabled_rule_is_dropped():
    local = parse_pack(
        "id: x\nversion: '1'\nextends: cn-default\n"
        "rules:\n  - id: volunteers.minimum_age\n    enabled: false\n"
    )
    assert "volunteers.minimum_age" not in {r.id for r in local.rules}


def test_bad_params_raise_at_once():
    with pytest.raises(RuleConfigurationError, match="limit"):
        Rule(id="r", kind="max_workers_per_supervisor", params={"limit": 0})
    with pytest.raises(RuleConfigurationError, match="need"):
        Rule(
            id="r",
            kind="client_adult_ratio",
            params={"need": "martians", "setting": "outing", "max_clients_per_adult": 2},
        )


def test_unknown_kind_raises_lookup_error():
    with pytest.raises(UnknownRuleKindError) as info:
        Rule(id="r", kind="max_unicorns")
    assert isinstance(info.value, LookupError)
    assert "max_workers_per_supervisor" in str(info.value)


def test_rules_are_data_comparable_and_round_trip_json():
    a = Rule(id="r", kind="adults_present", params={"min_adults": 3})
    b = Rule.model_validate_json(a.model_dump_json())
    assert a == b
    assert b.params["min_certified_workers"] == 1


def test_duplicate_rule_ids_in_a_pack_are_refused():
    r = Rule(id="r", kind="no_supervision_cycles")
    with pytest.raises(RulePackError, match="used twice"):
        RulePack(id="p", version="1", jurisdiction="X", effective="2020-01-01", rules=(r, r))
