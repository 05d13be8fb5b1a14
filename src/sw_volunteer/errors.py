"""The exceptions raised by sw_volunteer: one tree, each class also a builtin.

A breach of a rule is *not* an exception: [`sw_volunteer.check`][sw_volunteer.rules.check] returns
it as a value in a report. Exceptions mean the input cannot be used, or the library was
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

Every [`InputError`][sw_volunteer.errors.InputError], [`RuleError`][sw_volunteer.errors.RuleError]
and [`SimulationError`][sw_volunteer.errors.SimulationError] carries ``problems``, a tuple of
[`Problem`][sw_volunteer.errors.Problem] records (location, code, message), so that callers can show
every problem at once. ``str(error)`` lists the first [`MAX_LISTED`][sw_volunteer.errors.MAX_LISTED]
of them and counts the rest (a document with a million dangling references gives a short message);
``problems`` keeps them all.

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
    "MAX_LISTED",
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

    Example:
        >>> print(Problem("volunteers[3].centre", "dangling_reference", "no centre 'c2'"))
        volunteers[3].centre: no centre 'c2' [dangling_reference]
    """

    location: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message} [{self.code}]"


MAX_LISTED = 20
"""The most problems an error's message lists; ``problems`` keeps every one."""


def render_problems(problems: tuple[Problem, ...], subject: str) -> str:
    """The message of an error with ``problems``: the first ``MAX_LISTED``, then a count.

    See [`MAX_LISTED`][sw_volunteer.errors.MAX_LISTED].

    Example:
        >>> many = tuple(Problem(f"row {i}", "bad", "x") for i in range(2, 25))
        >>> print(render_problems(many, "the roster").splitlines()[-1])
          … and 3 more
    """
    if len(problems) == 1:
        return f"{subject}: {problems[0]}" if subject else str(problems[0])
    where = f" in {subject}" if subject else ""
    lines = [f"{len(problems):,} problems{where}:"]
    lines.extend(f"  {p}" for p in problems[:MAX_LISTED])
    if len(problems) > MAX_LISTED:
        lines.append(f"  … and {len(problems) - MAX_LISTED:,} more")
    return "\n".join(lines)


class SwVolunteerError(Exception):
    """Root of every exception this library raises on purpose.

    Example:
        >>> import sw_volunteer as sv
        >>> try:
        ...     sv.loads("centres: [")
        ... except sv.SwVolunteerError as exc:
        ...     print(type(exc).__name__, isinstance(exc, ValueError))
        DocumentError True
    """


class _ProblemsError(SwVolunteerError):
    """An error built from one message or from ``Problem`` records (kept in ``problems``).

    A plain message becomes one problem with no location and the class's default code.
    """

    code_default = "error"
    subject_default = ""

    def __init__(self, problems: str | Iterable[Problem], *, subject: str | None = None) -> None:
        self.subject = subject if subject is not None else self.subject_default
        if isinstance(problems, str):
            self.problems: tuple[Problem, ...] = (Problem("", self.code_default, problems),)
            super().__init__(problems)
            return
        self.problems = tuple(problems)
        if not self.problems:
            msg = f"{type(self).__name__} needs at least one problem"
            raise TypeError(msg)
        super().__init__(render_problems(self.problems, self.subject))

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the problems, in order."""
        return tuple(p.code for p in self.problems)

    def __reduce__(self) -> tuple[object, ...]:
        # Keeps the problems when the error crosses a process boundary (executors).
        message = self.args[0] if self.args else ""
        return (_rebuild_with_problems, (type(self), self.problems, self.subject, message))


def _rebuild_with_problems(
    cls: type[_ProblemsError], problems: tuple[Problem, ...], subject: str, message: str
) -> _ProblemsError:
    if len(problems) == 1 and not problems[0].location and problems[0].message == message:
        return cls(message, subject=subject)
    return cls(problems, subject=subject)


class InputError(SwVolunteerError, ValueError):
    """Input data that cannot be used. Lists every problem found, never only the first.

    Args:
        problems: Every problem found; at least one.
        subject: What was being read, for the first line of the message.

    Example:
        >>> bad = [Problem(f"row {n}", "bad_date", "not a date") for n in (2, 5)]
        >>> error = InputError(bad, subject="the form")
        >>> print(error)
        2 problems in the form:
          row 2: not a date [bad_date]
          row 5: not a date [bad_date]
        >>> error.codes
        ('bad_date', 'bad_date')
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
        return render_problems(self.problems, self.subject)

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

    Example:
        >>> import sw_volunteer as sv
        >>> try:
        ...     sv.loads("centres: [")
        ... except DocumentError as exc:
        ...     print(exc.problems[0].location.startswith("<string>, line"))
        True
    """

    subject_default = ""


class NetworkValidationError(InputError):
    """Entities that cannot form a network: bad values, duplicate ids, dangling references.

    Example:
        >>> import sw_volunteer as sv
        >>> try:
        ...     sv.Network(workers=[sv.SocialWorker(id="w1", name="A", centre="nope")])
        ... except NetworkValidationError as exc:
        ...     print(exc.codes, exc.problems[0].location)
        ('dangling_reference',) workers[0].centre
    """

    subject_default = "the network"


class RosterImportError(InputError):
    r"""A CSV volunteer roster with bad rows or columns; each problem names row and column.

    Example:
        >>> from sw_volunteer.io import read_roster_csv
        >>> try:
        ...     read_roster_csv("id,name,centre,birth_date\nv1,陈某,liqun,not a date", text=True)
        ... except RosterImportError as exc:
        ...     print(exc.problems[0].location)
        row 2, column birth_date
    """

    subject_default = "the roster"


class InvalidRecurrenceError(InputError):
    """An RRULE or schedule that cannot be parsed or expanded.

    Example:
        >>> error = InvalidRecurrenceError([Problem("rules[0]", "invalid_rrule", "FREQ=SOMETIMES")])
        >>> print(error)
        the recurrence: rules[0]: FREQ=SOMETIMES [invalid_rrule]
        >>> isinstance(error, InputError)
        True
    """

    subject_default = "the recurrence"


class CalendarImportError(InputError):
    """A calendar file (RFC 5545) whose events cannot become schedules; each names its UID."""

    subject_default = "the calendar"


class HsdsImportError(InputError):
    """An HSDS document that cannot become a network; each problem names its JSON path."""

    subject_default = "the HSDS document"


class RuleError(_ProblemsError, ValueError):
    """A rule or rule pack configured wrongly. Raised at once: this is misuse, not a breach.

    Args:
        problems: A message, or every problem found
            ([`Problem`][sw_volunteer.errors.Problem] records).
        subject: What was being read (a pack's file), for the first line of the message.

    Example:
        >>> from sw_volunteer import rules
        >>> try:
        ...     rules.pack("no-such-pack")
        ... except RuleError as exc:
        ...     print(type(exc).__name__)
        RulePackError
    """

    code_default = "rule_error"


class RuleConfigurationError(RuleError):
    """Bad parameters for a rule (a negative limit, an unknown need, ...).

    Example:
        >>> from sw_volunteer.rules import Rule
        >>> try:
        ...     Rule(id="r", kind="caseload_limit", params={"max_cases": -1}, source="x")
        ... except RuleConfigurationError as exc:
        ...     print("caseload_limit" in str(exc))
        True
    """

    code_default = "bad_rule"


class RulePackError(RuleError):
    """A rule pack that cannot be loaded: bad YAML, unknown base pack, missing source.

    Its problems name the file, and the line where the YAML gives one.

    Example:
        >>> from sw_volunteer import rules
        >>> try:
        ...     rules.pack("no-such-pack")
        ... except RulePackError as exc:
        ...     print("cn-default" in str(exc))
        True
    """

    code_default = "bad_pack"


class UnknownRuleKindError(RuleError, LookupError):
    """No evaluator is registered for a rule's ``kind``.

    Example:
        >>> from sw_volunteer.rules import get_rule_kind
        >>> try:
        ...     get_rule_kind("no_such_kind")
        ... except UnknownRuleKindError as exc:
        ...     print(isinstance(exc, LookupError), "caseload_limit" in str(exc))
        True True
    """

    code_default = "unknown_rule_kind"


class PolicyViolationError(SwVolunteerError):
    """Raised by ``Report.raise_for_violations()`` when a report holds errors.

    Attributes:
        report: The report that was checked.

    Example:
        >>> import sw_volunteer as sv
        >>> report = sv.check(sv.datasets.ruian_2013())
        >>> try:
        ...     report.raise_for_violations()
        ... except PolicyViolationError as exc:
        ...     print(exc.report is report, len(report.errors))
        True 2
    """

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report


class SimulationError(_ProblemsError, ValueError):
    """A scenario that cannot be simulated (negative rates, an empty grid, ...).

    Args:
        problems: A message, or every problem found
            ([`Problem`][sw_volunteer.errors.Problem] records).
        subject: What was being read, for the first line of the message.

    Example:
        >>> from sw_volunteer import simulation as sim
        >>> scenario = sim.Scenario(weeks=2, centres=[sim.CentreStart(id="a")])
        >>> try:
        ...     sim.run(scenario, replications=0)
        ... except SimulationError as exc:
        ...     print(exc)
        the simulation: replications: replications must be a positive int, not 0 [bad_value]
    """

    code_default = "bad_scenario"


class CertificateError(SwVolunteerError, ValueError):
    """A service certificate whose hours disagree with the records; names the records."""


class MissingDependencyError(SwVolunteerError, ImportError):
    """An optional dependency is not installed; the message names the extra to install.

    The command given installs the extra from a clone of the project (run it in the
    clone's folder); the package is not on a package index yet, so the published name
    (``pip install 'sw-volunteer[pandas]'``) works only once it is.

    Example:
        >>> print(MissingDependencyError.for_extra("pandas", "pandas"))
        this feature needs the optional dependency 'pandas' (the extra 'pandas'): in a clone
        of sw_volunteer, run pip install -e '.[pandas]'
    """

    @classmethod
    def for_extra(cls, module: str, extra: str) -> MissingDependencyError:
        """Build the error for a missing ``module`` that the extra ``extra`` installs."""
        return cls(
            f"this feature needs the optional dependency {module!r} (the extra {extra!r}): "
            f"in a clone of sw_volunteer, run pip install -e '.[{extra}]'"
        )
