"""Ctrl-C: exit 130 with one line on stderr, no traceback, no half-written output."""

from __future__ import annotations

import io
import json

import pytest

from sw_volunteer import _files
from sw_volunteer import simulation as sim
from sw_volunteer.cli import EXIT_INTERRUPTED, _check, main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), out=out, err=err)
    except KeyboardInterrupt:  # would stop pytest itself rather than fail the test
        pytest.fail("KeyboardInterrupt escaped main")
    return code, out.getvalue(), err.getvalue()


def interrupt(*_args: object, **_kwargs: object) -> None:
    raise KeyboardInterrupt


def test_ctrl_c_during_a_command_exits_130_with_one_line(monkeypatch):
    monkeypatch.setattr(_check, "check", interrupt)
    code, out, err = run("check", "ruian-2013")
    assert code == EXIT_INTERRUPTED == 128 + 2  # 128 + SIGINT, the shells' convention
    assert out == ""
    assert err.count("\n") == 1
    assert "interrupted" in err
    assert "Traceback" not in err


def test_ctrl_c_with_format_json_still_leaves_json_on_stdout(monkeypatch):
    monkeypatch.setattr(_check, "check", interrupt)
    code, out, err = run("check", "ruian-2013", "--format", "json")
    assert code == EXIT_INTERRUPTED
    assert [p["code"] for p in json.loads(out)["problems"]] == ["interrupted"]
    assert err.count("\n") == 1


def test_ctrl_c_while_the_arguments_are_read(monkeypatch):
    from sw_volunteer import cli

    monkeypatch.setattr(cli, "parser", interrupt)
    code, out, err = run("validate", "ruian-2013")
    assert (code, out) == (EXIT_INTERRUPTED, "")
    assert err.count("\n") == 1


def test_ctrl_c_during_a_simulation_writes_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(sim, "run", interrupt)
    target = tmp_path / "result.csv"
    code, out, err = run("simulate", "ruian-2013", "--weeks", "2", "--out", str(target))
    assert (code, out) == (EXIT_INTERRUPTED, "")
    assert "interrupted" in err
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_saving_keeps_the_old_file_whole(monkeypatch, tmp_path):
    target = tmp_path / "result.csv"
    target.write_text("the old result\n", encoding="utf-8")
    monkeypatch.setattr(_files, "_write_all", interrupt)
    argv = ["simulate", "ruian-2013", "--weeks", "2", "--replications", "2", "--quiet"]
    code, _, err = run(*argv, "--out", str(target))
    assert code == EXIT_INTERRUPTED
    assert err.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "the old result\n"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


@pytest.mark.parametrize("command", ["check", "simulate"])
def test_help_lists_exit_status_130(command, capsys):
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    lines = [line.strip() for line in text.splitlines()]
    assert any(line.startswith("130") and "interrupted" in line for line in lines)
