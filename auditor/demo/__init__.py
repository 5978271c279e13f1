"""The bundled demo sites (``auditor demo``): three realistic sites served on loopback under their real names.

``sites/<host>/`` holds each site's files; :mod:`auditor.demo.server` serves them (the tests use it too).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DEMO_SITES = ("http://www.example-news.com/", "http://www.example-shop.com/", "http://www.example-recipes.com/")


def demo_root() -> Path:
    """The folder holding one sub-folder per demo host."""
    return Path(str(files("auditor.demo").joinpath("sites")))
