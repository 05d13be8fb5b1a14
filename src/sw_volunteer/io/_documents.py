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
import re
import stat
import tempfile
from collections.abc import Hashable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

import jiter
import yaml
from pydantic import TypeAdapter

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


@dataclasses.dataclass(frozen=True, slots=True)
class DocumentLimits:
    """How large a document ``load`` and ``loads`` accept.

    Attributes:
        max_bytes: The largest document, in bytes (characters for a ``str``).
        max_depth: The deepest nesting of YAML collections, aliases expanded. (JSON
            nesting is bounded by the parser at 200 levels and by the schema.)
        max_yaml_nodes: The most YAML nodes, counting each alias as the nodes it
            stands for.
        max_yaml_alias_nodes: The most YAML nodes reached through aliases; a network
            document rarely needs aliases at all.

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.io import document_limits
        >>> deep = "centres: " + "[" * 10 + "]" * 10
        >>> with document_limits(max_depth=5):
        ...     try:
        ...         sv.loads(deep)
        ...     except sv.DocumentError as exc:
        ...         print("refused:", exc.codes)
        refused: ('too_deep',)
    """

    max_bytes: int = 512 * 2**20
    max_depth: int = 64
    max_yaml_nodes: int = 50_000_000
    max_yaml_alias_nodes: int = 100_000


_LIMITS: ContextVar[DocumentLimits] = ContextVar("sw_volunteer_document_limits")


def _limits() -> DocumentLimits:
    return _LIMITS.get(_DEFAULT_LIMITS)


_DEFAULT_LIMITS = DocumentLimits()


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
    limit = _limits().max_bytes
    try:
        with where.open("rb") as handle:
            # Read one byte past the limit rather than trusting the size a stat reports
            # (pipes and special files report none).
            data = handle.read(limit + 1)
    except OSError as exc:
        raise DocumentError([Problem(str(where), "unreadable", exc.strerror or str(exc))]) from None
    if len(data) > limit:
        raise DocumentError(
            [
                Problem(
                    str(where), "too_large", f"the document is larger than the limit, {limit} bytes"
                )
            ]
        )
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
    limits = _limits()
    if len(data) > limits.max_bytes:
        raise DocumentError(
            [
                Problem(
                    source,
                    "too_large",
                    f"the document has {len(data)} bytes; the limit is {limits.max_bytes}",
                )
            ]
        )
    if format is not None and format not in {"json", "yaml"}:
        raise DocumentError(
            [Problem(source, "unknown_format", f"format {format!r}: use 'json' or 'yaml'")]
        )
    text = _decode(data, source)
    if not text.strip():
        raise DocumentError([Problem(source, "empty_document", "the document is empty")])
    fmt: Format = format or ("json" if text.lstrip().startswith("{") else "yaml")
    with gc_paused():
        if fmt == "json":
            return _from_json(_checked_json(text, source), source)
        return _from_python(_parse_yaml(text, source, limits), source)


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


_JITER_POSITION = re.compile(r"^(?P<what>.*?)(?: at line (?P<line>\d+) column (?P<column>\d+))?$")
_DUPLICATE_KEY = re.compile(r'^Detected duplicate key "(?P<key>.*)"$', re.DOTALL)
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def _checked_json(text: str, source: str) -> bytes:
    """The document as UTF-8 bytes, once checked to be one JSON object without repeated keys.

    A plain parse silently keeps the last of two values under one key; jiter refuses
    them while it parses. The parsed objects are then dropped and the bytes validated
    by pydantic's streaming JSON validator, which is faster than validating the
    objects (``benchmarks/bench_load.py`` shows the cost of the check).
    """
    payload = text.encode("utf-8", "surrogatepass")
    try:
        parsed = jiter.from_json(
            payload,
            allow_inf_nan=False,
            catch_duplicate_keys=True,
            # Caching every string thrashes on large documents of unique ids; keys repeat.
            cache_mode="keys",
        )
    except ValueError as exc:
        raise _json_error(str(exc), source) from None
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


def _json_error(message: str, source: str) -> DocumentError:
    found = _JITER_POSITION.match(message)
    what = found.group("what") if found else message
    where = source
    if found and found.group("line"):
        where = f"{source}, line {found.group('line')}, column {found.group('column')}"
    duplicate = _DUPLICATE_KEY.match(what)
    if duplicate:
        key = duplicate.group("key")
        # A key is usually a field name; anything else is shown by position only, as it
        # may be data that was meant to be a value.
        shown = f"the key {key!r}" if _PLAIN_KEY.match(key) else "a key"
        return DocumentError(
            [Problem(where, "duplicate_key", f"{shown} appears twice in one object")]
        )
    if "recursion limit" in what:
        return DocumentError(
            [Problem(where, "too_deep", "the document nests too deeply (over 200 levels)")]
        )
    return DocumentError([Problem(where, "not_json", f"not valid JSON: {what}")])


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


_EventLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _guard_yaml(text: str, source: str, limits: DocumentLimits) -> None:  # noqa: PLR0912 - one branch per kind of YAML event
    """Walk the YAML events and refuse deep nesting and alias bombs before composing.

    Each alias counts as the nodes it stands for, so a "billion laughs" document (ten
    aliases of ten aliases of ...) is refused after reading a few hundred events, long
    before anything is expanded. Works on the event stream, so without recursion.
    """
    nodes = 0
    alias_nodes = 0
    depth = 0
    # open collections: [anchor, node count at start, deepest depth reached inside]
    open_frames: list[list[Any]] = []
    anchored: dict[str, tuple[int, int]] = {}  # anchor -> (nodes, depth below it)

    def refuse(code: str, message: str, event: yaml.Event) -> None:
        mark = event.start_mark
        where = f"{source}, line {mark.line + 1}, column {mark.column + 1}" if mark else source
        raise DocumentError([Problem(where, code, message)])

    for event in yaml.parse(text, Loader=_EventLoader):
        if isinstance(event, yaml.AliasEvent):
            if any(frame[0] == event.anchor for frame in open_frames):
                refuse("recursive_alias", "an alias refers to a node that contains it", event)
            size, below = anchored.get(event.anchor or "", (1, 0))
            nodes += size
            alias_nodes += size
            reached = depth + below
            if open_frames:
                open_frames[-1][2] = max(open_frames[-1][2], reached)
            if reached > limits.max_depth:
                refuse("too_deep", f"nesting deeper than {limits.max_depth} levels", event)
            if alias_nodes > limits.max_yaml_alias_nodes:
                refuse(
                    "alias_bomb",
                    f"aliases expand to more than {limits.max_yaml_alias_nodes} nodes",
                    event,
                )
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
            if event.anchor:
                anchored[event.anchor] = (1, 0)
        elif isinstance(event, yaml.CollectionStartEvent):
            nodes += 1
            depth += 1
            if depth > limits.max_depth:
                refuse("too_deep", f"nesting deeper than {limits.max_depth} levels", event)
            open_frames.append([event.anchor, nodes - 1, depth])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, start, deepest = open_frames.pop()
            if anchor:
                anchored[anchor] = (nodes - start, deepest - depth + 1)
            if open_frames:
                open_frames[-1][2] = max(open_frames[-1][2], deepest)
            depth -= 1
        if nodes > limits.max_yaml_nodes:
            refuse("too_large", f"more than {limits.max_yaml_nodes} YAML nodes", event)


def _parse_yaml(text: str, source: str, limits: DocumentLimits | None = None) -> Any:
    try:
        _guard_yaml(text, source, limits or _limits())
        return yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506 - a SafeLoader subclass
    except DocumentError:
        raise
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
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        if "maximum nesting depth" in problem:  # libyaml's own limit, below ours if set high
            return _raise(
                _mark(exc, source), "too_deep", f"the document nests too deeply: {problem}"
            )
        return _raise(_mark(exc, source), "not_yaml", f"not valid YAML: {problem}")
    except (ValueError, OverflowError) as exc:
        # PyYAML's constructors let these through for impossible dates and times
        # ("2013-02-30"); the text of the error can quote the value, so it is not shown.
        return _raise(source, "bad_yaml", f"a value cannot be read ({type(exc).__name__})")


def _mark(exc: yaml.YAMLError, source: str) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return source
    return f"{source}, line {mark.line + 1}, column {mark.column + 1}"


def _raise(where: str, code: str, message: str) -> Any:
    raise DocumentError([Problem(where, code, message)])


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
    then renamed over ``path``: a crash mid-write leaves the previous file intact.
    A new file is readable and writable by its owner only (mode ``0600``, whatever
    the umask), since a network describes vulnerable people; an existing file keeps
    its permissions.

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
