"""An example web API: post a network document, get back its rule-check report.

Run it with ``uvicorn examples.api.app:app`` (or ``fastapi dev examples/api/app.py``)
and open ``/docs``: the request body is the library's :class:`sw_volunteer.Network`, so
every model of the document (centres, workers, volunteers, ...) appears in the OpenAPI
schema, and the response is a :class:`sw_volunteer.Report`.

Bad input gets a 422 whose body lists *every* problem the library found, each with its
location, a stable code and a message::

    {"error": "NetworkValidationError",
     "message": "2 problems in the network: ...",
     "problems": [{"location": "volunteers[3].centre", "code": "dangling_reference",
                   "message": "no centre 'liqun2'"}, ...]}
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

import sw_volunteer as sv
from sw_volunteer.errors import InputError, Problem
from sw_volunteer.rules import available_packs

app = FastAPI(
    title="sw_volunteer check service",
    summary="Check a 社工+义工 network against a rule pack.",
    version=sv.__version__,
)


class UnknownPackError(InputError):
    """A rule pack the service does not ship (only packaged packs are served)."""

    subject_default = "the query"


def problem_response(error: InputError) -> JSONResponse:
    """The 422 body for a library error: its type, its message and every problem."""
    return JSONResponse(
        status_code=422,
        content={
            "error": type(error).__name__,
            "message": str(error),
            "problems": [
                {"location": p.location, "code": p.code, "message": p.message}
                for p in error.problems
            ],
        },
    )


@app.exception_handler(InputError)
async def input_error(_request: Request, exc: InputError) -> JSONResponse:
    """Any library input error raised by an endpoint becomes a 422 with its problems."""
    return problem_response(exc)


@app.exception_handler(RequestValidationError)
async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """FastAPI rejected the body: report it the way the library does.

    FastAPI parses the body with the standard JSON reader and validates it against
    :class:`~sw_volunteer.Network`; when that fails, the library reads the same bytes
    and raises the error it would raise anywhere else, with every problem located.
    """
    for error in exc.errors():
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, InputError):
            return problem_response(cause)
    body = await request.body()
    try:
        sv.loads(body, format="json", source="request body")
    except InputError as library_error:
        return problem_response(library_error)
    # The body is a good network: the problem is elsewhere (a query parameter).
    return await request_validation_exception_handler(request, exc)


@app.post(
    "/check",
    response_model=sv.Report,
    responses={422: {"description": "The network or a parameter cannot be used"}},
)
def check_network(
    network: sv.Network,
    rules: Annotated[
        str | None, Query(description="A packaged rule pack, e.g. cn-default or cn-zhejiang")
    ] = None,
    on: Annotated[
        date | None, Query(description="The day checked (default: the network's as-of day)")
    ] = None,
) -> Response:
    """Check ``network`` against a rule pack and return the report.

    A breach of a rule is not an error: it is a violation in the report, with 200.
    """
    if rules is not None and rules not in available_packs():
        # Never let a request name a file on the server: packaged packs only.
        raise UnknownPackError(
            [
                Problem(
                    "query.rules",
                    "unknown_rule_pack",
                    f"no packaged rule pack {rules!r}; "
                    f"expected one of {', '.join(sorted(available_packs()))}",
                )
            ]
        )
    report = sv.check(network, rules, on=on)
    return Response(content=report.to_json(), media_type="application/json")
