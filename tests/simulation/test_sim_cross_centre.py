"""Guidance and supervision across centres: the simulation judges them as the check does."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from tests.no_randomness import NOTHING_RANDOM

import sw_volunteer as sv
from sw_volunteer import rules
from sw_volunteer import simulation as sim
from sw_volunteer.vocab import CertificationLevel, SupervisionKind

DAY = date(2013, 11, 18)
JOINED = date(2013, 1, 1)
CN = rules.pack("cn-default")
SPAN_CODES = {code for codes in sim.CHECK_CODES.values() for code in codes}


def _volunteers(centre: str, n: int, first: int = 0) -> list[sv.Volunteer]:
    return [
        sv.Volunteer(id=f"{centre}-v{i}", name=f"V{i}", centre=centre, joined=JOINED)
        for i in range(first, first + n)
    ]


def _edges(supervisor: str, people: list[str], kind: str) -> list[sv.Supervision]:
    return [
        sv.Supervision(
            id=f"{supervisor}-{p}", supervisor=supervisor, supervisee=p, kind=kind, start=JOINED
        )
        for p in people
    ]


def _guided_across(extra_from_b: int) -> sv.Network:
    """A's one social worker guides A's 8 volunteers and 10 + ``extra_from_b`` of B's."""
    own, theirs = _volunteers("a", 8), _volunteers("b", 10 + extra_from_b)
    return sv.Network(
        centres=[sv.Centre(id="a", name="A"), sv.Centre(id="b", name="B")],
        workers=[
            sv.SocialWorker(id="wa", name="WA", centre="a", certification="assistant"),
        ],
        volunteers=own + theirs,
        supervisions=_edges("wa", [v.id for v in own + theirs], "guidance"),
    )


def _weekly(scenario: sim.Scenario, metric: str) -> dict[str, set[int]]:
    result = sim.run(scenario, replications=3, seed=11)
    return {c: set(np.unique(result[metric][..., i])) for i, c in enumerate(result.centre_ids)}


def test_volunteers_guided_by_another_centres_worker_breach_nowhere_within_the_span():
    network = _guided_across(extra_from_b=0)
    # Within even the recommended span (a warning), so the check finds nothing at all.
    span = min(r.parsed_params.limit for r in CN.rules_of_kind("max_volunteers_per_supervisor"))
    load = 8 + 10
    assert load <= span
    assert not [v for v in sv.check(network, on=DAY).violations if v.code in SPAN_CODES]
    scenario = sim.Scenario.from_network(network, weeks=6, on=DAY, **NOTHING_RANDOM)
    a, b = scenario.centres
    assert [x.supervisees for x in a.guide_loads] == [load]
    assert (b.roster, b.volunteers_guided_from_outside, b.unguided_volunteers) == (10, 10, 0)
    assert _weekly(scenario, "volunteer_guidance_breach") == {"a": {0}, "b": {0}}


def test_an_overload_from_another_centres_volunteers_is_the_guides_centres_breach():
    extra = 8
    network = _guided_across(extra_from_b=extra)
    span = CN.rule("supervision.volunteers.error").parsed_params.limit
    load = 8 + 10 + extra
    assert load > span
    found = [v for v in sv.check(network, on=DAY).violations if v.code in SPAN_CODES]
    assert [(v.code, v.entities, v.observed) for v in found] == [
        ("supervisor_overloaded_volunteers", ("wa", "a"), load)
    ]
    scenario = sim.Scenario.from_network(network, weeks=6, on=DAY, **NOTHING_RANDOM)
    # A, whose guide is over the span, breaches every week; B, whose volunteers are
    # guided from A, never.
    assert _weekly(scenario, "volunteer_guidance_breach") == {"a": {1}, "b": {0}}


def test_recruits_of_a_centre_guided_from_outside_need_no_guide_of_its_own():
    # B has no social worker: its volunteers all guided from A, so are its recruits
    # (the same share), and B never breaches while it grows.
    scenario = sim.Scenario.from_network(
        _guided_across(extra_from_b=0),
        weeks=10,
        on=DAY,
        **{**NOTHING_RANDOM, "recruitment_scale": 1.0},
    ).with_values({"centres.b.recruitment_per_week": 3.0})
    result = sim.run(scenario, replications=5, seed=3)
    assert result["volunteers"][:, -1, 1].min() > 10
    assert (result["volunteer_guidance_breach"][..., 1] == 0).all()


def _external_supervisor() -> sv.Network:
    """A supervision centre's senior social worker supervises 5 workers of B and 4 of C."""
    b = [
        sv.SocialWorker(id=f"b-w{i}", name="B", centre="b", certification="assistant")
        for i in range(5)
    ]
    c = [
        sv.SocialWorker(id=f"c-w{i}", name="C", centre="c", certification="assistant")
        for i in range(4)
    ]
    boss = sv.SocialWorker(
        id="s-w",
        name="督导",
        centre="s",
        certification="senior",
        practice_since=date(2000, 1, 1),
    )
    return sv.Network(
        centres=[
            sv.Centre(id="s", name="督导中心"),
            sv.Centre(id="b", name="B"),
            sv.Centre(id="c", name="C"),
        ],
        workers=[boss, *b, *c],
        supervisions=_edges("s-w", [w.id for w in b + c], "professional"),
    )


@pytest.mark.parametrize("floor", ["error", "warning"])
def test_an_external_supervisor_is_judged_at_their_own_centre(floor):
    network = _external_supervisor()
    load = 5 + 4
    spans = [
        r.parsed_params.limit
        for r in CN.rules_of_kind("max_workers_per_supervisor")
        if r.severity >= rules.Severity(floor)
    ]
    over = load > min(spans)  # 9 > 8 at the warning floor; not > 10 at the error floor
    assert over == (floor == "warning")
    found = [
        v
        for v in sv.check(network, on=DAY).violations
        if v.code in SPAN_CODES and v.severity >= rules.Severity(floor)
    ]
    assert [(v.code, v.entities) for v in found] == (
        [("supervisor_overloaded_workers", ("s-w", "s"))] if over else []
    )
    scenario = sim.Scenario.from_network(network, weeks=4, on=DAY, severity=floor, **NOTHING_RANDOM)
    s, b, c = scenario.centres
    assert [x.supervisees for x in s.supervisor_loads] == [load]
    # B's and C's workers are supervised, but not by their own centre: no demand on them.
    assert (b.workers_supervised, c.workers_supervised) == (0, 0)
    assert _weekly(scenario, "worker_supervision_breach") == {
        "s": {int(over)},
        "b": {0},
        "c": {0},
    }


def test_centres_without_supervisors_breach_only_if_a_rule_asks_for_one():
    # Three assistants and no supervisor: no rule requires a social worker to have a
    # supervisor, so neither the check nor the simulation reports a breach.
    network = sv.Network(
        centres=[sv.Centre(id="a", name="A")],
        workers=[
            sv.SocialWorker(id=f"w{i}", name="W", centre="a", certification="assistant")
            for i in range(3)
        ],
    )
    for floor in ("error", "warning"):
        scenario = sim.Scenario.from_network(
            network, weeks=3, on=DAY, severity=floor, **NOTHING_RANDOM
        )
        assert _weekly(scenario, "worker_supervision_breach") == {"a": {0}}
    assert not [v for v in sv.check(network, on=DAY).violations if v.code in SPAN_CODES]


def test_limits_are_the_parsed_parameters_of_the_counted_rules():
    only_defaults = [
        rules.Rule(id="adults", kind="adults_present", severity="error"),
        rules.Rule(
            id="guide",
            kind="supervisor_qualification",
            severity="warning",
            params={"supervisee_kind": "guidance", "min_level": "intermediate", "min_years": 2},
        ),
    ]
    pack = rules.resolve_rules(only_defaults)
    defaults = rules.AdultsPresent()
    limits = sim.StaffingLimits.from_pack(pack)
    assert (limits.min_adults, limits.min_certified_workers, limits.adult_age) == (
        defaults.min_adults,
        defaults.min_certified_workers,
        defaults.adult_age,
    )
    # The guidance rule is a warning: it counts only from the warning floor on.
    assert limits.guide_level is CertificationLevel.NONE
    strict = sim.StaffingLimits.from_pack(pack, severity="warning")
    assert (strict.guide_level, strict.guide_min_years) == (CertificationLevel.INTERMEDIATE, 2)
    assert not strict.qualifies(SupervisionKind.GUIDANCE, CertificationLevel.SENIOR, 1.9)
    assert strict.qualifies(SupervisionKind.GUIDANCE, CertificationLevel.SENIOR, 2.0)
    assert sim.counted_rules(pack) == (only_defaults[0],)


def test_a_hand_built_centre_can_say_its_volunteers_are_guided_from_outside():
    span = sim.StaffingLimits().max_volunteers_per_supervisor
    assert span is not None
    volunteers = 2 * span - 1  # two outside guides are enough, one is not

    def breaches(**start: int) -> set[int]:
        scenario = sim.Scenario(
            weeks=3,
            centres=[sim.CentreStart(id="c", volunteers=volunteers, **start)],
            **NOTHING_RANDOM,
        )
        return _weekly(scenario, "volunteer_guidance_breach")["c"]

    assert breaches() == {1}  # no social worker to guide them
    assert breaches(external_guides=1) == {1}
    assert breaches(external_guides=2) == {0}
    assert breaches(volunteers_guided_from_outside=volunteers) == {0}
    # Without a guide at all, they breach whatever the places.
    assert breaches(external_guides=2, unguided_volunteers=1) == {1}
