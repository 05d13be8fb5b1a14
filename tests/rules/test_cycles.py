"""Supervision cycles: every cycle found is real, and the same on every run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import sw_volunteer as sv
from sw_volunteer.rules import apply_remedy

DAY = date(2013, 11, 18)


def looped() -> sv.Network:
    """Centre a: w1 -> w2 -> w3 -> w1 and w3 <-> w4, one component of four. Centre b:
    x1 <-> x2. Everyone also guides a volunteer, which never closes a cycle."""
    people = {"a": ["w1", "w2", "w3", "w4"], "b": ["x1", "x2"]}
    loops = [("w1", "w2"), ("w2", "w3"), ("w3", "w1"), ("w3", "w4"), ("w4", "w3")]
    loops += [("x1", "x2"), ("x2", "x1")]
    workers = [
        sv.SocialWorker(id=w, name="W", centre=c, certification="intermediate")
        for c, ws in people.items()
        for w in ws
    ]
    volunteers = [sv.Volunteer(id=f"v{w.id}", name="V", centre=w.centre) for w in workers]
    edges = [
        sv.Supervision(
            id=f"p{i}", supervisor=u, supervisee=v, kind="professional", start=date(2013, 1, 1)
        )
        for i, (u, v) in enumerate(loops)
    ] + [
        sv.Supervision(
            id=f"g{w.id}", supervisor=w.id, supervisee=f"v{w.id}", kind="guidance", start=DAY
        )
        for w in workers
    ]
    return sv.Network(
        centres=[sv.Centre(id="a", name="A"), sv.Centre(id="b", name="B")],
        workers=workers,
        volunteers=volunteers,
        supervisions=edges,
    )


def _cycles(network: sv.Network) -> list[sv.rules.Violation]:
    return list(sv.check(network, on=DAY).of_code("supervision_cycle"))


def test_one_violation_per_component_along_real_edges_in_document_order():
    network = looped()
    found = _cycles(network)
    assert len(found) == 2
    edges = {(s.supervisor, s.supervisee) for s in network.supervisions}
    for violation, component in zip(found, [{"w1", "w2", "w3", "w4"}, {"x1", "x2"}], strict=True):
        people = list(violation.entities)
        assert set(people) <= component
        assert len(set(people)) == len(people) == violation.observed >= 2
        for u, v in zip(people, [*people[1:], people[0]], strict=True):
            assert (u, v) in edges


def test_ending_the_named_edge_breaks_that_cycle():
    network = looped()
    first = _cycles(network)[0]
    assert first.remedy is not None
    fixed = apply_remedy(network, first.remedy, on=DAY)
    for violation in _cycles(fixed):
        # whatever cycle remains is another one: it does not use the ended edge
        assert violation.entities != first.entities


def test_no_professional_edges_no_cycle_whatever_the_guidance():
    network = looped()
    guidance_only = network.with_removed(
        *(s.id for s in network.supervisions if s.kind is sv.SupervisionKind.PROFESSIONAL)
    )
    assert _cycles(guidance_only) == []


_SCRIPT = """
import json, sys
from datetime import date
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from test_cycles import DAY, looped
import sw_volunteer as sv
print(json.dumps([v.entities for v in sv.check(looped(), on=DAY).of_code("supervision_cycle")]))
"""


def test_the_cycle_reported_does_not_depend_on_string_hashing():
    here = str(Path(__file__).resolve().parent)
    runs = set()
    for seed in ("0", "1", "2"):
        out = subprocess.run(  # noqa: S603 - the test's own interpreter and script
            [sys.executable, "-c", _SCRIPT, here],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        runs.add(out.stdout)
    assert len(runs) == 1
    assert len(json.loads(runs.pop())) == 2
