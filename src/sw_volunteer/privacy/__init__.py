"""Sharing data safely: keyed pseudonyms, redaction and aggregate exports.

The sensitivity tags on the models
([`sw_volunteer.models.sensitive_fields`][sw_volunteer.models.sensitive_fields]) and the
quasi-identifiers declared next to them
([`sw_volunteer.models.quasi_identifiers`][sw_volunteer.models.quasi_identifiers]) drive everything
here; a field added with a tag is redacted without further work.
[`redact`][sw_volunteer.privacy.redact] makes every released client and volunteer indistinguishable
from at least ``k - 1`` others ([`RedactionProfile`][sw_volunteer.privacy.RedactionProfile], k = 5
by default) and [`redact_with_report`][sw_volunteer.privacy.redact_with_report] says what that took.
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
from sw_volunteer.privacy._kanon import (
    DEFAULT_K,
    DEFAULT_PROFILE,
    GENERALISATION_LEVELS,
    Redaction,
    RedactionProfile,
    release_signatures,
)
from sw_volunteer.privacy._keys import (
    MIN_KEY_BITS,
    MIN_KEY_BYTES,
    KeyFileWarning,
    Pseudonyms,
    key_entropy_bits,
    new_key,
    read_key,
)
from sw_volunteer.privacy._redaction import (
    KEPT_ID_COLLECTIONS,
    BirthDatePrecision,
    coarsen_birth_date,
    pseudonymous_ids,
    redact,
    redact_with_report,
)
from sw_volunteer.privacy._suppression import Relation, Sense, suppress

__all__ = [
    "DEFAULT_AGE_BANDS",
    "DEFAULT_K",
    "DEFAULT_PROFILE",
    "DEFAULT_THRESHOLD",
    "GENERALISATION_LEVELS",
    "KEPT_ID_COLLECTIONS",
    "MIN_KEY_BITS",
    "MIN_KEY_BYTES",
    "AgeBands",
    "AggregateCell",
    "AggregateTable",
    "Audit",
    "BirthDatePrecision",
    "CellKey",
    "CellRange",
    "Dimension",
    "KeyFileWarning",
    "Pseudonyms",
    "Redaction",
    "RedactionProfile",
    "Relation",
    "Role",
    "Sense",
    "aggregate",
    "audit",
    "audit_counts",
    "coarsen_birth_date",
    "key_entropy_bits",
    "new_key",
    "pseudonymous_ids",
    "read_key",
    "redact",
    "redact_with_report",
    "release_signatures",
    "suppress",
]
