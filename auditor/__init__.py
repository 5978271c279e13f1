"""auditor: a privacy-notice compliance auditor for CCPA/CPRA and the US opt-out-signal states."""

__version__ = "0.1.0"
