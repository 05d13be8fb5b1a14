"""Sharing data safely: keyed pseudonyms, redaction and aggregate exports.

The sensitivity tags on the models (:func:`sw_volunteer.models.sensitive_fields`) drive
everything here; a field added with a tag is redacted without further work.
"""

from sw_volunteer.privacy._aggregate import (
    DEFAULT_THRESHOLD,
    AggregateCell,
    AggregateTable,
    CellKey,
    Dimension,
    Role,
    aggregate,
)
from sw_volunteer.privacy._audit import Audit, CellRange, audit, audit_counts
from sw_volunteer.privacy._bands import DEFAULT_AGE_BANDS, AgeBands
from sw_volunteer.privacy._keys import MIN_KEY_BYTES, Pseudonyms, new_key, read_key
from sw_volunteer.privacy._redaction import (
    KEPT_ID_COLLECTIONS,
    BirthDatePrecision,
    coarsen_birth_date,
    pseudonymous_ids,
    redact,
)
from sw_volunteer.privacy._suppression import Relation, Sense, suppress

__all__ = [
    "DEFAULT_AGE_BANDS",
    "DEFAULT_THRESHOLD",
    "KEPT_ID_COLLECTIONS",
    "MIN_KEY_BYTES",
    "AgeBands",
    "AggregateCell",
    "AggregateTable",
    "Audit",
    "BirthDatePrecision",
    "CellKey",
    "CellRange",
    "Dimension",
    "Pseudonyms",
    "Relation",
    "Role",
    "Sense",
    "aggregate",
    "audit",
    "audit_counts",
    "coarsen_birth_date",
    "new_key",
    "pseudonymous_ids",
    "read_key",
    "redact",
    "suppress",
]
