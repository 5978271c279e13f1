"""Where the data that ships with the package lives: rule packs, report templates, JSON Schemas.

In a wheel they are copied to ``auditor/_bundled/``; in a source checkout (editable install, tests) they
are read from the repository's top-level folders, so there is one copy of each in the repo.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """Return the directory of bundled data ``name`` (``rules``, ``reports`` or ``schemas``)."""
    installed = _PACKAGE_DIR / "_bundled" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"bundled data folder {name!r} is missing from this installation")
