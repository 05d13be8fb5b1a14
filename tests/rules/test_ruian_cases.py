"""Hand-worked cases from the Rui'an article (瑞安日报, 2013-11-19)."""

from __future__ import annotations

import math
from datetime import date

from rules_networks import DAY, liqun_outing, yucai

import sw_volunteer as sv
from sw_volunteer.rules import apply_remedy, pack


def test_yucai_78_volunteers_with_4_social_workers_fits_the_warning_limit():
    # 78 / 4 = 19.5: round-robin gives 20, 20, 19, 19, all within cn-default's 20.
    report = sv.check(yucai(), on=DAY)
    assert report.ok
    assert not report.of_code("supervisor_overloaded_volunteers")


def test_yucai_with_3_social_workers_overloads_each_and_needs_one_more():
    # 78 / 3 = 26 each: above the error limit 25 by 1 each, and above 20 by 6.
    report = sv.check(yucai(n_workers=3), on=DAY)
    over = report.of_code("supervisor_overloaded_volunteers")
    assert len(over) == 3
    assert all(v.severity is sv.Severity.ERROR for v in over)  # the warning is not repeated
    assert {v.observed for v in over} == {26}
    # nobody at the centre has a free place, so the only remedy is more supervisors:
    # 1 surplus each fits in ceil(1 / 20) = 1 more supervisor
    first = over[0].remedy
    assert first is not None
    assert len(first.options) == 1
    assert first.options[0].actions[0].count == math.ceil((26 - 25) / 20)


def test_liqun_outing_as_reported_meets_the_outing_ratio():
    # 22 trainees with intellectual disability on an outing at 1:2 need 11 adults;
    # 6 social workers + 20 trained adult volunteers = 26 adults.
    report = sv.check(liqun_outing(), on=DAY)
    assert not report.of_code("client_adult_ratio_exceeded")
    assert not report.of_code("too_few_adults")


def test_liqun_outing_without_volunteers_needs_the_missing_adults():
    report = sv.check(liqun_outing(volunteers=0), on=DAY)
    (breach,) = report.of_code("client_adult_ratio_exceeded")
    required = math.ceil(22 / 2)
    assert breach.limit == required
    assert breach.observed == 6
    assert breach.remedy is not None
    assert breach.remedy.options[0].actions[0].count == required - 6
    assert "5 more adults" in breach.message + breach.remedy.render()
    assert "再增加 5 名成年人" in breach.remedy.render("zh")
    # and the other option: the 6 adults present can take 12 trainees
    assert "at most 12 clients" in breach.remedy.render()


def test_uncertified_outing_lacks_a_certified_worker_and_says_so_in_the_remedy():
    net = liqun_outing(volunteers=0)
    uncertified = [
        w.model_copy(update={"certification": sv.CertificationLevel.NONE}) for w in net.workers
    ]
    report = sv.check(net.with_replaced(*uncertified), on=DAY)
    assert report.of_code("no_certified_worker")
    (ratio,) = report.of_code("client_adult_ratio_exceeded")
    assert ratio.remedy is not None
    assert "at least 1 of them certified" in ratio.remedy.render()


def test_applying_the_move_remedy_clears_an_overloaded_supervisor():
    net = yucai(n_workers=4, n_volunteers=60)  # 15 each
    # give w1 5 more volunteers: 20 + 1 over the warning limit
    extra = [
        sv.Volunteer(id=f"x{i}", name="x", centre="yucai", birth_date=date(1990, 1, 1))
        for i in range(6)
    ]
    edges = [
        sv.Supervision(id=f"xs{i}", supervisor="w1", supervisee=f"x{i}", kind="guidance", start=DAY)
        for i in range(6)
    ]
    net = net.with_added(*extra, *edges)
    report = sv.check(net, on=DAY)
    (breach,) = report.of_code("supervisor_overloaded_volunteers")
    assert breach.observed == 21
    assert breach.severity is sv.Severity.WARNING
    fixed = apply_remedy(net, breach.remedy, on=DAY)
    assert sv.check(fixed, on=DAY).violations == ()


def test_report_records_the_pack_id_and_version():
    report = sv.check(yucai(), rules="cn-zhejiang", on=DAY)
    assert (report.pack_id, report.pack_version) == ("cn-zhejiang", pack("cn-zhejiang").version)
