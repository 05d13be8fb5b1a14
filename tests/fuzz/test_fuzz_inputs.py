"""A small, fast run of the project's own fuzzing of documents, packs and CSV rosters.

The long run is ``python tools/fuzz.py --documents --packs --rosters`` (20,000 inputs);
this one feeds a few hundred seeded inputs to each reader on every test run. Every
exception must be one of the documented errors and no input may run past the time
limit (every expansion of a schedule is bounded).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "_fuzz_inputs.py"


@pytest.fixture(scope="module")
def fuzz():
    spec = importlib.util.spec_from_file_location("_fuzz_inputs", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["_fuzz_inputs"] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("_fuzz_inputs", None)


@pytest.mark.parametrize(
    ("target", "count"), [("documents", 300), ("packs", 200), ("rosters", 200)]
)
def test_no_hostile_input_escapes_the_documented_errors(fuzz, target: str, count: int) -> None:
    outcome = fuzz.run(target, count, seed=14)
    assert outcome.inputs == count
    assert outcome.failures == []
    # the run reaches both sides: inputs the library accepts and inputs it refuses
    assert outcome.kinds["accepted"] > 0
    assert sum(outcome.kinds.values()) - outcome.kinds["accepted"] > 0


def test_the_seeds_are_valid_inputs(fuzz) -> None:
    assert fuzz.run.__module__ == "_fuzz_inputs"
    fuzz.TARGETS["documents"][1](fuzz.DOCUMENT_SEED)
    fuzz.TARGETS["packs"][1](fuzz.PACK_SEED)
    fuzz.TARGETS["rosters"][1](fuzz.ROSTER_SEED)


def test_the_watchdog_reports_a_hang(fuzz, monkeypatch: pytest.MonkeyPatch) -> None:
    def spin(_data: object) -> None:
        while True:
            pass

    generate, _ = fuzz.TARGETS["rosters"]
    monkeypatch.setitem(fuzz.TARGETS, "rosters", (generate, spin))
    outcome = fuzz.run("rosters", 1, time_limit=0.2)
    assert [error for _, error, _ in outcome.failures] == ["hang: over 0.2 s"]
