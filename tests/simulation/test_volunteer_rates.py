"""The volunteer rates a scenario starts from: Chinese by default, the US ones by name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sw_volunteer import simulation as sim

# Ningbo 2022: hours recorded, registered volunteers; Ningbo 2023: the share active.
NINGBO_HOURS = 8.9e6
NINGBO_REGISTERED = 2_139_259
NINGBO_ACTIVE_SHARE = 0.6259

_RATES = ("volunteer_dropout_early", "volunteer_dropout_late", "volunteer_hours_per_month")


def _scenario(**values: object) -> sim.Scenario:
    return sim.Scenario(weeks=8, centres=[sim.CentreStart(id="c", volunteers=30)], **values)  # type: ignore[arg-type]


def test_the_chinese_hours_are_derived_from_the_ningbo_figures() -> None:
    monthly = NINGBO_HOURS / (NINGBO_REGISTERED * NINGBO_ACTIVE_SHARE) / 12
    assert round(monthly, 2) == sim.VOLUNTEER_RATES["cn"]["volunteer_hours_per_month"]
    assert _scenario().volunteer_hours_per_month == pytest.approx(monthly, abs=0.005)
    assert _scenario().volunteer_rates == "cn"


def test_the_us_rates_are_a_named_alternative() -> None:
    us = _scenario(volunteer_rates="us")
    for name in _RATES:
        assert getattr(us, name) == sim.VOLUNTEER_RATES["us"][name]
    assert us.volunteer_hours_per_month == 5.0  # the US mean, rounded


@given(
    preset=st.sampled_from(sorted(sim.VOLUNTEER_RATES)),
    hours=st.floats(min_value=0.1, max_value=20, allow_nan=False),
)
def test_a_rate_given_wins_over_the_preset_and_survives_a_round_trip(
    preset: str, hours: float
) -> None:
    scenario = _scenario(volunteer_rates=preset, volunteer_hours_per_month=hours)
    assert scenario.volunteer_hours_per_month == hours
    assert scenario.volunteer_dropout_late == sim.VOLUNTEER_RATES[preset]["volunteer_dropout_late"]
    assert sim.Scenario.model_validate_json(scenario.model_dump_json()) == scenario


def test_fewer_hours_give_fewer_volunteer_hours_a_week() -> None:
    cn = sim.run(_scenario(), replications=4, seed=7)
    us = sim.run(_scenario(volunteer_rates="us"), replications=4, seed=7)
    cn_hours = float(cn.summary("volunteer_hours").mean.mean())
    us_hours = float(us.summary("volunteer_hours").mean.mean())
    ratio = (
        sim.VOLUNTEER_RATES["us"]["volunteer_hours_per_month"]
        / (sim.VOLUNTEER_RATES["cn"]["volunteer_hours_per_month"])
    )
    assert cn_hours > 0
    assert us_hours > cn_hours * ratio / 2
