"""Messages come from one template table: evaluators detect, the table writes."""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.errors import RuleError
from sw_volunteer.rules import (
    NoParams,
    RemedyAction,
    RemedyOption,
    Violation,
    message_templates,
    register_message,
    register_remedy_text,
    register_rule_kind,
    remedy_templates,
    rule_kinds,
)
from sw_volunteer.testing import strategies

BUILTIN = Path(sv.__file__).parent / "rules" / "_builtin.py"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
PROSE = re.compile(r"[A-Za-z]+ [A-Za-z]+")


def _literals(tree: ast.AST) -> list[str]:
    """String literals of the module, except docstrings and ``description=`` metadata."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))
        if isinstance(node, ast.keyword) and node.arg == "description":
            skip.add(id(node.value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def test_the_evaluators_write_no_message_text():
    literals = _literals(ast.parse(BUILTIN.read_text("utf-8")))
    assert len(literals) > 50  # the scan sees the module's strings
    assert [s for s in literals if CJK.search(s)] == []
    assert [s for s in literals if PROSE.search(s)] == []


def test_the_scan_would_see_text_in_an_evaluator():
    source = (
        'def f():\n    """A docstring is fine."""\n'
        '    return ("to take 3 volunteers", "督导", "add_people")\n'
    )
    found = _literals(ast.parse(source))
    text = ["to take 3 volunteers", "督导"]
    assert [s for s in found if PROSE.search(s) or CJK.search(s)] == text


def test_every_code_of_a_registered_kind_has_a_template():
    codes = {code for kind in rule_kinds().values() for code in kind.codes}
    assert codes <= set(message_templates())


def _matches(value: Any, declared: Any) -> bool:
    origin = get_origin(declared)
    if origin is list:
        (item,) = get_args(declared)
        return isinstance(value, list) and all(isinstance(v, item) for v in value)
    if origin is dict:
        key, item = get_args(declared)
        return isinstance(value, dict) and all(
            isinstance(k, key) and _matches(v, item) for k, v in value.items()
        )
    if declared is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, declared)


def _assert_typed(violation: Violation) -> None:
    template = message_templates()[violation.code]
    for name, declared in template.fields.items():
        assert _matches(violation.context[name], declared), (violation.code, name)
    assert violation.message == template.render(violation.context, "en")
    assert violation.message_zh == template.render(violation.context, "zh")
    json.dumps(violation.context)  # JSON values only
    for option in violation.remedy.options if violation.remedy else ():
        if option.kind is None:
            continue
        assert option.kind in template.remedies, (violation.code, option.kind)
        remedy = remedy_templates()[option.kind]
        for name, declared in remedy.fields.items():
            assert _matches(option.context[name], declared), (option.kind, name)
        json.dumps(option.context)


def test_the_ruian_violations_carry_their_typed_context():
    report = sv.check(sv.datasets.ruian_2013())
    assert report.violations
    for violation in report.violations:
        _assert_typed(violation)
    again = sv.rules.Report.model_validate_json(report.model_dump_json())
    assert again == report


@given(strategies.networks())
def test_every_violation_is_rendered_from_its_template(network):
    for violation in sv.check(network, on=date(2013, 11, 18)).violations:
        _assert_typed(violation)


def test_chinese_text_uses_the_terms_of_practice():
    text = " ".join(t.zh for t in [*message_templates().values(), *remedy_templates().values()])
    assert "义工" not in text
    for term in ("志愿者", "服务对象", "督导", "持证社工", "监护人书面同意", "违法犯罪记录查询"):
        assert term in text
    assert "意外保险" in text


def test_a_users_rule_kind_brings_its_own_templates():
    register_message(
        "volunteer_without_photo",
        en="volunteer {volunteer} has no photo on file",
        zh="志愿者 {volunteer} 未提交照片",
        fields={"volunteer": str},
        replace=True,
    )
    register_remedy_text(
        "take_photo",
        en="take a photo of {volunteer}",
        zh="为 {volunteer} 拍摄照片",
        fields={"volunteer": str},
        replace=True,
    )

    def photos(rule, params, ctx):
        del params
        for v in ctx.volunteers_on_roster:
            yield Violation(
                code="volunteer_without_photo",
                severity=rule.severity,
                rule_id=rule.id,
                entities=(v.id,),
                context={"volunteer": v.id},
                remedy=sv.rules.Remedy(
                    options=(RemedyOption(kind="take_photo", context={"volunteer": v.id}),)
                ),
            )

    register_rule_kind(
        "photo_on_file", NoParams, photos, codes=("volunteer_without_photo",), replace=True
    )
    net = sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        volunteers=[sv.Volunteer(id="v1", name="V", centre="c")],
    )
    rule = sv.rules.Rule(id="photo", kind="photo_on_file")
    (violation,) = sv.check(net, [rule]).violations
    en = "volunteer v1 has no photo on file — remedy: take a photo of v1"
    assert violation.render("en") == en
    assert violation.render("zh") == "志愿者 v1 未提交照片 — 建议：为 v1 拍摄照片"


def test_a_template_may_use_only_its_declared_fields():
    with pytest.raises(RuleError, match="undeclared fields"):
        register_message("bad_code", en="{who} is bad", zh="{who}", fields={}, replace=True)


@given(st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=30))
def test_plural_and_lists_are_written_per_language(count: int, extra: int):
    volunteers = [f"v{i}" for i in range(count)]
    context = {"centre": "c", "volunteers": volunteers}
    en = message_templates()["volunteer_unsupervised"].render(context, "en")
    zh = message_templates()["volunteer_unsupervised"].render(context, "zh")
    noun = "volunteer" if count == 1 else "volunteers"
    assert en.startswith(f"centre c: {count} {noun} without")
    shown = min(count, 8)
    assert en.count(", ") == shown - 1
    assert (f"and {count - 8} more" in en) == (count > 8)
    assert zh.count("、") == shown - 1
    assert (f"等 {count} 人" in zh) == (count > 8)
    del extra


def test_every_action_kind_has_a_template():
    kinds = set(get_args(RemedyAction.model_fields["action"].annotation))
    assert "move_supervisee" in kinds
    assert {f"action.{k}" for k in kinds} <= set(remedy_templates())


def test_an_option_with_actions_only_is_described_by_its_actions():
    moves = [("v1", "w1", "w2"), ("v2", "w1", "w3")]
    option = RemedyOption(
        actions=tuple(
            RemedyAction(action="move_supervisee", entity=e, source=s, target=t)
            for e, s, t in moves
        )
    )
    assert option.text == "; ".join(f"move {e} from {s} to {t}" for e, s, t in moves)
    assert option.text_zh == "；".join(f"将 {e} 由 {s} 转给 {t}" for e, s, t in moves)


def test_each_code_proposes_remedy_kinds_that_have_templates():
    used = {r.kind for name in sv.rules.available_packs() for r in sv.rules.pack(name).rules}
    builtin = {c for kind in used for c in rule_kinds()[kind].codes}
    templates = message_templates()
    for code in builtin:
        assert templates[code].remedies, code
        assert set(templates[code].remedies) <= set(remedy_templates()), code
