"""The typed domain model: entities and the :class:`Network` aggregate."""

from sw_volunteer.models._base import (
    Entity,
    Model,
    OwnErrorModel,
    Period,
    sensitive,
    sensitive_fields,
)
from sw_volunteer.models._edit import Changes, Draft
from sw_volunteer.models._entities import (
    Activity,
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
from sw_volunteer.models._records import Absence, ServiceRecord
from sw_volunteer.models._schedule import Occurrence, Schedule

__all__ = [
    "ENTITY_TYPES",
    "Absence",
    "Activity",
    "CaseAssignment",
    "Centre",
    "Changes",
    "Client",
    "Draft",
    "Entity",
    "Model",
    "Network",
    "NetworkInfo",
    "Occurrence",
    "OwnErrorModel",
    "Period",
    "Programme",
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
