"""Rule packs: versioned sets of rules for a jurisdiction, stored as YAML, composable.

A pack file names its id, version, jurisdiction and effective date, and gives a
``source`` for every rule that carries a number. A pack may ``extends`` another (a
packaged pack's name, or a path relative to the file) and override single values:
an entry whose ``id`` is already in the base replaces only the fields it gives
(``params`` are merged key by key) and must then give its own ``source``;
``enabled: false`` drops a rule.

Rules carry their own in-force dates: ``effective`` (first day in force), ``repealed``
(first day no longer in force) and ``superseded_by`` (the rule that replaced it). A pack
can therefore hold a jurisdiction's history: [`check`][sw_volunteer.rules.check] applies
the rules in force on the day checked (see
[`RulePack.in_force_on`][sw_volunteer.rules.RulePack.in_force_on]). An override may change the
dates; like one that changes params, it must then give its own ``source`` (where the new dates come
from).

The pack's own ``effective`` is the date of the pack version: the day the principal
instrument this version encodes came into force (for ``cn-zhejiang``, the revised
provincial regulation of 2018). It is reported with the pack id and version; it does
not decide which rules apply (each rule's dates do), so a pack may hold rules repealed
before it (history) and rules in force only later.

Example:
    >>> cn = pack("cn-default")
    >>> cn.id, cn.jurisdiction
    ('cn-default', 'China (national defaults)')
    >>> [r.params["limit"] for r in cn.rules_of_kind("max_workers_per_supervisor")]
    [8, 10]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, NoReturn, Self

from pydantic import Field, ValidationError, model_validator

from sw_volunteer._reader import DocumentLimits, read_file_bytes, read_text
from sw_volunteer.errors import DocumentError, Problem, RuleError, RulePackError
from sw_volunteer.models import OwnErrorModel, validation_problems
from sw_volunteer.rules._declarations import Rule, SkippedRule, rule_kinds

__all__ = ["RulePack", "available_packs", "load_pack", "pack", "parse_pack"]

_PACK_FIELDS = frozenset({"id", "version", "jurisdiction", "effective", "extends", "description"})
_RULE_FIELDS = frozenset(
    {
        "id",
        "kind",
        "severity",
        "params",
        "source",
        "description",
        "enabled",
        "effective",
        "repealed",
        "superseded_by",
    }
)


_DATE_FIELDS = frozenset({"effective", "repealed"})
_KNOWN_KEYS = _PACK_FIELDS | _RULE_FIELDS | {"rules"}


def _known_keys() -> frozenset[str]:
    """Keys an error may quote: the pack's and rules' fields and every kind's parameters."""
    params = {name for kind in rule_kinds().values() for name in kind.params_model.model_fields}
    return _KNOWN_KEYS | params


MAX_EXTENDS = 16
"""The longest chain of packs extending one another."""

_PACK_LIMITS = DocumentLimits(max_bytes=4 * 2**20, max_depth=32, max_yaml_alias_nodes=10_000)
"""A pack is a short file: 4 MiB, 32 levels of nesting, few aliases."""


class RulePack(OwnErrorModel):
    """A versioned set of rules for one jurisdiction; its id and version go into every report.

    Attributes:
        id: The pack's id, e.g. ``"cn-default"``.
        version: The pack's version.
        jurisdiction: Where it applies, in words.
        effective: The date of this version: the day the principal instrument it encodes
            came into force. Informative; which rules apply on a day is decided by each
            rule's own dates ([`in_force_on`][sw_volunteer.rules.RulePack.in_force_on]).
        extends: The id of the pack it was built on, if any (already merged in ``rules``).
        description: What the pack is.
        rules: The rules, ids unique.

    Example:
        >>> cn = pack("cn-default")
        >>> cn
        RulePack('cn-default', version='2024.2', rules=47)
        >>> cn.rule("supervision.volunteers.error").params
        {'limit': 25}
        >>> len(cn.rules_of_kind("client_adult_ratio"))
        14
    """

    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    jurisdiction: str = Field(min_length=1)
    effective: date
    extends: str | None = None
    description: str = ""
    rules: tuple[Rule, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        counts = Counter(r.id for r in self.rules)
        repeated = sorted(rule_id for rule_id, n in counts.items() if n > 1)
        if repeated:
            raise RulePackError(f"pack {self.id!r}: rule ids used twice: {', '.join(repeated)}")
        return self

    @classmethod
    def _raise_own_error(cls, exc: ValidationError, data: Any) -> NoReturn:
        errors = exc.errors(include_url=False)
        cause = errors[0].get("ctx", {}).get("error") if len(errors) == 1 else None
        if isinstance(cause, RuleError):
            raise cause from None
        source = data.get("id") if isinstance(data, Mapping) else None
        subject = f"rule pack {source!r}" if isinstance(source, str) else "the rule pack"
        raise RulePackError(validation_problems(exc, empty="(pack)"), subject=subject) from None

    def rules_of_kind(self, kind: str) -> tuple[Rule, ...]:
        """The rules of one kind, in pack order."""
        return tuple(r for r in self.rules if r.kind == kind)

    def in_force_on(self, day: date) -> tuple[RulePack, tuple[SkippedRule, ...]]:
        """This pack restricted to the rules in force on ``day``, and the rules left out.

        Example:
            >>> zj = pack("cn-zhejiang")
            >>> applied, skipped = zj.in_force_on(date(2013, 11, 19))
            >>> "volunteers.insurance.zhejiang_2007" in {r.id for r in applied.rules}
            True
            >>> skipped[0].rule_id, skipped[0].reason
            ('volunteers.no_minors_in_risky', 'not_yet_in_force')
            >>> applied.rules == zj.rules
            False
        """
        kept = tuple(r for r in self.rules if r.in_force_on(day))
        if len(kept) == len(self.rules):
            return self, ()
        skipped = tuple(SkippedRule.of(r, day) for r in self.rules if not r.in_force_on(day))
        return self.model_copy(update={"rules": kept}), skipped

    def rule(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id``; ``KeyError`` if there is none."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(f"pack {self.id!r} has no rule {rule_id!r}")

    def with_rules(self, *rules: Rule, id: str | None = None) -> RulePack:  # noqa: A002
        """A copy where each rule replaces the one with its id, or is added at the end.

        Example:
            >>> cn = pack("cn-default")
            >>> strict = cn.with_rules(cn.rule("supervision.workers.warning").with_params(limit=5))
            >>> strict.rule("supervision.workers.warning").params["limit"]
            5
        """
        replacing = {r.id: r for r in rules}
        kept = [replacing.pop(r.id, r) for r in self.rules]
        return RulePack(
            id=id or self.id,
            version=self.version,
            jurisdiction=self.jurisdiction,
            effective=self.effective,
            extends=self.extends,
            description=self.description,
            rules=(*kept, *replacing.values()),
        )

    def without(self, *rule_ids: str) -> RulePack:
        """A copy without the given rules."""
        gone = set(rule_ids)
        return self.model_copy(update={"rules": tuple(r for r in self.rules if r.id not in gone)})

    def __repr__(self) -> str:
        return f"RulePack({self.id!r}, version={self.version!r}, rules={len(self.rules)})"

    __str__ = __repr__


def available_packs() -> tuple[str, ...]:
    """The names of the packs shipped with the library.

    Example:
        >>> "cn-default" in available_packs()
        True
    """
    folder = files(__package__).joinpath("packs")
    return tuple(
        sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


@cache
def pack(name: str) -> RulePack:
    """A rule pack shipped with the library, by name (see ``available_packs``).

    Raises:
        RulePackError: No packaged pack has that name.
    """
    if name not in available_packs():
        known = ", ".join(available_packs())
        raise RulePackError(f"no packaged rule pack {name!r}; available: {known}")
    text = files(__package__).joinpath("packs", f"{name}.yaml").read_text(encoding="utf-8")
    return parse_pack(text, source=f"{name}.yaml")


def load_pack(path: str | Path) -> RulePack:
    r"""Load a user's rule pack from a YAML file.

    ``extends`` may name a packaged pack or a file relative to this one.

    Raises:
        RulePackError: The file cannot be read or is not a usable pack; every problem
            is listed, with the file and, where the YAML gives one, the line.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "local.yaml").write_text(
        ...     "id: local\nversion: '1'\nextends: cn-default\nrules:\n"
        ...     "  - id: supervision.workers.warning\n    params: {limit: 6}\n"
        ...     "    source: a local guideline\n", encoding="utf-8"
        ... )
        >>> local = load_pack(folder / "local.yaml")
        >>> local.rule("supervision.workers.warning").params, len(local.rules)
        ({'limit': 6}, 47)
    """
    path = Path(path)
    return _build(_read_pack(path), source=str(path), base_dir=path.parent, seen=(_key(path),))


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system, a NUL character
        return False


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a loop of symbolic links
        return str(path.absolute())


def _read_pack(path: Path) -> Mapping[str, Any]:
    try:
        data = read_file_bytes(path, _PACK_LIMITS.byte_limit())
    except DocumentError as exc:
        raise RulePackError(exc.problems) from None
    return _parse_document(data, str(path))


def _parse_document(text: str | bytes, source: str) -> Mapping[str, Any]:
    try:
        document = read_text(
            text, source=source, format="yaml", limits=_PACK_LIMITS, field_names=_known_keys()
        )
    except DocumentError as exc:
        raise RulePackError(exc.problems) from None
    if not isinstance(document, Mapping):
        raise RulePackError(
            [Problem(source, "not_a_mapping", "a rule pack is a mapping with id, version, rules")]
        )
    return document


def parse_pack(text: str, *, source: str = "<string>", base_dir: Path | None = None) -> RulePack:
    r"""Build a pack from YAML text (see the module docstring for the format).

    The text is read by the library's strict reader: a repeated key, a YAML 1.1
    boolean such as ``yes`` where a number is expected, a tag or a file too large or
    too deep is a [`RulePackError`][sw_volunteer.errors.RulePackError] naming the line.

    Example:
        >>> local = parse_pack('''
        ... id: wenzhou-local
        ... version: "1"
        ... jurisdiction: Wenzhou
        ... effective: 2014-01-01
        ... extends: cn-default
        ... rules:
        ...   - id: supervision.workers.warning
        ...     params: {limit: 6}
        ...     source: a local guideline
        ... ''')
        >>> local.rule("supervision.workers.warning").params, local.extends
        ({'limit': 6}, 'cn-default')
        >>> parse_pack("id: a\nid: b\n", source="local.yaml")
        Traceback (most recent call last):
        ...
        sw_volunteer.errors.RulePackError: local.yaml, line 2, column 1: the key 'id' appears
        twice in one mapping [duplicate_key]
    """
    document = _parse_document(text, source)
    return _build(document, source=source, base_dir=base_dir, seen=(f"<text> {source}",))


def _resolve_base(  # noqa: RET503 - _fail never returns
    name: str, base_dir: Path | None, seen: tuple[str, ...], source: str
) -> RulePack:
    if name in available_packs():
        if name in seen:
            chain = " -> ".join((*seen[1:], name))
            _fail(source, [Problem("extends", "pack_cycle", f"packs extend each other: {chain}")])
        return pack(name)
    candidate = (base_dir or Path()) / name
    if _is_file(candidate):
        key = _key(candidate)
        if key in seen:
            _fail(
                source,
                [Problem("extends", "pack_cycle", f"the pack extends itself through {name!r}")],
            )
        if len(seen) > MAX_EXTENDS:
            _fail(
                source,
                [Problem("extends", "too_deep", f"over {MAX_EXTENDS} packs extend each other")],
            )
        document = _read_pack(candidate)
        return _build(document, source=str(candidate), base_dir=candidate.parent, seen=(*seen, key))
    known = ", ".join(available_packs())
    _fail(
        source,
        [
            Problem(
                "extends",
                "unknown_base",
                f"cannot find the base pack {name!r}: not a packaged pack ({known}) nor a file",
            )
        ],
    )


def _build(  # noqa: PLR0912 - one branch per part of the format, kept together
    document: Mapping[str, Any], *, source: str, base_dir: Path | None, seen: tuple[str, ...]
) -> RulePack:
    problems: list[Problem] = []
    unknown = sorted(set(document) - _PACK_FIELDS - {"rules"})
    if unknown:
        problems.append(
            Problem(
                "(pack)",
                "unknown_field",
                f"unknown field(s) {', '.join(unknown)}; expected: "
                f"{', '.join(sorted(_PACK_FIELDS | {'rules'}))}",
            )
        )
    extends = document.get("extends")
    base: RulePack | None = None
    if extends is not None:
        if not isinstance(extends, str):
            _fail(source, [Problem("extends", "bad_type", "the name of a pack or a file")])
        base = _resolve_base(extends, base_dir, seen, source)
    entries = document.get("rules") or []
    if not isinstance(entries, list):
        problems.append(Problem("rules", "bad_type", "'rules' must be a list"))
        entries = []
    merged: dict[str, dict[str, Any]] = {}
    if base is not None:
        for r in base.rules:
            merged[r.id] = r.model_dump(mode="json")
    for i, entry in enumerate(entries):
        problems.extend(_merge_entry(merged, i, entry, inherited=base is not None))
    rules: list[Rule] = []
    for rule_id, fields in merged.items():
        if fields.pop("enabled", True) is False:
            continue
        try:
            rule = Rule.model_validate(fields)
        except RuleError as exc:
            problems.extend(_located(f"rule {rule_id!r}", exc))
            continue
        if _has_number(rule.params) and not rule.source:
            problems.append(
                Problem(f"rule {rule_id!r}", "missing_source", "give a 'source' for its numbers")
            )
        rules.append(rule)
    if problems:
        _fail(source, problems)
    header = {k: document[k] for k in _PACK_FIELDS if k in document}
    if base is not None:
        header.setdefault("jurisdiction", base.jurisdiction)
        header.setdefault("effective", base.effective)
    try:
        return RulePack.model_validate({**header, "rules": rules})
    except RuleError as exc:
        _fail(source, list(_located("", exc)))


def _located(where: str, exc: RuleError) -> Iterable[Problem]:
    subject = getattr(exc, "subject", "")
    for p in exc.problems:
        if not p.location and not subject:
            yield Problem(where, p.code, p.message)
            continue
        parts = [x for x in (subject or where, p.location) if x]
        yield Problem(", ".join(parts), p.code, p.message)


def _merge_entry(  # noqa: PLR0911 - each problem ends the entry
    merged: dict[str, dict[str, Any]], i: int, entry: Any, *, inherited: bool
) -> Iterable[Problem]:
    where = f"rules[{i}]"
    if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
        yield Problem(where, "bad_rule", "each rule is a mapping with an 'id'")
        return
    where = f"{where} ({entry['id']})"
    unknown = sorted(set(entry) - _RULE_FIELDS)
    if unknown:
        yield Problem(where, "unknown_field", f"unknown field(s) {', '.join(unknown)}")
        return
    current = merged.get(entry["id"])
    if current is None:
        if "kind" not in entry:
            base_note = " (not in the base pack)" if inherited else ""
            yield Problem(where, "missing_kind", f"a new rule needs a 'kind'{base_note}")
            return
        merged[entry["id"]] = dict(entry)
        return
    if "kind" in entry and entry["kind"] != current["kind"]:
        yield Problem(where, "kind_changed", "an override cannot change the kind")
        return
    if "params" in entry and not entry.get("source"):
        yield Problem(
            where, "missing_source", "an override that changes params needs its own 'source'"
        )
        return
    if _DATE_FIELDS & set(entry) and not entry.get("source"):
        yield Problem(
            where, "missing_source", "an override that changes dates needs its own 'source'"
        )
        return
    update = dict(entry)
    if "params" in entry:
        if not isinstance(entry["params"], Mapping):
            yield Problem(where, "bad_type", "'params' must be a mapping")
            return
        update["params"] = {**current["params"], **entry["params"]}
    current.update(update)


def _has_number(params: Mapping[str, Any]) -> bool:
    return any(isinstance(v, int | float) and not isinstance(v, bool) for v in params.values())


def _fail(source: str, problems: list[Problem]) -> NoReturn:
    raise RulePackError(problems, subject=source)
