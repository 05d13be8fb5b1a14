"""The simulate command and the simulation part of the demo."""

from __future__ import annotations

import io

from sw_volunteer import datasets, dump
from sw_volunteer import simulation as sim
from sw_volunteer.cli import main


def test_simulate_a_network_file_prints_figures_and_saves(tmp_path):
    network = tmp_path / "ruian.yaml"
    dump(datasets.ruian_2013(), network)
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "result.npz"
    code = main(
        [
            "simulate",
            str(network),
            "--weeks",
            "6",
            "--replications",
            "30",
            "--seed",
            "5",
            "--out",
            str(target),
        ],
        out=out,
        err=err,
    )
    assert code == 0
    text = out.getvalue()
    assert "30 replications x 6 weeks, 3 centres" in text
    assert "share of sessions within every limit" in text
    assert err.getvalue() == ""  # no progress bar on a stream that is not a terminal
    saved = sim.SimulationResult.load(target)
    assert saved.seed == (5, ())
    again = sim.run(
        sim.Scenario.from_network(datasets.ruian_2013(), weeks=6), replications=30, seed=5
    )
    assert (saved["volunteers"] == again["volunteers"]).all()


def test_simulate_a_scenario_file(tmp_path):
    scenario = sim.Scenario(weeks=4, centres=[sim.CentreStart(id="a", volunteers=5)])
    path = tmp_path / "scenario.json"
    path.write_text(scenario.model_dump_json(), encoding="utf-8")
    out = io.StringIO()
    code = main(
        ["simulate", str(path), "--replications", "3", "--quiet"], out=out, err=io.StringIO()
    )
    assert code == 0
    assert "3 replications x 4 weeks, 1 centres" in out.getvalue()


def test_simulate_an_invalid_or_unusable_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("weeks: 0\ncentres: []\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["simulate", str(path), "--quiet"], out=out, err=err) == 1  # read, invalid
    assert "weeks" in err.getvalue()
    assert out.getvalue() == ""
    missing = str(tmp_path / "missing.yaml")
    assert main(["simulate", missing], out=io.StringIO(), err=io.StringIO()) == 2


def test_demo_runs_a_small_simulation_of_ruian():
    out = io.StringIO()
    assert main(["demo"], out=out) == 0
    text = out.getvalue()
    assert "Staffing simulation" in text
    assert "200 replications x 26 weeks, 3 centres" in text
