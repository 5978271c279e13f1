"""Paths into a visit's evidence, as rules name what they need: ``optout.consent.dns_target``.

A path is a visit profile and the fields below :class:`~auditor.evidence.core.ProfileCapture`, dotted. It is
checked against the evidence models when it is read (an unknown profile or field is a ``ValueError`` saying
which), so a misspelt ``requires`` fails when the rule pack loads, not silently on every site.

Fields are walked through optional values, lists (a field of a list's items) and mappings (the next segment is
a key, e.g. ``pages.after_optout``).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from auditor.evidence.core import ProfileCapture
from auditor.evidence.failures import step_filling
from auditor.evidence.profiles import PROFILE_NAMES, ProfileName

EXAMPLE = "optout.consent.dns_target"


@dataclass(frozen=True)
class EvidencePath:
    """One visit's evidence field: ``profile`` and the ``fields`` below its ProfileCapture."""

    profile: ProfileName
    fields: tuple[str, ...]

    def __str__(self) -> str:
        return ".".join((self.profile, *self.fields))


@lru_cache(maxsize=512)
def parse_evidence_path(text: str) -> EvidencePath:
    """The path ``text`` names; ``ValueError`` saying what is wrong when it names nothing the evidence has."""
    profile, _, rest = text.strip().partition(".")
    if profile not in PROFILE_NAMES:
        raise ValueError(f"unknown visit profile {profile!r} in {text!r}; known: {', '.join(PROFILE_NAMES)}")
    fields = tuple(rest.split(".")) if rest else ()
    if not fields or not all(fields):
        raise ValueError(f"{text!r} names no field of the {profile} visit (write e.g. {EXAMPLE})")
    _check_fields(fields, text)
    step = step_filling(fields)
    if step is not None and profile not in step.runs_in:
        where = " and ".join(step.runs_in)
        raise ValueError(f"{text!r}: {step.title} runs only in the {where} visit, so the {profile} visit has none")
    return EvidencePath(profile, fields)


def _check_fields(fields: tuple[str, ...], text: str) -> None:
    kind: Any = ProfileCapture
    owner = "a visit"
    keyed = False
    for name in fields:
        if keyed:  # a key of a mapping: any name will do
            keyed = False
            continue
        if not (isinstance(kind, type) and issubclass(kind, BaseModel)):
            raise ValueError(f"{text!r}: {owner} has no fields")
        if name not in kind.model_fields:
            known = ", ".join(kind.model_fields)
            raise ValueError(f"{text!r}: {owner} has no field {name!r}; known: {known}")
        kind, keyed = _inner(kind.model_fields[name].annotation)
        owner = name


def _inner(annotation: Any) -> tuple[Any, bool]:
    """The type a path walks into from a field's annotation, and whether the next segment is a mapping key."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _inner(options[0]) if len(options) == 1 else (annotation, False)
    if origin in (list, tuple, set, frozenset):
        return _inner(typing.get_args(annotation)[0])
    if origin is dict:
        return typing.get_args(annotation)[1], True
    return annotation, False


def value_at(node: Any, fields: tuple[str, ...]) -> tuple[Any, str | None]:
    """The value at ``fields`` below ``node``, and the first field above the last one that is missing (or None).

    The last field may be missing or null: that is what the page had. A list ends the walk (its items' fields
    are data).
    """
    for depth, name in enumerate(fields):
        if isinstance(node, list):
            return node, None
        node = node.get(name) if isinstance(node, dict) else getattr(node, name, None)
        if node is None and depth < len(fields) - 1:
            return None, ".".join(fields[: depth + 1])
    return node, None
