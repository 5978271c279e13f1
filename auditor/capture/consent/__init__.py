"""Consent managers: detect the CMP, read its banner and preference center, and (``optout`` profile) use them.

- :func:`.gather.prepare_consent` installs DuckDuckGo autoconsent (detect-only) on a fresh context.
- :func:`.gather.gather_consent` runs in every profile: waits for a late CMP, detects it, reads the banner.
- :func:`.flow.run_optout_flow` runs in the ``optout`` profile: finds the way in (:mod:`.entry`: the opt-out
  link, the banner, a settings button), switches sale/sharing/targeting controls off and saves (:mod:`.panel`),
  reloads and reads the state again (:mod:`.verification`), logging each step.

This package imports none of its modules: the gatherers import :mod:`auditor.capture.visit`, and importing one
of them must not pull in the others.
"""
