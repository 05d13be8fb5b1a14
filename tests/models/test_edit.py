"""Edits of a network: what they check, what they share, and how they report problems."""

from __future__ import annotations

import json
from datetime import date

import pytest

import sw_volunteer as sv


@pytest.fixture
def net() -> sv.Network:
    return sv.Network(
        centres=[sv.Centre(id="c1", name="利群")],
        workers=[
            sv.SocialWorker(id="w1", name="金某", centre="c1", certification="intermediate"),
            sv.SocialWorker(id="w2", name="王某", centre="c1"),
        ],
        volunteers=[sv.Volunteer(id="v1", name="小李", centre="c1")],
        clients=[sv.Client(id="k1", name="陈某", centre="c1")],
        supervisions=[
            sv.Supervision(
                id="g1", supervisor="w1", supervisee="v1", kind="guidance", start=date(2013, 1, 1)
            )
        ],
        assignments=[sv.CaseAssignment(id="a1", worker="w2", client="k1", start=date(2013, 1, 1))],
    )


def test_an_edit_shares_what_it_does_not_change_and_leaves_the_old_network_as_it_was(net):
    before = net.model_dump()
    added = net.with_added(sv.Volunteer(id="v2", name="小张", centre="c1"))
    assert added.clients is net.clients  # shared, not copied
    assert added.workers is net.workers
    assert [v.id for v in added.volunteers] == ["v1", "v2"]
    assert added.volunteers[0] is net.volunteers[0]
    assert net.model_dump() == before
    assert "v2" not in net
    assert added.get("v2").name == "小张"
    assert added == sv.Network.model_validate(added.model_dump())


def test_a_batch_reports_every_problem_at_once_as_loading_does(net):
    bad_worker = sv.SocialWorker(id="w3", name="赵某", centre="c9")
    duplicate = sv.Client(id="k1", name="again", centre="c1")
    draft = net.edit()
    draft.add(bad_worker, duplicate)
    draft.remove("w2")  # its case assignment still names it
    with pytest.raises(sv.NetworkValidationError) as raised:
        draft.finish()
    document = net.model_dump(mode="json")
    document["workers"] = [w for w in document["workers"] if w["id"] != "w2"]
    document["workers"].append(bad_worker.model_dump(mode="json"))
    document["clients"].append(duplicate.model_dump(mode="json"))
    with pytest.raises(sv.NetworkValidationError) as loading:
        sv.Network.model_validate(document)
    assert raised.value.problems == loading.value.problems
    assert {p.code for p in raised.value.problems} == {"dangling_reference", "duplicate_id"}
    assert len(raised.value.problems) == 3  # w3's centre, k1 twice, a1's worker


def test_a_batch_that_fails_inside_its_block_changes_nothing(net):
    draft = net.edit()

    def edit_that_fails() -> None:
        with draft:
            draft.add(sv.Volunteer(id="v2", name="小张", centre="c1"))
            draft.remove("nobody")

    with pytest.raises(KeyError):
        edit_that_fails()
    with pytest.raises(RuntimeError):
        _ = draft.network


def test_removing_with_cascade_drops_what_refers_to_it(net):
    act = sv.Activity.model_validate(
        {
            "id": "act",
            "name": "探访",
            "programme": "p",
            "start": "2013-11-18T09:00:00+08:00",
            "end": "2013-11-18T11:00:00+08:00",
            "workers": ["w1"],
            "volunteers": ["v1"],
        }
    )
    prog = sv.Programme(id="p", name="P", centre="c1", service_area="elderly_and_disability")
    net = net.with_added(prog, act)
    after = net.with_removed("v1", cascade=True)
    assert "g1" not in after  # the supervision of v1
    assert after.activity("act").volunteers == frozenset()
    assert after.activity("act").workers == {"w1"}
    assert net.activity("act").volunteers == {"v1"}
    whole = after.with_removed("c1", cascade=True)
    assert whole.counts() == dict.fromkeys(sv.Network.collections, 0)


def test_replacing_checks_the_new_entity_fields_and_references_together(net):
    changed = net.worker("w2").model_copy(update={"certification": "wizard", "centre": "c9"})
    with pytest.raises(sv.NetworkValidationError) as raised:
        net.with_replaced(changed)
    codes = [p.code for p in raised.value.problems]
    assert codes == ["enum", "dangling_reference"]
    assert raised.value.problems[0].location == "workers[1].certification"
    assert raised.value.problems[1].location == "workers[1].centre"


def test_loading_reports_a_field_error_and_a_dangling_reference_of_one_entity_together():
    document = {
        "centres": [{"id": "c1", "name": "利群"}],
        "workers": [{"id": "w1", "name": "金某", "centre": "c2", "certification": "wizard"}],
    }
    for load in (
        sv.Network.model_validate,
        lambda d: sv.loads(json.dumps(d), format="json"),
    ):
        with pytest.raises(sv.NetworkValidationError) as raised:
            load(document)
        found = {(p.location, p.code) for p in raised.value.problems}
        assert found == {
            ("workers[0].certification", "enum"),
            ("workers[0].centre", "dangling_reference"),
        }


def test_the_reference_field_that_failed_is_not_reported_twice():
    document = {
        "centres": [{"id": "c1", "name": "利群"}],
        "workers": [{"id": "w1", "name": "", "centre": 7}],
    }
    with pytest.raises(sv.NetworkValidationError) as raised:
        sv.Network.model_validate(document)
    assert [p.location for p in raised.value.problems] == ["workers[0].name", "workers[0].centre"]
    assert "dangling_reference" not in raised.value.codes


def test_the_old_names_keep_their_errors(net):
    with pytest.raises(KeyError, match="nobody"):
        net.with_removed("nobody")
    with pytest.raises(KeyError, match="is a volunteer"):
        net.with_replaced(sv.SocialWorker(id="v1", name="x", centre="c1"))
    with pytest.raises(sv.NetworkValidationError):
        net.with_removed("c1")  # people still belong to it


def test_changes_since_names_what_the_edits_touched(net):
    later = net.with_added(sv.Volunteer(id="v2", name="小张", centre="c1"))
    later = later.with_removed("k1", cascade=True)
    changes = later.changes_since(net)
    assert changes is not None
    assert changes.added == ("v2",)
    assert changes.removed == {"k1", "a1"}
    assert changes.collections == {"volunteers", "clients", "assignments"}
    assert net.changes_since(later) is None
    rebuilt = sv.Network.model_validate(later.model_dump())
    assert rebuilt == later
    assert rebuilt.changes_since(net) is None


def test_an_edit_with_a_reference_of_the_wrong_type_is_reported_not_a_crash(net):
    changed = net.worker("w2").model_copy(update={"centre": 7})
    with pytest.raises(sv.NetworkValidationError) as raised:
        net.with_replaced(changed)
    assert [p.location for p in raised.value.problems] == ["workers[1].centre"]


def test_a_batch_keeps_the_order_of_what_it_adds_even_when_added_again(net):
    with net.edit() as draft:
        draft.add(sv.Volunteer(id="x", name="X", centre="c1"))
        draft.add(sv.Volunteer(id="y", name="Y", centre="c1"))
        draft.remove("x")
        draft.add(sv.Volunteer(id="x", name="X2", centre="c1"))
    assert [v.id for v in draft.network.volunteers] == ["v1", "y", "x"]
    assert draft.network.changes_since(net).added == ("y", "x")


def test_a_batch_of_many_replacements_and_removals_keeps_the_order(net):
    many = [sv.Volunteer(id=f"m{i}", name="M", centre="c1") for i in range(20)]
    net = net.with_added(*many)
    with net.edit() as draft:
        for v in many[::2]:
            draft.remove(v.id)
        for v in many[1::4]:
            draft.replace(v.model_copy(update={"skills": frozenset({"music"})}))
    expected = [v.id for v in net.volunteers if v.id not in {m.id for m in many[::2]}]
    assert [v.id for v in draft.network.volunteers] == expected
    assert {v.id for v in draft.network.volunteers if v.skills} == {v.id for v in many[1::4]}
    assert draft.network == sv.Network.model_validate(draft.network.model_dump())
