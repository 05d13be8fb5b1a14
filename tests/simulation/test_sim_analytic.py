"""The simulator against results known in closed form.

Every tolerance is the half-width of a confidence interval computed from the run
itself (or from the exact variance), at a level high enough that a correct simulator
fails with probability about 1e-4 per comparison; the seeds are fixed, so the tests
are deterministic.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from sw_volunteer import simulation as sim

Z = statistics.NormalDist().inv_cdf(1 - 1e-4 / 2)  # two-sided, 1e-4 per comparison

QUIET = {
    # Processes switched off so that one process can be compared with its closed form.
    "worker_turnover_per_year": 0.0,
    "upgrade_per_year": (0.0, 0.0, 0.0),
    "worker_absence": 0.0,
    "client_stay_weeks": 1e12,
}


def _monthly_for_weekly(h: float) -> float:
    return 1 - (1 - h) ** (52 / 12)


def test_volunteers_converge_to_recruitment_over_dropout():
    # Constant weekly hazard h, Poisson(λ) recruits after dropout: the count is a
    # thinned-and-topped-up Poisson process whose stationary law is Poisson(λ/h).
    h, lam = 0.05, 2.0
    monthly = _monthly_for_weekly(h)
    scenario = sim.Scenario(
        weeks=300,
        centres=[sim.CentreStart(id="c", recruitment_per_week=lam)],
        volunteer_dropout_early=monthly,
        volunteer_dropout_late=monthly,
        **QUIET,
    )
    result = sim.run(scenario, replications=400, seed=20131118)
    steady = lam / h
    tail = result.series("volunteers")[:, 200:]  # (1 - h)^200 < 4e-5: start forgotten
    per_replication = tail.mean(axis=1)  # independent across replications
    half = Z * per_replication.std(ddof=1) / math.sqrt(per_replication.size)
    assert abs(per_replication.mean() - steady) < half
    # Stationary Poisson: the variance across replications at one week equals the mean;
    # the sample variance of n Poisson(μ) values has variance (μ + 2μ²)/n, nearly.
    last = tail[:, -1]
    assert abs(last.var(ddof=1) - steady) < Z * math.sqrt((steady + 2 * steady**2) / last.size)


def test_transient_mean_follows_the_geometric_approach():
    # E[V_t] = V0 (1-h)^(t+1) + λ (1 - (1-h)^(t+1)) / h, for t = 0, 1, ...
    h, lam, v0 = 0.02, 1.5, 200
    monthly = _monthly_for_weekly(h)
    scenario = sim.Scenario(
        weeks=60,
        centres=[sim.CentreStart(id="c", volunteers=v0, recruitment_per_week=lam)],
        volunteer_dropout_early=monthly,
        volunteer_dropout_late=monthly,
        **QUIET,
    )
    result = sim.run(scenario, replications=600, seed=5)
    series = result.series("volunteers")
    weeks = [0, 10, 30, 59]
    z = statistics.NormalDist().inv_cdf(1 - 1e-4 / (2 * len(weeks)))  # Bonferroni
    for t in weeks:
        expected = v0 * (1 - h) ** (t + 1) + lam * (1 - (1 - h) ** (t + 1)) / h
        column = series[:, t]
        assert abs(column.mean() - expected) < z * column.std(ddof=1) / math.sqrt(column.size)


def test_early_dropout_gives_littles_law_steady_state():
    # With a higher hazard in the first months, the long-run mean is λ times the mean
    # time on the roster, whatever the shape of the hazard.
    lam = 1.0
    scenario = sim.Scenario(
        weeks=400,
        centres=[sim.CentreStart(id="c", recruitment_per_week=lam)],
        volunteer_dropout_early=0.3,
        volunteer_dropout_late=0.2,
        **QUIET,
    )
    result = sim.run(scenario, replications=300, seed=99)
    per_replication = result.series("volunteers")[:, 300:].mean(axis=1)
    expected = lam * sim.expected_weeks_on_roster(scenario)
    half = Z * per_replication.std(ddof=1) / math.sqrt(per_replication.size)
    assert abs(per_replication.mean() - expected) < half


@pytest.mark.parametrize(("volunteers", "no_show"), [(6, 0.3), (4, 0.1)])
def test_share_of_sessions_short_of_adults_is_binomial(volunteers, no_show):
    # One certified social worker who is always there, ``volunteers`` rostered on every
    # session (one shift a week each), 30 psychiatric-rehabilitation clients who all
    # come: ratio 1:6 needs 5 adults, so a session is short exactly when fewer than 4
    # volunteers show up: P(Binomial(volunteers, 1 - no_show) <= 3).
    shift_hours = 3.0
    scenario = sim.Scenario(
        weeks=52,
        centres=[
            sim.CentreStart(
                id="liqun",
                workers=sim.WorkerCounts(assistant=1),
                volunteers=volunteers,
                clients=30,
                need="psychiatric_rehabilitation",
                sessions_per_week=1,
                session_hours=shift_hours,
            )
        ],
        volunteer_dropout_early=0.0,
        volunteer_dropout_late=0.0,
        volunteer_hours_per_month=shift_hours * 52 / 12,
        no_show=no_show,
        client_attendance=1.0,
        **QUIET,
    )
    result = sim.run(scenario, replications=500, seed=4)
    q = 1 - no_show
    expected = sum(math.comb(volunteers, k) * q**k * (1 - q) ** (volunteers - k) for k in range(4))
    sessions = result["sessions"].sum()
    assert sessions == 500 * 52  # every session had clients
    share = result["sessions_short_of_adults"].sum() / sessions
    assert abs(share - expected) < Z * math.sqrt(expected * (1 - expected) / sessions)
    # Being short of adults is the only way to breach a limit here.
    within = result.summary("share_within_ratio").overall_mean
    assert within == pytest.approx(1 - share)


def test_social_workers_leave_at_the_turnover_rate_without_hiring():
    scenario = sim.Scenario(
        weeks=52,
        centres=[sim.CentreStart(id="c", workers=sim.WorkerCounts(assistant=50), posts=0)],
        worker_turnover_per_year=0.18,
        upgrade_per_year=(0.0, 0.0, 0.0),
    )
    result = sim.run(scenario, replications=400, seed=8)
    last = result.series("workers")[:, -1]
    expected = 50 * (1 - 0.18)  # 52 weekly hazards compound to the yearly rate
    assert abs(last.mean() - expected) < Z * last.std(ddof=1) / math.sqrt(last.size)


def test_waiting_list_holds_arrivals_beyond_the_places():
    # No exits, 10 places, Poisson(2) arrivals a week: after t weeks the waiting list
    # is (arrivals so far - 10)+; its mean at week 51 is E[(Poisson(104) - 10)+] ≈ 94.
    scenario = sim.Scenario(
        weeks=52,
        centres=[sim.CentreStart(id="c", places=10, client_arrivals_per_week=2.0)],
        **QUIET,
    )
    result = sim.run(scenario, replications=300, seed=12)
    assert (result["clients"][:, -1, 0] <= 10).all()
    waiting = result.series("clients_waiting")[:, -1]
    k = np.arange(0, 10)
    lam = 104.0
    pmf = np.exp(k * np.log(lam) - lam - np.array([math.lgamma(i + 1) for i in k]))
    expected = lam - 10 + float(((10 - k) * pmf).sum())
    assert abs(waiting.mean() - expected) < Z * waiting.std(ddof=1) / math.sqrt(waiting.size)
