from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.errors import NetworkValidationError
from sw_volunteer.testing import strategies as sws


@given(sws.networks(), st.sampled_from(["json", "yaml"]))
def test_a_network_survives_a_round_trip_exactly(network, fmt):
    text = sv.dumps(network, format=fmt)
    again = sv.loads(text, format=fmt)
    assert again == network
    assert sv.dumps(again, format=fmt) == text


@given(sws.networks())
def test_every_generated_network_has_integrity(network):
    ids = [e.id for e in network.entities()]
    assert len(ids) == len(set(ids)) == len(network)
    for entity in network.entities():
        assert network.get(entity.id) is entity
    for worker in network.workers:
        assert network.centre_of(worker.id).id == worker.centre
    for sup in network.supervisions:
        assert sup.supervisor in network
        assert sup.supervisee in network


@given(sws.defective_documents())
def test_a_planted_defect_is_reported_at_its_location(defect):
    with pytest.raises(NetworkValidationError) as caught:
        sv.Network.model_validate(defect.document)
    found = {(p.location, p.code) for p in caught.value.problems}
    assert (defect.location, defect.code) in found, caught.value


@given(sws.defective_documents())
def test_problems_in_two_places_are_reported_together(first):
    doc = first.document
    bad_centre = {"id": "planted-centre", "name": "x", "kind": "castle"}
    doc = {**doc, "centres": [*doc["centres"], bad_centre]}
    with pytest.raises(NetworkValidationError) as caught:
        sv.Network.model_validate(doc)
    found = {(p.location, p.code) for p in caught.value.problems}
    assert (first.location, first.code) in found
    assert (f"centres[{len(doc['centres']) - 1}].kind", "enum") in found
