"""Scenarios: built from a network, validated, changed, and driven by a rule pack."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from sw_volunteer import datasets, rules
from sw_volunteer import simulation as sim
from sw_volunteer.errors import SimulationError
from sw_volunteer.vocab import CertificationLevel


@pytest.fixture(scope="module")
def ruian():
    return datasets.ruian_2013()


def test_from_network_starts_from_the_networks_staffing(ruian):
    scenario = sim.Scenario.from_network(ruian)
    by_id = {c.id: c for c in scenario.centres}
    assert set(by_id) == {c.id for c in ruian.centres}
    for centre in ruian.centres:
        start = by_id[centre.id]
        workers = [w for w in ruian.workers if w.centre == centre.id]
        assert start.workers.total == len(workers)
        assert start.workers.senior == sum(
            w.certification is CertificationLevel.SENIOR for w in workers
        )
        assert start.volunteers + sum(start.new_volunteers) == sum(
            v.centre == centre.id for v in ruian.volunteers
        )
        assert start.clients == sum(c.centre == centre.id for c in ruian.clients)
    assert (scenario.rule_pack, scenario.rule_pack_version) == (
        "cn-default",
        rules.pack("cn-default").version,
    )


def test_from_network_rates_keep_volunteer_numbers_steady(ruian):
    scenario = sim.Scenario.from_network(ruian, weeks=52)
    start = sum(c.volunteers + sum(c.new_volunteers) for c in scenario.centres)
    result = sim.run(scenario, replications=300, seed=1)
    # Recruitment balances dropout in the long run; over a year the mean stays near
    # the start (the tenure mix is not the stationary one, so allow 10%).
    assert result.summary("volunteers").overall_mean == pytest.approx(start, rel=0.1)


def test_default_limits_are_the_error_limits_of_the_default_pack():
    assert sim.StaffingLimits() == sim.StaffingLimits.from_pack(rules.pack("cn-default"))
    assert sim.Scenario(centres=[sim.CentreStart(id="c")]).limits == sim.StaffingLimits()


def test_warning_severity_reads_the_stricter_recommended_limits():
    strict = sim.StaffingLimits.from_pack(rules.pack("cn-default"), severity="warning")
    assert strict.max_workers_per_supervisor == 8
    assert strict.max_volunteers_per_supervisor == 20
    assert strict.max_volunteers_on_shift_per_worker == 8


def test_a_users_rule_pack_drives_the_breaches(ruian):
    cn = rules.pack("cn-default")
    mine = cn.with_rules(cn.rule("supervision.volunteers.error").with_params(limit=5), id="my-city")
    default = sim.Scenario.from_network(ruian, weeks=8)
    strict = sim.Scenario.from_network(ruian, weeks=8, rules=mine)
    assert strict.rule_pack == "my-city"
    assert strict.limits.max_volunteers_per_supervisor == 5
    a = sim.run(default, replications=20, seed=1)
    b = sim.run(strict, replications=20, seed=1)
    yucai = default.centre_ids.index("yucai")
    # 78 volunteers and 4 certified workers: far beyond 5 each, always.
    assert (b["volunteer_guidance_breach"][..., yucai] == 1).all()
    # Every Rui'an volunteer is guided in their own centre and no guide is over 25 on
    # the day; no error rule asks guides for a level, so any social worker may guide:
    # a breach is exactly more volunteers than the workers may guide.
    assert all(
        c.volunteers_guided_from_outside == c.unguided_volunteers == 0 for c in default.centres
    )
    beyond = a["volunteers"] > 25 * a["workers"]
    assert np.array_equal(a["volunteer_guidance_breach"] == 1, beyond)
    assert a["volunteer_guidance_breach"][..., yucai].mean() < 0.5
    # The limit changes what is measured, never what happens.
    assert np.array_equal(a["volunteers"], b["volunteers"])


def test_with_rules_records_the_pack():
    scenario = sim.Scenario(centres=[sim.CentreStart(id="c")]).with_rules("us-default")
    assert scenario.rule_pack == "us-default"
    assert scenario.rule_pack_version == rules.pack("us-default").version


def test_every_problem_of_a_scenario_is_listed_at_once():
    with pytest.raises(ValidationError) as info:
        sim.Scenario(
            weeks=10,
            centres=[sim.CentreStart(id="a"), sim.CentreStart(id="a")],
            hire_mix=(0.5, 0.5, 0.5, 0.0),
            interventions=[
                sim.FundedPosts(week=3, posts=2, centre="nowhere"),
                sim.AddedPlaces(week=10, places=5, centre="a"),
            ],
        )
    text = str(info.value)
    for expected in (
        "centre id 'a' is used twice",
        "hire_mix must sum to 1",
        "interventions[0].centre: no centre 'nowhere'",
        "interventions[1].week: 10 is past the horizon",
    ):
        assert expected in text


def test_bad_rates_are_refused_by_field():
    with pytest.raises(ValidationError, match="no_show"):
        sim.Scenario(centres=[sim.CentreStart(id="a")], no_show=1.5)


def test_with_values_changes_paths_and_lists_every_bad_path():
    base = sim.Scenario(centres=[sim.CentreStart(id="a", volunteers=3)])
    changed = base.with_values({"no_show": 0.3, "centres.a.volunteers": 9, "limits.min_adults": 3})
    assert (changed.no_show, changed.centres[0].volunteers, changed.limits.min_adults) == (
        0.3,
        9,
        3,
    )
    with pytest.raises(SimulationError) as info:
        base.with_values({"nope": 1, "centres.b.volunteers": 2, "limits.nope": 1})
    for path in ("'nope'", "'centres.b.volunteers'", "'limits.nope'"):
        assert path in str(info.value)


def test_scenario_round_trips_through_json(ruian):
    scenario = sim.Scenario.from_network(
        ruian, interventions=[sim.FundedPosts(week=10, posts=3, centre="huaxia")]
    )
    assert sim.Scenario.model_validate_json(scenario.model_dump_json()) == scenario


def test_funded_posts_are_filled_from_their_week():
    # No turnover and a hiring delay of one week: every vacancy is filled at once.
    scenario = sim.Scenario(
        weeks=12,
        centres=[sim.CentreStart(id="a", workers=sim.WorkerCounts(assistant=3))],
        worker_turnover_per_year=0.0,
        hiring_delay_weeks=1.0,
        interventions=[sim.FundedPosts(week=5, posts=4, centre="a")],
    )
    workers = sim.run(scenario, replications=10, seed=1)["workers"][..., 0]
    assert (workers[:, :5] == 3).all()
    assert (workers[:, 5:] == 7).all()


def test_a_recruitment_campaign_adds_its_expected_recruits():
    scenario = sim.Scenario(
        weeks=20,
        centres=[sim.CentreStart(id="a", volunteers=10)],
        volunteer_dropout_early=0.0,
        volunteer_dropout_late=0.0,
        interventions=[sim.RecruitmentCampaign(week=2, weeks=5, extra_per_week=4.0)],
    )
    final = sim.run(scenario, replications=400, seed=2).series("volunteers")[:, -1]
    # No dropout: final = 10 + Poisson(20); a Poisson's variance is its mean.
    assert abs(final.mean() - 30) < 4 * np.sqrt(20 / final.size)
    assert final.min() >= 10


def test_added_places_take_clients_off_the_waiting_list():
    scenario = sim.Scenario(
        weeks=10,
        centres=[sim.CentreStart(id="a", clients=5, places=5, waiting=8)],
        client_stay_weeks=1e12,
        interventions=[sim.AddedPlaces(week=4, places=6, centre="a")],
    )
    result = sim.run(scenario, replications=5, seed=1)
    assert (result["clients"][:, :4, 0] == 5).all()
    assert (result["clients_waiting"][:, :4, 0] == 8).all()
    assert (result["clients"][:, 4, 0] == 11).all()
    assert (result["clients_waiting"][:, 4, 0] == 2).all()
