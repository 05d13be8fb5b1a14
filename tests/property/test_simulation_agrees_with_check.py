"""With every random process off, the simulator's week 0 is the check's verdict.

A centre breaches a span in week 0 of ``Scenario.from_network(network, on=day)`` exactly
where ``sv.check(network, on=day)`` reports, at or above the scenario's severity floor,
a violation of the codes of :data:`sw_volunteer.simulation.CHECK_CODES` attributed to
that centre; and since nothing random happens, it stays so every week.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from tests.no_randomness import NOTHING_RANDOM

import sw_volunteer as sv
from sw_volunteer import rules
from sw_volunteer import simulation as sim
from sw_volunteer.testing.strategies import networks
from sw_volunteer.vocab import CertificationLevel, SupervisionKind

CN = rules.pack("cn-default")


def breaches_found_by_check(
    network: sv.Network, pack: rules.RulePack, day: date, floor: str
) -> dict[str, dict[str, bool]]:
    """Per centre and span metric: whether the check reports one of its codes there.

    The centre of a violation: the supervisor's centre for an overloaded or
    under-qualified supervisor, the volunteers' centre for unguided volunteers.
    """
    centre_of = {w.id: w.centre for w in network.workers}
    found = {c.id: dict.fromkeys(sim.CHECK_CODES, False) for c in network.centres}
    for v in sv.check(network, pack, on=day).violations:
        if v.severity < rules.Severity(floor):
            continue
        if v.code == "supervisor_underqualified":
            params = pack.rule(v.rule_id).parsed_params
            assert isinstance(params, rules.SupervisorQualification)
            metric = (
                "volunteer_guidance_breach"
                if params.supervisee_kind is SupervisionKind.GUIDANCE
                else "worker_supervision_breach"
            )
            found[centre_of[v.entities[0]]][metric] = True
        elif v.code == "volunteer_unsupervised":
            found[v.entities[0]]["volunteer_guidance_breach"] = True
        elif v.code in ("supervisor_overloaded_volunteers", "supervisor_overloaded_workers"):
            metric = next(m for m, codes in sim.CHECK_CODES.items() if v.code in codes)
            found[v.entities[1]][metric] = True
    return found


def breaches_simulated(scenario: sim.Scenario, weeks: int) -> dict[str, dict[str, list[bool]]]:
    result = sim.run(scenario, replications=2, seed=7)
    return {
        centre: {
            metric: [bool(result[metric][r, t, i]) for r in range(2) for t in range(weeks)]
            for metric in sim.CHECK_CODES
        }
        for i, centre in enumerate(result.centre_ids)
    }


@st.composite
def packs(draw: st.DrawFn) -> rules.RulePack:
    """``cn-default`` with small spans (so they are exceeded) and drawn qualifications."""
    changed = [
        CN.rule("supervision.volunteers.error").with_params(limit=draw(st.integers(1, 4))),
        CN.rule("supervision.volunteers.warning").with_params(limit=draw(st.integers(1, 4))),
        CN.rule("supervision.workers.error").with_params(limit=draw(st.integers(1, 3))),
        CN.rule("supervision.workers.warning").with_params(limit=draw(st.integers(1, 3))),
        CN.rule("supervision.guide_of_volunteers").with_params(
            min_level=draw(st.sampled_from(CertificationLevel)).value,
            min_years=draw(st.sampled_from([0, 2])),
        ),
        CN.rule("supervision.supervisor_of_workers").with_params(
            min_level=draw(st.sampled_from(CertificationLevel)).value,
            min_years=draw(st.sampled_from([0, 3])),
        ),
    ]
    pack = CN.with_rules(*changed, id="drawn")
    if draw(st.booleans()):
        pack = pack.without("supervision.volunteers_guided")
    return pack


@st.composite
def networks_and_days(draw: st.DrawFn) -> tuple[sv.Network, date]:
    """A small network with supervision across centres, and a day: often one on which
    some of its supervision edges are active (soon after one starts)."""
    network = draw(
        networks(max_centres=3, max_workers=3, max_volunteers=5, max_clients=1, cross_centre=True)
    )
    any_day = st.integers(0, 12 * 365).map(lambda d: date(2010, 1, 1) + timedelta(days=d))
    starts = sorted({s.start for s in network.supervisions})
    if starts and draw(st.integers(0, 3)):
        day = draw(st.sampled_from(starts)) + timedelta(days=draw(st.integers(0, 30)))
    else:
        day = draw(any_day)
    return network, day


@given(case=networks_and_days(), pack=packs(), floor=st.sampled_from(["error", "warning"]))
def test_week_zero_breaches_are_the_checks_per_centre(case, pack, floor):
    network, day = case
    scenario = sim.Scenario.from_network(
        network, weeks=2, rules=pack, severity=floor, on=day, **NOTHING_RANDOM
    )
    expected = breaches_found_by_check(network, pack, day, floor)
    simulated = breaches_simulated(scenario, weeks=2)
    for centre, metrics in expected.items():
        for metric, breached in metrics.items():
            assert simulated[centre][metric] == [breached] * 4, (centre, metric)


def test_the_default_pack_and_severity_agree_on_the_embedded_dataset():
    network = sv.datasets.ruian_2013()
    day = network.info.as_of
    assert day is not None
    for floor in ("error", "warning"):
        scenario = sim.Scenario.from_network(
            network, weeks=1, severity=floor, on=day, **NOTHING_RANDOM
        )
        expected = breaches_found_by_check(network, CN, day, floor)
        simulated = breaches_simulated(scenario, weeks=1)
        assert simulated == {
            c: {m: [b] * 2 for m, b in metrics.items()} for c, metrics in expected.items()
        }
    # The warning floor catches the one guide above the recommended span; errors, none.
    assert any(expected[c]["volunteer_guidance_breach"] for c in expected)
