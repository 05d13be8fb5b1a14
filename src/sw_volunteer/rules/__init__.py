"""Rules as data: declarations, the evaluator registry, rule packs, violations and reports.

Example:
    >>> from sw_volunteer import rules
    >>> cn = rules.pack("cn-default")
    >>> cn.rule("supervision.workers.warning")
    Rule('supervision.workers.warning', max_workers_per_supervisor(limit=8), warning)
"""

from sw_volunteer.rules import (  # noqa: F401 - register the built-in rule kinds
    _booking,
    _builtin,
    _incidents,
    _outings,
    _practice_records,
)
from sw_volunteer.rules._check import DEFAULT_PACK, RulesLike, check, check_sessions, resolve_rules
from sw_volunteer.rules._context import CheckContext, adults_of
from sw_volunteer.rules._declarations import (
    ActivityEvaluator,
    NetworkEvaluator,
    Rule,
    RuleKind,
    Scope,
    Severity,
    SkippedRule,
    get_rule_kind,
    register_rule_kind,
    rule_kind,
    rule_kinds,
)
from sw_volunteer.rules._incidents import IncidentFollowUp
from sw_volunteer.rules._incremental import Checker
from sw_volunteer.rules._messages import (
    MessageTemplate,
    message_templates,
    register_message,
    register_remedy_text,
    remedy_templates,
)
from sw_volunteer.rules._packs import RulePack, available_packs, load_pack, pack, parse_pack
from sw_volunteer.rules._params import (
    AdultsPresent,
    BackgroundCheckForChildren,
    CaseloadLimit,
    ClientAdultRatio,
    ContinuingEducation,
    GuardianConsent,
    InsuranceForRiskyActivities,
    KindStaffing,
    MaxSupervisees,
    MinimumVolunteerAge,
    MinorsAccompanied,
    NoMinorsInRiskyActivities,
    NoParams,
    SupervisionHours,
    SupervisorQualification,
    VolunteerInduction,
)
from sw_volunteer.rules._reads import Reads, declare_reads, reads_of
from sw_volunteer.rules._records import (
    RecordField,
    ServiceRecordFields,
    StarLevels,
    TravelExcluded,
    star_level,
    star_thresholds,
)
from sw_volunteer.rules._remedies import apply_remedy
from sw_volunteer.rules._report import Report
from sw_volunteer.rules._sessions import SessionStatus, check_schedule, schedule_report
from sw_volunteer.rules._violations import Remedy, RemedyAction, RemedyOption, Violation

__all__ = [
    "DEFAULT_PACK",
    "ActivityEvaluator",
    "AdultsPresent",
    "BackgroundCheckForChildren",
    "CaseloadLimit",
    "CheckContext",
    "Checker",
    "ClientAdultRatio",
    "ContinuingEducation",
    "GuardianConsent",
    "IncidentFollowUp",
    "InsuranceForRiskyActivities",
    "KindStaffing",
    "MaxSupervisees",
    "MessageTemplate",
    "MinimumVolunteerAge",
    "MinorsAccompanied",
    "NetworkEvaluator",
    "NoMinorsInRiskyActivities",
    "NoParams",
    "Reads",
    "RecordField",
    "Remedy",
    "RemedyAction",
    "RemedyOption",
    "Report",
    "Rule",
    "RuleKind",
    "RulePack",
    "RulesLike",
    "Scope",
    "ServiceRecordFields",
    "SessionStatus",
    "Severity",
    "SkippedRule",
    "StarLevels",
    "SupervisionHours",
    "SupervisorQualification",
    "TravelExcluded",
    "Violation",
    "VolunteerInduction",
    "adults_of",
    "apply_remedy",
    "available_packs",
    "check",
    "check_schedule",
    "check_sessions",
    "declare_reads",
    "get_rule_kind",
    "load_pack",
    "message_templates",
    "pack",
    "parse_pack",
    "reads_of",
    "register_message",
    "register_remedy_text",
    "register_rule_kind",
    "remedy_templates",
    "resolve_rules",
    "rule_kind",
    "rule_kinds",
    "schedule_report",
    "star_level",
    "star_thresholds",
]
