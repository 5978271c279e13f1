"""Checks on the privacy policy: its "last updated" date (CA-P2) and the topics it must cover (CA-P3, 11 CCR 7011).

They read ``ProfileCapture.policy`` (the text the baseline visit extracted from the policy page) with the pure
functions of :mod:`auditor.policy`, so they re-run on saved evidence.
"""
