"""Generated argument lists for every command, and what any run of them must satisfy.

Used by ``tests/fuzz/test_fuzz_cli.py`` (a few hundred lists in ``make test``) and by
``tools/fuzz.py --cli`` (20,000 or more, ``make fuzz``). Each list is built from a
command's arguments with values drawn from pools of good and bad ones (files that do not
exist, are folders, are binary, nest 5,000 deep; days out of range; huge numbers; zone
names that are folders or 300 characters long; outputs in missing folders), then
mutated (a token dropped, repeated or replaced by junk). The runs are in-process
(``main([...])``); simulations are kept small so that a long run stays in minutes.
"""

from __future__ import annotations

import io
import itertools
import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sw_volunteer import datasets, dump
from sw_volunteer import simulation as sim
from sw_volunteer.cli import main

EXIT_CODES = frozenset({0, 1, 2})
"""The exit statuses a run may return (141 needs a real closed pipe)."""

KEY = b"0123456789abcdef0123"


def make_files(root: Path) -> dict[str, str]:
    """The input files the generated arguments name, written under ``root``."""
    paths = {
        "net": root / "net.yaml",
        "net_json": root / "net.json",
        "invalid": root / "invalid.yaml",
        "scenario": root / "scenario.json",
        "bad_scenario": root / "bad_scenario.yaml",
        "deep": root / "deep.yaml",
        "deep_json": root / "deep.json",
        "binary": root / "binary.yaml",
        "empty": root / "empty.json",
        "noext": root / "network",
        "loop": root / "loop.yaml",
        "key": root / "key",
        "weak_key": root / "weak",
        "a_file": root / "a_file.txt",
    }
    dump(datasets.ruian_2013(), paths["net"])
    dump(datasets.ruian_2013(), paths["net_json"])
    paths["invalid"].write_text(
        "centres:\n  - {id: c1, name: One}\n"
        "workers:\n  - {id: w1, name: Wu, centre: c2, certification: wizard}\n",
        encoding="utf-8",
    )
    scenario = sim.Scenario(weeks=3, centres=[sim.CentreStart(id="a", volunteers=5)])
    paths["scenario"].write_text(scenario.model_dump_json(), encoding="utf-8")
    paths["bad_scenario"].write_text("weeks: 0\ncentres: 7\n", encoding="utf-8")
    paths["deep"].write_text("centres: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    paths["deep_json"].write_text('{"centres": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    paths["binary"].write_bytes(b"\xff\xfe\x00\x01bad")
    paths["empty"].write_text("", encoding="utf-8")
    paths["noext"].write_text('{"centres": []}', encoding="utf-8")
    paths["loop"].write_text(
        f'id: loop\nversion: "1"\nextends: {paths["loop"]}\nrules: []\n', encoding="utf-8"
    )
    paths["key"].write_bytes(KEY)
    paths["weak_key"].write_bytes(b"short")
    for key in ("key", "weak_key"):  # owner-only, as a key file should be: no warning line
        paths[key].chmod(0o600)
    paths["a_file"].write_text("x", encoding="utf-8")
    files = {name: str(path) for name, path in paths.items()}
    files["missing"] = str(root / "missing.yaml")
    files["dir"] = str(root)
    files["nodir"] = str(root / "no" / "such")
    files["out"] = str(root / "out")
    return files


JUNK = (
    "",
    "-",
    "--",
    "-x",
    "--nope",
    "\x00",
    "é" * 3,
    "名" * 50,
    "A" * 300,
    "-1",
    "1e9",
    "9" * 40,
    "NaN",
    "../../etc/passwd",
    "\n",
    " ",
    "%s%n",
    "{}",
    "--format",
    "--lang",
)
DAYS = (
    "2013-11-18",
    "1900-01-01",
    "2999-12-31",
    "0001-01-01",
    "9999-12-31",
    "9999-12-30",
    "2013-02-30",
    "2013-13-01",
    "18/11/2013",
    "2013-11-18T00:00",
    "",
    "today",
)
SMALL_COUNTS = ("1", "2", "3", "0", "-1", "-0", "00", "1_0", " 2", "x", "1.5", "9" * 30)
TIMEZONES = (
    "Asia/Shanghai",
    "UTC",
    "Etc/GMT+14",
    "America",
    "Mars/Base",
    "A" * 300,
    "../zoneinfo",
    "/etc/localtime",
    "+08:00",
    "",
    "asia/shanghai",
)


@dataclass(frozen=True)
class _Option:
    flag: str
    values: Callable[[random.Random, dict[str, str]], str] | None  # None: a switch
    chance: float = 0.5


def _pick(
    *names: str, extra: tuple[str, ...] = ()
) -> Callable[[random.Random, dict[str, str]], str]:
    def choose(rng: random.Random, files: dict[str, str]) -> str:
        pool = [files[n] for n in names] + list(extra)
        return rng.choice(pool)

    return choose


def _values(pool: tuple[str, ...]) -> Callable[[random.Random, dict[str, str]], str]:
    return lambda rng, _: rng.choice(pool)


def _output(*suffixes: str) -> Callable[[random.Random, dict[str, str]], str]:
    def choose(rng: random.Random, files: dict[str, str]) -> str:
        folder = rng.choice(
            [files["out"], files["out"], files["nodir"] + "/x", files["a_file"] + "/x"]
        )
        suffix = rng.choice([*suffixes, *suffixes, ".txt", "", ".JSON"])
        return rng.choice([folder + suffix, folder + suffix, files["dir"], files["missing"]])

    return choose


_NETWORKS = _pick(
    "net",
    "net",
    "net_json",
    "invalid",
    "deep",
    "deep_json",
    "binary",
    "empty",
    "noext",
    "missing",
    "dir",
    "scenario",
    extra=("ruian-2013", "ruian-2013", "ruian-2099", ""),
)
_LANG = _Option("--lang", _values(("en", "zh", "zh", "fr", "")))
_FORMAT = _Option("--format", _values(("text", "json", "json", "xml")))
_MAX_BYTES = _Option(
    "--max-bytes", _values(("512M", "4M", "1G", "100", "0", "4x", "-1", "999999999999999G")), 0.2
)
_RULES = _Option(
    "--rules",
    _pick("loop", "net", "missing", extra=("cn-default", "us-default", "cn-zhejiang", "atlantis")),
    0.3,
)

# Each command: positional value makers and options.
SPECS: dict[str, tuple[list[Callable[[random.Random, dict[str, str]], str]], list[_Option]]] = {
    "demo": ([], [_LANG, _FORMAT]),
    "check": (
        [_NETWORKS],
        [
            _RULES,
            _Option("--on", _values(DAYS)),
            _Option("--rules-as-of", _values(DAYS), 0.3),
            _MAX_BYTES,
            _LANG,
            _FORMAT,
        ],
    ),
    "validate": ([_NETWORKS], [_MAX_BYTES, _LANG, _FORMAT]),
    "sessions": (
        [_NETWORKS],
        [
            _Option("--start", _values(DAYS), 0.9),
            _Option("--days", _values(("1", "7", "31", "366", "367", *SMALL_COUNTS, "1000000000"))),
            _Option("--timezone", _values(TIMEZONES)),
            _RULES,
            _MAX_BYTES,
            _LANG,
            _FORMAT,
        ],
    ),
    "simulate": (
        [
            _pick(
                "net",
                "scenario",
                "bad_scenario",
                "invalid",
                "deep",
                "deep_json",
                "binary",
                "missing",
                "noext",
                extra=("ruian-2013", "ruian-2099"),
            )
        ],
        [
            _Option("--weeks", _values((*SMALL_COUNTS, "1041", "100000000"))),
            _Option("--replications", _values((*SMALL_COUNTS, "100001", "1000000000")), 0.97),
            _Option("--seed", _values(("0", "1", "-1", "2" * 50, "x")), 0.5),
            _Option("--out", _output(".npz", ".csv"), 0.3),
            _Option("--quiet", None),
            _MAX_BYTES,
            _LANG,
            _FORMAT,
        ],
    ),
    "redact": (
        [_NETWORKS, _output(".json", ".yaml", ".yml")],
        [
            _Option("--key-file", _pick("key", "key", "weak_key", "missing", "dir"), 0.9),
            _Option("--birth-dates", _values(("year", "age_band", "day")), 0.3),
            _Option("--on", _values(DAYS), 0.3),
            _Option("--json", None, 0.1),
            _MAX_BYTES,
            _LANG,
            _FORMAT,
        ],
    ),
    "aggregate": (
        [_NETWORKS, _output(".json", ".csv")],
        [
            _Option("--threshold", _values(("5", "1", *SMALL_COUNTS)), 0.4),
            _Option("--on", _values(DAYS), 0.3),
            _Option("--json", None, 0.1),
            _MAX_BYTES,
            _LANG,
            _FORMAT,
        ],
    ),
}
WEIGHTS = {
    "demo": 1,
    "check": 6,
    "validate": 5,
    "sessions": 6,
    "simulate": 6,
    "redact": 5,
    "aggregate": 5,
}


class _Clean(random.Random):
    """Draws values from the first three of each pool, where the usable values are."""

    def choice(self, seq):  # type: ignore[no-untyped-def]  # random.Random's own signature
        return super().choice(seq[:3])


def random_argv(rng: random.Random, files: dict[str, str]) -> list[str]:
    """One generated argument list: two in five have usable values and no mutation."""
    if rng.random() < 0.4:
        clean = _Clean(rng.getrandbits(32))
        return _argv(clean, files, mutations=0)
    return _argv(rng, files, mutations=rng.choice((0, 0, 0, 1, 2)))


def _argv(rng: random.Random, files: dict[str, str], *, mutations: int) -> list[str]:
    roll = rng.random()
    if roll < 0.02:
        return rng.choice([[], ["--version"], ["--help"], ["bogus"], [rng.choice(JUNK)]])
    command = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    positionals, options = SPECS[command]
    argv = [command, *(make(rng, files) for make in positionals)]
    chosen = [o for o in options if rng.random() < o.chance]
    rng.shuffle(chosen)
    for option in chosen:
        if option.values is None:
            argv.append(option.flag)
        elif rng.random() < 0.1:
            argv.append(f"{option.flag}={option.values(rng, files)}")
        else:
            argv += [option.flag, option.values(rng, files)]
    if command == "simulate" and "--replications" not in argv:
        argv += ["--replications", "3"]  # the default 1,000 is slow for a fuzzing run
    for _ in range(mutations):
        _mutate(rng, argv)
    return argv


def _mutate(rng: random.Random, argv: list[str]) -> None:
    where = rng.randrange(len(argv) + 1)
    action = rng.randrange(4)
    if action == 0 and len(argv) > 1 and where > 0:  # drop one (never the command)
        del argv[min(where, len(argv) - 1)]
    elif action == 1:
        argv.insert(where, rng.choice(JUNK))
    elif action == 2 and argv:
        argv.insert(where, rng.choice(argv))
    elif where > 0 and where < len(argv):
        argv[where] = rng.choice(JUNK)


@dataclass(frozen=True)
class Failure:
    """A run that broke a rule of the command line."""

    argv: list[str]
    what: str

    def __str__(self) -> str:
        return f"{self.what}: sw-volunteer {' '.join(repr(a) for a in self.argv)}"


def wants_json(argv: list[str]) -> bool:
    """Whether the last ``--format`` (or ``--json``) asks for JSON."""
    found = False
    for word, after in itertools.pairwise([*argv, ""]):
        if word == "--json":
            found = True
        elif word == "--format":
            found = after == "json"
        elif word.startswith("--format="):
            found = word == "--format=json"
    return found


def check_run(argv: list[str]) -> tuple[int | None, Failure | None]:
    """Run ``main(argv)``; its exit status (None if it raised) and the failure found, if any.

    The rules: no exception escapes; the status is 0, 1 or 2; nothing prints a
    traceback; exit 2 comes with one line on stderr; with JSON asked for (and no
    ``--help``), stdout is one JSON document whatever the status.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), out=out, err=err)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return None, Failure(argv, f"{type(exc).__name__} escaped: {exc!s:.200}")
    printed, diagnostics = out.getvalue(), err.getvalue()
    if code not in EXIT_CODES:
        return code, Failure(argv, f"exit status {code}")
    if "Traceback" in printed + diagnostics:
        return code, Failure(argv, "a traceback was printed")
    if code == 2 and len(diagnostics.splitlines()) != 1:
        return code, Failure(argv, f"exit 2 with {len(diagnostics.splitlines())} lines on stderr")
    help_asked = any(a in {"-h", "--help", "--version"} for a in argv)
    if wants_json(argv) and not help_asked:
        try:
            json.loads(printed)
        except ValueError:
            return code, Failure(
                argv, f"--format json printed no JSON (exit {code}): {printed[:80]!r}"
            )
    return code, None


@dataclass
class FuzzRun:
    """What a run found: the failures, and how many runs ended with each status."""

    failures: list[Failure]
    statuses: Counter[int | None]


def fuzz(
    count: int, seed: int, root: Path, *, on_case: Callable[[int], None] | None = None
) -> FuzzRun:
    """Run ``count`` generated argument lists under ``root``."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test inputs, not secrets
    files = make_files(root)
    found = FuzzRun([], Counter())
    for index in range(count):
        code, failure = check_run(random_argv(rng, files))
        found.statuses[code] += 1
        if failure is not None:
            found.failures.append(failure)
        if on_case is not None:
            on_case(index)
    return found
