"""Reading and writing network documents as JSON or YAML, safely and atomically."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Hashable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import TypeAdapter

from sw_volunteer.errors import DocumentError, NetworkValidationError, Problem
from sw_volunteer.models import Network, gc_paused

__all__ = ["Format", "dump", "dumps", "json_schema", "load", "loads"]

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


def load(path: str | os.PathLike[str], *, format: Format | None = None) -> Network:  # noqa: A002
    """Read a network from a JSON or YAML file.

    Args:
        path: The file. Its extension (``.json``, ``.yaml``, ``.yml``) gives the
            format unless ``format`` is given.
        format: ``"json"`` or ``"yaml"``, overriding the extension.

    Returns:
        The network, with its integrity checked.

    Raises:
        DocumentError: The file cannot be read, is empty, is not UTF-8, is not
            JSON/YAML, or uses YAML tags that would construct Python objects.
        NetworkValidationError: The document is not a valid network; every problem
            is listed.
    """
    where = Path(path)
    fmt = _format_for(where, format)
    try:
        data = where.read_bytes()
    except OSError as exc:
        raise DocumentError([Problem(str(where), "unreadable", exc.strerror or str(exc))]) from None
    return loads(data, format=fmt, source=str(where))


def loads(
    data: str | bytes,
    *,
    format: Format | None = None,  # noqa: A002
    source: str = "<string>",
) -> Network:
    """Read a network from a JSON or YAML string or bytes.

    Args:
        data: The document. Bytes must be UTF-8 (a byte-order mark is allowed).
        format: ``"json"`` or ``"yaml"``; by default JSON when the first character
            that is not white space is ``{``, YAML otherwise.
        source: A name for the document in error messages.

    Example:
        >>> net = loads('{"centres": [{"id": "liqun", "name": "利群"}]}')
        >>> net.centre("liqun").name
        '利群'
        >>> loads("")
        Traceback (most recent call last):
        ...
        sw_volunteer.errors.DocumentError: <string>: the document is empty [empty_document]
    """
    text = _decode(data, source)
    if not text.strip():
        raise DocumentError([Problem(source, "empty_document", "the document is empty")])
    fmt: Format = format or ("json" if text.lstrip().startswith("{") else "yaml")
    with gc_paused():
        if fmt == "json":
            return _from_json(text, source)
        return _from_python(_parse_yaml(text, source), source)


def _decode(data: str | bytes, source: str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            [
                Problem(
                    source,
                    "not_utf8",
                    f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                    "cannot be decoded; save the file as UTF-8",
                )
            ]
        ) from None


def _from_json(text: str, source: str) -> Network:
    try:
        return Network.model_validate_json(text)
    except NetworkValidationError as exc:
        raise _as_document_error(exc, source) from None


def _from_python(obj: Any, source: str) -> Network:
    if not isinstance(obj, dict):
        raise DocumentError(
            [
                Problem(
                    source,
                    "not_a_mapping",
                    f"the document must be a mapping with keys such as 'centres' and "
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


class _StrictSafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, refusing repeated keys instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:  # noqa: FBT001, FBT002 - PyYAML's signature
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                mark = key_node.start_mark
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice in one mapping", mark
                )
            if isinstance(key, Hashable):
                seen.add(key)
        return dict(super().construct_mapping(node, deep=deep))


def _parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.constructor.ConstructorError as exc:
        where = _mark(exc, source)
        problem = exc.problem or "cannot construct a value"
        if "could not determine a constructor for the tag" in problem:
            problem = (
                f"{problem}: tags that construct Python objects are not allowed; "
                "a network document holds plain data only"
            )
            return _raise(where, "unsafe_yaml_tag", problem)
        return _raise(where, "bad_yaml", problem)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        return _raise(_mark(exc, source), "not_yaml", f"not valid YAML: {problem}")


def _mark(exc: yaml.YAMLError, source: str) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return source
    return f"{source}, line {mark.line + 1}, column {mark.column + 1}"


def _raise(where: str, code: str, message: str) -> Any:
    raise DocumentError([Problem(where, code, message)])


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
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    raise DocumentError([Problem("format", "unknown_format", f"{format!r}: use 'json' or 'yaml'")])


def dump(network: Network, path: str | os.PathLike[str], *, format: Format | None = None) -> None:  # noqa: A002
    """Write ``network`` to a file, atomically.

    The document is written to a temporary file beside ``path``, flushed to disk, and
    then renamed over ``path``: a crash mid-write leaves the previous file intact.
    An existing file keeps its permissions.

    Args:
        network: The network.
        path: The file; its extension gives the format unless ``format`` is given.
        format: ``"json"`` or ``"yaml"``.
    """
    where = Path(path)
    text = dumps(network, format=_format_for(where, format))
    write_atomically(where, text.encode("utf-8"))


def write_atomically(path: Path, payload: bytes) -> None:
    """Replace ``path`` by ``payload`` so that readers see the old or the new file, whole."""
    directory = path.parent if str(path.parent) else Path()
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            tmp.chmod(mode)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


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
