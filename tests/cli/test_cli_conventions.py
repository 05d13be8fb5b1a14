"""The command line's conventions, the same for every command.

Results on stdout, diagnostics on stderr; one exit-code scheme, stated in ``--help``;
``--format json`` on every command that prints a result; embedded datasets by name;
``simulate --out`` writes what the extension says; a progress bar only on a terminal;
a closed pipe is quiet; ``--lang zh`` covers every line a command prints.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sw_volunteer import datasets, dump
from sw_volunteer import simulation as sim
from sw_volunteer.cli import EXIT_BROKEN_PIPE, main, parser
from sw_volunteer.rules import Report

KEY = b"0123456789abcdef0123"
COMMANDS = ("demo", "check", "validate", "sessions", "simulate", "redact", "aggregate")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("net") / "ruian.yaml"
    dump(datasets.ruian_2013(), path)
    return str(path)


@pytest.fixture(scope="module")
def invalid(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A readable document with structural problems: a dangling centre and a bad enum."""
    path = tmp_path_factory.mktemp("bad") / "bad.yaml"
    path.write_text(
        "centres:\n  - {id: c1, name: One}\n"
        "workers:\n  - {id: w1, name: Wu, centre: c2, certification: wizard}\n",
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("key") / "key"
    path.write_bytes(KEY)
    path.chmod(0o600)
    return str(path)


def test_a_key_file_others_can_read_is_a_warning_line_not_a_traceback(tmp_path):
    key = tmp_path / "key"
    key.write_bytes(KEY)
    key.chmod(0o644)
    code, out, err = run("redact", "ruian-2013", str(tmp_path / "out.json"), "--key-file", str(key))
    assert code == 0
    assert "redacted network written" in out
    assert err.count("\n") == 1
    assert "warning" in err
    assert "chmod 600" in err


# -- streams and exit codes --------------------------------------------------------------


def test_a_missing_file_is_reported_on_stderr_only(tmp_path):
    code, out, err = run("check", str(tmp_path / "nosuch.yaml"))
    assert (code, out) == (2, "")
    assert "nosuch.yaml" in err


def test_json_output_stays_json_when_the_document_is_bad(invalid, tmp_path):
    code, out, err = run("check", invalid, "--format", "json")
    assert code == 1  # read, and breaks the structural rules
    problems = json.loads(out)["problems"]
    assert "enum" in {p["code"] for p in problems}
    assert invalid in err
    code, out, _ = run("check", str(tmp_path / "nosuch.yaml"), "--format", "json")
    assert code == 2
    assert json.loads(out)["problems"][0]["code"] == "unreadable"


def test_an_invalid_document_exits_1_from_check_and_validate(invalid):
    assert run("check", invalid)[0] == run("validate", invalid)[0] == 1


def test_validate_prints_its_verdict_on_stdout(invalid, net):
    code, out, err = run("validate", invalid)
    assert (code, err) == (1, "")
    assert "wizard" in out
    code, out, _ = run("validate", net, "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["valid"] is True
    assert document["counts"] == datasets.ruian_2013().counts()


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_states_the_exit_codes(command):
    code, out, _ = run(*([command] if command else []), "--help")
    assert code == 0
    for status in ("0", "1", "2", "141"):
        assert re.search(rf"^\s+{status}\s+\S", out, re.MULTILINE), (command, status)
    assert "ruian-2013" in out
    assert "--format" in out or not command


def test_every_command_is_registered():
    top = parser()
    found = next(a for a in top._actions if a.dest == "command")
    assert set(COMMANDS) <= set(found.choices)


# -- --format json on every command -------------------------------------------------------


def test_every_command_that_prints_a_result_prints_json(net, key, tmp_path):
    runs = {
        "demo": ["demo"],
        "check": ["check", net, "--on", "2013-11-18"],
        "validate": ["validate", net],
        "sessions": ["sessions", net, "--start", "2013-11-18", "--days", "5"],
        "simulate": ["simulate", net, "--weeks", "3", "--replications", "4", "--seed", "1"],
        "redact": ["redact", net, str(tmp_path / "r.json"), "--key-file", key],
        "aggregate": ["aggregate", net, str(tmp_path / "t.csv")],
    }
    assert set(runs) == set(COMMANDS)
    for name, argv in runs.items():
        code, out, err = run(*argv, "--format", "json")
        assert code in (0, 1), (name, err)
        assert isinstance(json.loads(out), dict), name
    _, out, _ = run(*runs["sessions"], "--format", "json")
    sessions = json.loads(out)["sessions"]
    code, text, _ = run(*runs["sessions"])
    assert f"Sessions 2013-11-18 to 2013-11-22: {len(sessions)}" in text
    _, out, _ = run(*runs["simulate"], "--format", "json")
    figures = json.loads(out)
    assert (figures["replications"], figures["weeks"], figures["seed"]) == (4, 3, 1)


def test_the_older_json_switch_still_works(net, tmp_path):
    code, out, _ = run("aggregate", net, str(tmp_path / "t.json"), "--json")
    assert code == 0
    assert json.loads(out)["cells"] > 0


def test_check_on_a_day(net):
    _, out, _ = run("check", net, "--on", "2013-11-18", "--format", "json")
    assert Report.from_json(out).on == date(2013, 11, 18)
    _, out, _ = run("check", net, "--on", "2014-03-02", "--format", "json")
    assert Report.from_json(out).on == date(2014, 3, 2)


# -- datasets and file names --------------------------------------------------------------


def test_an_embedded_dataset_can_be_named(net):
    by_name = run("check", "ruian-2013", "--on", "2013-11-18", "--format", "json")
    by_file = run("check", net, "--on", "2013-11-18", "--format", "json")
    assert by_name[0] == by_file[0]
    assert Report.from_json(by_name[1]).violations == Report.from_json(by_file[1]).violations
    code, out, _ = run("validate", "ruian-2013")
    assert code == 0
    assert out.startswith("ruian-2013: valid network")


def test_a_file_without_extension_gets_a_command_line_hint(tmp_path):
    path = tmp_path / "network"
    path.write_text('{"centres": []}', encoding="utf-8")
    code, _, err = run("check", str(path))
    assert code == 2
    assert "format=" not in err
    assert ".json, .yaml or .yml" in err


# -- simulate ----------------------------------------------------------------------------


def test_simulate_writes_a_csv_table_when_asked_for_csv(net, tmp_path):
    target = tmp_path / "r.csv"
    code, out, _ = run(
        "simulate", net, "--weeks", "3", "--replications", "5", "--seed", "2", "--out", str(target)
    )
    assert code == 0
    assert f"saved to {target}" in out
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    result = sim.run(
        sim.Scenario.from_network(datasets.ruian_2013(), weeks=3), replications=5, seed=2
    )
    assert len(rows) == len(result.metrics) * 3
    volunteers = [r for r in rows if r["metric"] == "volunteers"]
    assert [float(r["mean"]) for r in volunteers] == pytest.approx(
        list(result.summary("volunteers").mean)
    )


def test_simulate_saves_npz_for_npz(net, tmp_path):
    target = tmp_path / "r.npz"
    code, _, _ = run("simulate", net, "--weeks", "2", "--replications", "3", "--out", str(target))
    assert code == 0
    assert sim.SimulationResult.load(target).replications == 3


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_shown_on_a_terminal_only(net):
    argv = ["simulate", net, "--weeks", "2", "--replications", "7"]
    piped = io.StringIO()
    main(argv, out=io.StringIO(), err=piped)
    assert piped.getvalue() == ""
    terminal = _Terminal()
    main(argv, out=io.StringIO(), err=terminal)
    assert "simulating" in terminal.getvalue()
    assert "7/7" in terminal.getvalue()
    quiet = _Terminal()
    main([*argv, "--quiet"], out=io.StringIO(), err=quiet)
    assert quiet.getvalue() == ""


# -- closed pipes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["sessions", "ruian-2013", "--start", "2013-11-18", "--days", "30"],
        ["demo", "--lang", "zh"],
    ],
)
def test_a_closed_pipe_is_quiet(argv):
    src = str(Path(__file__).resolve().parents[2] / "src")
    child = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [
            sys.executable,
            "-c",
            "import sys; from sw_volunteer.cli import main; sys.exit(main())",
            *argv,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PYTHONPATH": src, "PATH": ""},
    )
    assert child.stdout is not None
    # the reader goes away before the command prints (it is still importing), as when
    # `head` has read its lines while the command still has output to write
    child.stdout.close()
    _, err = child.communicate(timeout=120)
    assert b"Traceback" not in err
    assert b"BrokenPipeError" not in err
    assert child.returncode == EXIT_BROKEN_PIPE


# -- --lang zh -----------------------------------------------------------------------------

_IDS = frozenset(e.id for e in datasets.ruian_2013().entities())


def english_words(text: str) -> list[str]:
    """Words of three or more Latin letters that are not ids, codes, paths or numbers."""
    words = []
    for token in re.findall(r"[A-Za-z0-9_.\-@:/+%]+", text):
        if re.search(r"[\d_.\-/]", token) or token in _IDS:
            continue
        words.extend(re.findall(r"[A-Za-z]{3,}", token))
    return words


def test_simulate_validate_and_the_privacy_commands_follow_the_language(net, key, tmp_path):
    runs = [
        ["simulate", net, "--weeks", "3", "--replications", "4", "--out", str(tmp_path / "r.npz")],
        ["validate", net],
        ["redact", net, str(tmp_path / "r.json"), "--key-file", key],
        ["aggregate", net, str(tmp_path / "t.csv")],
    ]
    for argv in runs:
        code, out, _ = run(*argv, "--lang", "zh")
        assert code == 0, argv
        assert not english_words(out), (argv, out)
        assert english_words(run(*argv)[1]), argv  # the English output has words
