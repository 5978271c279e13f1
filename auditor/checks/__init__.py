"""Check functions: small, pure functions of the evidence that rules name in their ``check`` field.

A check receives the site's evidence, the rule's parameters and a :class:`CheckContext`, and returns an
:class:`Outcome`. Checks never touch a browser, the network or the file system.
"""

from __future__ import annotations

from auditor.checks.registry import CHECKS, CheckContext, Outcome, check, get_check

# Importing the modules registers their checks.
from auditor.checks import links as _links  # noqa: E402,F401  isort: skip
from auditor.checks import policy as _policy  # noqa: E402,F401  isort: skip
from auditor.checks import notices as _notices  # noqa: E402,F401  isort: skip
from auditor.checks import optout_paths as _optout_paths  # noqa: E402,F401  isort: skip
from auditor.checks import gpc_visit as _gpc_visit  # noqa: E402,F401  isort: skip
from auditor.checks import choice_language as _choice_language  # noqa: E402,F401  isort: skip
from auditor.checks import consent as _consent  # noqa: E402,F401  isort: skip
from auditor.checks import gpc as _gpc  # noqa: E402,F401  isort: skip

__all__ = ["CHECKS", "CheckContext", "Outcome", "check", "get_check"]
