"""The optional extras of the distribution, and the one-line error when a command needs one that is missing."""

from __future__ import annotations

from auditor.errors import UserError

DISTRIBUTION = "privacy-notice-auditor"  # the name on PyPI; the command and the import package are `auditor`
# Top-level module -> the extra that installs it.
EXTRA_OF_MODULE = {"redis": "distributed", "scrapy_redis": "distributed", "adblock": "abp"}


def install_command(extra: str) -> str:
    return f"pip install '{DISTRIBUTION}[{extra}]'"


def missing_extra(error: ModuleNotFoundError, what: str) -> UserError | None:
    """The error to show when ``what`` failed to import a module an extra installs; None for any other module
    (a broken installation, which must not pass for a missing extra)."""
    extra = EXTRA_OF_MODULE.get((error.name or "").partition(".")[0])
    if extra is None:
        return None
    return UserError(f"{what} needs the '{extra}' extra: {install_command(extra)}")
