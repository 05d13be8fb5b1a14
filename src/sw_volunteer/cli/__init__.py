"""The ``sw-volunteer`` command line.

Exit status, the same for every command (also printed by ``--help``): 0 success
(``check``: no rule errors; ``validate``: a valid document); 1 findings: the input was
read and breaks a rule (rule errors, or structural problems in the document such as a
dangling reference); 2 unusable: bad arguments, a file that cannot be read as a document,
a bad rule pack, an output that cannot be written, always with one line on stderr;
130 interrupted (Ctrl-C), with one line on stderr and no traceback; 141 stdout was closed
early (``| head``), quietly.

Results go to stdout and diagnostics to stderr. With ``--format json`` stdout holds one
JSON document whatever happens: the result, or ``{"problems": [...]}`` (location, code,
message) when the command stopped. The one-line diagnostics follow ``--lang`` (read
from the command line before parsing; see ``sw_volunteer.cli._messages``), the JSON
``message`` too; codes stay English.

Adding a command: write a module ``_<name>.py`` with a ``register(sub)`` function that
calls ``sub.add_parser(...)``, adds its arguments (checked by the argument types of
``sw_volunteer.cli._common``: ``day``, ``bounded``, ``timezone``, ``output_file``,
``network_source``, ``size``; ``add_lang``, ``add_format`` and ``add_max_bytes`` for the
shared options) and sets ``run=`` a function ``(args, ctx) -> exit status`` that prints
through ``ctx.result``; then add the ``register`` function to ``COMMANDS``. A ``run``
function signals unusable input by raising ``Unusable`` (its message worded by
``_messages.say`` from a template in both of its tables) or letting an error of
[`sw_volunteer.errors`][sw_volunteer.errors] through; ``main`` reports it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import typing
from collections import abc as _abc

from sw_volunteer import errors as _errors
from sw_volunteer._version import __version__ as _version
from sw_volunteer.cli import (
    _check,
    _common,
    _demo,
    _messages,
    _plan,
    _privacy,
    _sessions,
    _simulate,
)
from sw_volunteer.cli._common import (
    EXIT_BREACH,
    EXIT_BROKEN_PIPE,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNUSABLE,
)
from sw_volunteer.cli._summary import summarise, summarise_simulation
from sw_volunteer.io import document_limits as _document_limits

__all__ = [
    "COMMANDS",
    "EXIT_BREACH",
    "EXIT_BROKEN_PIPE",
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_UNUSABLE",
    "UNUSABLE_INPUT",
    "main",
    "parser",
    "summarise",
    "summarise_simulation",
]

COMMANDS: list[_common.Register] = [
    _demo.register,
    _check.register,
    _sessions.register,
    _simulate.register,
    _privacy.register,
    _plan.register,
]
"""Every command's registration function, in the order ``--help`` lists them."""

UNUSABLE_INPUT: tuple[type[BaseException], ...] = (
    _common.Unusable,
    _errors.SwVolunteerError,
    OSError,
    UnicodeError,
    OverflowError,
    RecursionError,
    MemoryError,
)
"""Errors that mean the input or the machine cannot serve the request: exit 2, one line.
Any other exception is a bug and is left to surface."""

_EPILOG = (
    _common.EXIT_CODES_HELP
    + "\n"
    + _common.MAX_BYTES_HELP
    + "\nEmbedded datasets, usable wherever a network file is: "
    + ", ".join(_common.DATASETS)
    + "\n"
)


class _BadArguments(Exception):  # noqa: N818 - a signal from the parser to main
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.problems = (_errors.Problem("arguments", "bad_argument", message),)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors reach ``main`` instead of exiting."""

    def error(self, message: str) -> typing.NoReturn:
        raise _BadArguments(_messages.bad_arguments(self.prog, message))


def parser() -> argparse.ArgumentParser:
    """The parser of every command, with the exit codes in each ``--help``.

    Example:
        >>> args = parser().parse_args(["check", "ruian-2013", "--lang", "zh"])
        >>> args.command, args.file, args.lang, args.format
        ('check', 'ruian-2013', 'zh', 'text')
    """
    top = _Parser(
        prog="sw-volunteer",
        description="Model, check and simulate social-work + volunteer programmes.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {_version}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(sub)
    for command in sub.choices.values():
        command.epilog = _EPILOG
        command.formatter_class = argparse.RawDescriptionHelpFormatter
    return top


def main(
    argv: _abc.Sequence[str] | None = None,
    *,
    out: typing.TextIO | None = None,
    err: typing.TextIO | None = None,
) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Results go to ``out`` (default stdout); diagnostics and the progress bar to ``err``
    (default stderr).

    Example:
        >>> import io
        >>> err = io.StringIO()
        >>> main(["sessions", "ruian-2013", "--start", "2013-11-18", "--days", "0"], err=err)
        2
        >>> print(err.getvalue(), end="")
        sw-volunteer sessions: argument --days: 0 is outside 1 to 366 (see --help)
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    words = list(sys.argv[1:] if argv is None else argv)
    with _messages.language(_common.wants_lang(words)):
        try:
            return _main(words, out, err)
        except KeyboardInterrupt:
            return _interrupted(words, out, err)


def _main(words: list[str], out: typing.TextIO, err: typing.TextIO) -> int:
    try:
        with contextlib.redirect_stdout(out):  # --help and --version print to stdout
            args = parser().parse_args(words)
    except _BadArguments as exc:
        _common.Context(out, err, "json" if _common.wants_json(words) else "text").problems(
            str(exc), _common.problems_of(exc)
        )
        return EXIT_UNUSABLE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    ctx = _common.Context(out, err, getattr(args, "format", "text"), getattr(args, "lang", "en"))
    run: _common.Run = args.run
    max_bytes: int | None = getattr(args, "max_bytes", None)
    try:
        limits = {} if max_bytes is None else {"max_bytes": max_bytes}
        with _document_limits(**limits), _messages.language(ctx.lang):  # as parsed
            status = run(args, ctx)
        out.flush()
    except BrokenPipeError:
        return _stdout_closed(out)
    except _common.Findings as found:
        ctx.problems(found.render(ctx.lang), found.problems, one_line=False)
        return EXIT_FINDINGS
    except UNUSABLE_INPUT as exc:
        problems = _common.problems_of(exc)
        if ctx.lang == "zh":
            own = isinstance(exc, _common.Unusable)
            message, problems = _messages.unusable(exc, problems, own=own)
        else:
            message = str(exc) or type(exc).__name__
            if not isinstance(exc, _errors.SwVolunteerError | OSError):
                message = f"{type(exc).__name__}: {message}"
        ctx.problems(message, problems)
        return EXIT_UNUSABLE
    return status


def _interrupted(words: list[str], out: typing.TextIO, err: typing.TextIO) -> int:
    """Ctrl-C: one line on stderr (and the problem as JSON if asked), no traceback."""
    message = _messages.say("interrupted")
    with contextlib.suppress(OSError, ValueError):  # a closed stream has nothing to add
        _common.Context(out, err, "json" if _common.wants_json(words) else "text").problems(
            message, (_errors.Problem("", "interrupted", message),)
        )
    return EXIT_INTERRUPTED


def _stdout_closed(out: typing.TextIO) -> int:
    """Point stdout at the null device so that the flush at exit raises nothing."""
    if out is sys.stdout:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE
