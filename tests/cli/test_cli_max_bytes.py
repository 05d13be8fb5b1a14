"""The document size limit from the command line: ``--max-bytes`` and the environment.

Every command that reads a document takes ``--max-bytes SIZE`` (the syntax of
``SW_VOLUNTEER_MAX_BYTES``: ``4M``, ``500k``); a document over the limit is unusable
input: exit 2 and one line on stderr that names the limit.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sw_volunteer.cli import EXIT_OK, EXIT_UNUSABLE, main, parser
from sw_volunteer.datasets import _ruian

KEY = b"0123456789abcdef0123"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def document(tmp_path: Path) -> Path:
    """A valid network of a few kilobytes, mostly Chinese text (3 bytes a character)."""
    path = tmp_path / "centres.yaml"
    lines = ["centres:"]
    lines += [f"  - {{id: c{i}, name: 瑞安市社会工作服务中心第{i}分站}}" for i in range(60)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def commands(path: Path, tmp_path: Path) -> dict[str, list[str]]:
    """Each command that reads a document, reading ``path``."""
    key = tmp_path / "key"
    key.write_bytes(KEY)
    key.chmod(0o600)
    doc = str(path)
    return {
        "check": ["check", doc],
        "validate": ["validate", doc],
        "sessions": ["sessions", doc, "--start", "2013-11-18", "--days", "7"],
        "simulate": ["simulate", doc, "--weeks", "2", "--replications", "2", "--quiet"],
        "redact": ["redact", doc, str(tmp_path / "out.json"), "--key-file", str(key)],
        "aggregate": ["aggregate", doc, str(tmp_path / "out.csv")],
        "plan": ["plan", doc],
        "roster": ["roster", doc, "--start", "2013-11-18", "--days", "1"],
    }


COMMANDS = ("check", "validate", "sessions", "simulate", "redact", "aggregate", "plan", "roster")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_document_over_max_bytes_is_unusable_with_one_line_naming_the_limit(
    command, document, tmp_path
):
    size = document.stat().st_size
    limit_k = size // 1024  # a whole number of KiB below the document's size
    assert limit_k >= 1
    argv = [*commands(document, tmp_path)[command], "--max-bytes", f"{limit_k}k"]
    code, out, err = run(*argv)
    assert code == EXIT_UNUSABLE
    assert out == ""
    assert err.count("\n") == 1
    assert str(limit_k * 1024) in err
    assert "too_large" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_a_document_within_max_bytes_is_read(command, document, tmp_path):
    argv = [*commands(document, tmp_path)[command], "--max-bytes", str(document.stat().st_size)]
    code, _, err = run(*argv)
    assert "too_large" not in err
    assert code != EXIT_UNUSABLE, err


def test_the_limit_counts_bytes_not_characters(document):
    text = document.read_text(encoding="utf-8")
    chars, size = len(text), document.stat().st_size
    assert chars < size  # Chinese text: more bytes than characters
    code, _, err = run("validate", str(document), "--max-bytes", str(chars))
    assert code == EXIT_UNUSABLE
    assert str(chars) in err


def test_the_environment_variable_sets_the_limit(document, monkeypatch):
    limit = document.stat().st_size - 1
    monkeypatch.setenv("SW_VOLUNTEER_MAX_BYTES", str(limit))
    code, out, err = run("validate", str(document))
    assert code == EXIT_UNUSABLE
    assert err.count("\n") == 1
    assert str(limit) in err
    # the option wins over the environment
    code, out, err = run("validate", str(document), "--max-bytes", "1M")
    assert (code, err) == (EXIT_OK, "")
    assert "valid network" in out


def test_the_environment_variable_takes_units(document, monkeypatch):
    monkeypatch.setenv("SW_VOLUNTEER_MAX_BYTES", "1k")
    code, _, err = run("validate", str(document))
    assert code == EXIT_UNUSABLE
    assert str(1024) in err


def test_a_bad_environment_value_is_unusable_and_named(document, monkeypatch):
    monkeypatch.setenv("SW_VOLUNTEER_MAX_BYTES", "four megabytes")
    code, _, err = run("validate", str(document))
    assert code == EXIT_UNUSABLE
    assert err.count("\n") == 1
    assert "SW_VOLUNTEER_MAX_BYTES" in err


@pytest.mark.parametrize("size", ["0", "4x", "-1", "1.5M", ""])
def test_a_bad_size_is_a_bad_argument(size, document):
    code, out, err = run("validate", str(document), "--max-bytes", size)
    assert code == EXIT_UNUSABLE
    assert out == ""
    assert err.count("\n") == 1
    assert "--max-bytes" in err


def test_a_huge_limit_reads_a_small_file_without_setting_memory_aside(document):
    code, out, err = run("validate", str(document), "--max-bytes", "999999999999999G")
    assert "valid network" in out
    assert (code, err) == (EXIT_OK, "")


def test_the_same_parser_as_the_environment_variable():
    sizes = {"500k": 500 * 1024, "4M": 4 * 1024**2, "4MiB": 4 * 1024**2, "1G": 1024**3}
    for text, expected in sizes.items():
        args = parser().parse_args(["validate", "ruian-2013", "--max-bytes", text])
        assert args.max_bytes == expected


@pytest.mark.parametrize("command", COMMANDS)
def test_help_names_the_option_and_the_environment_variable(command, capsys):
    code = main([command, "--help"])
    text = capsys.readouterr().out
    assert code == 0
    assert "--max-bytes SIZE" in text
    assert "SW_VOLUNTEER_MAX_BYTES" in text


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_embedded_dataset_is_not_held_to_the_limit(how, monkeypatch):
    _ruian._load.cache_clear()  # read it again, under the limit
    monkeypatch.setenv("SW_VOLUNTEER_MAX_BYTES", "1k")
    argv = ["validate", "ruian-2013"] + (["--max-bytes", "1k"] if how == "option" else [])
    code, out, err = run(*argv)
    assert (code, err) == (EXIT_OK, "")
    assert "valid network" in out
