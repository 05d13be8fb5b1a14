"""The message table: one English and one Chinese template per violation code and remedy.

Evaluators detect; they do not write. A violation carries its ``code`` and a typed
``context`` (JSON values: ids, counts, dates as ISO strings, enum values); its
``message`` and ``message_zh`` are rendered here from the template registered for the
code. Remedy options likewise carry a ``kind`` and a context, rendered from the remedy
templates. The violation-code reference page is generated from the same table
(``codes_page``), so the page, the English and the Chinese text cannot drift apart.

Templates use ``str.format`` fields: ``{name}`` or ``{name:spec}``. Besides the
usual numeric specs (``g``, ``.1f``) a spec may name a renderer of this module, which
writes each language in its own way: ``ids`` (at most 8 ids, then "and N more" /
"等 N 人"; ``ids5`` at most 5), ``len`` (how many), ``s`` (an English plural "s"),
``ordinal`` ("14th"), ``setting``/``need``/``level``/``task`` (the label of a vocabulary value),
``quals`` (qualifications, "A or B" / "A或B"), ``origin`` (an external supervisor's),
``month`` (``YYYY-MM``; ``YYYY年M月`` in Chinese), ``cycle``, ``moves``/``assign``/
``case_moves`` (``{target: [ids]}``), ``free_places`` (``{target: n}``), and a few
optional clauses that render as nothing when their value is 0 (``with_years``,
``certified_share``, ``weight_note``, ``rest_supervisors``; ``shared_note`` when its
list is empty).

Users who register their own rule kinds register their own templates the same way:

Example:
    >>> template = register_message(
    ...     "volunteer_without_photo",
    ...     en="volunteer {volunteer} has no photo on file",
    ...     zh="志愿者 {volunteer} 未提交照片",
    ...     fields={"volunteer": str},
    ...     meaning="A volunteer has no photo on file.",
    ...     replace=True,
    ... )
    >>> render("volunteer_without_photo", {"volunteer": "v1"}, "zh")
    '志愿者 v1 未提交照片'
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sw_volunteer.errors import RuleError
from sw_volunteer.vocab import (
    CertificationLevel,
    ClientNeed,
    Lang,
    OutingPaper,
    ProfessionalTask,
    Qualification,
    Setting,
    SupervisionKind,
    SupervisorOrigin,
)

__all__ = [
    "MessageTemplate",
    "codes_page",
    "connector",
    "message_template",
    "message_templates",
    "register_message",
    "register_remedy_text",
    "remedy_template",
    "remedy_templates",
    "render",
    "render_remedy",
]

_Part = tuple[str, str | None, str]
"""A literal, then the field after it (``None`` at the end) and its spec."""


@dataclass(frozen=True)
class MessageTemplate:
    """The English and Chinese templates of one violation code or remedy kind.

    Attributes:
        key: The violation code or the remedy kind.
        en: The English template.
        zh: The Chinese template.
        fields: Each field of the context, with its type (``str`` for an id or an
            enum value, ``int``, ``float``, ``list[str]`` for ids, ...).
        meaning: What the code means (for the reference page).
        remedy: What the remedy proposed does (for the reference page).
        remedies: For a violation code, the kinds of remedy option it may offer.
        title_zh: For a violation code, its short Chinese name (简称), which lists of
            codes show under ``lang="zh"`` instead of the English code.

    Example:
        >>> template = message_templates()["supervisor_overloaded_volunteers"]
        >>> template.render({"supervisor": "w1", "count": 22, "limit": 20})
        'w1 supervises 22 volunteers; the limit is 20'
        >>> template.render({"supervisor": "w1", "count": 22, "limit": 20}, "zh")
        'w1 负责指导 22 名志愿者，上限为 20 名'
    """

    key: str
    en: str
    zh: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    meaning: str = ""
    remedy: str = ""
    remedies: tuple[str, ...] = ()
    title_zh: str = ""
    _compiled: dict[str, Callable[[Mapping[str, Any]], str]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        implied = {
            named: str
            for named, base in _FALLBACKS.items()
            if named == "centre_name" and base in self.fields and named not in self.fields
        }
        if implied:
            object.__setattr__(self, "fields", {**self.fields, **implied})
        for lang, text in (("en", self.en), ("zh", self.zh)):
            parts: tuple[_Part, ...] = tuple(
                (literal, name, spec or "")
                for literal, name, spec, _ in string.Formatter().parse(text)
            )
            unknown = {name for _, name, _ in parts if name is not None} - set(self.fields)
            if unknown:
                msg = f"template {self.key!r} ({lang}) uses undeclared fields: {sorted(unknown)}"
                raise RuleError(msg)
            self._compiled[lang] = _compile(parts, lang)  # type: ignore[arg-type]

    def render(self, context: Mapping[str, Any], lang: Lang = "en") -> str:
        """The text in ``lang`` with ``context``'s values in their places."""
        return self._compiled[lang](context)


def _compile(parts: tuple[_Part, ...], lang: Lang) -> Callable[[Mapping[str, Any]], str]:
    """One function that writes the template: a single join, for many violations.

    The code generated names only literals and field names as ``repr`` strings, and
    the renderers by position, so no template text is ever executed.
    """
    pieces: list[str] = []
    renderers: list[Callable[[Any, Lang], str]] = []
    for literal, name, spec in parts:
        if literal:
            pieces.append(repr(literal))
        if name is None:
            continue
        value = f"c[{name!r}]"
        if name in _FALLBACKS:
            value = f"(c[{name!r}] if {name!r} in c else Id(c[{_FALLBACKS[name]!r}]))"
        renderer = _SPECS.get(spec)
        if renderer is not None:
            renderers.append(renderer)
            pieces.append(f"r[{len(renderers) - 1}]({value}, {lang!r})")
        elif spec:
            pieces.append(f"format({value}, {spec!r})")
        else:
            pieces.append(f"str({value})")
    source = f"lambda c: ''.join(({', '.join(pieces)},))" if pieces else "lambda c: ''"
    scope = {"r": tuple(renderers), "format": format, "str": str, "Id": _Id}
    # The source is built above from repr()'d strings only (see the docstring).
    return eval(source, scope)  # type: ignore[no-any-return]  # noqa: S307


_FALLBACKS: dict[str, str] = {
    "centre_name": "centre",
    "activity_name": "activity",
    "start": "day",
}
"""Display fields, and the id field each falls back to when a context lacks it.

A template that declares the id field (``centre``) may use its display field
(``centre_name``) too: evaluators that know the network put the name in the context;
a context written without it renders the id instead (marked, so that ``centre`` can
write "机构 yucai" for an id and the bare name for a name).
"""


class _Id(str):
    """An id standing in for a missing display name."""

    __slots__ = ()


# -- renderers of specs --------------------------------------------------------------


def _centre(value: str, lang: Lang) -> str:
    """A centre by its name; by "机构 <id>" (``centre <id>``) when only its id is known."""
    if isinstance(value, _Id):
        return f"机构 {value}" if lang == "zh" else f"centre {value}"
    return str(value)


def _session_name(value: str, lang: Lang) -> str:
    """A session by its name; by "活动 <id>" (``session <id>``) when only its id is known."""
    if isinstance(value, _Id):
        return f"活动 {value}" if lang == "zh" else f"session {value}"
    return str(value)


def _when(value: str, lang: Lang) -> str:
    """A session's start (ISO date-time) or day (ISO date): ``11月22日 16:30`` in Chinese."""
    day, _, clock = value.partition("T")
    _, month, dom = day.split("-")
    if lang != "zh":
        return f"{day} {clock[:5]}".rstrip()
    return f"{int(month)}月{int(dom)}日 {clock[:5]}".rstrip()


def _ids(most: int) -> Callable[[Sequence[str], Lang], str]:
    def ids(values: Sequence[str], lang: Lang) -> str:
        extra = len(values) - most
        if lang == "zh":
            return "、".join(values[:most]) + (f" 等 {len(values)} 人" if extra > 0 else "")
        return ", ".join(values[:most]) + (f" and {extra} more" if extra > 0 else "")

    return ids


def _plural(value: int | Sequence[str], lang: Lang) -> str:
    n = value if isinstance(value, int) else len(value)
    return "s" if lang == "en" and n != 1 else ""


def _label(enum: type[Any]) -> Callable[[str, Lang], str]:
    # A member's label never changes: each (value, language) is looked up once.
    known: dict[tuple[str, Lang], str] = {}

    def label(value: str, lang: Lang) -> str:
        found = known.get((value, lang))
        if found is None:
            found = known[value, lang] = str(enum(value).label(lang))
        return found

    return label


def _quals(values: Sequence[str], lang: Lang) -> str:
    labels = sorted(Qualification(v).label(lang) for v in values)
    return ("或" if lang == "zh" else " or ").join(labels)


def _supervises(kind: str, lang: Lang) -> str:
    if lang == "zh":
        return "督导" if kind == SupervisionKind.PROFESSIONAL.value else "负责指导"
    return "supervises" if kind == SupervisionKind.PROFESSIONAL.value else "guides"


def _supervisees(kind: str, lang: Lang) -> str:
    if lang == "zh":
        return "名社工" if kind == SupervisionKind.PROFESSIONAL.value else "名志愿者"
    return "social workers" if kind == SupervisionKind.PROFESSIONAL.value else "volunteers"


def _groups(verb_en: str, verb_zh: str) -> Callable[[Mapping[str, Sequence[str]], Lang], str]:
    ids = _ids(8)

    def groups(by_target: Mapping[str, Sequence[str]], lang: Lang) -> str:
        if lang == "zh":
            return "；".join(f"将 {ids(w, lang)} {verb_zh} {t}" for t, w in by_target.items())
        return "; ".join(f"{verb_en} {ids(w, lang)} to {t}" for t, w in by_target.items())

    return groups


def _free_places(free: Mapping[str, int], lang: Lang) -> str:
    if lang == "zh":
        return "，".join(f"{t} 尚有 {n} 个名额" for t, n in free.items())
    return ", ".join(f"{t} has {n} free places" for t, n in free.items())


def _with_years(years: float, lang: Lang) -> str:
    if not years:
        return ""
    if lang == "zh":
        return f"，从事社会工作满 {years:g} 年"
    return f" with {years:g} years of practice"


def _certified_share(n: int, lang: Lang) -> str:
    if not n:
        return ""
    return f"，其中至少 {n} 名持证社工" if lang == "zh" else f", at least {n} of them certified"


def _weight_note(weight: float, lang: Lang) -> str:
    if not 0 < weight < 1:
        return ""
    if lang == "zh":
        return f"（受训的成年志愿者按 {weight:g} 人计）"
    return f" (a trained adult volunteer counts {weight:g})"


def _rest_supervisors(n: int, lang: Lang) -> str:
    if not n:
        return ""
    if lang == "zh":
        return f"；其余志愿者再增加 {n} 名指导社工"
    return f"; and {n} more guiding social worker{'s' * (n != 1)} for the rest"


def _shared_note(others: Sequence[str], lang: Lang) -> str:
    if not others:
        return ""
    if lang == "zh":
        return f"（全机构合计，含 {_ids(8)(others, lang)} 的超额部分）"
    return f" (for the centre in all, with the excess of {_ids(8)(others, lang)})"


def _cycle(people: Sequence[str], lang: Lang) -> str:
    del lang
    return " → ".join([*people, people[0]])


def _ordinal(n: int, lang: Lang) -> str:
    if lang == "zh":
        return str(n)
    suffix = "th" if n % 100 in {11, 12, 13} else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _len(values: Sequence[Any], lang: Lang) -> str:
    del lang
    return str(len(values))


_RECORD_FIELDS: dict[str, tuple[str, str]] = {
    "content": ("service content", "服务内容"),
    "place": ("place", "服务地点"),
    "recipients": ("recipients", "服务对象"),
    "evaluation": ("evaluation", "服务质量评价"),
    "in_charge": ("person in charge", "活动负责人"),
    "recorder": ("recorder", "记录人"),
}


def _record_fields(names: Sequence[str], lang: Lang) -> str:
    labels = [_RECORD_FIELDS.get(n, (n, n))[lang == "zh"] for n in names]
    return ("、" if lang == "zh" else ", ").join(labels)


_SPECS: dict[str, Callable[[Any, Lang], str]] = {
    "ids": _ids(8),
    "record_fields": _record_fields,
    "ids5": _ids(5),
    "len": _len,
    "ordinal": _ordinal,
    "s": _plural,
    "setting": _label(Setting),
    "need": _label(ClientNeed),
    "level": _label(CertificationLevel),
    "task": _label(ProfessionalTask),
    "quals": _quals,
    "supervisees": _supervisees,
    "supervises": _supervises,
    "centre": _centre,
    "when": _when,
    "session": _session_name,
    "cycle": _cycle,
    "moves": _groups("move", "转给"),
    "assign": _groups("assign", "分配给"),
    "case_moves": _groups("move the cases of", "的个案转给"),
    "free_places": _free_places,
    "with_years": _with_years,
    "certified_share": _certified_share,
    "weight_note": _weight_note,
    "rest_supervisors": _rest_supervisors,
    "shared_note": _shared_note,
}

# -- the table ----------------------------------------------------------------------

_TITLES_ZH: dict[str, str] = {
    "supervisor_overloaded_workers": "督导社工人数超限",
    "supervisor_overloaded_volunteers": "指导志愿者人数超限",
    "supervisor_underqualified": "督导者资质不足",
    "supervisor_below_supervisee": "督导者等级低于被督导者",
    "supervision_cycle": "督导关系循环",
    "multiple_primary_supervisors": "主督导不唯一",
    "volunteer_unsupervised": "志愿者无指导社工",
    "caseload_exceeded": "个案量超限",
    "too_few_adults": "在场成年人不足",
    "no_certified_worker": "无持证社工在场",
    "client_adult_ratio_exceeded": "服务对象与成年人比例超标",
    "group_too_large": "小组人数超限",
    "too_many_volunteers_on_shift": "在岗志愿者超出社工带领上限",
    "volunteer_too_young": "志愿者未达最低年龄",
    "guardian_consent_missing": "未成年志愿者缺监护人书面同意",
    "minor_unaccompanied": "未成年人无成年人陪同",
    "minor_in_risky_activity": "未成年人参加有风险的活动",
    "insurance_missing": "志愿者未投保意外保险",
    "background_check_missing": "缺违法犯罪记录查询",
    "task_without_qualification": "无相应资质承担专业服务",
    "double_booked": "排班时间冲突",
    "service_record_incomplete": "志愿服务记录不完整",
    "service_time_includes_travel": "服务时长计入往返交通时间",
    "record_correction_without_reason": "记录更正未注明理由",
    "star_level_reached": "达到星级志愿者时长",
    "supervision_hours_short": "接受督导时数不足",
    "continuing_education_short": "继续教育学时不足",
    "induction_hours_short": "岗前培训学时不足",
    "external_supervisor_underqualified": "外部督导资质不足",
    "external_supervisor_undeclared": "外部督导资质未记录",
    "client_consent_missing": "缺服务对象监护人书面同意",
    "risk_assessment_missing": "缺风险评估",
    "emergency_plan_missing": "缺应急预案",
    "transport_seats_short": "车辆座位不足",
    "vehicle_driver_missing": "车辆无合格驾驶员",
    "incident_not_followed_up": "意外事件未按时跟进",
}
"""The short Chinese name (简称) of each built-in violation code, for lists of codes."""


_MESSAGES: dict[str, MessageTemplate] = {}
_REMEDIES: dict[str, MessageTemplate] = {}

_SESSION = {
    "activity": str,
    "setting": str,
    "day": str,
    "activity_name": str,
    "start": str,
}
_SESSION_EN = "session {activity} ({setting:setting}) on {day}"
_SESSION_ZH = "{activity_name:session} {start:when}（{setting:setting}）"


def register_message(
    code: str,
    *,
    en: str,
    zh: str,
    fields: Mapping[str, Any],
    meaning: str = "",
    remedies: Sequence[str] = (),
    title_zh: str = "",
    replace: bool = False,
) -> MessageTemplate:
    """Register the English and Chinese templates of a violation ``code``.

    Args:
        code: The violation code.
        en: The English template (``str.format`` fields; specs as the module says).
        zh: The Chinese template.
        fields: The context's fields and their types.
        meaning: What the code means, for the reference page.
        remedies: The kinds of remedy option the code may offer, for the page.
        title_zh: The code's short Chinese name (简称), shown instead of the code in
            Chinese lists of codes (the built-in codes have theirs; without one, the
            code itself is shown).
        replace: Allow replacing a registered template.

    Raises:
        RuleError: The code has a template already and ``replace`` is false, or a
            template uses a field not declared in ``fields``.

    Example:
        >>> template = register_message(
        ...     "photo_missing",
        ...     en="{volunteer} has no photo on file",
        ...     zh="{volunteer} 没有照片存档",
        ...     fields={"volunteer": str}, replace=True,
        ... )
        >>> template.render({"volunteer": "v1"}, "zh")
        'v1 没有照片存档'
    """
    if code in _MESSAGES and not replace:
        raise RuleError(f"violation code {code!r} has a template already; pass replace=True")
    template = MessageTemplate(
        code,
        en,
        zh,
        dict(fields),
        meaning,
        remedies=tuple(remedies),
        title_zh=title_zh or _TITLES_ZH.get(code, ""),
    )
    _MESSAGES[code] = template
    return template


def register_remedy_text(
    kind: str,
    *,
    en: str,
    zh: str,
    fields: Mapping[str, Any],
    remedy: str = "",
    replace: bool = False,
) -> MessageTemplate:
    """Register the English and Chinese templates of a kind of remedy option.

    As [`register_message`][sw_volunteer.rules.register_message]; ``remedy`` says in words what the
    option does.

    Example:
        >>> register_remedy_text(
        ...     "take_photo", en="take a photo of {volunteer}", zh="为 {volunteer} 拍摄照片",
        ...     fields={"volunteer": str}, replace=True,
        ... ).render({"volunteer": "v1"})
        'take a photo of v1'
    """
    if kind in _REMEDIES and not replace:
        raise RuleError(f"remedy kind {kind!r} has a template already; pass replace=True")
    template = MessageTemplate(kind, en, zh, dict(fields), remedy=remedy)
    _REMEDIES[kind] = template
    return template


def message_template(code: str) -> MessageTemplate:
    """The template of violation ``code``.

    Raises:
        RuleError: No template is registered for ``code``.
    """
    try:
        return _MESSAGES[code]
    except KeyError:
        raise RuleError(f"no message template for violation code {code!r}") from None


def remedy_template(kind: str) -> MessageTemplate:
    """The template of remedy ``kind``.

    Raises:
        RuleError: No template is registered for ``kind``.
    """
    try:
        return _REMEDIES[kind]
    except KeyError:
        raise RuleError(f"no template for remedy kind {kind!r}") from None


def message_templates() -> dict[str, MessageTemplate]:
    """Every violation code's template, by code (a copy).

    Example:
        >>> templates = message_templates()
        >>> "supervisor_overloaded_volunteers" in templates, len(templates) > 20
        (True, True)
    """
    return dict(_MESSAGES)


def remedy_templates() -> dict[str, MessageTemplate]:
    """Every remedy kind's template, by kind (a copy).

    Example:
        >>> "add_supervisors.guidance" in remedy_templates()
        True
    """
    return dict(_REMEDIES)


def render(code: str, context: Mapping[str, Any], lang: Lang = "en") -> str:
    """The message of violation ``code`` with ``context``, in ``lang``.

    Example:
        >>> render("caseload_exceeded", {"worker": "w1", "count": 31, "need": "elderly_frail",
        ...                              "limit": 30})
        'w1 holds 31 frail elderly or dementia cases; the limit is 30'
    """
    return message_template(code).render(context, lang)


def code_title(code: str, lang: Lang = "en") -> str:
    """How a list of codes names ``code``: the code itself, or in Chinese its short name.

    Example:
        >>> code_title("no_certified_worker"), code_title("no_certified_worker", "zh")
        ('no_certified_worker', '无持证社工在场')
    """
    template = _MESSAGES.get(code)
    if lang == "zh" and template is not None and template.title_zh:
        return template.title_zh
    return code


def render_remedy(kind: str, context: Mapping[str, Any], lang: Lang = "en") -> str:
    """The text of a remedy option of ``kind`` with ``context``, in ``lang``."""
    return remedy_template(kind).render(context, lang)


def _message(code: str, en: str, zh: str, meaning: str, **fields: Any) -> None:
    register_message(code, en=en, zh=zh, fields=fields, meaning=meaning)


def _remedy(kind: str, en: str, zh: str, remedy: str, **fields: Any) -> None:
    register_remedy_text(kind, en=en, zh=zh, fields=fields, remedy=remedy)


# Supervision --------------------------------------------------------------------------

_message(
    "supervisor_overloaded_workers",
    "{supervisor} supervises {count} social workers; the limit is {limit}",
    "{supervisor} 督导 {count} 名社工，上限为 {limit} 名",
    "A supervisor supervises more social workers than the limit.",
    supervisor=str,
    centre=str,
    count=int,
    limit=int,
)
_message(
    "supervisor_overloaded_volunteers",
    "{supervisor} supervises {count} volunteers; the limit is {limit}",
    "{supervisor} 负责指导 {count} 名志愿者，上限为 {limit} 名",
    "A social worker guides more volunteers than the limit.",
    supervisor=str,
    centre=str,
    count=int,
    limit=int,
)
_message(
    "supervisor_underqualified",
    "{supervisor} ({level:level}, {years:.1f} years) supervises {count} {kind:supervisees} "
    "but needs {need_level:level}{need_years:with_years}",
    "{supervisor}（{level:level}，从事社会工作 {years:.1f} 年）{kind:supervises} {count} "
    "{kind:supervisees}，但须为{need_level:level}{need_years:with_years}",
    "A supervisor lacks the certification level or years of practice the pack requires "
    "for that kind of supervision.",
    supervisor=str,
    level=str,
    years=float,
    count=int,
    kind=str,
    need_level=str,
    need_years=float,
)
_message(
    "supervisor_below_supervisee",
    "{supervisor} ({supervisor_level:level}) supervises {supervisee} "
    "({supervisee_level:level}), who holds a higher level",
    "{supervisor}（{supervisor_level:level}）督导等级更高的 {supervisee}"
    "（{supervisee_level:level}）",
    "A social worker is supervised by someone of a lower certification level.",
    supervisor=str,
    supervisor_level=str,
    supervisee=str,
    supervisee_level=str,
)
_message(
    "supervision_cycle",
    "supervision goes round in a cycle: {people:cycle}",
    "督导关系形成循环：{people:cycle}",
    "Supervision goes round in a cycle.",
    people=list[str],
)
_message(
    "multiple_primary_supervisors",
    "{supervisee} has {supervisors:len} primary supervisors: {supervisors:ids}",
    "{supervisee} 同时有 {supervisors:len} 名主督导：{supervisors:ids}",
    "Someone has more than one primary supervisor at the same time.",
    supervisee=str,
    supervisors=list[str],
)
_message(
    "volunteer_unsupervised",
    "centre {centre}: {volunteers:len} volunteer{volunteers:s} without a guiding social "
    "worker: {volunteers:ids}",
    "{centre_name:centre}：{volunteers:len} 名志愿者没有指导社工：{volunteers:ids}",
    "Volunteers of a centre have no guiding social worker.",
    centre=str,
    volunteers=list[str],
)
_message(
    "caseload_exceeded",
    "{worker} holds {count} {need:need} cases; the limit is {limit}",
    "{worker} 承担 {count} 个{need:need}个案，上限为 {limit} 个",
    "A social worker holds more active cases of a client need than the limit.",
    worker=str,
    count=int,
    need=str,
    limit=int,
)

# Sessions -----------------------------------------------------------------------------

_message(
    "too_few_adults",
    _SESSION_EN + ": {counted:g} adult(s) counted with {clients} clients; "
    "at least {min_adults} needed",
    _SESSION_ZH + "：服务对象 {clients} 人，在场成年人仅 {counted:g} 名，至少需要 {min_adults} 名",
    "A session with clients has fewer counted adults than the minimum (minors never "
    "count; a volunteer with no birth date recorded counts as an adult).",
    **_SESSION,
    counted=float,
    clients=int,
    min_adults=int,
)
_message(
    "no_certified_worker",
    _SESSION_EN + ": {certified} certified social worker(s) present; at least {required} needed",
    _SESSION_ZH + "：在场持证社工 {certified} 名，至少需要 {required} 名",
    "A session with clients has fewer certified social workers present than required.",
    **_SESSION,
    certified=int,
    required=int,
)
_message(
    "client_adult_ratio_exceeded",
    _SESSION_EN + ": {clients} clients ({need:need}) need {required} adults at 1:{ratio:g}; "
    "{counted:g} counted",
    _SESSION_ZH + "：{clients} 名服务对象（{need:need}）按 1:{ratio:g} 需要 {required} 名"
    "成年人，实际 {counted:g} 名",
    "A session has more clients per counted adult than the ratio for its clients' needs "
    "and setting allows (the strictest applicable ratio governs).",
    **_SESSION,
    clients=int,
    need=str,
    required=int,
    ratio=float,
    counted=float,
)
_message(
    "group_too_large",
    _SESSION_EN + ": a group of {clients} clients ({need:need}); at most {limit}",
    _SESSION_ZH + "：一组 {clients} 名服务对象（{need:need}），上限 {limit} 名",
    "A session's group of clients is larger than the cap for that need.",
    **_SESSION,
    clients=int,
    need=str,
    limit=int,
)
_message(
    "too_many_volunteers_on_shift",
    _SESSION_EN + ": {volunteers} volunteers on shift with {workers} social worker(s); "
    "at most {limit} per social worker",
    _SESSION_ZH + "：{volunteers} 名志愿者在岗，社工 {workers} 名；每名社工至多带 {limit} 名",
    "A session has more volunteers on shift than the social workers present can oversee.",
    **_SESSION,
    volunteers=int,
    workers=int,
    limit=int,
)

# Volunteers ---------------------------------------------------------------------------

_message(
    "volunteer_too_young",
    "volunteer {volunteer} is {age}; volunteers must be at least {min_age}",
    "志愿者 {volunteer} 未满 {min_age} 周岁（现年 {age} 周岁），志愿者须年满 {min_age} 周岁",
    "A volunteer on the roster is younger than the minimum age.",
    volunteer=str,
    age=int,
    min_age=int,
)
_message(
    "guardian_consent_missing",
    "volunteer {volunteer} is under {under_age} and has no written guardian consent",
    "志愿者 {volunteer} 未满 {under_age} 周岁，且无监护人书面同意",
    "A minor volunteer on the roster has no written guardian consent.",
    volunteer=str,
    under_age=int,
)
_message(
    "minor_unaccompanied",
    _SESSION_EN + ": {minors:ids} (under {under_age}) serve with no adult present",
    _SESSION_ZH + "：{minors:ids}（未满 {under_age} 周岁）参加服务，无成年人在场陪同",
    "Young volunteers serve in a session with no adult present.",
    **_SESSION,
    minors=list[str],
    under_age=int,
)
_message(
    "minor_in_risky_activity",
    _SESSION_EN + " is risky and {minors:ids} are under {adult_age}",
    _SESSION_ZH + " 有风险，{minors:ids} 未满 {adult_age} 周岁",
    "Minor volunteers take part in a risky activity.",
    **_SESSION,
    minors=list[str],
    adult_age=int,
)
_message(
    "insurance_missing",
    _SESSION_EN + " is risky and {volunteers:len} volunteer(s) have no accident insurance "
    "for the day: {volunteers:ids}",
    _SESSION_ZH + " 有风险，{volunteers:len} 名志愿者当天无意外保险：{volunteers:ids}",
    "Volunteers in a risky activity have no accident insurance for its day.",
    **_SESSION,
    volunteers=list[str],
)
_message(
    "background_check_missing",
    _SESSION_EN + " serves children and {volunteers:len} volunteer(s) have no valid "
    "background check: {volunteers:ids}",
    _SESSION_ZH + " 服务儿童，{volunteers:len} 名志愿者无有效的违法犯罪记录查询：{volunteers:ids}",
    "Volunteers in a session serving children have no valid background check (违法犯罪记录查询).",
    **_SESSION,
    volunteers=list[str],
)
_message(
    "task_without_qualification",
    _SESSION_EN + ": {person} is given {task:task} without being a {qualifications:quals}",
    _SESSION_ZH + "：{person} 不具备{qualifications:quals}，却承担{task:task}任务",
    "Someone is given a professional task (counselling, legal aid, ...) without the qualification.",
    **_SESSION,
    person=str,
    task=str,
    qualifications=list[str],
)

_message(
    "double_booked",
    "{person} is rostered on session {activity} ({day} {time}) and on the overlapping "
    "session {other}, which starts first ({other_start}): counted there only, not here",
    "{person} 同时排班于 {activity_name:session} {start:when} 和时间重叠、先开始的活动 {other}"
    "（{other_start}）：仅在 {other} 计入在场人数，本场不计",
    "Someone is rostered on two overlapping sessions; they count only at the one that "
    "starts first.",
    person=str,
    activity=str,
    day=str,
    time=str,
    other=str,
    other_start=str,
    activity_name=str,
    start=str,
)

# Service records (志愿服务记录) ---------------------------------------------------------

_message(
    "service_record_incomplete",
    "service record {record} of {volunteer} ({day}) lacks: {missing:record_fields}",
    "{volunteer} 的志愿服务记录 {record}（{day}）缺少：{missing:record_fields}",
    "A service record lacks fields the record-keeping rules in force on its day require "
    "(content, place, recipients, evaluation, the person in charge, the recorder).",
    record=str,
    volunteer=str,
    day=str,
    missing=list[str],
)
_message(
    "service_time_includes_travel",
    "service record {record} of {volunteer} ({day}) counts {excess} minutes outside the "
    "session (more than {tolerance}): travel time is not service time",
    "{volunteer} 的志愿服务记录 {record}（{day}）有 {excess} 分钟在活动时间之外"
    "（超过 {tolerance} 分钟）：往返交通时间不计入志愿服务时长",
    "A service record extends beyond its session by more than the tolerance: it probably "
    "counts travel time, which is not service time.",
    record=str,
    volunteer=str,
    day=str,
    excess=int,
    tolerance=int,
)
_message(
    "record_correction_without_reason",
    "service record {record} was corrected on {day} at the request of {requested_by} "
    "without a reason",
    "志愿服务记录 {record} 于 {day} 应 {requested_by} 申请更正，未注明更正理由",
    "A correction of a service record gives no reason.",
    record=str,
    day=str,
    requested_by=str,
)
_message(
    "star_level_reached",
    "{volunteer} has {hours:g} recorded hours of service: {stars} star(s) (from {threshold} h)",
    "{volunteer} 累计志愿服务时长 {hours:g} 小时，达到{stars}星级（{threshold} 小时起）",
    "A volunteer's recorded hours reach a star level of the pack (information).",
    volunteer=str,
    hours=float,
    stars=int,
    threshold=int,
)

# Remedies -----------------------------------------------------------------------------

for _kind, _en_noun, _zh_who, _zh_noun in (
    ("professional", "social worker", "督导社工", "社工"),
    ("guidance", "volunteer", "指导社工", "志愿者"),
):
    _remedy(
        f"add_supervisors.{_kind}",
        "centre {centre}: {count} more supervising social worker{count:s} to take {excess} "
        + _en_noun
        + "{excess:s}{shared:shared_note}",
        "{centre_name:centre}：再增加 {count} 名"
        + _zh_who
        + "，分担 {excess} 名"
        + _zh_noun
        + "{shared:shared_note}",
        "Add the fewest supervisors that take everyone no colleague at the centre has "
        "room for (one count for the whole centre).",
        centre=str,
        count=int,
        excess=int,
        shared=list[str],
    )
    _remedy(
        f"move_and_add_supervisors.{_kind}",
        "centre {centre}: {moves:moves} ({free:free_places}); and {count} more supervising "
        "social worker{count:s} to take {excess} " + _en_noun + "{excess:s}{shared:shared_note}",
        "{centre_name:centre}：{moves:moves}（{free:free_places}）；再增加 {count} 名"
        + _zh_who
        + "，分担其余 {excess} 名"
        + _zh_noun
        + "{shared:shared_note}",
        "Move as many surplus supervisees as colleagues have room for; add the fewest "
        "supervisors for the rest (one count for the whole centre).",
        centre=str,
        moves=dict[str, list[str]],
        free=dict[str, int],
        count=int,
        excess=int,
        shared=list[str],
    )
_remedy(
    "move_supervisees",
    "centre {centre}: {moves:moves} ({free:free_places})",
    "{centre_name:centre}：{moves:moves}（{free:free_places}）",
    "Move the surplus supervisees (named) to named colleagues at the same centre who "
    "have free places.",
    centre=str,
    moves=dict[str, list[str]],
    free=dict[str, int],
)
_remedy(
    "move",
    "{moves:moves}",
    "{moves:moves}",
    "Move the supervisees (named) to named colleagues who can take them.",
    moves=dict[str, list[str]],
)
_remedy(
    "add_qualified_supervisors",
    "{count} more qualified supervisor{count:s} for {supervisees:ids}",
    "再增加 {count} 名合格督导，负责 {supervisees:ids}",
    "No qualified colleague has room: add the fewest qualified supervisors.",
    count=int,
    supervisees=list[str],
)
_remedy(
    "move_and_add_qualified",
    "{moves:moves}; and {count} more qualified supervisor{count:s} for {supervisees:ids}",
    "{moves:moves}；再增加 {count} 名合格督导，负责 {supervisees:ids}",
    "Move to qualified colleagues as many as they have room for; add the fewest qualified "
    "supervisors for the rest.",
    moves=dict[str, list[str]],
    count=int,
    supervisees=list[str],
)
_remedy(
    "obtain_level",
    "{supervisor} obtains the {need_level:level} level{need_years:with_years}, or a "
    "qualified supervisor at centre {centre} takes over",
    "{supervisor} 取得{need_level:level}职业水平证书{need_years:with_years}，或由"
    "{centre_name:centre} 的合格督导接手",
    "The supervisor obtains the level; or a qualified colleague takes over.",
    supervisor=str,
    centre=str,
    need_level=str,
    need_years=float,
)
_remedy(
    "find_supervisor",
    "a supervisor at level {level:level} or above for {supervisee}",
    "为 {supervisee} 安排{level:level}或以上等级的督导",
    "Find a supervisor at or above the supervisee's level.",
    supervisee=str,
    level=str,
)
_remedy(
    "end_supervision",
    "end the supervision {edge} ({supervisor} → {supervisee})",
    "结束督导关系 {edge}（{supervisor} → {supervisee}）",
    "End one named supervision edge of the cycle.",
    edge=str,
    supervisor=str,
    supervisee=str,
)
_remedy(
    "keep_one_primary",
    "keep {keep} as primary; make {demote:ids} secondary",
    "保留 {keep} 为主督导，将 {demote:ids} 改为次要督导关系",
    "Keep one primary supervisor and mark the other edges secondary.",
    keep=str,
    demote=list[str],
)
_remedy(
    "assign_guidance",
    "centre {centre}: {moves:assign}{rest:rest_supervisors}",
    "{centre_name:centre}：{moves:assign}{rest:rest_supervisors}",
    "Assign the volunteers (named) to named social workers with free places; add guiding "
    "social workers for the rest.",
    centre=str,
    moves=dict[str, list[str]],
    rest=int,
)
_remedy(
    "add_guiding_workers",
    "centre {centre}: {count} more certified social worker{count:s} to guide them",
    "{centre_name:centre}：再增加 {count} 名持证社工负责指导",
    "Add certified social workers to guide them.",
    centre=str,
    count=int,
)
_remedy(
    "add_caseworker",
    "centre {centre}: 1 more social worker for {excess} {need:need} cases",
    "{centre_name:centre}：再增加 1 名社工承接 {excess} 个{need:need}个案",
    "Add a social worker for the surplus cases.",
    centre=str,
    excess=int,
    need=str,
)
_remedy(
    "move_cases",
    "{moves:case_moves}",
    "{moves:case_moves}",
    "Move the surplus cases to named colleagues with spare caseload.",
    moves=dict[str, list[str]],
)
_remedy(
    "add_adults",
    _SESSION_EN + ": {count} more adult{count:s}{certified:certified_share}{weight:weight_note}",
    _SESSION_ZH + "：再增加 {count} 名成年人{certified:certified_share}{weight:weight_note}",
    "Add the number of adults missing, with how many of them must be certified.",
    **_SESSION,
    count=int,
    certified=int,
    weight=float,
)
_remedy(
    "add_certified_workers",
    _SESSION_EN + ": {count} more certified social worker{count:s}",
    _SESSION_ZH + "：再增加 {count} 名持证社工",
    "Add the number of certified social workers missing.",
    **_SESSION,
    count=int,
)
_remedy(
    "fewer_clients",
    "take at most {most} clients",
    "服务对象减至 {most} 人以内",
    "Reduce the group to the number of clients the adults present can take.",
    most=int,
)
_remedy(
    "split_group",
    "split into {groups} groups of at most {size}",
    "分为 {groups} 组，每组不超过 {size} 人",
    "Split into the number of groups given.",
    groups=int,
    size=int,
)
_remedy(
    "add_shift_workers",
    _SESSION_EN + ": {count} more social worker{count:s} on shift",
    _SESSION_ZH + "：再安排 {count} 名社工在岗",
    "Add the number of social workers needed on shift.",
    **_SESSION,
    count=int,
)
_remedy(
    "off_shift",
    "take {volunteers:ids} off the shift",
    "{volunteers:ids} 本次不排班",
    "Take the named volunteers off the shift.",
    volunteers=list[str],
)
_remedy(
    "wait_until_age",
    "take {volunteer} off the roster until their {age:ordinal} birthday",
    "{volunteer} 暂不登记为志愿者，年满 {age} 周岁后再加入",
    "Take the volunteer off the roster until their birthday of the minimum age (the day "
    "itself is not named: it would give away the birth date).",
    volunteer=str,
    age=int,
)
_remedy(
    "obtain_consent",
    "obtain written consent from {volunteer}'s guardian",
    "取得 {volunteer} 监护人书面同意",
    "Obtain the guardian's written consent.",
    volunteer=str,
)
_remedy(
    "add_companion",
    _SESSION_EN + ": 1 adult volunteer or social worker present",
    _SESSION_ZH + "：安排 1 名成年志愿者或社工在场陪同",
    "Have one adult volunteer or social worker present.",
    **_SESSION,
)
_remedy(
    "remove_minors",
    "take {minors:ids} out of {activity}",
    "{minors:ids} 不参加活动 {activity}",
    "Take the named minors out of the activity.",
    activity=str,
    minors=list[str],
)
_remedy(
    "insure",
    "insure {volunteers:ids} for {day}",
    "为 {volunteers:ids} 购买 {day} 的意外保险",
    "Insure the named volunteers for the day.",
    volunteers=list[str],
    day=str,
)
_remedy(
    "background_checks",
    "background checks for {volunteers:ids} before {day}",
    "在 {day} 前完成 {volunteers:ids} 的违法犯罪记录查询",
    "Background checks for the named volunteers before the session.",
    volunteers=list[str],
    day=str,
)
_remedy(
    "reassign_task",
    "give the {task:task} task to {holder}, who holds the qualification",
    "将{task:task}任务交给具备资格的 {holder}",
    "Give the task to a named participant who holds the qualification.",
    task=str,
    holder=str,
)
_remedy(
    "bring_qualified",
    _SESSION_EN + ": bring someone who is a {qualifications:quals} for the {task:task} task",
    _SESSION_ZH + "：安排具备{qualifications:quals}的人员承担{task:task}任务",
    "Bring someone who holds the qualification.",
    **_SESSION,
    task=str,
    qualifications=list[str],
)

_remedy(
    "stand_in",
    "session {activity}: a stand-in for {person}",
    "{activity_name:session} {start:when}：为 {person} 安排替班人员",
    "Find someone free and qualified to stand in at the later session.",
    activity=str,
    person=str,
    activity_name=str,
    start=str,
)
_remedy(
    "off_roster",
    "take {person} off the roster of session {activity}",
    "将 {person} 从 {activity_name:session} {start:when} 的排班中撤下",
    "Take the person off the roster of the later session.",
    activity=str,
    person=str,
    activity_name=str,
    start=str,
)

# One concrete action, by its kind: the text of an option given only its actions.
_ROLES = {
    "supervisor": ("supervising social worker", "名督导社工"),
    "worker": ("social worker", "名社工"),
    "certified_worker": ("certified social worker", "名持证社工"),
    "adult": ("adult", "名成年人"),
}


def _role(role: str, lang: Lang) -> str:
    en, zh = _ROLES.get(role, (role, f"名{role}"))
    return zh if lang == "zh" else en


_SPECS["role"] = _role

_remedy(
    "action.add_people",
    "{target}: {count} more {role:role}{count:s}",
    "{target}：再增加 {count} {role:role}",
    "Add people (a program cannot: who they are is the user's choice).",
    count=int,
    role=str,
    target=str,
)
_remedy(
    "action.move_supervisee",
    "move {entity} from {source} to {target}",
    "将 {entity} 由 {source} 转给 {target}",
    "Move a supervisee to another supervisor from the day on.",
    entity=str,
    source=str,
    target=str,
)
_remedy(
    "action.add_supervision",
    "{target} takes on {entity}",
    "由 {target} 督导或指导 {entity}",
    "Start a supervision edge from the day on.",
    entity=str,
    target=str,
)
_remedy(
    "action.end_supervision",
    "end the supervision {entity}",
    "结束督导关系 {entity}",
    "End a supervision edge the day before.",
    entity=str,
)
_remedy(
    "action.set_field",
    "set {field} of {entity} to {value}",
    "将 {entity} 的 {field} 设为 {value}",
    "Set a field of a person or a relation.",
    entity=str,
    field=str,
    value=object,
)
_remedy(
    "action.remove_participant",
    "take {entity} out of {target}",
    "{entity} 不参加活动 {target}",
    "Take someone out of a session.",
    entity=str,
    target=str,
)

# Additions to an option that adds people to a session: who could stand in (at most 5
# named: more would not help a coordinator on the phone).
_remedy(
    "substitutes",
    "{text}: available and qualified: {people:ids5}",
    "{text}：可替班人员：{people:ids5}",
    "Names who is free, available and qualified to stand in.",
    text=str,
    people=list[str],
)
_remedy(
    "no_substitutes",
    "{text} (nobody qualified and not rostered is available)",
    "{text}（暂无合格的可替班人员）",
    "Says that nobody free and qualified is available to stand in.",
    text=str,
)

_remedy(
    "apply_for_stars",
    "{volunteer} may apply to be recognised as a {stars}-star volunteer",
    "{volunteer} 可申请{stars}星级志愿者认定",
    "The volunteer may apply for the star level their recorded hours reach.",
    volunteer=str,
    stars=int,
)
_remedy(
    "complete_record",
    "the recorder completes record {record}: {missing:record_fields}",
    "由记录人补全志愿服务记录 {record} 的{missing:record_fields}",
    "The recorder completes the missing items of the record.",
    record=str,
    missing=list[str],
)
_remedy(
    "correct_service_time",
    "correct record {record} to the session's times, or note its {excess} minutes of "
    "travel as travel_minutes (not counted)",
    "按活动时间更正志愿服务记录 {record}，或将其中 {excess} 分钟记为往返交通时间"
    "（不计入志愿服务时长）",
    "Correct the record to the session's times, or note the travel, which is not counted.",
    record=str,
    excess=int,
)
_remedy(
    "state_correction_reason",
    "add the reason for the correction of record {record} on {day}",
    "补记志愿服务记录 {record} 于 {day} 更正的理由",
    "Record why the record was corrected.",
    record=str,
    day=str,
)


# Supervision sessions and training records -----------------------------------------

_SPECS["origin"] = _label(SupervisorOrigin)


def _month(month: str, lang: Lang) -> str:
    """A month ``YYYY-MM``: as it is in English, ``YYYY年M月`` in Chinese."""
    if lang != "zh":
        return month
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


_SPECS["month"] = _month

register_message(
    "supervision_hours_short",
    en="{worker} received {hours:g} hours of supervision in {month}; at least {min_hours:g} "
    "a month (short by {short:g})",
    zh="{worker} {month:month}接受督导 {hours:g} 小时，每月应不少于 {min_hours:g} 小时，"
    "尚差 {short:g} 小时",
    fields={
        "worker": str,
        "centre": str,
        "month": str,
        "hours": float,
        "min_hours": float,
        "short": float,
    },
    meaning="A social worker received fewer hours of supervision (督导) in the month checked "
    "than the pack asks (from the supervision sessions recorded).",
    remedies=("more_supervision",),
)
register_message(
    "continuing_education_short",
    en="{worker} ({level:level}) completed {hours:g} hours of continuing education in the "
    "registration period {period_start} to {period_end}; at least {required:g} "
    "(short by {short:g})",
    zh="{worker}（{level:level}）登记有效期 {period_start} 至 {period_end} 内继续教育学时 "
    "{hours:g} 学时，应不少于 {required:g} 学时，尚差 {short:g} 学时",
    fields={
        "worker": str,
        "level": str,
        "period_start": str,
        "period_end": str,
        "hours": float,
        "required": float,
        "short": float,
    },
    meaning="A certified social worker completed fewer continuing-education hours "
    "(继续教育学时) in their last registration period than their level requires.",
    remedies=("continuing_education",),
)
register_message(
    "induction_hours_short",
    en="volunteer {volunteer} has {hours:g} hours of induction training; at least "
    "{min_hours:g} (short by {short:g})",
    zh="志愿者 {volunteer} 岗前培训 {hours:g} 学时，应不少于 {min_hours:g} 学时，"
    "尚差 {short:g} 学时",
    fields={"volunteer": str, "centre": str, "hours": float, "min_hours": float, "short": float},
    meaning="A volunteer on the roster has fewer hours of induction training recorded than "
    "the pack asks (``trained: true`` with no record is accepted unless the pack requires "
    "records).",
    remedies=("induction_training",),
)
register_message(
    "external_supervisor_underqualified",
    en="external supervisor {name} ({origin:origin}) led {sessions:len} supervision "
    "session{sessions:s} in {month} but needs {need_level:level}{need_years:with_years}",
    zh="外部督导 {name}（{origin:origin}）{month:month}督导 {sessions:len} 次，"
    "但督导须为{need_level:level}{need_years:with_years}",
    fields={
        "name": str,
        "origin": str,
        "month": str,
        "sessions": list[str],
        "need_level": str,
        "need_years": float,
    },
    meaning="An external supervisor of the month's sessions lacks the level or years the pack "
    "requires, and the pack does not accept external supervisors on their declared "
    "qualification.",
    remedies=("accept_external",),
)
register_message(
    "external_supervisor_undeclared",
    en="external supervisor {name} ({origin:origin}) led {sessions:len} supervision "
    "session{sessions:s} in {month} with no qualification recorded",
    zh="外部督导 {name}（{origin:origin}）{month:month}督导 {sessions:len} 次，未记录其督导资质",
    fields={"name": str, "origin": str, "month": str, "sessions": list[str]},
    meaning="The pack accepts external supervisors on their declared qualification, and an "
    "external supervisor of the month's sessions has none recorded.",
    remedies=("declare_qualification",),
)
_remedy(
    "more_supervision",
    "arrange {short:g} more hours of supervision for {worker}",
    "为 {worker} 补足 {short:g} 小时督导",
    "Arrange the hours of supervision missing.",
    worker=str,
    short=float,
)
_remedy(
    "continuing_education",
    "{worker} completes {short:g} more hours of continuing education before re-registering",
    "{worker} 在再登记前补足 {short:g} 学时继续教育",
    "Complete the continuing-education hours missing.",
    worker=str,
    short=float,
)
_remedy(
    "induction_training",
    "{volunteer} attends {short:g} more hours of induction training",
    "{volunteer} 补足 {short:g} 学时岗前培训",
    "Complete the induction hours missing.",
    volunteer=str,
    short=float,
)
_remedy(
    "declare_qualification",
    "record the qualification of {name} in the supervision sessions",
    "在督导记录中登记 {name} 的督导资质",
    "Record the external supervisor's declared qualification.",
    name=str,
)
_remedy(
    "accept_external",
    "record {name}'s qualification and accept external supervisors in the pack "
    "(accept_external), or have a supervisor at the {need_level:level} level"
    "{need_years:with_years} lead the sessions",
    "登记 {name} 的督导资质并在规则包中接受外部督导（accept_external），或改由符合条件的督导"
    "（{need_level:level}{need_years:with_years}）负责",
    "Accept the external supervisor on a declared qualification, or a qualified supervisor "
    "leads the sessions.",
    name=str,
    need_level=str,
    need_years=float,
)

# Outings and risky activities ---------------------------------------------------------


def _named_driver(driver: str, lang: Lang) -> str:
    """A clause naming the driver who does not qualify; nothing when none is named."""
    if not driver:
        return ""
    return f"（{driver} 不具备驾驶资格）" if lang == "zh" else f" ({driver} does not qualify)"


_SPECS["named_driver"] = _named_driver
_SPECS["paper"] = _label(OutingPaper)
_SPECS["qualification"] = _label(Qualification)

_message(
    "client_consent_missing",
    _SESSION_EN + ": client {client} has no {paper:paper} on file",
    _SESSION_ZH + "：服务对象 {client} 缺少{paper:paper}",
    "A client of an outing or risky activity who is a minor, or has a need the pack names, "
    "has no guardian's written consent (监护人知情同意书) signed by the day.",
    **_SESSION,
    client=str,
    paper=str,
)
for _paper in (OutingPaper.RISK_ASSESSMENT, OutingPaper.EMERGENCY_PLAN):
    _message(
        f"{_paper.value}_missing",
        _SESSION_EN + ": no {paper:paper} on file",
        _SESSION_ZH + "：缺少{paper:paper}",
        f"An outing or risky activity has no {_paper.label('en')} ({_paper.label('zh')}) "
        "dated on or before its day.",
        **_SESSION,
        paper=str,
    )
_message(
    "transport_seats_short",
    _SESSION_EN + ": {going} people travel and the vehicles have {seats} passenger seats "
    "(short by {short})",
    _SESSION_ZH + "：乘车 {going} 人，车辆座位仅 {seats} 个（驾驶员座位除外），尚缺 {short} 个",
    "More people go on an activity than its vehicles have passenger seats (车辆座位).",
    **_SESSION,
    going=int,
    seats=int,
    short=int,
)
_message(
    "vehicle_driver_missing",
    _SESSION_EN + ": vehicle {vehicle} has no qualified driver{driver:named_driver}",
    _SESSION_ZH + "：车辆 {vehicle} 无具备资格的驾驶员{driver:named_driver}",
    "A vehicle of an activity names no driver, or its driver is not a social worker or an "
    "adult volunteer holding the qualification the pack asks (机动车驾驶证).",
    **_SESSION,
    vehicle=str,
    driver=str,
)
_remedy(
    "get_guardian_consent",
    "have {client}'s guardian sign a written consent by {day}",
    "最迟于 {day} 请 {client} 的监护人签署监护人知情同意书",
    "Have the guardian sign the written consent by the day.",
    client=str,
    day=str,
)
_remedy(
    "prepare_paper",
    "complete the {paper:paper} by {day}",
    "最迟于 {day} 完成{paper:paper}",
    "Prepare the paper missing by the day.",
    paper=str,
    day=str,
)
_remedy(
    "more_seats",
    "add {short} seats (another vehicle) or take fewer people",
    "增加 {short} 个座位（增派车辆）或减少乘车人数",
    "Add seats or take fewer people.",
    short=int,
)
_remedy(
    "qualified_driver",
    "give {vehicle} a driver who holds a {qualification:qualification}, or hire one",
    "为 {vehicle} 安排持有{qualification:qualification}的驾驶员，或租用带驾驶员的车辆",
    "Give the vehicle a qualified driver.",
    vehicle=str,
    qualification=str,
)

_REMEDIES_OF = {
    "supervisor_overloaded_workers": (
        "move_supervisees",
        "move_and_add_supervisors.professional",
        "add_supervisors.professional",
    ),
    "supervisor_overloaded_volunteers": (
        "move_supervisees",
        "move_and_add_supervisors.guidance",
        "add_supervisors.guidance",
    ),
    "supervisor_underqualified": (
        "move",
        "move_and_add_qualified",
        "add_qualified_supervisors",
        "obtain_level",
    ),
    "supervisor_below_supervisee": ("move", "find_supervisor"),
    "supervision_cycle": ("end_supervision",),
    "multiple_primary_supervisors": ("keep_one_primary",),
    "volunteer_unsupervised": ("assign_guidance", "add_guiding_workers"),
    "caseload_exceeded": ("move_cases", "add_caseworker"),
    "too_few_adults": ("add_adults",),
    "no_certified_worker": ("add_certified_workers",),
    "client_adult_ratio_exceeded": ("add_adults", "fewer_clients"),
    "group_too_large": ("split_group",),
    "too_many_volunteers_on_shift": ("add_shift_workers", "off_shift"),
    "volunteer_too_young": ("wait_until_age",),
    "guardian_consent_missing": ("obtain_consent",),
    "minor_unaccompanied": ("add_companion",),
    "minor_in_risky_activity": ("remove_minors",),
    "insurance_missing": ("insure",),
    "background_check_missing": ("background_checks",),
    "task_without_qualification": ("reassign_task", "bring_qualified"),
    "double_booked": ("stand_in", "off_roster"),
    "service_record_incomplete": ("complete_record",),
    "service_time_includes_travel": ("correct_service_time",),
    "record_correction_without_reason": ("state_correction_reason",),
    "star_level_reached": ("apply_for_stars",),
    "client_consent_missing": ("get_guardian_consent",),
    "risk_assessment_missing": ("prepare_paper",),
    "emergency_plan_missing": ("prepare_paper",),
    "transport_seats_short": ("more_seats",),
    "vehicle_driver_missing": ("qualified_driver",),
}
for _code, _kinds in _REMEDIES_OF.items():
    _MESSAGES[_code] = replace(_MESSAGES[_code], remedies=_kinds)

_CONNECTORS: dict[str, dict[Lang, str]] = {
    "remedy": {"en": "remedy: ", "zh": "建议："},
    "or": {"en": "; or ", "zh": "；或 "},
    "and": {"en": "; ", "zh": "；"},
}


def connector(name: str, lang: Lang = "en") -> str:
    """The words that join rendered parts: ``"remedy"`` (before a remedy), ``"or"``, ``"and"``.

    Example:
        >>> connector("or", "zh")
        '；或 '
    """
    return _CONNECTORS[name][lang]


_BUILTIN_REMEDIES = tuple(_REMEDIES)
"""The remedy kinds of the built-in rule kinds (the reference page lists these)."""

# -- the reference page ---------------------------------------------------------------


def _type_name(kind: Any) -> str:
    return kind.__name__ if isinstance(kind, type) else str(kind)


def codes_page(kinds_of_code: Mapping[str, str]) -> str:
    """The violation-code reference page (Markdown), generated from the table.

    Args:
        kinds_of_code: For each code to list, the rule kind that reports it, in the
            order the page lists them.
    """
    lines = [
        "# Violation codes",
        "",
        "<!-- Generated from sw_volunteer/rules/_messages.py by tools/write_codes_page.py;",
        "     a test fails while this page differs from the table. -->",
        "",
        "Every `Violation` carries a stable `code` and a `context`: the values its messages",
        "are written from. The English `message` and the Chinese `message_zh` come from one",
        "template per code; the remedy options likewise carry a `kind` and a context. This",
        "page is generated from that table, so it shows the templates as the messages use",
        "them.",
        "",
        "People are named by id only; a report never shows a client's name, birth date or",
        "needs.",
        "",
        "Messages about a session name it by id, setting and day: in English",
        f"`{_SESSION_EN}`, in Chinese `{_SESSION_ZH}`.",
        "",
        "| Code | 简称 | Rule kind | Meaning | Remedies proposed | Context |",
        "|---|---|---|---|---|---|",
    ]
    for code, kind in kinds_of_code.items():
        t = message_template(code)
        context = ", ".join(f"`{n}`: {_type_name(k)}" for n, k in t.fields.items())
        remedies = "; or ".join(_REMEDIES[r].remedy for r in t.remedies if r in _REMEDIES)
        lines.append(
            f"| `{code}` | {t.title_zh} | `{kind}` | {t.meaning} | {remedies} | {context} |"
        )
    lines += ["", "## Messages", ""]
    for code in kinds_of_code:
        t = message_template(code)
        lines += [f"### `{code}`", "", f"- en: `{t.en}`", f"- zh: `{t.zh}`", ""]
    lines += [
        "## Remedies",
        "",
        "A remedy offers options, the cheapest first; each option has a `kind`, a context",
        "and the concrete `actions` a program can apply.",
        "",
        "| Remedy kind | What it proposes | English | Chinese |",
        "|---|---|---|---|",
    ]
    for kind in _BUILTIN_REMEDIES:
        t = _REMEDIES[kind]
        lines.append(f"| `{kind}` | {t.remedy} | `{t.en}` | `{t.zh}` |")
    lines += [
        "",
        "## Your own rule kinds",
        "",
        "Register a template for each code your evaluator reports with",
        "`sw_volunteer.rules.register_message(code, en=..., zh=..., fields=...)`, and one",
        "for each kind of remedy option with `register_remedy_text`; then build",
        "`Violation(code=..., context={...}, ...)` and `RemedyOption(kind=..., context=...)`",
        "without writing any text.",
        "",
    ]
    return "\n".join(lines)
