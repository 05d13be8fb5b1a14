"""The gate a newcomer runs: no example that depends on shrinking luck; make targets that work."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _recipe(target: str) -> list[list[str]]:
    """The commands of a make target, as words."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(target)}:[^\n]*\n((?:\t[^\n]*\n)+)", text, re.MULTILINE)
    assert found, f"no make target {target!r}"
    return [shlex.split(line.strip()) for line in found.group(1).splitlines()]


def test_no_example_in_the_sources_searches_with_hypothesis_find():
    """``find`` shrinks until it stops: its time depends on luck and on the database."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src").rglob("*.py")
        if re.search(r"\bfind\(|\.example\(\)", path.read_text(encoding="utf-8"))
        and "hypothesis" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_strategies_example_fixes_its_settings():
    text = (ROOT / "src/sw_volunteer/testing/strategies.py").read_text(encoding="utf-8")
    example = text[: text.index('"""', 3)]
    for setting in ("derandomize=True", "database=None", "max_examples="):
        assert setting in example


def test_every_script_a_make_target_runs_exists():
    for target in ("bench", "fuzz"):
        for words in _recipe(target):
            scripts = [w for w in words if w.endswith(".py")]
            assert scripts, (target, words)
            assert all((ROOT / s).is_file() for s in scripts), (target, scripts)


def test_make_clean_removes_the_hypothesis_database():
    removed = {w for words in _recipe("clean") for w in words}
    assert ".hypothesis" in removed


def test_run_all_runs_every_benchmark_at_a_small_size():
    spec = importlib.util.spec_from_file_location("run_all", ROOT / "benchmarks/run_all.py")
    assert spec is not None
    assert spec.loader is not None
    run_all = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_all)
    scripts = {p.name for p in run_all.scripts()}
    assert scripts == {p.name for p in (ROOT / "benchmarks").glob("bench_*.py")}
    assert set(run_all.SMALL) == scripts  # each has its small-size arguments
    assert run_all.RATIO.search("  check 10,000 people   1.23x")
