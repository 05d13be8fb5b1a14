"""The free text of service records and corrections never leaks: repr, redaction, exports."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sw_volunteer as sv
from sw_volunteer.io import dumps
from sw_volunteer.models import RecordCorrection, ServiceRecord, sensitive_fields
from sw_volunteer.models._records import REDACTED
from sw_volunteer.paperwork import certificate_html, records_csv, service_certificate
from sw_volunteer.privacy import redact

from .conftest import KEY

MARKER = "ZZLEAK泄露"
TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2013, 11, 18, 16, 30, tzinfo=TZ)


def _planted() -> sv.Network:
    """A record and its correction with the marker in every sensitive text field."""
    text_fields = {
        model: list(sensitive_fields(model)) for model in (ServiceRecord, RecordCorrection)
    }
    correction = RecordCorrection(
        at=START + timedelta(days=1),
        requested_by="v",
        **{name: f"{MARKER}-{name}" for name in text_fields[RecordCorrection]},
    )
    record = ServiceRecord(
        id="r",
        volunteer="v",
        activity="a",
        start=START,
        end=START + timedelta(minutes=90),
        content="作业辅导",
        corrections=(correction,),
        **{name: f"{MARKER}-{name}" for name in text_fields[ServiceRecord]},
    )
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        programmes=[sv.Programme(id="p", name="P", centre="c", service_area="after_school_care")],
        activities=[
            sv.Activity(
                id="a", name="A", programme="p", start=START, end=START + timedelta(hours=2)
            )
        ],
        service_records=[record],
    )


def test_the_new_free_text_fields_are_tagged():
    assert set(sensitive_fields(ServiceRecord)) >= {"recipients", "evaluation"}
    assert set(sensitive_fields(RecordCorrection)) >= {"reason", "recipients", "evaluation"}


def test_no_marker_in_repr_redaction_exports_reports_or_certificates():
    net = _planted()
    assert MARKER in dumps(net)  # planted where the owner keeps it
    (record,) = net.service_records
    shared = redact(net, key=KEY)
    cert = service_certificate(
        net,
        "v",
        start=date(2013, 11, 1),
        until=date(2013, 11, 30),
        number="1",
        issued=date(2013, 12, 1),
    )
    texts = [
        repr(record),
        str(record),
        repr(record.corrections[0]),
        repr(record.effective()),
        dumps(shared),
        dumps(shared, format="yaml"),
        records_csv(net),
        certificate_html(cert),
        cert.summary("zh"),
        repr(cert),
    ]
    for day in (date(2013, 11, 19), date(2022, 1, 1)):
        report = sv.check(net, on=day)
        texts += [report.render("en"), report.render("zh"), repr(report)]
    for text in texts:
        assert MARKER not in text, text[:200]


def test_redaction_keeps_the_presence_of_a_record_s_items_so_the_verdicts_survive():
    net = _planted()
    # pseudonymisation only: the default k-anonymous profile may drop the records themselves
    (shared,) = redact(net, key=KEY, profile=None).service_records
    assert shared.recipients == shared.evaluation == REDACTED
    assert shared.corrections[0].reason == REDACTED  # the text goes, that there was one stays
    ruian = sv.datasets.ruian_2013()
    for day in (ruian.info.as_of, date(2022, 1, 1)):
        before = sv.check(ruian, on=day).counts_by_code()
        assert sv.check(redact(ruian, key=KEY, profile=None), on=day).counts_by_code() == before
