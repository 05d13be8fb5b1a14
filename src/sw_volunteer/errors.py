"""The exceptions raised by sw_volunteer: one tree, each class also a builtin.

A breach of a rule is *not* an exception: :func:`sw_volunteer.check` returns it as a
value in a report. Exceptions mean the input cannot be used, or the library was
misused::

    SwVolunteerError
    ├── InputError(ValueError)              data that cannot be used; lists every problem
    │   ├── DocumentError                   a file or string that is not a usable document
    │   │                                   (empty, not UTF-8, not JSON/YAML, unsafe YAML,
    │   │                                   too large or too deep)
    │   ├── NetworkValidationError          entities that cannot form a network (bad
    │   │                                   values, duplicate ids, dangling references)
    │   ├── RosterImportError               a CSV roster with bad rows or columns
    │   ├── CalendarImportError             a calendar file with events a schedule cannot hold
    │   ├── HsdsImportError                 an HSDS document that cannot become a network
    │   └── InvalidRecurrenceError          an RRULE or schedule that cannot be expanded
    ├── RuleError(ValueError)               a rule or rule pack configured wrongly (misuse)
    │   ├── RuleConfigurationError          bad parameters for a rule
    │   ├── RulePackError                   a rule pack file that cannot be used
    │   └── UnknownRuleKindError(LookupError)  no evaluator registered for a rule kind
    ├── PolicyViolationError                raised on request by Report.raise_for_violations
    ├── SimulationError(ValueError)         a scenario that cannot be simulated
    ├── CertificateError(ValueError)        a certificate whose totals disagree with the records
    └── MissingDependencyError(ImportError) an optional extra is not installed

Every :class:`InputError` carries :attr:`InputError.problems`, a tuple of
:class:`Problem` records (location, code, message), so that callers can show every
problem at once; ``str(error)`` lists them all.

Example:
    >>> err = NetworkValidationError([
    ...     Problem("volunteers[3].centre", "dangling_reference", "no centre 'liqun2'"),
    ...     Problem("centres[0].id", "duplicate_id", "id 'liqun' is used twice"),
    ... ])
    >>> print(err)
    2 problems in the network:
      volunteers[3].centre: no centre 'liqun2' [dangling_reference]
      centres[0].id: id 'liqun' is used twice [duplicate_id]
    >>> isinstance(err, ValueError)
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CalendarImportError",
    "CertificateError",
    "DocumentError",
    "HsdsImportError",
    "InputError",
    "InvalidRecurrenceError",
    "MissingDependencyError",
    "NetworkValidationError",
    "PolicyViolationError",
    "Problem",
    "RosterImportError",
    "RuleConfigurationError",
    "RuleError",
    "RulePackError",
    "SimulationError",
    "SwVolunteerError",
    "UnknownRuleKindError",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located precisely.

    Attributes:
        location: Where the problem is, as a path into the input
            (``"volunteers[3].centre"``, ``"row 4, column birth_date"``, ``"line 7"``).
        code: A stable, machine-readable slug (``"dangling_reference"``).
        message: What was found and what was expected, in English.
    """

    location: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message} [{self.code}]"


class SwVolunteerError(Exception):
    """Root of every exception this library raises on purpose."""


class InputError(SwVolunteerError, ValueError):
    """Input data that cannot be used. Lists every problem found, never only the first.

    Args:
        problems: Every problem found; at least one.
        subject: What was being read, for the first line of the message.
    """

    subject_default = "the input"

    def __init__(self, problems: Iterable[Problem], *, subject: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            msg = f"{type(self).__name__} needs at least one problem"
            raise TypeError(msg)
        self.subject = subject if subject is not None else self.subject_default
        super().__init__(self._render())

    def _render(self) -> str:
        if len(self.problems) == 1:
            return f"{self.subject}: {self.problems[0]}" if self.subject else str(self.problems[0])
        where = f" in {self.subject}" if self.subject else ""
        lines = [f"{len(self.problems)} problems{where}:"]
        lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the problems, in order."""
        return tuple(p.code for p in self.problems)

    def __reduce__(self) -> tuple[object, ...]:
        # Keeps the problems when the error crosses a process boundary (executors).
        return (_rebuild_input_error, (type(self), self.problems, self.subject))


def _rebuild_input_error(
    cls: type[InputError], problems: tuple[Problem, ...], subject: str
) -> InputError:
    return cls(problems, subject=subject)


class DocumentError(InputError):
    """A file or string that is not a usable JSON or YAML document.

    Its problems are located by file name, line and column, so no subject is added.
    """

    subject_default = ""


class NetworkValidationError(InputError):
    """Entities that cannot form a network: bad values, duplicate ids, dangling references."""

    subject_default = "the network"


class RosterImportError(InputError):
    """A CSV volunteer roster with bad rows or columns; each problem names row and column."""

    subject_default = "the roster"


class InvalidRecurrenceError(InputError):
    """An RRULE or schedule that cannot be parsed or expanded."""

    subject_default = "the recurrence"


class CalendarImportError(InputError):
    """A calendar file (RFC 5545) whose events cannot become schedules; each names its UID."""

    subject_default = "the calendar"


class HsdsImportError(InputError):
    """An HSDS document that cannot become a network; each problem names its JSON path."""

    subject_default = "the HSDS document"


class RuleError(SwVolunteerError, ValueError):
    """A rule or rule pack configured wrongly. Raised at once: this is misuse, not a breach."""


class RuleConfigurationError(RuleError):
    """Bad parameters for a rule (a negative limit, an unknown need, ...)."""


class RulePackError(RuleError):
    """A rule pack that cannot be loaded: bad YAML, unknown base pack, missing source."""


class UnknownRuleKindError(RuleError, LookupError):
    """No evaluator is registered for a rule's ``kind``."""


class PolicyViolationError(SwVolunteerError):
    """Raised by ``Report.raise_for_violations()`` when a report holds errors.

    Attributes:
        report: The report that was checked.
    """

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report


class SimulationError(SwVolunteerError, ValueError):
    """A scenario that cannot be simulated (negative rates, an empty grid, ...)."""


class CertificateError(SwVolunteerError, ValueError):
    """A service certificate whose hours disagree with the records; names the records."""


class MissingDependencyError(SwVolunteerError, ImportError):
    """An optional dependency is not installed; the message names the extra to install.

    Example:
        >>> print(MissingDependencyError.for_extra("pandas", "pandas"))
        this feature needs the optional dependency 'pandas': pip install 'sw-volunteer[pandas]'
    """

    @classmethod
    def for_extra(cls, module: str, extra: str) -> MissingDependencyError:
        """Build the error for a missing ``module`` that the extra ``extra`` installs."""
        return cls(
            f"this feature needs the optional dependency {module!r}: "
            f"pip install 'sw-volunteer[{extra}]'"
        )
