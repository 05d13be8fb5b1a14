"""The Rui'an notebook runs top to bottom on a real Jupyter kernel, and says what it should."""

from __future__ import annotations

import json
import re
import runpy
import sys
from pathlib import Path

import pytest

from sw_volunteer.models import ENTITY_TYPES, sensitive_fields

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "ruian_walkthrough.ipynb"
KERNEL = "sw-volunteer-test"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    home = tmp_path_factory.mktemp("jupyter")
    spec = home / "data" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    # A kernel spec for the interpreter running the tests, so that the kernel sees the
    # same installed library; written to a temporary directory, never to the user's.
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "sw_volunteer tests",
                "language": "python",
                "env": {"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
            }
        )
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JUPYTER_PATH", str(home / "data"))
        env.setenv("JUPYTER_DATA_DIR", str(home / "data"))
        env.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
        env.setenv("JUPYTER_CONFIG_DIR", str(home / "config"))
        env.setenv("IPYTHONDIR", str(home / "ipython"))
        env.setenv("JUPYTER_PLATFORM_DIRS", "1")
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        client = nbclient.NotebookClient(
            notebook,
            kernel_name=KERNEL,
            timeout=120,
            resources={"metadata": {"path": str(home)}},
        )
        client.execute()  # raises CellExecutionError if any cell fails
    return notebook


def outputs(notebook: nbformat.NotebookNode, contains: str, *, exact: bool = False) -> list[dict]:
    """The outputs of the first code cell whose source contains (or is) ``contains``."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if (cell.source.strip() == contains) if exact else (contains in cell.source):
            return cell.outputs
    raise AssertionError(f"no cell with {contains!r}")


def text(cell_outputs: list[dict]) -> str:
    parts = []
    for out in cell_outputs:
        if out.get("output_type") == "stream":
            parts.append(out["text"])
        elif "data" in out:
            parts.append(out["data"].get("text/plain", ""))
    return "".join(parts)


def test_the_committed_notebook_is_the_generated_one_without_outputs() -> None:
    build = runpy.run_path(str(ROOT / "examples" / "make_notebook.py"))["build"]
    committed = nbformat.read(NOTEBOOK, as_version=4)
    assert [c.source for c in committed.cells] == [c.source for c in build().cells]
    assert all(not c.get("outputs") for c in committed.cells if c.cell_type == "code")


def test_every_cell_runs_and_errors_nowhere(executed) -> None:
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert all(o.get("output_type") != "error" for o in cell.outputs)


def test_the_report_is_printed_and_shown_as_html(executed) -> None:
    printed = text(outputs(executed, 'report.render("en")'))
    assert printed.startswith("Rule pack cn-default")
    assert "supervisor_overloaded_volunteers" in printed
    (shown,) = [o for o in outputs(executed, "report", exact=True) if "data" in o]
    assert "sw-volunteer-report" in shown["data"]["text/html"]


def test_following_the_remedy_clears_the_overload(executed) -> None:
    printed = text(outputs(executed, "apply_remedy(network"))
    before = next(line for line in printed.splitlines() if line.startswith("before:"))
    after = next(line for line in printed.splitlines() if line.startswith("after:"))
    assert "supervisor_overloaded_volunteers" in before
    assert "supervisor_overloaded_volunteers" not in after


def test_the_week_of_sessions_and_the_figures_are_there(executed) -> None:
    assert "Sessions 2013-11-18 to 2013-11-22" in text(outputs(executed, "schedule_report("))
    for marker in ("plot_compliance_heatmap", "plot_supervision_graph", "plot_fan_chart"):
        images = [o for o in outputs(executed, marker) if "image/png" in o.get("data", {})]
        assert len(images) == 1, marker


def test_the_simulation_shows_its_summary_table(executed) -> None:
    (shown,) = [o for o in outputs(executed, "sim.run(") if "data" in o]
    assert "sw-volunteer-simulation" in shown["data"]["text/html"]
    assert "200 replications" in shown["data"]["text/html"]


def test_the_redacted_copy_hides_names_and_is_k_anonymous(executed) -> None:
    printed = text(outputs(executed, "redact(network")).splitlines()
    original, pseudonym = printed[0].split(" -> ")
    assert original != pseudonym
    assert printed[1] == "True"


def test_the_table_under_the_privacy_note_shows_none_of_the_fields_it_says_are_left_out(
    executed,
) -> None:
    cells = executed.cells
    at = next(
        i for i, c in enumerate(cells) if c.cell_type == "code" and "network_to_frames" in c.source
    )
    note = cells[at - 1].source
    assert "left out" in note
    (table,) = [o for o in cells[at].outputs if "text/html" in o.get("data", {})]
    headers = set(re.findall(r"<th[^>]*>([^<]*)</th>", table["data"]["text/html"]))
    match = re.search(r'frames\["(\w+)"\]', cells[at].source)
    assert match is not None
    kind = {k.collection: k for k in ENTITY_TYPES}[match.group(1)]
    hidden = set(sensitive_fields(kind))
    assert hidden  # the table shown is one the note is about
    assert not hidden & headers
    assert {"centre", "skills"} <= headers  # it is the table, with its other columns
    for said, field in (("name", "name"), ("birth", "birth_date")):
        if said in note.split("left out")[1].split(".")[0]:
            assert field not in headers


def test_the_430_school_is_staffed_for_november(executed) -> None:
    shown = text(outputs(executed, "plan.staff_term("))
    assert "every session has a certified social worker: True" in shown
    assert "school sessions breaking a rule: 0" in shown
