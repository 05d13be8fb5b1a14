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


def _tree(tmp_path, files: dict[str, str]):
    root = tmp_path / "sw_volunteer"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in {p.parent for p in root.rglob("*.py")} | {root}:
        (folder / "__init__.py").touch()
    return root


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    checker = _checker()
    root = _tree(
        tmp_path,
        {
            "rules/_a.py": "from sw_volunteer.rules._b import g\n",
            "rules/_b.py": "def g():\n    from sw_volunteer.rules import _a\n    return _a\n",
            "rules/_c.py": "from sw_volunteer.rules._a import g\n",  # imports the cycle only
        },
    )
    [breach] = checker.check_cycles(root)
    assert breach.why == (
        "import cycle: sw_volunteer.rules._a -> sw_volunteer.rules._b -> sw_volunteer.rules._a"
    )
    assert (breach.module, breach.line) == ("sw_volunteer/rules/_a.py", 1)


def test_imports_for_the_type_checker_only_make_no_cycle(tmp_path):
    checker = _checker()
    root = _tree(
        tmp_path,
        {
            "rules/_a.py": "from sw_volunteer.rules._b import g\n",
            "rules/_b.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from sw_volunteer.rules._a import x\n"
                "def g():\n    pass\n"
            ),
        },
    )
    assert checker.check_cycles(root) == []


def test_string_imports_are_imports_for_layers_and_cycles(tmp_path):
    checker = _checker()
    root = _tree(
        tmp_path,
        {
            "models/_x.py": (
                "import importlib\n"
                "def f(name):\n"
                "    importlib.import_module('sw_volunteer.rules._r')\n"
                "    __import__('sw_volunteer.cli')\n"
                "    return importlib.import_module(name)\n"
            ),
            "rules/_r.py": "from sw_volunteer.models._x import f\n",
        },
    )
    breaches = checker.check_file(root / "models" / "_x.py", root)
    assert [(b.line, b.imported) for b in breaches] == [
        (3, "sw_volunteer.rules._r"),
        (4, "sw_volunteer.cli"),
        (5, "?"),
    ]
    assert "nothing may import cli" in breaches[1].why
    assert "not a constant absolute name" in breaches[2].why
    [cycle] = checker.check_cycles(root)
    assert cycle.why == (
        "import cycle: sw_volunteer.models._x -> sw_volunteer.rules._r -> sw_volunteer.models._x"
    )
