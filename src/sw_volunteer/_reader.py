r"""The one strict reader of JSON and YAML text: network documents and rule packs alike.

Everything the library reads from a file or a string goes through here, before any
model sees it, so that hostile or mistyped input is refused in one place with a
[`DocumentError`][sw_volunteer.errors.DocumentError] whose problems give the line and column:

- size: counted in **bytes** (UTF-8), against a limit given by the caller, or by the
  environment variable ``SW_VOLUNTEER_MAX_BYTES``, or 512 MiB;
- repeated keys: refused (a plain parse keeps the last value silently); the key is
  named only when it is one of the caller's field names, since a key may be data (a
  person's name typed in the wrong place);
- YAML is walked as a stream of events first: nesting depth and the nodes reached
  through aliases are counted, so an alias bomb is refused before anything is built;
- YAML scalars follow the YAML 1.2 core schema for booleans (``yes``, ``no``, ``on``
  and ``off`` stay text; only ``true`` and ``false`` are booleans), so ``limit: yes``
  is not read as 1;
- YAML tags: only the plain-data ones (``!!str``, ``!!int``, ``!!float``, ``!!bool``,
  ``!!null``, ``!!timestamp``, ``!!map``, ``!!seq``); a value that does not fit its tag
  or cannot be built (``2015-13-01``) is a problem at its line, naming its field;
- keys are text: a number or a date as a key is refused.

Example:
    >>> read_text("limit: yes\nmax: 6\n", source="pack.yaml")
    {'limit': 'yes', 'max': 6}
    >>> read_text("a: 1\na: 2\n", source="pack.yaml", field_names={"a"})
    Traceback (most recent call last):
    ...
    sw_volunteer.errors.DocumentError: pack.yaml, line 2, column 1: the key 'a' appears twice
    in one mapping [duplicate_key]
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any, Literal, NoReturn

import jiter
import yaml

from sw_volunteer.errors import DocumentError, Problem

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "DocumentLimits",
    "check_json",
    "max_bytes_from_env",
    "parse_size",
    "read_file_bytes",
    "read_text",
]

MAX_BYTES_ENV = "SW_VOLUNTEER_MAX_BYTES"
"""The environment variable that sets the default size limit, in bytes."""

DEFAULT_MAX_BYTES = 512 * 2**20
"""The size limit when neither the caller nor the environment gives one: 512 MiB."""

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def max_bytes_from_env() -> int:
    """The size limit set by ``SW_VOLUNTEER_MAX_BYTES``, or ``DEFAULT_MAX_BYTES``.

    A value may carry a unit: ``4M``/``4MiB``, ``500k``, ``1G`` (powers of 1024).

    Raises:
        DocumentError: The variable is set to something that is not a size.
    """
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    return parse_size(raw, where=MAX_BYTES_ENV)


_SIZE = re.compile(r"^(?P<n>\d{1,15})\s*(?P<unit>[kKmMgG]?)(?:i?[bB])?$")


def parse_size(text: str, *, where: str = "size") -> int:
    """A number of bytes from ``"4194304"``, ``"4M"``, ``"4MiB"``, ``"512k"`` or ``"1G"``.

    Example:
        >>> parse_size("4M"), parse_size("512k"), parse_size("100")
        (4194304, 524288, 100)

    Raises:
        DocumentError: not a positive size.
    """
    found = _SIZE.match(text.strip())
    if found is None or int(found.group("n")) == 0:
        raise DocumentError(
            [
                Problem(
                    where,
                    "bad_size",
                    "expected a positive number of bytes, optionally with k, M or G (e.g. 4M)",
                )
            ]
        )
    power: int = {"": 0, "k": 1, "m": 2, "g": 3}[found.group("unit").lower()]
    count: int = int(found.group("n"))
    return count << (10 * power)


@dataclasses.dataclass(frozen=True, slots=True)
class DocumentLimits:
    """How much text the reader accepts.

    Attributes:
        max_bytes: The largest input in bytes (UTF-8); ``None``: from the environment
            variable ``SW_VOLUNTEER_MAX_BYTES``, else 512 MiB.
        max_depth: The deepest nesting of YAML collections, aliases expanded. (JSON
            nesting is bounded by the parser at 200 levels.)
        max_yaml_nodes: The most YAML nodes, counting each alias as the nodes it
            stands for.
        max_yaml_alias_nodes: The most YAML nodes reached through aliases.

    Example:
        >>> small = DocumentLimits(max_bytes=parse_size("1k"))
        >>> small.byte_limit()
        1024
        >>> read_text('{"name": "' + "志" * 400 + '"}', limits=small)
        Traceback (most recent call last):
        ...
        sw_volunteer.errors.DocumentError: <string>: the document has 1212 bytes; the limit is 1024
        [too_large]
    """

    max_bytes: int | None = None
    max_depth: int = 64
    max_yaml_nodes: int = 50_000_000
    max_yaml_alias_nodes: int = 100_000

    def byte_limit(self) -> int:
        """The size limit in bytes, the environment's when none is set here."""
        return self.max_bytes if self.max_bytes is not None else max_bytes_from_env()


def _fail(where: str, code: str, message: str) -> NoReturn:
    raise DocumentError([Problem(where, code, message)])


def read_file_bytes(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, refused above ``limit`` bytes without reading the rest.

    Raises:
        DocumentError: The file cannot be read (``unreadable``) or is too large.
    """
    chunks: list[bytes] = []
    size = 0
    try:
        with path.open("rb") as handle:
            # Up to one byte past the limit, never trusting the size the system reports
            # (a pipe has none, a file may grow), and never asking read() for more than
            # the file's size or a chunk: read(n) sets n bytes aside first.
            want = os.fstat(handle.fileno()).st_size + 1
            while size <= limit:
                chunk = handle.read(min(limit + 1 - size, max(want, _CHUNK) if chunks else want))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except OSError as exc:
        _fail(str(path), "unreadable", exc.strerror or type(exc).__name__)
    if size > limit:
        _fail(str(path), "too_large", f"the document is larger than the limit, {limit} bytes")
    return b"".join(chunks)


_CHUNK = 1 << 24


def size_checked(data: str | bytes, source: str, limit: int) -> None:
    """Refuse ``data`` if it has more than ``limit`` bytes once encoded as UTF-8."""
    # A character is at most 4 bytes: most inputs are judged without encoding them.
    if len(data) <= limit and (isinstance(data, bytes) or len(data) * 4 <= limit):
        return
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > limit:
        _fail(source, "too_large", f"the document has {size} bytes; the limit is {limit}")


def decode(data: str | bytes, source: str) -> str:
    """``data`` as text, without a byte-order mark; bytes must be UTF-8."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(
            source,
            "not_utf8",
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start} "
            "cannot be decoded; save the file as UTF-8",
        )


def read_text(
    data: str | bytes,
    *,
    source: str = "<string>",
    format: Literal["json", "yaml"] | None = None,  # noqa: A002 - the library's word
    limits: DocumentLimits | None = None,
    field_names: Collection[str] = (),
) -> Any:
    """Parse ``data`` as JSON or YAML with every guard of the module.

    Args:
        data: The text, or UTF-8 bytes.
        source: A name for the input in error messages.
        format: ``"json"`` or ``"yaml"``; by default JSON when the text starts with
            ``{``, YAML otherwise (JSON is YAML, but the JSON parser is stricter).
        limits: The limits; the defaults when ``None``.
        field_names: Keys that may be quoted in an error (the caller's field names);
            any other key is shown by position only.

    Returns:
        The parsed data: dicts with text keys, lists, text, numbers, booleans,
        ``None``, dates and datetimes.

    Raises:
        DocumentError: Every refusal, located.
    """
    limits = limits or DocumentLimits()
    size_checked(data, source, limits.byte_limit())
    text = decode(data, source)
    if not text.strip():
        _fail(source, "empty_document", "the document is empty")
    fmt = format or ("json" if text.lstrip().startswith("{") else "yaml")
    if fmt == "json":
        try:
            return jiter.from_json(
                text.encode("utf-8", "surrogatepass"),
                allow_inf_nan=False,
                catch_duplicate_keys=True,
            )
        except ValueError as exc:
            raise json_error(str(exc), source, field_names) from None
    return parse_yaml(text, source, limits, field_names)


def check_json(text: str, source: str, field_names: Collection[str] = ()) -> tuple[bytes, Any]:
    """The JSON ``text`` as UTF-8 bytes and as parsed data, checked for repeated keys."""
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
        raise json_error(str(exc), source, field_names) from None
    return payload, parsed


_JITER_POSITION = re.compile(r"^(?P<what>.*?)(?: at line (?P<line>\d+) column (?P<column>\d+))?$")
_DUPLICATE_KEY = re.compile(r'^Detected duplicate key "(?P<key>.*)"$', re.DOTALL)


def _shown_key(key: object, field_names: Collection[str]) -> str:
    if isinstance(key, str) and key in field_names and _PLAIN_KEY.match(key):
        return f"the key {key!r}"
    return "a key"


def json_error(message: str, source: str, field_names: Collection[str] = ()) -> DocumentError:
    """The [`DocumentError`][sw_volunteer.errors.DocumentError] for a message of the JSON parser."""
    found = _JITER_POSITION.match(message)
    what = found.group("what") if found else message
    where = source
    if found and found.group("line"):
        where = f"{source}, line {found.group('line')}, column {found.group('column')}"
    duplicate = _DUPLICATE_KEY.match(what)
    if duplicate:
        shown = _shown_key(duplicate.group("key"), field_names)
        return DocumentError(
            [Problem(where, "duplicate_key", f"{shown} appears twice in one object")]
        )
    if "recursion limit" in what:
        return DocumentError(
            [Problem(where, "too_deep", "the document nests too deeply (over 200 levels)")]
        )
    return DocumentError([Problem(where, "not_json", f"not valid JSON: {what}")])


# -- YAML ------------------------------------------------------------------------------

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp"))
_COLLECTION_TAGS = frozenset({f"{_TAG}map", f"{_TAG}seq"})
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_BOOL_11 = re.compile(r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$")


_EXPECTED = {
    f"{_TAG}timestamp": "not a valid date or time (expected YYYY-MM-DD or an ISO 8601 time)",
    f"{_TAG}int": "not an integer (the tag !!int)",
    f"{_TAG}float": "not a number (the tag !!float)",
}


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


class _ValueProblemError(Exception):
    """A value that cannot be built, with where it is (internal)."""

    def __init__(self, mark: Any, message: str, code: str = "bad_yaml") -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.code = code


def _refused_tag(node: yaml.Node) -> _ValueProblemError:
    return _ValueProblemError(
        node.start_mark,
        f"the YAML tag {_short_tag(node.tag)} is not allowed here: a document holds plain data",
        "unsafe_yaml_tag",
    )


class _StrictLoader(_Base):  # type: ignore[valid-type,misc]
    """The safe loader: YAML 1.2 booleans, text keys, no repeated keys, located errors."""

    field_names: Collection[str] = ()

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:  # noqa: FBT001, FBT002 - PyYAML's signature
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag not in _SCALAR_TAGS:
                if tag.startswith((_TAG, "tag:yaml.org")):
                    raise _refused_tag(node)
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"could not determine a constructor for the tag {tag!r}",
                    node.start_mark,
                )
            if tag == f"{_TAG}bool" and not _BOOL.match(str(node.value)):
                if not node.style and _BOOL_11.match(str(node.value)):
                    node.tag = f"{_TAG}str"  # YAML 1.2: 'yes' is text
                else:
                    raise _ValueProblemError(
                        node.start_mark, "expected a boolean (true or false) for the tag !!bool"
                    )
        elif tag not in _COLLECTION_TAGS:
            if tag.startswith(_TAG):
                raise _refused_tag(node)
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"could not determine a constructor for the tag {tag!r}",
                node.start_mark,
            )
        try:
            return super().construct_object(node, deep=deep)
        except (_ValueProblemError, yaml.YAMLError, RecursionError):
            raise
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError):
            # PyYAML's constructors let these through for impossible dates ("2015-13-01")
            # and for values that do not fit an explicit tag; the text of the error may
            # quote the value, so it is not shown.
            raise _ValueProblemError(
                node.start_mark, _EXPECTED.get(tag, "cannot read this value")
            ) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:  # noqa: FBT001, FBT002 - PyYAML's signature
        self.flatten_mapping(node)
        seen: dict[str, Any] = {}
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise _ValueProblemError(
                    key_node.start_mark,
                    f"a key must be text, not {type(key).__name__} (quote it)",
                )
            if key in seen:
                shown = _shown_key(key, self.field_names)
                message = f"{shown} appears twice in one mapping"
                raise _ValueProblemError(key_node.start_mark, message, "duplicate_key")
            seen[key] = key_node
            try:
                result[key] = self.construct_object(value_node, deep=deep)
            except _ValueProblemError as exc:
                if key in self.field_names and not exc.message.startswith("field "):
                    exc.message = f"field {key!r}: {exc.message}"
                raise
        return result


def _loader_for(field_names: Collection[str]) -> type[_StrictLoader]:
    return type("_Loader", (_StrictLoader,), {"field_names": frozenset(field_names)})


def _where(source: str, mark: Any) -> str:
    if mark is None:
        return source
    return f"{source}, line {mark.line + 1}, column {mark.column + 1}"


def guard_yaml(text: str, source: str, limits: DocumentLimits) -> None:  # noqa: PLR0912 - one branch per kind of YAML event
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

    def refuse(code: str, message: str, event: yaml.Event) -> NoReturn:
        _fail(_where(source, event.start_mark), code, message)

    for event in yaml.parse(text, Loader=_Base):
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


def parse_yaml(
    text: str, source: str, limits: DocumentLimits | None = None, field_names: Collection[str] = ()
) -> Any:
    """Parse YAML ``text`` with the guards and the strict loader (see the module)."""
    try:
        guard_yaml(text, source, limits or DocumentLimits())
        return yaml.load(text, Loader=_loader_for(field_names))  # noqa: S506 - a SafeLoader subclass
    except _ValueProblemError as exc:
        _fail(_where(source, exc.mark), exc.code, exc.message)
    except yaml.constructor.ConstructorError as exc:
        where = _mark(exc, source)
        problem = exc.problem or "cannot construct a value"
        if "could not determine a constructor for the tag" in problem:
            _fail(
                where,
                "unsafe_yaml_tag",
                f"{problem}: tags that construct Python objects are not allowed; "
                "a document holds plain data only",
            )
        _fail(where, "bad_yaml", problem)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        if "maximum nesting depth" in problem:  # libyaml's own limit, below ours if set high
            _fail(_mark(exc, source), "too_deep", f"the document nests too deeply: {problem}")
        _fail(_mark(exc, source), "not_yaml", f"not valid YAML: {problem}")
    except RecursionError:
        _fail(source, "too_deep", "the document nests too deeply")


def _mark(exc: yaml.YAMLError, source: str) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return _where(source, mark)
