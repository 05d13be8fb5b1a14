from __future__ import annotations

import importlib
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given

import sw_volunteer as sv
from sw_volunteer.models import ENTITY_TYPES, sensitive_fields
from sw_volunteer.testing import strategies as sws

pd = pytest.importorskip("pandas")

from sw_volunteer.integrations.pandas import entity_columns, network_to_frames  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
SECRET_NAMES = ("陈秘密", "林秘密", "王秘密")


def _network() -> sv.Network:
    start = datetime(2013, 11, 18, 13, 30, tzinfo=SHANGHAI)
    return sv.Network(
        info=sv.NetworkInfo(title="利群", as_of=date(2013, 11, 18)),
        centres=[
            sv.Centre(id="liqun", name="利群社会工作服务中心", service_areas={"rehabilitation"})
        ],
        workers=[
            sv.SocialWorker(id="w1", name="金某", centre="liqun", certification="intermediate"),
            sv.SocialWorker(id="w2", name="李某", centre="liqun"),
        ],
        volunteers=[
            sv.Volunteer(
                id="v1",
                name=SECRET_NAMES[0],
                centre="liqun",
                birth_date=date(1990, 5, 1),
                skills={"music", "calligraphy"},
                insurance=sv.Period(start=date(2013, 1, 1), until=date(2013, 12, 31)),
            ),
            sv.Volunteer(id="v2", name=SECRET_NAMES[1], centre="liqun"),
        ],
        clients=[
            sv.Client(
                id="c1",
                name=SECRET_NAMES[2],
                centre="liqun",
                needs={"psychiatric_rehabilitation"},
                notes="private note",
            )
        ],
        programmes=[
            sv.Programme(id="p1", name="农疗", centre="liqun", service_area="rehabilitation")
        ],
        activities=[
            sv.Activity(
                id="a1",
                name="平阳农疗",
                programme="p1",
                setting="outing",
                start=start,
                end=start + timedelta(hours=3),
                workers={"w1"},
                volunteers={"v1", "v2"},
                clients={"c1"},
            )
        ],
        supervisions=[
            sv.Supervision(
                id="s1", supervisor="w1", supervisee="v1", kind="guidance", start=date(2013, 1, 1)
            ),
            sv.Supervision(
                id="s2", supervisor="w1", supervisee="v2", kind="guidance", start=date(2013, 1, 1)
            ),
        ],
    )


def _every_cell(frames) -> str:
    return repr([frame.reset_index().to_dict("records") for frame in frames.values()])


def test_there_is_one_frame_per_collection_with_one_row_per_entity_in_document_order():
    net = _network()
    frames = network_to_frames(net)
    assert list(frames) == [*sv.Network.collections, "schedules"]
    for name in sv.Network.collections:
        frame = frames[name]
        assert list(frame.index) == [e.id for e in getattr(net, name)]
        assert frame.index.name == "id"


def test_empty_collections_still_have_their_columns():
    frames = network_to_frames(sv.Network())
    for kind in ENTITY_TYPES:
        frame = frames[kind.collection]
        assert frame.empty
        assert tuple(frame.columns) == entity_columns(kind)


def test_sensitive_fields_are_left_out_by_default():
    frames = network_to_frames(_network())
    text = _every_cell(frames)
    for secret in (*SECRET_NAMES, "private note", "psychiatric_rehabilitation", "1990-05-01"):
        assert secret not in text
    assert "1990" not in repr(frames["volunteers"].to_dict())
    for kind in ENTITY_TYPES:
        assert not set(sensitive_fields(kind)) & set(frames[kind.collection].columns)


def test_sensitive_fields_are_included_on_request():
    frames = network_to_frames(_network(), include_sensitive=True)
    assert frames["volunteers"].loc["v1", "name"] == SECRET_NAMES[0]
    assert frames["volunteers"].loc["v1", "birth_date"] == pd.Timestamp(1990, 5, 1)
    assert frames["clients"].loc["c1", "needs"] == ("psychiatric_rehabilitation",)
    assert frames["clients"].loc["c1", "notes"] == "private note"


def test_cells_are_plain_values_that_pandas_can_group_and_count():
    frames = network_to_frames(_network())
    workers = frames["workers"]
    assert workers.loc["w1", "certification"] == "intermediate"
    assert type(workers.loc["w1", "certification"]) is str
    assert frames["volunteers"].loc["v1", "skills"] == ("calligraphy", "music")
    assert frames["volunteers"].loc["v1", "insurance_start"] == pd.Timestamp(2013, 1, 1)
    assert frames["volunteers"].loc["v1", "insurance_until"] == pd.Timestamp(2013, 12, 31)
    assert frames["volunteers"].loc["v2", "insurance_start"] is pd.NaT
    guided = frames["supervisions"].groupby("supervisor").size()
    assert guided.to_dict() == {"w1": 2}
    assert frames["activities"].loc["a1", "volunteers"] == ("v1", "v2")
    assert frames["activities"].loc["a1", "setting"] == "outing"


def test_activity_times_keep_their_time_zone():
    frames = network_to_frames(_network())
    start = frames["activities"].loc["a1", "start"]
    assert start == pd.Timestamp(datetime(2013, 11, 18, 13, 30, tzinfo=SHANGHAI))
    assert start.utcoffset() == timedelta(hours=8)


def test_a_missing_pandas_raises_the_error_that_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    for name in list(sys.modules):
        if name.startswith("sw_volunteer.integrations."):
            monkeypatch.delitem(sys.modules, name)
    with pytest.raises(sv.MissingDependencyError) as info:
        importlib.import_module("sw_volunteer.integrations.pandas")
    assert "pip install -e '.[pandas]'" in str(info.value)
    assert isinstance(info.value, ImportError)


@given(sws.networks())
def test_the_default_frames_are_the_full_frames_without_the_sensitive_columns(network):
    default = network_to_frames(network)
    full = network_to_frames(network, include_sensitive=True)
    for kind in ENTITY_TYPES:
        name = kind.collection
        hidden = set(sensitive_fields(kind))
        assert list(full[name].index) == [e.id for e in getattr(network, name)]
        assert not hidden & set(default[name].columns)
        assert hidden <= set(full[name].columns)
        kept = [c for c in full[name].columns if c not in hidden]
        pd.testing.assert_frame_equal(default[name], full[name][kept])


def test_a_report_frame_has_one_row_per_violation_with_an_ordered_severity():
    from sw_volunteer.integrations.pandas import report_to_frame

    ruian = sv.datasets.ruian_2013()
    report = sv.check(ruian)
    frame = report_to_frame(report)
    assert list(frame["code"]) == [v.code for v in report.violations]
    assert list(frame["entity"]) == [v.entities[0] for v in report.violations]
    assert (frame["severity"] >= "warning").sum() == len(report.violations)
    assert (frame["severity"] == "error").sum() == len(report.errors)
    assert frame.sort_values("severity")["severity"].iloc[-1] == "error"
    sessions = [v.session for v in report.violations]
    for cell, session in zip(frame["session"], sessions, strict=True):
        assert (pd.isna(cell) and session is None) or cell == pd.Timestamp(session)


def test_an_empty_report_gives_an_empty_frame_with_the_columns():
    from sw_volunteer.integrations.pandas import report_to_frame

    frame = report_to_frame(sv.check(sv.Network()))
    assert frame.empty
    assert {"code", "severity", "entity", "session", "remedy"} <= set(frame.columns)
