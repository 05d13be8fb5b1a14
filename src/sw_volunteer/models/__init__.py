"""The typed domain model: entities and the :class:`Network` aggregate."""

from sw_volunteer.models._base import (
    Entity,
    Model,
    OwnErrorModel,
    Period,
    sensitive,
    sensitive_fields,
)
from sw_volunteer.models._entities import (
    Activity,
    Address,
    CaseAssignment,
    Centre,
    Client,
    NetworkInfo,
    Programme,
    SocialWorker,
    Supervision,
    TaskAssignment,
    Volunteer,
    age_on,
    first_day_of_age,
)
from sw_volunteer.models._network import ENTITY_TYPES, Network, gc_paused
from sw_volunteer.models._records import Absence, RecordCorrection, ServiceRecord
from sw_volunteer.models._schedule import Occurrence, Schedule

__all__ = [
    "ENTITY_TYPES",
    "Absence",
    "Activity",
    "Address",
    "CaseAssignment",
    "Centre",
    "Client",
    "Entity",
    "Model",
    "Network",
    "NetworkInfo",
    "Occurrence",
    "OwnErrorModel",
    "Period",
    "Programme",
    "RecordCorrection",
    "Schedule",
    "ServiceRecord",
    "SocialWorker",
    "Supervision",
    "TaskAssignment",
    "Volunteer",
    "age_on",
    "first_day_of_age",
    "gc_paused",
    "sensitive",
    "sensitive_fields",
]
