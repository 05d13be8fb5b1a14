from __future__ import annotations

import re
from pathlib import Path

import sw_volunteer as sv
from sw_volunteer.rules import available_packs, pack, rule_kinds

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "violation-codes.md"


def _page_rows() -> dict[str, str]:
    rows = re.findall(r"^\| `([a-z_]+)` \| `([a-z_]+)` \|", PAGE.read_text("utf-8"), re.MULTILINE)
    return dict(rows)


def _builtin_kinds() -> set[str]:
    return {r.kind for name in available_packs() for r in pack(name).rules}


def test_every_code_of_a_builtin_kind_is_on_the_page_with_its_kind():
    page = _page_rows()
    registered = rule_kinds()
    expected = {code: kind for kind in _builtin_kinds() for code in registered[kind].codes}
    assert page == expected


def test_every_builtin_kind_declares_at_least_one_code():
    registered = rule_kinds()
    assert all(registered[kind].codes for kind in _builtin_kinds())


def test_the_page_names_sessions_as_the_messages_do():
    net = sv.datasets.ruian_2013()
    junior = "yucai-430-junior"
    checks = sv.rules.pack("cn-default").rule("volunteers.background_check")
    assert checks.effective is not None
    # background checks came into force after 2013: apply the rules of that day (what-if)
    report = sv.check(net, rules_as_of=checks.effective)
    (violation,) = [v for v in report.of_code("background_check_missing") if junior in v.entities]
    page = " ".join(PAGE.read_text("utf-8").split())
    # the page quotes the start of both messages
    assert violation.message.split(" and ")[0] in page
    assert violation.message_zh.split("，")[0] in page
    assert "`session <id> (<setting>) on <date>`" in page
    assert "`<date> 活动 <id>（<setting>）`" in page
