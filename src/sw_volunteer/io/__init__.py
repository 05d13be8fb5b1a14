"""Reading and writing networks: JSON and YAML documents, JSON Schema, CSV rosters."""

from sw_volunteer.io._documents import (
    DocumentLimits,
    Format,
    document_limits,
    dump,
    dumps,
    json_schema,
    load,
    loads,
)
from sw_volunteer.io._hsds import HSDS_NAMESPACE, hsds_uuid, to_hsds
from sw_volunteer.io._roster import ROSTER_COLUMNS, ROSTER_HEADERS_ZH, read_roster_csv
from sw_volunteer.io._scenario_files import load_scenario

__all__ = [
    "HSDS_NAMESPACE",
    "ROSTER_COLUMNS",
    "ROSTER_HEADERS_ZH",
    "DocumentLimits",
    "Format",
    "document_limits",
    "dump",
    "dumps",
    "hsds_uuid",
    "json_schema",
    "load",
    "load_scenario",
    "loads",
    "read_roster_csv",
    "to_hsds",
]
