"""Reading and writing networks: documents, JSON Schema, rosters, HSDS, calendars (RFC 5545)."""

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
from sw_volunteer.io._hsds import (
    HSDS_NAMESPACE,
    SERVICE_AREA_LINK,
    HsdsImport,
    from_hsds,
    hsds_uuid,
    to_hsds,
)
from sw_volunteer.io._ics import WINDOWS_ZONES, CalendarEvent, read_ics, to_ics
from sw_volunteer.io._roster import ROSTER_COLUMNS, ROSTER_HEADERS_ZH, read_roster_csv
from sw_volunteer.io._scenario_files import load_scenario

__all__ = [
    "HSDS_NAMESPACE",
    "ROSTER_COLUMNS",
    "ROSTER_HEADERS_ZH",
    "SERVICE_AREA_LINK",
    "WINDOWS_ZONES",
    "CalendarEvent",
    "DocumentLimits",
    "Format",
    "HsdsImport",
    "document_limits",
    "dump",
    "dumps",
    "from_hsds",
    "hsds_uuid",
    "json_schema",
    "load",
    "load_scenario",
    "loads",
    "read_ics",
    "read_roster_csv",
    "to_hsds",
    "to_ics",
]
