from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import sw_volunteer as sv
from sw_volunteer.rules import Report, Severity, Violation


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.groups: list[str] = []
        self._in: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "h4" or (tag == "tr" and ("class", "code") in attrs):
            self._in, self._text = tag, []

    def handle_endtag(self, tag):
        if self._in == "h4" and tag == "h4":
            self.headings.append("".join(self._text))
            self._in = None
        elif self._in == "tr" and tag == "tr":
            self.groups.append("".join(self._text))
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._text.append(data)


def parse(markup: str) -> _Collect:
    parser = _Collect()
    parser.feed(markup)
    return parser


def violation(code: str, severity: str, message: str = "m", entity: str = "x") -> Violation:
    return Violation(
        code=code,
        severity=severity,
        rule_id=f"r.{code}",
        entities=(entity,),
        message=message,
        message_zh="消息",
    )


def test_violations_are_grouped_by_severity_then_code_with_counts() -> None:
    report = Report(
        pack_id="p",
        pack_version="1",
        on=date(2013, 11, 18),
        violations=(
            violation("too_few_adults", "error"),
            violation("insurance_missing", "error"),
            violation("too_few_adults", "error", entity="y"),
            violation("background_check_missing", "warning"),
            violation("volunteer_unsupervised", "info"),
        ),
    )
    found = parse(report._repr_html_())
    assert found.headings == [
        "error (不合规（须整改）): 3",
        "warning (风险提示): 1",
        "info (提示): 1",
    ]
    counts = {re.sub(r" × .*", "", g): int(re.search(r"× (\d+)", g)[1]) for g in found.groups}
    assert counts == {
        "too_few_adults": 2,
        "insurance_missing": 1,
        "background_check_missing": 1,
        "volunteer_unsupervised": 1,
    }
    assert [g.split(" ")[0] for g in found.groups][:2] == ["too_few_adults", "insurance_missing"]


def test_every_text_is_escaped() -> None:
    report = Report(
        pack_id="<pack>",
        pack_version="1&2",
        on=date(2013, 11, 18),
        violations=(
            violation("x_code", "error", message="<script>alert(1)</script>", entity="a<b"),
        ),
    )
    markup = report._repr_html_()
    assert "<script>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "&lt;pack&gt; 1&amp;2" in markup
    assert "a&lt;b" in markup


def test_a_clean_report_says_so() -> None:
    markup = Report(pack_id="p", pack_version="1", on=date(2013, 11, 18))._repr_html_()
    assert "No violations." in markup
    assert parse(markup).headings == []


def test_the_ruian_report_shows_each_code_once_with_its_count() -> None:
    report = sv.check(sv.datasets.ruian_2013())
    found = parse(report._repr_html_())
    shown = {re.sub(r" × .*", "", g): int(re.search(r"× (\d+)", g)[1]) for g in found.groups}
    assert shown == report.counts_by_code()
    severities = [h.split(" ")[0] for h in found.headings]
    present = [
        s.value
        for s in sorted(Severity, reverse=True)
        if any(v.severity is s for v in report.violations)
    ]
    assert severities == present
