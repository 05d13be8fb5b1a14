"""Pseudonymisation alone (``profile=None``) keeps every verdict, up to the renaming of ids."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.models import Network
from sw_volunteer.privacy import pseudonymous_ids, redact
from sw_volunteer.rules import Report, Violation
from sw_volunteer.testing.strategies import networks

from .conftest import KEY

ON = date(2016, 3, 1)


def _at_year_precision(network: Network) -> Network:
    """The network with birth dates already where year coarsening puts them (1 July)."""
    people = [
        p.model_copy(update={"birth_date": date(p.birth_date.year, 7, 1)})
        for p in (*network.volunteers, *network.clients)
        if p.birth_date is not None
    ]
    return network.with_replaced(*people)


def _verdict(violation: Violation, ids: Mapping[str, str]) -> Hashable:
    actions = ()
    if violation.remedy is not None:
        # Which of several equal candidates a remedy names may follow id order, so only
        # the shape of the remedy is compared.
        actions = tuple(
            sorted(
                (a.action, a.count, a.role, a.field)
                for option in violation.remedy.options
                for a in option.actions
            )
        )
    return (
        violation.code,
        violation.severity,
        violation.rule_id,
        tuple(sorted(ids.get(e, e) for e in violation.entities)),
        violation.observed,
        violation.limit,
        violation.session,
        actions,
    )


def _verdicts(report: Report, ids: Mapping[str, str]) -> Counter[Hashable]:
    return Counter(_verdict(v, ids) for v in report.violations)


@settings(max_examples=40)
@given(network=networks(max_volunteers=6, max_clients=6), pack=st.sampled_from(["cn-default"]))
def test_check_gives_the_same_verdicts_after_redaction(network: Network, pack: str) -> None:
    network = _at_year_precision(network)
    ids = pseudonymous_ids(network, key=KEY)
    identity = {i: i for i in ids.values()}
    before = sv.check(network, rules=pack, on=ON)
    after = sv.check(redact(network, key=KEY, profile=None), rules=pack, on=ON)
    assert _verdicts(after, identity) == _verdicts(before, ids)
    assert after.ok == before.ok


def test_every_packaged_pack_agrees_on_the_fixture() -> None:
    from .conftest import build_network

    network = _at_year_precision(build_network())
    ids = pseudonymous_ids(network, key=KEY)
    identity = {i: i for i in ids.values()}
    shared = redact(network, key=KEY, profile=None)
    found = 0
    for pack in sv.rules.available_packs():
        before = sv.check(network, rules=pack, on=ON)
        after = sv.check(shared, rules=pack, on=ON)
        assert _verdicts(after, identity) == _verdicts(before, ids), pack
        found += len(before.violations)
    assert found  # the fixture breaks some rules, so the comparison means something
