"""The Chinese a 社工机构 signs: the terms of the regulations and of practice.

Verdicts say 不合规（须整改） and 风险提示, never 错误/警告; centres and sessions are named
by their names (and a session by its time), not by their ids; volunteers are guided
(负责指导), social workers supervised (督导); years count as 从事社会工作; levels are
职业水平证书; ages are 周岁.
"""

from __future__ import annotations

from datetime import date

import pytest

import sw_volunteer as sv
from sw_volunteer.errors import NetworkValidationError
from sw_volunteer.rules import Report, Severity
from sw_volunteer.rules._messages import render, render_remedy
from sw_volunteer.vocab import ClientNeed, Qualification

DAY = date(2013, 11, 19)


@pytest.fixture(scope="module")
def ruian() -> sv.Network:
    return sv.datasets.ruian_2013()


@pytest.fixture(scope="module")
def report(ruian: sv.Network) -> Report:
    return sv.check(ruian, on=DAY)


def test_verdicts_are_worded_as_a_centre_signs_them(report: Report) -> None:
    zh = report.render("zh")
    errors, warnings = len(report.errors), len(report.warnings)
    assert errors
    assert warnings
    assert f"不合规（须整改）{errors} 项，风险提示 {warnings} 项" in zh
    assert zh.count("\n不合规（须整改）：") == errors
    assert zh.count("\n风险提示：") == warnings
    for v in report.violations:  # a code is English: the Chinese line names the rule instead
        assert v.code not in zh
        assert f"（规则 {v.rule_id}）" in zh
    for word in ("错误", "警告", "义工", "顶班", "执业满"):
        assert word not in zh
    assert Severity.ERROR.label("zh") == "不合规（须整改）"
    assert Severity.WARNING.label("zh") == "风险提示"


def test_a_centre_is_named_by_its_name_not_its_id(ruian: sv.Network, report: Report) -> None:
    (overload,) = report.of_code("supervisor_overloaded_volunteers")
    centre = ruian.centre(overload.entities[1])
    remedy = overload.remedy.render("zh")  # type: ignore[union-attr]
    assert remedy.startswith(f"{centre.name}：")
    assert f"中心 {centre.id}" not in remedy
    assert f"机构 {centre.id}" not in remedy
    # in English the id stays, as before
    assert overload.remedy.render("en").startswith(f"centre {centre.id}: ")  # type: ignore[union-attr]


def test_a_context_without_the_name_falls_back_to_the_organisation_and_its_id() -> None:
    context = {"centre": "c9", "volunteers": ["v1", "v2"]}
    assert render("volunteer_unsupervised", context, "zh").startswith("机构 c9：2 名志愿者")
    named = {**context, "centre_name": "利群社工"}
    assert render("volunteer_unsupervised", named, "zh").startswith("利群社工：2 名志愿者")


def test_a_session_is_named_by_its_name_and_time(ruian: sv.Network, report: Report) -> None:
    session_codes = {"too_few_adults", "no_certified_worker", "client_adult_ratio_exceeded"}
    found = [v for v in report.violations if v.code in session_codes]
    assert found
    for violation in found:
        activity = ruian.activity(violation.context["activity"])
        start = activity.start
        when = f"{start.month}月{start.day}日 {start.hour:02d}:{start.minute:02d}"
        assert violation.message_zh.startswith(f"{activity.name} {when}（")
        assert activity.id not in violation.message_zh


def test_volunteers_are_guided_and_social_workers_supervised() -> None:
    base = {"supervisor": "w1", "level": "assistant", "years": 1.0, "count": 3}
    need = {"need_level": "intermediate", "need_years": 3.0}
    guided = render(
        "supervisor_underqualified", {**base, **need, "kind": "guidance", "centre": "c"}, "zh"
    )
    supervised = render(
        "supervisor_underqualified",
        {**base, **need, "kind": "professional", "centre": "c"},
        "zh",
    )
    assert "负责指导 3 名志愿者" in guided
    assert "督导" not in guided
    assert "督导 3 名社工" in supervised
    for text in (guided, supervised):
        assert "从事社会工作 1.0 年" in text
        assert "从事社会工作满 3 年" in text
        assert "执业" not in text
    overloaded = {"supervisor": "w1", "centre": "c", "count": 22, "limit": 20}
    assert render("supervisor_overloaded_volunteers", overloaded, "zh").startswith(
        "w1 负责指导 22 名志愿者"
    )


def test_a_level_is_a_certificate_of_professional_level() -> None:
    context = {"supervisor": "w1", "centre": "c", "need_level": "intermediate", "need_years": 0}
    text = render_remedy("obtain_level", context, "zh")
    assert text.startswith("w1 取得社会工作师职业水平证书")
    assert "资格" not in text.split("，")[0]


def test_stand_ins_are_substitutes_not_shift_swaps() -> None:
    assert render_remedy("substitutes", {"text": "x", "people": ["v1"]}, "zh") == (
        "x：可替班人员：v1"
    )
    assert "顶班" not in render_remedy("no_substitutes", {"text": "x"}, "zh")
    context = {"activity": "a1", "person": "v1", "activity_name": "四点半学校"}
    stand_in = render_remedy("stand_in", {**context, "start": "2013-11-22T16:30"}, "zh")
    assert stand_in == "四点半学校 11月22日 16:30：为 v1 安排替班人员"


def test_ages_are_counted_in_full_years() -> None:
    text = render(
        "volunteer_too_young", {"volunteer": "v1", "centre": "c", "age": 13, "min_age": 14}, "zh"
    )
    assert "未满 14 周岁" in text
    assert "年满 14 周岁" in text
    assert "岁，" not in text.replace("周岁", "")
    for need in ClientNeed:
        if need.is_child:
            assert "周岁" in need.label("zh")


def test_client_needs_name_the_people_served() -> None:
    assert ClientNeed.PSYCHIATRIC_REHABILITATION.label("zh") == "精神障碍康复者"
    assert ClientNeed.DRUG_REHABILITATION.label("zh") == "社区戒毒康复人员"
    assert ClientNeed.COMMUNITY_CORRECTION.label("zh") == "社区矫正对象"


def test_there_is_no_anti_drug_work_qualification() -> None:
    assert "drug_work" not in {q.value for q in Qualification}
    assert all("禁毒" not in q.label("zh") for q in Qualification)
    document = (
        '{"centres": [{"id": "c", "name": "C"}], "workers": [{"id": "w", "name": "W", '
        '"centre": "c", "qualifications": ["drug_work"]}]}'
    )
    with pytest.raises(NetworkValidationError, match=r"workers\[0\]\.qualifications"):
        sv.io.loads(document, format="json")


def test_the_counsellor_qualification_left_the_national_list_in_2017() -> None:
    withdrawn = Qualification.PSYCHOLOGICAL_COUNSELLOR.national_until
    assert withdrawn == date(2017, 9, 12)
    assert [q for q in Qualification if q.national_until is not None] == [
        Qualification.PSYCHOLOGICAL_COUNSELLOR
    ]


def test_a_missing_qualification_is_named_once() -> None:
    context = {
        "activity": "a1",
        "setting": "in_centre",
        "day": "2013-11-22",
        "person": "v1",
        "task": "legal_aid",
        "qualifications": ["legal_professional"],
    }
    text = render("task_without_qualification", context, "zh")
    label = Qualification.LEGAL_PROFESSIONAL.label("zh")
    assert f"不具备{label}，" in text
    assert "资格资格" not in text
    for qualification in Qualification:
        context["qualifications"] = [qualification.value]
        assert "资格资格" not in render("task_without_qualification", context, "zh")


def test_every_built_in_code_has_a_short_chinese_name_and_chinese_lists_use_it() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sw_volunteer.rules._messages import code_title, message_templates

    kinds = {r.kind for name in sv.rules.available_packs() for r in sv.rules.pack(name).rules}
    builtin = {code for kind in kinds for code in sv.rules.rule_kinds()[kind].codes}
    assert len(builtin) > 30
    titles = {code: message_templates()[code].title_zh for code in builtin}
    assert all(titles.values()), [c for c, t in titles.items() if not t]
    assert len(set(titles.values())) == len(titles)  # no two codes share a name
    network = sv.datasets.ruian_2013()
    tz = ZoneInfo("Asia/Shanghai")
    week = datetime(2013, 11, 18, tzinfo=tz), datetime(2013, 11, 25, tzinfo=tz)
    short = [s for s in sv.rules.check_schedule(network, *week) if s.violations]
    assert short
    for status in short:
        line = status.render(network, "zh")
        for v in status.violations:
            assert v.code not in line
            assert code_title(v.code, "zh") in line
            assert v.code in status.render(network, "en")
