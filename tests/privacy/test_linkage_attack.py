"""Link two redactions of the Rui'an data made under different keys, as an attacker would.

The attacker holds both exports and nothing else. For every client and volunteer they
take everything the export keeps about that person: the record itself (its pseudonyms
left out, since they differ from key to key) and every record that names the person
(activities, supervisions, case assignments, service records, absences), with other
people blanked and every other pseudonymous id replaced by the content of the record it
names. A person is *linked* when that description is unique in both exports, so that the
two records can be paired with certainty, and the pairing is right.

This attack is written here on its own, not with the library's signature function, so
that the library's guarantee is checked against something it does not define.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

import pytest

from sw_volunteer.datasets import ruian_2013
from sw_volunteer.errors import InputError
from sw_volunteer.models import Network, sensitive_fields
from sw_volunteer.privacy import (
    KEPT_ID_COLLECTIONS,
    RedactionProfile,
    pseudonymous_ids,
    redact,
    redact_with_report,
)
from sw_volunteer.vocab import Sensitivity

FIRST_KEY = b"the first partner's key, 32 byte"
SECOND_KEY = b"the second partner's key, 32 byt"
PEOPLE = ("clients", "volunteers")
LIMIT = 0.05  # at most 5% of the people of a kind may be linked


def _record(entity: Any) -> dict[str, Any]:
    drop = {"id"} | {
        name
        for name, kind in sensitive_fields(type(entity)).items()
        if kind in {Sensitivity.IDENTIFYING, Sensitivity.FREE_TEXT}
    }
    return {k: v for k, v in entity.model_dump(mode="json").items() if k not in drop}


def _replace(value: Any, table: dict[str, str]) -> Any:
    if isinstance(value, str):
        return table.get(value, value)
    if isinstance(value, list):
        return sorted((_replace(v, table) for v in value), key=repr)
    if isinstance(value, dict):
        return {k: _replace(v, table) for k, v in value.items()}
    return value


def _mentions(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return set().union(*map(_mentions, value)) if value else set()
    if isinstance(value, dict):
        return set().union(*map(_mentions, value.values())) if value else set()
    return set()


def descriptions(network: Network) -> dict[str, str]:
    """What the export tells about each person, pseudonyms taken out."""
    people = {e.id for name in PEOPLE for e in getattr(network, name)}
    kept = {e.id for name in KEPT_ID_COLLECTIONS for e in getattr(network, name)}
    records = {e.id: (type(e).__name__, _record(e)) for e in network.entities()}
    blank = dict.fromkeys(people, "someone")
    contents = {
        eid: json.dumps([kind, _replace(rec, blank)], sort_keys=True, ensure_ascii=False)
        for eid, (kind, rec) in records.items()
        if eid not in people and eid not in kept
    }
    naming: dict[str, list[str]] = defaultdict(list)
    for eid, (_, rec) in records.items():
        for person in _mentions(rec) & people:
            naming[person].append(eid)
    out = {}
    for person in people:
        table = {**blank, **contents, person: "this person"}
        kind, own = records[person]
        around = sorted(
            json.dumps([records[r][0], _replace(records[r][1], table)], sort_keys=True)
            for r in naming[person]
        )
        out[person] = json.dumps([kind, _replace(own, table), around], sort_keys=True)
    return out


def link(network: Network, first: Network, second: Network, collection: str) -> int:
    """How many people of ``collection`` the attack pairs up, correctly and with certainty."""
    a, b = descriptions(first), descriptions(second)
    count_a, count_b = Counter(a.values()), Counter(b.values())
    owner_b = {d: pid for pid, d in b.items()}
    ids_a = pseudonymous_ids(network, key=FIRST_KEY)
    ids_b = pseudonymous_ids(network, key=SECOND_KEY)
    linked = 0
    for person in getattr(network, collection):
        described = a.get(ids_a[person.id])
        if described is None:
            continue  # withheld from the export
        if count_a[described] == 1 and count_b[described] == 1:
            linked += owner_b[described] == ids_b[person.id]
    return linked


@pytest.fixture(scope="module")
def ruian() -> Network:
    return ruian_2013()


def test_pseudonyms_alone_are_linked_across_keys(ruian: Network) -> None:
    """The attack works: without a profile, most people are put back together."""
    first = redact(ruian, key=FIRST_KEY, profile=None)
    second = redact(ruian, key=SECOND_KEY, profile=None)
    assert link(ruian, first, second, "clients") > 0.4 * len(ruian.clients)
    assert link(ruian, first, second, "volunteers") > 0.8 * len(ruian.volunteers)


@pytest.mark.parametrize("collection", PEOPLE)
def test_the_default_profile_leaves_at_most_5_percent_linkable(
    ruian: Network, collection: str
) -> None:
    first = redact(ruian, key=FIRST_KEY)
    second = redact(ruian, key=SECOND_KEY)
    linked = link(ruian, first, second, collection)
    assert linked <= LIMIT * len(getattr(ruian, collection))


@pytest.mark.parametrize("k", [2, 5, 8])
def test_every_released_person_is_in_a_group_of_at_least_k(ruian: Network, k: int) -> None:
    result = redact_with_report(ruian, key=FIRST_KEY, profile=RedactionProfile(k=k))
    groups = Counter(descriptions(result.network).values())
    released = sum(groups.values())
    assert released == sum(len(getattr(result.network, name)) for name in PEOPLE)
    assert released >= len(ruian.clients) // 2  # most people are still there to study
    assert min(groups.values()) >= k
    assert result.achieved_k == min(groups.values())
    withheld = {
        name: len(getattr(ruian, name)) - len(getattr(result.network, name)) for name in PEOPLE
    }
    assert dict(result.suppressed) == withheld


def test_the_report_says_what_was_generalised(ruian: Network) -> None:
    result = redact_with_report(ruian, key=FIRST_KEY)
    assert result.generalised["Volunteer.affiliation"].startswith("dropped")
    schools = {v.affiliation for v in ruian.volunteers if v.affiliation}
    document = result.network.model_dump_json()
    assert schools
    assert not [s for s in schools if s in document]
    assert "Client.enrolled" in result.generalised
    enrolled = {c.enrolled for c in result.network.clients if c.enrolled is not None}
    assert all((d.month, d.day) == (1, 1) for d in enrolled)
    assert "withheld" in result.summary()


@pytest.mark.parametrize("collection", PEOPLE)
def test_the_order_of_the_records_does_not_link_them(ruian: Network, collection: str) -> None:
    """Pairing the n-th record of one export with the n-th of the other finds no one."""
    first = redact(ruian, key=FIRST_KEY)
    second = redact(ruian, key=SECOND_KEY)
    ids_a = pseudonymous_ids(ruian, key=FIRST_KEY)
    ids_b = pseudonymous_ids(ruian, key=SECOND_KEY)
    person_of_a = {ids_a[p.id]: p.id for p in getattr(ruian, collection)}
    person_of_b = {ids_b[p.id]: p.id for p in getattr(ruian, collection)}
    pairs = zip(getattr(first, collection), getattr(second, collection), strict=True)
    same = sum(person_of_a[a.id] == person_of_b[b.id] for a, b in pairs)
    assert same <= LIMIT * len(getattr(ruian, collection))


def test_keeping_the_ids_of_people_is_refused_with_a_profile(ruian: Network) -> None:
    with pytest.raises(InputError) as caught:
        redact(ruian, key=FIRST_KEY, keep_ids=(*KEPT_ID_COLLECTIONS, "volunteers"))
    assert caught.value.codes == ("ids_would_link",)
    kept = redact(ruian, key=FIRST_KEY, keep_ids=(*KEPT_ID_COLLECTIONS, "volunteers"), profile=None)
    assert {v.id for v in kept.volunteers} == {v.id for v in ruian.volunteers}


def test_a_network_too_small_for_k_is_withheld_whole_and_says_so() -> None:
    from .conftest import build_network

    result = redact_with_report(build_network(), key=FIRST_KEY, profile=RedactionProfile(k=50))
    assert result.achieved_k is None
    assert not result.network.clients
    assert not result.network.volunteers
    assert "no client or volunteer released" in result.describe()
