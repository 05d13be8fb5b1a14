"""``sw-volunteer plan`` and ``sw-volunteer roster``: text, JSON, CSV, Chinese, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

import sw_volunteer as sv
from sw_volunteer import datasets, dump
from sw_volunteer.cli import main
from sw_volunteer.plan import NOT_FIXED

_TOKEN = re.compile(r"[A-Za-z0-9_.\-@:/+%]+")
_WORD = re.compile(r"[A-Za-z]{3,}")
_IDS = frozenset(e.id for e in datasets.ruian_2013().entities())
_ROSTER = ("--start", "2013-11-18", "--days", "5", "--activity", "yucai-430-junior")


def english_words(text: str) -> list[str]:
    """English words left once ids, rule codes, dates, times and numbers are removed."""
    words: list[str] = []
    for token in _TOKEN.findall(text):
        if re.search(r"[\d_.\-]", token) or token in _IDS:
            continue
        words.extend(_WORD.findall(token))
    return words


@pytest.fixture(scope="module")
def network_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "ruian.yaml"
    dump(datasets.ruian_2013(), path)
    return path


@cache
def run(*argv: str) -> tuple[int, str]:
    """The exit status and what was printed: the result, or for unusable input (2) stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, err.getvalue() if code == 2 else out.getvalue()


def _left_to_others(report: sv.Report) -> list[sv.Violation]:
    """The breaches of kinds the cheapest fix leaves to someone else (a roster, a recorder)."""
    kinds = {rule.id: rule.kind for rule in sv.rules.pack("cn-default").rules}
    return [v for v in report.violations if kinds[v.rule_id] in NOT_FIXED]


def test_plan_lists_actions_and_what_it_leaves(network_file: Path):
    code, text = run("plan", str(network_file))
    report = sv.check(datasets.ruian_2013())
    left = _left_to_others(report)
    assert code == 1  # a session breach is left to the roster, a record to its recorder
    assert text.startswith("Cheapest fix from 2013-11-19: optimal, total cost ")
    assert f"Breaches not cleared ({len(left)}):" in text
    assert text.count("\n  [") == len(report.violations)


def test_plan_json_and_csv_carry_the_same_actions(network_file: Path):
    _, as_json = run("plan", str(network_file), "--format", "json")
    _, as_csv = run("plan", str(network_file), "--format", "csv")
    data = json.loads(as_json)
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert data["status"] == "optimal"
    assert [a["action"] for a in data["actions"]] == [r["action"] for r in rows]
    assert [a.get("entity", "") for a in data["actions"]] == [r["entity"] for r in rows]


def test_plan_apply_writes_the_network_after_the_plan(network_file: Path, tmp_path: Path):
    after = tmp_path / "after.yaml"
    code, _ = run("plan", str(network_file), "--apply", str(after))
    assert code == 1
    codes = {v.code for v in sv.check(sv.load(after), on=date(2013, 11, 19)).violations}
    # what a fix cannot clear: the session breach, the record that counts the ride home
    assert codes == {v.code for v in _left_to_others(sv.check(datasets.ruian_2013()))}
    assert "no_certified_worker" in codes


def test_costs_are_read_and_bad_ones_named(network_file: Path):
    code, text = run("plan", str(network_file), "--cost", "move=4", "--format", "json")
    moves = sum(a["action"] == "move_supervisee" for a in json.loads(text)["actions"])
    assert code == 1
    assert json.loads(text)["cost"] == 4 * moves + 1.0  # and one consent
    code, text = run("plan", str(network_file), "--cost", "teleport=1")
    assert code == 2
    assert "'teleport'" in text
    assert "move" in text
    code, text = run("plan", str(network_file), "--cost", "move")
    assert code == 2
    assert "KEY=NUMBER" in text


def test_roster_text_json_csv(network_file: Path):
    code, text = run("roster", str(network_file), *_ROSTER)
    assert code == 0
    _, as_json = run("roster", str(network_file), *_ROSTER, "--format", "json")
    _, as_csv = run("roster", str(network_file), *_ROSTER, "--format", "csv")
    data = json.loads(as_json)
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    sessions = {a["session"] for a in data["assignments"]}
    assert len(sessions) == 5  # Monday to Friday
    assert len(rows) == len(data["assignments"])
    # one line a session, as people read it: weekday, local times, activity
    for day in range(18, 23):
        weekday = ("Mon", "Tue", "Wed", "Thu", "Fri")[day - 18]
        assert f"\n  {weekday} 2013-11-{day} 16:30-18:00 yucai-430-junior: " in text
    assert "@" not in text


def test_bad_roster_input_is_named(network_file: Path):
    code, text = run("roster", str(network_file), *_ROSTER, "--weight", "beauty=1")
    assert (code, "'beauty'" in text) == (2, True)
    code, text = run("roster", str(network_file), "--start", "2013-11-18", "--activity", "nope")
    assert (code, "'nope'" in text) == (2, True)


@pytest.mark.parametrize("command", ["plan", "roster"])
def test_chinese_output_has_no_english_words(network_file: Path, command: str):
    argv = [command, str(network_file), "--lang", "zh"]
    if command == "roster":
        argv += list(_ROSTER)
    _, text = run(*argv)
    assert not english_words(text), sorted(set(english_words(text)))
    assert ("整改动作" if command == "plan" else "排班") in text
