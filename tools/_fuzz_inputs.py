"""Fuzzing of the library's readers: network documents, rule packs and CSV rosters.

Each input is a mutation of a small valid seed (text-level: inserted tokens, cut and
repeated lines, flipped characters; value-level: a field of the parsed seed replaced
by a hostile value) and goes through what a user would do with it: a document is
loaded, checked and its schedules expanded over a week; a pack is parsed and used to
check a network; a roster is imported. Every exception must belong to the library's
documented tree (:class:`sw_volunteer.errors.SwVolunteerError`) and every input must
finish within a time limit. The seeded random generator makes each run repeatable.

Used by ``tools/fuzz.py`` (``--documents``, ``--packs``, ``--rosters``) for the long run
and by ``tests/fuzz/test_fuzz_inputs.py`` for a small one.
"""

from __future__ import annotations

import copy
import json
import random
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sw_volunteer as sv
from sw_volunteer.errors import SwVolunteerError
from sw_volunteer.io import read_roster_csv
from sw_volunteer.rules import parse_pack

TIME_LIMIT = 20.0
"""Seconds one input may take (load, check and expansion together) before it is a hang."""

DOCUMENT_SEED = """\
info: {title: 瑞安 2013, region: 浙江省瑞安市}
centres:
  - {id: liqun, name: 利群社会工作服务中心}
workers:
  - {id: w1, name: 金某, centre: liqun, certification: intermediate}
  - {id: w2, name: 林某, centre: liqun}
volunteers:
  - id: v1
    name: 陈某
    centre: liqun
    birth_date: 1999-05-01
    guardian_consent: true
    insurance: {start: 2013-01-01, until: 2013-12-31}
  - {id: v2, name: 王某, centre: liqun, birth_date: 1990-02-28, skills: [music]}
clients:
  - {id: k1, name: 赵某, centre: liqun, birth_date: 2005-03-01}
programmes:
  - id: p1
    name: 四点半课堂
    centre: liqun
    service_area: after_school_care
    schedule:
      start: 2013-09-02T16:30:00
      timezone: Asia/Shanghai
      duration: PT90M
      rules: ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]
      exclude: [{start: 2013-10-01, until: 2013-10-07}]
activities:
  - id: a1
    name: 平阳农疗
    programme: p1
    start: 2013-11-18T13:30:00+08:00
    end: 2013-11-18T17:00:00+08:00
    risky: true
    setting: outing
    clients: [k1]
    volunteers: [v1, v2]
    workers: [w2]
absences:
  - id: ab1
    person: w1
    reason: leave
    cover: w2
    schedule: {start: 2013-11-11T00:00:00, timezone: Asia/Shanghai, duration: P12D}
supervisions:
  - {id: s1, kind: professional, start: 2013-01-01, supervisor: w1, supervisee: w2}
"""

PACK_SEED = """\
id: wenzhou-local
version: "1"
jurisdiction: Wenzhou
effective: 2014-01-01
extends: cn-default
rules:
  - id: supervision.workers.warning
    params: {limit: 6}
    source: a local guideline
  - id: local.insurance
    kind: insurance_for_risky_activities
    effective: 2014-01-01
    source: a local rule
"""

ROSTER_SEED = (
    "id,姓名,出生日期,技能,已培训,监护人同意日期,保险开始,保险截止\n"
    "v1,陈某,1999-05-01,music;calligraphy,是,2013-03-01,2013-01-01,2013-12-31\n"
    "v2,王某,1990-02-28,,否,,,\n"
)

TOKENS = (
    "!!set [a]",
    "!!timestamp x",
    "!!bool x",
    "!!int x",
    "!!binary aGk=",
    "!!python/object/apply:os.system ['true']",
    "&a [1, 2]",
    "*a",
    "*nope",
    "<<: *a",
    "[" * 80,
    "{" * 80,
    "yes",
    "no",
    "on",
    "~",
    "null",
    "2015-13-01",
    "2013-02-30",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59",
    "9990-01-01",
    "America",
    "Asia/Shanghai",
    "A" * 300,
    "FREQ=SECONDLY",
    "FREQ=MINUTELY",
    "FREQ=DAILY;INTERVAL=-1",
    "FREQ=DAILY;BYHOUR=25",
    "FREQ=YEARLY;BYEASTER=100000",
    "FREQ=DAILY;UNTIL=20131231T000000",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=HOURLY;INTERVAL=2;BYHOUR=1",
    "P99999D",
    "-PT1H",
    "PT0S",
    "1e400",
    "-0",
    "NaN",
    "99999999999999999999",
    "\r",
    "\x00",
    "\ufeff",
    "\u2028",
    '"',
    "'",
    ",",
    ":",
    "- ",
    "? ",
    "#",
    "\t",
    "%YAML 1.1\n---\n",
    "---\n",
    "...\n",
    "x" * 140_000,
)

HOSTILE_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    8,
    2**63,
    1e308,
    -1e-308,
    "",
    " ",
    "yes",
    "America",
    "A" * 300,
    "../../etc/passwd",
    "2015-13-01",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:00:00",
    "9990-01-01",
    "FREQ=SECONDLY",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
    "P99999D",
    "PT0S",
    "张三",
    [],
    {},
    [None],
    {"张三": 1},
    [[[[[]]]]],
    "x" * 5000,
)


SCHEDULE_VALUES: tuple[Any, ...] = (
    ["FREQ=HOURLY"],
    ["FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29"],
    ["FREQ=DAILY;INTERVAL=1000"],
    ["FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH"],
    ["FREQ=MONTHLY;BYSETPOS=366;BYDAY=MO"],
    ["FREQ=DAILY;BYSETPOS=5;BYHOUR=1"],
    ["FREQ=WEEKLY;BYSETPOS=-7;BYDAY=MO"],
    ["FREQ=DAILY;COUNT=999999999"],
    ["FREQ=DAILY;UNTIL=21991231T000000Z"],
    ["FREQ=YEARLY;BYEASTER=-366"],
    ["FREQ=HOURLY", "FREQ=DAILY", "FREQ=WEEKLY"] * 20,
    ["FREQ=HOURLY;INTERVAL=7;BYHOUR=3"],
    "2199-12-31",
    "1900-01-01T00:00:00",
    "2199-12-31T23:59:59",
    "1900-01-01",
    "P3660D",
    "PT1S",
    "P0D",
    "Etc/GMT+12",
    "Pacific/Kiritimati",
    "UTC",
    999999999,
    [f"2013-01-{d:02d}" for d in range(1, 32)],
    [{"start": "1900-01-01", "until": "2199-12-31"}],
)


@dataclass
class Outcome:
    """What a run found."""

    inputs: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, error, input)
    slowest: float = 0.0

    def add(self, other: Outcome) -> None:
        """Merge ``other`` into this outcome."""
        self.inputs += other.inputs
        self.kinds.update(other.kinds)
        self.failures.extend(other.failures)
        self.slowest = max(self.slowest, other.slowest)


class _Timeout(BaseException):
    """Raised by the watchdog in the middle of an input that runs too long."""


def _alarm(_signum: int, _frame: object) -> None:
    raise _Timeout


# -- mutations ---------------------------------------------------------------------------


def mutate_text(text: str, rng: random.Random) -> str:
    """``text`` with one to four random edits: tokens, cuts, repeats, flips."""
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        lines = text.split("\n")
        choice = rng.random()
        if choice < 0.35:
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif choice < 0.5:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])  # a repeated line: repeated keys, ids
            text = "\n".join(lines)
        elif choice < 0.6:
            del lines[rng.randrange(len(lines))]
            text = "\n".join(lines)
        elif choice < 0.75 and text:
            at = rng.randrange(len(text))
            text = (
                text[:at]
                + chr(rng.choice((0, 9, 10, 13, 32, 34, 39, 44, 58, 91, 93, 123, 125, 0x4E00)))
                + text[at + 1 :]
            )
        elif choice < 0.85:
            at, size = rng.randrange(len(text) + 1), rng.randint(1, 40)
            text = text[:at] + text[at + size :]
        else:
            key, value = rng.choice(
                [
                    ("timezone", rng.choice(("America", "A" * 300, "8", "UTC", "Etc/GMT+5"))),
                    ("start", rng.choice(("0001-01-01T00:00:00Z", "2199-12-31T23:00:00"))),
                    ("birth_date", rng.choice(("9990-01-01", "1800-01-01", "2015-13-01"))),
                    ("limit", rng.choice(("yes", "-1", "1e9", "[6]"))),
                ]
            )
            text = text.replace(f"{key}: ", f"{key}: {value} #", 1)
    return text


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def mutate_value(data: Any, rng: random.Random) -> Any:
    """A deep copy of ``data`` with one to three values (or keys) made hostile."""
    data = copy.deepcopy(data)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            return rng.choice(HOSTILE_VALUES)
        in_schedules = [p for p in paths if "schedule" in p]
        if in_schedules and rng.random() < 0.3:  # where the hangs were
            path = rng.choice(in_schedules)
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = copy.deepcopy(rng.choice(SCHEDULE_VALUES))
            continue
        path = rng.choice(paths)
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        if isinstance(parent, dict) and rng.random() < 0.15:
            parent[rng.choice(("张三", "colour", "", "id"))] = parent.pop(last)
        elif isinstance(parent, list) and rng.random() < 0.2:
            parent.extend(copy.deepcopy([parent[last]] * rng.choice((1, 2, 50))))
        else:
            parent[last] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
    return data


def _json_default(value: Any) -> str:
    return value.isoformat() if isinstance(value, date | datetime) else str(value)


def document_inputs(rng: random.Random) -> Iterator[tuple[str, str | bytes]]:
    """Endless hostile documents: (label, document)."""
    seed_data = sv.loads(DOCUMENT_SEED, format="yaml").model_dump(
        mode="json", exclude_defaults=True
    )
    seed_json = json.dumps(seed_data, ensure_ascii=False)
    while True:
        roll = rng.random()
        if roll < 0.4:
            yield "yaml-text", mutate_text(DOCUMENT_SEED, rng)
        elif roll < 0.55:
            yield "json-text", mutate_text(seed_json, rng)
        elif roll < 0.95:
            yield (
                "value",
                json.dumps(mutate_value(seed_data, rng), default=_json_default, ensure_ascii=False),
            )
        else:
            yield "bytes", bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))


def pack_inputs(rng: random.Random) -> Iterator[tuple[str, str]]:
    """Endless hostile rule packs: (label, YAML text)."""
    seed_data = {
        "id": "wenzhou-local",
        "version": "1",
        "jurisdiction": "Wenzhou",
        "effective": "2014-01-01",
        "extends": "cn-default",
        "rules": [
            {"id": "supervision.workers.warning", "params": {"limit": 6}, "source": "x"},
            {"id": "local.insurance", "kind": "insurance_for_risky_activities", "source": "y"},
        ],
    }
    while True:
        if rng.random() < 0.6:
            yield "yaml-text", mutate_text(PACK_SEED, rng)
        else:
            yield "value", json.dumps(mutate_value(seed_data, rng), ensure_ascii=False)


def roster_inputs(rng: random.Random) -> Iterator[tuple[str, str]]:
    """Endless hostile CSV rosters: (label, CSV text)."""
    while True:
        yield "csv-text", mutate_text(ROSTER_SEED, rng)


# -- targets ---------------------------------------------------------------------------

_WEEK_START = datetime(2013, 11, 18, tzinfo=UTC)


def _use_document(data: str | bytes) -> None:
    network = sv.loads(data, source="fuzz")
    sv.check(network, on=date(2013, 11, 19))
    for programme in network.programmes:
        if programme.schedule is not None:
            list(programme.schedule.occurrences(_WEEK_START, _WEEK_START + timedelta(days=7)))
            programme.schedule.take(5)


def _use_pack(text: str) -> None:
    pack = parse_pack(text, source="fuzz.yaml")
    sv.check(_network(), rules=pack, on=date(2014, 6, 1))


def _use_roster(text: str) -> None:
    volunteers = read_roster_csv(text, centre="liqun", text=True)
    network = _network()
    known = {v.id for v in network.volunteers}
    network.with_added(*(v for v in volunteers if v.id not in known))


_NETWORK: list[sv.Network] = []


def _network() -> sv.Network:
    if not _NETWORK:
        _NETWORK.append(sv.loads(DOCUMENT_SEED, format="yaml"))
    return _NETWORK[0]


TARGETS: dict[
    str, tuple[Callable[[random.Random], Iterator[tuple[str, Any]]], Callable[[Any], None]]
] = {
    "documents": (document_inputs, _use_document),
    "packs": (pack_inputs, _use_pack),
    "rosters": (roster_inputs, _use_roster),
}


def run(
    target: str,
    count: int,
    *,
    seed: int = 2013,
    time_limit: float = TIME_LIMIT,
    keep: Path | None = None,
) -> Outcome:
    """Feed ``count`` hostile inputs to ``target``; return what happened.

    Args:
        target: ``"documents"``, ``"packs"`` or ``"rosters"``.
        count: How many inputs.
        seed: The seed of the generator (same seed, same inputs).
        time_limit: Seconds one input may take (a watchdog interrupts it after that).
        keep: A folder where each failing input is written.
    """
    generate, use = TARGETS[target]
    outcome = Outcome()
    inputs = generate(random.Random(f"{target}-{seed}"))
    watchdog = hasattr(signal, "setitimer")
    previous = signal.signal(signal.SIGALRM, _alarm) if watchdog else None
    try:
        for _ in range(count):
            label, data = next(inputs)
            outcome.inputs += 1
            began = time.perf_counter()
            try:
                if watchdog:
                    signal.setitimer(signal.ITIMER_REAL, time_limit)
                try:
                    use(data)
                finally:
                    if watchdog:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                outcome.kinds["accepted"] += 1
            except SwVolunteerError as exc:
                outcome.kinds[type(exc).__name__] += 1
            except _Timeout:
                _fail(outcome, f"{target}/{label}", f"hang: over {time_limit} s", data, keep)
            except Exception as exc:  # noqa: BLE001 - the point: anything outside the tree
                _fail(
                    outcome,
                    f"{target}/{label}",
                    f"{type(exc).__name__}: {str(exc)[:300]}",
                    data,
                    keep,
                )
            outcome.slowest = max(outcome.slowest, time.perf_counter() - began)
    finally:
        if watchdog:
            signal.signal(signal.SIGALRM, previous)
    return outcome


def _fail(outcome: Outcome, kind: str, error: str, data: str | bytes, keep: Path | None) -> None:
    text = data if isinstance(data, str) else data.decode("utf-8", "backslashreplace")
    outcome.failures.append((kind, error, text[:2000]))
    outcome.kinds["FAILURE"] += 1
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        name = f"{kind.replace('/', '-')}-{len(outcome.failures)}"
        (keep / name).write_bytes(
            data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
        )
