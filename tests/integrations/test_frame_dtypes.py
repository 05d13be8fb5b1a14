"""Frames have analysable dtypes: dates are datetime64 with NaT, schedules have a frame.

The date fields are found from the models' annotations, not from the frames, so a
new date field is covered without a change here.
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime

import pytest
from hypothesis import given
from pydantic import AwareDatetime, BaseModel

import sw_volunteer as sv
from sw_volunteer.models import ENTITY_TYPES, Schedule
from sw_volunteer.testing import strategies as sws

pd = pytest.importorskip("pandas")

from sw_volunteer.integrations.pandas import (  # noqa: E402
    SCHEDULE_COLUMNS,
    entity_columns,
    network_to_frames,
    report_to_frame,
)


def _bare(annotation: object) -> object:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _bare(args[0]) if len(args) == 1 else annotation
    return annotation


def _columns_of_type(kind: type[BaseModel], wanted: tuple[object, ...]) -> list[str]:
    """The frame columns holding a field (or a period's subfield) of one of ``wanted``."""
    out = []
    columns = set(entity_columns(kind, include_sensitive=True))
    for name, info in kind.model_fields.items():
        bare = _bare(info.annotation)
        if bare in wanted and name in columns:
            out.append(name)
        elif isinstance(bare, type) and issubclass(bare, BaseModel) and bare is not Schedule:
            out += [
                f"{name}_{sub}"
                for sub, sub_info in bare.model_fields.items()
                if _bare(sub_info.annotation) in wanted
            ]
    return out


DATE_COLUMNS = {kind.collection: _columns_of_type(kind, (date,)) for kind in ENTITY_TYPES}
TIME_COLUMNS = {
    kind.collection: _columns_of_type(kind, (datetime, AwareDatetime)) for kind in ENTITY_TYPES
}


def test_the_models_have_date_and_time_fields_to_check():
    assert sum(map(len, DATE_COLUMNS.values())) >= 15
    assert TIME_COLUMNS["activities"] == ["start", "end"]


@pytest.mark.parametrize(
    "network", [sv.datasets.ruian_2013(), sv.Network()], ids=["ruian", "empty"]
)
def test_date_columns_are_datetime64_and_missing_dates_are_nat(network):
    frames = network_to_frames(network, include_sensitive=True)
    for kind in ENTITY_TYPES:
        frame = frames[kind.collection]
        for column in DATE_COLUMNS[kind.collection]:
            assert pd.api.types.is_datetime64_dtype(frame[column]), (kind.collection, column)
            for entity_id, cell in frame[column].items():
                entity = network.get(entity_id)
                field, _, sub = column.partition("_")
                value = getattr(entity, column, None)
                if not hasattr(entity, column):  # a period split in two columns
                    period = getattr(entity, field)
                    value = None if period is None else getattr(period, sub)
                if value is None:
                    assert cell is pd.NaT
                else:
                    assert cell == pd.Timestamp(value)
        for column in TIME_COLUMNS[kind.collection]:
            assert isinstance(frame[column].dtype, pd.DatetimeTZDtype), (kind.collection, column)


def test_times_keep_the_instant_and_the_zone_they_share():
    network = sv.datasets.ruian_2013()
    activities = network_to_frames(network)["activities"]
    for activity in network.activities:
        cell = activities.loc[activity.id, "start"]
        assert cell == pd.Timestamp(activity.start)
        assert cell.utcoffset() == activity.start.utcoffset()


def test_schedules_are_rows_of_their_own_frame_not_columns():
    network = sv.datasets.ruian_2013()
    frames = network_to_frames(network)
    schedule_fields = {
        kind.collection: [
            n for n, i in kind.model_fields.items() if _bare(i.annotation) is Schedule
        ]
        for kind in ENTITY_TYPES
    }
    for kind in ENTITY_TYPES:
        for field in schedule_fields[kind.collection]:
            leaked = [c for c in frames[kind.collection].columns if c.startswith(f"{field}_")]
            assert leaked == []
    expected = [
        (e.id, kind.collection, field)
        for kind in ENTITY_TYPES
        for e in getattr(network, kind.collection)
        for field in schedule_fields[kind.collection]
        if getattr(e, field) is not None
    ]
    schedules = frames["schedules"]
    assert tuple(schedules.columns) == SCHEDULE_COLUMNS
    assert list(zip(schedules.index, schedules["collection"], schedules["field"], strict=True)) == (
        expected
    )
    assert len(expected) > 50  # the Rui'an volunteers' availability
    for entity_id, _collection, field in expected:
        schedule = getattr(network.get(entity_id), field)
        row = schedules.loc[entity_id]
        assert row["start"] == pd.Timestamp(schedule.start)
        assert row["duration"] == pd.Timedelta(schedule.duration)
        assert row["rules"] == tuple(schedule.rules)
        assert row["timezone"] == schedule.timezone
        assert (row["until"] is pd.NaT) == (schedule.until is None)
        assert (row["count"] is pd.NA) == (schedule.count is None)


def test_no_entity_frame_of_the_ruian_network_is_mostly_empty_columns():
    frames = network_to_frames(sv.datasets.ruian_2013())
    for kind in ENTITY_TYPES:
        frame = frames[kind.collection]
        if frame.empty:
            continue
        empty = [c for c in frame.columns if frame[c].isna().all()]
        # Single optional fields may be empty (nobody has left yet, a centre gives no
        # address, phone or e-mail); a block of columns split from one field is not.
        assert len(empty) <= max(4, len(frame.columns) // 3), (kind.collection, empty)


@given(sws.networks())
def test_every_date_column_is_datetime64_on_any_network(network):
    frames = network_to_frames(network)
    for kind in ENTITY_TYPES:
        frame = frames[kind.collection]
        for column in DATE_COLUMNS[kind.collection]:
            if column in frame.columns:
                assert pd.api.types.is_datetime64_dtype(frame[column])
    assert pd.api.types.is_datetime64_dtype(frames["schedules"]["until"])


def test_a_report_frame_session_column_is_aware_datetime64():
    report = sv.check(sv.datasets.ruian_2013())
    frame = report_to_frame(report)
    assert isinstance(frame["session"].dtype, pd.DatetimeTZDtype)
    empty = report_to_frame(sv.check(sv.Network()))
    assert isinstance(empty["session"].dtype, pd.DatetimeTZDtype)
