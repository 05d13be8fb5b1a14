"""sw_volunteer: typed models, rule checks and staffing simulation for 社工+义工 programmes.

Example:
    >>> import sw_volunteer as sv
    >>> net = sv.Network(centres=[sv.Centre(id="yucai", name="市育才社会工作室")])
    >>> sv.loads(sv.dumps(net)) == net
    True

``import sw_volunteer`` does not import numpy or networkx: the simulation package
(numpy) is imported the first time ``sw_volunteer.simulation`` is used, and the graph
analyses import networkx inside the functions that need it.
"""

import typing as _typing

from sw_volunteer import (
    datasets,
    graph,
    io,
    models,
    paperwork,
    privacy,
    rules,
    scheduling,
    vocab,
)
from sw_volunteer._version import __version__
from sw_volunteer.errors import (
    DocumentError,
    InputError,
    InvalidRecurrenceError,
    MissingDependencyError,
    NetworkValidationError,
    PolicyViolationError,
    Problem,
    RosterImportError,
    RuleConfigurationError,
    RuleError,
    RulePackError,
    SimulationError,
    SwVolunteerError,
    UnknownRuleKindError,
)
from sw_volunteer.io import dump, dumps, json_schema, load, loads, read_roster_csv
from sw_volunteer.models import (
    Absence,
    Activity,
    CaseAssignment,
    Centre,
    Client,
    ExternalSupervisor,
    FundedProject,
    Incident,
    KpiTargets,
    Network,
    NetworkInfo,
    Period,
    Programme,
    RecordCorrection,
    Schedule,
    ServiceRecord,
    SocialWorker,
    Supervision,
    SupervisionSession,
    TaskAssignment,
    TrainingRecord,
    Volunteer,
)
from sw_volunteer.rules import Checker, Report, Severity, Violation, check

if _typing.TYPE_CHECKING:
    from sw_volunteer import simulation
from sw_volunteer.vocab import (
    CentreKind,
    CertificationLevel,
    ClientNeed,
    ProfessionalTask,
    Qualification,
    ServiceArea,
    Setting,
    SupervisionKind,
)

__all__ = [
    "Absence",
    "Activity",
    "CaseAssignment",
    "Centre",
    "CentreKind",
    "CertificationLevel",
    "Checker",
    "Client",
    "ClientNeed",
    "DocumentError",
    "ExternalSupervisor",
    "FundedProject",
    "Incident",
    "InputError",
    "InvalidRecurrenceError",
    "KpiTargets",
    "MissingDependencyError",
    "Network",
    "NetworkInfo",
    "NetworkValidationError",
    "Period",
    "PolicyViolationError",
    "Problem",
    "ProfessionalTask",
    "Programme",
    "Qualification",
    "RecordCorrection",
    "Report",
    "RosterImportError",
    "RuleConfigurationError",
    "RuleError",
    "RulePackError",
    "Schedule",
    "ServiceArea",
    "ServiceRecord",
    "Setting",
    "Severity",
    "SimulationError",
    "SocialWorker",
    "Supervision",
    "SupervisionKind",
    "SupervisionSession",
    "SwVolunteerError",
    "TaskAssignment",
    "TrainingRecord",
    "UnknownRuleKindError",
    "Violation",
    "Volunteer",
    "__version__",
    "check",
    "datasets",
    "dump",
    "dumps",
    "graph",
    "io",
    "json_schema",
    "load",
    "loads",
    "models",
    "paperwork",
    "privacy",
    "read_roster_csv",
    "rules",
    "scheduling",
    "simulation",
    "vocab",
]


def __getattr__(name: str) -> _typing.Any:
    """Import ``sw_volunteer.simulation`` (and so numpy) on first use."""
    if name == "simulation":
        from importlib import import_module

        return import_module("sw_volunteer.simulation")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
