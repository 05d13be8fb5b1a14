"""What the default redaction profile does to the verdicts of the check and the simulator.

Generalisation is chosen to keep verdicts on the day of the data: age bands taken on
``info.as_of`` keep the thresholds of the age rules, roster dates move to the start of
their year at most. What changes verdicts is the people withheld: they are not checked,
and the activities they took part in have fewer people (a withheld client still counts,
as one of the activity's ``extra_clients``; a withheld volunteer does not).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from datetime import date

import pytest

import sw_volunteer as sv
from sw_volunteer.models import Network
from sw_volunteer.privacy import pseudonymous_ids, redact, redact_with_report
from sw_volunteer.rules import Report

from .conftest import KEY

PEOPLE = ("clients", "volunteers")


def _verdicts(report: Report, ids: Mapping[str, str]) -> Counter[Hashable]:
    return Counter(
        (v.code, v.rule_id, tuple(sorted(ids.get(e, e) for e in v.entities)), v.observed)
        for v in report.violations
    )


def _without(network: Network, gone: set[str]) -> Network:
    """``network`` without ``gone``, as redaction withholds people."""
    activities = [
        a.model_copy(update={"extra_clients": a.extra_clients + len(a.clients & gone)})
        for a in network.activities
        if a.clients & gone
    ]
    return network.with_replaced(*activities).with_removed(*sorted(gone), cascade=True)


@pytest.mark.parametrize("pack", sv.rules.available_packs())
def test_on_the_day_of_the_data_only_withholding_changes_verdicts(pack: str) -> None:
    ruian = sv.datasets.ruian_2013()
    result = redact_with_report(ruian, key=KEY)
    ids = pseudonymous_ids(ruian, key=KEY)
    released = {e.id for e in result.network.entities()}
    gone = {p.id for name in PEOPLE for p in getattr(ruian, name) if ids[p.id] not in released}
    assert len(gone) == sum(result.suppressed.values())
    # the same people withheld, nothing generalised: pseudonyms only
    baseline = redact(_without(ruian, gone), key=KEY, profile=None)
    identity = {i: i for i in ids.values()}
    after = sv.check(result.network, rules=pack)
    assert _verdicts(after, identity) == _verdicts(sv.check(baseline, rules=pack), identity)
    # ... and withholding does change some: the profile gives that up
    before = sv.check(ruian, rules=pack)
    assert _verdicts(after, identity) != _verdicts(before, ids)


def test_a_withheld_client_still_counts_in_the_ratio_of_their_activity() -> None:
    ruian = sv.datasets.ruian_2013()
    result = redact_with_report(ruian, key=KEY)
    assert result.suppressed["clients"] > 0
    present = sum(a.client_count for a in ruian.activities)
    assert sum(a.client_count for a in result.network.activities) == present


def test_the_simulation_changes_only_by_who_is_withheld_and_the_dates_generalised() -> None:
    import numpy as np

    from sw_volunteer import simulation as sim

    on = date(2013, 11, 19)

    def run(network: Network) -> sim.SimulationResult:
        return sim.run(sim.Scenario.from_network(network, weeks=12, on=on), replications=32, seed=1)

    ruian = sv.datasets.ruian_2013()
    result = redact_with_report(ruian, key=KEY)
    ids = pseudonymous_ids(ruian, key=KEY)
    released = {e.id for e in result.network.entities()}
    gone = {p.id for name in PEOPLE for p in getattr(ruian, name) if ids[p.id] not in released}
    kept = _without(ruian, gone)
    # what the profile did to what the simulator reads: joining to the start of the year,
    # birth dates to the age rules' bands on the day of the data
    kept = kept.with_replaced(
        *(
            v.model_copy(update={"joined": date(v.joined.year, 1, 1)})
            for v in kept.volunteers
            if v.joined is not None
        )
    )
    baseline = redact(
        kept, key=KEY, profile=None, birth_dates="age_band", age_bands=(0, 14, 18, 60)
    )
    after, expected, before = run(result.network), run(baseline), run(ruian)
    for metric in after.metrics:
        np.testing.assert_array_equal(after.series(metric), expected.series(metric), metric)
    assert any(
        not np.array_equal(after.series(m), before.series(m)) for m in after.metrics
    )  # withholding 48 volunteers does show
