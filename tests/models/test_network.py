from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import sw_volunteer as sv
from sw_volunteer.errors import NetworkValidationError


def _small() -> sv.Network:
    return sv.Network(
        centres=[sv.Centre(id="liqun", name="利群社会工作服务中心")],
        workers=[
            sv.SocialWorker(id="w1", name="金某", centre="liqun", certification="intermediate"),
            sv.SocialWorker(id="w2", name="陈某", centre="liqun"),
        ],
        volunteers=[sv.Volunteer(id="v1", name="林某", centre="liqun")],
        clients=[
            sv.Client(id="k1", name="学员甲", centre="liqun", needs=["intellectual_disability"])
        ],
        programmes=[
            sv.Programme(id="p1", name="农疗", centre="liqun", service_area="rehabilitation")
        ],
        activities=[
            sv.Activity(
                id="a1",
                name="平阳农疗",
                programme="p1",
                setting="outing",
                start=datetime(2013, 11, 18, 6, tzinfo=UTC),
                end=datetime(2013, 11, 18, 9, tzinfo=UTC),
                workers=["w1"],
                volunteers=["v1"],
                clients=["k1"],
            )
        ],
        supervisions=[
            sv.Supervision(
                id="s1", supervisor="w1", supervisee="v1", kind="guidance", start=date(2013, 1, 1)
            ),
            sv.Supervision(
                id="s2",
                supervisor="w1",
                supervisee="w2",
                kind="professional",
                start=date(2013, 1, 1),
            ),
        ],
        assignments=[sv.CaseAssignment(id="ca1", worker="w2", client="k1", start=date(2013, 1, 1))],
    )


def test_every_problem_is_listed_at_once_with_its_location():
    with pytest.raises(NetworkValidationError) as caught:
        sv.Network(
            centres=[{"id": "liqun", "name": "利群"}, {"id": "liqun", "name": "again"}],
            workers=[{"id": "w1", "name": "金某", "centre": "liqun", "certification": "master"}],
            volunteers=[
                {"id": "v1", "name": "林某", "centre": "liqun2"},
                {"id": "v2", "name": "x", "centre": "liqun", "shoe_size": 40},
            ],
        )
    problems = {(p.location, p.code) for p in caught.value.problems}
    assert problems == {
        ("centres[1].id", "duplicate_id"),
        ("workers[0].certification", "enum"),
        ("volunteers[0].centre", "dangling_reference"),
        ("volunteers[1].shoe_size", "extra_forbidden"),
    }
    text = str(caught.value)
    assert "volunteers[0].centre: no centre 'liqun2'" in text
    assert "'none', 'assistant', 'intermediate' or 'senior'" in text  # the allowed values
    assert "shoe_size" in text
    assert isinstance(caught.value, ValueError)


def test_a_reference_to_the_wrong_kind_of_entity_is_named():
    with pytest.raises(NetworkValidationError) as caught:
        sv.Network(
            centres=[{"id": "c", "name": "c"}],
            volunteers=[
                {"id": "v1", "name": "x", "centre": "c"},
                {"id": "v2", "name": "y", "centre": "c"},
            ],
            supervisions=[
                {
                    "id": "s",
                    "supervisor": "v1",
                    "supervisee": "v2",
                    "kind": "guidance",
                    "start": "2013-01-01",
                },
                {
                    "id": "t",
                    "supervisor": "v2",
                    "supervisee": "v2",
                    "kind": "guidance",
                    "start": "2013-01-01",
                },
            ],
        )
    found = {(p.location, p.code): p.message for p in caught.value.problems}
    assert found[("supervisions[0].supervisor", "wrong_reference_kind")] == (
        "'v1' is a volunteer, expected a social worker"
    )
    assert found[("supervisions[1]", "value_error")] == "a person cannot supervise themselves"


def test_supervision_kind_must_match_the_supervisee():
    net = _small()
    wrong = net.supervisions[0].model_copy(update={"kind": sv.SupervisionKind.PROFESSIONAL})
    with pytest.raises(NetworkValidationError) as caught:
        net.with_replaced(wrong)
    assert caught.value.codes == ("supervision_kind_mismatch",)


def test_lookups_by_id_are_typed():
    net = _small()
    assert net.worker("w1").certification is sv.CertificationLevel.INTERMEDIATE
    assert net.centre_of("a1").id == "liqun"
    with pytest.raises(KeyError, match="is a volunteer, not a social worker"):
        net.worker("v1")
    with pytest.raises(KeyError, match="no entity with id 'nobody'"):
        net.get("nobody")


def test_changed_copies_keep_integrity_and_leave_the_original_alone():
    net = _small()
    bigger = net.with_added(sv.Volunteer(id="v2", name="周某", centre="liqun"))
    assert "v2" in bigger
    assert "v2" not in net
    with pytest.raises(NetworkValidationError, match="already used"):
        bigger.with_added(sv.Volunteer(id="v2", name="周某", centre="liqun"))
    with pytest.raises(NetworkValidationError, match="dangling_reference"):
        net.with_removed("w1")
    smaller = net.with_removed("w1", cascade=True)
    assert "w1" not in smaller
    assert all(s.supervisor != "w1" for s in smaller.supervisions)
    assert smaller.activity("a1").workers == frozenset()
    emptied = net.with_removed("liqun", cascade=True)
    assert len(emptied) == 0


def test_a_network_is_immutable():
    net = _small()
    with pytest.raises(ValueError, match="frozen"):
        net.centres = ()  # type: ignore[misc]
    with pytest.raises(ValueError, match="frozen"):
        net.workers[0].name = "x"  # type: ignore[misc]


def test_repr_is_short_even_for_large_networks():
    net = _small()
    assert repr(net) == (
        "Network(centres=1, workers=2, volunteers=1, clients=1, programmes=1, "
        "activities=1, supervisions=2, assignments=1)"
    )


def test_sensitive_client_fields_never_show_in_repr_or_errors():
    client = sv.Client(
        id="k9", name="SECRET-NAME", centre="c", notes="SECRET-NOTE", needs=["drug_rehabilitation"]
    )
    assert "SECRET" not in repr(client)
    assert "drug" not in repr(client)
    with pytest.raises(ValueError, match="birth_date") as caught:
        sv.Client(id="k9", name="SECRET-NAME", centre="c", birth_date="SECRET-DATE")
    assert "SECRET" not in str(caught.value)
    with pytest.raises(NetworkValidationError) as caught2:
        sv.Network(
            clients=[
                {"id": "k9", "name": "SECRET-NAME", "centre": "c", "birth_date": "SECRET-DATE"}
            ]
        )
    assert "SECRET" not in str(caught2.value)
    assert "clients[0].birth_date" in str(caught2.value)


def test_a_non_sensitive_bad_value_is_echoed_to_help_the_user():
    with pytest.raises(NetworkValidationError, match="got 'castle'"):
        sv.Network(centres=[{"id": "c", "name": "c", "kind": "castle"}])


def test_repeated_values_in_a_set_field_are_an_error_not_a_silent_drop():
    with pytest.raises(ValueError, match="position 1 repeats"):
        sv.Volunteer(id="v", name="x", centre="c", skills=["music", "music"])


def test_sets_are_written_sorted_so_documents_are_deterministic():
    vol = sv.Volunteer(id="v", name="x", centre="c", skills=["dance", "art", "music"])
    assert vol.model_dump(mode="json")["skills"] == ["art", "dance", "music"]


def test_certified_on_needs_a_certification():
    with pytest.raises(ValueError, match="certification is 'none'"):
        sv.SocialWorker(id="w", name="x", centre="c", certified_on=date(2010, 1, 1))


def test_activity_times_must_be_aware_and_ordered():
    base = {"id": "a", "name": "x", "programme": "p"}
    with pytest.raises(ValueError, match="timezone"):
        sv.Activity(**base, start=datetime(2013, 1, 1, 9), end=datetime(2013, 1, 1, 10))  # noqa: DTZ001
    with pytest.raises(ValueError, match="ends before it starts"):
        sv.Activity(
            **base,
            start=datetime(2013, 1, 1, 10, tzinfo=UTC),
            end=datetime(2013, 1, 1, 9, tzinfo=UTC),
        )


def test_a_stray_key_in_a_client_record_is_not_echoed():
    with pytest.raises(NetworkValidationError) as caught:
        sv.Network(clients=[{"id": "k1", "name": "x", "centre": "c", "王某 1990-01-01": 1}])
    text = str(caught.value)
    assert "王某" not in text
    assert "clients[0].<unknown field>" in text


def test_a_stray_field_name_in_a_client_record_is_shown_to_help():
    with pytest.raises(NetworkValidationError, match="unknown field 'phone'"):
        sv.Network(clients=[{"id": "k1", "name": "x", "centre": "c", "phone": "1"}])


def test_a_subclass_instance_can_replace_its_base():
    class TaggedVolunteer(sv.Volunteer):
        pass

    net = sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        volunteers=[sv.Volunteer(id="v", name="x", centre="c")],
    )
    replaced = net.with_replaced(TaggedVolunteer(id="v", name="y", centre="c"))
    assert isinstance(replaced.get("v"), TaggedVolunteer)
