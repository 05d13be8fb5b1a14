"""What every command shares: exit codes, streams, argument checks, reading inputs.

A command never prints a traceback for input it cannot use: it raises ``Unusable``
(or lets a library error of [`sw_volunteer.errors`][sw_volunteer.errors] through), and ``main``
turns that into one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, TextIO
from zoneinfo import ZoneInfo, available_timezones

from sw_volunteer import datasets
from sw_volunteer._reader import DEFAULT_MAX_BYTES, MAX_BYTES_ENV, parse_size
from sw_volunteer.cli._messages import say
from sw_volunteer.errors import MAX_LISTED, DocumentError, InputError, Problem, SimulationError
from sw_volunteer.io import load
from sw_volunteer.models import Network
from sw_volunteer.vocab import Lang

EXIT_OK = 0
"""Done; for ``check`` no rule errors, for ``validate`` a valid document."""
EXIT_FINDINGS = 1
"""The input was read and breaks a rule: structural problems or rule errors."""
EXIT_BREACH = EXIT_FINDINGS
"""The older name of ``EXIT_FINDINGS``."""
EXIT_UNUSABLE = 2
"""The command could not run: bad arguments, an unreadable input, an unwritable output."""
EXIT_INTERRUPTED = 130
"""Interrupted by Ctrl-C (128 + SIGINT): one line on stderr, no traceback."""
EXIT_BROKEN_PIPE = 141
"""The reader of stdout went away (``| head``); nothing more is printed (128 + SIGPIPE)."""

EXIT_CODES_HELP = """\
exit status:
  0    success (check: no rule errors; validate: a valid document)
  1    findings: the input was read and breaks a rule (rule errors, or structural
       problems in the document: bad values, dangling references)
  2    unusable: bad arguments, a file that cannot be read as a document, a bad rule
       pack, an output that cannot be written (one line on stderr)
  130  interrupted (Ctrl-C): one line on stderr, no traceback
  141  stdout was closed early (| head): the command stops quietly

Results go to stdout, diagnostics to stderr. With --format json, stdout always holds
one JSON document: the result, or {"problems": [...]} when the command stopped
(exit 1 or 2); the one-line diagnostic still goes to stderr.
"""

MAX_BYTES_HELP = f"""\
The largest document a command reads: --max-bytes SIZE, else the environment
variable {MAX_BYTES_ENV}, else {DEFAULT_MAX_BYTES >> 20}M (SIZE in bytes, or with k, M or
G for powers of 1024: 500k, 4M).
"""

DATASETS: dict[str, Callable[[], Network]] = {"ruian-2013": datasets.ruian_2013}
"""Embedded datasets, usable wherever a network file is."""

DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
"""The days a command accepts (``--on``, ``--start`` ...)."""

Format = Literal["text", "json", "csv"]
"""Output formats; ``csv`` only where a command offers it (``plan``, ``roster``)."""


class Unusable(Exception):  # noqa: N818 - a signal to main, not an error of the library
    """Raised by a command for input it cannot use: one line on stderr, exit 2."""

    def __init__(self, message: str, *, code: str = "unusable", location: str = "") -> None:
        super().__init__(message)
        self.problems = (Problem(location, code, message),)


@dataclass
class Context:
    """The streams and output options of one run of a command."""

    out: TextIO
    err: TextIO
    format: Format = "text"
    lang: Lang = "en"

    @property
    def json(self) -> bool:
        """Whether results (and problems) are printed as JSON."""
        return self.format == "json"

    def result(self, text: str, document: object) -> None:
        """Print a result to stdout: ``text``, or ``document`` as JSON."""
        if self.json:
            print(json.dumps(document, ensure_ascii=False, indent=2), file=self.out)
        else:
            print(text, file=self.out)

    def warn(self, message: str) -> None:
        """Print a warning that does not stop the command: one line on stderr."""
        print(f"sw-volunteer: warning: {to_one_line(message)}", file=self.err)

    def problems(self, message: str, problems: Iterable[Problem], *, one_line: bool = True) -> None:
        """Report why the command stopped: on stderr (one line), and as JSON on stdout."""
        text = to_one_line(message) if one_line else message
        prefix = "" if text.startswith("sw-volunteer") else "sw-volunteer: "
        print(f"{prefix}{text}", file=self.err)
        if self.json:
            records = [
                {"location": p.location, "code": p.code, "message": p.message} for p in problems
            ]
            print(json.dumps({"problems": records}, ensure_ascii=False, indent=2), file=self.out)


def to_one_line(message: str, limit: int = 400) -> str:
    """``message`` on one line, at most ``limit`` characters."""
    text = "; ".join(part.strip() for part in message.splitlines() if part.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problems_of(exc: BaseException) -> tuple[Problem, ...]:
    """The problem records of an error (one made from its message if it has none)."""
    found = getattr(exc, "problems", None)
    if isinstance(found, tuple) and all(isinstance(p, Problem) for p in found) and found:
        return found
    name = type(exc).__name__
    code = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()  # RulePackError -> rule_pack_error
    return (Problem("", code, to_one_line(str(exc)) or name),)


# -- argument types: each raises ArgumentTypeError, which argparse reports in one line --


def day(text: str) -> date:
    """A day, YYYY-MM-DD, between 1900-01-01 and 2999-12-31."""
    try:
        found = date.fromisoformat(text)
    except ValueError:
        msg = say("not_a_date", value=repr(text[:40]))
        raise argparse.ArgumentTypeError(msg) from None
    if not EARLIEST <= found <= LATEST:
        msg = say("outside", value=found, low=EARLIEST, high=LATEST)
        raise argparse.ArgumentTypeError(msg)
    return found


def bounded(low: int, high: int) -> Callable[[str], int]:
    """An argument type: a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            msg = say("not_a_number", value=repr(text[:40]))
            raise argparse.ArgumentTypeError(msg) from None
        if not low <= value <= high:
            msg = say("outside", value=value, low=low, high=high)
            raise argparse.ArgumentTypeError(msg)
        return value

    parse.__name__ = "number"
    return parse


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def timezone(text: str) -> ZoneInfo:
    """An IANA time zone name (``Asia/Shanghai``)."""
    if text not in _zones():
        msg = say("not_a_zone", value=repr(text[:60]))
        raise argparse.ArgumentTypeError(msg)
    return ZoneInfo(text)


def output_file(*suffixes: str) -> Callable[[str], Path]:
    """An argument type: a file to write, with one of ``suffixes``, in a writable folder."""

    def parse(text: str) -> Path:
        path = Path(text)
        if path.suffix.lower() not in suffixes:
            msg = say("write_suffix", path=text, suffixes=suffixes)
            raise argparse.ArgumentTypeError(msg)
        check_writable(path)
        return path

    parse.__name__ = "output"
    return parse


def check_writable(path: Path) -> None:
    """Raise ArgumentTypeError unless ``path`` can be created or replaced."""
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        msg = say("is_a_folder", path=path)
        raise argparse.ArgumentTypeError(msg)
    if not folder.is_dir():
        msg = say("no_folder", path=path, folder=folder)
        raise argparse.ArgumentTypeError(msg)
    if not os.access(folder, os.W_OK | os.X_OK):
        msg = say("folder_not_writable", path=path, folder=folder)
        raise argparse.ArgumentTypeError(msg)
    if path.exists() and not os.access(path, os.W_OK):
        msg = say("file_not_writable", path=path)
        raise argparse.ArgumentTypeError(msg)


def size(text: str) -> int:
    """A number of bytes, with an optional unit: ``4M``, ``500k``, ``1G`` (powers of 1024).

    The syntax of ``SW_VOLUNTEER_MAX_BYTES``, read by the same parser.
    """
    try:
        return parse_size(text, where="--max-bytes")
    except DocumentError:
        msg = say("bad_size", value=repr(text[:40]))
        raise argparse.ArgumentTypeError(msg) from None


def network_source(text: str) -> str:
    """A network argument: an embedded dataset's name or a .json/.yaml/.yml file."""
    if text in DATASETS and not Path(text).exists():
        return text
    if Path(text).suffix.lower() not in DOCUMENT_SUFFIXES:
        msg = say("not_a_network", value=text[:200], datasets=tuple(DATASETS))
        raise argparse.ArgumentTypeError(msg)
    return text


class Findings(Exception):  # noqa: N818 - a signal to main, not an error of the library
    """The input was read and breaks structural rules: its problems are listed, exit 1."""

    def __init__(self, error: InputError | SimulationError) -> None:
        super().__init__(str(error))
        self.error = error
        self.problems = error.problems

    def render(self, lang: Lang) -> str:
        """The problems in ``lang``: a heading, then one line each (the first ``MAX_LISTED``)."""
        if lang != "zh":
            return str(self.error)
        n = len(self.problems)
        lines = [f"{self.error.subject}：发现 {n} 个结构问题"]
        lines.extend(f"  {p}" for p in self.problems[:MAX_LISTED])
        if n > MAX_LISTED:
            lines.append(f"  … 另有 {n - MAX_LISTED:,} 个")
        return "\n".join(lines)


def read_network(source: str) -> Network:
    """The network named by ``source`` (checked by ``network_source``).

    Raises:
        DocumentError: The file cannot be read as a document (exit 2).
        Findings: The document is read but is not a valid network (exit 1).
    """
    if source in DATASETS and not Path(source).exists():
        return DATASETS[source]()
    try:
        return load(source)
    except DocumentError:
        raise
    except InputError as exc:
        raise Findings(exc) from exc


# -- options shared by the commands ---------------------------------------------------------


def add_network(parser: argparse.ArgumentParser, name: str = "file") -> None:
    """The positional network argument, with ``--max-bytes``."""
    parser.add_argument(
        name,
        type=network_source,
        help=f"a network document (.json, .yaml, .yml) or a dataset name ({', '.join(DATASETS)})",
    )
    add_max_bytes(parser)


def add_max_bytes(parser: argparse.ArgumentParser) -> None:
    """``--max-bytes SIZE``: the largest document read (the library's ``max_bytes``)."""
    parser.add_argument(
        "--max-bytes",
        type=size,
        default=None,
        metavar="SIZE",
        help="the largest document read, in bytes, with k, M or G for powers of 1024 "
        f"(4M, 500k); default: ${MAX_BYTES_ENV}, else {DEFAULT_MAX_BYTES >> 20}M",
    )


def add_lang(parser: argparse.ArgumentParser) -> None:
    """``--lang en|zh``."""
    parser.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language of what is printed (en)"
    )


def add_format(parser: argparse.ArgumentParser, *, deprecated_json: bool = False) -> None:
    """``--format text|json`` (and the older ``--json`` where it existed)."""
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    if deprecated_json:
        parser.add_argument(
            "--json",
            dest="format",
            action="store_const",
            const="json",
            help="the same as --format json (deprecated)",
        )


SubParsers = Any
"""argparse's sub-parser action (its class is private)."""

Register = Callable[[SubParsers], None]
"""A command's registration function: adds its sub-parser and sets ``run``."""

Run = Callable[[argparse.Namespace, Context], int]
"""A command: the parsed arguments and the context; returns the exit status."""


def wants_json(argv: Sequence[str]) -> bool:
    """Whether ``argv`` asks for JSON (the last ``--format`` wins), to report errors so."""
    found = False
    for word, after in itertools.pairwise([*argv, ""]):
        if word == "--json":
            found = True
        elif word == "--format":
            found = after == "json"
        elif word.startswith("--format="):
            found = word == "--format=json"
    return found


def wants_lang(argv: Sequence[str]) -> Lang:
    """The language ``argv`` asks for (the last ``--lang`` wins), to word errors in it.

    Known before the arguments are parsed, so that the errors of parsing follow it.

    Example:
        >>> wants_lang(["check", "a.yaml", "--lang", "zh"]), wants_lang(["demo", "--lang=en"])
        ('zh', 'en')
    """
    found: Lang = "en"
    for word, after in itertools.pairwise([*argv, ""]):
        if word == "--lang":
            found = "zh" if after == "zh" else "en"
        elif word.startswith("--lang="):
            found = "zh" if word == "--lang=zh" else "en"
    return found
