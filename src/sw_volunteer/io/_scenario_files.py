"""Reading a simulation scenario, or a network to simulate, from a file.

The file goes through the library's strict reader like any other document, so its
size, nesting, aliases and keys are checked before anything is built.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from sw_volunteer._reader import DocumentLimits, read_file_bytes, read_text
from sw_volunteer.errors import DocumentError, Problem, SimulationError
from sw_volunteer.io._documents import Format, _limits, field_names, loads
from sw_volunteer.models import validation_problems

if TYPE_CHECKING:
    from sw_volunteer.simulation import Scenario

__all__ = ["load_scenario"]


def load_scenario(
    path: str | os.PathLike[str], *, weeks: int | None = None, max_bytes: int | None = None
) -> Scenario:
    r"""A scenario from a scenario document (it has ``weeks``) or from a network document.

    Args:
        path: A JSON or YAML file.
        weeks: The horizon, replacing the document's (default 52 for a network).
        max_bytes: The largest file accepted, in bytes; by default the
            [`DocumentLimits`][sw_volunteer.io.DocumentLimits] in force.

    Raises:
        DocumentError: The file cannot be read or is not a usable document.
        NetworkValidationError: A network document that is not a valid network.
        SimulationError: A scenario document with bad values (every problem listed),
            or a network that cannot be simulated.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> (folder / "s.yaml").write_text("weeks: 0\ncentres: []\n", encoding="utf-8")
        21
        >>> load_scenario(folder / "s.yaml")
        Traceback (most recent call last):
        ...
        sw_volunteer.errors.SimulationError: 2 problems in the scenario ...
    """
    from sw_volunteer.simulation import Scenario  # numpy is loaded when a scenario is read

    where = Path(path)
    limits = _limits()
    limit = max_bytes if max_bytes is not None else limits.byte_limit()
    data = read_file_bytes(where, limit)
    fmt: Format | None = "json" if where.suffix.lower() == ".json" else None
    document = read_text(
        data,
        source=str(where),
        format=fmt,
        limits=DocumentLimits(
            max_bytes=limit,
            max_depth=limits.max_depth,
            max_yaml_nodes=limits.max_yaml_nodes,
            max_yaml_alias_nodes=limits.max_yaml_alias_nodes,
        ),
        field_names=field_names() | set(Scenario.model_fields),
    )
    if isinstance(document, dict) and "weeks" in document:
        try:
            scenario = Scenario.model_validate(document)
        except ValidationError as exc:
            raise SimulationError(
                validation_problems(exc, empty="(scenario)"), subject=f"the scenario {where}"
            ) from None
        return scenario if weeks is None else scenario.with_values({"weeks": weeks})
    if not isinstance(document, dict):
        raise DocumentError(
            [Problem(str(where), "not_a_mapping", "a scenario or network document is a mapping")]
        )
    network = loads(data, format=fmt, source=str(where), max_bytes=limit)
    return Scenario.from_network(network, weeks=52 if weeks is None else weeks)
