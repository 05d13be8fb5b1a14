from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parent.parent / "tools" / "check_layers.py"


def _checker():
    spec = importlib.util.spec_from_file_location("check_layers", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_layers"] = module
    spec.loader.exec_module(module)
    return module


def test_the_package_keeps_its_layers():
    breaches = _checker().check_tree()
    assert breaches == [], "\n".join(map(str, breaches))


def test_the_check_catches_an_upward_import_and_a_misplaced_dependency(tmp_path):
    checker = _checker()
    root = tmp_path / "sw_volunteer"
    (root / "models").mkdir(parents=True)
    bad = root / "models" / "_bad.py"
    bad.write_text(
        "import numpy\nfrom sw_volunteer.rules import check\n"
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pandas\n",
        encoding="utf-8",
    )
    breaches = checker.check_file(bad, root)
    assert [(b.line, b.imported) for b in breaches] == [
        (1, "numpy"),
        (2, "sw_volunteer.rules"),
    ]


def test_siblings_graph_and_scheduling_may_not_import_each_other(tmp_path):
    checker = _checker()
    root = tmp_path / "sw_volunteer"
    (root / "graph").mkdir(parents=True)
    bad = root / "graph" / "_x.py"
    bad.write_text("from sw_volunteer.scheduling import Schedule\n", encoding="utf-8")
    [breach] = checker.check_file(bad, root)
    assert "siblings" in breach.why
