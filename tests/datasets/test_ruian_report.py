"""The check of the Rui'an dataset, worked by hand from the article's figures."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

import pytest

import sw_volunteer as sv
from sw_volunteer.rules import ClientAdultRatio, MaxSupervisees, apply_remedy, pack
from sw_volunteer.vocab import ClientNeed, Setting

OUTING = "liqun-farm-2013-11-18"
HOME_VISIT = "huaxia-visits-2013-11-15"


@pytest.fixture(scope="module")
def net() -> sv.Network:
    return sv.datasets.ruian_2013()


@pytest.fixture(scope="module")
def report(net: sv.Network) -> sv.Report:
    return sv.check(net, on=net.info.as_of)


def _latest_effective(pack_name: str) -> date:
    """The day from which every dated rule of the pack is in force (a what-if day)."""
    return max(r.effective for r in pack(pack_name).rules if r.effective is not None)


@pytest.fixture(scope="module")
def what_if(net: sv.Network) -> sv.Report:
    """The 2013 network judged by the rules of a later day, when all of cn-default applies."""
    return sv.check(net, on=net.info.as_of, rules_as_of=_latest_effective("cn-default"))


def _outing_ratio(net: sv.Network) -> float:
    """The strictest cn-default clients-per-adult ratio on an outing for these trainees."""
    needs = {n for k in net.activity(OUTING).clients for n in net.client(k).needs}
    ratios = [
        r.parsed_params.max_clients_per_adult
        for r in pack("cn-default").rules_of_kind("client_adult_ratio")
        if isinstance(r.parsed_params, ClientAdultRatio)
        and r.parsed_params.setting is Setting.OUTING
        and r.parsed_params.need in needs
    ]
    return min(ratios)


def _warning_limit() -> int:
    limits = [
        r.parsed_params.limit
        for r in pack("cn-default").rules_of_kind("max_volunteers_per_supervisor")
        if isinstance(r.parsed_params, MaxSupervisees)
    ]
    return min(limits)


def test_the_liqun_outing_has_the_adults_its_trainees_need(net, report):
    outing = net.activity(OUTING)
    trainees, workers, volunteers = len(outing.clients), len(outing.workers), len(outing.volunteers)
    assert (trainees, workers) == (22, 6)
    assert _outing_ratio(net) == 2
    needed = math.ceil(trainees / _outing_ratio(net))  # 22 trainees at 1:2: 11 adults
    assert needed == 11
    # 6 social workers and 22 trained adult volunteers: 28 adults, more than 11
    assert workers + volunteers >= needed
    assert not [v for v in report.of_code("client_adult_ratio_exceeded") if OUTING in v.entities]
    assert not [v for v in report.of_code("too_few_adults") if OUTING in v.entities]


def test_the_liqun_outing_without_its_volunteers_lacks_five_adults(net):
    outing = net.activity(OUTING)
    alone = net.with_replaced(outing.model_copy(update={"volunteers": frozenset()}))
    (breach,) = sv.check(alone, on=net.info.as_of).of_code("client_adult_ratio_exceeded")
    needed = math.ceil(len(outing.clients) / _outing_ratio(net))
    assert (breach.observed, breach.limit) == (len(outing.workers), needed)  # 6 of 11
    assert breach.remedy is not None
    assert breach.remedy.options[0].actions[0].count == needed - len(outing.workers)  # 5
    # or the 6 social workers take 6 x 2 = 12 trainees
    most = int(len(outing.workers) * _outing_ratio(net))
    assert f"take at most {most} clients" in breach.remedy.render()


def test_yucai_guides_78_volunteers_with_4_workers_but_one_guides_22(net, report):
    workers = [w.id for w in net.workers if w.centre == "yucai"]
    volunteers = [v.id for v in net.volunteers if v.centre == "yucai"]
    assert (len(volunteers), len(workers)) == (78, 4)
    limit = _warning_limit()
    assert len(volunteers) / len(workers) <= limit  # 19.5 on average: 4 workers suffice
    load = Counter(
        s.supervisor
        for s in net.supervisions
        if s.supervisor in workers
        and s.kind is sv.SupervisionKind.GUIDANCE
        and s.is_active_on(net.info.as_of)
    )
    assert sum(load.values()) == 78
    (over,) = report.of_code("supervisor_overloaded_volunteers")
    assert over.entities == ("yucai-w01", "yucai")
    assert (over.observed, over.limit) == (22, limit)
    assert over.severity is sv.Severity.WARNING
    # the remedy moves the 22 - 20 = 2 surplus volunteers to a colleague with room
    assert over.remedy is not None
    moves = over.remedy.options[0].actions
    assert len(moves) == load["yucai-w01"] - limit
    assert {m.action for m in moves} == {"move_supervisee"}
    arriving = Counter(str(m.target) for m in moves)
    assert all(load[target] + n <= limit for target, n in arriving.items())
    fixed = apply_remedy(net, over.remedy, on=net.info.as_of)
    assert not sv.check(fixed, on=net.info.as_of).of_code("supervisor_overloaded_volunteers")


def _documented_gaps(net: sv.Network) -> dict[str, set[tuple[str, ...]]]:
    """The gaps the dataset documents, by code, each as the entities a violation names."""
    day = net.info.as_of
    outing = net.activity(OUTING)
    uninsured = sorted(
        v for v in outing.volunteers if not net.volunteer(v).is_insured_on(outing.start.date())
    )
    assert len(uninsured) == 2  # two volunteers on the outing whose insurance lapsed
    no_consent = [v for v in net.volunteers if v.is_minor_on(day) and not v.guardian_consent]
    assert len(no_consent) == 1  # one 14-17-year-old without a guardian's consent
    visit = net.activity(HOME_VISIT)
    assert [net.worker(w).certification.is_certified for w in visit.workers] == [False]
    # the minors at the 4:30 school are registered without a background check
    unchecked = {
        a.id: sorted(v for v in a.volunteers if net.volunteer(v).background_check_on is None)
        for a in net.activities
        if any(n.is_child for n in net.programme(a.programme).target_needs)
    }
    # one outing record counts the coach ride back: minutes beyond the session, less the
    # travel noted, above the pack's tolerance (records read as corrected)
    tolerance = pack("cn-default").rule("records.travel_excluded").params["tolerance_minutes"]
    beyond = set()
    for r in (r.effective() for r in net.service_records if r.activity == OUTING):
        late = max(r.end, outing.end) - outing.end
        outside = late + (outing.start - min(r.start, outing.start))
        if outside.total_seconds() // 60 - r.travel_minutes > tolerance:
            beyond.add((r.id, r.volunteer))
    assert len(beyond) == 1
    return {
        "service_time_includes_travel": beyond,
        "insurance_missing": {(OUTING, *uninsured)},
        "guardian_consent_missing": {(no_consent[0].id, no_consent[0].centre)},
        "no_certified_worker": {(HOME_VISIT,)},
        "supervisor_overloaded_volunteers": {("yucai-w01", "yucai")},
        "background_check_missing": {
            (session, *people) for session, people in unchecked.items() if people
        },
    }


def _in_force_codes(pack_name: str, day: date) -> dict[str, sv.Severity]:
    """The codes the pack's rules in force on ``day`` can report, with their worst severity."""
    applied, _ = pack(pack_name).in_force_on(day)
    worst: dict[str, sv.Severity] = {}
    for r in applied.rules:
        for code in r.registration.codes:
            if code not in worst or r.severity > worst[code]:
                worst[code] = r.severity
    return worst


def _expected(net: sv.Network, pack_name: str, day: date) -> set[tuple[str, str, tuple[str, ...]]]:
    codes = _in_force_codes(pack_name, day)
    severity_of = {
        # the overload is past the warning limit only (22 of 20, the error limit is 25)
        "supervisor_overloaded_volunteers": sv.Severity.WARNING,
    }
    return {
        (code, severity_of.get(code, codes[code]).value, entities)
        for code, found in _documented_gaps(net).items()
        if code in codes
        for entities in found
    }


def _found(report: sv.Report) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(v.code, v.severity.value, v.entities) for v in report.violations}


def test_in_2013_the_report_holds_the_gaps_the_rules_of_2013_cover(net, report):
    day = net.info.as_of
    assert day.year == 2013
    assert _found(report) == _expected(net, "cn-default", day)
    # insurance (志愿服务条例, 2017-12-01) and background checks (未成年人保护法, 2021-06-01)
    # were not law in 2013: not checked, and the report says so
    skipped = {s.rule_id: s for s in report.skipped_rules}
    dated = {r.id: r for r in pack("cn-default").rules if r.effective is not None}
    assert set(skipped) == {rule_id for rule_id, r in dated.items() if r.effective > day}
    assert {"volunteers.insurance", "volunteers.background_check"} <= set(skipped)
    assert {s.reason for s in skipped.values()} == {"not_yet_in_force"}
    assert not report.of_code("insurance_missing")
    assert not report.of_code("background_check_missing")
    assert (report.rules_checked, len(report.skipped_rules)) == (
        len(pack("cn-default").rules) - len(skipped),
        len(skipped),
    )
    assert not report.what_if
    assert "Rules not in force on 2013-11-19, not checked: " in report.render()


def test_with_the_rules_of_today_every_documented_gap_is_found(net, what_if):
    assert what_if.what_if
    # only rules repealed by then are left out (the 2012 record-keeping rule)
    repealed = {r.id for r in pack("cn-default").rules if r.repealed is not None}
    assert {s.rule_id for s in what_if.skipped_rules} == repealed
    assert {s.reason for s in what_if.skipped_rules} == {"no_longer_in_force"}
    assert _found(what_if) == _expected(net, "cn-default", what_if.rules_as_of)
    assert {code for code, _, _ in _found(what_if)} == set(_documented_gaps(net))
    assert what_if.render().splitlines()[1] == (
        f"What-if: the rules in force on {what_if.rules_as_of.isoformat()} applied"
    )


def test_zhejiang_in_2013_applies_its_2007_regulation(net):
    day = net.info.as_of
    zj = sv.check(net, rules="cn-zhejiang", on=day)
    old = pack("cn-zhejiang").rule("volunteers.insurance.zhejiang_2007")
    assert old.effective is not None
    assert old.repealed is not None
    assert old.effective <= day < old.repealed
    (uninsured,) = zj.of_code("insurance_missing")
    assert uninsured.rule_id == old.id
    assert uninsured.severity is old.severity
    assert _found(zj) == _expected(net, "cn-zhejiang", day)
    assert "volunteers.insurance" in {s.rule_id for s in zj.skipped_rules}
    # on the day the revision came into force, the 2007 rule is skipped as repealed
    later = sv.check(net, rules="cn-zhejiang", on=day, rules_as_of=old.repealed)
    (gone,) = [s for s in later.skipped_rules if s.rule_id == old.id]
    assert (gone.reason, gone.superseded_by) == ("no_longer_in_force", "volunteers.insurance")


def test_a_certified_colleague_on_the_home_visit_clears_its_error(net, report):
    (error,) = report.of_code("no_certified_worker")
    assert error.remedy is not None
    assert error.remedy.options[0].actions[0].count == 1
    visit = net.activity(HOME_VISIT)
    certified = next(
        w.id for w in net.workers if w.centre == "huaxia" and w.certification.is_certified
    )
    staffed = net.with_replaced(visit.model_copy(update={"workers": frozenset({certified})}))
    assert not sv.check(staffed, on=net.info.as_of).of_code("no_certified_worker")


def test_session_messages_name_the_session_its_setting_and_day(net, report, what_if):
    school = [a for a in net.activities if a.programme == "yucai-430"]
    junior = next(
        a for a in school if all(ClientNeed.CHILD_6_8 in net.client(k).needs for k in a.clients)
    )
    day = junior.start.date().isoformat()
    (checks,) = [v for v in what_if.of_code("background_check_missing") if junior.id in v.entities]
    assert checks.message.startswith(f"session {junior.id} (in the centre) on {day} ")
    # in Chinese, by its name and time, never its id
    when = f"{junior.start.month}月{junior.start.day}日 {junior.start:%H:%M}"
    assert checks.message_zh.startswith(f"{junior.name} {when}（中心内）")
    assert junior.id not in checks.message_zh
    (visit,) = report.of_code("no_certified_worker")
    assert visit.message.startswith(f"session {HOME_VISIT} (home visit) on 2013-11-15: ")
    home = net.activity(HOME_VISIT)
    assert visit.message_zh.startswith(f"{home.name} 11月15日 {home.start:%H:%M}（入户探访）：")
