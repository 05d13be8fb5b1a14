"""Service records as CSV for the national volunteer system: columns, rows, privacy."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import sw_volunteer as sv
from sw_volunteer.paperwork import RECORD_COLUMNS, records_csv, write_records_csv
from sw_volunteer.scheduling import counted_records, record_issues

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reference" / "service-records-csv.md"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_rui_an_records_export_one_row_per_counted_record():
    net = sv.datasets.ruian_2013()
    rows = _rows(records_csv(net, header="en"))
    assert [key for key, _, _ in RECORD_COLUMNS] == list(rows[0])
    assert len(rows) == len(counted_records(net))
    flagged = {rid for issue in record_issues(net) for rid in issue.records}
    assert {r["record_id"] for r in rows if r["counted"] == "否"} == flagged
    # the record corrected on request shows its corrected hours and its correction
    corrected = next(r for r in rows if r["record_id"] == "sr-1209-yucai-v03")
    assert (corrected["hours"], corrected["corrections"]) == ("0.50", "1")
    # travel noted is shown and left out of the hours: 13:30-17:40 less 40 minutes
    travel = next(r for r in rows if r["record_id"] == "sr-1118-liqun-v05")
    assert (travel["travel_minutes"], travel["hours"]) == ("40", "3.50")


def test_names_and_free_text_are_exported_only_when_asked():
    net = sv.datasets.ruian_2013()
    plain = _rows(records_csv(net, header="en"))
    assert {r["volunteer_name"] for r in plain} == {""}
    assert {r["evaluation"] for r in plain} == {""}
    assert {r["recipients"] for r in plain} == {""}
    full = _rows(records_csv(net, header="en", names=True, free_text=True))
    names = {v.id: v.name for v in net.volunteers}
    by_id = {r.id: r for r in net.service_records}
    for row in full:
        record = by_id[row["record_id"]]
        assert row["volunteer_name"] == names[record.volunteer]
        assert row["evaluation"] == record.effective().evaluation


def test_the_chinese_header_and_the_file_for_excel(tmp_path: Path):
    net = sv.datasets.ruian_2013()
    target = tmp_path / "records.csv"
    write_records_csv(net, target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark, for Excel
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == [zh for _, zh, _ in RECORD_COLUMNS]


def test_every_column_is_documented_with_its_chinese_header():
    page = DOCS.read_text(encoding="utf-8")
    for key, zh, _ in RECORD_COLUMNS:
        assert f"| `{key}` | {zh} |" in page, key
