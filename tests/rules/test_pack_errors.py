"""Rule packs that cannot be used: every one a RulePackError naming the file, line and problem."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sw_volunteer import simulation as sim
from sw_volunteer.errors import (
    Problem,
    RuleConfigurationError,
    RuleError,
    RulePackError,
    SimulationError,
)
from sw_volunteer.rules import Rule, RulePack, load_pack, parse_pack

_HEADER = 'id: local\nversion: "1"\njurisdiction: Local\neffective: 2014-01-01\n'
_OVERRIDE = (
    _HEADER
    + "extends: cn-default\nrules:\n  - id: supervision.workers.warning\n"
    + "    source: a local guideline\n    params: "
)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_repeated_key_is_refused_not_overwritten() -> None:
    text = _OVERRIDE + "{limit: 6, limit: 60}\n"
    with pytest.raises(RulePackError) as caught:
        parse_pack(text, source="local.yaml")
    (problem,) = caught.value.problems
    assert problem.code == "duplicate_key"
    assert problem.location.startswith(f"local.yaml, line {_line_of(text, 'params')},")
    assert "'limit'" in problem.message  # a parameter name is shown


def test_a_repeated_key_that_is_data_is_not_echoed() -> None:
    text = _HEADER + "description: x\n金某某: 1\n金某某: 2\n"
    with pytest.raises(RulePackError) as caught:
        parse_pack(text, source="local.yaml")
    assert caught.value.problems[0].code == "duplicate_key"
    assert "金某某" not in str(caught.value)


def test_yes_is_not_read_as_a_number() -> None:
    with pytest.raises(RulePackError) as caught:
        parse_pack(_OVERRIDE + "{limit: yes}\n", source="local.yaml")
    (problem,) = caught.value.problems
    assert "params.limit" in problem.location
    assert problem.code == "int_parsing"
    # and the same pack with a number loads
    pack = parse_pack(_OVERRIDE + "{limit: 6}\n", source="local.yaml")
    assert pack.rule("supervision.workers.warning").params["limit"] == 6


@pytest.mark.parametrize(
    ("tail", "code"),
    [
        ("{1: 2}\n", "bad_yaml"),  # a key that is not text
        ("{limit: [6\n", "not_yaml"),  # a syntax error
        ("{limit: !!python/object:os.system x}\n", "unsafe_yaml_tag"),
        ("{limit: !!set [6]}\n", "unsafe_yaml_tag"),
        ("{limit: " + "[" * 3000 + "6" + "]" * 3000 + "}\n", "too_deep"),
    ],
)
def test_unreadable_yaml_is_a_located_pack_error(tail: str, code: str) -> None:
    text = _OVERRIDE + tail
    with pytest.raises(RulePackError) as caught:
        parse_pack(text, source="local.yaml")
    (problem,) = caught.value.problems
    assert problem.code == code
    assert problem.location.startswith("local.yaml, line ")


def test_a_pack_that_extends_itself_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "self.yaml"
    path.write_text(_HEADER + "extends: ./self.yaml\n", encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        load_pack(path)
    assert caught.value.problems[0].code == "pack_cycle"
    assert str(path) in str(caught.value)


def test_a_cycle_of_packs_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(_HEADER + "extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(_HEADER + "extends: a.yaml\n", encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        load_pack(tmp_path / "a.yaml")
    assert caught.value.codes == ("pack_cycle",)


def test_a_long_chain_of_packs_is_refused(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"p{i}.yaml").write_text(_HEADER + f"extends: p{i + 1}.yaml\n", "utf-8")
    (tmp_path / "p30.yaml").write_text(_HEADER, encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        load_pack(tmp_path / "p0.yaml")
    assert caught.value.codes == ("too_deep",)


def test_a_missing_pack_file_is_a_pack_error(tmp_path: Path) -> None:
    with pytest.raises(RulePackError) as caught:
        load_pack(tmp_path / "nowhere.yaml")
    assert caught.value.codes == ("unreadable",)


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"id": "x", "version": "1", "jurisdiction": "j", "effective": "not a day"},
        {"id": "", "version": "1", "jurisdiction": "j", "effective": "2014-01-01"},
    ],
)
def test_model_validate_raises_the_librarys_error(bad: dict[str, object]) -> None:
    with pytest.raises(RulePackError) as caught:
        RulePack.model_validate(bad)
    assert caught.value.problems
    assert all(isinstance(p, Problem) and p.location for p in caught.value.problems)


def test_rule_errors_carry_problem_records() -> None:
    with pytest.raises(RuleConfigurationError) as caught:
        Rule(id="r", kind="max_workers_per_supervisor", params={"limit": -1})
    (problem,) = caught.value.problems
    assert problem.location == "params.limit"
    assert "'r'" in str(caught.value)
    again = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own error
    assert again.problems == caught.value.problems
    with pytest.raises(RuleError) as plain:
        RulePack(id="p", version="1", jurisdiction="j", effective="2014-01-01", rules=(1,))
    assert plain.value.problems


def test_simulation_errors_carry_problem_records() -> None:
    scenario = sim.Scenario(centres=[sim.CentreStart(id="a", volunteers=3)])
    with pytest.raises(SimulationError) as caught:
        scenario.with_values({"nope": 1, "limits.nope": 2})
    assert [p.location for p in caught.value.problems] == ["'nope'", "'limits.nope'"]
    with pytest.raises(SimulationError) as run:
        sim.run(scenario, replications=0)
    assert run.value.problems[0].location == "replications"


@pytest.mark.parametrize("name", ["x" * 5000, "a\x00b", "../" * 2000 + "p.yaml"])
def test_a_base_pack_name_the_system_cannot_open_is_an_unknown_base(name: str) -> None:
    # found by tools/fuzz.py: a name too long for the file system raised OSError
    text = _HEADER + f"extends: {name!r}\n".replace("'", '"').replace("\\x00", "\\0")
    with pytest.raises(RulePackError) as caught:
        parse_pack(text, source="local.yaml")
    assert caught.value.codes == ("unknown_base",)


def test_rule_errors_cross_a_dask_boundary() -> None:
    """Dask installs tblib's exception pickling, which pickles an error's context too."""
    import sw_volunteer.integrations.dask  # noqa: F401 - installs distributed's pickling

    with pytest.raises(RuleConfigurationError) as caught:
        Rule(id="r", kind="max_workers_per_supervisor", params={"limit": -1})
    assert caught.value.__context__ is None  # no pydantic error rides along
    again = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own error
    assert again.problems == caught.value.problems
