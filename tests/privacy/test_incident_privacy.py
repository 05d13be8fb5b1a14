"""Incidents in the privacy tools: counted per centre and severity, never who was involved."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sw_volunteer.models import Centre, Incident, Network
from sw_volunteer.privacy import aggregate, audit, redact
from sw_volunteer.vocab import IncidentSeverity

from .conftest import KEY, build_network

ON = date(2013, 11, 30)
SEVERITIES = [s.value for s in IncidentSeverity]


def incidents(counts: dict[tuple[str, str], int]) -> Network:
    """Centres a and b with ``counts[(centre, severity)]`` incidents each."""
    at = datetime(2013, 11, 1, 9, 0, tzinfo=UTC)
    made = [
        Incident(
            id=f"i-{centre}-{severity}-{n}",
            at=at + timedelta(hours=n),
            centre=centre,
            severity=severity,
            involved={f"k-{n}"},
            description="跌倒",
        )
        for (centre, severity), number in counts.items()
        for n in range(number)
    ]
    return Network(centres=[Centre(id="a", name="A"), Centre(id="b", name="B")], incidents=made)


def incident_cells(net: Network, threshold: int = 5) -> dict[tuple[str, str], int | None]:
    table = aggregate(net, on=ON, threshold=threshold)
    return {(c.centre, c.category): c.count for c in table.cells if c.role == "incident"}


def test_counts_by_hand() -> None:
    # centre a: 6 minor, 1 serious (7 in all); centre b: none
    cells = incident_cells(incidents({("a", "minor"): 6, ("a", "serious"): 1}))
    assert cells[("b", "all")] == 0
    assert cells[("a", "serious")] is None  # 1 < 5: suppressed
    # with the total (7) and minor (6) shown, serious would be 7 - 6: one more is hidden
    assert [cells[("a", "all")], cells[("a", "minor")]].count(None) >= 1
    assert cells[("a", "moderate")] in {0, None}


def test_incidents_after_the_day_are_not_counted() -> None:
    net = incidents({("a", "minor"): 5})  # all on 1 November 2013
    before = aggregate(net, on=date(2013, 10, 31))
    assert {c.count for c in before.cells if c.role == "incident"} == {0}
    assert incident_cells(net)[("a", "all")] == 5


@given(
    counts=st.dictionaries(
        st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(SEVERITIES)),
        st.integers(0, 12),
        max_size=6,
    ),
    threshold=st.integers(2, 6),
)
def test_shown_counts_are_the_records_and_the_audit_passes(
    counts: dict[tuple[str, str], int], threshold: int
) -> None:
    net = incidents(counts)
    cells = incident_cells(net, threshold)
    truth = Counter((i.centre, i.severity.value) for i in net.incidents)
    for centre in ("a", "b"):
        total = sum(n for (c, _), n in truth.items() if c == centre)
        for category, expected in [("all", total)] + [(s, truth[centre, s]) for s in SEVERITIES]:
            shown = cells[(centre, category)]
            assert shown is None or shown == expected
            if 0 < expected < threshold:
                assert shown is None
    assert audit(aggregate(net, on=ON, threshold=threshold)).passed


def test_redaction_pseudonymises_the_people_and_drops_the_text() -> None:
    net = build_network("秘密")
    (before,) = net.incidents
    (after,) = redact(net, key=KEY, profile=None).incidents
    assert after.severity is before.severity
    assert not (after.involved & before.involved)
    assert len(after.involved) == len(before.involved)
    assert after.description is not None
    assert "秘密" not in after.description
    assert after.follow_up is not None  # a follow-up was recorded: that much stays
    assert "秘密" not in after.follow_up
