"""The places of entities carried through edits: always where the collections have them.

An edit finds the entities it replaces or removes by their place in the collection, from
a look-up that each edited network inherits from the one it was made from. These tests
compare the look-ups with places counted from scratch, after long random edit sequences,
and check that the networks an edit started from are left as they were.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.models import _edit


def places_agree(net: sv.Network) -> list[str]:
    """The collections whose look-up (where one was built) misplaces an entity."""
    wrong = []
    for name, places in net._positions.items():
        items = getattr(net, name)
        if [places.at(e.id) for e in items] != list(range(len(items))):
            wrong.append(name)
    return wrong


# -- the look-up alone ------------------------------------------------------------------

an_operation = st.one_of(
    st.tuples(st.just("remove"), st.integers(0, 30)),
    st.tuples(st.just("append"), st.integers(1, 3)),
    st.tuples(st.just("again"), st.integers(0, 30)),  # a removed id appended again
)


@given(
    start=st.integers(0, 12),
    operations=st.lists(an_operation, max_size=30),
    slack=st.sampled_from([0, 3, 1024]),
)
def test_places_follow_removals_and_appends_as_a_list_does(start, operations, slack):
    items = [SimpleNamespace(id=f"e{i}") for i in range(start)]
    gone: list[str] = []
    fresh = start
    history: list[tuple[list[str], _edit.Positions]] = []
    with mock.patch.object(_edit, "POSITIONS_SLACK", slack):
        places = _edit.Positions.of(items)
        for kind, k in operations:
            history.append(([e.id for e in items], places))
            removed: list[str] = []
            appended: list[str] = []
            if kind == "remove" and items:
                removed = [items.pop(k % len(items)).id]
                gone.extend(removed)
            elif kind == "again" and gone:
                appended = [gone.pop(k % len(gone))]
            elif kind == "append":
                appended = [f"e{fresh + j}" for j in range(k)]
                fresh += k
            items.extend(SimpleNamespace(id=i) for i in appended)
            later = places.after(removed, appended)
            places = later if later is not None else _edit.Positions.of(items)
            assert [places.at(e.id) for e in items] == list(range(len(items)))
            for eid in gone:
                with pytest.raises(KeyError):
                    places.at(eid)
    for ids, earlier in history:  # each look-up still answers for its own list
        assert [earlier.at(i) for i in ids] == list(range(len(ids)))


# -- through a network's edits ------------------------------------------------------------


def a_city() -> sv.Network:
    return sv.Network(
        centres=[sv.Centre(id=f"c{i}", name=f"中心{i}") for i in range(3)],
        workers=[sv.SocialWorker(id=f"w{i}", name="金某", centre=f"c{i % 3}") for i in range(4)],
        volunteers=[sv.Volunteer(id=f"v{i}", name="小王", centre=f"c{i % 3}") for i in range(8)],
        clients=[sv.Client(id=f"k{i}", name="陈某", centre=f"c{i % 3}") for i in range(8)],
        assignments=[
            sv.CaseAssignment(
                id=f"a{i}", worker=f"w{i % 4}", client=f"k{i}", start=date(2013, 1, 1)
            )
            for i in range(8)
        ],
    )


an_edit = st.tuples(
    st.sampled_from(["add", "replace", "remove", "cascade", "batch"]),
    st.integers(0, 10_000),
)


def edited(net: sv.Network, kind: str, k: int, serial: int) -> sv.Network:
    """One edit of ``net`` chosen by ``kind`` and ``k``."""
    centre = net.centres[k % len(net.centres)].id if net.centres else None
    people = [*net.volunteers, *net.clients]
    if kind == "add" or not people or centre is None:
        if centre is None:
            return net.with_added(sv.Centre(id=f"c-new{serial}", name="新中心"))
        return net.with_added(
            sv.Volunteer(id=f"v-new{serial}", name="小李", centre=centre),
            sv.Client(id=f"k-new{serial}", name="李某", centre=centre),
        )
    person = people[k % len(people)]
    if kind == "replace":
        return net.with_replaced(person.model_copy(update={"name": f"名{serial}"}))
    if kind == "remove":
        return net.with_removed(person.id, cascade=True)
    if kind == "cascade":  # a centre, with its people and their cases
        return net.with_removed(centre, cascade=True)
    with net.edit() as draft:  # several at once, and an id removed then added again
        draft.remove(person.id, cascade=True)
        draft.add(person)
        if len(people) > 1:
            other = people[(k + 1) % len(people)]
            if other.id != person.id and other.id in net:
                draft.replace(other.model_copy(update={"name": f"名{serial}"}))
        draft.add(sv.Volunteer(id=f"v-batch{serial}", name="小赵", centre=centre))
    return draft.network


@given(edits=st.lists(an_edit, min_size=1, max_size=25), slack=st.sampled_from([2, 1024]))
def test_places_stay_right_through_long_edit_sequences_and_old_networks_keep_theirs(edits, slack):
    net = a_city()
    seen: list[tuple[sv.Network, dict[str, Any]]] = []
    with mock.patch.object(_edit, "POSITIONS_SLACK", slack):
        for serial, (kind, k) in enumerate(edits):
            seen.append((net, net.model_dump()))
            net = edited(net, kind, k, serial)
            assert places_agree(net) == []
    assert net == sv.Network.model_validate(net.model_dump())  # the collections built whole
    for old, dumped in seen:  # each network an edit started from is as it was
        assert old.model_dump() == dumped
        assert places_agree(old) == []


def test_an_edit_keeps_the_places_of_what_it_does_not_change_and_carries_the_others():
    net = a_city()
    once = net.with_removed("k3", cascade=True)  # builds the places of clients, assignments
    twice = once.with_replaced(once.client("k5").model_copy(update={"name": "王某"}))
    assert set(net._positions) == {"clients", "assignments"}
    assert twice._positions["assignments"] is once._positions["assignments"]
    assert twice.clients[twice._positions["clients"].at("k5")].name == "王某"
    assert [c.id for c in twice.clients] == ["k0", "k1", "k2", "k4", "k5", "k6", "k7"]


def test_a_network_copied_with_other_collections_is_edited_right():
    net = a_city()
    net.with_removed("v1")  # the places of the volunteers, kept on ``net``
    reordered = net.model_copy(update={"volunteers": net.volunteers[::-1]})
    edited_copy = reordered.with_removed("v6")
    assert [v.id for v in edited_copy.volunteers] == ["v7", "v5", "v4", "v3", "v2", "v1", "v0"]
    assert places_agree(edited_copy) == []
