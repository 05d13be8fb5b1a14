"""Pseudonymisation keys and keyed pseudonyms (HMAC-SHA-256).

A key is refused unless it has at least [`MIN_KEY_BYTES`][sw_volunteer.privacy.MIN_KEY_BYTES] bytes
**and** an estimated entropy of at least [`MIN_KEY_BITS`][sw_volunteer.privacy.MIN_KEY_BITS] bits.
The estimate is ``n * log2(d)``, where ``n`` is the number of symbols in the key and ``d`` the
number of distinct ones; the symbols are the characters of a key that is UTF-8 text, else its bytes.
So ``"a" * 16`` (0 bits), 16 NUL bytes (0 bits) or six Chinese characters (18 bytes, but 6 symbols:
about 16 bits) are refused, while 16 random bytes or the 64 hex digits of
[`new_key`][sw_volunteer.privacy.new_key] pass. The estimate only catches keys that are plainly not
random: a dictionary word padded to length passes it, so make keys with
[`new_key`][sw_volunteer.privacy.new_key].

[`read_key`][sw_volunteer.privacy.read_key] warns
([`KeyFileWarning`][sw_volunteer.privacy.KeyFileWarning]) when the key file can be read by users
other than its owner.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
import stat
import warnings
from pathlib import Path

from sw_volunteer.errors import InputError, Problem

__all__ = [
    "MIN_KEY_BITS",
    "MIN_KEY_BYTES",
    "KeyFileWarning",
    "Pseudonyms",
    "key_entropy_bits",
    "new_key",
    "read_key",
]

MIN_KEY_BYTES = 16
"""The shortest key accepted: 128 bits, so that pseudonyms cannot be reversed by guessing."""

MIN_KEY_BITS = 40
"""The least estimated entropy accepted (``n * log2(d)``, see the module's notes)."""


class KeyFileWarning(UserWarning):
    """A key file that users other than its owner can read.

    Example:
        >>> import tempfile, warnings
        >>> path = Path(tempfile.mkdtemp()) / "pseudonyms.key"
        >>> _ = path.write_text(new_key(), encoding="ascii")
        >>> path.chmod(0o644)
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     _ = read_key(path)
        >>> [w.category.__name__ for w in caught]
        ['KeyFileWarning']
        >>> "chmod 600" in str(caught[0].message)
        True
    """


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
        >>> path.chmod(0o600)  # a key file others can read gives a KeyFileWarning
        >>> len(read_key(path))
        64
    """
    where = Path(path)
    try:
        raw = where.read_bytes()
        mode = stat.S_IMODE(where.stat().st_mode)
    except OSError as exc:
        raise InputError(
            [Problem(str(where), "unreadable_key", exc.strerror or "cannot read the key file")],
            subject="the key file",
        ) from None
    if os.name == "posix" and mode & (stat.S_IRGRP | stat.S_IROTH):
        warnings.warn(
            f"{where}: the key file can be read by other users (mode {mode:04o}); "
            f"restrict it with chmod 600",
            KeyFileWarning,
            stacklevel=2,
        )
    return _checked_key(raw.strip(), str(where))


def key_entropy_bits(key: bytes | str) -> float:
    """The entropy estimate keys are checked against: ``n * log2(d)``.

    Example:
        >>> key_entropy_bits(b"a" * 16), key_entropy_bits("0123456789abcdef")
        (0.0, 64.0)
        >>> round(key_entropy_bits("瑞安社工志愿"), 1)
        15.5
    """
    raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    try:
        symbols: str | bytes = raw.decode("utf-8")
    except UnicodeDecodeError:
        symbols = raw
    distinct = len(set(symbols))
    return len(symbols) * math.log2(distinct) if distinct > 1 else 0.0


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
    bits = key_entropy_bits(raw)
    if bits < MIN_KEY_BITS:
        raise InputError(
            [
                Problem(
                    where,
                    "weak_key",
                    f"the key looks far from random (about {bits:.0f} bits by "
                    f"length x log2(distinct symbols); at least {MIN_KEY_BITS} needed): "
                    "make one with sw_volunteer.privacy.new_key()",
                )
            ],
            subject="the pseudonymisation key",
        )
    return raw


class Pseudonyms:
    """Keyed pseudonyms: the same input gives the same pseudonym under the same key.

    Every pseudonym is an HMAC-SHA-256 of a domain-separated message, so pseudonyms
    made under different keys cannot be matched with each other (other values kept in
    an export can be: see [`RedactionProfile`][sw_volunteer.privacy.RedactionProfile]), and a
    pseudonym made for one purpose (an entity id, a name) cannot be matched with one
    made for another. The key never appears in ``repr``.

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
