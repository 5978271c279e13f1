"""GitHub Actions workflow annotations: one ``::error`` / ``::warning`` line per finding the gate blocks or warns on.

GitHub turns these stdout lines into annotations on the run and the pull request. They follow the gate's decision
(``finding.gate``): ``blocking`` → ``::error``, ``warning`` → ``::warning``; waived, known and ungated findings get
none. A web finding has no file in the repository, so no ``file=`` is given; the message names the site's report
(``<out>/<site-id>/report.html#<rule>``).

Escaping follows the Actions toolkit (``@actions/core`` ``command.ts``): in the message ``%``, CR and LF become
``%25``, ``%0D``, ``%0A``; in a property (``title``) also ``:`` and ``,`` become ``%3A`` and ``%2C``. So no site
text can end the line and start a command of its own. Control characters are replaced as in the terminal output.
GitHub shows at most 10 annotations of each kind per step and 50 per job, so at most :data:`MAX_PER_LEVEL` of each
are printed, then one ``::notice`` saying how many more are in the reports.
"""

from __future__ import annotations

import os

from auditor.findings import GateOutcome, SiteReport
from auditor.report.text import printable

COMMAND = {GateOutcome.BLOCKING: "error", GateOutcome.WARNING: "warning"}
ANNOTATION_CHOICES = ["auto", "github", "none"]
MAX_PER_LEVEL = 50
MAX_MESSAGE = 600


def annotations_wanted(choice: str | None) -> bool:
    """``--annotations``: ``github`` on, ``none`` off, ``auto`` (the default) on when running in GitHub Actions."""
    if choice in (None, "auto"):
        return os.environ.get("GITHUB_ACTIONS") == "true"
    return choice == "github"


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value, escaped as GitHub's toolkit does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_lines(reports: list[SiteReport], report_root: str = "") -> list[str]:
    """The workflow command lines for a run; ``report_root`` is the output folder as the job names it."""
    lines: list[str] = []
    shown = {command: 0 for command in COMMAND.values()}
    left_out = 0
    for report in reports:
        site_id = report.site.site_id or report.site.host
        path = "/".join(part for part in (report_root.rstrip("/"), site_id, "report.html") if part)
        for finding in report.findings:
            command = COMMAND.get(finding.gate.outcome) if finding.gate is not None else None
            if command is None:
                continue
            if shown[command] >= MAX_PER_LEVEL:
                left_out += 1
                continue
            shown[command] += 1
            message = printable(finding.message)
            if len(message) > MAX_MESSAGE:
                message = message[: MAX_MESSAGE - 1] + "…"
            status = finding.status.value.replace("_", " ")
            title = escape_property(printable(f"{finding.rule} on {site_id} [{status}, {finding.severity.value}]"))
            text = escape_data(f"{message} — report: {path}#{finding.rule}")
            lines.append(f"::{command} title={title}::{text}")
    if left_out:
        lines.append(f"::notice::{left_out} more findings at error or warn level: see the reports under {report_root}")
    return lines
