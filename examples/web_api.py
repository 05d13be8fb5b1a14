"""A web API that checks network documents and keeps networks in a database.

Run it with ``uvicorn web_api:app`` (from this directory, with ``fastapi``, ``uvicorn``
and ``sqlalchemy`` installed) and open ``/docs`` for the interactive schema.

Checking documents sent in full:

- ``POST /check`` takes a network document (JSON) and returns its report under the
  rule pack named by ``?pack=`` (default ``cn-default``).
- ``POST /validate`` takes a network document and returns the count of each kind of
  entity.

Networks kept in a database (SQLite by default, any SQLAlchemy URL, e.g. PostgreSQL, in
the ``SW_VOLUNTEER_DATABASE_URL`` environment variable; the tables are created on
start):

- ``POST /networks`` stores a network document; the answer has its id and version.
- ``PATCH /networks/{id}`` applies a batch of edits (``add``, ``replace``, ``remove``)
  in one transaction. It needs ``If-Match`` with the version the edits were made
  against (the ``ETag`` of the last read): when someone else has changed the network
  since, the answer is a 409 conflict and nothing is written. ``X-Author`` names who
  makes the change (an account id such as ``staff-017``: HTTP headers are ASCII; a
  real deployment takes it from its authentication instead).
- ``GET /networks/{id}`` returns the network, or with ``?at=`` the network as it was at
  that instant, rebuilt from its history.
- ``GET /networks/{id}/check`` checks it on a day (``?on=``, ``?pack=``, ``?at=``).
- ``GET /networks/{id}/history`` lists every change: version, when, who, what.

Every input the library rejects becomes a 422 whose ``detail`` lists every problem in
FastAPI's usual shape: ``loc``, ``type`` (the library's stable code) and ``msg``.

The request body is read by the library itself rather than by FastAPI, so that a
document gets exactly the checks ``sv.loads`` makes (unique ids, references, sensitive
values kept out of messages); its JSON Schema is still published in the OpenAPI
document, and the report's model is the response model.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, ValidationError
from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection

import sw_volunteer as sv
from sw_volunteer.errors import InputError, Problem, RuleError
from sw_volunteer.models import ENTITY_TYPES

NETWORK_SCHEMA = {k: v for k, v in sv.json_schema().items() if k not in {"$schema", "$id"}}


@asynccontextmanager
async def _lifespan(application: FastAPI) -> AsyncIterator[None]:
    """Create the database and its tables on start (unless a store was set up already)."""
    if getattr(application.state, "store", None) is None:
        url = os.environ.get(DATABASE_URL_VARIABLE, DEFAULT_DATABASE_URL)
        application.state.store = Store(url)
    yield


app = FastAPI(
    lifespan=_lifespan,
    title="sw_volunteer check service",
    version=sv.__version__,
    description="Checks social-work + volunteer programme documents against rule packs.",
)

_DOCUMENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Network"}}},
    }
}


def _publish_network_schema() -> dict[str, Any]:
    """The OpenAPI document, with the Network schema and its definitions as components."""
    if app.openapi_schema is None:
        schema = FastAPI.openapi(app)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        definitions = NETWORK_SCHEMA.get("$defs", {})
        for name, definition in definitions.items():
            components.setdefault(name, _rebase(definition))
        components["Network"] = _rebase({k: v for k, v in NETWORK_SCHEMA.items() if k != "$defs"})
        app.openapi_schema = schema
    return app.openapi_schema


def _rebase(node: Any) -> Any:
    """Point ``#/$defs/X`` references at ``#/components/schemas/X``."""
    if isinstance(node, dict):
        return {
            k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" else _rebase(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node


app.openapi = _publish_network_schema  # type: ignore[method-assign]


def _problems(exc: InputError | RuleError, *where: str) -> JSONResponse:
    """A 422 listing the library's problem records (location, code, message) under ``where``."""
    detail = [
        {
            "loc": [*where, p.location] if p.location else [*where],
            "type": p.code,
            "msg": p.message,
        }
        for p in exc.problems
    ]
    return JSONResponse(status_code=422, content={"detail": detail})


async def _network(request: Request) -> sv.Network:
    return sv.loads(await request.body(), format="json", source="body")


@app.exception_handler(InputError)
async def _input_error(_request: Request, exc: InputError) -> JSONResponse:
    return _problems(exc, "body")


@app.exception_handler(RuleError)
async def _rule_error(_request: Request, exc: RuleError) -> JSONResponse:
    # The rules come from the pack named by ?pack=: a rule error is about it.
    return _problems(exc, "query", "pack")


@app.post("/check", response_model=sv.Report, openapi_extra=_DOCUMENT_BODY)
async def check(
    request: Request,
    pack: Annotated[str, Query(description="A packaged rule pack")] = "cn-default",
    on: Annotated[date | None, Query(description="The day to check on")] = None,
) -> sv.Report:
    """Check a network document; the report lists every breach with its remedy."""
    network = await _network(request)
    return sv.check(network, rules=sv.rules.pack(pack), on=on)


@app.post("/validate", openapi_extra=_DOCUMENT_BODY)
async def validate(request: Request) -> dict[str, int]:
    """Validate a network document; return how many entities of each kind it holds."""
    return (await _network(request)).counts()


# -- networks kept in a database ------------------------------------------------------

DATABASE_URL_VARIABLE = "SW_VOLUNTEER_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///sw_volunteer_networks.db"

metadata = MetaData()
networks_table = Table(
    "networks",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("document", Text, nullable=False),  # the current network, for fast reads
)
changes_table = Table(
    "changes",
    metadata,
    Column("network_id", String(64), ForeignKey("networks.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("at", String(40), nullable=False, index=True),  # ISO 8601 UTC, sorts as time
    Column("author", String(200), nullable=False),
    Column("operations", Text, nullable=False),  # JSON: the document, or the batch of edits
)
_COLLECTIONS = {kind.collection: kind for kind in ENTITY_TYPES}


class Conflict(Exception):  # noqa: N818 - an HTTP 409, named as such
    """The network changed since the version the edit was made against."""

    def __init__(self, network_id: str, current: int, expected: int) -> None:
        self.current = current
        super().__init__(
            f"network {network_id!r} is at version {current}, the edit was made against "
            f"version {expected}: read it again and re-apply the edit"
        )


class NotFound(Exception):  # noqa: N818 - an HTTP 404, named as such
    """No such network (or none yet at the time asked for)."""


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def apply_operations(network: sv.Network, operations: Any) -> sv.Network:
    """``network`` with a batch of edits applied in order; every bad edit is reported at once.

    An edit is ``{"op": "add" | "replace", "collection": "volunteers", "entity": {...}}``
    or ``{"op": "remove", "id": "v1", "cascade": false}``.
    """
    parsed = _parse_operations(operations)
    for i, (op, target, cascade) in enumerate(parsed):
        try:
            if op == "add":
                network = network.with_added(target)
            elif op == "replace":
                network = network.with_replaced(target)
            else:
                network = network.with_removed(target, cascade=cascade)
        except KeyError as exc:
            message = str(exc.args[0]) if exc.args else "no such entity"
            raise InputError([Problem(f"operations[{i}]", "unknown_id", message)]) from None
        except InputError as exc:
            located = [
                Problem(f"operations[{i}]: {p.location}", p.code, p.message) for p in exc.problems
            ]
            raise InputError(located, subject="the edits") from None
    return network


def _parse_operations(operations: Any) -> list[tuple[str, Any, bool]]:
    """The edits read, or an ``InputError`` listing every bad one."""
    if not isinstance(operations, list) or not operations:
        raise InputError(
            [Problem("operations", "no_operations", "expected a non-empty list of edits")]
        )
    problems: list[Problem] = []
    parsed: list[tuple[str, Any, bool]] = []
    for i, operation in enumerate(operations):
        where = f"operations[{i}]"
        if not isinstance(operation, dict) or operation.get("op") not in {
            "add",
            "replace",
            "remove",
        }:
            problems.append(Problem(f"{where}.op", "unknown_op", "expected add, replace or remove"))
            continue
        if operation["op"] == "remove":
            if not isinstance(operation.get("id"), str):
                problems.append(Problem(f"{where}.id", "missing", "the id of the entity to remove"))
                continue
            parsed.append(("remove", operation["id"], bool(operation.get("cascade", False))))
            continue
        kind = _COLLECTIONS.get(str(operation.get("collection")))
        if kind is None:
            expected = ", ".join(_COLLECTIONS)
            problems.append(Problem(f"{where}.collection", "unknown_collection", expected))
            continue
        try:
            entity = kind.model_validate(operation.get("entity"))
        except ValidationError as exc:
            for error in exc.errors():
                path = ".".join(str(part) for part in error["loc"])
                location = f"{where}.entity.{path}" if path else f"{where}.entity"
                problems.append(Problem(location, error["type"], error["msg"]))
            continue
        parsed.append((operation["op"], entity, False))
    if problems:
        raise InputError(problems, subject="the edits")
    return parsed


class Store:
    """Networks and their history in a SQL database (SQLAlchemy 2; SQLite or PostgreSQL).

    Each network is a row with its current document and version; each change (the
    creation, then every batch of edits) is a row with its version, when, who and what,
    written in the same transaction as the new version, so a failure between the two
    leaves neither.

    Args:
        url: A SQLAlchemy database URL; the tables are created if missing.
        clock: Where the time of a change comes from (for tests; default: now, UTC).
    """

    def __init__(self, url: str, *, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock or (lambda: datetime.now(UTC))
        sqlite = url.startswith("sqlite")
        self.engine: Engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False} if sqlite else {}
        )
        if sqlite:
            # One writer at a time from the start of each transaction: a read followed by
            # a write cannot deadlock with another, and the version check sees the latest.
            @event.listens_for(self.engine, "connect")
            def _no_implicit_transactions(dbapi_connection: Any, _record: Any) -> None:
                dbapi_connection.isolation_level = None
                dbapi_connection.execute("PRAGMA foreign_keys = ON")

            @event.listens_for(self.engine, "begin")
            def _immediate(connection: Connection) -> None:
                connection.exec_driver_sql("BEGIN IMMEDIATE")

        metadata.create_all(self.engine)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    def create(self, network: sv.Network, *, network_id: str, author: str) -> int:
        document = sv.dumps(network, format="json")
        with self._transaction() as connection:
            connection.execute(
                insert(networks_table).values(id=network_id, version=1, document=document)
            )
            connection.execute(
                insert(changes_table).values(
                    network_id=network_id,
                    version=1,
                    at=_stamp(self.clock()),
                    author=author,
                    operations=json.dumps([{"op": "create", "document": json.loads(document)}]),
                )
            )
        return 1

    def current(self, network_id: str) -> tuple[sv.Network, int]:
        with self._transaction() as connection:
            row = connection.execute(
                select(networks_table.c.version, networks_table.c.document).where(
                    networks_table.c.id == network_id
                )
            ).one_or_none()
        if row is None:
            raise NotFound(f"no network {network_id!r}")
        return sv.loads(row.document, format="json"), row.version

    def edit(self, network_id: str, *, expected: int, operations: Any, author: str) -> int:
        """Apply a batch of edits made against version ``expected``; the new version.

        Raises:
            NotFound: no such network.
            Conflict: the network is no longer at version ``expected``.
            InputError: the edits are not valid; nothing is written.
        """
        with self._transaction() as connection:
            row = connection.execute(
                select(networks_table.c.version, networks_table.c.document).where(
                    networks_table.c.id == network_id
                )
            ).one_or_none()
            if row is None:
                raise NotFound(f"no network {network_id!r}")
            if row.version != expected:
                raise Conflict(network_id, row.version, expected)
            network = apply_operations(sv.loads(row.document, format="json"), operations)
            version = row.version + 1
            written = connection.execute(
                update(networks_table)
                .where(networks_table.c.id == network_id, networks_table.c.version == row.version)
                .values(version=version, document=sv.dumps(network, format="json"))
            )
            if written.rowcount != 1:  # another writer won (databases without BEGIN IMMEDIATE)
                raise Conflict(network_id, row.version + 1, expected)
            self._between_writes()
            connection.execute(
                insert(changes_table).values(
                    network_id=network_id,
                    version=version,
                    at=_stamp(self.clock()),
                    author=author,
                    operations=json.dumps(operations, ensure_ascii=False),
                )
            )
        return version

    def _between_writes(self) -> None:
        """Nothing: the point where the tests simulate a crash mid-transaction."""

    def history(self, network_id: str) -> list[dict[str, Any]]:
        with self._transaction() as connection:
            rows = connection.execute(
                select(changes_table)
                .where(changes_table.c.network_id == network_id)
                .order_by(changes_table.c.version)
            ).all()
        if not rows:
            raise NotFound(f"no network {network_id!r}")
        return [
            {
                "version": row.version,
                "at": row.at,
                "author": row.author,
                "operations": [
                    {k: v for k, v in op.items() if k != "document"}
                    for op in json.loads(row.operations)
                ],
            }
            for row in rows
        ]

    def as_of(self, network_id: str, at: datetime) -> tuple[sv.Network, int]:
        """The network as it was at the instant ``at``, rebuilt from its changes."""
        with self._transaction() as connection:
            rows = connection.execute(
                select(changes_table.c.version, changes_table.c.operations)
                .where(changes_table.c.network_id == network_id, changes_table.c.at <= _stamp(at))
                .order_by(changes_table.c.version)
            ).all()
        if not rows:
            raise NotFound(f"no network {network_id!r} at {at.isoformat()}")
        [create] = json.loads(rows[0].operations)
        network = sv.loads(json.dumps(create["document"]), format="json")
        for row in rows[1:]:
            network = apply_operations(network, json.loads(row.operations))
        return network, rows[-1].version


def _store(request: Request) -> Store:
    state = request.app.state
    if getattr(state, "store", None) is None:
        state.store = Store(os.environ.get(DATABASE_URL_VARIABLE, DEFAULT_DATABASE_URL))
    store: Store = state.store
    return store


def _etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def _not_found(exc: NotFound) -> JSONResponse:
    detail = [{"loc": ["path", "network_id"], "type": "not_found", "msg": str(exc)}]
    return JSONResponse(status_code=404, content={"detail": detail})


def _document(network: sv.Network, version: int) -> JSONResponse:
    content = json.loads(sv.dumps(network, format="json"))
    return JSONResponse(content=content, headers=_etag(version))


@app.post("/networks", status_code=201, openapi_extra=_DOCUMENT_BODY)
async def create_network(
    request: Request,
    x_author: Annotated[str, Header(description="Who stores the network")] = "anonymous",
) -> JSONResponse:
    """Store a network document; the answer has its id and version (also as ``ETag``)."""
    network = await _network(request)
    network_id = os.urandom(8).hex()
    version = _store(request).create(network, network_id=network_id, author=x_author)
    return JSONResponse(
        status_code=201,
        content={"id": network_id, "version": version},
        headers={**_etag(version), "Location": f"/networks/{network_id}"},
    )


@app.get("/networks/{network_id}")
async def get_network(
    request: Request,
    network_id: str,
    at: Annotated[
        AwareDatetime | None, Query(description="An instant in the past (with zone)")
    ] = None,
) -> JSONResponse:
    """The network as a document (``ETag``: its version), now or as it was ``at``."""
    try:
        network, version = _read(request, network_id, at)
    except NotFound as exc:
        return _not_found(exc)
    return _document(network, version)


def _read(request: Request, network_id: str, at: datetime | None) -> tuple[sv.Network, int]:
    store = _store(request)
    if at is None:
        return store.current(network_id)
    return store.as_of(network_id, at)


@app.patch("/networks/{network_id}")
async def edit_network(
    request: Request,
    network_id: str,
    if_match: Annotated[
        str | None, Header(description="The version the edits were made against (ETag)")
    ] = None,
    x_author: Annotated[str, Header(description="Who makes the change")] = "anonymous",
) -> JSONResponse:
    """Apply a batch of edits in one transaction: all of them, or none (409 on conflict)."""
    if if_match is None:
        detail = [
            {
                "loc": ["header", "if-match"],
                "type": "missing",
                "msg": "give If-Match with the ETag of the version the edits were made against",
            }
        ]
        return JSONResponse(status_code=428, content={"detail": detail})
    try:
        expected = int(if_match.removeprefix("W/").strip('"'))
    except ValueError:
        detail = [{"loc": ["header", "if-match"], "type": "int_parsing", "msg": "not a version"}]
        return JSONResponse(status_code=422, content={"detail": detail})
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise InputError([Problem("", "not_json", "the body is not JSON")]) from None
    operations = body.get("operations") if isinstance(body, dict) else body
    try:
        version = _store(request).edit(
            network_id, expected=expected, operations=operations, author=x_author
        )
    except NotFound as exc:
        return _not_found(exc)
    except Conflict as exc:
        detail = [{"loc": ["header", "if-match"], "type": "version_conflict", "msg": str(exc)}]
        return JSONResponse(status_code=409, content={"detail": detail}, headers=_etag(exc.current))
    return JSONResponse(content={"id": network_id, "version": version}, headers=_etag(version))


@app.get("/networks/{network_id}/check", response_model=sv.Report)
async def check_network(
    request: Request,
    network_id: str,
    pack: Annotated[str, Query(description="A packaged rule pack")] = "cn-default",
    on: Annotated[date | None, Query(description="The day to check on")] = None,
    at: Annotated[
        AwareDatetime | None, Query(description="Check the network as it was then")
    ] = None,
) -> Any:
    """Check a stored network on a day; the report lists every breach with its remedy."""
    try:
        network, _ = _read(request, network_id, at)
    except NotFound as exc:
        return _not_found(exc)
    return sv.check(network, rules=sv.rules.pack(pack), on=on)


@app.get("/networks/{network_id}/history")
async def network_history(request: Request, network_id: str) -> Any:
    """Every change of a network, oldest first: version, when (UTC), who, what."""
    try:
        return _store(request).history(network_id)
    except NotFound as exc:
        return _not_found(exc)
