"""The controlled vocabulary of the field, with stable English values and Chinese labels.

Every enum here is a ``enum.StrEnum`` whose *value* is a stable English slug (what
goes into files and JSON) and which knows its label in English and Chinese.

Example:
    >>> CertificationLevel.INTERMEDIATE.value
    'intermediate'
    >>> CertificationLevel.INTERMEDIATE.label("zh")
    '社会工作师'
    >>> CertificationLevel.ASSISTANT < CertificationLevel.SENIOR
    True
    >>> ClientNeed("psychiatric_rehabilitation").label("zh")
    '精神障碍康复者'
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal, Self

__all__ = [
    "AbsenceReason",
    "ActivityKind",
    "ActivityRole",
    "AffiliationKind",
    "CentreKind",
    "CertificationLevel",
    "ClientNeed",
    "IncidentSeverity",
    "LabelledEnum",
    "Lang",
    "OutingPaper",
    "ProfessionalTask",
    "Qualification",
    "Sensitivity",
    "ServiceArea",
    "Setting",
    "SupervisionFormat",
    "SupervisionKind",
    "SupervisorOrigin",
    "SupportLevel",
    "TrainingKind",
    "weekday_label",
]

Lang = Literal["en", "zh"]
"""A language a label or message can be rendered in."""

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def weekday_label(day: date, lang: Lang = "en") -> str:
    """The short name of ``day``'s weekday (whatever the machine's locale).

    Example:
        >>> from datetime import date
        >>> weekday_label(date(2013, 11, 18)), weekday_label(date(2013, 11, 18), "zh")
        ('Mon', '周一')
    """
    return _WEEKDAYS[lang][day.weekday()]


class LabelledEnum(StrEnum):
    """A string enum whose members carry an English and a Chinese label.

    Subclasses define members as ``NAME = ("value", "English label", "中文标签")``.
    """

    _label_en: str
    _label_zh: str

    def __new__(cls, value: str, label_en: str = "", label_zh: str = "") -> Self:
        """Create a member from its value and its labels."""
        member = str.__new__(cls, value)
        member._value_ = value
        member._label_en = label_en or value.replace("_", " ")  # noqa: SLF001 - own member
        member._label_zh = label_zh or label_en or value  # noqa: SLF001 - own member
        return member

    def label(self, lang: Lang = "en") -> str:
        """This member's label in ``lang`` (``"en"`` or ``"zh"``)."""
        return self._label_zh if lang == "zh" else self._label_en


class CertificationLevel(LabelledEnum):
    """Level of China's national social-work qualification (社会工作者职业水平评价).

    Ordered: ``NONE < ASSISTANT < INTERMEDIATE < SENIOR``. "持证社工" (a certified
    social worker) holds any level above ``NONE``.

    Example:
        >>> CertificationLevel.INTERMEDIATE > CertificationLevel.ASSISTANT
        True
        >>> CertificationLevel.ASSISTANT.label("zh"), CertificationLevel.NONE.is_certified
        ('助理社会工作师', False)
    """

    NONE = ("none", "not certified", "未持证")
    ASSISTANT = ("assistant", "assistant social worker", "助理社会工作师")
    INTERMEDIATE = ("intermediate", "social worker", "社会工作师")
    SENIOR = ("senior", "senior social worker", "高级社会工作师")

    @property
    def rank(self) -> int:
        """Position in the order of levels, ``NONE`` being 0."""
        return _LEVEL_ORDER.index(self)

    @property
    def is_certified(self) -> bool:
        """Whether this level counts as certified (持证)."""
        return self is not CertificationLevel.NONE

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, CertificationLevel):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, CertificationLevel):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, CertificationLevel):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, CertificationLevel):
            return NotImplemented
        return self.rank >= other.rank

    __hash__ = StrEnum.__hash__


_LEVEL_ORDER = tuple(CertificationLevel)


class ClientNeed(LabelledEnum):
    """What a client needs support for; drives client-to-adult ratios and caseloads.

    Example:
        >>> ClientNeed("intellectual_disability").label("zh")
        '智力残疾'
        >>> [need.value for need in ClientNeed if need.is_child]
        ['child_6_8', 'child_9_12', 'child_13_17']
    """

    PSYCHIATRIC_REHABILITATION = (
        "psychiatric_rehabilitation",
        "psychiatric rehabilitation",
        "精神障碍康复者",
    )
    INTELLECTUAL_DISABILITY = ("intellectual_disability", "intellectual disability", "智力残疾")
    PHYSICAL_DISABILITY = ("physical_disability", "physical disability", "肢体残疾")
    ELDERLY_INDEPENDENT = (
        "elderly_independent",
        "independent or empty-nest elderly",
        "空巢/自理老人",
    )
    ELDERLY_FRAIL = ("elderly_frail", "frail elderly or dementia", "失能/失智老人")
    CHILD_6_8 = ("child_6_8", "school-age child, 6-8", "学龄儿童（年满6周岁、未满9周岁）")
    CHILD_9_12 = ("child_9_12", "school-age child, 9-12", "学龄儿童（年满9周岁、未满13周岁）")
    CHILD_13_17 = ("child_13_17", "adolescent, 13-17", "青少年（年满13周岁、未满18周岁）")
    DRUG_REHABILITATION = ("drug_rehabilitation", "drug rehabilitation", "社区戒毒康复人员")
    COMMUNITY_CORRECTION = ("community_correction", "community correction", "社区矫正对象")
    SOCIAL_ASSISTANCE = ("social_assistance", "social assistance", "社会救助对象")

    @property
    def is_child(self) -> bool:
        """Whether the need describes a minor."""
        return self in _CHILD_NEEDS


_CHILD_NEEDS = frozenset({ClientNeed.CHILD_6_8, ClientNeed.CHILD_9_12, ClientNeed.CHILD_13_17})


class ServiceArea(LabelledEnum):
    """A field of service a centre or programme works in.

    Example:
        >>> ServiceArea("legal_aid").label("zh"), ServiceArea.LEGAL_AID == "legal_aid"
        ('法律援助', True)
    """

    DISPUTE_MEDIATION = ("dispute_mediation", "dispute mediation", "矛盾调解")
    LEGAL_AID = ("legal_aid", "legal aid", "法律援助")
    DRUG_REHABILITATION = ("drug_rehabilitation", "drug prohibition and rehabilitation", "禁毒戒毒")
    PSYCHOLOGICAL_COUNSELLING = (
        "psychological_counselling",
        "psychological counselling",
        "心理咨询",
    )
    COMMUNITY_CORRECTION = ("community_correction", "community correction", "社区矫正")
    ELDERLY_AND_DISABILITY = (
        "elderly_and_disability",
        "help for elderly and disabled people",
        "助老助残",
    )
    SOCIAL_ASSISTANCE = ("social_assistance", "social assistance", "社会救助")
    COMMUNITY_EDUCATION = ("community_education", "community education", "社区教育")
    AFTER_SCHOOL_CARE = ("after_school_care", "after-school care", "课后托管")
    REHABILITATION = ("rehabilitation", "rehabilitation", "康复服务")


class Setting(LabelledEnum):
    """Where an activity takes place; outings need more adults per client.

    Example:
        >>> [s.value for s in Setting]
        ['in_centre', 'outing', 'home_visit', 'community']
        >>> Setting.HOME_VISIT.label("zh")
        '入户探访'
    """

    IN_CENTRE = ("in_centre", "in the centre", "中心内")
    OUTING = ("outing", "outing", "外出活动")
    HOME_VISIT = ("home_visit", "home visit", "入户探访")
    COMMUNITY = ("community", "in the community", "社区")


class ActivityKind(LabelledEnum):
    """What kind of service a session is; the staffing a pack asks for may differ by kind.

    Example:
        >>> [k.value for k in ActivityKind]
        ['casework', 'group_work', 'community', 'home_visit']
        >>> ActivityKind.CASEWORK.label("zh"), ActivityKind.HOME_VISIT.label("zh")
        ('个案工作', '入户探访')
    """

    CASEWORK = ("casework", "casework (one to one)", "个案工作")
    GROUP_WORK = ("group_work", "group work", "小组工作")
    COMMUNITY = ("community", "community activity", "社区活动")
    HOME_VISIT = ("home_visit", "home visit", "入户探访")


class CentreKind(LabelledEnum):
    """What kind of organisation a centre is.

    Example:
        >>> CentreKind("station").label("zh"), CentreKind.STATION.label("en")
        ('社会工作站', 'social work station')
    """

    SERVICE_CENTRE = ("service_centre", "social work service centre", "社会工作服务中心")
    COMMUNITY_STUDIO = ("community_studio", "community social work studio", "社区社会工作室")
    STATION = ("station", "social work station", "社会工作站")
    GOVERNMENT_OFFICE = ("government_office", "government office", "政府部门")
    OTHER = ("other", "other organisation", "其他组织")


class SupervisionKind(LabelledEnum):
    """The two relations the supervision graph holds.

    Example:
        >>> SupervisionKind.GUIDANCE.label("zh"), SupervisionKind.PROFESSIONAL.label("zh")
        ('志愿者指导', '专业督导')
    """

    PROFESSIONAL = ("professional", "professional supervision of a social worker", "专业督导")
    GUIDANCE = ("guidance", "guidance of a volunteer", "志愿者指导")


class Qualification(LabelledEnum):
    """A professional qualification a social worker or volunteer may hold.

    Example:
        >>> Qualification("nursing").label("zh")
        '护士执业资格'
        >>> Qualification.NURSING in ProfessionalTask.FIRST_AID.qualifications
        True
    """

    PSYCHOLOGICAL_COUNSELLOR = (
        "psychological_counsellor",
        "psychological counsellor",
        "心理咨询师证书",
    )
    LEGAL_PROFESSIONAL = ("legal_professional", "legal professional", "法律职业资格")
    MEDICAL = ("medical", "medical practitioner", "医师执业资格")
    NURSING = ("nursing", "registered nurse", "护士执业资格")
    TEACHING = ("teaching", "teacher", "教师资格")
    FIRST_AID = ("first_aid", "first aid", "急救证书")
    DRIVING = ("driving", "driving licence", "机动车驾驶证")

    @property
    def national_until(self) -> date | None:
        """The day a national vocational qualification left the national list, if it has.

        心理咨询师 was taken off the national list of vocational qualifications by
        《关于公布国家职业资格目录的通知》(人社部发〔2017〕68号) of 2017-09-12: a
        certificate obtained by then stays a record of training, and no national
        certificate has been issued since. The others are still on the list.

        Example:
            >>> Qualification.PSYCHOLOGICAL_COUNSELLOR.national_until
            datetime.date(2017, 9, 12)
            >>> Qualification.NURSING.national_until is None
            True
        """
        return _WITHDRAWN.get(self)


_WITHDRAWN: dict[Qualification, date] = {
    Qualification.PSYCHOLOGICAL_COUNSELLOR: date(2017, 9, 12),
}


class ProfessionalTask(LabelledEnum):
    """A task that only a holder of the matching qualification may do (志愿服务条例 Art. 16).

    Example:
        >>> ProfessionalTask.COUNSELLING.label("zh")
        '心理咨询'
        >>> sorted(ProfessionalTask.MEDICAL_CARE.qualifications)
        [<Qualification.MEDICAL: 'medical'>, <Qualification.NURSING: 'nursing'>]
    """

    COUNSELLING = ("counselling", "psychological counselling", "心理咨询")
    LEGAL_AID = ("legal_aid", "legal aid", "法律援助")
    MEDICAL_CARE = ("medical_care", "medical care", "医疗护理")
    FIRST_AID = ("first_aid", "first aid", "急救")

    @property
    def qualifications(self) -> frozenset[Qualification]:
        """The qualifications any one of which allows a person to do this task."""
        return _TASK_QUALIFICATIONS[self]


_TASK_QUALIFICATIONS: dict[ProfessionalTask, frozenset[Qualification]] = {
    ProfessionalTask.COUNSELLING: frozenset({Qualification.PSYCHOLOGICAL_COUNSELLOR}),
    ProfessionalTask.LEGAL_AID: frozenset({Qualification.LEGAL_PROFESSIONAL}),
    ProfessionalTask.MEDICAL_CARE: frozenset({Qualification.MEDICAL, Qualification.NURSING}),
    ProfessionalTask.FIRST_AID: frozenset(
        {Qualification.FIRST_AID, Qualification.MEDICAL, Qualification.NURSING}
    ),
}


class SupportLevel(LabelledEnum):
    """How much support a client needs."""

    LOW = ("low", "low", "低")
    MEDIUM = ("medium", "medium", "中")
    HIGH = ("high", "high", "高")


class AffiliationKind(LabelledEnum):
    """Where a volunteer comes from."""

    INDIVIDUAL = ("individual", "individual", "个人")
    SCHOOL = ("school", "school", "学校")
    ORGANISATION = ("organisation", "organisation", "单位/组织")
    ANTI_DRUG_STAFF = ("anti_drug_staff", "anti-drug staff", "禁毒工作人员")


class ActivityRole(LabelledEnum):
    """The part a person plays in an activity or service record."""

    LEAD = ("lead", "lead", "负责")
    SUPPORT = ("support", "support", "协助")
    TEACHING = ("teaching", "teaching", "教学")
    CARE = ("care", "care", "看护")
    PERFORMANCE = ("performance", "performance", "演出")


class Sensitivity(LabelledEnum):
    """How a model field's value must be protected; drives redaction and ``repr``.

    Fields tagged with any of these never appear in ``repr``/``str`` or in validation
    error messages. [`sw_volunteer.privacy`][sw_volunteer.privacy] replaces ``IDENTIFYING`` values
    by keyed pseudonyms, coarsens ``QUASI_IDENTIFYING`` dates, keeps ``HEALTH`` categories (the
    staffing rules need them; ``health="drop"`` removes them), and drops ``FREE_TEXT``.
    Quasi-identifiers that are not sensitive on their own (an enrolment date, a school)
    are declared with
    [`sw_volunteer.models.quasi_identifier`][sw_volunteer.models.quasi_identifier].
    """

    IDENTIFYING = ("identifying", "identifies a person", "身份信息")
    QUASI_IDENTIFYING = ("quasi_identifying", "identifies a person with other data", "准身份信息")
    HEALTH = ("health", "describes a person's condition", "健康与状况信息")
    FREE_TEXT = ("free_text", "free text that may hold anything", "自由文本")


class AbsenceReason(LabelledEnum):
    """Why a social worker or volunteer is away."""

    LEAVE = ("leave", "leave", "休假")
    SICKNESS = ("sickness", "sickness", "病假")
    TRAINING = ("training", "training", "培训")
    EXAMINATION = ("examination", "examinations", "考试")
    OTHER = ("other", "cannot come", "临时请假")


# Supervision sessions and training records ------------------------------------------


class SupervisionFormat(LabelledEnum):
    """How a supervision session (督导) is held."""

    INDIVIDUAL = ("individual", "individual supervision", "个别督导")
    GROUP = ("group", "group supervision", "小组督导")


class SupervisorOrigin(LabelledEnum):
    """Where an external supervisor (外部督导) comes from."""

    HONG_KONG = ("hong_kong", "Hong Kong supervisor", "香港督导")
    UNIVERSITY = ("university", "university teacher", "高校教师")
    OTHER_AGENCY = ("other_agency", "another social-work organisation", "其他社会工作机构")
    OTHER = ("other", "other", "其他")


class TrainingKind(LabelledEnum):
    """What a training record counts towards."""

    INDUCTION = ("induction", "volunteer induction training", "志愿者岗前培训")
    CONTINUING_EDUCATION = (
        "continuing_education",
        "continuing education of a social worker",
        "社会工作者继续教育",
    )
    OTHER = ("other", "other training", "其他培训")


# Outings and risky activities ---------------------------------------------------------


class OutingPaper(LabelledEnum):
    """A paper an outing or risky activity needs on file before it starts.

    Example:
        >>> [p.label("zh") for p in OutingPaper]
        ['监护人知情同意书', '风险评估', '应急预案']
    """

    GUARDIAN_CONSENT = ("guardian_consent", "guardian's written consent", "监护人知情同意书")
    RISK_ASSESSMENT = ("risk_assessment", "risk assessment", "风险评估")
    EMERGENCY_PLAN = ("emergency_plan", "emergency plan", "应急预案")


# Incidents -----------------------------------------------------------------------------


class IncidentSeverity(LabelledEnum):
    """How serious an incident (突发事件/意外事件) was."""

    MINOR = ("minor", "minor", "轻微")
    MODERATE = ("moderate", "moderate", "一般")
    SERIOUS = ("serious", "serious", "严重")
