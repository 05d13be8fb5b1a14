"""Every command refuses unusable input with exit 2 and one line on stderr, never a traceback.

The table lists, for each command, arguments and files it cannot use; each row is run
twice, in text and in JSON, and must: return 2 (an exception escaping ``main`` fails the
test), print exactly one line on stderr and nothing else in text mode, and print one JSON
document ``{"problems": [...]}`` on stdout in JSON mode.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest

from sw_volunteer import datasets, dump
from sw_volunteer.cli import main

KEY = b"0123456789abcdef0123"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The files the table refers to by name, written once."""
    root = tmp_path_factory.mktemp("bad")
    paths = {
        "net": root / "net.yaml",
        "deep": root / "deep.yaml",
        "deep_json": root / "deep.json",
        "noext": root / "network",
        "binary": root / "binary.yaml",
        "empty": root / "empty.json",
        "loop": root / "loop.yaml",
        "key": root / "key",
        "weak_key": root / "weak",
        "a_file": root / "a_file.txt",
    }
    dump(datasets.ruian_2013(), paths["net"])
    paths["deep"].write_text("centres: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    paths["deep_json"].write_text('{"centres": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    paths["noext"].write_text('{"centres": []}', encoding="utf-8")
    paths["binary"].write_bytes(b"\xff\xfe\x00bad")
    paths["empty"].write_text("", encoding="utf-8")
    paths["loop"].write_text(
        f'id: loop\nversion: "1"\nextends: {paths["loop"]}\nrules: []\n', encoding="utf-8"
    )
    paths["key"].write_bytes(KEY)
    paths["weak_key"].write_bytes(b"short")
    for key in ("key", "weak_key"):  # readable by their owner only: no warning line
        paths[key].chmod(0o600)
    paths["a_file"].write_text("not a folder", encoding="utf-8")
    found = {name: str(path) for name, path in paths.items()}
    found["missing"] = str(root / "missing.yaml")
    found["dir"] = str(root)
    found["nodir"] = str(root / "no" / "such" / "folder")
    found["out"] = str(root / "out")
    return found


# Each row: an id and the arguments, with {name} replaced by the file of that name.
BAD: list[tuple[str, str]] = [
    ("no command", ""),
    ("unknown command", "frobnicate"),
    ("check a missing file", "check {missing}"),
    ("check a folder", "check {dir}/x.yaml"),
    ("check a file without extension", "check {noext}"),
    ("check an unknown dataset", "check ruian-2099"),
    ("check binary", "check {binary}"),
    ("check an empty file", "check {empty}"),
    ("check a 5,000-deep YAML", "check {deep}"),
    ("check a 5,000-deep JSON", "check {deep_json}"),
    ("check a pack that extends itself", "check {net} --rules {loop}"),
    ("check an unknown pack", "check {net} --rules atlantis"),
    ("check a bad day", "check {net} --on 2013-02-30"),
    ("check day 1", "check {net} --on 0001-01-01"),
    ("check a far day", "check {net} --rules-as-of 9999-12-31"),
    ("check a bad language", "check {net} --lang fr"),
    ("validate a missing file", "validate {missing}"),
    ("validate a 5,000-deep YAML", "validate {deep}"),
    ("validate binary", "validate {binary}"),
    ("sessions no start", "sessions {net}"),
    ("sessions a billion days", "sessions {net} --start 2013-11-18 --days 1000000000"),
    ("sessions no days", "sessions {net} --start 2013-11-18 --days 0"),
    ("sessions negative days", "sessions {net} --start 2013-11-18 --days=-3"),
    ("sessions start 9999-12-30", "sessions {net} --start 9999-12-30"),
    ("sessions start 0001-01-01", "sessions {net} --start 0001-01-01"),
    ("sessions a span past the last day", "sessions {net} --start 2999-12-30 --days 7"),
    ("sessions a long zone", "sessions {net} --start 2013-11-18 --timezone " + "A" * 300),
    ("sessions a zone folder", "sessions {net} --start 2013-11-18 --timezone America"),
    ("sessions a zone path", "sessions {net} --start 2013-11-18 --timezone ../../etc/passwd"),
    ("sessions a fixed offset", "sessions {net} --start 2013-11-18 --timezone +08:00"),
    ("sessions a 5,000-deep YAML", "sessions {deep} --start 2013-11-18"),
    ("sessions a pack that extends itself", "sessions {net} --start 2013-11-18 --rules {loop}"),
    ("simulate a 5,000-deep YAML", "simulate {deep} --quiet"),
    ("simulate a 5,000-deep JSON", "simulate {deep_json} --quiet"),
    ("simulate 100 million weeks", "simulate {net} --weeks 100000000"),
    ("simulate no weeks", "simulate {net} --weeks 0"),
    ("simulate a billion replications", "simulate {net} --replications 1000000000"),
    ("simulate too many cells", "simulate {net} --replications 100000 --weeks 1040"),
    ("simulate a negative seed", "simulate {net} --seed=-1 --replications 2"),
    ("simulate into a missing folder", "simulate {net} --out {nodir}/r.npz"),
    ("simulate under a file", "simulate {net} --out {a_file}/r.npz"),
    ("simulate into a folder", "simulate {net} --out {dir}"),
    ("simulate to an unknown extension", "simulate {net} --out {out}.txt"),
    ("simulate a missing file", "simulate {missing} --quiet"),
    ("simulate binary", "simulate {binary} --quiet"),
    ("redact into a missing folder", "redact {net} {nodir}/r.json --key-file {key}"),
    ("redact to an unknown extension", "redact {net} {out}.txt --key-file {key}"),
    ("redact a weak key", "redact {net} {out}.json --key-file {weak_key}"),
    ("redact a missing key", "redact {net} {out}.json --key-file {missing}"),
    ("redact a missing file", "redact {missing} {out}.json --key-file {key}"),
    ("redact a 5,000-deep YAML", "redact {deep} {out}.json --key-file {key}"),
    ("redact a far day", "redact {net} {out}.json --key-file {key} --on 0001-01-01"),
    ("aggregate into a missing folder", "aggregate {net} {nodir}/t.csv"),
    ("aggregate to an unknown extension", "aggregate {net} {out}.xlsx"),
    ("aggregate threshold 0", "aggregate {net} {out}.csv --threshold 0"),
    ("aggregate a huge threshold", "aggregate {net} {out}.csv --threshold 99999999999999999999"),
    ("aggregate a missing file", "aggregate {missing} {out}.csv"),
    ("demo with an argument", "demo extra"),
]


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def argv_of(template: str, files: dict[str, str]) -> list[str]:
    return [word.format(**files) for word in template.split()]


@pytest.mark.parametrize(("case", "template"), BAD, ids=[case for case, _ in BAD])
def test_unusable_input_exits_2_with_one_line_on_stderr(case, template, files):
    argv = argv_of(template, files)
    code, out, err = run(argv)
    assert code == 2, (case, out, err)
    assert out == "", (case, out)
    assert len(err.splitlines()) == 1, (case, err)
    assert "Traceback" not in err
    assert not any(f"{p}/" in err for p in ("site-packages", "zoneinfo")), err


@pytest.mark.parametrize(("case", "template"), BAD, ids=[case for case, _ in BAD])
def test_unusable_input_in_json_mode_prints_problems_as_json(case, template, files):
    argv = [*argv_of(template, files), "--format", "json"]
    code, out, err = run(argv)
    assert code == 2, (case, out, err)
    document = json.loads(out)
    assert set(document) == {"problems"}
    assert document["problems"]
    assert all(set(p) == {"location", "code", "message"} for p in document["problems"])
    assert all(re.fullmatch(r"[a-z0-9_]+", p["code"]) for p in document["problems"])
    assert len(err.splitlines()) == 1


def test_a_simulation_is_not_run_when_its_output_cannot_be_written(files, monkeypatch):
    from sw_volunteer import simulation

    def never(*_: object, **__: object) -> None:
        pytest.fail("the simulation ran although its output cannot be written")

    monkeypatch.setattr(simulation, "run", never)
    code, _, err = run(["simulate", files["net"], "--out", f"{files['nodir']}/r.npz"])
    assert code == 2
    assert "does not exist" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_a_read_only_output_folder_is_refused(tmp_path: Path, files):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        for argv in (
            ["aggregate", files["net"], str(folder / "t.csv")],
            ["redact", files["net"], str(folder / "r.json"), "--key-file", files["key"]],
            ["simulate", files["net"], "--replications", "2", "--out", str(folder / "r.npz")],
        ):
            code, out, err = run(argv)
            assert (code, out) == (2, ""), argv
            assert "not writable" in err
    finally:
        folder.chmod(0o700)


def test_a_failed_write_is_one_line_not_a_traceback(files, monkeypatch):
    """A write that fails after the checks (a full disk, a race) still exits 2."""
    from sw_volunteer.cli import _privacy

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_privacy, "write_atomically", full_disk)
    code, out, err = run(["aggregate", files["net"], f"{files['out']}.csv"])
    assert (code, out) == (2, "")
    assert "No space left on device" in err
    assert len(err.splitlines()) == 1
