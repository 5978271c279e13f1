"""Consent managers: detect the CMP, read its banner and preference center, and (``optout`` profile) use them.

- :func:`prepare_consent` installs DuckDuckGo autoconsent (detect-only) on a fresh context.
- :func:`gather_consent` runs in every profile: waits for a late CMP, detects it, reads the banner.
- :func:`run_optout_flow` runs in the ``optout`` profile: follows the opt-out link (or the banner), switches
  sale/sharing/targeting controls off, saves, reloads and reads the state again, logging each step.
"""

from auditor.capture.consent.flow import run_optout_flow
from auditor.capture.consent.gather import gather_consent, prepare_consent

__all__ = ["gather_consent", "prepare_consent", "run_optout_flow"]
