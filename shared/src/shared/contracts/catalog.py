"""Imports every producer's contract module so the registry is complete.

A producer's contracts are the module named after it (``shared/contracts/<service>.py``); every module in
this package that is not part of the machinery is imported, so a new service's module is found by itself.
"""

import importlib
import pkgutil

import shared.contracts as _package
from shared.contracts.envelope import registry

_MACHINERY = {"asyncapi", "catalog", "envelope", "snapshots", "schemas"}

for _module in pkgutil.iter_modules(_package.__path__):
    if _module.name not in _MACHINERY and not _module.ispkg:
        importlib.import_module(f"shared.contracts.{_module.name}")

__all__ = ["registry"]
