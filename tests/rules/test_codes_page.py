from __future__ import annotations

import re
from pathlib import Path

import sw_volunteer as sv
from sw_volunteer.rules import available_packs, message_templates, pack, rule_kinds
from sw_volunteer.rules._messages import codes_page

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "violation-codes.md"


def _page_rows() -> dict[str, str]:
    rows = re.findall(
        r"^\| `([a-z_]+)` \| [^|]+ \| `([a-z_]+)` \|", PAGE.read_text("utf-8"), re.MULTILINE
    )
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


def test_the_page_is_generated_from_the_message_table():
    # run tools/write_codes_page.py after changing a template
    expected = {code: kind for kind in _builtin_kinds() for code in rule_kinds()[kind].codes}
    ordered = {
        code: kind
        for kind, registered in rule_kinds().items()
        for code in registered.codes
        if code in expected
    }
    assert PAGE.read_text("utf-8") == codes_page(ordered)


def test_the_page_shows_the_templates_the_messages_are_rendered_from():
    net = sv.datasets.ruian_2013()
    junior = "yucai-430-junior"
    checks = sv.rules.pack("cn-default").rule("volunteers.background_check")
    assert checks.effective is not None
    # background checks came into force after 2013: apply the rules of that day (what-if)
    report = sv.check(net, rules_as_of=checks.effective)
    (violation,) = [v for v in report.of_code("background_check_missing") if junior in v.entities]
    template = message_templates()["background_check_missing"]
    page = PAGE.read_text("utf-8")
    assert f"`{template.en}`" in page
    assert f"`{template.zh}`" in page
    assert violation.message == template.render(violation.context, "en")
    assert violation.message_zh == template.render(violation.context, "zh")
    # the session is named by id, setting and day, in both languages
    day = violation.session.date().isoformat()  # type: ignore[union-attr]
    assert violation.message.startswith(f"session {junior} (in the centre) on {day} ")
    when = f"{violation.session.month}月{violation.session.day}日 {violation.session:%H:%M}"  # type: ignore[union-attr]
    name = sv.datasets.ruian_2013().activity(junior).name
    assert violation.message_zh.startswith(f"{name} {when}（中心内） ")
