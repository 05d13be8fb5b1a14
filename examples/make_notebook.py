"""Write ``examples/ruian_walkthrough.ipynb`` from the cells below, without outputs.

Usage: ``python examples/make_notebook.py`` (needs ``nbformat``, in the ``dev`` extra).
The notebook is generated so that a change to it is a reviewable change to this file;
run the script again after editing a cell and commit both files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK = Path(__file__).resolve().parent / "ruian_walkthrough.ipynb"

CELLS: list[tuple[str, str]] = [
    (
        "md",
        """# Rui'an 2013: a walkthrough

In November 2013 the 瑞安日报 reported how Rui'an's few certified social workers (579 in
the whole city) led volunteer teams many times their size: the "社工+义工" model. This
notebook loads that network, checks it against the default rule pack, follows one of the
suggested remedies, looks at a month of sessions, runs a small staffing simulation and
makes a copy that is safe to share.""",
    ),
    (
        "code",
        """import sw_volunteer as sv
from sw_volunteer import simulation as sim

network = sv.datasets.ruian_2013()
network""",
    ),
    (
        "md",
        """## The network

Three centres, their social workers and volunteers, the clients they serve and who
supervises whom. With pandas installed, each kind of entity is a DataFrame. The fields
tagged sensitive are left out unless asked for: a volunteer's or a client's name, birth
date and volunteer number, a client's needs and notes. The volunteers' table below
therefore has no name or birth-date column. A social worker's name is not tagged
sensitive (it is the name of a professional at work), so the workers' table keeps it.""",
    ),
    (
        "code",
        """print(network.info.title)
for kind, count in network.counts().items():
    print(f"{kind:>16}: {count}")

try:
    from sw_volunteer.integrations import pandas as sv_pandas
except ImportError:  # the pandas extra is not installed
    sv_pandas = None
to_frames = getattr(sv_pandas, "network_to_frames", None)
if to_frames is not None:
    frames = to_frames(network)
    display(frames["volunteers"].head())""",
    ),
    ("md", "## Checking it against the default rule pack"),
    (
        "code",
        """report = sv.check(network)
print(report.render("en"))""",
    ),
    (
        "md",
        "In a notebook the report displays as tables, grouped by severity and code:",
    ),
    ("code", "report"),
    (
        "md",
        """## Following a remedy

One social worker at 育才 guides more volunteers than the pack allows. The first remedy
option moves the extra volunteers to colleagues with free places; `apply_remedy` returns
the changed network, which we check again.""",
    ),
    (
        "code",
        """from sw_volunteer.rules import apply_remedy

overload = report.of_code("supervisor_overloaded_volunteers")[0]
print(overload.render("en"))
fixed = apply_remedy(network, overload.remedy, on=report.on)
after = sv.check(fixed, on=report.on)
print("before:", report.counts_by_code())
print("after: ", after.counts_by_code())""",
    ),
    (
        "md",
        """## A month of sessions

Every occurrence of a recurring activity (the "4:30 school" runs each weekday afternoon)
is checked with the people who can actually come. The first week in detail, then the
whole month as a heatmap.""",
    ),
    (
        "code",
        """from datetime import datetime
from zoneinfo import ZoneInfo

from sw_volunteer.rules import check_schedule, schedule_report

shanghai = ZoneInfo("Asia/Shanghai")
week = (datetime(2013, 11, 18, tzinfo=shanghai), datetime(2013, 11, 23, tzinfo=shanghai))
print(schedule_report(network, *week))""",
    ),
    (
        "code",
        """plotting = None
try:
    from sw_volunteer.integrations import plotting
except ImportError:  # the plot extra is not installed
    print("pip install -e '.[plot]' in a clone of the project for the figures")

month = (datetime(2013, 11, 4, tzinfo=shanghai), datetime(2013, 12, 2, tzinfo=shanghai))
statuses = check_schedule(network, *month)
print(f"{sum(not s.ok for s in statuses)} of {len(statuses)} sessions short of staff")
if plotting is not None:
    plotting.plot_compliance_heatmap(statuses, network=network, by="activity")""",
    ),
    (
        "md",
        "The supervision graph, with everyone the report names ringed in red:",
    ),
    (
        "code",
        """if plotting is not None:
    plotting.plot_supervision_graph(network, report=report)""",
    ),
    (
        "md",
        """## A staffing simulation

Twenty-six weeks on from the network as it stands: volunteers join and leave, social
workers change jobs, sessions are held or short. A fixed seed makes it reproducible.""",
    ),
    (
        "code",
        """scenario = sim.Scenario.from_network(network, weeks=26)
result = sim.run(scenario, replications=200, seed=2013)
result""",
    ),
    (
        "code",
        """if plotting is not None:
    plotting.plot_fan_chart(result, "volunteers")""",
    ),
    (
        "md",
        """## A copy that is safe to share

`redact` replaces names with keyed pseudonyms, generalises dates, schools and needs,
and withholds the people who would still stand out, until every client and volunteer
shares what the copy says about them with at least 4 others (k = 5): two copies made
under different keys cannot be matched person by person with certainty. The report
says what it took.""",
    ),
    (
        "code",
        """from sw_volunteer.privacy import redact, redact_with_report

key = b"a key kept apart from the data!!"  # in practice: sw_volunteer.privacy.new_key()
shared = redact(network, key=key)
print(network.clients[0].name, "->", shared.clients[0].name)
report_of_redaction = redact_with_report(network, key=key)
print(report_of_redaction.achieved_k >= report_of_redaction.k)""",
    ),
    (
        "md",
        """## Staffing the 4:30 school's November on a solver

The check says which sessions are short; a planner says who should come. `staff_term`
rosters the studio's social workers and volunteers on every session of the 快乐四点半
school in November 2013, from their availability and absences, at most 6 hours a week
each, so that every session keeps the rules (it needs the `plan` extra, OR-Tools).""",
    ),
    (
        "code",
        """from datetime import datetime
from zoneinfo import ZoneInfo

from sw_volunteer import plan

shanghai = ZoneInfo("Asia/Shanghai")
november = (datetime(2013, 11, 1, tzinfo=shanghai), datetime(2013, 12, 1, tzinfo=shanghai))
school = ["yucai-430-junior", "yucai-430-senior"]
try:
    roster = plan.staff_term(network, november, activities=school, max_hours_per_week=6)
except ImportError:  # the plan extra is not installed
    roster = None
if roster is not None:
    print(plan.render_roster(roster).splitlines()[0])
    certified = {w.id for w in network.workers if w.certification.is_certified}
    sessions = roster.by_session().values()
    print(
        "every session has a certified social worker:",
        all(set(people) & certified for people in sessions),
    )
    staffed = sv.check(plan.apply_roster(network, roster), between=november)
    short = {v.entities[0] for v in staffed.violations if v.entities[0].startswith("yucai-430")}
    print("school sessions breaking a rule:", len(short))""",
    ),
]


def build() -> nbformat.NotebookNode:
    """The notebook, without outputs."""
    notebook = new_notebook(
        cells=[
            new_markdown_cell(source) if kind == "md" else new_code_cell(source)
            for kind, source in CELLS
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    # Stable cell ids keep the file's diff to the cells that changed.
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number:02d}"
    nbformat.validate(notebook)
    return notebook


def main() -> int:
    nbformat.write(build(), NOTEBOOK)
    print(NOTEBOOK)
    return 0


if __name__ == "__main__":
    sys.exit(main())
