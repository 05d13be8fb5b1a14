"""sw_volunteer: typed models, rule checks and staffing simulation for 社工+义工 programmes.

Example:
    >>> import sw_volunteer as sv
    >>> net = sv.Network(centres=[sv.Centre(id="yucai", name="市育才社会工作室")])
    >>> sv.loads(sv.dumps(net)) == net
    True
"""

from sw_volunteer import (
    datasets,
    graph,
    io,
    models,
    privacy,
    rules,
    scheduling,
    simulation,
    vocab,
)
from sw_volunteer._version import __version__
from sw_volunteer.errors import (
    DocumentError,
    InputError,
    MissingDependencyError,
    NetworkValidationError,
    Problem,
    SwVolunteerError,
)
from sw_volunteer.io import dump, dumps, json_schema, load, loads, read_roster_csv
from sw_volunteer.models import (
    Absence,
    Activity,
    CaseAssignment,
    Centre,
    Client,
    Network,
    NetworkInfo,
    Period,
    Programme,
    Schedule,
    ServiceRecord,
    SocialWorker,
    Supervision,
    TaskAssignment,
    Volunteer,
)
from sw_volunteer.rules import Report, Severity, Violation, check
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
    "Client",
    "ClientNeed",
    "DocumentError",
    "InputError",
    "MissingDependencyError",
    "Network",
    "NetworkInfo",
    "NetworkValidationError",
    "Period",
    "Problem",
    "ProfessionalTask",
    "Programme",
    "Qualification",
    "Report",
    "Schedule",
    "ServiceArea",
    "ServiceRecord",
    "Setting",
    "Severity",
    "SocialWorker",
    "Supervision",
    "SupervisionKind",
    "SwVolunteerError",
    "TaskAssignment",
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
    "privacy",
    "read_roster_csv",
    "rules",
    "scheduling",
    "simulation",
    "vocab",
]
