"""Sessions say what kind they are, and ``adults_present`` asks each kind its own staffing.

cn-default: casework (个案工作) needs one certified social worker; a home visit (入户探访)
two adults, volunteers or social workers; group work, community activities and sessions
that do not say take the general rule (two adults, one of them certified).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.rules import AdultsPresent, pack
from sw_volunteer.vocab import ActivityKind

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2013, 11, 18)
START = datetime(2013, 11, 18, 9, 0, tzinfo=TZ)
CODES = {"too_few_adults", "no_certified_worker"}


def _network(
    kind: ActivityKind | None, certified: int, uncertified: int, volunteers: int
) -> sv.Network:
    workers = [
        sv.SocialWorker(id=f"c{i}", name="x", centre="h", certification="assistant")
        for i in range(certified)
    ] + [sv.SocialWorker(id=f"u{i}", name="x", centre="h") for i in range(uncertified)]
    vols = [
        sv.Volunteer(id=f"v{i}", name="x", centre="h", birth_date=date(1980, 1, 1))
        for i in range(volunteers)
    ]
    session = sv.Activity(
        id="s",
        name="探访",
        programme="p",
        kind=kind,
        start=START,
        end=START + timedelta(hours=2),
        workers={w.id for w in workers},
        volunteers={v.id for v in vols},
        clients={"k"},
    )
    return sv.Network(
        centres=[sv.Centre(id="h", name="华夏")],
        workers=workers,
        volunteers=vols,
        clients=[sv.Client(id="k", name="x", centre="h", needs=["elderly_independent"])],
        programmes=[
            sv.Programme(id="p", name="p", centre="h", service_area="elderly_and_disability")
        ],
        activities=[session],
    )


def _codes(network: sv.Network) -> set[str]:
    return {v.code for v in sv.check(network, on=DAY).violations} & CODES


def _params() -> AdultsPresent:
    (rule,) = [r for r in pack("cn-default").rules if r.kind == "adults_present"]
    return AdultsPresent.model_validate(rule.params)


def test_casework_needs_one_certified_worker_alone() -> None:
    assert _codes(_network(ActivityKind.CASEWORK, 1, 0, 0)) == set()
    assert _codes(_network(None, 1, 0, 0)) == {"too_few_adults"}  # today's rule
    assert _codes(_network(ActivityKind.CASEWORK, 0, 1, 0)) == {"no_certified_worker"}


def test_a_home_visit_is_made_in_pairs() -> None:
    assert _codes(_network(ActivityKind.HOME_VISIT, 0, 0, 2)) == set()  # two volunteers
    assert _codes(_network(ActivityKind.HOME_VISIT, 0, 1, 1)) == set()  # worker + volunteer
    assert _codes(_network(ActivityKind.HOME_VISIT, 0, 0, 1)) == {"too_few_adults"}
    # the same pair of volunteers in a session that does not say its kind lacks a worker
    assert _codes(_network(None, 0, 0, 2)) == {"no_certified_worker"}


def test_group_and_community_sessions_keep_the_general_rule() -> None:
    for kind in (ActivityKind.GROUP_WORK, ActivityKind.COMMUNITY, None):
        assert _codes(_network(kind, 1, 0, 1)) == set()
        assert _codes(_network(kind, 0, 1, 1)) == {"no_certified_worker"}
        assert _codes(_network(kind, 1, 0, 0)) == {"too_few_adults"}


@given(
    kind=st.sampled_from([None, *ActivityKind]),
    certified=st.integers(0, 2),
    uncertified=st.integers(0, 2),
    volunteers=st.integers(0, 3),
)
def test_the_rule_applied_is_the_one_of_the_kind(
    kind: ActivityKind | None, certified: int, uncertified: int, volunteers: int
) -> None:
    params = _params()
    staffing = params.by_kind.get(kind) if kind is not None else None
    min_adults = params.min_adults if staffing is None else staffing.min_adults
    min_certified = (
        params.min_certified_workers if staffing is None else staffing.min_certified_workers
    )
    expected = set()
    if certified + uncertified + volunteers < min_adults:
        expected.add("too_few_adults")
    if certified < min_certified:
        expected.add("no_certified_worker")
    assert _codes(_network(kind, certified, uncertified, volunteers)) == expected


def test_the_ruian_home_visit_said_to_be_one_needs_no_certified_worker() -> None:
    ruian = sv.datasets.ruian_2013()
    visits = [a for a in ruian.activities if a.setting is sv.Setting.HOME_VISIT]
    assert visits
    on = visits[0].start.date()
    before = {v.entities[0] for v in sv.check(ruian, on=on).of_code("no_certified_worker")}
    assert {a.id for a in visits} <= before  # an uncertified worker with volunteers
    said = ruian
    for visit in visits:
        said = said.with_replaced(visit.model_copy(update={"kind": ActivityKind.HOME_VISIT}))
    after = sv.check(said, on=on)
    flagged = {v.entities[0] for v in after.violations if v.code in CODES}
    assert not {a.id for a in visits} & flagged
    for visit in visits:  # each visit has a pair at least
        assert len(visit.workers) + len(visit.volunteers) >= 2
