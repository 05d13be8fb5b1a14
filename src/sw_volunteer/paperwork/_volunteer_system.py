"""Service records as CSV, one row per record, in the shape of the national volunteer system.

The national volunteer information system (全国志愿服务信息系统) takes service time
per volunteer, keyed by the 志愿者统一编号 that the standard 《志愿服务信息系统基本规范》
(民政部, 2015) introduced in place of the ID-card number. The columns below carry the
items of a 志愿服务记录 (《志愿服务记录办法》 2012, Art. 7); their Chinese headers and
order are this project's choice (the standard's own data-element table was not read),
so check them against the import template of the system you upload to. Every column
is listed, with its source, on the reference page "Service records CSV".

Free-text fields (服务对象, 服务质量评价) and names are left empty unless asked for:
the export is meant to leave the organisation.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sw_volunteer._files import write_atomically
from sw_volunteer.models import Network, ServiceRecord
from sw_volunteer.scheduling import (
    counted_records,
    hours_from_minutes,
    record_issues,
    record_minutes,
)
from sw_volunteer.vocab import Lang

__all__ = ["RECORD_COLUMNS", "records_csv", "write_records_csv"]

RECORD_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("volunteer_number", "志愿者编号", "the volunteer's national unified number, if recorded"),
    ("volunteer_name", "志愿者姓名", "the volunteer's name (only with names=True)"),
    ("record_id", "记录编号", "the record's id"),
    ("organisation", "志愿服务组织", "the name of the centre that keeps the record"),
    ("activity", "活动名称", "the activity's name"),
    ("date", "服务日期", "the local date the service began"),
    ("start", "开始时间", "start, ISO 8601 with its UTC offset (as corrected)"),
    ("end", "结束时间", "end, ISO 8601 with its UTC offset (as corrected)"),
    ("hours", "服务时长（小时）", "hours counted: whole minutes, travel excluded, / 60, 2 places"),
    ("travel_minutes", "交通时间（分钟）", "travel noted inside start-end, not counted"),
    ("place", "服务地点", "the place"),
    ("content", "服务内容", "what was done"),
    ("recipients", "服务对象", "who was served (free text; only with free_text=True)"),
    ("evaluation", "服务质量评价", "the evaluation (free text; only with free_text=True)"),
    ("in_charge", "活动负责人", "the id of the social worker in charge"),
    ("recorder", "记录人", "the id of the person who made the record"),
    ("counted", "是否计入时长", "是 / 否: 否 when the record contradicts the schedule"),
    ("corrections", "更正次数", "how many corrections the record has had"),
)
"""Each column: its key, its Chinese header, what it holds."""


def _row(
    network: Network,
    r: ServiceRecord,
    *,
    flagged: set[str],
    names: bool,
    free_text: bool,
) -> dict[str, str]:
    volunteer = network.volunteer(r.volunteer)
    values: dict[str, object] = {
        "volunteer_number": volunteer.volunteer_number or "",
        "volunteer_name": volunteer.name if names else "",
        "record_id": r.id,
        "organisation": network.centre(volunteer.centre).name,
        "activity": network.activity(r.activity).name,
        "date": r.start.date().isoformat(),
        "start": r.start.isoformat(),
        "end": r.end.isoformat(),
        "hours": hours_from_minutes(record_minutes(r)),
        "travel_minutes": r.travel_minutes,
        "place": r.place or "",
        "content": r.content or "",
        "recipients": (r.recipients or "") if free_text else "",
        "evaluation": (r.evaluation or "") if free_text else "",
        "in_charge": r.in_charge or "",
        "recorder": r.recorder or "",
        "counted": "否" if r.id in flagged else "是",
        "corrections": len(r.corrections),
    }
    return {key: str(values[key]) for key, _, _ in RECORD_COLUMNS}


def records_csv(
    network: Network,
    *,
    names: bool = False,
    free_text: bool = False,
    header: Lang = "zh",
) -> str:
    """The service records as CSV text (records as corrected; withdrawn ones left out).

    Args:
        network: The network with its records.
        names: Fill the 志愿者姓名 column.
        free_text: Fill the 服务对象 and 服务质量评价 columns.
        header: ``"zh"`` for the Chinese headers, ``"en"`` for the column keys.

    Example:
        >>> from sw_volunteer import datasets
        >>> text = records_csv(datasets.ruian_2013())
        >>> text.splitlines()[0].split(",")[:3]
        ['志愿者编号', '志愿者姓名', '记录编号']
    """
    flagged = {rid for issue in record_issues(network) for rid in issue.records}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([zh if header == "zh" else key for key, zh, _ in RECORD_COLUMNS])
    records = sorted(counted_records(network), key=lambda r: (r.start.timestamp(), r.id))
    for r in records:
        row = _row(network, r, flagged=flagged, names=names, free_text=free_text)
        writer.writerow([row[key] for key, _, _ in RECORD_COLUMNS])
    return out.getvalue()


def write_records_csv(
    network: Network,
    path: str | Path,
    *,
    names: bool = False,
    free_text: bool = False,
    header: Lang = "zh",
) -> None:
    """Write ``records_csv`` to ``path`` in UTF-8 with a byte-order mark (for Excel).

    The file is written as documents are (``sw_volunteer.io.dump``): whole or not at
    all, a new file readable by its owner only, an existing file keeping its mode.

    Example:
        >>> import stat, tempfile
        >>> from pathlib import Path
        >>> import sw_volunteer as sv
        >>> path = Path(tempfile.mkdtemp()) / "records.csv"
        >>> write_records_csv(sv.datasets.ruian_2013(), path)
        >>> path.read_text(encoding="utf-8-sig").split(",")[:3]
        ['志愿者编号', '志愿者姓名', '记录编号']
        >>> oct(stat.S_IMODE(path.stat().st_mode))
        '0o600'
    """
    text = records_csv(network, names=names, free_text=free_text, header=header)
    write_atomically(Path(path), text.encode("utf-8-sig"))
