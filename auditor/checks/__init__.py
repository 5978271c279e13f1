"""Check functions: small, pure functions of the evidence that rules name in their ``check`` field.

A check receives the site's evidence, the rule's parameters and a :class:`CheckContext`, and returns an
:class:`Outcome`. Checks never touch a browser, the network or the file system.

Checks are discovered: every module of this package is imported once, and each ``@check`` registers itself.
A new check is a new module (one check per module, named after it, in the package of its area); nothing
else needs to list it.
"""

from __future__ import annotations

import importlib
import pkgutil

from auditor.checks.registry import CHECKS, Check, CheckContext, CheckParams, NoParams, Outcome, check, get_check

for _module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
    importlib.import_module(_module.name)

__all__ = ["CHECKS", "Check", "CheckContext", "CheckParams", "NoParams", "Outcome", "check", "get_check"]
