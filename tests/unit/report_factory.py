"""Small synthetic ``SiteReport`` objects for the unit tests of reports and the gate (no browser)."""

from __future__ import annotations

import datetime as dt

from auditor.findings import Finding, SiteRef, SiteReport, Status, Summary, summarize

START = dt.datetime(2026, 11, 2, 17, 0, tzinfo=dt.UTC)


def finding(rule: str, status: str, severity: str = "high", message: str = "", **extra) -> Finding:
    return Finding(
        rule=rule,
        status=Status(status),
        severity=severity,
        title=extra.pop("title", f"Title of {rule}"),
        citations=extra.pop("citations", ["Cal. Civ. Code 1798.135(a)"]),
        citation_links=extra.pop("citation_links", ["https://leginfo.legislature.ca.gov/"]),
        message=message or f"{rule} is {status}",
        rationale=extra.pop("rationale", "Why it matters."),
        remediation=extra.pop("remediation", "How to fix it."),
        **extra,
    )


def report(site_id: str, findings: list[Finding], url: str | None = None, minutes: int = 0) -> SiteReport:
    host = site_id.split("_")[0]
    started = START + dt.timedelta(minutes=minutes)
    return SiteReport(
        tool={"version": "0.1.0"},
        site=SiteRef(url=url or f"https://{host}/", final_url=url or f"https://{host}/", host=host, site_id=site_id),
        started_at=started,
        finished_at=started + dt.timedelta(seconds=30),
        audit_date="2026-11-02",
        browser={"version": "156.0"},
        rule_packs={"ccpa": "2026.11.0"},
        findings=findings,
        summary=summarize(findings) if findings else Summary(status=Status.NOT_APPLICABLE, counts={}),
    )
