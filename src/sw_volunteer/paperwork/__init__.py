"""The paperwork programmes keep: service-record certificates and exports.

This part sits at the level of [`sw_volunteer.io`][sw_volunteer.io]: it reads the models, the hours
([`sw_volunteer.scheduling`][sw_volunteer.scheduling]) and the packs
([`sw_volunteer.rules`][sw_volunteer.rules]), and writes documents (HTML, CSV).

Example:
    >>> from datetime import date
    >>> from sw_volunteer import datasets, paperwork
    >>> cert = paperwork.service_certificate(
    ...     datasets.ruian_2013(), "yucai-v03", start=date(2013, 9, 1),
    ...     until=date(2014, 1, 31), number="YC-2014-001", issued=date(2014, 2, 10))
    >>> cert.hours > 0
    True
"""

from sw_volunteer.paperwork._certificate import (
    CertificateLine,
    ServiceCertificate,
    certificate_html,
    service_certificate,
)
from sw_volunteer.paperwork._projects import (
    KPI_NAMES,
    KpiForecast,
    KpiProgress,
    ProjectForecast,
    ProjectProgress,
    project_forecast,
    project_progress,
)
from sw_volunteer.paperwork._volunteer_system import (
    RECORD_COLUMNS,
    records_csv,
    write_records_csv,
)

__all__ = [
    "KPI_NAMES",
    "RECORD_COLUMNS",
    "CertificateLine",
    "KpiForecast",
    "KpiProgress",
    "ProjectForecast",
    "ProjectProgress",
    "ServiceCertificate",
    "certificate_html",
    "project_forecast",
    "project_progress",
    "records_csv",
    "service_certificate",
    "write_records_csv",
]
