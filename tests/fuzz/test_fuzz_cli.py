"""A small fuzzing run of the command line: a few hundred generated argument lists.

The long run (20,000 or more) is ``make fuzz`` (``tools/fuzz.py --cli``).
"""

from __future__ import annotations

import random

from tests.fuzz.cli_inputs import check_run, fuzz, make_files, random_argv

CASES = 200


def test_generated_arguments_never_give_a_traceback(tmp_path):
    run = fuzz(CASES, seed=14, root=tmp_path)
    assert not run.failures, "\n".join(str(f) for f in run.failures[:20])
    # the inputs reach each outcome, not only argument errors
    assert all(run.statuses[code] >= CASES // 50 for code in (0, 1, 2)), run.statuses


def test_the_generator_reaches_every_command(tmp_path):
    files = make_files(tmp_path)
    rng = random.Random(14)  # noqa: S311 - reproducible test inputs, not secrets
    argvs = [random_argv(rng, files) for _ in range(CASES)]
    commands = {a[0] for a in argvs if a}
    assert {"demo", "check", "validate", "sessions", "simulate", "redact", "aggregate"} <= commands
    assert sum(a[:1] == ["simulate"] for a in argvs) > CASES // 20


def test_the_checker_catches_what_it_looks_for(monkeypatch, tmp_path):
    """A command that raises, or prints its error badly, is reported."""
    from sw_volunteer.cli import _check

    files = make_files(tmp_path)

    def broken(*_: object, **__: object) -> int:
        raise KeyError("a bug")

    monkeypatch.setattr(_check, "check", broken)
    _, failure = check_run(["check", files["net"]])
    assert failure is not None
    assert "KeyError escaped" in failure.what
