"""Bridges to optional libraries, one module per dependency, each behind its own extra.

Importing a module here without its extra installed raises
[`MissingDependencyError`][sw_volunteer.errors.MissingDependencyError] naming the extra to install.
Nothing is imported here, so that ``import sw_volunteer.integrations`` never needs an
extra.
"""

__all__: list[str] = []
