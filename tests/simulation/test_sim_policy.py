"""The planner policy: each week re-rostered with who is there, by CP-SAT on counts."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.no_randomness import NOTHING_RANDOM

from sw_volunteer import simulation as sim
from sw_volunteer.cli import main
from sw_volunteer.errors import MissingDependencyError
from sw_volunteer.simulation import _policy
from sw_volunteer.vocab import ClientNeed, Setting

pytest.importorskip("ortools")

# Everything that could change a week at random is off: the week is the same every time.
STILL = {**NOTHING_RANDOM, "client_stay_weeks": 1e12}


def _week_scenario(policy: str, *, volunteers: int, clients: int, sessions: int) -> sim.Scenario:
    """One social worker (certified), ``volunteers`` adults giving one shift a week each."""
    hours = 3.0
    return sim.Scenario(
        weeks=2,
        centres=[
            sim.CentreStart(
                id="c",
                workers=sim.WorkerCounts(assistant=1),
                volunteers=volunteers,
                clients=clients,
                need="child_13_17",
                sessions_per_week=sessions,
                session_hours=hours,
            )
        ],
        # one shift a week for each volunteer: the hours of a shift, every week of a month
        volunteer_hours_per_month=hours * 52 / 12,
        policy=policy,
        **STILL,
    )


def test_a_hand_worked_week_the_planner_staffs_a_session_even_spreading_leaves_short():
    sessions, volunteers, clients = 3, 3, 45
    even = _week_scenario("even", volunteers=volunteers, clients=clients, sessions=sessions)
    ratio = even.limits.ratio_for(ClientNeed.CHILD_13_17, Setting.IN_CENTRE)
    assert ratio is not None
    needed = max(even.limits.min_adults, math.ceil(clients / ratio.max_clients_per_adult))
    per_session = needed - 1  # volunteers a session needs besides its social worker
    spread = [volunteers // sessions + (i < volunteers % sessions) for i in range(sessions)]
    within_even = sum(v >= per_session for v in spread)
    within_planner = min(sessions, volunteers // per_session)
    assert within_planner > within_even  # the case is worth having

    results = {
        policy: sim.run(even.model_copy(update={"policy": policy}), replications=3, seed=1)
        for policy in ("even", "planner")
    }
    assert (results["even"]["sessions_within_ratio"] == within_even).all()
    assert (results["planner"]["sessions_within_ratio"] == within_planner).all()
    # the same people give the same shifts; the planner puts them elsewhere
    assert (results["planner"]["volunteer_hours"] == results["even"]["volunteer_hours"]).all()
    assert (results["planner"]["sessions"] == results["even"]["sessions"]).all()


def test_staff_sessions_hand_worked():
    # 30 children at 1:12 need 3 adults: a social worker and 2 volunteers per session.
    week = _policy.WeekCounts(
        certified_ok=(True, True, True),
        workers=(1, 1, 1),
        clients=(30, 30, 30),
        adult_volunteers=4,
        other_volunteers=1,
        ratio=12.0,
    )
    adults, others = _policy.staff_sessions(week)
    assert sum(adults) == 4
    assert sorted(adults) == [0, 2, 2]
    assert sum(a + o for a, o in zip(adults, others, strict=True)) == 5  # everyone placed
    # the third session cannot run (1 adult, 2 needed): its volunteer goes to a staffed one
    empty = adults.index(0)
    assert others[empty] == 0


_NEEDS = [None, "child_6_8", "child_13_17", "elderly_frail", "psychiatric_rehabilitation"]


@st.composite
def _scenarios(draw: st.DrawFn) -> sim.Scenario:
    centres = [
        sim.CentreStart(
            id=f"c{i}",
            workers=sim.WorkerCounts(
                none=draw(st.integers(0, 2)),
                assistant=draw(st.integers(0, 2)),
                intermediate=draw(st.integers(0, 1)),
            ),
            volunteers=draw(st.integers(0, 12)),
            adult_volunteer_share=draw(st.sampled_from([0.0, 0.5, 0.8, 1.0])),
            clients=draw(st.integers(0, 40)),
            need=draw(st.sampled_from(_NEEDS)),
            setting=draw(st.sampled_from(["in_centre", "outing"])),
            sessions_per_week=draw(st.integers(0, 4)),
            clients_per_session=draw(st.sampled_from([None, 8, 20])),
            workers_per_session=draw(st.sampled_from([None, 1, 2])),
            recruitment_per_week=draw(st.sampled_from([0.0, 0.5])),
        )
        for i in range(draw(st.integers(1, 2)))
    ]
    scenario = sim.Scenario(
        weeks=3,
        centres=centres,
        volunteer_hours_per_month=draw(st.sampled_from([0.55, 5.0, 13.0, 30.0])),
        no_show=draw(st.sampled_from([0.0, 0.1, 0.5])),
        worker_absence=draw(st.sampled_from([0.0, 0.05, 0.4])),
        client_attendance=draw(st.sampled_from([0.5, 0.9, 1.0])),
    )
    return scenario.with_values(
        {
            "limits.max_volunteers_on_shift_per_worker": draw(st.sampled_from([None, 1, 3])),
            "limits.volunteer_weight": draw(st.sampled_from([1.0, 0.5])),
        }
    )


@given(_scenarios(), st.integers(0, 2**16))
def test_the_planner_never_holds_fewer_sessions_within_the_limits(scenario, seed):
    even = sim.run(scenario, replications=3, seed=seed)
    planner = sim.run(scenario.model_copy(update={"policy": "planner"}), replications=3, seed=seed)
    # the same people, the same clients, the same sessions held: only the roster differs
    for metric in ("workers", "volunteers", "clients", "sessions", "clients_waiting"):
        assert (planner[metric] == even[metric]).all(), metric
    assert (planner["sessions_within_ratio"] >= even["sessions_within_ratio"]).all()
    assert (planner["sessions_within_ratio"] <= planner["sessions"]).all()
    # nobody is counted twice: the planner places at most the shifts the people give
    shifts = np.floor(
        even["volunteers"] * _shifts_per_volunteer(scenario)[None, None, :] + 0.5
    ).astype(int)
    assert (planner["volunteer_hours"] <= shifts * _hours(scenario) + 1e-9).all()


def _shifts_per_volunteer(scenario: sim.Scenario) -> np.ndarray:
    return np.array(
        [scenario.volunteer_hours_per_month / (52 / 12) / c.session_hours for c in scenario.centres]
    )


def _hours(scenario: sim.Scenario) -> np.ndarray:
    return np.array([c.session_hours for c in scenario.centres])


def _ruian_planner(weeks: int = 4) -> sim.Scenario:
    from sw_volunteer import datasets

    return sim.Scenario.from_network(datasets.ruian_2013(), weeks=weeks, policy="planner")


def test_the_same_seed_gives_the_same_result_in_one_or_two_processes():
    scenario = _ruian_planner()
    _policy.forget_weeks()
    cold = sim.run(scenario, replications=8, seed=11)
    warm = sim.run(scenario, replications=8, seed=11, chunk_size=3)  # the memo is full now
    with ProcessPoolExecutor(max_workers=2) as pool:
        spread = sim.run(scenario, replications=8, seed=11, executor=pool, chunk_size=3)
    for metric in sim.METRICS:
        assert (cold[metric] == warm[metric]).all(), metric
        assert (cold[metric] == spread[metric]).all(), metric
    other = sim.run(scenario, replications=8, seed=12)
    assert not (other["client_hours_served"] == cold["client_hours_served"]).all()


def test_results_name_the_policy_and_keep_it_when_saved(tmp_path):
    result = sim.run(_ruian_planner(2), replications=2, seed=3)
    assert result.policy == "planner"
    assert "policy='planner'" in repr(result)
    assert "规划求解排班" in result.policy_label("zh")
    assert "the planner (CP-SAT)" in result._repr_html_()
    loaded = sim.SimulationResult.load(result.save(tmp_path / "run.npz"))
    assert loaded.policy == "planner"
    assert (loaded["sessions_within_ratio"] == result["sessions_within_ratio"]).all()
    even = sim.run(_ruian_planner(2).model_copy(update={"policy": "even"}), replications=2)
    assert even.policy == "even"
    assert sim.Scenario.model_validate_json(_ruian_planner(2).model_dump_json()).policy == "planner"


def test_a_sweep_compares_the_policies_on_the_same_draws():
    results = sim.sweep(_ruian_planner(3), {"policy": ["even", "planner"]}, replications=4, seed=5)
    (_, even), (_, planner) = results
    assert (even.policy, planner.policy) == ("even", "planner")
    assert (planner["sessions_within_ratio"] >= even["sessions_within_ratio"]).all()


def test_simulate_policy_on_the_command_line(tmp_path):
    path = tmp_path / "scenario.json"
    path.write_text(
        _week_scenario("even", volunteers=3, clients=45, sessions=3).model_dump_json(),
        encoding="utf-8",
    )
    out = io.StringIO()
    args = ["simulate", str(path), "--replications", "2", "--seed", "1", "--quiet"]
    assert main([*args, "--policy", "planner", "--format", "json"], out=out) == 0
    assert json.loads(out.getvalue())["policy"] == "planner"
    out = io.StringIO()
    assert main([*args, "--lang", "zh"], out=out) == 0
    assert "排班方式 均衡分配" in out.getvalue().splitlines()[0]
    out = io.StringIO()
    assert main([*args, "--policy", "planner", "--lang", "zh"], out=out) == 0
    assert "排班方式 规划求解排班" in out.getvalue().splitlines()[0]
    err = io.StringIO()
    assert main([*args, "--policy", "greedy"], out=io.StringIO(), err=err) == 2


def test_without_ortools_the_planner_policy_names_the_extra(monkeypatch, tmp_path):
    for name in ("ortools", "ortools.sat", "ortools.sat.python", "ortools.sat.python.cp_model"):
        monkeypatch.setitem(sys.modules, name, None)
    scenario = _week_scenario("planner", volunteers=3, clients=45, sessions=3)
    with pytest.raises(MissingDependencyError, match=r"pip install -e '\.\[plan\]'"):
        sim.run(scenario, replications=2, seed=1)
    assert sim.run(scenario.model_copy(update={"policy": "even"}), replications=2, seed=1)
    path = tmp_path / "scenario.json"
    path.write_text(scenario.model_dump_json(), encoding="utf-8")
    err = io.StringIO()
    code = main(
        ["simulate", str(path), "--replications", "2", "--quiet"], out=io.StringIO(), err=err
    )
    assert code == 2  # unusable: one line naming the extra, no traceback
    assert "[plan]" in err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_without_ortools_in_a_fresh_interpreter():
    code = (
        "import sys\n"
        "sys.modules['ortools'] = None\n"
        "from sw_volunteer import simulation as sim\n"
        "from sw_volunteer.errors import MissingDependencyError\n"
        "s = sim.Scenario(weeks=2, centres=[sim.CentreStart(id='a', volunteers=5, clients=9)])\n"
        "print('even:', sim.run(s, replications=2, seed=1).policy)\n"
        "try:\n"
        "    sim.run(s.model_copy(update={'policy': 'planner'}), replications=2, seed=1)\n"
        "except MissingDependencyError as e:\n"
        "    print('missing:', e)\n"
    )
    done = subprocess.run(  # noqa: S603 - the test's own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "even: even"
    assert lines[1].startswith("missing: ")
    assert "pip install -e '.[plan]'" in lines[1]
