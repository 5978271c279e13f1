"""The page-side script bundles, read once, each with the shared DOM helpers (``js/dom_helpers.js``) in its scope.

A bundle is one expression, ``(() => { ...; return ops; })()``; it is evaluated inside an arrow function that
declares the helpers first, so ``consent.js`` and ``a11y.js`` use one copy of ``visible``, ``deepAll`` and the rest.
"""

from __future__ import annotations

from importlib.resources import files

DOM_HELPERS = files("auditor.capture").joinpath("js/dom_helpers.js").read_text(encoding="utf-8")


def bundle_call(package: str, path: str) -> str:
    """The function Playwright evaluates to run one operation of the bundle ``path`` of ``package``:
    ``([op, arg]) => bundle[op](arg)``, the shared DOM helpers in scope."""
    bundle = files(package).joinpath(path).read_text(encoding="utf-8").strip().rstrip(";")
    return f"([op, arg]) => (() => {{\n{DOM_HELPERS}\nreturn (\n{bundle}\n);\n}})()[op](arg)"
