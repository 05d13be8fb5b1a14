"""A web API that checks network documents: sw_volunteer embedded in FastAPI.

Run it with ``uvicorn web_api:app`` (from this directory, with ``fastapi`` and
``uvicorn`` installed) and open ``/docs`` for the interactive schema.

- ``POST /check`` takes a network document (JSON) and returns its report under the
  rule pack named by ``?pack=`` (default ``cn-default``).
- ``POST /validate`` takes a network document and returns the count of each kind of
  entity.
- Every input the library rejects becomes a 422 whose ``detail`` lists every problem
  in FastAPI's usual shape: ``loc``, ``type`` (the library's stable code) and ``msg``.

The request body is read by the library itself rather than by FastAPI, so that a
document gets exactly the checks ``sv.loads`` makes (unique ids, references, sensitive
values kept out of messages); its JSON Schema is still published in the OpenAPI
document, and the report's model is the response model.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse

import sw_volunteer as sv
from sw_volunteer.errors import InputError, RuleError

NETWORK_SCHEMA = {k: v for k, v in sv.json_schema().items() if k not in {"$schema", "$id"}}

app = FastAPI(
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


def _problems(exc: InputError) -> JSONResponse:
    detail = [{"loc": ["body", p.location], "type": p.code, "msg": p.message} for p in exc.problems]
    return JSONResponse(status_code=422, content={"detail": detail})


async def _network(request: Request) -> sv.Network:
    return sv.loads(await request.body(), format="json", source="body")


@app.exception_handler(InputError)
async def _input_error(_request: Request, exc: InputError) -> JSONResponse:
    return _problems(exc)


@app.exception_handler(RuleError)
async def _rule_error(_request: Request, exc: RuleError) -> JSONResponse:
    detail = [{"loc": ["query", "pack"], "type": "unknown_pack", "msg": str(exc)}]
    return JSONResponse(status_code=422, content={"detail": detail})


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
