"""Rules apply only on the days they are in force; a what-if applies another day's rules."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import sw_volunteer as sv
from sw_volunteer import cli
from sw_volunteer.errors import RuleConfigurationError, RuleError
from sw_volunteer.io import dump
from sw_volunteer.rules import Report, Rule, RulePack, SkippedRule, pack, parse_pack

TZ = ZoneInfo("Asia/Shanghai")
SESSION_DAY = date(2013, 11, 18)
ONE_DAY = timedelta(days=1)


def breaching_everything() -> sv.Network:
    """One risky session with children that breaks every dated rule of the shipped packs.

    A 14-year-old volunteer with no insurance and no background check gives
    psychological counselling without the qualification, on a risky outing of a
    programme for children aged 9-12, with a certified social worker present, who has
    had no supervision in the month before and no continuing education; the adult
    volunteer has had 1 hour of induction. The adult volunteer's service record names
    none of the items of a 志愿服务记录, and was corrected the same day without a reason.
    """
    session = sv.Activity(
        id="outing",
        name="秋游",
        programme="kids",
        setting="outing",
        risky=True,
        start=datetime.combine(SESSION_DAY, datetime.min.time(), TZ).replace(hour=9),
        end=datetime.combine(SESSION_DAY, datetime.min.time(), TZ).replace(hour=12),
        workers={"w"},
        volunteers={"m", "a"},
        tasks=[sv.TaskAssignment(person="m", task="counselling")],
        clients={"k"},
        transport=[sv.models.Vehicle(name="车", seats=9)],
    )
    return sv.Network(
        centres=[sv.Centre(id="c", name="中心")],
        workers=[
            sv.SocialWorker(
                id="w",
                name="社工",
                centre="c",
                certification="intermediate",
                certified_on=date(2006, 1, 1),  # no continuing education recorded
                practice_since=date(2005, 1, 1),
            )
        ],
        volunteers=[
            sv.Volunteer(
                id="m",
                name="x",
                centre="c",
                birth_date=date(1999, 5, 1),
                guardian_consent=True,
            ),
            sv.Volunteer(id="a", name="y", centre="c", birth_date=date(1980, 1, 1)),
        ],
        clients=[sv.Client(id="k", name="z", centre="c", birth_date=date(2003, 3, 1))],
        programmes=[
            sv.Programme(
                id="kids",
                name="四点半课堂",
                centre="c",
                service_area="after_school_care",
                target_needs=["child_9_12"],
            )
        ],
        activities=[session],
        supervisions=[
            sv.Supervision(
                id=f"g{v}", supervisor="w", supervisee=v, kind="guidance", start=date(2013, 1, 1)
            )
            for v in ("m", "a")
        ],
        service_records=[
            sv.ServiceRecord(
                id="r",
                volunteer="a",
                activity="outing",
                start=session.start,
                end=session.end,
                corrections=(
                    sv.RecordCorrection(
                        at=session.end, requested_by="a", start=session.start + timedelta(hours=1)
                    ),
                ),
            )
        ],
        # 1 hour of induction, and no supervision session in the month before
        training_records=[
            sv.TrainingRecord(
                id="t", person="a", kind="induction", completed_on=date(2013, 1, 5), hours=1
            )
        ],
    )


def _dated_rules() -> list[tuple[str, Rule]]:
    seen: dict[str, tuple[str, Rule]] = {}
    for name in sv.rules.available_packs():
        for r in pack(name).rules:
            if r.effective is not None or r.repealed is not None:
                seen.setdefault(r.id, (name, r))
    return sorted(seen.values(), key=lambda item: item[1].id)


DATED = _dated_rules()
# every date a rule reads, with the days around it
CASES = [
    pytest.param(name, rule, day, id=f"{rule.id}@{day.isoformat()}")
    for name, rule in DATED
    for edge in (rule.effective, rule.repealed)
    if edge is not None
    for day in (edge - ONE_DAY, edge, edge + ONE_DAY)
]


def test_the_shipped_packs_carry_the_dates_of_their_instruments():
    cn, zj = pack("cn-default"), pack("cn-zhejiang")
    assert cn.rule("volunteers.insurance").effective == date(2017, 12, 1)  # 志愿服务条例
    assert cn.rule("volunteers.background_check").effective == date(2021, 6, 1)  # 未成年人保护法
    old = zj.rule("volunteers.insurance.zhejiang_2007")
    assert (old.effective, old.repealed) == (date(2008, 3, 5), date(2018, 9, 1))
    assert zj.effective == date(2018, 9, 1)  # the revised provincial regulation
    # every dated rule says where its dates come from
    assert all(r.source and str(r.effective.year) in r.source for _, r in DATED if r.effective)


@pytest.mark.parametrize(("pack_name", "rule", "day"), CASES)
def test_a_dated_rule_fires_only_on_the_days_it_is_in_force(pack_name, rule, day):
    del pack_name
    alone = RulePack(id="one", version="1", jurisdiction="t", effective=day, rules=(rule,))
    net = breaching_everything()
    # the facts stay those of the session; only the day of the rules moves
    report = sv.check(net, rules=alone, on=SESSION_DAY, rules_as_of=day)
    in_force = (rule.effective is None or rule.effective <= day) and (
        rule.repealed is None or day < rule.repealed
    )
    assert rule.in_force_on(day) is in_force
    fired = {v.rule_id for v in report.violations}
    assert fired == ({rule.id} if in_force else set())
    assert report.rules_checked == int(in_force)
    if in_force:
        assert report.skipped_rules == ()
    else:
        (skipped,) = report.skipped_rules
        early = rule.effective is not None and day < rule.effective
        assert skipped == SkippedRule(
            rule_id=rule.id,
            effective=rule.effective,
            repealed=rule.repealed,
            superseded_by=rule.superseded_by,
            reason="not_yet_in_force" if early else "no_longer_in_force",
        )


def test_the_day_checked_picks_the_rules_when_no_what_if_is_asked():
    insurance = pack("cn-default").rule("volunteers.insurance")
    assert insurance.effective is not None
    net = breaching_everything()
    late = net.activity("outing")
    moved = []
    for day in (insurance.effective - ONE_DAY, insurance.effective):
        start = datetime.combine(day, datetime.min.time(), TZ).replace(hour=9)
        session = late.model_copy(update={"start": start, "end": start + timedelta(hours=3)})
        report = sv.check(net.with_replaced(session), rules="cn-default", on=day)
        assert not report.what_if
        assert report.rules_as_of == day
        moved.append(bool(report.of_code("insurance_missing")))
    assert moved == [False, True]


def test_a_what_if_applies_later_rules_to_an_earlier_day_and_says_so():
    net = breaching_everything()
    checks = pack("cn-default").rule("volunteers.background_check")
    assert checks.effective is not None
    assert checks.effective > SESSION_DAY
    plain = sv.check(net, on=SESSION_DAY)
    what_if = sv.check(net, on=SESSION_DAY, rules_as_of=checks.effective)
    assert not plain.of_code("background_check_missing")
    assert checks.id in {s.rule_id for s in plain.skipped_rules}
    assert what_if.of_code("background_check_missing")
    assert (what_if.on, what_if.rules_as_of, what_if.what_if) == (
        SESSION_DAY,
        checks.effective,
        True,
    )
    # only the rules repealed by then are left out (the 2012 record-keeping rule)
    repealed = {r.id for r in pack("cn-default").rules if r.repealed is not None}
    assert {s.rule_id for s in what_if.skipped_rules} == repealed
    day = checks.effective.isoformat()
    assert f"What-if: the rules in force on {day} applied" in what_if.render()
    assert f"假设分析：按 {day} 施行的规则检查" in what_if.render("zh")
    assert "What-if" not in plain.render()


def test_check_sessions_uses_the_same_rules_of_the_day():
    net = breaching_everything()
    session = net.activity("outing")
    insurance = pack("cn-default").rule("volunteers.insurance")
    assert insurance.effective is not None
    before = sv.rules.check_sessions(net, [session], on=SESSION_DAY)
    after = sv.rules.check_sessions(net, [session], on=SESSION_DAY, rules_as_of=insurance.effective)
    assert "insurance_missing" not in {v.code for v in before}
    assert "insurance_missing" in {v.code for v in after}


def test_the_window_check_skips_the_same_rules():
    net = breaching_everything()
    start = datetime.combine(SESSION_DAY, datetime.min.time(), TZ)
    window = (start, start + ONE_DAY)
    plain = sv.check(net, on=SESSION_DAY)
    windowed = sv.check(net, on=SESSION_DAY, between=window)
    assert windowed.skipped_rules == plain.skipped_rules
    assert not windowed.of_code("insurance_missing")
    later = sv.check(net, on=SESSION_DAY, between=window, rules_as_of=date(2021, 6, 1))
    assert later.of_code("insurance_missing")
    assert later.what_if


def test_a_pack_override_can_change_the_dates():
    local = parse_pack(
        """
id: early-adopter
version: "1"
jurisdiction: a district that required insurance in 2010
effective: 2010-01-01
extends: cn-default
rules:
  - id: volunteers.insurance
    effective: 2010-01-01
    source: a district rule of 2010 (example)
"""
    )
    base = pack("cn-default").rule("volunteers.insurance")
    changed = local.rule("volunteers.insurance")
    assert changed.effective == date(2010, 1, 1) != base.effective
    assert (changed.kind, changed.params, changed.severity) == (
        base.kind,
        base.params,
        base.severity,
    )
    net = breaching_everything()
    assert sv.check(net, rules=local, on=SESSION_DAY).of_code("insurance_missing")
    assert not sv.check(net, rules="cn-default", on=SESSION_DAY).of_code("insurance_missing")


def test_a_pack_rule_can_be_repealed_and_superseded():
    text = """
id: history
version: "1"
jurisdiction: t
effective: 2018-09-01
rules:
  - id: old
    kind: insurance_for_risky_activities
    effective: 2008-03-05
    repealed: 2018-09-01
    superseded_by: new
  - id: new
    kind: insurance_for_risky_activities
    effective: 2018-09-01
"""
    history = parse_pack(text)
    for day, expected in [
        (date(2018, 8, 31), {"old"}),
        (date(2018, 9, 1), {"new"}),
        (date(2008, 3, 4), set()),
    ]:
        applied, skipped = history.in_force_on(day)
        assert {r.id for r in applied.rules} == expected
        assert {s.rule_id for s in skipped} == {"old", "new"} - expected


def test_dates_are_validated():
    with pytest.raises(RuleConfigurationError, match="repealed"):
        Rule(
            id="x",
            kind="insurance_for_risky_activities",
            effective=date(2018, 9, 1),
            repealed=date(2018, 9, 1),
        )
    with pytest.raises(RuleError, match="supersede itself"):
        Rule(id="x", kind="insurance_for_risky_activities", superseded_by="x")
    with pytest.raises(RuleError):
        parse_pack(
            "id: p\nversion: '1'\njurisdiction: t\neffective: 2020-01-01\nrules:\n"
            "  - id: r\n    kind: insurance_for_risky_activities\n"
            "    effective: 2020-01-01\n    repealed: 2019-01-01\n"
        )
    with pytest.raises(RuleError, match="changes dates needs its own 'source'"):
        parse_pack(
            "id: p\nversion: '1'\njurisdiction: t\neffective: 2020-01-01\n"
            "extends: cn-default\nrules:\n"
            "  - id: volunteers.insurance\n    effective: 2010-01-01\n"
        )
    with pytest.raises(RuleError):
        SkippedRule.of(Rule(id="x", kind="insurance_for_risky_activities"), date(2020, 1, 1))


def test_dates_are_compared_and_serialised():
    rule = pack("cn-zhejiang").rule("volunteers.insurance.zhejiang_2007")
    again = Rule.model_validate_json(rule.model_dump_json())
    assert again == rule
    assert again.repealed == date(2018, 9, 1)
    assert rule != rule.model_copy(update={"repealed": date(2019, 1, 1)})
    assert rule.with_params().effective == rule.effective


def test_the_report_round_trips_with_its_dates():
    net = breaching_everything()
    report = sv.check(net, rules="cn-zhejiang", on=SESSION_DAY, rules_as_of=date(2018, 9, 1))
    assert report.skipped_rules  # the 2007 rule, repealed that day
    assert report.pack_effective == date(2018, 9, 1)
    again = Report.from_json(report.to_json())
    assert again == report
    assert again.what_if
    records = report.to_records()
    assert {r["rules_as_of"] for r in records} == {"2018-09-01"}
    # a report written before these fields existed reads back with the rules of its day
    old = Report.model_validate_json('{"pack_id": "p", "pack_version": "1", "on": "2013-11-19"}')
    assert (old.rules_as_of, old.skipped_rules, old.what_if) == (date(2013, 11, 19), (), False)


def test_the_chinese_render_has_no_english_headings_for_the_dates():
    net = breaching_everything()
    report = sv.check(net, rules="cn-zhejiang", on=SESSION_DAY, rules_as_of=date(2013, 1, 1))
    assert report.skipped_rules
    zh = report.render("zh")
    english = report.render("en")
    assert "Rules not in force" in english
    assert "What-if" in english
    dated_lines = [
        line for line in zh.splitlines() if "施行" in line or line.startswith("  volunteers.")
    ]
    assert len(dated_lines) == 2 + len(report.skipped_rules)
    for line in dated_lines:
        # only rule ids and dates may be in Latin letters
        words = line
        ids = {s.rule_id for s in report.skipped_rules} | {
            s.superseded_by for s in report.skipped_rules if s.superseded_by
        }
        for rule_id in sorted(ids, key=len, reverse=True):
            words = words.replace(rule_id, "")
        assert not any("a" <= ch.lower() <= "z" for ch in words), line
    assert "未适用的规则（2013-01-01 不在施行期内）" in zh
    assert "假设分析：按 2013-01-01 施行的规则检查" in zh


def test_the_html_report_says_what_was_skipped():
    net = breaching_everything()
    report = sv.check(net, on=SESSION_DAY, rules_as_of=date(2013, 1, 1))
    page = report._repr_html_()
    assert "What-if" in page
    assert f"{len(report.skipped_rules)} rule(s) not in force on 2013-01-01" in page
    assert all(s.rule_id in page for s in report.skipped_rules)


def test_the_cli_applies_the_rules_of_another_day(tmp_path):
    net = breaching_everything()
    path = tmp_path / "net.json"
    dump(net, path)
    out = io.StringIO()
    code = cli.main(
        ["check", str(path), "--on", "2013-11-18", "--rules-as-of", "2021-06-01", "--lang", "zh"],
        out=out,
    )
    text = out.getvalue()
    assert code == cli.EXIT_BREACH
    assert "假设分析：按 2021-06-01 施行的规则检查" in text
    out = io.StringIO()
    cli.main(["check", str(path), "--on", "2013-11-18", "--format", "json"], out=out)
    report = Report.from_json(out.getvalue())
    assert report.rules_as_of == date(2013, 11, 18)
    assert "volunteers.background_check" in {s.rule_id for s in report.skipped_rules}


def test_a_window_is_judged_by_the_rules_of_its_first_day_when_no_day_is_given():
    network = breaching_everything()
    assert network.info.as_of is None  # else the network's day would be the default
    start = datetime.combine(SESSION_DAY, datetime.min.time(), TZ)
    window = (start, start + ONE_DAY)
    insurance = pack("cn-default").rule("volunteers.insurance")
    assert insurance.effective is not None
    assert insurance.effective > SESSION_DAY
    report = sv.check(network, between=window)
    # not today's rules: the window's first day, when the insurance rule was not in force
    assert report.on == report.rules_as_of == SESSION_DAY
    assert insurance.id in {s.rule_id for s in report.skipped_rules}
    assert not report.of_code("insurance_missing")
    later = sv.check(network, between=window, rules_as_of=insurance.effective)
    assert later.what_if
    assert later.of_code("insurance_missing")
