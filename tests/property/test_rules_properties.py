from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.rules import Report, apply_remedy, pack
from sw_volunteer.testing.strategies import networks

DAY = date(2013, 11, 18)
LIMIT = min(
    r.params["limit"] for r in pack("cn-default").rules_of_kind("max_volunteers_per_supervisor")
)


@given(networks(), st.sampled_from(["cn-default", "cn-zhejiang", "us-default"]))
def test_every_violation_names_ids_that_exist_and_round_trips(network, pack_name):
    report = sv.check(network, rules=pack_name, on=DAY)
    for violation in report.violations:
        assert violation.entities
        assert all(entity in network for entity in violation.entities)
    assert Report.from_json(report.to_json()) == report
    assert report.ok == (not report.errors)


def _compliant(loads: list[int]) -> sv.Network:
    """Certified, experienced social workers, each guiding ``loads[i]`` adult volunteers."""
    workers = [
        sv.SocialWorker(
            id=f"w{i}",
            name="社工",
            centre="c",
            certification="intermediate",
            practice_since=date(2000, 1, 1),
        )
        for i in range(len(loads))
    ]
    volunteers, edges = [], []
    for i, load in enumerate(loads):
        for j in range(load):
            vid = f"v{i}_{j}"
            volunteers.append(
                sv.Volunteer(id=vid, name="x", centre="c", birth_date=date(1990, 1, 1))
            )
            edges.append(
                sv.Supervision(
                    id=f"s{i}_{j}",
                    supervisor=f"w{i}",
                    supervisee=vid,
                    kind="guidance",
                    start=date(2013, 1, 1),
                )
            )
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=workers,
        volunteers=volunteers,
        supervisions=edges,
    )


@given(st.lists(st.integers(0, LIMIT), min_size=1, max_size=6))
def test_a_network_built_to_satisfy_the_pack_reports_nothing(loads):
    assert sv.check(_compliant(loads), on=DAY).violations == ()


@given(
    st.lists(st.integers(0, LIMIT - 1), min_size=1, max_size=5),
    st.integers(0, 4),
)
def test_one_volunteer_beyond_the_limit_gives_one_violation_whose_remedy_clears_it(
    others, position
):
    loads = list(others)
    full = position % (len(loads) + 1)
    loads.insert(full, LIMIT)
    network = _compliant(loads).with_added(
        sv.Volunteer(id="extra", name="x", centre="c", birth_date=date(1990, 1, 1)),
        sv.Supervision(
            id="s-extra", supervisor=f"w{full}", supervisee="extra", kind="guidance", start=DAY
        ),
    )
    report = sv.check(network, on=DAY)
    (violation,) = report.violations
    assert violation.code == "supervisor_overloaded_volunteers"
    assert violation.entities[0] == f"w{full}"
    assert (violation.observed, violation.limit) == (LIMIT + 1, LIMIT)
    assert violation.remedy is not None
    # others has at least one colleague with a free place, so the first option is a move
    assert violation.remedy.options[0].actions[0].action == "move_supervisee"
    fixed = apply_remedy(network, violation.remedy, on=DAY)
    assert sv.check(fixed, on=DAY).violations == ()
