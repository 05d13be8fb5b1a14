"""An outing's papers name clients and drivers only by id: redaction renames or drops them."""

from __future__ import annotations

from sw_volunteer.datasets import ruian_2013
from sw_volunteer.models import Activity, Network, Vehicle
from sw_volunteer.privacy import redact, redact_with_report

KEY = b"a key of sixteen bytes or more"


def _with_a_driver() -> Network:
    net = ruian_2013()
    trip = net.get("liqun-farm-2013-11-18")
    assert isinstance(trip, Activity)
    van = Vehicle(name="面包车", seats=7, driver="liqun-v01")
    return net.with_replaced(trip.model_copy(update={"transport": (*trip.transport, van)}))


def test_consents_and_drivers_are_pseudonymised():
    net = _with_a_driver()
    shared = redact(net, key=KEY, profile=None)
    original = {e.id for e in net.entities()}
    for activity in shared.activities:
        named = {c.client for c in activity.guardian_consents}
        named |= {v.driver for v in activity.transport if v.driver is not None}
        assert not named & original
        assert {c.client for c in activity.guardian_consents} <= activity.clients


def test_withheld_clients_leave_no_consent_behind():
    shared = redact_with_report(_with_a_driver(), key=KEY)
    assert shared.suppressed["clients"] > 0  # some clients were withheld
    people = {e.id for e in shared.network.entities()}
    for activity in shared.network.activities:
        assert {c.client for c in activity.guardian_consents} <= activity.clients
        drivers = {v.driver for v in activity.transport if v.driver is not None}
        assert drivers <= people
