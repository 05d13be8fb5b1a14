"""Reading and writing network documents as JSON or YAML, safely and atomically.

Hostile input is refused with a [`DocumentError`][sw_volunteer.errors.DocumentError] before it
can cost much: documents are size-limited before parsing, YAML is walked as a stream of
events (nesting depth and the nodes reached through aliases are counted, so an alias
bomb is refused before any object is built), JSON objects with a repeated key are
refused, and only the documented exceptions leave [`loads`][sw_volunteer.io.loads].
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, TypeAdapter

from sw_volunteer._files import write_atomically
from sw_volunteer._reader import (
    DocumentLimits,
    check_json,
    decode,
    parse_yaml,
    read_file_bytes,
    size_checked,
)
from sw_volunteer.errors import DocumentError, NetworkValidationError, Problem
from sw_volunteer.models import Network, gc_paused

__all__ = [
    "DocumentLimits",
    "Format",
    "document_limits",
    "dump",
    "dumps",
    "json_schema",
    "load",
    "loads",
]


_LIMITS: ContextVar[DocumentLimits] = ContextVar("sw_volunteer_document_limits")


def _limits() -> DocumentLimits:
    return _LIMITS.get(_DEFAULT_LIMITS)


_DEFAULT_LIMITS = DocumentLimits()


@cache
def field_names() -> frozenset[str]:
    """Every field name of the models a network document holds (keys an error may quote)."""
    found: set[str] = set()
    todo: list[type[BaseModel]] = [Network]
    seen: set[type[BaseModel]] = set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            found.add(name)
            todo.extend(_models_in(info.annotation))
    return frozenset(found)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


@contextlib.contextmanager
def document_limits(**changes: int) -> Iterator[DocumentLimits]:
    """Change the ``DocumentLimits`` of the loads made inside a ``with`` block.

    The change is local to the current thread or task (a context variable).

    Example:
        >>> with document_limits(max_bytes=10):
        ...     loads('{"centres": []}')
        Traceback (most recent call last):
        ...
        sw_volunteer.errors.DocumentError: <string>: the document has 15 bytes; ... [too_large]
    """
    token = _LIMITS.set(dataclasses.replace(_limits(), **changes))
    try:
        yield _LIMITS.get()
    finally:
        _LIMITS.reset(token)


Format = Literal["json", "yaml"]
"""A document format."""

_EXTENSIONS: dict[str, Format] = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}

_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _format_for(path: Path, given: Format | None) -> Format:
    if given is not None:
        if given not in {"json", "yaml"}:
            raise DocumentError(
                [Problem(str(path), "unknown_format", f"format {given!r}: use 'json' or 'yaml'")]
            )
        return given
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise DocumentError(
            [
                Problem(
                    str(path),
                    "unknown_format",
                    f"cannot tell the format from the extension {path.suffix!r}: use "
                    ".json, .yaml or .yml, or pass format='json' or format='yaml'",
                )
            ]
        )
    return found


def load(
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,  # noqa: A002
    max_bytes: int | None = None,
) -> Network:
    """Read a network from a JSON or YAML file.

    Args:
        path: The file. Its extension (``.json``, ``.yaml``, ``.yml``) gives the
            format unless ``format`` is given.
        format: ``"json"`` or ``"yaml"``, overriding the extension.
        max_bytes: The largest file accepted, in bytes; by default the
            [`DocumentLimits`][sw_volunteer.io.DocumentLimits] in force (the environment variable
            ``SW_VOLUNTEER_MAX_BYTES``, else 512 MiB).

    Returns:
        The network, with its integrity checked.

    Raises:
        DocumentError: The file cannot be read, is empty, is not UTF-8, is not
            JSON/YAML, or uses YAML tags that would construct Python objects.
        NetworkValidationError: The document is not a valid network; every problem
            is listed.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> import sw_volunteer as sv
        >>> path = Path(tempfile.mkdtemp()) / "ruian.yaml"
        >>> sv.dump(sv.datasets.ruian_2013(), path)
        >>> network = load(path)
        >>> network.counts()["volunteers"], network == sv.datasets.ruian_2013()
        (118, True)
    """
    where = Path(path)
    fmt = _format_for(where, format)
    limit = max_bytes if max_bytes is not None else _limits().byte_limit()
    data = read_file_bytes(where, limit)
    return loads(data, format=fmt, source=str(where), max_bytes=limit)


def loads(
    data: str | bytes,
    *,
    format: Format | None = None,  # noqa: A002
    source: str = "<string>",
    max_bytes: int | None = None,
) -> Network:
    """Read a network from a JSON or YAML string or bytes.

    Args:
        data: The document. Bytes must be UTF-8 (a byte-order mark is allowed).
        format: ``"json"`` or ``"yaml"``; by default JSON when the first character
            that is not white space is ``{``, YAML otherwise.
        source: A name for the document in error messages.
        max_bytes: The largest document accepted, in bytes of UTF-8 (a ``str`` is
            counted once encoded); by default the [`DocumentLimits`][sw_volunteer.io.DocumentLimits]
            in force.

    Example:
        >>> net = loads('{"centres": [{"id": "liqun", "name": "利群"}]}')
        >>> net.centre("liqun").name
        '利群'
        >>> loads("")
        Traceback (most recent call last):
        ...
        sw_volunteer.errors.DocumentError: <string>: the document is empty [empty_document]
    """
    limits = _limits()
    if max_bytes is not None:
        limits = dataclasses.replace(limits, max_bytes=max_bytes)
    size_checked(data, source, limits.byte_limit())
    if format is not None and format not in {"json", "yaml"}:
        raise DocumentError(
            [Problem(source, "unknown_format", f"format {format!r}: use 'json' or 'yaml'")]
        )
    text = decode(data, source)
    if not text.strip():
        raise DocumentError([Problem(source, "empty_document", "the document is empty")])
    fmt: Format = format or ("json" if text.lstrip().startswith("{") else "yaml")
    with gc_paused():
        if fmt == "json":
            return _from_json(_checked_json(text, source), source)
        return _from_python(parse_yaml(text, source, limits, field_names()), source)


def _checked_json(text: str, source: str) -> bytes:
    """The document as UTF-8 bytes, once checked to be one JSON object without repeated keys.

    A plain parse silently keeps the last of two values under one key; jiter refuses
    them while it parses. The parsed objects are then dropped and the bytes validated
    by pydantic's streaming JSON validator, which is faster than validating the
    objects (``benchmarks/bench_load.py`` shows the cost of the check).
    """
    payload, parsed = check_json(text, source, field_names())
    if not isinstance(parsed, dict):
        raise DocumentError(
            [
                Problem(
                    source,
                    "not_a_mapping",
                    "the document must be an object with keys such as 'centres' and "
                    f"'workers', not a {type(parsed).__name__}",
                )
            ]
        )
    return payload


def _from_json(payload: bytes, source: str) -> Network:
    try:
        return Network.model_validate_json(payload)
    except NetworkValidationError as exc:
        raise _as_document_error(exc, source) from None


def _from_python(obj: Any, source: str, *, noun: str = "a mapping") -> Network:
    if not isinstance(obj, dict):
        raise DocumentError(
            [
                Problem(
                    source,
                    "not_a_mapping",
                    f"the document must be {noun} with keys such as 'centres' and "
                    f"'workers', not a {type(obj).__name__}",
                )
            ]
        )
    try:
        return Network.model_validate(obj)
    except NetworkValidationError as exc:
        raise _as_document_error(exc, source) from None


def _as_document_error(
    exc: NetworkValidationError, source: str
) -> DocumentError | NetworkValidationError:
    """Document-level failures (bad JSON, not an object) become a DocumentError."""
    first = exc.problems[0]
    if len(exc.problems) == 1 and first.location == "(document)":
        if first.code == "json_invalid":
            return DocumentError([Problem(source, "not_json", f"not valid {first.message}")])
        if first.code == "model_type":
            return DocumentError(
                [
                    Problem(
                        source,
                        "not_a_mapping",
                        "the document must be an object with keys such as 'centres' and 'workers'",
                    )
                ]
            )
    return NetworkValidationError(exc.problems, subject=source)


class _ExactDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """The safe dumper, writing strings with YAML line-break characters double-quoted.

    YAML folds NEL, LS, PS and CR in plain, quoted and block scalars into line feeds;
    only the double-quoted style escapes them, so only it reads back exactly.
    """


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(c in value for c in "\x85\u2028\u2029\r") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ExactDumper.add_representer(str, _represent_str)


def dumps(network: Network, *, format: Format = "json") -> str:  # noqa: A002
    """Write ``network`` as a JSON or YAML string; ``loads`` reads it back exactly.

    Fields left at their default are omitted, so documents stay short.

    Example:
        >>> from sw_volunteer.models import Centre
        >>> net = Network(centres=[Centre(id="liqun", name="利群")])
        >>> print(dumps(net, format="yaml"), end="")
        centres:
        - id: liqun
          name: 利群
        >>> loads(dumps(net)) == net
        True
    """
    if format == "json":
        return network.model_dump_json(indent=2, exclude_defaults=True) + "\n"
    if format == "yaml":
        data = network.model_dump(mode="json", exclude_defaults=True)
        return yaml.dump(data, Dumper=_ExactDumper, allow_unicode=True, sort_keys=False, width=100)
    raise DocumentError([Problem("format", "unknown_format", f"{format!r}: use 'json' or 'yaml'")])


def dump(network: Network, path: str | os.PathLike[str], *, format: Format | None = None) -> None:  # noqa: A002
    """Write ``network`` to a file, atomically.

    The document is written to a temporary file beside ``path``, flushed to disk, and
    then renamed over ``path``: a crash mid-write leaves the previous file intact, and
    the next save removes what it left behind. A new file is readable by its owner only
    (``0600``, whatever the umask: a network describes vulnerable people); an existing
    file keeps its permissions; a symlink is written through (see ``sw_volunteer._files``).

    Args:
        network: The network.
        path: The file; its extension gives the format unless ``format`` is given.
        format: ``"json"`` or ``"yaml"``.

    Example:
        >>> import stat
        >>> import tempfile
        >>> from pathlib import Path
        >>> import sw_volunteer as sv
        >>> folder = Path(tempfile.mkdtemp())
        >>> net = sv.Network(centres=[sv.Centre(id="yucai", name="市育才社会工作室")])
        >>> dump(net, folder / "yucai.json")
        >>> (folder / "yucai.json").read_text(encoding="utf-8").count("市育才社会工作室")
        1
        >>> oct(stat.S_IMODE((folder / "yucai.json").stat().st_mode))
        '0o600'
    """
    where = Path(path)
    text = dumps(network, format=_format_for(where, format))
    write_atomically(where, text.encode("utf-8"))


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a network document.

    Sensitive fields carry the keyword ``x-sensitivity`` naming how they are sensitive.

    Example:
        >>> schema = json_schema()
        >>> schema["title"], schema["type"]
        ('Network', 'object')
        >>> schema["$defs"]["Client"]["properties"]["name"]["x-sensitivity"]
        'identifying'
    """
    schema = TypeAdapter(Network).json_schema(mode="validation")
    return {"$schema": _SCHEMA_DIALECT, "$id": "urn:sw-volunteer:network", **schema}
