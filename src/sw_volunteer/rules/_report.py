"""The report of a check: every violation found, with counts, rendering and serialisation."""

from __future__ import annotations

import html
from collections import Counter
from datetime import date
from typing import Any

from pydantic import Field, model_validator

from sw_volunteer.errors import PolicyViolationError
from sw_volunteer.models import Model
from sw_volunteer.rules._declarations import Severity, SkippedRule
from sw_volunteer.rules._messages import connector
from sw_volunteer.rules._violations import Violation
from sw_volunteer.vocab import Lang

__all__ = ["Report"]


class Report(Model):
    """What [`check`][sw_volunteer.rules.check] found. A breach is a value here, never an error.

    Attributes:
        pack_id: The id of the rule pack applied.
        pack_version: Its version.
        on: The day checked.
        rules_checked: How many rules were evaluated.
        sessions_checked: How many activities (sessions) were evaluated.
        violations: Every violation found, errors first.
        pack_effective: The date of the pack version applied (its ``effective``).
        rules_as_of: The day whose rules were applied: ``on`` unless the check was
            asked to apply another day's rules (a what-if, see
            [`what_if`][sw_volunteer.rules.Report.what_if]). Defaults to ``on``.
        skipped_rules: The pack's rules not in force on ``rules_as_of``, which the
            check did not evaluate, in pack order.

    Example:
        >>> import sw_volunteer as sv
        >>> report = sv.check(sv.datasets.ruian_2013())
        >>> report
        Report('cn-default' 2024.2, on=2013-11-19, 2 errors, 2 warnings, 0 info)
        >>> counts = report.counts_by_code()
        >>> report.ok, len(report.errors), counts["supervisor_overloaded_volunteers"]
        (False, 2, 1)
    """

    pack_id: str
    pack_version: str
    on: date
    rules_checked: int = Field(default=0, ge=0)
    sessions_checked: int = Field(default=0, ge=0)
    violations: tuple[Violation, ...] = ()
    pack_effective: date | None = None
    # Never None once built: the validator below fills it from ``on`` (the default
    # only keeps it optional in the constructor's signature, hence the ignore).
    rules_as_of: date = Field(default=None)  # type: ignore[assignment]
    skipped_rules: tuple[SkippedRule, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _rules_of_the_day_checked(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("rules_as_of") is None:
            return {**data, "rules_as_of": data.get("on")}
        return data

    @property
    def what_if(self) -> bool:
        """Whether the rules of another day than ``on`` were applied on purpose.

        Example:
            >>> Report(pack_id="p", pack_version="1", on=date(2013, 11, 19)).what_if
            False
        """
        return self.rules_as_of != self.on

    @property
    def ok(self) -> bool:
        """Whether no violation is an error (warnings and infos do not fail a report)."""
        return not self.errors

    @property
    def errors(self) -> tuple[Violation, ...]:
        """The violations of severity ``error``."""
        return tuple(v for v in self.violations if v.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Violation, ...]:
        """The violations of severity ``warning``."""
        return tuple(v for v in self.violations if v.severity is Severity.WARNING)

    @property
    def infos(self) -> tuple[Violation, ...]:
        """The violations of severity ``info``."""
        return tuple(v for v in self.violations if v.severity is Severity.INFO)

    def counts_by_code(self) -> dict[str, int]:
        """How many violations of each code, most frequent first."""
        return dict(Counter(v.code for v in self.violations).most_common())

    def of_code(self, code: str) -> tuple[Violation, ...]:
        """The violations with one code."""
        return tuple(v for v in self.violations if v.code == code)

    def involving(self, entity_id: str) -> tuple[Violation, ...]:
        """The violations that name ``entity_id``."""
        return tuple(v for v in self.violations if entity_id in v.entities)

    def summary(self, lang: Lang = "en") -> str:
        """One line: how many errors, warnings and infos."""
        e, w, i = len(self.errors), len(self.warnings), len(self.infos)
        if lang == "zh":
            return f"不合规（须整改）{e} 项，风险提示 {w} 项，提示 {i} 项"
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}, {i} info"

    def render(self, lang: Lang = "en") -> str:
        """The report as text in English (``"en"``) or Chinese (``"zh"``).

        Example:
            >>> r = Report(pack_id="cn-default", pack_version="2024.1", on=date(2013, 11, 18))
            >>> print(r.render("zh"))
            规则包 cn-default 2024.1，检查日期 2013-11-18
            不合规（须整改）0 项，风险提示 0 项，提示 0 项
            全部符合。

            The rules not in force on the day come last; a what-if check says so at once:

            >>> from sw_volunteer.rules import SkippedRule
            >>> what_if = Report(
            ...     pack_id="cn-default",
            ...     pack_version="2024.1",
            ...     on=date(2013, 11, 19),
            ...     rules_as_of=date(2012, 1, 1),
            ...     skipped_rules=(
            ...         SkippedRule(
            ...             rule_id="volunteers.insurance",
            ...             effective=date(2017, 12, 1),
            ...             reason="not_yet_in_force",
            ...         ),
            ...     ),
            ... )
            >>> print(what_if.render("zh"))
            规则包 cn-default 2024.1，检查日期 2013-11-19
            假设分析：按 2012-01-01 施行的规则检查
            不合规（须整改）0 项，风险提示 0 项，提示 0 项
            全部符合。
            未适用的规则（2012-01-01 不在施行期内）：1 条
              volunteers.insurance：自 2017-12-01 起施行，尚未施行
        """
        if lang == "zh":
            head = f"规则包 {self.pack_id} {self.pack_version}，检查日期 {self.on.isoformat()}"
        else:
            head = f"Rule pack {self.pack_id} {self.pack_version}, checked on {self.on.isoformat()}"
        lines = [head]
        if self.what_if:
            day = self.rules_as_of.isoformat()
            lines.append(
                f"假设分析：按 {day} 施行的规则检查"
                if lang == "zh"
                else f"What-if: the rules in force on {day} applied"
            )
        lines.append(self.summary(lang))
        if not self.violations:
            lines.append("全部符合。" if lang == "zh" else "No violations.")
        for v in self.violations:
            if lang == "zh":  # the rule's id is its number in the pack; the code is English
                lines.append(f"{v.severity.label(lang)}：{v.message_zh}（规则 {v.rule_id}）")
            else:
                label = v.severity.label(lang).upper()
                lines.append(f"{label} {v.code} [{v.rule_id}]: {v.message}")
            if v.remedy is not None:
                lines.append(f"    {connector('remedy', lang)}{v.remedy.render(lang)}")
        lines.extend(self._skipped_lines(lang))
        return "\n".join(lines)

    def _skipped_lines(self, lang: Lang) -> list[str]:
        if not self.skipped_rules:
            return []
        day, n = self.rules_as_of.isoformat(), len(self.skipped_rules)
        if lang == "zh":
            head = f"未适用的规则（{day} 不在施行期内）：{n} 条"
        else:
            head = f"Rules not in force on {day}, not checked: {n}"
        return [head, *(f"  {s.render(lang)}" for s in self.skipped_rules)]

    def __str__(self) -> str:
        return self.render("en")

    def __repr__(self) -> str:
        return (
            f"Report({self.pack_id!r} {self.pack_version}, on={self.on.isoformat()}, "
            f"{self.summary()})"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per violation (JSON-compatible), e.g. for a database or a CSV file.

        For a DataFrame, use
        [`report_to_frame`][sw_volunteer.integrations.pandas.report_to_frame]: its
        columns are typed (an ordered severity, aware session times).

        Example:
            >>> Report(pack_id="p", pack_version="1", on=date(2013, 11, 18)).to_records()
            []
        """
        return [
            {
                "pack_id": self.pack_id,
                "pack_version": self.pack_version,
                "on": self.on.isoformat(),
                "rules_as_of": self.rules_as_of.isoformat(),
                "code": v.code,
                "severity": v.severity.value,
                "rule_id": v.rule_id,
                "entities": list(v.entities),
                "observed": v.observed,
                "limit": v.limit,
                "message": v.message,
                "message_zh": v.message_zh,
                "remedy": v.remedy.render("en") if v.remedy else None,
                "remedy_zh": v.remedy.render("zh") if v.remedy else None,
                "session": v.session.isoformat() if v.session else None,
            }
            for v in self.violations
        ]

    def to_json(self, *, indent: int | None = None) -> str:
        """The report as JSON; ``from_json`` reads it back equal."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> Report:
        """Read a report written by [`to_json`][sw_volunteer.rules.Report.to_json]."""
        return cls.model_validate_json(text)

    def raise_for_violations(self, severity: Severity = Severity.ERROR) -> None:
        """Raise ``PolicyViolationError`` if a violation is that bad.

        Args:
            severity: The least severity that raises (default: errors only).
        """
        worst = [v for v in self.violations if v.severity >= severity]
        if worst:
            lines = [f"{len(worst)} violation(s) of {self.pack_id} {self.pack_version}:"]
            lines.extend(f"  {v}" for v in worst)
            raise PolicyViolationError("\n".join(lines), self)

    def _repr_html_(self) -> str:
        """The report for notebooks: violations grouped by severity, then by code.

        Each severity gets a heading with its count; each code a row with its count
        and the rule that found it, followed by one row per violation (the entities,
        the message in English and Chinese, the remedy). Every text is escaped.
        """
        colour = {"error": "#b00020", "warning": "#b36b00", "info": "#1f5fa8"}
        head = html.escape(
            f"{self.pack_id} {self.pack_version}, checked on {self.on.isoformat()}: "
            f"{self.summary()}"
        )
        parts = [
            "<div class='sw-volunteer-report'>",
            (
                f"<p><strong>{head}</strong> ({self.rules_checked} rules, "
                f"{self.sessions_checked} sessions)</p>"
            ),
        ]
        if self.what_if:
            parts.append(
                f"<p>What-if: the rules in force on {self.rules_as_of.isoformat()} applied "
                f"(<span lang='zh'>假设分析：按 {self.rules_as_of.isoformat()} 施行的规则检查"
                "</span>)</p>"
            )
        if self.skipped_rules:
            parts.append(
                f"<details><summary>{len(self.skipped_rules)} rule(s) not in force on "
                f"{self.rules_as_of.isoformat()}, not checked</summary><ul>"
            )
            parts.extend(f"<li>{html.escape(s.render('en'))}</li>" for s in self.skipped_rules)
            parts.append("</ul></details>")
        if not self.violations:
            parts.append("<p>No violations.</p></div>")
            return "".join(parts)
        for severity in sorted(Severity, reverse=True):
            found = [v for v in self.violations if v.severity is severity]
            if not found:
                continue
            by_code: dict[str, list[Violation]] = {}
            for v in found:
                by_code.setdefault(v.code, []).append(v)
            style = f"color:{colour.get(severity.value, 'inherit')}"
            parts.append(
                f"<h4 style='{style}'>{html.escape(severity.label('en'))} "
                f"({html.escape(severity.label('zh'))}): {len(found)}</h4>"
                "<table><thead><tr><th>entities</th><th>message</th>"
                "<th>remedy</th></tr></thead><tbody>"
            )
            for code, group in by_code.items():
                rule_ids = ", ".join(sorted({v.rule_id for v in group}))
                parts.append(
                    f"<tr class='code'><th colspan='3' style='text-align:left;{style}'>"
                    f"<code>{html.escape(code)}</code> × {len(group)} "
                    f"<small>(rule {html.escape(rule_ids)})</small></th></tr>"
                )
                parts.extend(
                    "<tr>"
                    f"<td>{html.escape(', '.join(v.entities))}</td>"
                    f"<td>{html.escape(v.message)}<br><span lang='zh'>"
                    f"{html.escape(v.message_zh)}</span></td>"
                    f"<td>{html.escape(v.remedy.render('en')) if v.remedy else ''}</td>"
                    "</tr>"
                    for v in group
                )
            parts.append("</tbody></table>")
        parts.append("</div>")
        return "".join(parts)
