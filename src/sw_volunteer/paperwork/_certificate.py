"""The 志愿服务记录证明: a volunteer's recorded service for a period, checked and printable.

What a certificate states follows 《关于规范志愿服务记录证明工作的指导意见》
(民发〔2015〕149号, section 二): the volunteer's identity (name, 志愿者编号), the
service (hours and content), the issuer (name, 负责人, 经办人, contact) and the
certificate's number and date of issue. The identity-document number the 2015 model
form also has is left out: this library never stores ID-card numbers.

A certificate is built from the records (``service_certificate``): the records as
corrected, without withdrawn ones and without those that contradict the schedule
([`record_issues`][sw_volunteer.scheduling.record_issues]), each counted in whole minutes with
travel excluded. Its total is checked against its lines when it is made, and
``ServiceCertificate.verify`` checks it against a network again later (after a
correction, say): any difference is a [`CertificateError`][sw_volunteer.errors.CertificateError]
naming the records.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn, Self

from pydantic import Field, ValidationError, model_validator

from sw_volunteer.errors import CertificateError
from sw_volunteer.models import Model, Network, OwnErrorModel, ServiceRecord, sensitive
from sw_volunteer.rules import RulePack, star_thresholds
from sw_volunteer.scheduling import (
    counted_records,
    hours_from_minutes,
    record_issues,
    record_minutes,
    star_level,
)
from sw_volunteer.types import EntityId
from sw_volunteer.vocab import Lang, Sensitivity

__all__ = [
    "CertificateLine",
    "ServiceCertificate",
    "certificate_html",
    "service_certificate",
]


class CertificateLine(Model):
    """One service record on a certificate.

    Attributes:
        record: The record's id.
        day: The local date of the service.
        activity: The activity's name.
        content: 服务内容 (the record's, else the activity's name).
        minutes: Whole minutes counted (travel excluded).

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> november = service_certificate(
        ...     sv.datasets.ruian_2013(), "yucai-v03", start=date(2013, 11, 1),
        ...     until=date(2013, 11, 30), number="N-1", issued=date(2013, 12, 2),
        ... )
        >>> line = november.lines[0]
        >>> line.day, line.activity, line.minutes
        (datetime.date(2013, 11, 1), '四点半学校·低年级', 90)
    """

    record: EntityId
    day: date
    activity: str
    content: str
    minutes: int = Field(ge=0)


def _mismatch(records: Iterable[str], what: str) -> NoReturn:
    names = ", ".join(sorted(records))
    raise CertificateError(f"the certificate disagrees with the records ({what}): {names}")


class ServiceCertificate(OwnErrorModel):
    """A 志愿服务记录证明 for one volunteer and period.

    Attributes:
        number: 证明编号.
        issued: 出具日期.
        issuer: 出具单位, the organisation that kept the records.
        issuer_head: 负责人 of the issuer, if given.
        handled_by: 经办人, if given.
        contact: 联系方式 of the issuer, if given.
        volunteer: The volunteer's id.
        volunteer_name: The volunteer's name (identifying).
        volunteer_number: The 志愿者编号 (national unified number), if any (identifying).
        start: First day of the period.
        until: Last day of the period (included).
        lines: The records counted, by day.
        total_minutes: The total; must equal the sum of the lines.
        left_out: Records of the volunteer in the period not counted (they contradict
            the schedule or another record), for the issuer to resolve.
        stars: The star level of the total under the pack's thresholds, if any.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> november = service_certificate(
        ...     sv.datasets.ruian_2013(), "yucai-v03", start=date(2013, 11, 1),
        ...     until=date(2013, 11, 30), number="N-1", issued=date(2013, 12, 2),
        ... )
        >>> november.issuer, november.hours, len(november.lines)
        ('瑞安市育才社会工作室', Decimal('18.50'), 13)
        >>> november.total_minutes == sum(line.minutes for line in november.lines)
        True
    """

    number: str = Field(min_length=1)
    issued: date
    issuer: str = Field(min_length=1)
    issuer_head: str | None = None
    handled_by: str | None = None
    contact: str | None = None
    volunteer: EntityId
    volunteer_name: str = sensitive(
        Sensitivity.IDENTIFYING, "", description="The volunteer's name."
    )
    volunteer_number: str | None = sensitive(
        Sensitivity.IDENTIFYING, description="The national unified volunteer number."
    )
    start: date
    until: date
    lines: tuple[CertificateLine, ...] = ()
    total_minutes: int = Field(ge=0)
    left_out: tuple[EntityId, ...] = ()
    stars: int | None = None

    @classmethod
    def _raise_own_error(cls, exc: ValidationError, data: Any) -> NoReturn:
        del data
        for err in exc.errors(include_url=False):
            cause = err.get("ctx", {}).get("error")
            if isinstance(cause, CertificateError):
                raise cause from None
        raise CertificateError(f"not a valid certificate: {exc.error_count()} problem(s)") from None

    @model_validator(mode="after")
    def _total_is_the_sum(self) -> Self:
        counted = sum(line.minutes for line in self.lines)
        if counted != self.total_minutes:
            _mismatch(
                (line.record for line in self.lines),
                f"total {self.total_minutes} min, the records sum to {counted} min",
            )
        if self.until < self.start:
            raise CertificateError("the certificate's period ends before it starts")
        return self

    @property
    def hours(self) -> Decimal:
        """The total in hours (``decimal.Decimal``, two places, half up)."""
        return hours_from_minutes(self.total_minutes)

    def verify(self, network: Network) -> None:
        """Check every line, and that no counted record is missing, against ``network``.

        Raises:
            CertificateError: Names the records whose minutes differ, that are no longer
                counted, or that are counted but missing from the certificate.
        """
        fresh = _lines(network, self.volunteer, self.start, self.until)[0]
        mine = {line.record: line.minutes for line in self.lines}
        now = {line.record: line.minutes for line in fresh}
        differ = [r for r in mine if r in now and mine[r] != now[r]]
        if differ:
            _mismatch(differ, "minutes differ from the records as corrected")
        gone = [r for r in mine if r not in now]
        if gone:
            _mismatch(gone, "no longer counted")
        missing = [r for r in now if r not in mine]
        if missing:
            _mismatch(missing, "counted records missing from the certificate")

    def summary(self, lang: Lang = "zh") -> str:
        """A few lines for a screen: who, which period, how many hours and records.

        The volunteer's name is shown: a certificate is issued to its holder.
        """
        hours = self.hours
        number = self.volunteer_number or "—"
        if lang == "zh":
            lines = [
                f"志愿服务记录证明 {self.number}（{self.issuer}，{_zh_day(self.issued)}出具）",
                f"  志愿者：{self.volunteer_name}（志愿者编号 {number}）",
                f"  服务期间：{_zh_day(self.start)}至{_zh_day(self.until)}",
                f"  志愿服务时长：{hours} 小时，共 {len(self.lines)} 条志愿服务记录",
            ]
            if self.left_out:
                lines.append(f"  未计入（待核实）：{'、'.join(self.left_out)}")
            return "\n".join(lines)
        lines = [
            f"Service certificate {self.number} ({self.issuer}, issued {self.issued})",
            f"  volunteer: {self.volunteer_name} (volunteer number {number})",
            f"  period: {self.start} to {self.until}",
            f"  service hours: {hours} h in {len(self.lines)} records",
        ]
        if self.left_out:
            lines.append(f"  not counted (to verify): {', '.join(self.left_out)}")
        return "\n".join(lines)


def _zh_day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _local_day(record: ServiceRecord) -> date:
    return record.start.date()


def _lines(
    network: Network, volunteer: str, start: date, until: date
) -> tuple[list[CertificateLine], list[str]]:
    """The lines of the counted records of ``volunteer`` in the period, and those left out."""
    mine = [
        r
        for r in counted_records(network)
        if r.volunteer == volunteer and start <= _local_day(r) <= until
    ]
    ids = {r.id for r in mine}
    flagged = {rid for issue in record_issues(network) for rid in issue.records if rid in ids}
    lines = [
        CertificateLine(
            record=r.id,
            day=_local_day(r),
            activity=network.activity(r.activity).name,
            content=r.content or network.activity(r.activity).name,
            minutes=record_minutes(r),
        )
        for r in sorted(mine, key=lambda r: (r.start.timestamp(), r.id))
        if r.id not in flagged
    ]
    return lines, sorted(flagged)


def service_certificate(
    network: Network,
    volunteer: str,
    *,
    start: date,
    until: date,
    number: str,
    issued: date,
    issuer: str | None = None,
    issuer_head: str | None = None,
    handled_by: str | None = None,
    contact: str | None = None,
    rules: RulePack | str | None = "cn-default",
) -> ServiceCertificate:
    """The 志愿服务记录证明 of ``volunteer`` for the days ``start`` to ``until`` (included).

    Args:
        network: The network with its service records.
        volunteer: The volunteer's id.
        start: First day (the records' local dates count).
        until: Last day, included.
        number: 证明编号.
        issued: 出具日期.
        issuer: 出具单位; default the name of the volunteer's centre.
        issuer_head: 负责人.
        handled_by: 经办人.
        contact: 联系方式; default the centre's public phone, if any.
        rules: The pack whose star levels to state; ``None`` states none.

    Raises:
        KeyError: No volunteer ``volunteer`` in the network.

    Example:
        >>> from sw_volunteer import datasets
        >>> net = datasets.ruian_2013()
        >>> cert = service_certificate(net, "yucai-v03", start=date(2013, 9, 1),
        ...                            until=date(2013, 12, 31), number="YC-2014-001",
        ...                            issued=date(2014, 1, 10))
        >>> cert.total_minutes == sum(line.minutes for line in cert.lines)
        True
        >>> cert.issuer
        '瑞安市育才社会工作室'
    """
    person = network.volunteer(volunteer)
    centre = network.centre(person.centre)
    lines, left_out = _lines(network, volunteer, start, until)
    total = sum(line.minutes for line in lines)
    stars = None
    if rules is not None:
        stars = star_level(total, star_thresholds(rules, on=until))
    return ServiceCertificate(
        number=number,
        issued=issued,
        issuer=issuer or centre.name,
        issuer_head=issuer_head,
        handled_by=handled_by,
        contact=contact if contact is not None else centre.phone,
        volunteer=volunteer,
        volunteer_name=person.name,
        volunteer_number=person.volunteer_number,
        start=start,
        until=until,
        lines=tuple(lines),
        total_minutes=total,
        left_out=tuple(left_out),
        stars=stars,
    )


_CSS = """
body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; margin: 2em; }
.certificate { max-width: 180mm; margin: auto; }
h1 { text-align: center; letter-spacing: 0.5em; font-size: 22pt; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #333; padding: 4px 8px; text-align: left; }
td.n { text-align: right; }
.sign { margin-top: 3em; text-align: right; line-height: 2.2; }
.seal { display: inline-block; width: 40mm; height: 40mm; }
@media print {
  @page { size: A4 portrait; margin: 20mm; }
  body { margin: 0; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
  .no-print { display: none; }
}
"""

_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Certificate of volunteer service records", "志愿服务记录证明"),
    "number": ("Certificate no.", "证明编号"),
    "name": ("Volunteer", "志愿者姓名"),
    "volunteer_number": ("Volunteer number", "志愿者编号"),
    "period": ("Period", "服务期间"),
    "hours": ("Service hours", "志愿服务时长"),
    "records": ("Records", "志愿服务记录条数"),
    "stars": ("Star level", "星级"),
    "day": ("Date", "服务日期"),
    "activity": ("Activity", "活动名称"),
    "content": ("Service content", "服务内容"),
    "line_hours": ("Hours", "时长（小时）"),
    "issuer": ("Issued by", "出具单位"),
    "head": ("Head", "负责人"),
    "handled_by": ("Handled by", "经办人"),
    "contact": ("Contact", "联系方式"),
    "issued": ("Date of issue", "出具日期"),
    "seal": ("(seal)", "（盖章）"),
    "note": (
        "Service hours are the time actually served, travel excluded.",
        "志愿服务时长为实际服务时间，不含往返交通时间。",
    ),
}


def certificate_html(certificate: ServiceCertificate, lang: Lang = "zh") -> str:
    """The certificate as a printable HTML page (A4; ``@media print`` rules).

    Every value is escaped. The page names the volunteer (it is issued to them) but
    shows no free-text evaluation or recipients of the records.

    Example:
        >>> from sw_volunteer import datasets
        >>> cert = service_certificate(datasets.ruian_2013(), "yucai-v03",
        ...                            start=date(2013, 9, 1), until=date(2013, 12, 31),
        ...                            number="YC-2014-001", issued=date(2014, 1, 10))
        >>> page = certificate_html(cert)
        >>> "志愿服务记录证明" in page and "@media print" in page and "YC-2014-001" in page
        True
    """
    zh = lang == "zh"

    def t(key: str) -> str:
        return _LABELS[key][1 if zh else 0]

    def e(value: object) -> str:
        return html.escape(str(value), quote=True)

    def day(d: date) -> str:
        return _zh_day(d) if zh else d.isoformat()

    hours_unit = " 小时" if zh else " h"
    period = f"{day(certificate.start)}{'至' if zh else ' to '}{day(certificate.until)}"
    head_rows = [
        (t("name"), certificate.volunteer_name),
        (t("volunteer_number"), certificate.volunteer_number or "—"),
        (t("period"), period),
        (t("hours"), f"{certificate.hours}{hours_unit}"),
        (t("records"), str(len(certificate.lines))),
    ]
    if certificate.stars:
        head_rows.append((t("stars"), f"{certificate.stars}{'星' if zh else ''}"))
    rows = "\n".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in head_rows)
    lines = "\n".join(
        f"<tr><td>{e(day(line.day))}</td><td>{e(line.activity)}</td><td>{e(line.content)}</td>"
        f'<td class="n">{e(hours_from_minutes(line.minutes))}</td></tr>'
        for line in certificate.lines
    )
    sign = [
        (t("issuer"), certificate.issuer),
        (t("head"), certificate.issuer_head or ""),
        (t("handled_by"), certificate.handled_by or ""),
        (t("contact"), certificate.contact or ""),
        (t("issued"), day(certificate.issued)),
    ]
    colon = "：" if zh else ": "
    sign_html = "<br>\n".join(f"{e(k)}{colon}{e(v)}" for k, v in sign)
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if zh else "en"}">
<head>
<meta charset="utf-8">
<title>{e(t("title"))} {e(certificate.number)}</title>
<style>{_CSS}</style>
</head>
<body>
<div class="certificate">
<h1>{e(t("title"))}</h1>
<p>{e(t("number"))}{colon}{e(certificate.number)}</p>
<table class="holder">
{rows}
</table>
<table class="records">
<thead><tr><th>{e(t("day"))}</th><th>{e(t("activity"))}</th><th>{e(t("content"))}</th><th>{e(t("line_hours"))}</th></tr></thead>
<tbody>
{lines}
</tbody>
</table>
<p>{e(t("note"))}</p>
<div class="sign">
{sign_html}<br>
<span class="seal">{e(t("seal"))}</span>
</div>
</div>
</body>
</html>
"""
