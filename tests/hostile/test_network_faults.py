"""Network faults, one site each: the site is ``not_assessable`` with the reason, and the run goes on.

One run audits a healthy site among ten faulty ones; the exit code is 3 only when every site failed.
"""

from __future__ import annotations

import re

import pytest

from tests.hostile.conftest import DNS_FAIL_HOST, REFUSED_HOST, TLS_HOST, run_auditor

pytestmark = pytest.mark.browser

HEALTHY = "www.healthy-corner-grocer.com"
SITES = {
    HEALTHY: "site",
    "www.stalled-headers-gazette.com": "hang-after-headers",
    "www.dripfeed-outlet.com": "drip",
    "www.circular-redirect-deals.com": "redirect-loop",
    "www.moved-away-boutique.com": "redirect-offsite",
    "www.missing-page-garden.com": "status-404",
    "www.broken-backend-travel.com": "status-500",
    "www.neverloads-magazine.com": "never-load",
}
# The reason each faulty site must give, in words and with the browser's own error where there is one.
REASONS = {
    DNS_FAIL_HOST: r"could not be resolved, a DNS failure .*ERR_NAME_NOT_RESOLVED",
    REFUSED_HOST: r"refused the connection .*ERR_CONNECTION_REFUSED",
    TLS_HOST: r"certificate is not valid .*--ignore-https-errors.*ERR_CERT_",
    "www.stalled-headers-gazette.com": r"did not load within 4 s",
    "www.dripfeed-outlet.com": r"did not load within 4 s",
    "www.circular-redirect-deals.com": r"redirect.*ERR_TOO_MANY_REDIRECTS",
    "www.moved-away-boutique.com": r"redirected to another site \(http://www\.landing-elsewhere\.com/welcome\)",
    "www.missing-page-garden.com": r"HTTP 404",
    "www.broken-backend-travel.com": r"HTTP 500",
    "www.neverloads-magazine.com": r"never finished loading.*load event",
}


def _url(host: str) -> str:
    return f"https://{host}/" if host == TLS_HOST else f"http://{host}/"


@pytest.fixture(scope="module")
def servers(servers_for):
    return servers_for(SITES)


@pytest.fixture(scope="module")
def mixed_run(servers, tmp_path_factory):
    urls = [_url(h) for h in (DNS_FAIL_HOST, REFUSED_HOST, TLS_HOST, *SITES)]
    return run_auditor(servers, tmp_path_factory.mktemp("network-faults"), urls)


@pytest.mark.parametrize("host", sorted(REASONS))
def test_faulty_site_is_not_assessable_with_the_reason(mixed_run, host):
    report = mixed_run.report(host)
    assert report["summary"]["status"] == "not_assessable", report["summary"]
    for finding in report["findings"]:
        assert finding["status"] in ("not_assessable", "not_applicable"), finding
    message = next(f["message"] for f in report["findings"] if f["status"] == "not_assessable")
    assert re.search(REASONS[host], message), message


def test_the_run_goes_on_and_the_healthy_site_is_audited(mixed_run):
    assert "Traceback" not in mixed_run.stderr, mixed_run.stderr
    findings = mixed_run.findings(HEALTHY)
    assert findings["ccpa.dns-link"]["status"] == "pass", findings["ccpa.dns-link"]["message"]
    assert findings["ccpa.privacy-policy-link"]["status"] == "pass"
    # Some sites could be audited, so the exit code is the gate's (0 or 1), never 3.
    assert mixed_run.exit_code in (0, 1), (mixed_run.exit_code, mixed_run.stderr)


def test_every_site_gets_a_report_and_evidence(mixed_run):
    for host in (DNS_FAIL_HOST, REFUSED_HOST, TLS_HOST, *SITES):
        assert (mixed_run.site_dir(host) / "report.html").is_file(), host
        assert (mixed_run.site_dir(host) / "evidence" / "manifest.json").is_file(), host


def test_exit_code_is_3_only_when_every_site_failed(servers, tmp_path):
    urls = [_url(h) for h in (DNS_FAIL_HOST, REFUSED_HOST, "www.broken-backend-travel.com")]
    run = run_auditor(servers, tmp_path / "out", urls)
    assert run.exit_code == 3, (run.stdout, run.stderr)
    assert "no site could be audited" in run.stdout


def test_ignore_https_errors_audits_a_staging_server_with_a_self_signed_certificate(servers, tmp_path):
    run = run_auditor(servers, tmp_path / "out", [_url(TLS_HOST)], "--ignore-https-errors")
    findings = run.findings(TLS_HOST)
    assert findings["ccpa.dns-link"]["status"] == "pass", findings["ccpa.dns-link"]["message"]
    assert run.homepage(TLS_HOST)["final_url"] == f"https://{TLS_HOST}/"
