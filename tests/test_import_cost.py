"""``import sw_volunteer`` stays light: numpy and networkx load only when used.

Each check runs in a fresh interpreter, since this test process has long since
imported both.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("numpy", "networkx", "pandas", "matplotlib", "scipy")


def _loaded_after(code: str) -> dict[str, bool]:
    """Which of HEAVY a fresh interpreter has imported after running ``code``."""
    report = f"print(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    probe = f"{code}\nimport json, sys\n{report}"
    out = subprocess.run(  # noqa: S603 - the test's own interpreter and code
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded: dict[str, bool] = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded


def test_import_sw_volunteer_leaves_numpy_and_networkx_out():
    loaded = _loaded_after("import sw_volunteer")
    assert not any(loaded.values()), [m for m, on in loaded.items() if on]


def test_loading_and_checking_a_document_needs_no_numpy():
    code = (
        "import sw_volunteer as sv\n"
        "net = sv.datasets.ruian_2013()\n"
        "sv.loads(sv.dumps(net))\n"
        "sv.check(net)\n"
    )
    assert _loaded_after(code)["numpy"] is False


def test_the_simulation_package_is_imported_on_first_use():
    code = (
        "import sw_volunteer as sv, sys\n"
        "assert 'sw_volunteer.simulation' not in sys.modules\n"
        "assert callable(sv.simulation.run)\n"
        "from sw_volunteer import simulation\n"
        "assert simulation is sv.simulation\n"
    )
    assert _loaded_after(code)["numpy"] is True


def test_a_graph_analysis_imports_networkx_when_called():
    code = (
        "import sw_volunteer as sv\n"
        "net = sv.datasets.ruian_2013()\n"
        "g = sv.graph.supervision_graph(net)\n"
        "assert sv.graph.unsupervised(g) == sorted(sv.graph.unsupervised(g))\n"
    )
    assert _loaded_after(code)["networkx"] is True


def test_an_unknown_attribute_is_still_an_attribute_error():
    code = (
        "import sw_volunteer as sv\n"
        "try:\n"
        "    sv.no_such_name\n"
        "except AttributeError as exc:\n"
        "    assert 'no_such_name' in str(exc)\n"
        "else:\n"
        "    raise SystemExit(1)\n"
    )
    _loaded_after(code)
