"""What a visit profile is, declared once: capture, crawl, rules (``--profiles``, ``requires``) and reports read it.

A profile is data, not code: which gatherers a profile runs is capture's business (it maps a profile to its
gatherers); what the rules need to know is its name, whether GPC was on, and whether the visitor's opt-out flow
was driven in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ProfileName = Literal["baseline", "gpc", "optout"]


@dataclass(frozen=True)
class VisitProfile:
    """One cold visit of a site, in a fresh browser context of a California visitor."""

    name: ProfileName
    gpc: bool
    opt_out_flow: bool
    description: str


BASELINE = VisitProfile("baseline", gpc=False, opt_out_flow=False, description="cold visit, no GPC")
GPC = VisitProfile("gpc", gpc=True, opt_out_flow=False, description="cold visit with Global Privacy Control on")
OPTOUT = VisitProfile(
    "optout",
    gpc=False,
    opt_out_flow=True,
    description="cold visit, then the opt-out flow a visitor would use (link, banner or preference center), "
    "then a reload",
)

PROFILES: tuple[VisitProfile, ...] = (BASELINE, GPC, OPTOUT)
PROFILE_NAMES: tuple[ProfileName, ...] = tuple(p.name for p in PROFILES)


def profile_named(name: str) -> VisitProfile:
    """The profile called ``name``; ``KeyError`` naming the known ones when there is none."""
    for profile in PROFILES:
        if profile.name == name:
            return profile
    raise KeyError(f"unknown visit profile {name!r}; known: {', '.join(PROFILE_NAMES)}")
