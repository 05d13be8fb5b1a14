"""Invariants of every simulated week, for any valid network and any rates."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sw_volunteer import simulation as sim
from sw_volunteer.testing.strategies import networks

probabilities = st.floats(0, 1)


@settings(max_examples=40)
@given(
    network=networks(min_centres=1, max_centres=2),
    no_show=probabilities,
    absence=probabilities,
    turnover=probabilities,
    dropout=probabilities,
    hiring=st.floats(1, 30),
    sessions=st.integers(0, 4),
    extra_posts=st.integers(0, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_week_keeps_the_books_straight(
    *, network, no_show, absence, turnover, dropout, hiring, sessions, extra_posts, seed
):
    base = sim.Scenario.from_network(
        network,
        weeks=6,
        sessions_per_week=sessions,
        no_show=no_show,
        worker_absence=absence,
        worker_turnover_per_year=turnover,
        volunteer_dropout_late=dropout,
        hiring_delay_weeks=hiring,
    )
    centre = base.centres[0].id
    scenario = base.with_values(
        {f"centres.{centre}.posts": base.centres[0].workers.total + extra_posts}
    )
    result = sim.run(scenario, replications=3, seed=seed)
    for metric in sim.METRICS:
        assert (result[metric] >= 0).all(), metric
    posts = np.array([c.funded_posts for c in scenario.centres])
    assert (
        result["workers"] <= np.maximum(posts, [c.workers.total for c in scenario.centres])
    ).all()
    assert (result["certified_workers"] <= result["workers"]).all()
    assert (result["workers"] + result["vacancies"] >= posts).all()
    assert (result["new_volunteers"] <= result["volunteers"]).all()
    assert (result["sessions"] <= np.array([c.sessions_per_week for c in scenario.centres])).all()
    assert (result["sessions_within_ratio"] <= result["sessions"]).all()
    assert (
        result["sessions_short_of_adults"] + result["sessions_within_ratio"] <= result["sessions"]
    ).all()
    for centre_start, places in zip(scenario.centres, range(len(scenario.centres)), strict=True):
        if centre_start.places is not None:
            assert (
                result["clients"][..., places] <= max(centre_start.places, centre_start.clients)
            ).all()
    share = result.series("share_within_ratio")
    assert np.all(np.isnan(share) | ((share >= 0) & (share <= 1)))
    leverage = result.series("leverage")
    assert np.all(np.isnan(leverage) | (leverage >= 1))
