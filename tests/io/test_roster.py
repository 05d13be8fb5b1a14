from __future__ import annotations

from datetime import date

import pytest

import sw_volunteer as sv
from sw_volunteer.errors import RosterImportError

ROSTER = (
    "id,name,birth_date,skills,qualifications,trained,guardian_consent,"
    "insurance_start,insurance_until,affiliation_kind,affiliation\n"
    """\
v01,陈某,1990-05-01,music;calligraphy,first_aid,yes,,2013-01-01,2013-12-31,organisation,瑞安市图书馆
v02,林某,1998-03-12,tutoring,,是,是,,,school,瑞安中学
"""
)


def test_a_roster_becomes_volunteers_that_join_a_network(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8-sig")  # Excel writes a BOM
    vols = sv.read_roster_csv(path, centre="yucai")
    assert [v.id for v in vols] == ["v01", "v02"]
    first, second = vols
    assert first.skills == frozenset({"music", "calligraphy"})
    assert first.qualifications == frozenset({sv.Qualification.FIRST_AID})
    assert first.is_insured_on(date(2013, 11, 18))
    assert second.guardian_consent is True
    assert second.affiliation == "瑞安中学"
    net = sv.Network(centres=[sv.Centre(id="yucai", name="育才")]).with_added(*vols)
    assert net.volunteer("v02").centre == "yucai"


def test_chinese_headers_are_understood():
    vols = sv.read_roster_csv("编号,姓名,技能\nv1,周某,舞蹈、音乐\n", centre="c", text=True)
    assert vols[0].skills == frozenset({"舞蹈", "音乐"})


def test_every_bad_cell_is_reported_with_row_and_column():
    bad = (
        "id,name,birth_date,trained,affiliation_kind\n"
        "v1,a,1990-13-01,yes,school\n"
        "v2,b,1990-01-01,perhaps,castle\n"
        "v3,c\n"
    )
    with pytest.raises(RosterImportError) as caught:
        sv.read_roster_csv(bad, centre="c", text=True)
    found = {(p.location, p.code) for p in caught.value.problems}
    assert ("row 2, column birth_date", "date_from_datetime_parsing") in found
    assert ("row 3, column trained", "bool_parsing") in found
    assert ("row 3, column affiliation_kind", "enum") in found  # same row, also listed
    assert ("row 4", "wrong_cell_count") in found
    assert len(caught.value.problems) == 4


def test_unknown_and_missing_columns_are_errors():
    with pytest.raises(RosterImportError) as caught:
        sv.read_roster_csv("id,phone\nv1,123\n", centre="c", text=True)
    codes = {(p.location, p.code) for p in caught.value.problems}
    assert codes == {("row 1, column phone", "unknown_column"), ("row 1", "missing_column")}


def test_a_row_without_centre_needs_the_argument():
    with pytest.raises(RosterImportError) as caught:
        sv.read_roster_csv("id,name\nv1,a\n", text=True)
    [problem] = caught.value.problems
    assert problem.location == "row 2, column centre"
    assert "give a centre column or the centre= argument" in problem.message


def test_insurance_ending_before_it_starts_names_the_column():
    csv_text = "id,name,insurance_start,insurance_until\nv1,a,2013-05-01,2013-01-01\n"
    with pytest.raises(RosterImportError) as caught:
        sv.read_roster_csv(csv_text, centre="c", text=True)
    assert caught.value.problems[0].location.startswith("row 2, column insurance")
