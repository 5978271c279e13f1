"""Scope: the auditor loads only the sites it was given and their subresources; extra pages stay on the site.

The fault server logs every request with its host. The site invites the auditor elsewhere in every way it can
(links to other sites, a pop-up, a sitemap on another host); its own third-party tags load, as they do for any
visitor, but no other site is loaded as a page.
"""

from __future__ import annotations

import pytest

from tests.hostile.conftest import run_auditor
from tests.hostile.faults import OFFSITE_SITEMAP_HOST, SCOPE_ELSEWHERE

pytestmark = pytest.mark.browser

SITE = "www.scope-corner-hardware.com"
THIRD_PARTY_TAGS = {"tags.scope-partner-cdn.com", "pixel.scope-ads-network.com"}


@pytest.fixture(scope="module")
def audited(servers_for, tmp_path_factory):
    servers = servers_for({SITE: "scope"})
    # Every visit profile: the opt-out flow clicks, and a click lets a page open windows.
    out = tmp_path_factory.mktemp("scope")
    run = run_auditor(servers, out, [f"http://{SITE}/"], "--pages", "3", "--profiles", "baseline,gpc,optout")
    return run, servers.http


def test_pages_are_loaded_from_the_audited_site_only(audited):
    run, server = audited
    assert run.findings(SITE)["ccpa.dns-link"]["status"] == "pass"
    assert server.hosts_seen(documents_only=True) == {SITE}


def test_the_sites_own_subresources_load_as_for_any_visitor(audited):
    _, server = audited
    assert server.hosts_seen() >= THIRD_PARTY_TAGS


def test_nothing_at_all_is_requested_from_the_sites_it_points_to(audited):
    _, server = audited
    assert not ({OFFSITE_SITEMAP_HOST, *SCOPE_ELSEWHERE} & server.hosts_seen())


def test_extra_pages_stay_on_the_site(audited):
    run, server = audited
    pages = run.evidence(SITE)["profiles"]["baseline"]["pages"]
    extra = {key: page["requested_url"] for key, page in pages.items() if key.startswith("page_")}
    assert extra, pages.keys()  # --pages 3 loaded some
    assert all(url.startswith(f"http://{SITE}/") for url in pages_urls(pages)), pages_urls(pages)
    paths = {hit.path for hit in server.hits if hit.host == SITE and hit.is_document}
    assert {"/catalog", "/stores"} & paths, paths


def pages_urls(pages: dict) -> list[str]:
    return [page["requested_url"] for page in pages.values()] + [page["final_url"] for page in pages.values()]
