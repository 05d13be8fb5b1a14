"""Pseudonymisation keys and keyed pseudonyms (HMAC-SHA-256)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from sw_volunteer.errors import InputError, Problem

__all__ = ["MIN_KEY_BYTES", "Pseudonyms", "new_key", "read_key"]

MIN_KEY_BYTES = 16
"""The shortest key accepted: 128 bits, so that pseudonyms cannot be reversed by guessing."""

_DOMAIN = b"sw-volunteer/pseudonym/v1"
_DIGITS = 16  # hex digits kept: 64 bits, so a collision in a million ids has p < 3e-8


def new_key() -> str:
    """A fresh random key (256 bits, as 64 hex digits) to keep in a key file.

    Example:
        >>> len(new_key())
        64
    """
    return secrets.token_hex(32)


def read_key(path: str | os.PathLike[str]) -> bytes:
    """Read a pseudonymisation key from a file; surrounding white space is ignored.

    Raises:
        InputError: The file cannot be read or holds fewer than
            [`MIN_KEY_BYTES`][sw_volunteer.privacy.MIN_KEY_BYTES] bytes.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> path = Path(tempfile.mkdtemp()) / "pseudonyms.key"
        >>> _ = path.write_text(f"  {new_key()}  ", encoding="ascii")
        >>> len(read_key(path))
        64
    """
    where = Path(path)
    try:
        raw = where.read_bytes()
    except OSError as exc:
        raise InputError(
            [Problem(str(where), "unreadable_key", exc.strerror or "cannot read the key file")],
            subject="the key file",
        ) from None
    return _checked_key(raw.strip(), str(where))


def _checked_key(key: bytes | str, where: str = "key") -> bytes:
    raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    if len(raw) < MIN_KEY_BYTES:
        raise InputError(
            [
                Problem(
                    where,
                    "weak_key",
                    f"the key has {len(raw)} bytes; use at least {MIN_KEY_BYTES} "
                    "(sw_volunteer.privacy.new_key() makes one)",
                )
            ],
            subject="the pseudonymisation key",
        )
    return raw


class Pseudonyms:
    """Keyed pseudonyms: the same input gives the same pseudonym under the same key.

    Every pseudonym is an HMAC-SHA-256 of a domain-separated message, so pseudonyms
    made under different keys cannot be linked, and a pseudonym made for one purpose
    (an entity id, a name) cannot be matched with one made for another. The key never
    appears in ``repr``.

    Args:
        key: At least [`MIN_KEY_BYTES`][sw_volunteer.privacy.MIN_KEY_BYTES] bytes (a ``str`` is
            encoded as UTF-8).

    Example:
        >>> p = Pseudonyms(b"0123456789abcdef")
        >>> p.entity_id("volunteers", "v-001") == p.entity_id("volunteers", "v-001")
        True
        >>> p.entity_id("volunteers", "v-001") == Pseudonyms(b"fedcba9876543210").entity_id(
        ...     "volunteers", "v-001"
        ... )
        False
        >>> p
        Pseudonyms(key=<hidden>)
    """

    __slots__ = ("_key",)

    def __init__(self, key: bytes | str) -> None:
        self._key = _checked_key(key)

    def __repr__(self) -> str:
        return "Pseudonyms(key=<hidden>)"

    def digest(self, *parts: str) -> str:
        """The pseudonym (hex) of a message made of ``parts``, domain-separated."""
        message = b"\x00".join([_DOMAIN, *(p.encode("utf-8") for p in parts)])
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:_DIGITS]

    def entity_id(self, collection: str, entity_id: str) -> str:
        """The pseudonymous id of the entity ``entity_id`` of ``collection``.

        The id stays a valid entity id: a short prefix naming the collection, then the
        pseudonym.
        """
        return f"{collection[:3]}-{self.digest('id', collection, entity_id)}"

    def field_value(self, model: str, field: str, owner: str) -> str:
        """The pseudonym that replaces field ``field`` of the entity ``owner`` of ``model``.

        It is derived from whom the value belongs to, not from the value, so two people
        with the same name do not get the same pseudonym.
        """
        return self.digest("field", model, field, owner)
