"""The Checker: the report of a full check, re-evaluating only what an edit can affect."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pydantic import BaseModel

import sw_volunteer as sv
from sw_volunteer.rules import (
    Rule,
    Violation,
    _declarations,
    _reads,
    declare_reads,
    register_rule_kind,
)

DAY = date(2013, 11, 18)


def _net() -> sv.Network:
    return sv.Network(
        centres=[sv.Centre(id="c1", name="利群")],
        workers=[sv.SocialWorker(id="w1", name="金某", centre="c1", certification="assistant")],
        volunteers=[
            sv.Volunteer(id="v1", name="小李", centre="c1", birth_date=date(2000, 1, 1)),
            sv.Volunteer(id="v2", name="小王", centre="c1", birth_date=date(1990, 1, 1)),
        ],
    )


class _NoParams(BaseModel):
    pass


def test_only_rules_that_read_what_changed_are_evaluated_again(monkeypatch):
    # Registrations made here are dropped after the test.
    monkeypatch.setattr(_declarations, "_REGISTRY", dict(_declarations._REGISTRY))
    monkeypatch.setattr(_reads, "_READS", dict(_reads._READS))
    calls: list[str] = []

    def counting(rule: Rule, params: _NoParams, ctx: sv.rules.CheckContext) -> list[Violation]:
        del params, ctx
        calls.append(rule.id)
        return []

    register_rule_kind("test_reads_clients", _NoParams, counting, replace=True)
    register_rule_kind("test_reads_nothing_declared", _NoParams, counting, replace=True)
    declare_reads("test_reads_clients", ["clients"])
    rules = [
        Rule(id="clients", kind="test_reads_clients"),
        Rule(id="undeclared", kind="test_reads_nothing_declared"),
    ]
    net = _net()
    checker = sv.Checker(net, rules, on=DAY)
    assert calls == ["clients", "undeclared"]
    calls.clear()
    checker.update(net.with_added(sv.Volunteer(id="v3", name="小张", centre="c1")))
    assert calls == ["undeclared"]  # a kind that declared nothing is always evaluated
    calls.clear()
    checker.update(checker.network.with_added(sv.Client(id="k1", name="陈某", centre="c1")))
    assert calls == ["clients", "undeclared"]


def test_per_volunteer_rules_keep_the_document_order_through_edits():
    net = _net()
    checker = sv.Checker(net, on=DAY)
    minor = sv.Volunteer(id="v0", name="小赵", centre="c1", birth_date=date(2001, 5, 1))
    net = net.with_added(minor)
    # v1 grows up (a new birth date), then becomes a minor again: it keeps its place.
    net = net.with_replaced(net.volunteer("v1").model_copy(update={"birth_date": date(1980, 1, 1)}))
    checker.update(net)
    net = net.with_replaced(net.volunteer("v1").model_copy(update={"birth_date": date(2000, 1, 1)}))
    report = checker.update(net)
    assert report == sv.check(net, on=DAY)
    consent = [v.entities[0] for v in report.violations if v.code == "guardian_consent_missing"]
    assert consent == ["v1", "v0"]  # document order: v1 was listed before v0


def test_a_network_not_made_by_edits_is_checked_whole():
    net = _net()
    checker = sv.Checker(net, on=DAY)
    other = sv.Network.model_validate(
        net.with_removed("v1").model_dump()
    )  # equal content, no lineage
    assert checker.update(other) == sv.check(other, on=DAY)
    assert checker.network is other


def test_a_case_added_to_a_full_caseload_is_reported():
    rules = [
        Rule(id="frail", kind="caseload_limit", params={"need": "elderly_frail", "max_cases": 1})
    ]
    net = sv.Network(
        centres=[sv.Centre(id="c1", name="利群")],
        workers=[sv.SocialWorker(id="w1", name="金某", centre="c1")],
        clients=[sv.Client(id="k1", name="陈某", centre="c1", needs=["elderly_frail"])],
        assignments=[sv.CaseAssignment(id="a1", worker="w1", client="k1", start=date(2013, 1, 1))],
    )
    checker = sv.Checker(net, rules, on=DAY)
    assert checker.report.ok
    net = net.with_added(
        sv.Client(id="k2", name="李某", centre="c1", needs=["elderly_frail"]),
        sv.CaseAssignment(id="a2", worker="w1", client="k2", start=date(2013, 1, 1)),
    )
    report = checker.update(net)
    assert [(v.code, v.observed) for v in report.violations] == [("caseload_exceeded", 2)]
    assert report == sv.check(net, rules, on=DAY)


def test_removing_cases_follows_the_caseload():
    rules = [
        Rule(id="frail", kind="caseload_limit", params={"need": "elderly_frail", "max_cases": 1})
    ]
    clients = [
        sv.Client(id=f"k{i}", name="陈某", centre="c1", needs=["elderly_frail"]) for i in range(4)
    ]
    net = sv.Network(
        centres=[sv.Centre(id="c1", name="利群")],
        workers=[sv.SocialWorker(id=w, name="金某", centre="c1") for w in ("w1", "w2")],
        clients=clients,
        assignments=[
            sv.CaseAssignment(id=f"a{i}", worker=w, client=f"k{i}", start=date(2013, 1, 1))
            for i, w in enumerate(["w1", "w2", "w1", "w2"])
        ],
    )
    checker = sv.Checker(net, rules, on=DAY)
    assert [v.entities for v in checker.report.violations] == [("w1",), ("w2",)]
    for gone in ("k2", "k0", "k1"):  # the last case, the first case, then one of two left
        net = net.with_removed(gone, cascade=True)
        assert checker.update(net) == sv.check(net, rules, on=DAY)
    assert checker.report.ok


def test_a_supervisor_whose_first_supervisee_left_is_listed_where_a_check_lists_them():
    rules = [Rule(id="span", kind="max_volunteers_per_supervisor", params={"limit": 1})]
    order = [("w1", "v1"), ("w2", "v2"), ("w2", "v5"), ("w1", "v3"), ("w1", "v4")]
    net = sv.Network(
        centres=[sv.Centre(id="c1", name="利群")],
        workers=[sv.SocialWorker(id=w, name="金某", centre="c1") for w in ("w1", "w2")],
        volunteers=[
            sv.Volunteer(id=f"v{i}", name="小李", centre="c1", birth_date=date(1990, 1, 1))
            for i in range(1, 6)
        ],
        supervisions=[
            sv.Supervision(
                id=f"g{i}", supervisor=w, supervisee=v, kind="guidance", start=date(2013, 1, 1)
            )
            for i, (w, v) in enumerate(order)
        ],
    )
    checker = sv.Checker(net, rules, on=DAY)

    def overloaded(report: sv.Report) -> list[str]:
        return [v.entities[0] for v in report.violations if v.code.startswith("supervisor_")]

    assert overloaded(checker.report) == ["w1", "w2"]  # in the order of their first edges
    for gone in ("v1", "v2", "v3"):  # w1's first edge now comes after w2's; then w2's goes
        net = net.with_removed(gone, cascade=True)
        report = checker.update(net)
        assert report == sv.check(net, rules, on=DAY)
    net = net.with_added(
        sv.Supervision(id="g9", supervisor="w2", supervisee="v4", kind="guidance", start=DAY)
    )
    assert checker.update(net) == sv.check(net, rules, on=DAY)


def test_a_colleague_qualified_again_is_offered_to_the_unguided_volunteers():
    rules = [
        Rule(
            id="qual",
            kind="supervisor_qualification",
            params={"supervisee_kind": "guidance", "min_level": "intermediate", "min_years": 0},
        ),
        Rule(id="guided", kind="every_volunteer_supervised"),
    ]
    net = sv.Network(
        centres=[sv.Centre(id="c1", name="利群"), sv.Centre(id="c2", name="和平")],
        workers=[
            sv.SocialWorker(id="w1", name="金某", centre="c1", certification="assistant"),
            sv.SocialWorker(id="w2", name="林某", centre="c2", certification="senior"),
        ],
        volunteers=[
            sv.Volunteer(id="v1", name="小李", centre="c2"),
            sv.Volunteer(id="v2", name="小王", centre="c1"),
            sv.Volunteer(id="v3", name="小张", centre="c1"),
        ],
    )
    checker = sv.Checker(net, rules, on=DAY)

    def options(report: sv.rules.Report) -> dict[str, list[str]]:
        return {
            v.entities[0]: [o.kind for o in v.remedy.options]
            for v in report.violations
            if v.code == "volunteer_unsupervised"
        }

    assert options(checker.report) == {
        "c2": ["assign_guidance"],  # w2 may guide v1
        "c1": ["add_guiding_workers"],  # w1 is not qualified to guide
    }
    for level in ("intermediate", "assistant"):  # qualified, then no longer
        w1 = net.worker("w1")
        net = net.with_replaced(
            sv.SocialWorker.model_validate({**w1.model_dump(), "certification": level})
        )
        expected = sv.check(net, rules, on=DAY)
        assert checker.update(net) == expected
        wanted = "assign_guidance" if level == "intermediate" else "add_guiding_workers"
        assert options(expected)["c1"] == [wanted]
        assert list(options(expected)) == ["c2", "c1"]  # in the order of the volunteers


def test_a_worker_requalified_changes_the_verdicts_on_their_edges_and_their_centre():
    rules = [Rule(id="level", kind="supervisor_level_at_least_supervisee")]

    def worker(wid: str, centre: str, level: str) -> sv.SocialWorker:
        return sv.SocialWorker(id=wid, name=f"社工{wid}", centre=centre, certification=level)

    def edge(eid: str, boss: str, who: str) -> sv.Supervision:
        return sv.Supervision(
            id=eid, supervisor=boss, supervisee=who, kind="professional", start=date(2013, 1, 1)
        )

    net = sv.Network(
        centres=[sv.Centre(id="c1", name="利群"), sv.Centre(id="c2", name="和平")],
        workers=[
            worker("b1", "c1", "assistant"),
            worker("w1", "c1", "intermediate"),
            worker("x1", "c1", "assistant"),  # may become someone to move w1 to
            worker("b2", "c2", "assistant"),
            worker("w2", "c2", "intermediate"),
        ],
        supervisions=[edge("e1", "b1", "w1"), edge("e2", "b2", "w2"), edge("e3", "w2", "b2")],
    )
    checker = sv.Checker(net, rules, on=DAY)

    def verdicts(report: sv.rules.Report) -> list[tuple[str, list[str]]]:
        return [(v.entities[0], [o.kind for o in v.remedy.options]) for v in report.violations]

    assert verdicts(checker.report) == [
        ("b1", ["find_supervisor"]),
        ("b2", ["find_supervisor"]),
    ]
    steps = [
        ("x1", "senior"),
        ("b2", "senior"),
        ("b1", "senior"),
        ("b1", "assistant"),  # e1 breaks the rule again: listed before e3, as the edges
        ("b2", "assistant"),
        ("x1", "assistant"),
    ]
    seen = []
    for wid, level in steps:  # a colleague of w1; the boss of w2 and supervisee of w2
        net = net.with_replaced(
            sv.SocialWorker.model_validate({**net.worker(wid).model_dump(), "certification": level})
        )
        expected = sv.check(net, rules, on=DAY)
        assert checker.update(net) == expected
        seen.append(verdicts(expected))
    # x1 senior: w1 may move to x1; b2 senior: e2 no longer breaks the rule, e3 does
    assert seen[0][0] == ("b1", ["move", "find_supervisor"])
    assert seen[1] == [("b1", ["move", "find_supervisor"]), ("w2", ["find_supervisor"])]
    assert seen[2] == [("w2", ["find_supervisor"])]
    assert seen[3] == seen[1]
    assert (
        seen[-1]
        == verdicts(checker.report)
        == [
            ("b1", ["find_supervisor"]),
            ("b2", ["find_supervisor"]),
        ]
    )


def test_a_guidance_edge_added_or_removed_changes_the_places_offered_in_its_centre():
    rules = [
        Rule(id="span", kind="max_volunteers_per_supervisor", params={"limit": 1}),
        Rule(id="guided", kind="every_volunteer_supervised"),
    ]
    net = sv.Network(
        centres=[sv.Centre(id="c1", name="利群")],
        workers=[sv.SocialWorker(id="w1", name="金某", centre="c1", certification="senior")],
        volunteers=[sv.Volunteer(id="v1", name="小李", centre="c1")],
    )
    checker = sv.Checker(net, rules, on=DAY)

    def offered(report: sv.rules.Report) -> list[list[str]]:
        return [[o.kind for o in v.remedy.options] for v in report.violations]

    assert offered(checker.report) == [["assign_guidance"]]  # w1 has a free place
    net = net.with_added(
        sv.Volunteer(id="v2", name="小王", centre="c1"),
        sv.Supervision(
            id="g2", supervisor="w1", supervisee="v2", kind="guidance", start=date(2013, 1, 1)
        ),
    )
    expected = sv.check(net, rules, on=DAY)
    assert checker.update(net) == expected
    assert offered(expected) == [["add_guiding_workers"]]  # w1's place is taken
    net = net.with_removed("v2", cascade=True)
    assert checker.update(net) == sv.check(net, rules, on=DAY)
    assert offered(checker.report) == [["assign_guidance"]]


def test_a_warning_covered_by_an_error_comes_back_when_the_error_goes():
    # The same breach at two thresholds: the report keeps the error only, while it holds.
    rules = [
        Rule(id="span.error", kind="max_volunteers_per_supervisor", params={"limit": 2}),
        Rule(
            id="span.warning",
            kind="max_volunteers_per_supervisor",
            severity="warning",
            params={"limit": 1},
        ),
        Rule(id="guided", kind="every_volunteer_supervised"),
    ]

    def guide(vid: str) -> sv.Supervision:
        return sv.Supervision(
            id=f"g-{vid}", supervisor="w1", supervisee=vid, kind="guidance", start=date(2013, 1, 1)
        )

    net = _net().with_added(sv.Volunteer(id="v3", name="小张", centre="c1"))
    net = net.with_added(*(guide(v.id) for v in net.volunteers))
    checker = sv.Checker(net, rules, on=DAY)
    steps = [
        lambda n: n.with_removed("v3", cascade=True),  # 2 guided: the warning only
        lambda n: n.with_added(sv.Volunteer(id="v4", name="小赵", centre="c1")),  # unguided
        lambda n: n.with_added(guide("v4")),  # 3 again: the error only
        lambda n: n.with_removed("g-v1", "g-v2"),  # 1 guided: neither
    ]
    seen = []
    for step in steps:
        net = step(net)
        report = checker.update(net)
        assert report == sv.check(net, rules, on=DAY)
        seen.append(
            sorted(
                (v.rule_id, v.severity.value)
                for v in report.violations
                if v.code == "supervisor_overloaded_volunteers"
            )
        )
    assert seen == [
        [("span.warning", "warning")],
        [("span.warning", "warning")],
        [("span.error", "error")],
        [],
    ]


def test_a_breach_listed_twice_is_reported_once_through_edits(monkeypatch):
    monkeypatch.setattr(_declarations, "_REGISTRY", dict(_declarations._REGISTRY))
    monkeypatch.setattr(_reads, "_READS", dict(_reads._READS))

    def twice(rule: Rule, params: _NoParams, ctx: sv.rules.CheckContext) -> list[Violation]:
        del params
        found = []
        for v in ctx.network.volunteers:
            if v.name == "重复":  # the same breach, as a warning and then as an error
                found.extend(
                    Violation(
                        code="test_twice",
                        severity=severity,
                        rule_id=rule.id,
                        entities=(v.id,),
                        message="twice",
                    )
                    for severity in ("warning", "error")
                )
        return found

    def once(rule: Rule, params: _NoParams, ctx: sv.rules.CheckContext) -> list[Violation]:
        del params
        return [
            Violation(
                code="test_once",
                severity=rule.severity,
                rule_id=rule.id,
                entities=(v.id,),
                message="once",
            )
            for v in ctx.network.volunteers
            if v.name == "两条"
        ]

    for kind, evaluate in (("test_twice", twice), ("test_once", once)):
        register_rule_kind(kind, _NoParams, evaluate, replace=True)
        declare_reads(kind, ["volunteers"])
    rules = [  # a breach listed twice by one rule, and one listed by two rules
        Rule(id="twice", kind="test_twice"),
        Rule(id="once.warning", kind="test_once", severity="warning"),
        Rule(id="once.error", kind="test_once"),
    ]
    net = _net()
    checker = sv.Checker(net, rules, on=DAY)
    counts = []
    for name in ["两条", "小王", "重复", "两条"]:
        net = net.with_replaced(net.volunteer("v2").model_copy(update={"name": name}))
        report = checker.update(net)
        assert report == sv.check(net, rules, on=DAY)
        counts.append([(v.code, v.severity.value) for v in report.violations])
    by_two_rules, by_one_rule = [("test_once", "error")], [("test_twice", "error")]
    assert counts == [by_two_rules, [], by_one_rule, by_two_rules]


def test_two_primary_supervisors_are_found_whether_the_supervisee_is_new_or_not():
    rules = [Rule(id="one_primary", kind="single_primary_supervisor")]
    net = _net().with_added(
        sv.SocialWorker(id="w2", name="王某", centre="c1", certification="intermediate"),
        sv.Supervision(
            id="g1", supervisor="w1", supervisee="v1", kind="guidance", start=date(2013, 1, 1)
        ),
    )
    checker = sv.Checker(net, rules, on=DAY)

    def guidance(eid: str, supervisor: str, supervisee: str, **fields: object) -> sv.Supervision:
        return sv.Supervision.model_validate(
            {
                "id": eid,
                "supervisor": supervisor,
                "supervisee": supervisee,
                "kind": "guidance",
                "start": date(2013, 1, 1),
                **fields,
            }
        )

    steps = [  # (edit, the supervisees with two primary supervisors after it)
        (  # a new volunteer with two primary supervisors at once
            lambda n: n.with_added(
                sv.Volunteer(id="v3", name="小张", centre="c1"),
                guidance("g3a", "w1", "v3"),
                guidance("g3b", "w2", "v3"),
            ),
            ["v3"],
        ),
        (lambda n: n.with_removed("g3b"), []),
        (  # one that starts later, and one that is not primary: neither counts today
            lambda n: n.with_added(
                sv.Volunteer(id="v4", name="小赵", centre="c1"),
                guidance("g4a", "w1", "v4"),
                guidance("g4b", "w2", "v4", start=date(2014, 1, 1)),
                guidance("g4c", "w2", "v4", primary=False),
            ),
            [],
        ),
        (  # two primary supervisors of someone not yet on the roster: not yet a breach
            lambda n: n.with_added(
                sv.Volunteer(id="v5", name="小孙", centre="c1", joined=date(2014, 1, 1)),
                guidance("g5a", "w1", "v5"),
                guidance("g5b", "w2", "v5"),
            ),
            [],
        ),
        (  # who then joins earlier: on the roster today
            lambda n: n.with_replaced(
                n.volunteer("v5").model_copy(update={"joined": date(2013, 1, 1)})
            ),
            ["v5"],
        ),
        (lambda n: n.with_added(guidance("g1b", "w2", "v1")), ["v1", "v5"]),  # one already there
    ]
    for step, expected in steps:
        net = step(net)
        report = checker.update(net)
        assert report == sv.check(net, rules, on=DAY)
        assert [v.entities[0] for v in report.violations] == expected


@pytest.mark.parametrize(
    "rules",
    [
        None,
        [  # the same breach at two severities: the report keeps the error
            Rule(id="consent.warning", kind="guardian_consent", severity="warning"),
            Rule(id="consent.error", kind="guardian_consent"),
        ],
    ],
)
def test_per_volunteer_verdicts_follow_edits_in_the_middle_and_at_the_end(rules):
    minor, adult = date(2000, 1, 1), date(1990, 1, 1)
    net = _net().with_added(
        sv.Volunteer(id="v3", name="小张", centre="c1", birth_date=minor),
        sv.Volunteer(id="v4", name="小赵", centre="c1", birth_date=adult),
    )
    checker = sv.Checker(net, rules, on=DAY)

    def aged(vid: str, born: date) -> Callable[[sv.Network], sv.Network]:
        return lambda n: n.with_replaced(n.volunteer(vid).model_copy(update={"birth_date": born}))

    steps = [  # (edit, the volunteers who need a guardian's consent after it)
        (aged("v4", minor), ["v1", "v3", "v4"]),  # one more at the end
        (aged("v1", adult), ["v3", "v4"]),  # the first one goes
        (aged("v2", adult), ["v3", "v4"]),  # nothing changes
        (lambda n: n.with_added(sv.Volunteer(id="v5", name="小孙", centre="c1")), ["v3", "v4"]),
        (
            lambda n: n.with_added(
                sv.Volunteer(id="v6", name="小周", centre="c1", birth_date=minor)
            ),
            ["v3", "v4", "v6"],
        ),
        (lambda n: n.with_removed("v3"), ["v4", "v6"]),
        (aged("v4", adult), ["v6"]),
    ]
    for step, expected in steps:
        net = step(net)
        report = checker.update(net)
        assert report == sv.check(net, rules, on=DAY)
        assert [v.entities[0] for v in report.of_code("guardian_consent_missing")] == expected
