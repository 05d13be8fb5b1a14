"""Sharing data safely: keyed pseudonyms, redaction and aggregate exports.

The sensitivity tags on the models
([`sw_volunteer.models.sensitive_fields`][sw_volunteer.models.sensitive_fields]) drive everything
here; a field added with a tag is redacted without further work.
"""

from sw_volunteer.privacy._aggregate import (
    DEFAULT_THRESHOLD,
    AggregateCell,
    AggregateTable,
    Role,
    aggregate,
)
from sw_volunteer.privacy._bands import DEFAULT_AGE_BANDS, AgeBands
from sw_volunteer.privacy._keys import MIN_KEY_BYTES, Pseudonyms, new_key, read_key
from sw_volunteer.privacy._redaction import (
    KEPT_ID_COLLECTIONS,
    BirthDatePrecision,
    coarsen_birth_date,
    pseudonymous_ids,
    redact,
)

__all__ = [
    "DEFAULT_AGE_BANDS",
    "DEFAULT_THRESHOLD",
    "KEPT_ID_COLLECTIONS",
    "MIN_KEY_BYTES",
    "AgeBands",
    "AggregateCell",
    "AggregateTable",
    "BirthDatePrecision",
    "Pseudonyms",
    "Role",
    "aggregate",
    "coarsen_birth_date",
    "new_key",
    "pseudonymous_ids",
    "read_key",
    "redact",
]
